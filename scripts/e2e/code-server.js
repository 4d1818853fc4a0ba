// Shared by the code-server runners: starts code-server (VS Code in the browser) on a free port with a scratch
// profile and a scratch copy of the fixture workspace, opens it in headless Chromium with this repository loaded as
// the extension under development, and tears everything down (code-server's whole process group) afterwards.
//
// The trick (see shared/e2e-recipe): VS Code's web workbench reads extensionDevelopmentPath/extensionTestsPath
// from the `payload` URL parameter, and a built product honours it only when the server runs with
// `--vscode-option enable-smoke-test-driver`. When the extension tests end, the workbench calls
// window.codeAutomationExit(code), which we expose to learn the result.
'use strict';
const childProcess = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const REPO = path.resolve(__dirname, '..', '..');
const FIXTURE = path.join(REPO, 'test', 'e2e', 'workspace');
const TOOLS_HOME = process.env.USERCUBE_E2E_HOME || path.join(os.homedir(), '.cache', 'usercube-conf-e2e');

/** Tool paths written by scripts/e2e/setup.sh. */
function loadTools() {
  const file = path.join(TOOLS_HOME, 'tools.json');
  let tools;
  try {
    tools = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    throw new Error(`${file} not found: run scripts/e2e/setup.sh first`);
  }
  for (const [name, p] of Object.entries(tools)) if (!fs.existsSync(p)) throw new Error(`${name} (${p}) is missing: run scripts/e2e/setup.sh again`);
  return tools;
}

function requireBuild() {
  for (const file of ['dist/client.js', 'dist/server.js']) {
    if (!fs.existsSync(path.join(REPO, file))) throw new Error(`${file} is missing: run npm run build first`);
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function healthy(port) {
  return new Promise((resolve) => {
    const request = http.get({ host: '127.0.0.1', port, path: '/healthz', timeout: 1000 }, (response) => {
      response.resume();
      resolve(response.statusCode === 200);
    });
    request.on('error', () => resolve(false));
    request.on('timeout', () => { request.destroy(); resolve(false); });
  });
}

const USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'chat.disableAIFeatures': true,
  'files.autoSave': 'off', // text typed by the UI test must never reach the fixture
  'git.enabled': false,
};

/**
 * Starts code-server in a scratch folder `work`. Returns { port, work, workspace, log, stop() }.
 * `env(work)` is added to code-server's environment, which its extension host (and so the tests) inherit.
 */
async function startCodeServer(tools, { env = () => ({}), settings = {} } = {}) {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'usercube-conf-e2e-'));
  const workspace = path.join(work, 'workspace');
  fs.cpSync(FIXTURE, workspace, { recursive: true }); // a fresh copy: tests and the UI edit it
  const home = path.join(work, 'home');
  const data = path.join(work, 'data');
  const tmp = path.join(work, 'tmp'); // code-server's sockets, not in the shared /tmp
  for (const dir of [home, path.join(data, 'User'), path.join(work, 'extensions'), tmp]) fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(data, 'User', 'settings.json'), JSON.stringify({ ...USER_SETTINGS, ...settings }, null, 2));

  const port = await freePort();
  const configFile = path.join(work, 'config.yaml');
  fs.writeFileSync(configFile, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  const log = path.join(work, 'code-server.log');
  const out = fs.openSync(log, 'a');
  const child = childProcess.spawn(tools.codeServer, [
    '--config', configFile, '--user-data-dir', data, '--extensions-dir', path.join(work, 'extensions'),
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override',
    '--vscode-option', 'enable-smoke-test-driver',
  ], {
    detached: true, // its own process group, so stop() can end the extension host and language server with it
    stdio: ['ignore', out, out],
    env: {
      ...process.env,
      PATH: `${tools.node24Bin}${path.delimiter}${process.env.PATH}`, // code-server 4.139 needs node 24
      HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), XDG_DATA_HOME: path.join(home, '.local', 'share'),
      XDG_CACHE_HOME: path.join(home, '.cache'), TMPDIR: tmp,
      ...env(work),
    },
  });
  fs.closeSync(out);
  let exited = false;
  child.on('exit', () => { exited = true; });

  const stop = async ({ keep = false } = {}) => {
    if (!exited) {
      try { process.kill(-child.pid, 'SIGTERM'); } catch { /* already gone */ }
      for (let i = 0; i < 50 && !exited; i++) await new Promise((r) => setTimeout(r, 100));
      try { process.kill(-child.pid, 'SIGKILL'); } catch { /* already gone */ }
    }
    if (!keep) fs.rmSync(work, { recursive: true, force: true });
  };
  // Never leave the server behind, whatever ends this process.
  const onExit = () => { try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ } };
  process.on('exit', onExit);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.once(signal, () => { onExit(); process.exit(130); });

  const deadline = Date.now() + 60_000;
  while (!(await healthy(port))) {
    if (exited || Date.now() > deadline) {
      const tail = fs.readFileSync(log, 'utf8').split('\n').slice(-30).join('\n');
      await stop({ keep: true });
      throw new Error(`code-server did not come up on port ${port} (${exited ? 'it exited' : 'timeout'}); log ${log}:\n${tail}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { port, work, workspace, log, stop };
}

/** URL that opens `workspace` with this repository as the extension under development (and optionally its tests). */
function workbenchUrl(port, workspace, testsPath) {
  const remote = (p) => `vscode-remote://127.0.0.1:${port}${p}`;
  const payload = [['extensionDevelopmentPath', remote(REPO)]];
  if (testsPath) payload.push(['extensionTestsPath', remote(testsPath)]);
  return `http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

/** Headless Chromium; `work` (a scratch folder) receives what Chromium would write to HOME and /tmp. */
async function launchBrowser(tools, work) {
  const { chromium } = require(path.join(tools.playwrightNodePath, 'playwright-core'));
  const home = path.join(work, 'browser-home');
  const tmp = path.join(work, 'browser-tmp');
  fs.mkdirSync(home, { recursive: true });
  fs.mkdirSync(tmp, { recursive: true });
  return chromium.launch({
    executablePath: tools.chromium,
    headless: true,
    env: { ...process.env, HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), XDG_CACHE_HOME: path.join(home, '.cache'), TMPDIR: tmp },
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

module.exports = { REPO, FIXTURE, TOOLS_HOME, loadTools, requireBuild, startCodeServer, workbenchUrl, launchBrowser };
