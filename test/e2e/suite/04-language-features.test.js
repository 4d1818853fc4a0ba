// Completion, navigation, rename, hover, symbols and quick fixes, through the same commands VS Code's UI uses.
const assert = require('assert');
const vscode = require('vscode');
const { activeExtension, diskText, fixture, hoverText, labelOf, lineOf, openFixture, positionIn, revert, target, waitFor, waitForDiagnostic, waitForNoDiagnostic } = require('./helpers');

const rel = (uri) => vscode.workspace.asRelativePath(uri);

/** The text a single-line range covers in a file on disk. */
async function textAt(uri, range) {
  return (await diskText(uri)).split(/\r?\n/)[range.start.line].slice(range.start.character, range.end.character);
}

suite('Language features', () => {
  let jobs;
  let directory;
  suiteSetup(async () => {
    await activeExtension();
    await waitForDiagnostic(fixture('Conf/UI.xml'), 'unresolved-reference', undefined, 60_000); // the set is indexed
    jobs = await openFixture('Conf/Jobs.xml');
    directory = await openFixture('Conf/Directory.xml');
  });

  test('completion of a Connector="" value offers the declared connectors', async () => {
    const position = positionIn(jobs, 'Connector="HR" SynchronizationMode', 'Connector="'.length);
    let labels = [];
    await waitFor('completion items HR and AD at Connector="', async () => {
      const list = await vscode.commands.executeCommand('vscode.executeCompletionItemProvider', jobs.uri, position);
      labels = list.items.map(labelOf);
      return labels.includes('HR') && labels.includes('AD');
    }, { show: () => JSON.stringify(labels.slice(0, 30)) });
  });

  test('go to definition on a connector reference lands on its declaration in another file', async () => {
    const position = positionIn(jobs, 'Connector="HR" SynchronizationMode', 'Connector="H'.length);
    const locations = await waitFor('a definition', async () => {
      const found = await vscode.commands.executeCommand('vscode.executeDefinitionProvider', jobs.uri, position);
      return found && found.length > 0 && found;
    });
    assert.strictEqual(locations.length, 1, `one declaration expected, got ${locations.map((l) => rel(target(l).uri)).join(', ')}`);
    const { uri, range } = target(locations[0]);
    const hr = fixture('Conf/HR.xml');
    assert.strictEqual(uri.toString(), hr.toString(), `landed in ${rel(uri)}`);
    assert.strictEqual(range.start.line, lineOf(await diskText(hr), '<Connector Identifier="HR"'));
    assert.match(await textAt(uri, range), /HR/);
  });

  test('find all references of an entity type lists its uses in several files', async () => {
    const position = positionIn(directory, 'Identifier="Directory_User"', 'Identifier="Dir'.length);
    const locations = await waitFor('references', async () => {
      const found = await vscode.commands.executeCommand('vscode.executeReferenceProvider', directory.uri, position);
      return found && found.length > 0 && found;
    });
    const files = new Set(locations.map((l) => rel(l.uri)));
    for (const file of ['Conf/HR.xml', 'Conf/AD.xml', 'Conf/Jobs.xml', 'Conf/UI.xml']) {
      assert.ok(files.has(file), `no reference in ${file}; references in: ${[...files].join(', ')}`);
    }
    for (const location of locations) assert.strictEqual(await textAt(location.uri, location.range), 'Directory_User', `${rel(location.uri)}:${location.range.start.line + 1}`);
  });

  test('rename of an entity type edits its declaration and its references in several files', async () => {
    const position = positionIn(directory, 'Identifier="Directory_User"', 'Identifier="Dir'.length);
    const prepared = await vscode.commands.executeCommand('vscode.prepareRename', directory.uri, position);
    assert.ok(prepared, 'prepareRename refused the entity type identifier');
    const preparedRange = prepared.range || prepared;
    assert.strictEqual(directory.getText(preparedRange), 'Directory_User');

    const edit = await vscode.commands.executeCommand('vscode.executeDocumentRenameProvider', directory.uri, position, 'Directory_Person');
    assert.ok(edit, 'no rename edit');
    const entries = edit.entries();
    const files = entries.map(([uri]) => rel(uri)).sort();
    for (const file of ['Conf/AD.xml', 'Conf/Directory.xml', 'Conf/HR.xml', 'Conf/Jobs.xml', 'Conf/UI.xml']) {
      assert.ok(files.includes(file), `the rename does not touch ${file}; it edits: ${files.join(', ')}`);
    }
    for (const [uri, edits] of entries) {
      for (const e of edits) {
        const where = `${rel(uri)}:${e.range.start.line + 1}:${e.range.start.character + 1}`;
        assert.strictEqual(e.newText, 'Directory_Person', where);
        // The whole name and nothing else: not the prefix of a longer identifier such as Directory_User_Table (UI.xml).
        const around = await textAt(uri, new vscode.Range(e.range.start.translate(0, -1), e.range.end.translate(0, 1)));
        assert.match(around, /^\WDirectory_User\W$/, `${where} replaces other text: ${around}`);
      }
    }
  });

  test('hover on an element name shows its documentation', async () => {
    const position = positionIn(jobs, '<ExportTask Identifier="HR_Export"', 3);
    const hovers = await waitFor('a hover', async () => {
      const found = await vscode.commands.executeCommand('vscode.executeHoverProvider', jobs.uri, position);
      return found && found.some((h) => hoverText(h).trim().length > 0) && found;
    });
    const text = hovers.map(hoverText).join('\n');
    assert.match(text, /ExportTask/, `hover text: ${text.slice(0, 300)}`);
  });

  test('document symbols list the jobs and their tasks', async () => {
    const symbols = await waitFor('document symbols', async () => {
      const found = await vscode.commands.executeCommand('vscode.executeDocumentSymbolProvider', jobs.uri);
      return found && found.length > 0 && found;
    });
    const names = [];
    const visit = (list) => list.forEach((s) => { names.push(s.name); if (s.children) visit(s.children); });
    visit(symbols);
    for (const name of ['Contoso_Synchronization', 'HR_Export', 'AD_Synchronization']) {
      assert.ok(names.some((n) => n.includes(name)), `no symbol for ${name}; symbols: ${names.join(', ')}`);
    }
  });

  test('workspace symbol search finds a declaration in another file', async () => {
    const symbols = await waitFor('workspace symbols for Directory_User', async () => {
      const found = await vscode.commands.executeCommand('vscode.executeWorkspaceSymbolProvider', 'Directory_User');
      return found && found.length > 0 && found;
    });
    const match = symbols.find((s) => s.name.includes('Directory_User') && rel(s.location.uri) === 'Conf/Directory.xml');
    assert.ok(match, `symbols: ${symbols.map((s) => `${s.name} (${rel(s.location.uri)})`).join(', ')}`);
  });

  test('a quick fix replaces an unknown element by the known one, and the problem goes', async () => {
    const diagnostic = await waitForDiagnostic(jobs.uri, 'unknown-element');
    const actions = await vscode.commands.executeCommand('vscode.executeCodeActionProvider', jobs.uri, diagnostic.range, vscode.CodeActionKind.QuickFix.value, 10);
    const titles = (actions || []).map((a) => a.title);
    const fix = (actions || []).find((a) => a.edit && a.edit.entries().some(([, edits]) => edits.some((e) => e.newText === 'ExportTask')));
    assert.ok(fix, `no quick fix edits the element into ExportTask; actions: ${JSON.stringify(titles)}`);
    assert.ok(!fix.kind || vscode.CodeActionKind.QuickFix.contains(fix.kind), `kind ${fix.kind && fix.kind.value}`);
    try {
      assert.ok(await vscode.workspace.applyEdit(fix.edit), 'the quick fix edit was refused');
      assert.match(jobs.getText(), /<ExportTask Identifier="AD_Export"/);
      await waitForNoDiagnostic(jobs.uri, 'unknown-element');
    } finally {
      await revert(jobs);
    }
    await waitForDiagnostic(jobs.uri, 'unknown-element');
  });
});
