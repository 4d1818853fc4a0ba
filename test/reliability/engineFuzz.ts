import fc from 'fast-check';
import * as path from 'node:path';
import { loadSchema, type Schema } from '../../server/src/schema/schema';
import { exampleFiles, seeds, type Seed } from './corpus';
import { FUZZ_ROOT, freshSet, runCase, textsOf, type Texts } from './harness';
import { applyMutations, mutationArb, settingsMutationArb, vocabularyOf, type Mutation } from './mutate';

export interface EngineFuzzCase {
  seed: number;
  mutations: Mutation[];
  picks: number[];
}

export interface EngineFuzz {
  schema: Schema;
  seeds: Seed[];
  arbitrary: fc.Arbitrary<EngineFuzzCase>;
  /** Runs one case; throws (InvariantError or the engine's own exception) when an invariant breaks. */
  run(input: EngineFuzzCase): void;
  /** The mutated text of a case (for reports and regression tests). */
  textOf(input: EngineFuzzCase): string;
}

/**
 * The engine fuzzer: mutates one file of the bundled example set (or drops a vendor doc example into it) and checks
 * the invariants of `runCase`. `scale` bounds the sizes of huge values and nesting per case.
 */
export function engineFuzz(options: { includeDocExamples?: boolean; scale?: { huge: number; depth: number; times: number } } = {}): EngineFuzz {
  const schema = loadSchema();
  const all = seeds(options.includeDocExamples);
  const base: Texts = textsOf(exampleFiles());
  const live = freshSet(schema, base);
  const liveBaseline = JSON.stringify(
    live.diagnoseAll().map((d) => ({ file: d.file, span: d.span, severity: d.severity, code: d.code, message: d.message, related: d.related, fix: d.fix })),
  );
  const vocabulary = vocabularyOf(all.map((s) => s.text));
  const xml = mutationArb(vocabulary, options.scale);
  const settings = settingsMutationArb(vocabulary);
  const examplesXml = all.map((s, i) => (s.kind === 'xml' && s.name.startsWith('examples/') ? i : -1)).filter((i) => i >= 0);
  const settingsSeeds = all.map((s, i) => (s.kind === 'settings' ? i : -1)).filter((i) => i >= 0);
  const docs = all.map((s, i) => (s.name.startsWith('doc-examples/') ? i : -1)).filter((i) => i >= 0);
  const pick = (list: number[]) => fc.integer({ min: 0, max: list.length - 1 }).map((i) => list[i]);
  const seedArb = fc.oneof(
    { weight: 4, arbitrary: pick(examplesXml) },
    { weight: 2, arbitrary: pick(settingsSeeds) },
    ...(docs.length > 0 ? [{ weight: 4, arbitrary: pick(docs) }] : []),
  );
  // Both lists are drawn and the one that fits the seed is used (cheaper than fc.chain, and shrinks as well).
  const arbitrary = fc
    .record({
      seed: seedArb,
      xmlMutations: fc.array(xml, { minLength: 1, maxLength: 6 }),
      settingsMutations: fc.array(settings, { minLength: 1, maxLength: 6 }),
      picks: fc.array(fc.nat(), { minLength: 1, maxLength: 5 }),
    })
    .map(({ seed, xmlMutations, settingsMutations, picks }) => ({ seed, mutations: all[seed].kind === 'settings' ? settingsMutations : xmlMutations, picks }));
  const textOf = (input: EngineFuzzCase) => applyMutations(all[input.seed].text, input.mutations);
  return {
    schema,
    seeds: all,
    arbitrary,
    textOf,
    run(input) {
      const seed = all[input.seed];
      const target = path.join(FUZZ_ROOT, seed.relative);
      runCase(schema, live, liveBaseline, base, target, textOf(input), input.picks);
    },
  };
}
