const assert = require('assert');
const vscode = require('vscode');
const { activeExtension, fixture, waitFor, waitForDiagnostic } = require('./helpers');

suite('Commands', () => {
  test('Re-index Configuration runs, and the problems are still reported afterwards', async () => {
    const extension = await activeExtension();
    await waitForDiagnostic(fixture('Conf/UI.xml'), 'unresolved-reference', undefined, 60_000);
    await vscode.commands.executeCommand('usercubeConf.reindex');
    await waitFor('the index to be ready after re-indexing', () => {
      const s = extension.exports.lastStatus();
      return s && s.state === 'ready';
    }, { timeout: 60_000, show: () => JSON.stringify(extension.exports.lastStatus()) });
    const diagnostic = await waitForDiagnostic(fixture('Conf/UI.xml'), 'unresolved-reference');
    assert.match(diagnostic.message, /Directory_Usr/);
    await waitForDiagnostic(fixture('Conf/AD.xml'), 'missing-connection-settings');
  });
});
