import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { extremeDocuments, fuzzServer } from './serverFuzz';
import { REQUEST_BOUND_MS } from './serverProcess';

// The short server run of `npm test` (fixed seed; FUZZ_SEED and FUZZ_SERVER_ROUNDS change it). `npm run fuzz` runs
// more rounds with fresh seeds.
const SEED = Number(process.env.FUZZ_SEED ?? 20261122);
const ROUNDS = Number(process.env.FUZZ_SERVER_ROUNDS ?? 12);

describe('fuzzing the language server over stdio (short run)', () => {
  it(`mutated documents, every request at random positions: answers within ${REQUEST_BOUND_MS / 1000} s, no internal error, diagnostics inside (${ROUNDS} rounds)`, async () => {
    const report = await fuzzServer(ROUNDS, SEED);
    assert.equal(report.exited, undefined, 'the server process ended');
    assert.deepEqual(report.failures, [], 'requests that failed');
    assert.deepEqual(report.logged, [], 'errors logged by the server');
    assert.deepEqual(report.outside, [], 'diagnostics outside their document');
    assert.equal(report.rounds, ROUNDS);
    assert.ok(report.requests > ROUNDS * 30, `${report.requests} requests`);
  });
});

describe('extreme documents over stdio', () => {
  it('a 1.2 MB single line (5 MB in npm run fuzz), 10,000-deep nesting and a 2 MB attribute value, opened and changed: every request answers within the bound', async () => {
    const report = await extremeDocuments(Number(process.env.FUZZ_EXTREME_BYTES ?? 1_200_000));
    assert.deepEqual(report.failures, []);
    assert.deepEqual(report.logged, []);
    assert.equal(report.exited, undefined);
  });
});
