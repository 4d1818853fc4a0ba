import type { Schema } from '../schema/schema';
import type { KeyTag } from './dependencies';
import type { Declaration, FileModel } from './fileModel';
import type { DerivedChanges } from './setIndex';

/** What replacing one file's model touched: the dependency keys (see `dependencies.ts`) and the derived maps. */
export interface ModelChange {
  keys: [KeyTag, string?, string?][];
  derived: DerivedChanges;
}

/** The fields of a model (some models compute them on access, so they are not all own properties). */
const MODEL_FIELDS = ['file', 'isConfiguration', 'declarations', 'references', 'bindings', 'inlineTaskJobs', 'steps', 'dependencies', 'scaffoldings'];

/** Positions do not count as content: other files read names and values; where they show a position they depend on `POS file`. */
const POSITION_KEYS = new Set(['span', 'nameSpan', 'valueSpan', 'startTagEnd', 'children', 'spec']);

function withoutPositions(key: string, value: unknown): unknown {
  return POSITION_KEYS.has(key) ? undefined : value;
}

/** Content of a value without positions (elements with their attributes and ancestors, not their children). */
export function contentOf(value: unknown): string {
  return JSON.stringify(value, withoutPositions) ?? '';
}

function declarationsByName(model: FileModel | undefined): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const decl of model?.declarations ?? []) {
    const key = `${decl.kind}\u0000${decl.name}`;
    const content = contentOf(decl satisfies Declaration);
    const list = map.get(key);
    if (list) list.push(content);
    else map.set(key, [content]);
  }
  return map;
}

/** Tasks named by references inside scaffolding elements (they make memberships uncertain). */
function scaffoldingTasks(model: FileModel | undefined, schema: Schema): string {
  const names: string[] = [];
  for (const ref of model?.references ?? []) if (ref.kinds.includes('Task') && schema.element(ref.element.parent?.defKey)?.scaffolding) names.push(ref.name);
  return names.join('\u0000');
}

/** Kinds whose declared names a scaffolding expands (its `forEach`): their names feed the generated names. */
export function forEachKinds(schema: Schema): Set<string> {
  const kinds = new Set<string>();
  for (const outputs of Object.values(schema.data.scaffoldingOutputs)) if (outputs.forEach) kinds.add(outputs.forEach);
  return kinds;
}

/**
 * Compares a file's model before and after an update (either may be absent: a new or removed file) and lists what
 * other files' diagnoses may have read differently.
 */
export function modelChange(file: string, before: FileModel | undefined, after: FileModel | undefined, schema: Schema, expandedKinds: ReadonlySet<string>): ModelChange {
  const keys: [KeyTag, string?, string?][] = [['MODEL', file], ['POS', file], ['ANY']];
  const touchedKinds = new Set<string>();
  const namedKinds = new Set<string>();
  const old = declarationsByName(before);
  const next = declarationsByName(after);
  for (const [key, contents] of old) {
    const other = next.get(key);
    if (other && other.length === contents.length && other.every((c, i) => c === contents[i])) continue;
    const [kind, name] = key.split('\u0000');
    keys.push(['D', kind, name]);
    touchedKinds.add(kind);
    if (!other) namedKinds.add(kind);
  }
  for (const key of next.keys()) {
    if (old.has(key)) continue;
    const [kind, name] = key.split('\u0000');
    keys.push(['D', kind, name]);
    touchedKinds.add(kind);
    namedKinds.add(kind);
  }
  for (const kind of touchedKinds) keys.push(['KD', kind]);
  for (const kind of namedKinds) keys.push(['K', kind]);

  // Whole fields, for rules that iterate every model.
  const changedFields = new Set<string>();
  for (const field of MODEL_FIELDS) {
    const a = before ? contentOf((before as unknown as Record<string, unknown>)[field]) : undefined;
    const b = after ? contentOf((after as unknown as Record<string, unknown>)[field]) : undefined;
    if (a !== b) changedFields.add(field);
  }
  for (const field of changedFields) keys.push(['ALL', field]);

  const generated = changedFields.has('scaffoldings') || [...namedKinds].some((kind) => expandedKinds.has(kind));
  const derived: DerivedChanges = {
    generated,
    navigation: generated || touchedKinds.has('EntityAssociation') || touchedKinds.has('EntityType'),
    memberships: changedFields.has('inlineTaskJobs') || changedFields.has('steps') || changedFields.has('scaffoldings') || scaffoldingTasks(before, schema) !== scaffoldingTasks(after, schema),
    dependencies: changedFields.has('dependencies'),
  };
  if (derived.generated) keys.push(['GEN']);
  if (derived.navigation) keys.push(['NAV']);
  if (derived.memberships) keys.push(['MEM']);
  if (derived.dependencies) keys.push(['DEP']);
  return { keys, derived };
}
