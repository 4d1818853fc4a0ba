const assert = require('assert');
const vscode = require('vscode');
const { activeExtension, fixture, waitFor, waitForDiagnostic } = require('./helpers');

suite('Commands', () => {
  test('Re-index Configuration re-indexes: the status bar updates and the problems are still reported', async () => {
    const extension = await activeExtension();
    await waitForDiagnostic(fixture('Conf/UI.xml'), 'unresolved-reference', undefined, 60_000);
    const before = extension.exports.lastStatus();
    await vscode.commands.executeCommand('usercubeConf.reindex');
    await waitFor('a new "ready" index status after re-indexing', () => {
      const s = extension.exports.lastStatus();
      return s && s !== before && s.state === 'ready';
    }, { timeout: 60_000, show: () => JSON.stringify(extension.exports.lastStatus()) });
    assert.match(extension.exports.statusBar().text, /^\$\(check\) Usercube: /);
    const diagnostic = await waitForDiagnostic(fixture('Conf/UI.xml'), 'unresolved-reference');
    assert.match(diagnostic.message, /Directory_Usr/);
    await waitForDiagnostic(fixture('Conf/AD.xml'), 'missing-connection-settings');
  });
});
