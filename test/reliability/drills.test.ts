import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { checkPaths } from '../../server/src/engine/check';
import { WorkspaceManager } from '../../server/src/engine/workspaceManager';
import { hover } from '../../server/src/features/hover';
import { loadSchema } from '../../server/src/schema/schema';
import { LineIndex } from '../../server/src/syntax/lineIndex';
import { conf, workspace, type Workspace } from '../helpers';
import { REPO } from './corpus';
import { ServerProcess, uri } from './serverProcess';

// Fault drills: what the file system and the process can do to the engine, the CLI and the language server.
// Each drill passes when nothing throws or hangs, other files are still analysed, and the fault is reported
// where the docs say (docs/reliability.md lists them).

const CLI = path.join(REPO, 'bin/usercube-conf.js');
const schema = loadSchema();
const CLI_BOUND_MS = 60_000;

interface CliResult {
  status: number | null;
  diagnostics: { file: string; code: string; severity: string; message: string }[];
  stderr: string;
}

/** Runs `usercube-conf check DIR --format json` in a child process (as another user when `uid` is given). */
function cli(dir: string, uid?: number): CliResult {
  const run = spawnSync(process.execPath, [CLI, 'check', dir, '--format', 'json'], { cwd: dir, encoding: 'utf8', timeout: CLI_BOUND_MS, uid });
  assert.notEqual(run.signal, 'SIGTERM', `the CLI did not finish within ${CLI_BOUND_MS} ms`);
  assert.ok(run.status === 0 || run.status === 1, `exit code ${run.status}: ${run.stderr}`);
  const parsed = JSON.parse(run.stdout) as { diagnostics: CliResult['diagnostics'] };
  return { status: run.status, diagnostics: parsed.diagnostics.map((d) => ({ ...d, file: d.file.split(path.sep).join('/') })), stderr: run.stderr };
}

const codesByFile = (result: CliResult) => result.diagnostics.map((d) => `${path.basename(d.file)} ${d.code}`).sort();

/** A configuration file with an identifier and a deliberate unknown attribute (so that "it was analysed" is visible). */
const marked = (id: string) => conf(`  <Agent Identifier="${id}" DisplayName_L1="${id}" Frob="1" />`);

const workspaces: Workspace[] = [];
function ws(files: Record<string, string | Buffer>): Workspace {
  const made = workspace(files);
  workspaces.push(made);
  return made;
}

after(() => {
  for (const w of workspaces) {
    spawnSync('chmod', ['-R', 'u+rwX', w.dir]);
    w.cleanup();
  }
});

describe('fault drills: files', () => {
  it('unreadable files (no permission, dangling link, link loop, a directory or a FIFO named .xml) are reported, the rest analysed, nothing hangs', () => {
    const w = ws({ 'Conf/Good.xml': marked('Good'), 'Conf/Locked.xml': marked('Locked'), 'Conf/sub/Inner.xml': marked('Inner') });
    fs.chmodSync(w.path('Conf/Locked.xml'), 0o000);
    fs.symlinkSync('missing.xml', w.path('Conf/Dangling.xml'));
    fs.symlinkSync('Loop.xml', w.path('Conf/Loop.xml'));
    fs.symlinkSync('sub', w.path('Conf/DirLink.xml'));
    const fifo = spawnSync('mkfifo', [w.path('Conf/pipe')]);
    if (fifo.status === 0) fs.symlinkSync('pipe', w.path('Conf/Pipe.xml'));
    // As root every file is readable: run the CLI as an unprivileged user, as a user's editor would run.
    const asRoot = process.getuid?.() === 0;
    if (asRoot) {
      spawnSync('chmod', ['-R', 'a+rX', w.dir]);
      fs.chmodSync(w.path('Conf/Locked.xml'), 0o000);
    }
    const result = cli(w.dir, asRoot ? 65534 : undefined);
    const unreadable = result.diagnostics.filter((d) => d.code === 'unreadable-file').map((d) => path.basename(d.file)).sort();
    assert.deepEqual(unreadable, ['Dangling.xml', 'DirLink.xml', 'Locked.xml', 'Loop.xml', ...(fifo.status === 0 ? ['Pipe.xml'] : [])]);
    assert.deepEqual(result.diagnostics.filter((d) => d.code === 'unknown-attribute').map((d) => path.basename(d.file)).sort(), ['Good.xml', 'Inner.xml']);
    assert.equal(result.status, 1);
  });

  it('a directory symlink loop is not followed: the walk ends and every file is analysed once', () => {
    const w = ws({ 'Conf/A.xml': marked('A'), 'Conf/sub/B.xml': marked('B') });
    fs.symlinkSync('.', w.path('Conf/self'));
    fs.symlinkSync('..', w.path('Conf/sub/up'));
    fs.symlinkSync(w.dir, w.path('Conf/sub/root'));
    assert.deepEqual(codesByFile(cli(w.dir)), ['A.xml unknown-attribute', 'B.xml unknown-attribute']);
  });

  it('binary content in a .xml file: no crash, nothing reported on it, the other files analysed', () => {
    const random = Buffer.alloc(64 * 1024);
    for (let i = 0; i < random.length; i++) random[i] = (i * 7919 + (i >> 3) * 104729) & 0xff;
    const w = ws({
      'Conf/A.xml': marked('A'),
      'Conf/Random.xml': random,
      'Conf/HeaderThenBinary.xml': Buffer.concat([Buffer.from(conf('').slice(0, 120)), random]),
      'Conf/Nul.xml': Buffer.from(marked('Nul').replace('Frob', 'Fr\u0000ob')),
    });
    const result = cli(w.dir);
    assert.deepEqual(result.diagnostics.filter((d) => !['Random.xml', 'HeaderThenBinary.xml', 'Nul.xml'].includes(path.basename(d.file))).map((d) => `${path.basename(d.file)} ${d.code}`), ['A.xml unknown-attribute']);
    assert.ok(result.diagnostics.every((d) => d.code !== 'unreadable-file'), JSON.stringify(result.diagnostics));
  });

  it('a Latin-1 (Windows-1252) file gets an information diagnostic and is analysed with its accents', () => {
    const text = conf('  <Agent Identifier="Local" DisplayName_L1="Société Générale" />\n  <Connector Identifier="AD" DisplayName_L1="AD" Agent="Local" />');
    const w = ws({ 'Conf/Latin.xml': Buffer.from(text, 'latin1'), 'Conf/Other.xml': marked('Other') });
    const result = checkPaths([w.dir], schema);
    const file = w.path('Conf/Latin.xml');
    assert.deepEqual(result.diagnostics.filter((d) => d.file === file).map((d) => `${d.code} ${d.severity}`), ['file-encoding information']);
    const set = result.sets[0];
    const reference = set.linesOf(file)!.offsetAt({ line: 3, character: text.split('\n')[3].indexOf('"Local"') + 2 });
    assert.match(hover(set, file, reference)?.markdown ?? '', /Société Générale/);
  });

  it('a file above the size limit (maxFileSizeKB in usercube-conf.json) is skipped with an information diagnostic', () => {
    const big = conf(`  <Agent Identifier="Big" DisplayName_L1="Big" />\n  <!-- ${'x'.repeat(6000)} -->`);
    const w = ws({ 'usercube-conf.json': '{ "maxFileSizeKB": 4 }', 'Conf/Big.xml': big, 'Conf/Small.xml': marked('Small') });
    const result = cli(w.dir);
    assert.deepEqual(codesByFile(result), ['Big.xml file-too-large', 'Small.xml unknown-attribute']);
    assert.equal(result.diagnostics.find((d) => d.code === 'file-too-large')!.severity, 'information');
  });

  it('agent settings: invalid JSON is reported with the XML still analysed; a missing file makes settings checks silent', () => {
    const xml = conf('  <Agent Identifier="Local" DisplayName_L1="L" />\n  <Connector Identifier="AD" DisplayName_L1="AD" Agent="Local" />\n  <Connection Identifier="ADExport" DisplayName_L1="AD" Connector="AD" Package="Usercube.AD@0000001" />\n  <Agent Identifier="X" DisplayName_L1="X" Frob="1" />');
    const invalid = ws({ 'Conf/A.xml': xml, 'appsettings.agent.json': '{ "OpenId": { "AgentIdentifier": "Local" }\n  "Connections": { "ADExport": {} ' });
    assert.deepEqual([...new Set(codesByFile(cli(invalid.dir)))], ['A.xml unknown-attribute', 'appsettings.agent.json invalid-json']);
    const missing = ws({ 'Conf/A.xml': xml });
    assert.deepEqual(codesByFile(cli(missing.dir)), ['A.xml unknown-attribute']);
    for (const garbage of ['', 'null', '[]', '"text"', '\u0000\u0001', '{"Connections": 5, "OpenId": []}', '{"Connections": {"ADExport": null}}']) {
      const w = ws({ 'Conf/A.xml': xml, 'appsettings.agent.json': garbage });
      const codes = checkPaths([w.dir], schema).diagnostics.map((d) => `${path.basename(d.file)} ${d.code}`);
      assert.ok(codes.includes('A.xml unknown-attribute'), JSON.stringify(garbage));
    }
  });

  it('two configuration sets in one workspace are checked separately (the same names are not duplicates)', () => {
    const w = ws({
      'ConfA/Agent.xml': conf('  <Agent Identifier="Local" DisplayName_L1="L" />\n  <Connector Identifier="AD" DisplayName_L1="AD" Agent="Local" />'),
      'ConfB/Agent.xml': conf('  <Agent Identifier="Local" DisplayName_L1="L" />\n  <Connector Identifier="HR" DisplayName_L1="HR" Agent="Local" />\n  <Connection Identifier="C" DisplayName_L1="C" Connector="AD" Package="Usercube.CSV@0000001" />'),
    });
    const result = cli(w.dir);
    assert.deepEqual(result.diagnostics.map((d) => `${d.file.split('/').slice(-2).join('/')} ${d.code}`), ['ConfB/Agent.xml unresolved-reference']);
  });

  it('files deleted or renamed while the engine indexes them: no exception, the index matches the disk afterwards', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 120; i++) files[`Conf/F${i}.xml`] = marked(`A${i}`);
    const w = ws(files);
    const manager = new WorkspaceManager(schema, [w.dir]);
    let step = 0;
    await manager.reindex(() => {
      step++;
      if (step % 3 === 0 && fs.existsSync(w.path(`Conf/F${step}.xml`))) fs.rmSync(w.path(`Conf/F${step}.xml`));
      if (step % 3 === 1 && fs.existsSync(w.path(`Conf/F${step + 40}.xml`))) fs.renameSync(w.path(`Conf/F${step + 40}.xml`), w.path(`Conf/R${step}.xml`));
    });
    for (const file of manager.diagnosedFiles()) manager.diagnose(file); // whatever it saw, diagnosing does not throw
    await manager.reindex();
    const onDisk = fs.readdirSync(w.path('Conf')).map((f) => w.path(`Conf/${f}`)).sort();
    const diagnosed = [...new Set(manager.diagnosedFiles())].sort();
    assert.deepEqual(diagnosed, onDisk);
    for (const file of onDisk) assert.deepEqual(manager.diagnose(file).map((d) => d.code), ['unknown-attribute'], file);
  });
});

describe('fault drills: the language server', () => {
  const servers: ServerProcess[] = [];
  const start = (options?: ConstructorParameters<typeof ServerProcess>[0]) => {
    const server = new ServerProcess(options);
    servers.push(server);
    return server;
  };
  after(async () => {
    for (const server of servers) await server.stop();
  });

  /** Published diagnostics as "file code" lines (non-empty publications only). */
  const published = (server: ServerProcess, dir: string) =>
    [...server.diagnostics].flatMap(([file, list]) => list.map((d) => `${path.relative(dir, file).split(path.sep).join('/')} ${d.code}`)).sort();

  it('files deleted and renamed while the server indexes: it keeps answering and ends with the disk state', async () => {
    const files: Record<string, string> = {};
    // Enough bytes (> 2 MB) for the initial index to run on worker threads.
    const padding = `<!-- ${'p'.repeat(7000)} -->`;
    for (let i = 0; i < 320; i++) files[`Conf/F${i}.xml`] = conf(`  <Agent Identifier="A${i}" DisplayName_L1="A" Frob="1" />\n  ${padding}`);
    const w = ws(files);
    const server = start();
    await server.initialize([w.dir]);
    await server.until(() => server.statuses().includes('indexing'), 'indexing to start');
    const changes: { uri: string; type: number }[] = [];
    for (let i = 0; i < 320; i += 3) {
      fs.rmSync(w.path(`Conf/F${i}.xml`));
      changes.push({ uri: uri(w.path(`Conf/F${i}.xml`)), type: 3 });
      if (i + 1 < 320) {
        fs.renameSync(w.path(`Conf/F${i + 1}.xml`), w.path(`Conf/R${i + 1}.xml`));
        changes.push({ uri: uri(w.path(`Conf/F${i + 1}.xml`)), type: 3 }, { uri: uri(w.path(`Conf/R${i + 1}.xml`)), type: 1 });
      }
    }
    await server.connection.sendNotification('workspace/didChangeWatchedFiles', { changes });
    await server.request('textDocument/hover', { textDocument: { uri: uri(w.path('Conf/F2.xml')) }, position: { line: 2, character: 12 } });
    await server.ready();
    await server.request('usercubeConf/reindex', {}, 60_000);
    await server.request('workspace/symbol', { query: '' });
    const expected = fs.readdirSync(w.path('Conf')).map((f) => `Conf/${f} unknown-attribute`).sort();
    assert.deepEqual(published(server, w.dir), expected);
    assert.deepEqual(server.escapedErrors(), []);
  });

  it('the editor setting usercubeConf.maxFileSizeKB skips a large file with an information diagnostic', async () => {
    const w = ws({ 'Conf/Big.xml': conf(`  <Agent Identifier="Big" DisplayName_L1="Big" />\n  <!-- ${'x'.repeat(6000)} -->`), 'Conf/Small.xml': marked('Small') });
    const server = start({ settings: { maxFileSizeKB: 4 } });
    await server.initialize([w.dir]);
    await server.ready();
    await server.until(() => published(server, w.dir).length === 2, 'two diagnostics');
    assert.deepEqual(published(server, w.dir), ['Conf/Big.xml file-too-large', 'Conf/Small.xml unknown-attribute']);
  });

  it('the agent settings become invalid, then are deleted, while the server runs', async () => {
    const xml = conf('  <Agent Identifier="Local" DisplayName_L1="L" />\n  <Connector Identifier="AD" DisplayName_L1="AD" Agent="Local" />\n  <Connection Identifier="ADExport" DisplayName_L1="AD" Connector="AD" Package="Usercube.AD@0000001" />');
    const w = ws({ 'Conf/A.xml': xml, 'appsettings.agent.json': '{ "OpenId": { "AgentIdentifier": "Local" }, "Connections": { "ADExport": { "Server": "s" } } }' });
    const settings = w.path('appsettings.agent.json');
    const server = start();
    await server.initialize([w.dir]);
    await server.ready();
    fs.writeFileSync(settings, '{ "OpenId": { "AgentIdentifier": "Local" ');
    await server.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri(settings), type: 2 }] });
    await server.until(() => published(server, w.dir).includes('appsettings.agent.json invalid-json'), 'invalid-json');
    fs.rmSync(settings);
    await server.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri(settings), type: 3 }] });
    await server.until(() => !published(server, w.dir).includes('appsettings.agent.json invalid-json'), 'the diagnostic to go');
    await server.request('textDocument/hover', { textDocument: { uri: uri(w.path('Conf/A.xml')) }, position: { line: 4, character: 30 } });
    assert.deepEqual(server.escapedErrors(), []);
    assert.equal(server.process.exitCode, null);
  });

  it('two configuration sets in one workspace: both indexed, names resolve within their own set only', async () => {
    const w = ws({
      'ConfA/Agent.xml': conf('  <Agent Identifier="Local" DisplayName_L1="L" />\n  <Connector Identifier="AD" DisplayName_L1="AD" Agent="Local" />'),
      'ConfB/Agent.xml': conf('  <Agent Identifier="Local" DisplayName_L1="L" />\n  <Connection Identifier="C" DisplayName_L1="C" Connector="AD" Package="Usercube.CSV@0000001" />'),
    });
    const server = start();
    await server.initialize([w.dir]);
    await server.ready();
    await server.until(() => published(server, w.dir).length > 0, 'diagnostics');
    assert.deepEqual(published(server, w.dir), ['ConfB/Agent.xml unresolved-reference']);
    const definition = await server.request<unknown[]>('textDocument/definition', { textDocument: { uri: uri(w.path('ConfB/Agent.xml')) }, position: positionOf(w, 'ConfB/Agent.xml', 'Connector="AD', 12) });
    assert.deepEqual(definition, []);
  });

  it('the server process is killed (while indexing, and after, with an index cache): a new one brings the same index back', async () => {
    const files: Record<string, string> = { 'appsettings.agent.json': '{ "OpenId": { "AgentIdentifier": "Local" }, "Connections": {} }' };
    for (let i = 0; i < 40; i++) files[`Conf/F${i}.xml`] = conf(`  <Agent Identifier="A${i}" DisplayName_L1="A" Frob="1" />\n  <Connector Identifier="C${i}" DisplayName_L1="C" Agent="A${(i + 1) % 40}" />`);
    files['Conf/Broken.xml'] = conf('  <Connector Identifier="X" DisplayName_L1="X" Agent="Nobody" />');
    const w = ws(files);
    const storagePath = fs.mkdtempSync(path.join(os.tmpdir(), 'ucf-storage-'));
    const options = { storagePath };
    try {
      const first = start();
      await first.initialize([w.dir], options);
      await first.until(() => first.statuses().includes('indexing'), 'indexing to start');
      await first.kill(); // killed while indexing

      const second = start();
      await second.initialize([w.dir], options);
      await second.ready();
      await second.request('workspace/symbol', { query: '' });
      const before = published(second, w.dir);
      assert.ok(before.includes('Conf/Broken.xml unresolved-reference') && before.filter((l) => l.endsWith('unknown-attribute')).length === 40, before.join('\n'));
      await new Promise((resolve) => setTimeout(resolve, 2500)); // the index cache is written about 2 s after indexing
      await second.kill(); // killed when idle, its cache written

      // The cache may even be damaged by a kill during its write: a truncated cache file is ignored.
      for (const file of listFiles(storagePath)) fs.truncateSync(file, Math.floor(fs.statSync(file).size / 2));
      const third = start();
      await third.initialize([w.dir], options);
      await third.ready();
      await third.request('workspace/symbol', { query: '' });
      assert.deepEqual(published(third, w.dir), before);
      assert.deepEqual(third.escapedErrors(), []);
      const definition = await third.request<unknown[]>('textDocument/definition', { textDocument: { uri: uri(w.path('Conf/F1.xml')) }, position: positionOf(w, 'Conf/F1.xml', 'Agent="A2', 8) });
      assert.equal(definition.length, 1);
    } finally {
      fs.rmSync(storagePath, { recursive: true, force: true });
    }
  });
});

/** The position `delta` characters after the first occurrence of `needle` in a workspace file. */
function positionOf(w: Workspace, relative: string, needle: string, delta: number): { line: number; character: number } {
  const text = fs.readFileSync(w.path(relative), 'utf8');
  return new LineIndex(text).positionAt(text.indexOf(needle) + delta);
}

function listFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? listFiles(path.join(dir, e.name)) : e.isFile() ? [path.join(dir, e.name)] : []));
}
