// The long fuzz run (`npm run fuzz`): the engine fuzzer of test/reliability on worker processes, then the language
// server over stdio. Prints the inputs tried and every finding; writes them to out/fuzz/ (summary.json and
// findings.jsonl, one failing input per line, reproducible with `node scripts/fuzz.mjs --replay LINE`).
//
//   node scripts/fuzz.mjs [--inputs 100000] [--workers N] [--seed S] [--server-rounds 400] [--batch 250]
//
// Needs the compiled tests (`npm run fuzz` builds them). A worker that reports nothing for --hang-ms (default 120 s)
// is killed and its input recorded as a hang; each input must also finish within the engine bound (10 s).
import { fork } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUT = path.join(ROOT, 'out', 'fuzz');
const RELIABILITY = path.join(ROOT, 'out', 'test', 'reliability');

const args = parseArgs(process.argv.slice(2));

if (args.worker) await worker();
else if (args.replay) replay(args.replay);
else await main();

function parseArgs(argv) {
  const options = { inputs: 100_000, workers: Math.max(1, (os.availableParallelism?.() ?? os.cpus().length)), seed: Date.now() % 2 ** 31, serverRounds: 400, batch: 250, hangMs: 120_000 };
  for (let i = 0; i < argv.length; i++) {
    const [key, value] = [argv[i], argv[i + 1]];
    if (key === '--worker') options.worker = true;
    else if (key === '--replay') (options.replay = value), i++;
    else if (key === '--inputs') (options.inputs = Number(value)), i++;
    else if (key === '--workers') (options.workers = Number(value)), i++;
    else if (key === '--seed') (options.seed = Number(value)), i++;
    else if (key === '--server-rounds') (options.serverRounds = Number(value)), i++;
    else if (key === '--batch') (options.batch = Number(value)), i++;
    else if (key === '--hang-ms') (options.hangMs = Number(value)), i++;
    else if (key === '--no-doc-examples') options.noDocExamples = true;
    else throw new Error(`unknown option ${key}`);
  }
  return options;
}

/** A finding's kind, without the numbers that vary between inputs (offsets, lengths, timings). */
function signature(message) {
  return String(message).split('\n')[0].replace(/\d+/g, 'N').slice(0, 200);
}

async function main() {
  if (!fs.existsSync(path.join(RELIABILITY, 'engineFuzz.js'))) throw new Error('compile first: npm run fuzz (or tsc -p .)');
  fs.mkdirSync(OUT, { recursive: true });
  const findingsFile = path.join(OUT, 'findings.jsonl');
  fs.writeFileSync(findingsFile, '');
  const { docExamplesAvailable } = require(path.join(RELIABILITY, 'corpus.js'));
  const withDocs = !args.noDocExamples && docExamplesAvailable();
  const started = Date.now();
  const summary = {
    started: new Date(started).toISOString(),
    seed: args.seed,
    workers: args.workers,
    docExamples: withDocs,
    engine: { inputs: 0, bySeed: {}, byMutation: {}, maxCaseMs: 0, findings: {} },
    server: undefined,
  };
  console.log(`engine: ${args.inputs} inputs on ${args.workers} workers, seed ${args.seed}${withDocs ? ', with ../shared/doc-examples' : ', examples/ only'}`);

  const perWorker = Math.ceil(args.inputs / args.workers);
  let nextSeed = args.seed;
  const record = (finding) => {
    fs.appendFileSync(findingsFile, `${JSON.stringify(finding)}\n`);
    const key = signature(finding.message);
    const known = (summary.engine.findings[key] ??= { count: 0, example: finding.input, message: String(finding.message).slice(0, 1500) });
    known.count++;
    if (known.count === 1) console.log(`\nFINDING ${key}\n  ${String(finding.message).split('\n').slice(0, 3).join('\n  ')}\n  input: ${JSON.stringify(finding.input).slice(0, 600)}`);
  };
  const runWorker = (quota) =>
    new Promise((resolve) => {
      let left = quota;
      const start = () => {
        if (left <= 0) return resolve();
        const child = fork(fileURLToPath(import.meta.url), ['--worker'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: ['--max-old-space-size=3072'] });
        let current;
        let watchdog;
        const arm = () => {
          clearTimeout(watchdog);
          watchdog = setTimeout(() => {
            record({ kind: 'hang', message: `no answer for ${args.hangMs} ms (killed)`, input: current });
            left -= 1;
            child.kill('SIGKILL');
          }, args.hangMs);
        };
        child.on('message', (message) => {
          arm();
          if (message.type === 'case') current = message.input;
          else if (message.type === 'done') {
            left -= message.runs;
            summary.engine.inputs += message.runs;
            for (const [k, v] of Object.entries(message.bySeed)) summary.engine.bySeed[k] = (summary.engine.bySeed[k] ?? 0) + v;
            for (const [k, v] of Object.entries(message.byMutation)) summary.engine.byMutation[k] = (summary.engine.byMutation[k] ?? 0) + v;
            summary.engine.maxCaseMs = Math.max(summary.engine.maxCaseMs, message.maxCaseMs);
            if (message.finding) record({ kind: 'failure', ...message.finding });
            process.stdout.write(`\rengine: ${summary.engine.inputs}/${args.inputs} inputs, ${Object.keys(summary.engine.findings).length} distinct findings, ${Math.round((Date.now() - started) / 1000)} s   `);
            if (left > 0) child.send({ seed: nextSeed++, runs: Math.min(args.batch, left), docs: withDocs });
            else child.kill();
          }
        });
        child.on('exit', (code, signal) => {
          clearTimeout(watchdog);
          if (signal !== 'SIGKILL' && signal !== 'SIGTERM' && code !== 0 && code !== null) record({ kind: 'crash', message: `worker exited with code ${code}`, input: current });
          start(); // a new worker for what is left (after a hang or a crash)
        });
        arm();
        child.send({ seed: nextSeed++, runs: Math.min(args.batch, left), docs: withDocs });
      };
      start();
    });
  await Promise.all(Array.from({ length: args.workers }, () => runWorker(perWorker)));
  summary.engine.seconds = Math.round((Date.now() - started) / 1000);
  console.log(`\nengine: ${summary.engine.inputs} inputs in ${summary.engine.seconds} s, slowest input ${summary.engine.maxCaseMs} ms`);

  if (args.serverRounds > 0) {
    const { fuzzServer } = require(path.join(RELIABILITY, 'serverFuzz.js'));
    const serverStarted = Date.now();
    const report = await fuzzServer(args.serverRounds, args.seed, (done) => process.stdout.write(`\rserver: ${done}/${args.serverRounds} rounds   `));
    summary.server = { ...report, seconds: Math.round((Date.now() - serverStarted) / 1000) };
    console.log(`\nserver: ${report.rounds} rounds, ${report.requests} requests, ${report.failures.length + report.logged.length + report.outside.length + (report.exited ? 1 : 0)} problems`);
    for (const problem of [...report.failures, ...report.logged, ...report.outside, ...(report.exited ? [report.exited] : [])]) console.log(`  ${problem.slice(0, 400)}`);
  }
  if (args.serverRounds > 0) {
    const { extremeDocuments } = require(path.join(RELIABILITY, 'serverFuzz.js'));
    const report = await extremeDocuments(5_000_000);
    summary.extreme = report;
    console.log(`extreme documents (5 MB line, 10,000-deep, 1.2 MB value): ${report.requests} requests, first answers ${report.firstAnswerMs.join(', ')} ms, ${report.failures.length + report.logged.length + (report.exited ? 1 : 0)} problems`);
    for (const problem of [...report.failures, ...report.logged, ...(report.exited ? [report.exited] : [])]) console.log(`  ${problem.slice(0, 400)}`);
  }
  summary.finished = new Date().toISOString();
  fs.writeFileSync(path.join(OUT, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  const distinct = Object.keys(summary.engine.findings).length;
  console.log(`\n${summary.engine.inputs} engine inputs, ${summary.server?.requests ?? 0} server requests; ${distinct} distinct engine findings (out/fuzz/findings.jsonl, out/fuzz/summary.json)`);
  const serverProblems = [summary.server, summary.extreme].some((r) => r && (r.failures.length || r.logged.length || r.outside.length || r.exited));
  process.exitCode = distinct > 0 || serverProblems ? 1 : 0;
}

async function worker() {
  const fc = require('fast-check');
  const { engineFuzz } = require(path.join(RELIABILITY, 'engineFuzz.js'));
  const fuzzers = new Map();
  process.on('message', ({ seed, runs, docs }) => {
    const fuzz = fuzzers.get(docs) ?? fuzzers.set(docs, engineFuzz({ includeDocExamples: docs })).get(docs);
    const bySeed = {};
    const byMutation = {};
    let maxCaseMs = 0;
    const details = fc.check(
      fc.property(fuzz.arbitrary, (input) => {
        process.send({ type: 'case', input });
        const started = Date.now();
        fuzz.run(input);
        maxCaseMs = Math.max(maxCaseMs, Date.now() - started);
      }),
      // No shrinking: a slow input shrinks for hours on a loaded machine. Findings are reduced by hand (--replay).
      { numRuns: runs, seed, endOnFailure: true },
    );
    // Count what was tried (the shrinking runs are not counted as inputs).
    for (const input of fc.sample(fuzz.arbitrary, { numRuns: details.numRuns, seed })) {
      const kind = fuzz.seeds[input.seed].name.startsWith('doc-examples/') ? 'doc-examples' : fuzz.seeds[input.seed].name;
      bySeed[kind] = (bySeed[kind] ?? 0) + 1;
      for (const m of input.mutations) byMutation[m.op] = (byMutation[m.op] ?? 0) + 1;
    }
    const finding = details.failed
      ? { message: details.errorInstance?.message ?? String(details.error), input: details.counterexample?.[0], seed, shrinks: details.numShrinks }
      : undefined;
    process.send({ type: 'done', runs: details.numRuns, bySeed, byMutation, maxCaseMs, finding });
  });
}

function replay(line) {
  const fc = require('fast-check');
  const { engineFuzz } = require(path.join(RELIABILITY, 'engineFuzz.js'));
  const finding = JSON.parse(line);
  const fuzz = engineFuzz({ includeDocExamples: true });
  const input = finding.input ?? finding;
  console.log(`seed file: ${fuzz.seeds[input.seed].name}; mutated text: ${fuzz.textOf(input).length} characters`);
  const started = Date.now();
  try {
    fuzz.run(input);
    console.log(`passes now (${Date.now() - started} ms)`);
  } catch (error) {
    console.log(`fails (${Date.now() - started} ms): ${error.message}`);
    process.exitCode = 1;
  }
  void fc;
}
