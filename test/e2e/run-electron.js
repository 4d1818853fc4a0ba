#!/usr/bin/env node
// `npm run test:electron`: runs the extension test suite (test/e2e/suite) in desktop VS Code with
// @vscode/test-electron. It downloads VS Code, so it needs internet access; CI uses the code-server runner
// (scripts/e2e/run-code-server-suite.js) instead, with the very same suite.
// Env: VSCODE_VERSION (default: stable), USERCUBE_E2E_GREP (only matching tests).
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { runTests } = require('@vscode/test-electron');

async function main() {
  const repo = path.resolve(__dirname, '..', '..');
  for (const file of ['dist/client.js', 'dist/server.js']) {
    if (!fs.existsSync(path.join(repo, file))) throw new Error(`${file} is missing: run npm run build first`);
  }
  // A scratch copy of the fixture workspace: the tests create and edit files in it.
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'usercube-conf-electron-'));
  const workspace = path.join(work, 'workspace');
  fs.cpSync(path.join(__dirname, 'workspace'), workspace, { recursive: true });
  try {
    await runTests({
      version: process.env.VSCODE_VERSION || 'stable',
      extensionDevelopmentPath: repo,
      extensionTestsPath: path.join(__dirname, 'suite', 'index.js'),
      extensionTestsEnv: { USERCUBE_E2E_GREP: process.env.USERCUBE_E2E_GREP || '' },
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes',
        `--user-data-dir=${path.join(work, 'user-data')}`],
    });
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(`test:electron failed: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
