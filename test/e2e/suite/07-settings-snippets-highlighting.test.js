// Issue 4 in a real VS Code: appsettings.agent.json as a first-class file, snippets in context, highlighting.
const assert = require('assert');
const vscode = require('vscode');
const { activeExtension, fixture, hoverText, labelOf, openFixture, positionIn, replaceText, revert, waitFor, waitForDiagnostic, waitForNoDiagnostic } = require('./helpers');

suite('Agent settings, snippets and highlighting', () => {
  let settings;
  suiteSetup(async () => {
    await activeExtension();
    await waitForDiagnostic(fixture('Conf/AD.xml'), 'missing-connection-settings', undefined, 60_000); // indexed
    settings = await openFixture('appsettings.agent.json');
  });

  teardown(async () => {
    await revert(settings);
  });

  test('a secret typed in clear into appsettings.agent.json is flagged, without repeating it', async () => {
    await replaceText(settings, '"Password": "<password>"', '"Password": "Winter2026!"');
    const diagnostic = await waitForDiagnostic(settings.uri, 'secret-in-clear');
    assert.ok(!diagnostic.message.includes('Winter2026'), diagnostic.message);
    assert.strictEqual(diagnostic.severity, vscode.DiagnosticSeverity.Warning);
    await revert(settings);
    await waitForNoDiagnostic(settings.uri, 'secret-in-clear');
  });

  test('completion of a Connections key offers the XML connection that has no settings yet', async () => {
    await replaceText(settings, '"HRPeople": {', '"AD": {}, "HRPeople": {');
    const position = positionIn(settings, '"AD": {}', 3);
    let labels = [];
    await waitFor('ADFulfillment among the completion items', async () => {
      const list = await vscode.commands.executeCommand('vscode.executeCompletionItemProvider', settings.uri, position);
      labels = list.items.map(labelOf);
      return labels.includes('ADFulfillment');
    }, { show: () => JSON.stringify(labels.slice(0, 20)) });
    assert.ok(!labels.includes('ADExport'), 'a connection that already has settings is not offered again');
  });

  test('hover on a Connections key shows its <Connection>', async () => {
    const position = positionIn(settings, '"ADExport"', 3);
    const hovers = await waitFor('a hover', async () => {
      const found = await vscode.commands.executeCommand('vscode.executeHoverProvider', settings.uri, position);
      return found && found.length > 0 && found;
    });
    const text = hovers.map(hoverText).join('\n');
    assert.match(text, /Usercube\.AD@0000001/);
    assert.match(text, /AD\.xml/);
  });

  test('the quick fix "Add settings for connection" writes a stub into the settings and the problem goes', async () => {
    const ad = await openFixture('Conf/AD.xml');
    const diagnostic = await waitForDiagnostic(ad.uri, 'missing-connection-settings');
    const actions = await vscode.commands.executeCommand('vscode.executeCodeActionProvider', ad.uri, diagnostic.range, vscode.CodeActionKind.QuickFix.value);
    const add = actions.find((a) => a.title.startsWith("Add settings for connection 'ADFulfillment'"));
    assert.ok(add, `no such quick fix among: ${actions.map((a) => a.title).join(' | ')}`);
    assert.ok(await vscode.workspace.applyEdit(add.edit), 'the edit was refused');
    assert.match(settings.getText(), /"ADFulfillment": \{/);
    assert.match(settings.getText(), /\/\/ no "ADFulfillment"/, 'comments are kept');
    await waitForNoDiagnostic(ad.uri, 'missing-connection-settings');
  });

  test('snippets are offered where an element can start, and not inside attribute values', async () => {
    const jobs = await openFixture('Conf/Jobs.xml');
    try {
      await replaceText(jobs, '</Job>', '<</Job>');
      const inJob = positionIn(jobs, '<</Job>', 1);
      let labels = [];
      await waitFor('uc-task-export in a Job', async () => {
        const list = await vscode.commands.executeCommand('vscode.executeCompletionItemProvider', jobs.uri, inJob);
        labels = list.items.map(labelOf);
        return labels.includes('uc-task-export');
      }, { show: () => JSON.stringify(labels.filter((l) => l.startsWith('uc-'))) });
      assert.ok(!labels.includes('uc-connector-skeleton'), 'a connector cannot start inside a Job');
      const inValue = positionIn(jobs, 'Connector="HR" SynchronizationMode', 'Connector="'.length);
      const list = await vscode.commands.executeCommand('vscode.executeCompletionItemProvider', jobs.uri, inValue);
      assert.deepStrictEqual(list.items.map(labelOf).filter((l) => l.startsWith('uc-')), []);
    } finally {
      await revert(jobs);
    }
  });

  test('semantic tokens classify the segments of a binding path', async () => {
    const expressions = await openFixture('Conf/Expressions.xml');
    const legend = await vscode.commands.executeCommand('vscode.provideDocumentSemanticTokensLegend', expressions.uri);
    const tokens = await waitFor('semantic tokens', async () => {
      const found = await vscode.commands.executeCommand('vscode.provideDocumentSemanticTokens', expressions.uri);
      return found && found.data.length > 0 && found;
    });
    const words = [];
    let line = 0;
    let character = 0;
    for (let i = 0; i < tokens.data.length; i += 5) {
      line += tokens.data[i];
      character = tokens.data[i] === 0 ? character + tokens.data[i + 1] : tokens.data[i + 1];
      const text = expressions.lineAt(line).text.slice(character, character + tokens.data[i + 2]);
      words.push(`${text}:${legend.tokenTypes[tokens.data[i + 3]]}`);
    }
    for (const expected of ['Directory_User:class', 'Manager:property', 'Mail:property']) assert.ok(words.includes(expected), `${expected} not in ${words.join(' ')}`);
  });

  test('the highlighting grammar for bindings, expressions and crontab values is contributed to XML', async () => {
    const extension = await activeExtension();
    const grammars = extension.packageJSON.contributes.grammars || [];
    const injection = grammars.find((g) => (g.injectTo || []).includes('text.xml'));
    assert.ok(injection, JSON.stringify(grammars));
    const file = vscode.Uri.joinPath(extension.extensionUri, injection.path);
    const grammar = JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(file)));
    assert.ok(JSON.stringify(grammar).includes('meta.value.binding.usercube'));
  });
});
