import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { loadSchema } from '../../server/src/schema/schema';
import { decodeBytes } from '../../server/src/syntax/text';
import { docExamplesSkip, exampleFiles, NS } from './corpus';
import { engineFuzz } from './engineFuzz';
import { CASE_BOUND_MS, exercise, freshSet, FUZZ_ROOT, SETTINGS, textsOf } from './harness';

// The short fuzz run of `npm test`: a fixed seed, so CI sees the same inputs every time (FUZZ_SEED and FUZZ_RUNS
// change them). `npm run fuzz` is the long run with fresh seeds (docs/reliability.md).
const SEED = Number(process.env.FUZZ_SEED ?? 20261122);
const RUNS = Number(process.env.FUZZ_RUNS ?? 60);

const schema = loadSchema();
const JOBS = path.join(FUZZ_ROOT, 'Conf/Jobs.xml');

/** Exercises every feature on one replaced file and checks the time bound. */
function survive(target: string, text: string, offsets: number[]): void {
  const texts = textsOf(exampleFiles());
  texts.set(target, text);
  const started = Date.now();
  exercise(freshSet(schema, texts), texts, target, offsets);
  const elapsed = Date.now() - started;
  assert.ok(elapsed < CASE_BOUND_MS, `${elapsed} ms for a text of ${text.length} characters`);
}

describe('fuzzing the engine (short run)', () => {
  it(`mutated examples/ files: nothing throws, ranges stay inside, answers are deterministic and timely (${RUNS} inputs, seed ${SEED})`, () => {
    const fuzz = engineFuzz({ includeDocExamples: false });
    fc.assert(
      fc.property(fuzz.arbitrary, (input) => fuzz.run(input)),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
  });

  it(`mutated vendor doc examples (../shared/doc-examples), dropped into the example set (${Math.ceil(RUNS / 2)} inputs)`, { skip: docExamplesSkip() }, () => {
    const fuzz = engineFuzz({ includeDocExamples: true });
    fc.assert(
      fc.property(fuzz.arbitrary, (input) => fuzz.run(input)),
      { numRuns: Math.ceil(RUNS / 2), seed: SEED + 1, endOnFailure: true },
    );
  });

  it('random JSON as the agent settings, and random values at the paths the engine reads', () => {
    const base = exampleFiles()['appsettings.agent.json'];
    const settingsLike = fc.record({
      OpenId: fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.record({ OpenIdClients: fc.jsonValue({ maxDepth: 2 }), AgentIdentifier: fc.jsonValue({ maxDepth: 1 }), DefaultOpenIdClient: fc.jsonValue({ maxDepth: 1 }) })),
      Connections: fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.dictionary(fc.constantFrom('ADExport', 'HRPeople', 'ADFulfillment', '', 'x'), fc.jsonValue({ maxDepth: 2 }))),
    });
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue().map((v) => JSON.stringify(v) ?? ''), settingsLike.map((v) => JSON.stringify(v, null, 2)), fc.string()), fc.nat(), (text, pick) => {
        survive(SETTINGS, text, [0, pick % (text.length + 1), text.length]);
      }),
      { numRuns: 40, seed: SEED + 2, endOnFailure: true },
    );
    survive(SETTINGS, base.replace(/"/g, ''), [10, 100]);
  });

  it('invalid UTF-8 bytes are read as Windows-1252 and analysed', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(), (bytes, at) => {
        const original = Buffer.from(exampleFiles()['Conf/Jobs.xml'], 'utf8');
        const cut = at % original.length;
        const text = decodeBytes(Buffer.concat([original.subarray(0, cut), bytes, original.subarray(cut)])).text;
        survive(JOBS, text, [cut, text.length]);
      }),
      { numRuns: 15, seed: SEED + 3, endOnFailure: true },
    );
  });
});

describe('extreme inputs', () => {
  const open = `<?xml version="1.0" encoding="utf-8"?>\n<ConfigurationFile xmlns="${NS}">\n`;

  it('10,000-deep nesting (known and unknown elements, closed and not) and 100,000-deep', () => {
    for (const [name, depth, closed] of [['Job', 10_000, true], ['Job', 10_000, false], ['X', 10_000, true], ['EntityType', 10_000, false], ['X', 100_000, true]] as const) {
      const text = `${open}${`<${name} Identifier="N">`.repeat(depth)}${closed ? `</${name}>`.repeat(depth) : ''}</ConfigurationFile>`;
      survive(JOBS, text, [open.length + 5, text.length >> 1, text.length - 20, text.length]);
    }
  });

  it('a 5 MB single line (a minified configuration)', () => {
    // AD.xml on one line, copied with the names it declares suffixed per copy (so that they stay unique and resolve).
    const body = exampleFiles()['Conf/AD.xml'].replace(/^[\s\S]*?<ConfigurationFile[^>]*>|<\/ConfigurationFile>\s*$/g, '').replace(/\r?\n\s*/g, ' ');
    const declared = new Set([...body.matchAll(/Identifier="(\w+)"/g)].map((m) => m[1]));
    const copies: string[] = [];
    for (let i = 0, length = 0; length < 5_000_000; i++, length += body.length + 40) copies.push(body.replace(/"(\w+)"/g, (quoted, name: string) => (declared.has(name) ? `"${name}_${i}"` : quoted)));
    const text = `<ConfigurationFile xmlns="${NS}">${copies.join('')}</ConfigurationFile>`;
    assert.ok(text.length >= 5_000_000 && !text.includes('\n'));
    survive(JOBS, text, [100, text.length >> 1, text.length - 30]);
  });

  it('huge attribute values (5 MB), with and without their closing quote, in XML and in the agent settings', () => {
    const value = 'Directory_User:MainRecord.'.repeat(200_000);
    for (const text of [`${open}<EntityType Identifier="${value}" DisplayName_L1="x"/></ConfigurationFile>`, `${open}<ScalarRule Binding="${value}`, `${open}<Job Identifier=${value}`]) {
      survive(JOBS, text, [open.length + 30, text.length >> 1, text.length - 1, text.length]);
    }
    survive(SETTINGS, `{ "Connections": { "ADExport": { "Password": "${value}" } } }`, [30, 2_500_000]);
  });

  it('the same input gives the same output (two fresh sets over a mutated example)', () => {
    const fuzz = engineFuzz({ includeDocExamples: false });
    const [input] = fc.sample(fuzz.arbitrary, { numRuns: 1, seed: SEED + 4 });
    const text = fuzz.textOf(input);
    const texts = textsOf(exampleFiles());
    texts.set(path.join(FUZZ_ROOT, fuzz.seeds[input.seed].relative), text);
    const target = path.join(FUZZ_ROOT, fuzz.seeds[input.seed].relative);
    const a = JSON.stringify(exercise(freshSet(schema, texts), texts, target, [0, text.length >> 1]));
    const b = JSON.stringify(exercise(freshSet(schema, texts), texts, target, [0, text.length >> 1]));
    assert.equal(a, b);
  });
});
