/**
 * `npm run bench`: generates configuration trees (small ~3 MB, medium ~25 MB, large ~110 MB), measures the engine
 * (fresh processes) and the language server (over stdio), and prints one table with the budgets.
 *
 *   npm run bench                      all three sizes
 *   npm run bench -- --sizes small     some sizes (tiny, small, medium, large)
 *   npm run bench -- --quick           a smoke run on a tiny tree
 *   npm run bench -- --out results.json
 *
 * Trees are generated once into $TMPDIR/usercube-conf-bench/ (deterministic: same seed, same bytes) and reused.
 */
import { execFileSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateTree, SIZES, writeTree } from './generate';
import { session as protocolSession, startOnly, type ProtocolResult } from './lsp';
import { mb, ms } from './stats';

interface Args {
  sizes: string[];
  rounds: number;
  out?: string;
  seed: number;
  hugeBytes: number;
  skipProtocol: boolean;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { sizes: ['small', 'medium', 'large'], rounds: 5, seed: 1, hugeBytes: 10 * 1024 * 1024, skipProtocol: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--sizes') args.sizes = argv[++i].split(',');
    else if (arg === '--quick') {
      args.sizes = ['tiny'];
      args.rounds = 1;
      args.hugeBytes = 512 * 1024;
    } else if (arg === '--rounds') args.rounds = Number(argv[++i]);
    else if (arg === '--out') args.out = argv[++i];
    else if (arg === '--seed') args.seed = Number(argv[++i]);
    else if (arg === '--engine-only') args.skipProtocol = true;
    else throw new Error(`unknown option ${arg}`);
  }
  for (const size of args.sizes) if (!(size in SIZES)) throw new Error(`unknown size ${size} (${Object.keys(SIZES).join(', ')})`);
  return args;
}

interface Tree {
  dir: string;
  files: number;
  bytes: number;
  typicalFile: string;
  largestFile: string;
  connectors: string[];
  typicalBytes: number;
  largestBytes: number;
}

/** The generated tree of a size, written once and reused (a marker file records what it holds). */
function treeOf(size: string, seed: number): Tree {
  const dir = path.join(os.tmpdir(), 'usercube-conf-bench', `${size}-${seed}`);
  const marker = path.join(dir, '.bench-tree.json');
  // The generator's content, not its build time: a rebuild must not regenerate 110 MB.
  const generatorStamp = crypto.createHash('sha1').update(fs.readFileSync(path.join(__dirname, 'generate.js'))).digest('hex');
  try {
    const known = JSON.parse(fs.readFileSync(marker, 'utf8')) as Tree & { generatorStamp: string };
    if (known.generatorStamp === generatorStamp) return known;
  } catch {
    // not generated yet
  }
  fs.rmSync(dir, { recursive: true, force: true });
  const tree = generateTree({ bytes: SIZES[size], seed });
  writeTree(dir, tree);
  const connectors = [...new Set(tree.hot.connectorFiles.map((f) => f.split('/')[2]))];
  const result: Tree = {
    dir,
    files: tree.files.size,
    bytes: tree.bytes,
    typicalFile: tree.hot.typicalFile,
    largestFile: tree.hot.largestFile,
    connectors,
    typicalBytes: tree.files.get(tree.hot.typicalFile)!.length,
    largestBytes: tree.files.get(tree.hot.largestFile)!.length,
  };
  fs.writeFileSync(marker, JSON.stringify({ ...result, generatorStamp }));
  return result;
}

/**
 * The compiled engine and server are copied aside before measuring (bench/.snapshot/, ignored by git): a rebuild
 * during the run (tests, other work in the same tree) would otherwise change the code under measure, and with it the
 * engine fingerprint that keys the index cache.
 */
const SNAPSHOT = path.resolve(__dirname, '../../bench/.snapshot');

function snapshotCode(): void {
  fs.rmSync(SNAPSHOT, { recursive: true, force: true });
  const root = path.resolve(__dirname, '../..');
  fs.cpSync(path.join(root, 'out', 'bench'), path.join(SNAPSHOT, 'out', 'bench'), { recursive: true });
  fs.cpSync(path.join(root, 'out', 'server'), path.join(SNAPSHOT, 'out', 'server'), { recursive: true });
  fs.cpSync(path.join(root, 'dist'), path.join(SNAPSHOT, 'dist'), { recursive: true });
}

function probe(mode: string, dir: string, options: object = {}): Record<string, any> {
  const output = execFileSync(process.execPath, [path.join(SNAPSHOT, 'out', 'bench', 'probe.js'), mode, dir, JSON.stringify(options)], { encoding: 'utf8', maxBuffer: 1 << 24, stdio: ['ignore', 'pipe', 'inherit'] });
  return JSON.parse(output.trim().split('\n').pop()!);
}

function freshDir(name: string): string {
  const dir = path.join(os.tmpdir(), 'usercube-conf-bench', name);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

interface SizeResult {
  size: string;
  tree: Tree;
  floor: Record<string, any>;
  cold: Record<string, any>;
  warm: Record<string, any>;
  session: Record<string, any>;
  protocolCold?: ProtocolResult;
  protocolWarm?: ProtocolResult;
  protocol?: ProtocolResult;
}

async function measure(size: string, args: Args): Promise<SizeResult> {
  const log = (what: string) => process.stderr.write(`[bench] ${size}: ${what}\n`);
  log('generating (or reusing) the tree');
  const tree = treeOf(size, args.seed);
  log(`${tree.files} files, ${(tree.bytes / 1024 / 1024).toFixed(1)} MB in ${tree.dir}`);
  log('floor');
  const floor = probe('floor', tree.dir);
  log('cold index (engine)');
  const cold = probe('cold', tree.dir);
  log('warm start (engine)');
  const cacheDir = freshDir(`cache-engine-${size}`);
  probe('cold', tree.dir, { cacheDir });
  const warm = probe('cold', tree.dir, { cacheDir });
  log('edits and requests (engine)');
  const session = probe('session', tree.dir, { typicalFile: tree.typicalFile, largestFile: tree.largestFile, rounds: args.rounds });
  const result: SizeResult = { size, tree, floor, cold, warm, session };
  if (!args.skipProtocol) {
    log('cold start (protocol)');
    const storage = freshDir(`storage-${size}`);
    result.protocolCold = await startOnly(tree.dir, storage);
    log('warm start (protocol)');
    result.protocolWarm = await startOnly(tree.dir, storage);
    log('edits and requests (protocol)');
    result.protocol = await protocolSession(tree.dir, tree.typicalFile, tree.largestFile, args.rounds, args.hugeBytes, tree.connectors);
  }
  return result;
}

interface Row {
  label: string;
  budget: string;
  cell(r: SizeResult): string;
  /** Whether the size's value is within budget (undefined: no budget for that size). */
  within?(r: SizeResult): boolean | undefined;
}

const p95 = (v: { p50: number; p95: number } | undefined) => (v ? `${ms(v.p50)} / ${ms(v.p95)}` : '–');
const ratio = (value: number | undefined, floor: number) => (value === undefined ? '' : ` (${(value / floor).toFixed(1)}× floor)`);
/** The server's peak before the 10 MB buffer experiment (the configuration's own cost), over the cold start and the session. */
const serverPeak = (r: SizeResult): number | undefined => Math.max(r.protocol?.peakRssBeforeHuge ?? 0, r.protocolCold?.peakRss ?? 0) || undefined;
const isLarge = (r: SizeResult) => r.tree.bytes >= 100 * 1024 * 1024;
const isSmall = (r: SizeResult) => r.tree.bytes <= 4 * 1024 * 1024 && r.tree.bytes >= 2 * 1024 * 1024;

const ROWS: Row[] = [
  { label: 'files / size', budget: '', cell: (r) => `${r.tree.files} / ${(r.tree.bytes / 1024 / 1024).toFixed(1)} MB` },
  { label: 'floor: read every file', budget: '', cell: (r) => ms(r.floor.readMs) },
  { label: 'floor: read + regex scan of Identifier="…"', budget: '', cell: (r) => ms(r.floor.scanMs) },
  { label: 'cold index, engine (index ready)', budget: '≤ 4 s at 110 MB', cell: (r) => `${ms(r.cold.indexMs)}${ratio(r.cold.indexMs, r.floor.scanMs)}`, within: (r) => (isLarge(r) ? r.cold.indexMs <= 4000 : undefined) },
  { label: 'cold, engine: every file diagnosed', budget: '', cell: (r) => ms(r.cold.allMs) },
  { label: 'cold start, protocol (initialize → all diagnostics published)', budget: '', cell: (r) => ms(r.protocolCold?.startMs) },
  { label: 'warm start, engine (index cache, unchanged files)', budget: '≤ 1 s', cell: (r) => `${ms(r.warm.allMs)}${r.warm.reused ? '' : ' (cache not used!)'}`, within: (r) => r.warm.allMs <= 1000 },
  { label: 'warm start, protocol (initialize → all diagnostics published)', budget: '', cell: (r) => ms(r.protocolWarm?.startMs) },
  {
    label: 'peak RSS, engine cold (index / with all diagnoses)',
    budget: '≤ 1 GB at 110 MB, ≤ 200 MB at 3 MB',
    cell: (r) => `${mb(r.cold.indexRss)} / ${mb(r.cold.rss)}`,
    within: (r) => (isLarge(r) ? r.cold.rss <= 1024 ** 3 : isSmall(r) ? r.cold.rss <= 200 * 1024 ** 2 : undefined),
  },
  {
    label: 'peak RSS, server (start with the index cache written, edits, requests)',
    budget: '(same)',
    cell: (r) => mb(serverPeak(r)),
    within: (r) => {
      const peak = serverPeak(r);
      return peak === undefined ? undefined : isLarge(r) ? peak <= 1024 ** 3 : isSmall(r) ? peak <= 200 * 1024 ** 2 : undefined;
    },
  },
  { label: 'peak RSS, server, then with a 10 MB buffer open and edited', budget: '', cell: (r) => mb(r.protocol?.peakRss) },
  { label: 'edit → diagnostics p50 / p95, typical file, engine', budget: '≤ 50 ms (p95)', cell: (r) => `${p95(r.session.edit_typical)} (${(r.tree.typicalBytes / 1024).toFixed(0)} KB, ≤${r.session.edit_typical.maxAffected} files)`, within: (r) => r.session.edit_typical.p95 <= 50 },
  { label: 'edit → diagnostics p50 / p95, largest file, engine', budget: '≤ 50 ms (p95)', cell: (r) => `${p95(r.session.edit_largest)} (${(r.tree.largestBytes / 1024).toFixed(0)} KB, ≤${r.session.edit_largest.maxAffected} files)`, within: (r) => r.session.edit_largest.p95 <= 50 },
  { label: 'edit → diagnostics p50 / p95, typical file, protocol (less the 150 ms typing delay)', budget: '≤ 50 ms (p95)', cell: (r) => p95(r.protocol?.edits?.typical), within: (r) => (r.protocol?.edits ? r.protocol.edits.typical.p95 <= 50 : undefined) },
  { label: 'edit → diagnostics p50 / p95, largest file, protocol (less the typing delay)', budget: '≤ 50 ms (p95)', cell: (r) => p95(r.protocol?.edits?.largest), within: (r) => (r.protocol?.edits ? r.protocol.edits.largest.p95 <= 50 : undefined) },
  { label: 'completion p50 / p95 (engine | protocol)', budget: '≤ 20 ms (p95)', cell: (r) => `${p95(r.session.completion)} | ${p95(r.protocol?.completion)}`, within: (r) => Math.max(r.session.completion.p95, r.protocol?.completion?.p95 ?? 0) <= 20 },
  { label: 'definition p50 / p95 (engine | protocol)', budget: '≤ 20 ms (p95)', cell: (r) => `${p95(r.session.definition)} | ${p95(r.protocol?.definition)}`, within: (r) => Math.max(r.session.definition.p95, r.protocol?.definition?.p95 ?? 0) <= 20 },
  { label: 'references p50 / p95 (engine | protocol)', budget: '', cell: (r) => `${p95(r.session.references)} | ${p95(r.protocol?.references)}` },
  { label: 'rename Directory_User (engine | protocol)', budget: '', cell: (r) => `${ms(r.session.rename.p50)} | ${ms(r.protocol?.renameMs)}` },
  { label: 'requests p50 / p95 while a 10 MB file reparses (protocol)', budget: '≤ 100 ms (p95)', cell: (r) => (r.protocol?.duringHugeReparse ? `${p95(r.protocol.duringHugeReparse)} (${r.protocol.duringHugeReparse.count} requests)` : '–'), within: (r) => (r.protocol?.duringHugeReparse ? r.protocol.duringHugeReparse.p95 <= 100 : undefined) },
];

function machine(): string[] {
  const cpus = os.cpus();
  return [
    `machine: ${cpus[0]?.model ?? 'unknown CPU'}, ${typeof os.availableParallelism === 'function' ? os.availableParallelism() : cpus.length} cores, ${(os.totalmem() / 1024 ** 3).toFixed(0)} GB, ${os.platform()} ${os.release()}`,
    `node ${process.version}; load average at start ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`,
  ];
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  snapshotCode();
  const header = machine();
  const results: SizeResult[] = [];
  for (const size of args.sizes) results.push(await measure(size, args));
  const lines: string[] = [...header, `load average at end ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`, ''];
  const columns = results.map((r) => `${r.size}`);
  lines.push(`| measure | budget | ${columns.join(' | ')} |`, `| --- | --- | ${columns.map(() => '---').join(' | ')} |`);
  for (const row of ROWS) {
    const cells = results.map((r) => {
      let cell: string;
      try {
        cell = row.cell(r);
      } catch {
        cell = '–';
      }
      const within = row.within?.(r);
      return within === undefined ? cell : `${cell} ${within ? '✓' : '✗ over budget'}`;
    });
    lines.push(`| ${row.label} | ${row.budget} | ${cells.join(' | ')} |`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  if (args.out) fs.writeFileSync(args.out, JSON.stringify({ header, results }, null, 2));
}

main().catch((error) => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exit(1);
});
