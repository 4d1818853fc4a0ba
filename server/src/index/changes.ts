import type { Schema } from '../schema/schema';
import type { KeyTag } from './dependencies';
import type { XmlElement } from '../syntax/model';
import { attributeNeeds } from './compact';
import type { FileModel } from './fileModel';
import type { DerivedChanges } from './setIndex';

/** What replacing one file's model touched: the dependency keys (see `dependencies.ts`) and the derived maps. */
export interface ModelChange {
  keys: [KeyTag, string?, string?][];
  /** Derived maps whose inputs changed (the set then compares their old and new content). */
  derived: DerivedChanges;
}

/** The fields of a model (some models compute them on access, so they are not all own properties). */
const MODEL_FIELDS = ['file', 'isConfiguration', 'declarations', 'references', 'bindings', 'inlineTaskJobs', 'steps', 'dependencies', 'scaffoldings'] as const;

/** Positions do not count as content: other files read names and values; where they show a position they depend on `POS file`. */
const POSITION_KEYS = new Set(['span', 'nameSpan', 'valueSpan', 'startTagEnd', 'children', 'spec']);

function isElement(value: object): value is XmlElement {
  return 'attributes' in value && 'nameSpan' in value;
}

/**
 * Content of a value without positions, as a string: elements with their name, definition, attributes and ancestors
 * (not their children). Elements are written once per snapshot (`elements` remembers them).
 */
export function contentOf(value: unknown, elements = new Map<XmlElement, string>(), needs?: Map<XmlElement, Set<string> | 'all'>): string {
  if (value === undefined) return 'u';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((v) => contentOf(v, elements, needs)).join(',')}]`;
  if (isElement(value)) return elementContent(value, elements, needs);
  const parts: string[] = [];
  for (const key of Object.keys(value)) {
    if (POSITION_KEYS.has(key)) continue;
    parts.push(`${key}:${contentOf((value as Record<string, unknown>)[key], elements, needs)}`);
  }
  return `{${parts.join(',')}}`;
}

/** An element's content; with `needs` (a model on a tree), only the attributes its compact form would keep. */
function elementContent(element: XmlElement, elements: Map<XmlElement, string>, needs: Map<XmlElement, Set<string> | 'all'> | undefined): string {
  let content = elements.get(element);
  if (content === undefined) {
    const wanted = needs?.get(element);
    const kept = !needs || wanted === 'all' ? element.attributes : wanted ? element.attributes.filter((a) => wanted.has(a.name)) : [];
    const attributes = kept.map((a) => `${a.name}=${JSON.stringify(a.value ?? null)}${a.hasEntities ? '&' : ''}`).join(' ');
    const parent = element.parent ? elementContent(element.parent, elements, needs) : '';
    content = `<${element.name}|${element.defKey ?? ''}|${element.closed ? 1 : 0}|${element.closeName?.name ?? ''}|${attributes}|${parent}>`;
    elements.set(element, content);
  }
  return content;
}

/**
 * What other files can see of a model, without positions: its declarations by kind and name, and each field on
 * demand. Kept with the file, so that the next change compares against it without recomputing it.
 */
export class ModelSnapshot {
  /** The declarations in model order: `kind\0name` and their content. */
  private decls: { keys: string[]; contents: string[] } | undefined;
  private byName: Map<string, string[]> | undefined;
  private readonly fields = new Map<string, string>();
  private scaffoldingTaskList: string | undefined;
  private readonly elements = new Map<XmlElement, string>();
  private readonly needs: Map<XmlElement, Set<string> | 'all'> | undefined;

  /**
   * `onTree`: the model points into its file's tree (an editor buffer), not at compact elements.
   * `precomputed`: the snapshot computed elsewhere (a worker) from the same text.
   */
  constructor(
    readonly model: FileModel,
    onTree = false,
    precomputed?: SnapshotData,
  ) {
    this.needs = onTree ? attributeNeeds(model) : undefined;
    if (precomputed) {
      const keys = precomputed.keys === '' ? [] : precomputed.keys.split('\u0001');
      this.decls = { keys, contents: keys.length === 0 ? [] : precomputed.contents.split('\u0001') };
      for (const [field, content] of precomputed.fields) this.fields.set(field, content);
      this.scaffoldingTaskList = precomputed.scaffoldingTasks;
    }
  }

  /** What another thread needs to rebuild this snapshot without the tree (see SnapshotData). */
  export(schema: Schema): SnapshotData {
    const { keys, contents } = this.declarationList();
    return {
      keys: keys.join('\u0001'),
      contents: contents.join('\u0001'),
      fields: DERIVED_FIELDS.map((field) => [field, this.field(field)]),
      scaffoldingTasks: this.scaffoldingTasks(schema),
    };
  }

  declarationList(): { keys: string[]; contents: string[] } {
    if (!this.decls) {
      const keys: string[] = [];
      const contents: string[] = [];
      for (const decl of this.model.declarations) {
        keys.push(`${decl.kind}\u0000${decl.name}`);
        contents.push(contentOf(decl, this.elements, this.needs));
      }
      this.decls = { keys, contents };
    }
    return this.decls;
  }

  /** Declarations by `kind\0name`, their contents in model order. */
  declarations(): Map<string, string[]> {
    if (!this.byName) {
      const { keys, contents } = this.declarationList();
      const map = new Map<string, string[]>();
      keys.forEach((key, i) => {
        const list = map.get(key);
        if (list) list.push(contents[i]);
        else map.set(key, [contents[i]]);
      });
      this.byName = map;
    }
    return this.byName;
  }

  field(name: string): string {
    let content = this.fields.get(name);
    if (content === undefined) {
      content = contentOf((this.model as unknown as Record<string, unknown>)[name], this.elements, this.needs);
      this.fields.set(name, content);
    }
    return content;
  }

  /** Tasks named by references inside scaffolding elements (they make memberships uncertain). */
  scaffoldingTasks(schema: Schema): string {
    if (this.scaffoldingTaskList === undefined) {
      const names: string[] = [];
      for (const ref of this.model.references) if (ref.kinds.includes('Task') && schema.element(ref.element.parent?.defKey)?.scaffolding) names.push(ref.name);
      this.scaffoldingTaskList = names.join('\u0000');
    }
    return this.scaffoldingTaskList;
  }
}

/** The fields every change compares (they feed derived maps). */
const DERIVED_FIELDS = ['scaffoldings', 'inlineTaskJobs', 'steps', 'dependencies'];

/** A snapshot computed elsewhere (see ModelSnapshot.export). */
export interface SnapshotData {
  /** Declaration keys and contents in model order, each joined with U+0001 (two strings transfer fast). */
  keys: string;
  contents: string;
  fields: [string, string][];
  scaffoldingTasks: string;
}

/** Kinds whose declared names a scaffolding expands (its `forEach`): their names feed the generated names. */
export function forEachKinds(schema: Schema): Set<string> {
  const kinds = new Set<string>();
  for (const outputs of Object.values(schema.data.scaffoldingOutputs)) if (outputs.forEach) kinds.add(outputs.forEach);
  return kinds;
}

/**
 * Compares a file's model before and after an update (either may be absent: a new or removed file) and lists what
 * other files' diagnoses may have read differently. `isRead(field)` tells whether any diagnosis iterates that field
 * of every model (`ALL field`); unread fields are not compared.
 */
export function modelChange(
  file: string,
  before: ModelSnapshot | undefined,
  after: ModelSnapshot | undefined,
  schema: Schema,
  expandedKinds: ReadonlySet<string>,
  isRead: (field: string) => boolean,
): ModelChange {
  const keys: [KeyTag, string?, string?][] = [['MODEL', file], ['POS', file], ['ANY']];
  const touchedKinds = new Set<string>();
  const namedKinds = new Set<string>();
  const sequence = (a: string[], b: string[]) => a.length === b.length && a.every((key, i) => key === b[i]);
  const oldList = before?.declarationList();
  const newList = after?.declarationList();
  if (oldList && newList && sequence(oldList.keys, newList.keys)) {
    // The same names in the same order (most edits): compare contents one by one.
    const seen = new Set<string>();
    oldList.keys.forEach((key, i) => {
      if (oldList.contents[i] === newList.contents[i] || seen.has(key)) return;
      seen.add(key);
      const [kind, name] = key.split('\u0000');
      keys.push(['D', kind, name]);
      touchedKinds.add(kind);
    });
  } else compareByName();
  function compareByName(): void {
  const old = before?.declarations() ?? new Map<string, string[]>();
  const next = after?.declarations() ?? new Map<string, string[]>();
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
  }
  for (const kind of touchedKinds) keys.push(['KD', kind]);
  for (const kind of namedKinds) keys.push(['K', kind]);

  const changed = (field: string) => (before ? before.field(field) : undefined) !== (after ? after.field(field) : undefined);
  for (const field of MODEL_FIELDS) if (field !== 'declarations' && isRead(field) && changed(field)) keys.push(['ALL', field]);
  if (touchedKinds.size > 0 && isRead('declarations')) keys.push(['ALL', 'declarations']);

  const scaffoldingsChanged = changed('scaffoldings');
  const generated = scaffoldingsChanged || [...namedKinds].some((kind) => expandedKinds.has(kind));
  const derived: DerivedChanges = {
    generated,
    navigation: generated || touchedKinds.has('EntityAssociation') || touchedKinds.has('EntityType'),
    memberships: scaffoldingsChanged || changed('inlineTaskJobs') || changed('steps') || (before?.scaffoldingTasks(schema) ?? '') !== (after?.scaffoldingTasks(schema) ?? ''),
    dependencies: changed('dependencies'),
  };
  return { keys, derived };
}
