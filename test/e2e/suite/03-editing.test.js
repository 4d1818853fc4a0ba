// Diagnostics follow the user's unsaved edits, across files, and files created or deleted on disk.
const assert = require('assert');
const vscode = require('vscode');
const { activeExtension, describeDiagnostics, diskText, fixture, lineOf, openFixture, replaceText, revert, waitForDiagnostic, waitForNoDiagnostic, waitFor, ourDiagnostics } = require('./helpers');

suite('Diagnostics follow edits', () => {
  const opened = [];
  suiteSetup(async () => {
    await activeExtension();
    await waitForDiagnostic(fixture('Conf/UI.xml'), 'unresolved-reference', undefined, 60_000); // the set is indexed
  });
  teardown(async () => {
    for (const document of opened.splice(0)) await revert(document);
  });

  test('a typo typed into an open document is reported, and fixing it clears the problem', async () => {
    const hr = await openFixture('Conf/HR.xml');
    opened.push(hr);
    const line = lineOf(hr.getText(), 'TargetEntityType="Directory_User"');
    const onLine = (d) => d.range.start.line === line;
    await waitForNoDiagnostic(hr.uri, 'unresolved-reference', onLine);

    await replaceText(hr, 'TargetEntityType="Directory_User"', 'TargetEntityType="Directory_Usre"');
    const diagnostic = await waitForDiagnostic(hr.uri, 'unresolved-reference', onLine);
    assert.match(diagnostic.message, /Directory_Usre/);

    await replaceText(hr, 'TargetEntityType="Directory_Usre"', 'TargetEntityType="Directory_User"');
    await waitForNoDiagnostic(hr.uri, 'unresolved-reference', onLine);
  });

  test('renaming a declaration in an unsaved buffer breaks its references in closed files, and undoing mends them', async () => {
    const directory = await openFixture('Conf/Directory.xml');
    opened.push(directory);
    const ad = fixture('Conf/AD.xml');
    const jobs = fixture('Conf/Jobs.xml');
    const adLine = lineOf(await diskText(ad), 'SourceEntityType="Directory_User"');
    const jobsLine = lineOf(await diskText(jobs), 'EntityType="Directory_User"');

    await replaceText(directory, 'Identifier="Directory_User"', 'Identifier="Directory_Person"');
    await waitForDiagnostic(ad, 'unresolved-reference', (d) => d.range.start.line === adLine);
    await waitForDiagnostic(jobs, 'unresolved-reference', (d) => d.range.start.line === jobsLine);

    await revert(directory);
    await waitForNoDiagnostic(ad, 'unresolved-reference', (d) => d.range.start.line === adLine);
    await waitForNoDiagnostic(jobs, 'unresolved-reference', (d) => d.range.start.line === jobsLine);
  });

  test('adding the missing connection to appsettings.agent.json clears missing-connection-settings', async () => {
    const ad = fixture('Conf/AD.xml');
    await waitForDiagnostic(ad, 'missing-connection-settings');
    const settings = await openFixture('appsettings.agent.json');
    opened.push(settings);

    await replaceText(settings, '"Connections": {', '"Connections": {\n    "ADFulfillment": { "Servers": [{ "Server": "dc01.contoso.example" }] },');
    await waitForNoDiagnostic(ad, 'missing-connection-settings');

    await revert(settings);
    await waitForDiagnostic(ad, 'missing-connection-settings');
  });

  test('a configuration file created on disk is analysed without being opened, and forgotten when deleted', async () => {
    const extra = fixture('Conf/Extra.xml');
    const text = [
      '<?xml version="1.0" encoding="utf-8"?>',
      '<ConfigurationFile xmlns="urn:schemas-usercube-com:configuration">',
      '  <MenuItem Identifier="Nav_Departments" DisplayName_L1="Departments" EntityType="Directory_Departmnt" ParentMenuItem="Nav" />',
      '</ConfigurationFile>',
      '',
    ].join('\n');
    await vscode.workspace.fs.writeFile(extra, new TextEncoder().encode(text));
    try {
      const diagnostic = await waitForDiagnostic(extra, 'unresolved-reference');
      assert.strictEqual(diagnostic.range.start.line, 2, describeDiagnostics(extra));
    } finally {
      await vscode.workspace.fs.delete(extra);
    }
    await waitFor('the diagnostics of the deleted Conf/Extra.xml to be cleared', () => ourDiagnostics(extra).length === 0,
      { show: () => describeDiagnostics(extra) });
  });
});
