import type { Schema } from '../schema/schema';
import type { Span } from '../syntax/lineIndex';
import type { XmlAttribute, XmlElement } from '../syntax/model';
import type { BindingUse, Consolidation, Declaration, FileModel, LocalContext, Reference, TaskDependency } from './fileModel';

/**
 * The compact form of a file model without its tree: what the set keeps of a closed file, what worker threads send
 * back, and what the index cache stores. Strings go into one table per file; elements, attributes and the model's
 * entries into three integer arrays. Schema objects (reference and binding specs) are not stored: they are found
 * again from the element's definition and the attribute name.
 *
 * Decoding gives ordinary declarations, references and bindings; their `element` is a `CompactElement`, a view that
 * reads the arrays on access (name, definition, attributes, ancestors), so that a closed file costs a few integers
 * per element instead of a tree of objects.
 */
export interface EncodedModel {
  file: string;
  isConfiguration: boolean;
  /** The string table; the `…Strings` arrays hold indexes into it (-1: undefined). It may be shared by many files. */
  strings: string[];
  elements: Int32Array;
  elementStrings: Int32Array;
  attributes: Int32Array;
  attributeStrings: Int32Array;
  entries: Int32Array;
  entryStrings: Int32Array;
  /** The names the model mentions (see mentionsOf), as string indexes. */
  mentions: Int32Array;
}

// Element record (numbers): parent, nameSpan (2), span (2), startTagEnd, flags, first attribute, attribute count,
// closing name span (2). Strings: name, defKey, closing name.
const E = 11;
const E_PARENT = 0;
const E_NAME_START = 1;
const E_NAME_END = 2;
const E_START = 3;
const E_END = 4;
const E_TAG_END = 5;
const E_FLAGS = 6;
const E_ATTR = 7;
const E_ATTR_COUNT = 8;
const E_CLOSE_START = 9;
const E_CLOSE_END = 10;
const ES = 3;
const CLOSED = 1;
const HAS_CLOSE = 2;

// Attribute record (numbers): nameSpan (2), valueSpan (2), hasEntities. Strings: name, value.
const A = 5;
const AS = 2;

const NONE = -1;
const CONSOLIDATIONS: (Consolidation | undefined)[] = [undefined, 'Merge', 'Delete'];
const NO_CHILDREN: XmlElement[] = [];
Object.freeze(NO_CHILDREN);

/** A string table: each distinct string once, by index. */
export class StringTable {
  readonly strings: string[] = [];
  private readonly ids = new Map<string, number>();

  id(value: string | undefined): number {
    if (value === undefined) return NONE;
    let id = this.ids.get(value);
    if (id === undefined) {
      id = this.strings.length;
      this.strings.push(value);
      this.ids.set(value, id);
    }
    return id;
  }
}

class Ints {
  private buffer = new Int32Array(256);
  length = 0;

  push(a: number, b?: number, c?: number, d?: number, e?: number, f?: number, g?: number, h?: number, i?: number, j?: number, k?: number): void {
    if (this.length + 11 > this.buffer.length) {
      const grown = new Int32Array(this.buffer.length * 2);
      grown.set(this.buffer);
      this.buffer = grown;
    }
    const buffer = this.buffer;
    buffer[this.length++] = a;
    if (b === undefined) return;
    buffer[this.length++] = b;
    if (c === undefined) return;
    buffer[this.length++] = c;
    if (d === undefined) return;
    buffer[this.length++] = d;
    if (e === undefined) return;
    buffer[this.length++] = e;
    if (f === undefined) return;
    buffer[this.length++] = f;
    if (g === undefined) return;
    buffer[this.length++] = g;
    if (h === undefined) return;
    buffer[this.length++] = h;
    if (i === undefined) return;
    buffer[this.length++] = i;
    if (j === undefined) return;
    buffer[this.length++] = j;
    if (k === undefined) return;
    buffer[this.length++] = k;
  }

  result(): Int32Array {
    return this.buffer.slice(0, this.length);
  }
}

/**
 * The attributes a model without its tree keeps, per element: all of them for declaring and scaffolding elements,
 * the ones the model's entries name for the others (elements absent from the map keep none).
 */
export function attributeNeeds(model: FileModel): Map<XmlElement, Set<string> | 'all'> {
  const needs = new Map<XmlElement, Set<string> | 'all'>();
  const need = (element: XmlElement, attribute: string | 'all') => {
    const current = needs.get(element);
    if (current === 'all') return;
    if (attribute === 'all') needs.set(element, 'all');
    else if (current) current.add(attribute);
    else needs.set(element, new Set([attribute]));
  };
  for (const decl of model.declarations) need(decl.element, 'all');
  for (const element of model.scaffoldings) need(element, 'all');
  for (const ref of model.references) need(ref.element, ref.attribute);
  for (const use of model.bindings) need(use.element, use.attribute);
  for (const dependency of model.dependencies) need(dependency.element, 'ParentTask');
  return needs;
}

/** Encodes a model built on a tree (see buildFileModel), keeping only what detached models keep. */
export function encodeModel(model: FileModel): EncodedModel {
  const needs = attributeNeeds(model);
  const strings = new StringTable();
  const elements = new Ints();
  const elementStrings = new Ints();
  const attributes = new Ints();
  const attributeStrings = new Ints();
  const entries = new Ints();
  const entryStrings = new Ints();
  const str = (value: string | undefined) => entryStrings.push(strings.id(value));
  const ids = new Map<XmlElement, number>();
  const idOf = (element: XmlElement): number => {
    const existing = ids.get(element);
    if (existing !== undefined) return existing;
    const parent = element.parent ? idOf(element.parent) : NONE;
    const id = elements.length / E;
    ids.set(element, id);
    const wanted = needs.get(element);
    const kept = wanted === 'all' ? element.attributes : wanted ? element.attributes.filter((a) => wanted.has(a.name)) : [];
    const first = attributes.length / A;
    for (const attr of kept) {
      attributes.push(attr.nameSpan.start, attr.nameSpan.end, attr.valueSpan?.start ?? NONE, attr.valueSpan?.end ?? NONE, attr.hasEntities ? 1 : 0);
      attributeStrings.push(strings.id(attr.name), strings.id(attr.value));
    }
    const close = element.closeName;
    elements.push(
      parent,
      element.nameSpan.start,
      element.nameSpan.end,
      element.span.start,
      element.span.end,
      element.startTagEnd,
      (element.closed ? CLOSED : 0) | (close ? HAS_CLOSE : 0),
      first,
      kept.length,
      close?.span.start ?? NONE,
      close?.span.end ?? NONE,
    );
    elementStrings.push(strings.id(element.name), strings.id(element.defKey), close ? strings.id(close.name) : NONE);
    return id;
  };

  entries.push(model.declarations.length);
  for (const d of model.declarations) {
    str(d.kind);
    str(d.name);
    str(d.localName);
    str(d.owner);
    entries.push(d.span.start, d.span.end, idOf(d.element), CONSOLIDATIONS.indexOf(d.consolidation));
  }
  entries.push(model.references.length);
  for (const r of model.references) {
    str(r.name);
    str(r.attribute);
    entries.push(r.span.start, r.span.end, idOf(r.element));
  }
  entries.push(model.bindings.length);
  for (const b of model.bindings) {
    const contexts = b.spec.context ?? [];
    str(b.value);
    str(b.attribute);
    entries.push(b.span.start, b.span.end, b.exactOffsets ? 1 : 0, idOf(b.element), b.contexts.length);
    for (const context of b.contexts) {
      str(context.value);
      entries.push(contexts.indexOf(context.spec));
    }
  }
  entries.push(model.inlineTaskJobs.length);
  for (const t of model.inlineTaskJobs) {
    str(t.task);
    str(t.job);
  }
  entries.push(model.steps.length);
  for (const step of model.steps) {
    str(step.job);
    str(step.task);
    entries.push(step.span.start, step.span.end);
  }
  entries.push(model.dependencies.length);
  for (const t of model.dependencies) {
    str(t.job);
    str(t.task);
    str(t.parentTask);
    entries.push(t.span.start, t.span.end, idOf(t.element));
  }
  entries.push(model.scaffoldings.length);
  for (const element of model.scaffoldings) entries.push(idOf(element));

  const mentions = Int32Array.from(mentionsOf(model), (name) => strings.id(name));
  return {
    file: model.file,
    isConfiguration: model.isConfiguration,
    mentions,
    strings: strings.strings,
    elements: elements.result(),
    elementStrings: elementStrings.result(),
    attributes: attributes.result(),
    attributeStrings: attributeStrings.result(),
    entries: entries.result(),
    entryStrings: entryStrings.result(),
  };
}

/** The element arrays of one closed file, shared by its CompactElements. */
class CompactTree {
  readonly views: (CompactElement | undefined)[];
  readonly strings: string[];
  readonly elements: Int32Array;
  readonly elementStrings: Int32Array;
  readonly attributeData: Int32Array;
  readonly attributeStrings: Int32Array;

  constructor(encoded: EncodedModel) {
    this.strings = encoded.strings;
    this.elements = encoded.elements;
    this.elementStrings = encoded.elementStrings;
    this.attributeData = encoded.attributes;
    this.attributeStrings = encoded.attributeStrings;
    this.views = new Array(encoded.elements.length / E);
  }

  view(id: number): CompactElement {
    return (this.views[id] ??= new CompactElement(this, id));
  }

  string(id: number): string | undefined {
    return id === NONE ? undefined : this.strings[id];
  }
}

/**
 * An element of a closed file, read from its compact arrays. It has no children; its attributes are those the model
 * needs (all of them for declaring and scaffolding elements). Values are computed on each access (nothing is kept).
 */
export class CompactElement implements XmlElement {
  constructor(
    private readonly tree: CompactTree,
    private readonly id: number,
  ) {}

  private field(offset: number): number {
    return this.tree.elements[this.id * E + offset];
  }

  get name(): string {
    return this.tree.strings[this.tree.elementStrings[this.id * ES]];
  }

  get defKey(): string | undefined {
    return this.tree.string(this.tree.elementStrings[this.id * ES + 1]);
  }

  get parent(): XmlElement | undefined {
    const parent = this.field(E_PARENT);
    return parent === NONE ? undefined : this.tree.view(parent);
  }

  get nameSpan(): Span {
    return { start: this.field(E_NAME_START), end: this.field(E_NAME_END) };
  }

  get span(): Span {
    return { start: this.field(E_START), end: this.field(E_END) };
  }

  get startTagEnd(): number {
    return this.field(E_TAG_END);
  }

  get closed(): boolean {
    return (this.field(E_FLAGS) & CLOSED) !== 0;
  }

  get closeName(): { name: string; span: Span } | undefined {
    if ((this.field(E_FLAGS) & HAS_CLOSE) === 0) return undefined;
    return { name: this.tree.strings[this.tree.elementStrings[this.id * ES + 2]], span: { start: this.field(E_CLOSE_START), end: this.field(E_CLOSE_END) } };
  }

  get children(): XmlElement[] {
    return NO_CHILDREN;
  }

  get attributes(): XmlAttribute[] {
    const { strings, attributeData, attributeStrings } = this.tree;
    const first = this.field(E_ATTR);
    const count = this.field(E_ATTR_COUNT);
    const result: XmlAttribute[] = new Array(count);
    for (let i = 0; i < count; i++) {
      const at = (first + i) * A;
      const value = attributeStrings[(first + i) * AS + 1];
      const valueStart = attributeData[at + 2];
      result[i] = {
        name: strings[attributeStrings[(first + i) * AS]],
        nameSpan: { start: attributeData[at], end: attributeData[at + 1] },
        value: value === NONE ? undefined : strings[value],
        valueSpan: valueStart === NONE ? undefined : { start: valueStart, end: attributeData[at + 3] },
        hasEntities: attributeData[at + 4] === 1,
      };
    }
    return result;
  }

  /** The plain form (what a detached element holds), for JSON. */
  toJSON(): object {
    const plain: Record<string, unknown> = {
      name: this.name,
      nameSpan: this.nameSpan,
      span: this.span,
      startTagEnd: this.startTagEnd,
      attributes: this.attributes,
      children: [],
      parent: this.parent,
      closed: this.closed,
    };
    if (this.closeName) plain.closeName = this.closeName;
    if (this.defKey !== undefined) plain.defKey = this.defKey;
    return plain;
  }
}

/**
 * A model read from its compact form. Declarations (which the set index needs at once) are decoded on construction;
 * the other entries on first access, so that a set restored from the index cache, or just indexed, does not build
 * objects for references and bindings before a rule or a feature asks for them.
 */
class DecodedModel implements FileModel {
  readonly file: string;
  readonly isConfiguration: boolean;
  readonly declarations: Declaration[];
  private readonly tree: CompactTree;
  /** Where the references start in the entries, and then the rest, once decoded. */
  private rest: { references: Reference[]; bindings: BindingUse[]; inlineTaskJobs: { task: string; job: string }[]; steps: FileModel['steps']; dependencies: TaskDependency[]; scaffoldings: XmlElement[] } | undefined;
  private readonly restAt: number;
  private readonly restStringsAt: number;

  constructor(
    private readonly encoded: EncodedModel,
    private readonly schema: Schema,
  ) {
    this.file = encoded.file;
    this.isConfiguration = encoded.isConfiguration;
    this.tree = new CompactTree(encoded);
    const { strings, entries, entryStrings } = encoded;
    const file = encoded.file;
    const count = entries[0];
    const declarations: Declaration[] = new Array(count);
    for (let i = 0, at = 1, s = 0; i < count; i++, at += 4, s += 4) {
      const owner = entryStrings[s + 3];
      declarations[i] = {
        kind: strings[entryStrings[s]],
        name: strings[entryStrings[s + 1]],
        localName: strings[entryStrings[s + 2]],
        owner: owner === NONE ? undefined : strings[owner],
        file,
        span: { start: entries[at], end: entries[at + 1] },
        element: this.tree.view(entries[at + 2]),
        consolidation: CONSOLIDATIONS[entries[at + 3]],
      };
    }
    this.declarations = declarations;
    this.restAt = 1 + count * 4;
    this.restStringsAt = count * 4;
  }

  get references(): Reference[] {
    return this.decoded().references;
  }
  get bindings(): BindingUse[] {
    return this.decoded().bindings;
  }
  get inlineTaskJobs(): { task: string; job: string }[] {
    return this.decoded().inlineTaskJobs;
  }
  get steps(): FileModel['steps'] {
    return this.decoded().steps;
  }
  get dependencies(): TaskDependency[] {
    return this.decoded().dependencies;
  }
  get scaffoldings(): XmlElement[] {
    return this.decoded().scaffoldings;
  }

  /** Forgets the decoded references, bindings and the rest (decoded again on next access), to save memory. */
  release(): void {
    this.rest = undefined;
  }

  /** Referenced names by kind (see SetIndex.referencedNames), read from the arrays without decoding references. */
  referencedByKind(): Map<string, Set<string>> {
    if (this.rest) return referencedByKind(this.rest.references);
    const { strings, entries, entryStrings, elementStrings } = this.encoded;
    const byKind = new Map<string, Set<string>>();
    let at = this.restAt;
    let stringAt = this.restStringsAt;
    const count = entries[at++];
    for (let i = 0; i < count; i++, at += 3, stringAt += 2) {
      const name = strings[entryStrings[stringAt]];
      const attribute = strings[entryStrings[stringAt + 1]];
      const defKey = elementStrings[entries[at + 2] * ES + 1];
      const kinds = this.schema.attribute(defKey === NONE ? undefined : strings[defKey], attribute)!.spec.ref!.kinds;
      for (const kind of kinds) {
        let names = byKind.get(kind);
        if (!names) byKind.set(kind, (names = new Set()));
        names.add(name);
      }
    }
    return byKind;
  }

  /** The names the model mentions (see mentionsOf), without decoding references and bindings. */
  mentionNames(): string[] {
    return Array.from(this.encoded.mentions, (id) => this.encoded.strings[id]);
  }

  /** The plain form, for JSON. */
  toJSON(): FileModel {
    return { ...this.decoded(), file: this.file, isConfiguration: this.isConfiguration, declarations: this.declarations };
  }

  private decoded(): NonNullable<DecodedModel['rest']> {
    if (this.rest) return this.rest;
    const { strings, entries, entryStrings } = this.encoded;
    const { tree, schema, file } = this;
    let at = this.restAt;
    let stringAt = this.restStringsAt;
    const next = () => entries[at++];
    const str = (): string => strings[entryStrings[stringAt++]];
    const opt = (): string | undefined => {
      const id = entryStrings[stringAt++];
      return id === NONE ? undefined : strings[id];
    };
    const references: Reference[] = new Array(next());
    for (let i = 0; i < references.length; i++) {
      const name = str();
      const attribute = str();
      const span = { start: next(), end: next() };
      const element = tree.view(next());
      const spec = schema.attribute(element.defKey, attribute)!.spec.ref!;
      references[i] = { kinds: spec.kinds, name, file, span, attribute, element, spec };
    }
    const bindings: BindingUse[] = new Array(next());
    for (let i = 0; i < bindings.length; i++) {
      const value = str();
      const attribute = str();
      const span = { start: next(), end: next() };
      const exactOffsets = next() === 1;
      const element = tree.view(next());
      const spec = schema.attribute(element.defKey, attribute)!.spec.binding!;
      const contexts: LocalContext[] = new Array(next());
      for (let c = 0; c < contexts.length; c++) {
        const contextValue = str();
        contexts[c] = { value: contextValue, spec: spec.context![next()] };
      }
      bindings[i] = { value, file, span, exactOffsets, attribute, element, spec, contexts };
    }
    const inlineTaskJobs: { task: string; job: string }[] = new Array(next());
    for (let i = 0; i < inlineTaskJobs.length; i++) inlineTaskJobs[i] = { task: str(), job: str() };
    const steps: FileModel['steps'] = new Array(next());
    for (let i = 0; i < steps.length; i++) steps[i] = { job: str(), task: str(), span: { start: next(), end: next() } };
    const dependencies: TaskDependency[] = new Array(next());
    for (let i = 0; i < dependencies.length; i++) {
      const job = opt();
      const task = opt();
      const parentTask = str();
      const span = { start: next(), end: next() };
      dependencies[i] = { job, task, parentTask, span, element: tree.view(next()) };
    }
    const scaffoldings: XmlElement[] = new Array(next());
    for (let i = 0; i < scaffoldings.length; i++) scaffoldings[i] = tree.view(next());
    this.rest = { references, bindings, inlineTaskJobs, steps, dependencies, scaffoldings };
    return this.rest;
  }
}

/** Rebuilds a model from its compact form; schema objects are looked up again. */
export function decodeModel(encoded: EncodedModel, schema: Schema): FileModel {
  return new DecodedModel(encoded, schema);
}

/** The transferable buffers of an encoded model (for postMessage). */
export function buffersOf(encoded: EncodedModel): ArrayBuffer[] {
  return [encoded.elements, encoded.elementStrings, encoded.attributes, encoded.attributeStrings, encoded.entries, encoded.entryStrings, encoded.mentions].map((a) => a.buffer as ArrayBuffer);
}

/**
 * Maps string ids of models into one shared table. Models read from the cache already share one big table: each
 * source table is mapped once, and only the ids that are used (mapping the whole table for every model was quadratic,
 * and kept strings no model uses any more).
 */
export class SharedStrings {
  private readonly maps = new Map<readonly string[], Int32Array>();
  constructor(readonly table: StringTable) {}

  /** Writes the ids of `model`'s array `ids`, mapped into the shared table, into `into` from `at`; returns `into`. */
  remap<T extends Int32Array>(model: EncodedModel, ids: Int32Array, into: T, at: number): T {
    const source = model.strings;
    let map = this.maps.get(source);
    if (!map) this.maps.set(source, (map = new Int32Array(source.length).fill(UNMAPPED)));
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i];
      if (id === NONE) into[at + i] = NONE;
      else {
        let mapped = map[id];
        if (mapped === UNMAPPED) mapped = map[id] = this.table.id(source[id]);
        into[at + i] = mapped;
      }
    }
    return into;
  }

  /** Whether a model array holds string ids (the others hold numbers). */
  static holdsStrings(name: keyof EncodedModel): boolean {
    return name === 'elementStrings' || name === 'attributeStrings' || name === 'entryStrings' || name === 'mentions';
  }
}

const UNMAPPED = -2;

/** A model without its tree (see CompactElement): what the set keeps of a closed file. */
export function detachModel(model: FileModel, schema: Schema): FileModel {
  return decodeModel(encodeModel(model), schema);
}

/**
 * Every name a model can be found by (see SetIndex.modelsMentioning): declared names, referenced names, and the
 * identifiers of binding paths (each segment's entity type and property).
 */
export function mentionsOf(model: FileModel): string[] {
  const names = new Set<string>();
  for (const decl of model.declarations) names.add(decl.name);
  for (const ref of model.references) names.add(ref.name);
  for (const use of model.bindings) {
    // The pieces between '.' and ':' (as split('.') then split(':') would give them).
    const value = use.value;
    let start = 0;
    for (let i = 0; i <= value.length; i++) {
      const code = i < value.length ? value.charCodeAt(i) : 46;
      if (code !== 46 /* . */ && code !== 58 /* : */) continue;
      names.add(value.slice(start, i));
      start = i + 1;
    }
  }
  return [...names];
}

/** Referenced names by kind, from references. */
export function referencedByKind(references: readonly Reference[]): Map<string, Set<string>> {
  const byKind = new Map<string, Set<string>>();
  for (const ref of references) {
    for (const kind of ref.kinds) {
      let names = byKind.get(kind);
      if (!names) byKind.set(kind, (names = new Set()));
      names.add(ref.name);
    }
  }
  return byKind;
}
