const assert = require('assert');
const vscode = require('vscode');
const { EXTENSION_ID, activeExtension, waitFor } = require('./helpers');

suite('Activation', () => {
  test('activates in a workspace holding a configuration, before any XML file is opened', async () => {
    const openXml = vscode.workspace.textDocuments.filter((d) => d.languageId === 'xml' && d.uri.scheme === 'file');
    assert.deepStrictEqual(openXml.map((d) => d.uri.fsPath), [], 'no XML file should be open at the start of the suite');
    const extension = await activeExtension();
    assert.strictEqual(extension.id, EXTENSION_ID);
  });

  test('the status bar shows the index state once indexing is done', async () => {
    const extension = await activeExtension();
    const pattern = /^\$\(check\) Usercube: (\d+) files?, (\d+) problems?$/;
    // The fixture has 6 configuration files and 3 deliberate problems.
    await waitFor('the status bar to show "$(check) Usercube: N files, M problems" with N >= 6 and M >= 3', () => {
      const shown = extension.exports.statusBar();
      const match = shown.visible && pattern.exec(shown.text);
      return match && Number(match[1]) >= 6 && Number(match[2]) >= 3;
    }, { timeout: 60_000, show: () => JSON.stringify(extension.exports.statusBar()) });
  });

  test('the commands are available in the Command Palette', async () => {
    const commands = await vscode.commands.getCommands(true);
    for (const command of ['usercubeConf.reindex', 'usercubeConf.showOutput']) {
      assert.ok(commands.includes(command), `command ${command} is not registered`);
    }
    await vscode.commands.executeCommand('usercubeConf.showOutput');
  });
});
