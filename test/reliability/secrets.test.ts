import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { LineIndex } from '../../server/src/syntax/lineIndex';
import { exampleFiles, REPO } from './corpus';
import { ServerProcess, uri } from './serverProcess';

// Secrets planted in the agent settings must never leave the server except inside the text the editor itself sent:
// not in answers, notifications, progress, logs (stderr, window/logMessage), nor in any file it writes (its index
// cache included). The same holds for the CLI's outputs. The server and the CLI run with a probe that records every
// process start, network call and file write: there must be no process and no network call at all.

const PROBE = path.join(__dirname, 'probe.js');
const CLI = path.join(REPO, 'bin/usercube-conf.js');
const TAG = `S3NT1NEL${crypto.randomBytes(6).toString('hex')}`;
const SECRETS = {
  password: `${TAG}-password-x`,
  openId: `${TAG}-openid-x`,
  connectionString: `${TAG}-connstr-x`,
  encrypted: `${TAG}-encrypted-x`,
  typed: `${TAG}-typed-x`,
};

/** The example agent settings, with secrets where real files hold them. */
function settingsText(): string {
  const settings = JSON.parse(exampleFiles()['appsettings.agent.json'].replace(/^\s*\/\/.*$/gm, '')) as Record<string, Record<string, Record<string, unknown>>>;
  settings.OpenId.OpenIdClients.Job = SECRETS.openId;
  settings.Connections.ADExport.Password = SECRETS.password;
  settings.Connections.SqlExport = { ConnectionString: `Data Source=db01;Initial Catalog=Usercube;User Id=sa;Password=${SECRETS.connectionString};` };
  settings.Connections.ADFulfillment = { Login: 'svc', Password: SECRETS.password, Server: 'dc01' };
  return `// agent settings with secrets\n${JSON.stringify(settings, null, 2)}\n`;
}

interface Probe {
  kind: string;
  detail: string;
  stack: string;
}

function readProbe(file: string): Probe[] {
  if (!fs.existsSync(file)) return [];
  return fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as Probe);
}

/** Every file under a folder (links not followed), with its content. */
function filesUnder(dir: string): { file: string; content: Buffer }[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return filesUnder(full);
    return entry.isFile() ? [{ file: full, content: fs.readFileSync(full) }] : [];
  });
}

function leaks(text: string | Buffer, where: string): string[] {
  const s = Buffer.isBuffer(text) ? text.toString('latin1') : text;
  const found: string[] = [];
  let at = s.indexOf(TAG);
  while (at >= 0 && found.length < 5) {
    found.push(`${where}: …${s.slice(Math.max(0, at - 150), at + 60)}…`);
    at = s.indexOf(TAG, at + 1);
  }
  return found;
}

describe('secrets from appsettings.agent.json never leave the server or the CLI', () => {
  let root: string;
  let dir: string;
  let home: string;
  let storage: string;
  let probeLog: string;
  let written: Map<string, string>;

  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'ucf-secrets-'));
    dir = path.join(root, 'workspace');
    home = path.join(root, 'home');
    storage = path.join(root, 'storage');
    probeLog = path.join(root, 'probe.log');
    fs.mkdirSync(path.join(home, 'tmp'), { recursive: true });
    fs.mkdirSync(storage);
    const files = { ...exampleFiles(), 'appsettings.agent.json': settingsText(), 'appsettings.encrypted.agent.json': JSON.stringify({ Connections: { HRDepartments: { Password: SECRETS.encrypted } } }) };
    written = new Map();
    for (const [relative, text] of Object.entries(files)) {
      const file = path.join(dir, relative);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, text);
      written.set(file, text);
    }
  });

  after(() => {
    fs.rmSync(root, { recursive: true, force: true });
  });

  const env = () => ({ ...process.env, HOME: home, USERPROFILE: home, TMPDIR: path.join(home, 'tmp'), USERCUBE_PROBE_LOG: probeLog, USERCUBE_CONF_CACHE_DIR: '' });

  it('the language server, driven through every request at many positions of the settings and XML files', async () => {
    const server = new ServerProcess({ cwd: home, env: env(), execArgv: ['--require', PROBE] });
    const clientSent: string[] = [];
    try {
      await server.initialize([dir], { storagePath: storage });
      await server.ready();
      const settingsFile = path.join(dir, 'appsettings.agent.json');
      const files = [settingsFile, path.join(dir, 'appsettings.encrypted.agent.json'), ...Object.keys(exampleFiles()).filter((f) => f.endsWith('.xml')).map((f) => path.join(dir, f))];
      let requests = 0;
      const ask = async (method: string, params: unknown) => {
        requests++;
        await server.answer(method, params); // refusals are fine; what matters is what they say
      };
      for (const file of files) {
        const text = written.get(file)!;
        clientSent.push(text);
        await server.open(file, text);
        const lines = new LineIndex(text);
        const doc = { uri: uri(file) };
        // Every token start of the settings files; in XML, every attribute value and element name.
        const offsets = new Set<number>();
        const pattern = file.endsWith('.json') ? /[{}[\]:,"]/g : /"/g;
        for (const m of text.matchAll(pattern)) offsets.add(m.index! + 1);
        for (const m of text.matchAll(new RegExp(TAG, 'g'))) for (const d of [0, 5, 20]) offsets.add(m.index! + d);
        for (const offset of offsets) {
          const position = lines.positionAt(offset);
          await ask('textDocument/completion', { textDocument: doc, position });
          await ask('textDocument/hover', { textDocument: doc, position });
          if (offset % 2 === 0 || text.startsWith(TAG, offset) || !file.endsWith('.xml')) {
            await ask('textDocument/definition', { textDocument: doc, position });
            await ask('textDocument/references', { textDocument: doc, position, context: { includeDeclaration: true } });
            await ask('textDocument/prepareRename', { textDocument: doc, position });
            await ask('textDocument/rename', { textDocument: doc, position, newName: 'Renamed' });
          }
        }
        const whole = { start: { line: 0, character: 0 }, end: lines.positionAt(text.length) };
        await ask('textDocument/codeAction', { textDocument: doc, range: whole, context: { diagnostics: server.diagnostics.get(file) ?? [] } });
        for (const d of server.diagnostics.get(file) ?? []) await ask('textDocument/codeAction', { textDocument: doc, range: d.range, context: { diagnostics: [d] } });
        await ask('textDocument/documentSymbol', { textDocument: doc });
        await ask('textDocument/semanticTokens/full', { textDocument: doc });
      }
      for (const query of ['', 'Job', 'AD', TAG.slice(0, 4), 'Password']) await ask('workspace/symbol', { query });
      // Typing a new secret into the settings, then a connection that does not exist yet.
      const typed = written.get(settingsFile)!.replace('"Connections": {', `"Connections": {\n    "Typed": { "Password": "${SECRETS.typed}" },`);
      clientSent.push(typed);
      await server.change(settingsFile, typed, 2);
      await ask('textDocument/hover', { textDocument: { uri: uri(settingsFile) }, position: new LineIndex(typed).positionAt(typed.indexOf(SECRETS.typed) + 3) });
      await ask('textDocument/completion', { textDocument: { uri: uri(settingsFile) }, position: new LineIndex(typed).positionAt(typed.indexOf('"Typed"') + 2) });
      await ask('usercubeConf/reindex', {});
      await server.connection.sendNotification('workspace/didChangeConfiguration', { settings: {} });
      await server.ready(server.statuses().length);
      await server.close(settingsFile);
      await server.request('workspace/symbol', { query: '' });
      await new Promise((resolve) => setTimeout(resolve, 2500)); // the index cache is written about 2 s after indexing
      assert.ok(requests > 500, `${requests} requests`);
      assert.ok(server.diagnostics.size > 0 && server.notifications.some((n) => n.method === '$/progress'), 'diagnostics and progress were sent (so they were scanned)');
    } finally {
      await server.stop();
    }
    const { stdout, stderr } = server.output();
    const found = [
      ...leaks(stdout, 'protocol stream (answers, diagnostics, progress, status, log messages)'),
      ...leaks(stderr, 'stderr'),
      ...filesUnder(storage).flatMap(({ file, content }) => leaks(content, `written file ${file}`)),
      ...filesUnder(home).flatMap(({ file, content }) => leaks(content, `written file ${file}`)),
      ...filesUnder(dir).filter(({ file, content }) => written.get(file) !== content.toString('utf8')).flatMap(({ file, content }) => leaks(content, `written file ${file}`)),
    ];
    assert.deepEqual(found, [], 'the secret left the server');
    assert.ok(clientSent.some((t) => t.includes(TAG)), 'the client did send the secrets');
    const calls = readProbe(probeLog);
    assert.deepEqual(calls.filter((c) => c.kind !== 'write'), [], 'the server started a process or made a network call');
    const writes = calls.filter((c) => c.kind === 'write' && !c.detail.startsWith(storage));
    assert.deepEqual(writes, [], 'the server wrote outside its storage folder');
    assert.ok(calls.some((c) => c.kind === 'write') && filesUnder(storage).length > 0, 'the index cache was written (so it was scanned, and the probe works)');
    assert.ok(stdout.includes('SqlExport'), 'answers about the agent settings were sent (so they were scanned)');
  });

  it('the CLI, in every format, with an index cache', () => {
    const cache = path.join(root, 'cli-cache');
    const outputs: string[] = [];
    for (const format of ['text', 'json', 'sarif']) {
      const run = spawnSync(process.execPath, ['--require', PROBE, CLI, 'check', dir, '--format', format, '--cache-dir', cache], { cwd: home, env: env(), encoding: 'utf8', timeout: 60_000 });
      assert.ok(run.status === 0 || run.status === 1, run.stderr);
      outputs.push(run.stdout, run.stderr);
    }
    assert.ok(filesUnder(cache).length > 0, 'the CLI wrote its cache');
    const found = [...outputs.flatMap((o, i) => leaks(o, `CLI output ${i}`)), ...filesUnder(cache).flatMap(({ file, content }) => leaks(content, `cache file ${file}`))];
    assert.deepEqual(found, []);
    assert.ok(outputs.join('').includes('secret-in-clear') || outputs.join('').includes('missing-connection-settings'), 'the settings were analysed');
    const calls = readProbe(probeLog);
    assert.deepEqual(calls.filter((c) => c.kind !== 'write'), [], 'the CLI started a process or made a network call');
    assert.deepEqual(calls.filter((c) => c.kind === 'write' && !c.detail.startsWith(cache) && !c.detail.startsWith(storage)), [], 'the CLI wrote outside its cache folder');
  });
});
