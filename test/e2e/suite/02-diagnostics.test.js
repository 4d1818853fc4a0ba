// Diagnostics of files nobody opened: the server indexes the whole configuration set and publishes for every file.
const assert = require('assert');
const vscode = require('vscode');
const { activeExtension, codeOf, describeDiagnostics, diskText, fixture, lineOf, ourDiagnostics, waitFor, waitForDiagnostic } = require('./helpers');

function isOpen(uri) {
  return vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString());
}

/** The text a diagnostic's single-line range covers, read from disk. */
function coveredText(text, range) {
  return text.split(/\r?\n/)[range.start.line].slice(range.start.character, range.end.character);
}

suite('Diagnostics of closed files', () => {
  suiteSetup(activeExtension);

  test('reports an unresolved reference in a file that was never opened', async () => {
    const ui = fixture('Conf/UI.xml');
    const diagnostic = await waitForDiagnostic(ui, 'unresolved-reference', undefined, 60_000);
    assert.ok(!isOpen(ui), 'Conf/UI.xml must stay closed for this test');
    const text = await diskText(ui);
    assert.strictEqual(diagnostic.range.start.line, lineOf(text, 'EntityType="Directory_Usr"'), describeDiagnostics(ui));
    assert.strictEqual(coveredText(text, diagnostic.range), 'Directory_Usr', 'the range should cover the misspelled name');
    assert.strictEqual(diagnostic.severity, vscode.DiagnosticSeverity.Error);
    assert.match(diagnostic.message, /Directory_Usr/);
  });

  test('reports every deliberate problem of the fixture where it is', async () => {
    const expected = [
      { file: 'Conf/AD.xml', code: 'missing-connection-settings', on: 'Identifier="ADFulfillment"', covers: 'ADFulfillment' },
      { file: 'Conf/Jobs.xml', code: 'unknown-element', on: '<ExportTasks Identifier', covers: 'ExportTasks' },
      { file: 'Conf/UI.xml', code: 'unresolved-reference', on: 'EntityType="Directory_Usr"', covers: 'Directory_Usr' },
    ];
    for (const problem of expected) {
      const uri = fixture(problem.file);
      const text = await diskText(uri);
      const line = lineOf(text, problem.on);
      const diagnostic = await waitForDiagnostic(uri, problem.code, (d) => d.range.start.line === line);
      assert.strictEqual(coveredText(text, diagnostic.range), problem.covers, `${problem.file}: ${describeDiagnostics(uri)}`);
    }
  });

  test('reports no error or warning in the files that are correct', async () => {
    // The problems above are published by now, so the analysis of the set is complete.
    await waitForDiagnostic(fixture('Conf/UI.xml'), 'unresolved-reference', undefined, 60_000);
    const clean = ['Conf/Agent.xml', 'Conf/Directory.xml', 'Conf/HR.xml', 'appsettings.agent.json'];
    const found = clean.flatMap((file) => ourDiagnostics(fixture(file))
      .filter((d) => d.severity <= vscode.DiagnosticSeverity.Warning)
      .map((d) => `${file}:${d.range.start.line + 1} ${codeOf(d)} ${d.message}`));
    assert.deepStrictEqual(found, []);
  });

  test('every diagnostic names its source and code', async () => {
    await waitFor('diagnostics of the fixture', () => vscode.languages.getDiagnostics().some(([, list]) => list.some((d) => d.source === 'usercube-conf')));
    for (const [uri, list] of vscode.languages.getDiagnostics()) {
      for (const d of list.filter((x) => x.source === 'usercube-conf')) {
        assert.match(codeOf(d), /^[a-z]+(-[a-z]+)*$/, `${vscode.workspace.asRelativePath(uri)}:${d.range.start.line + 1} has no kebab-case code`);
        assert.ok(d.message.length > 0);
      }
    }
  });
});
