// Settings under usercubeConf.* reach the server and change what the user sees.
const vscode = require('vscode');
const { activeExtension, fixture, waitForDiagnostic, waitForNoDiagnostic } = require('./helpers');

suite('Settings', () => {
  suiteSetup(activeExtension);

  test('usercubeConf.severity changes the severity of a diagnostic code, and "off" hides it', async () => {
    const jobs = fixture('Conf/Jobs.xml');
    const { Warning, Error } = vscode.DiagnosticSeverity;
    await waitForDiagnostic(jobs, 'unknown-element', (d) => d.severity === Warning, 60_000);
    const settings = () => vscode.workspace.getConfiguration('usercubeConf');
    try {
      await settings().update('severity', { 'unknown-element': 'error' }, vscode.ConfigurationTarget.Workspace);
      await waitForDiagnostic(jobs, 'unknown-element', (d) => d.severity === Error);
      await settings().update('severity', { 'unknown-element': 'off' }, vscode.ConfigurationTarget.Workspace);
      await waitForNoDiagnostic(jobs, 'unknown-element');
    } finally {
      await settings().update('severity', undefined, vscode.ConfigurationTarget.Workspace);
    }
    await waitForDiagnostic(jobs, 'unknown-element', (d) => d.severity === Warning);
  });
});
