// Fault drill: the language server process dies (killed, out of memory); the client starts a new one and the
// index comes back, with no action from the user. Runs last: it replaces the server the other suites talked to.
const assert = require('assert');
const vscode = require('vscode');
const { activeExtension, diskText, fixture, lineOf, openFixture, positionIn, target, waitFor, waitForDiagnostic } = require('./helpers');

suite('Fault drill: server killed', () => {
  test('a killed server is restarted and answers from a rebuilt index (diagnostics of closed files, cross-file definition)', async () => {
    const extension = await activeExtension();
    await waitForDiagnostic(fixture('Conf/UI.xml'), 'unresolved-reference', undefined, 60_000);
    const jobs = await openFixture('Conf/Jobs.xml');
    const killed = extension.exports.serverProcessId();
    assert.ok(Number.isInteger(killed), `no server process id (${killed})`);
    const before = extension.exports.lastStatus();

    process.kill(killed, 'SIGKILL');

    const restarted = await waitFor('a new server process', () => {
      const pid = extension.exports.serverProcessId();
      return pid !== undefined && pid !== killed && pid;
    }, { timeout: 60_000, show: () => String(extension.exports.serverProcessId()) });
    assert.throws(() => process.kill(killed, 0), /ESRCH/, 'the killed process is gone');
    await waitFor('a "ready" status from the new server', () => {
      const s = extension.exports.lastStatus();
      return s && s !== before && s.state === 'ready' && s.files > 0;
    }, { timeout: 90_000, show: () => JSON.stringify(extension.exports.lastStatus()) });
    assert.strictEqual(extension.exports.serverProcessId(), restarted, 'one restart, not a restart loop');

    // The index is back: a closed file's problem is reported again, and navigation crosses files.
    const diagnostic = await waitForDiagnostic(fixture('Conf/UI.xml'), 'unresolved-reference', undefined, 60_000);
    assert.match(diagnostic.message, /Directory_Usr/);
    const position = positionIn(jobs, 'Connector="HR" SynchronizationMode', 'Connector="H'.length);
    const locations = await waitFor('a definition from the new server', async () => {
      const found = await vscode.commands.executeCommand('vscode.executeDefinitionProvider', jobs.uri, position);
      return found && found.length > 0 && found;
    });
    const { uri, range } = target(locations[0]);
    assert.strictEqual(uri.toString(), fixture('Conf/HR.xml').toString());
    assert.strictEqual(range.start.line, lineOf(await diskText(uri), '<Connector Identifier="HR"'));
    assert.match(extension.exports.statusBar().text, /^\$\(check\) Usercube: /);
  });
});
