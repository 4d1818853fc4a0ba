import * as path from 'node:path';
import type { Diagnostic } from '../../server/src/checks/diagnostic';
import { ConfigurationSet } from '../../server/src/engine/configurationSet';
import { codeActions } from '../../server/src/features/codeActions';
import { complete } from '../../server/src/features/completion';
import { DEFAULT_DOCS_BASE } from '../../server/src/features/docs';
import { hover } from '../../server/src/features/hover';
import { findDefinition, findReferences, prepareRename, rename } from '../../server/src/features/navigation';
import { documentSymbols, workspaceSymbols, type OutlineSymbol } from '../../server/src/features/outline';
import { semanticTokens } from '../../server/src/features/semanticTokens';
import { completeSettings } from '../../server/src/features/settingsCompletion';
import type { Schema } from '../../server/src/schema/schema';
import type { Span } from '../../server/src/syntax/lineIndex';
import { parseXml } from '../../server/src/syntax/parse';

/** A configuration set held in memory: absolute path → text. */
export type Texts = Map<string, string>;

export const FUZZ_ROOT = path.resolve('/fuzz-workspace');
const CONF = path.join(FUZZ_ROOT, 'Conf');
export const SETTINGS = path.join(FUZZ_ROOT, 'appsettings.agent.json');

/**
 * Every request a case makes must answer within this. It catches hangs and runaway (quadratic) work, not speed:
 * a loaded 2-core CI machine must never trip it. Speed is measured by `npm run bench`, not by tests.
 */
export const CASE_BOUND_MS = 60_000;

export class InvariantError extends Error {}

/** Builds texts from paths relative to the fuzz workspace (as in examples/). */
export function textsOf(relativeFiles: Record<string, string>): Texts {
  return new Map(Object.entries(relativeFiles).map(([relative, text]) => [path.join(FUZZ_ROOT, relative), text]));
}

/** A fresh set over the texts, files added in path order (XML files, then the agent settings). */
export function freshSet(schema: Schema, texts: Texts): ConfigurationSet {
  const files = [...texts.keys()].filter((f) => f !== SETTINGS).sort();
  const set = new ConfigurationSet({ root: CONF, files, modules: [], moduleFiles: [], appsettings: texts.has(SETTINGS) ? SETTINGS : undefined, extraAppsettings: [] }, schema);
  for (const file of files) set.updateFile(file, texts.get(file)!, false);
  if (texts.has(SETTINGS)) set.updateSettings(SETTINGS, texts.get(SETTINGS)!, false);
  return set;
}

/** What one case produced, as plain data: compared between runs for determinism. */
export interface Outcome {
  diagnostics: unknown[];
  features: unknown[];
}

/**
 * Runs everything the editor can ask about `target` (the file that was mutated) at `offsets`, as the language server
 * does, and checks the invariants: nothing throws, every range lies inside its file's text. Returns the results.
 */
export function exercise(set: ConfigurationSet, texts: Texts, target: string, offsets: readonly number[], renameTo = 'Fuzz_Renamed'): Outcome {
  const check = new RangeCheck(texts);
  const step = <T>(what: string, run: () => T): T => {
    try {
      return run();
    } catch (error) {
      if (error instanceof InvariantError) throw error;
      const e = error as Error;
      throw new InvariantError(`${what} threw ${e?.name}: ${e?.message}\n${e?.stack ?? ''}`);
    }
  };
  const diagnostics = step('diagnoseAll', () => set.diagnoseAll());
  diagnostics.forEach((d) => check.diagnostic(d, 'diagnoseAll'));
  const targetDiagnostics = step('diagnose', () => set.diagnose(target));
  targetDiagnostics.forEach((d) => check.diagnostic(d, 'diagnose'));
  const text = texts.get(target)!;
  const features: unknown[] = [];
  const symbols = step('documentSymbols', () => documentSymbols(set, target));
  const visit = (s: OutlineSymbol) => {
    check.span(target, s.span, 'documentSymbols');
    check.span(target, s.selection, 'documentSymbols selection');
    s.children.forEach(visit);
  };
  symbols.forEach(visit);
  features.push(symbols);
  const query = text.slice(offsets[0] ?? 0, (offsets[0] ?? 0) + 3).replace(/[^\w]/g, '');
  const workspace = step('workspaceSymbols', () => workspaceSymbols([set], query));
  workspace.forEach((s) => check.span(s.file, s.span, 'workspaceSymbols'));
  features.push(workspace.map((s) => ({ ...s })));
  const actions = step('codeActions', () => codeActions(set, targetDiagnostics, (f) => texts.get(f)));
  for (const action of actions) action.edits.forEach((e) => check.span(e.file, e.span, `codeAction '${action.title}'`));
  features.push(actions.map((a) => ({ title: a.title, edits: a.edits, code: a.diagnostic.code })));
  const tokens = step('semanticTokens', () => semanticTokens(set, target));
  tokens.forEach((t) => check.span(target, t.span, `semantic token ${t.type}`));
  features.push(tokens);
  const isSettings = set.settingsFile()?.path === target;
  // As the language server does: the settings file has its own completion; other files are parsed if need be.
  const parsed = isSettings ? undefined : set.file(target)?.doc ?? step('parseXml', () => parseXml(text));
  for (const offset of offsets) {
    const at = `at offset ${offset}`;
    const entries = step(`complete ${at}`, () => (parsed ? complete(set, target, text, parsed, offset) : completeSettings(set, text, offset)));
    entries.forEach((e) => check.span(target, e.replace, `completion '${e.label}' ${at}`));
    const hovered = step(`hover ${at}`, () => hover(set, target, offset, DEFAULT_DOCS_BASE));
    if (hovered) check.span(target, hovered.span, `hover ${at}`);
    const definitions = step(`findDefinition ${at}`, () => findDefinition(set, target, offset));
    definitions.forEach((t) => check.span(t.file, t.span, `definition ${at}`));
    const references = step(`findReferences ${at}`, () => findReferences(set, target, offset, true));
    references.forEach((t) => check.span(t.file, t.span, `references ${at}`));
    const prepared = step(`prepareRename ${at}`, () => prepareRename(set, target, offset));
    if ('span' in prepared) check.span(target, prepared.span, `prepareRename ${at}`);
    const renamed = step(`rename ${at}`, () => rename(set, target, offset, renameTo));
    if (Array.isArray(renamed)) renamed.forEach((e) => check.span(e.file, e.span, `rename ${at}`));
    features.push({ offset, entries, hovered, definitions, references, prepared, renamed });
  }
  return { diagnostics: diagnostics.map(plainDiagnostic), features };
}

function plainDiagnostic(d: Diagnostic): unknown {
  return { file: d.file, span: d.span, severity: d.severity, code: d.code, message: d.message, related: d.related, fix: d.fix };
}

class RangeCheck {
  constructor(private readonly texts: Texts) {}

  span(file: string, span: Span | undefined, what: string): void {
    const text = this.texts.get(file);
    if (text === undefined) throw new InvariantError(`${what}: points into ${file}, which is not a file of the set`);
    if (!span || !Number.isInteger(span.start) || !Number.isInteger(span.end) || span.start < 0 || span.start > span.end || span.end > text.length) {
      throw new InvariantError(`${what}: range ${JSON.stringify(span)} is not inside ${path.basename(file)} (length ${text.length})`);
    }
  }

  diagnostic(d: Diagnostic, what: string): void {
    const where = `${what} ${d.code} "${d.message}"`;
    this.span(d.file, d.span, where);
    for (const related of d.related ?? []) this.span(related.file, related.span, `${where} (related)`);
    if (typeof d.message !== 'string' || d.message === '' || typeof d.code !== 'string' || !['error', 'warning', 'information', 'hint'].includes(d.severity)) {
      throw new InvariantError(`${where}: malformed diagnostic ${JSON.stringify(d)}`);
    }
  }
}

/** Offsets worth asking about: the given ones (modulo the length), both ends, and just after XML/binding punctuation. */
export function interestingOffsets(text: string, picks: readonly number[]): number[] {
  const offsets = new Set<number>([0, text.length]);
  for (const pick of picks) {
    const at = pick % (text.length + 1);
    offsets.add(at);
    const punctuation = /[<"'.:= ]/g;
    punctuation.lastIndex = at;
    const next = punctuation.exec(text);
    if (next) offsets.add(next.index + 1);
  }
  return [...offsets].sort((a, b) => a - b);
}

/** A digest of an outcome, for comparison. */
export function digest(outcome: Outcome): string {
  return JSON.stringify(outcome);
}

/**
 * One fuzz case: `texts` is the base set, `target` gets `mutated`. Checks that a fresh set and the long-lived `live`
 * set (updated incrementally, then restored) give the same answers, that the restored set answers as before, and
 * that the whole case stays within the time bound.
 */
export function runCase(schema: Schema, live: ConfigurationSet, liveBaseline: string, base: Texts, target: string, mutated: string, picks: readonly number[]): void {
  const started = Date.now();
  const texts: Texts = new Map(base);
  texts.set(target, mutated);
  const offsets = interestingOffsets(mutated, picks);
  const isSettings = target === SETTINGS;
  const fresh = exercise(freshSet(schema, texts), texts, target, offsets);

  const wasPresent = base.has(target);
  if (isSettings) live.updateSettings(target, mutated, false);
  else live.updateFile(target, mutated, false);
  const incremental = exercise(live, texts, target, offsets);
  if (wasPresent) {
    if (isSettings) live.updateSettings(target, base.get(target)!, false);
    else live.updateFile(target, base.get(target)!, false);
  } else live.removeFile(target);

  const again = exercise(freshSet(schema, texts), texts, target, offsets);
  const a = digest(fresh);
  const b = digest(again);
  if (a !== b) throw new InvariantError(`not deterministic: two fresh sets over the same texts answer differently\n${firstDifference(a, b)}`);
  // A long-lived set may list things in another order than a fresh one (its history orders its files; editors sort
  // locations anyway); the content may not differ.
  if (digest(incremental) !== a) {
    const c = canonical(fresh);
    const d = canonical(incremental);
    if (c !== d) throw new InvariantError(`not deterministic: a fresh set and a set updated to the same texts answer differently\n${firstDifference(c, d)}`);
  }
  const restored = JSON.stringify(live.diagnoseAll().map(plainDiagnostic));
  if (restored !== liveBaseline) throw new InvariantError(`not deterministic: after restoring ${path.basename(target)} the set answers differently than before\n${firstDifference(liveBaseline, restored)}`);
  const elapsed = Date.now() - started;
  if (elapsed > CASE_BOUND_MS) throw new InvariantError(`too slow: the case took ${elapsed} ms (bound ${CASE_BOUND_MS} ms, text length ${mutated.length})`);
}

/** A digest where every list is sorted, so that only content counts. Built bottom-up: linear in the output size. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).sort().join(',')}]`;
  if (value && typeof value === 'object') return `{${Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  return JSON.stringify(value) ?? 'undefined';
}

export function firstDifference(a: string, b: string): string {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return `first difference at ${i}:\n  ${a.slice(Math.max(0, i - 200), i + 200)}\n  ${b.slice(Math.max(0, i - 200), i + 200)}`;
}
