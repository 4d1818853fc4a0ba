import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';

// A smoke run of the benchmark harness (`npm run bench -- --quick`, a 0.4 MB tree): every row of the table gets a
// figure, measured through the engine and through the server over stdio. The budgets themselves are checked by
// `npm run bench` on full-size trees (docs/performance.md), not here.
const ROOT = path.resolve(__dirname, '../../..');

describe('benchmark harness', () => {
  it('a quick run prints the whole table, with a figure in every row, and writes its results', () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ucf-bench-')), 'results.json');
    const run = spawnSync(process.execPath, [path.join(ROOT, 'out/bench/run.js'), '--quick', '--out', out], { cwd: ROOT, encoding: 'utf8', timeout: 300_000 });
    assert.equal(run.status, 0, run.stderr);
    const rows = run.stdout.split('\n').filter((line) => line.startsWith('| ') && !line.startsWith('| measure') && !line.startsWith('| ---'));
    assert.ok(rows.length >= 18, run.stdout);
    for (const row of rows) {
      const cells = row.split(' | ');
      assert.match(cells[cells.length - 1], /\d/, `no figure in: ${row}`);
    }
    assert.match(run.stdout, /^machine: .*cores/m);
    assert.match(run.stdout, /^node v\d+/m);
    const results = JSON.parse(fs.readFileSync(out, 'utf8')) as { results: { tree: { files: number }; cold: { indexMs: number; diagnostics: number }; protocol: { completion: { p95: number } } }[] };
    const [tiny] = results.results;
    assert.ok(tiny.tree.files > 10 && tiny.cold.indexMs > 0 && tiny.cold.diagnostics > 0 && tiny.protocol.completion.p95 > 0, JSON.stringify(tiny).slice(0, 500));
    fs.rmSync(path.dirname(out), { recursive: true, force: true });
  });
});
