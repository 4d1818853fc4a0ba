import type { Span } from '../syntax/lineIndex';
import { attributeValue } from '../syntax/model';
import type { ContextSpec } from '../schema/types';
import type { BindingUse, Declaration, LocalContext } from './fileModel';
import type { SetIndex } from './setIndex';

/** One `.`-separated step of a binding: an optional `Type:` re-anchor and a property name. */
export interface BindingSegment {
  type?: { name: string; span: Span };
  property: { name: string; span: Span };
}

export interface ResolvedStep {
  kind: 'EntityType' | 'EntityType.Property';
  name: string;
  /** For properties: the owning entity type. */
  owner?: string;
  span: Span;
  /** Declarations found (empty for built-ins). */
  decls: readonly Declaration[];
}

export interface BindingFailure {
  span: Span;
  message: string;
  /** Candidate replacements for the failing segment. */
  replacements: string[];
  severity: 'error' | 'warning';
}

export interface BindingResolution {
  steps: ResolvedStep[];
  failure?: BindingFailure;
  /** The entity type the path ends on, when known. */
  endType?: string;
}

const IDENT = '[A-Za-z_][\\w-]*';
const SEGMENT = new RegExp(`^(?:(${IDENT}):)?(${IDENT})$`);
const EXPRESSION_PREFIX = /^\s*(C#|Literal)\s*:/;
const PROPERTY_KIND = 'EntityType.Property';

/** Splits a binding into segments with their text ranges; undefined when the value is not a binding path. */
export function parseBinding(value: string, start: number, exactOffsets: boolean): BindingSegment[] | undefined {
  if (EXPRESSION_PREFIX.test(value)) return undefined;
  const parts = value.split('.');
  const segments: BindingSegment[] = [];
  let offset = 0;
  for (const part of parts) {
    const match = SEGMENT.exec(part);
    if (!match) return undefined;
    const spanOf = (from: number, length: number): Span =>
      exactOffsets ? { start: start + from, end: start + from + length } : { start, end: start + value.length };
    const typeName = match[1];
    const propertyOffset = offset + (typeName ? typeName.length + 1 : 0);
    segments.push({
      type: typeName ? { name: typeName, span: spanOf(offset, typeName.length) } : undefined,
      property: { name: match[2], span: spanOf(propertyOffset, match[2].length) },
    });
    offset += part.length + 1;
  }
  return segments;
}

/**
 * Resolves a binding segment by segment against the set's entity types, properties and associations.
 * Returns undefined when the binding cannot be checked (an expression, an unknown context, a value that is not a path).
 */
export function resolveBinding(use: BindingUse, index: SetIndex): BindingResolution | undefined {
  const segments = parseBinding(use.value, use.span.start, use.exactOffsets);
  if (!segments) return undefined;
  let current: string | undefined;
  let opaque = false; // inside a built-in type whose properties we do not know
  const steps: ResolvedStep[] = [];
  const first = segments[0];
  if (!first.type) {
    const start = contextType(use.contexts, index, use);
    if (start === undefined) {
      // A relative path with no known context: only a leading entity type name (Tile item form) can anchor it.
      if (!isEntityType(first.property.name, index)) return undefined;
    }
    current = start;
  }
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i];
    if (segment.type) {
      const typeName = segment.type.name;
      if (!isEntityType(typeName, index)) {
        if (use.spec.allowsExpression && i === 0) return undefined; // probably a function call: Function:args
        return {
          steps,
          failure: {
            span: segment.type.span,
            message: `Unknown entity type '${typeName}' in this binding.`,
            replacements: suggest(typeName, index.candidateNames('EntityType')),
            severity: 'error',
          },
        };
      }
      steps.push({ kind: 'EntityType', name: typeName, span: segment.type.span, decls: index.declarations('EntityType', typeName) });
      current = typeName;
      opaque = index.declarations('EntityType', typeName).length === 0;
    } else if (i === 0 && current !== undefined && !hasProperty(current, segment.property.name, index) && isEntityType(segment.property.name, index)) {
      // "Directory_User.MainRecord.FirstName": a relative form that names its entity type first.
      current = segment.property.name;
      steps.push({ kind: 'EntityType', name: current, span: segment.property.span, decls: index.declarations('EntityType', current) });
      continue;
    } else if (i === 0 && current === undefined) {
      current = segment.property.name;
      steps.push({ kind: 'EntityType', name: current, span: segment.property.span, decls: index.declarations('EntityType', current) });
      continue;
    }
    if (opaque || current === undefined) {
      current = undefined;
      continue;
    }
    const property = segment.property.name;
    const decls = index.declarations(PROPERTY_KIND, `${current}.${property}`);
    const builtin = isImplicitProperty(current, property, index);
    if (decls.length === 0 && !builtin && index.generated().uncertain(PROPERTY_KIND)) {
      current = undefined; // a scaffolding may generate it
      continue;
    }
    if (decls.length === 0 && !builtin) {
      return {
        steps,
        failure: {
          span: segment.property.span,
          message: `Entity type '${current}' has no property '${property}'.`,
          replacements: suggest(property, propertiesOf(current, index)),
          severity: 'error',
        },
      };
    }
    steps.push({ kind: 'EntityType.Property', name: property, owner: current, span: segment.property.span, decls });
    const next = segments[i + 1];
    if (!next) break;
    const navigation = index.navigation(current, property);
    if (navigation) {
      current = navigation.target;
      opaque = index.declarations('EntityType', current).length === 0;
    } else if (next.type) {
      current = undefined; // the next segment names its type
    } else if (builtin) {
      opaque = true;
    } else {
      return {
        steps,
        failure: {
          span: next.property.span,
          message: `'${current}:${property}' is not a navigation property (no EntityAssociation has it as Property1 or Property2), so the path cannot continue with '.${next.property.name}'.`,
          replacements: [],
          severity: 'warning',
        },
      };
    }
  }
  return { steps, endType: opaque ? undefined : current };
}

function isEntityType(name: string, index: SetIndex): boolean {
  return index.declarations('EntityType', name).length > 0 || index.isImplicit('EntityType', name);
}

function hasProperty(type: string, property: string, index: SetIndex): boolean {
  return index.declarations(PROPERTY_KIND, `${type}.${property}`).length > 0 || isImplicitProperty(type, property, index);
}

/** Built-in on every entity type (InternalDisplayName), or generated by a scaffolding ("Workflow_X.X"). */
function isImplicitProperty(type: string, property: string, index: SetIndex): boolean {
  return index.isBuiltin(PROPERTY_KIND, property) || index.generated().has(PROPERTY_KIND, `${type}.${property}`);
}

export function propertiesOf(type: string, index: SetIndex): string[] {
  return index.propertiesOf(type);
}

/** The entity type a relative binding starts from, following the schema's context specs. */
export function contextType(contexts: readonly LocalContext[], index: SetIndex, use?: BindingUse, depth = 0): string | undefined {
  for (const context of contexts) {
    const type = resolveContext(context.value, context.spec, index, use, depth);
    if (type) return type;
  }
  return undefined;
}

function resolveContext(value: string, spec: ContextSpec, index: SetIndex, use: BindingUse | undefined, depth: number): string | undefined {
  let name = value;
  if (spec.valueIsBinding) {
    if (depth > 3 || !use) return undefined;
    const inner: BindingUse = { ...use, value, contexts: [], spec: {} };
    name = resolveBinding(inner, index)?.endType ?? '';
    if (!name) return undefined;
  }
  if (spec.via) {
    const decl = index.declarations(spec.via.kind, name)[0];
    const target = decl ? attributeValue(decl.element, spec.via.attribute) : undefined;
    return target && isEntityType(target, index) ? target : undefined;
  }
  return isEntityType(name, index) ? name : undefined;
}

/** Near-miss candidates: same name ignoring case, or a small edit distance. */
export function suggest(name: string, candidates: Iterable<string>, max = 3): string[] {
  // Long candidate lists (every role of a large configuration) are asked again and again with the same names when a
  // file is re-checked: answers are remembered per list content.
  const memo = Array.isArray(candidates) && candidates.length >= MEMO_MIN ? memoFor(candidates) : undefined;
  const key = `${max}\u0000${name}`;
  const known = memo?.results.get(key);
  if (known) return known.slice();
  const result = computeSuggestions(name, candidates, max);
  if (memo) {
    if (memo.results.size >= MEMO_RESULTS) memo.results.clear();
    memo.results.set(key, result.slice());
  }
  return result;
}

const MEMO_MIN = 256;
const MEMO_LISTS = 8;
const MEMO_RESULTS = 4096;
const memos: { candidates: readonly string[]; results: Map<string, string[]> }[] = [];

/** The memo of a candidate list with exactly these elements (the same strings in the same order), made if needed. */
function memoFor(candidates: readonly string[]): (typeof memos)[number] {
  const n = candidates.length;
  for (let m = 0; m < memos.length; m++) {
    const other = memos[m].candidates;
    if (other.length !== n || other[0] !== candidates[0] || other[n - 1] !== candidates[n - 1] || other[n >> 1] !== candidates[n >> 1]) continue;
    let same = true;
    for (let i = 0; i < n && same; i++) same = other[i] === candidates[i];
    if (!same) continue;
    const memo = memos[m];
    memos.splice(m, 1);
    memos.unshift(memo);
    return memo;
  }
  const memo = { candidates: candidates.slice(), results: new Map<string, string[]>() };
  memos.unshift(memo);
  if (memos.length > MEMO_LISTS) memos.pop();
  return memo;
}

function computeSuggestions(name: string, candidates: Iterable<string>, max: number): string[] {
  const lower = name.toLowerCase();
  const scored: { candidate: string; score: number }[] = [];
  const limit = Math.max(1, Math.min(3, Math.floor(name.length / 3)));
  const counts = characterCounts(lower);
  for (const candidate of candidates) {
    if (candidate === name) continue;
    // A lower bound of the edit distance, cheap to rule out most names (0 when it cannot tell); names equal but for
    // case have a bound of 0, so nothing that would score is skipped.
    if (bagDistance(counts, candidate) > limit) continue;
    const candidateLower = candidate.toLowerCase();
    if (candidateLower === lower) {
      scored.push({ candidate, score: 0 });
      continue;
    }
    if (Math.abs(candidate.length - name.length) > limit) continue;
    const distance = editDistance(lower, candidateLower, limit);
    if (distance <= limit) scored.push({ candidate, score: distance });
  }
  return scored
    .sort((a, b) => a.score - b.score || a.candidate.localeCompare(b.candidate))
    .slice(0, max)
    .map((s) => s.candidate);
}

/** Occurrences of each character of an ASCII string (undefined when it has other characters). */
function characterCounts(text: string): Int32Array | undefined {
  const counts = new Int32Array(128);
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 128 || code === 0) return undefined;
    counts[code]++;
  }
  return counts;
}

/** The name's counts, less the characters the candidate being measured took (given back after each candidate). */
const scratch = new Int32Array(128);
let loaded: Int32Array | undefined;
const totals = new WeakMap<Int32Array, number>();

/**
 * max(characters of a missing from b, characters of b missing from a), ignoring ASCII case: never more than the edit
 * distance (with transpositions) of the lowercased names, so a candidate above the limit can be skipped. 0 when it
 * cannot tell (non-ASCII).
 */
function bagDistance(counts: Int32Array | undefined, candidate: string): number {
  if (!counts) return 0;
  if (loaded !== counts) {
    scratch.set(counts);
    loaded = counts;
  }
  const length = candidate.length;
  let extra = 0;
  let i = 0;
  for (; i < length; i++) {
    let code = candidate.charCodeAt(i);
    if (code >= 128 || code === 0) break;
    if (code >= 65 && code <= 90) code += 32; // as lowercase
    if (scratch[code] > 0) scratch[code]--;
    else extra++;
  }
  // Give back what was taken (each taken character once); the name's characters not taken are the missing ones.
  let taken = 0;
  for (let j = 0; j < i; j++) {
    let code = candidate.charCodeAt(j);
    if (code >= 65 && code <= 90) code += 32;
    if (scratch[code] < counts[code]) {
      scratch[code]++;
      taken++;
    }
  }
  if (i < length) return 0;
  let all = totals.get(counts);
  if (all === undefined) {
    all = 0;
    for (let c = 0; c < 128; c++) all += counts[c];
    totals.set(counts, all);
  }
  return Math.max(extra, all - taken);
}

/**
 * Levenshtein distance with transpositions (optimal string alignment), exact when it is at most `limit`; above
 * `limit` only "more than limit" is meaningful. Only the band of cells within `limit` of the diagonal is computed.
 */
export function editDistance(a: string, b: string, limit: number): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  const over = limit + 1;
  if (band.length < cols * 3) band = new Int32Array(cols * 3 * 2);
  // Three rows (i-2, i-1, i) in one buffer; cells outside the band hold `over`.
  let previousPrevious = 0;
  let previous = cols;
  let current = cols * 2;
  for (let j = 0; j < cols; j++) {
    band[previous + j] = j <= limit ? j : over;
    band[previousPrevious + j] = over;
  }
  for (let i = 1; i < rows; i++) {
    const from = Math.max(1, i - limit);
    const to = Math.min(cols - 1, i + limit);
    band[current] = i <= limit ? i : over;
    for (let j = 1; j < from; j++) band[current + j] = over;
    let rowMin = band[current];
    const ai = a.charCodeAt(i - 1);
    for (let j = from; j <= to; j++) {
      const bj = b.charCodeAt(j - 1);
      let value = Math.min(band[previous + j] + 1, band[current + j - 1] + 1, band[previous + j - 1] + (ai === bj ? 0 : 1));
      if (i > 1 && j > 1 && ai === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === bj) value = Math.min(value, band[previousPrevious + j - 2] + 1);
      if (value > over) value = over;
      band[current + j] = value;
      if (value < rowMin) rowMin = value;
    }
    for (let j = to + 1; j < cols; j++) band[current + j] = over;
    if (rowMin > limit) return over;
    const rotate = previousPrevious;
    previousPrevious = previous;
    previous = current;
    current = rotate;
  }
  return band[previous + cols - 1];
}

let band = new Int32Array(64 * 3);
