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
  strings: string[];
  elements: Int32Array;
  attributes: Int32Array;
  entries: Int32Array;
}

// Element record: name, defKey, parent, nameSpan (2), span (2), startTagEnd, flags, first attribute, attribute count,
// closing name, closing name span (2).
const E = 14;
const E_NAME = 0;
const E_DEFKEY = 1;
const E_PARENT = 2;
const E_NAME_START = 3;
const E_NAME_END = 4;
const E_START = 5;
const E_END = 6;
const E_TAG_END = 7;
const E_FLAGS = 8;
const E_ATTR = 9;
const E_ATTR_COUNT = 10;
const E_CLOSE = 11;
const E_CLOSE_START = 12;
const E_CLOSE_END = 13;
const CLOSED = 1;
const HAS_CLOSE = 2;

// Attribute record: name, value, nameSpan (2), valueSpan (2), hasEntities.
const A = 7;

const NONE = -1;
const CONSOLIDATIONS: (Consolidation | undefined)[] = [undefined, 'Merge', 'Delete'];
const NO_CHILDREN: XmlElement[] = [];
Object.freeze(NO_CHILDREN);

class Writer {
  readonly strings: string[] = [];
  private readonly stringIds = new Map<string, number>();
  private buffer = new Int32Array(256);
  length = 0;

  string(value: string | undefined): number {
    if (value === undefined) return NONE;
    let id = this.stringIds.get(value);
    if (id === undefined) {
      id = this.strings.length;
      this.strings.push(value);
      this.stringIds.set(value, id);
    }
    return id;
  }

  push(...values: number[]): void {
    if (this.length + values.length > this.buffer.length) {
      const grown = new Int32Array(Math.max(this.buffer.length * 2, this.length + values.length));
      grown.set(this.buffer);
      this.buffer = grown;
    }
    for (const value of values) this.buffer[this.length++] = value;
  }

  result(): Int32Array {
    return this.buffer.slice(0, this.length);
  }
}

/** Encodes a model built on a tree (see buildFileModel), keeping only what detached models keep. */
export function encodeModel(model: FileModel): EncodedModel {
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

  const strings = new Writer();
  const elements = new Writer();
  const attributes = new Writer();
  const entries = new Writer();
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
      attributes.push(strings.string(attr.name), strings.string(attr.value), attr.nameSpan.start, attr.nameSpan.end, attr.valueSpan?.start ?? NONE, attr.valueSpan?.end ?? NONE, attr.hasEntities ? 1 : 0);
    }
    const close = element.closeName;
    elements.push(
      strings.string(element.name),
      strings.string(element.defKey),
      parent,
      element.nameSpan.start,
      element.nameSpan.end,
      element.span.start,
      element.span.end,
      element.startTagEnd,
      (element.closed ? CLOSED : 0) | (close ? HAS_CLOSE : 0),
      first,
      kept.length,
      close ? strings.string(close.name) : NONE,
      close?.span.start ?? NONE,
      close?.span.end ?? NONE,
    );
    return id;
  };

  entries.push(model.declarations.length);
  for (const d of model.declarations) {
    entries.push(strings.string(d.kind), strings.string(d.name), strings.string(d.localName), strings.string(d.owner), d.span.start, d.span.end, idOf(d.element), CONSOLIDATIONS.indexOf(d.consolidation));
  }
  entries.push(model.references.length);
  for (const r of model.references) entries.push(strings.string(r.name), r.span.start, r.span.end, strings.string(r.attribute), idOf(r.element));
  entries.push(model.bindings.length);
  for (const b of model.bindings) {
    const contexts = b.spec.context ?? [];
    entries.push(strings.string(b.value), b.span.start, b.span.end, b.exactOffsets ? 1 : 0, strings.string(b.attribute), idOf(b.element), b.contexts.length);
    for (const context of b.contexts) entries.push(strings.string(context.value), contexts.indexOf(context.spec));
  }
  entries.push(model.inlineTaskJobs.length);
  for (const t of model.inlineTaskJobs) entries.push(strings.string(t.task), strings.string(t.job));
  entries.push(model.steps.length);
  for (const s of model.steps) entries.push(strings.string(s.job), strings.string(s.task), s.span.start, s.span.end);
  entries.push(model.dependencies.length);
  for (const t of model.dependencies) entries.push(strings.string(t.job), strings.string(t.task), strings.string(t.parentTask), t.span.start, t.span.end, idOf(t.element));
  entries.push(model.scaffoldings.length);
  for (const element of model.scaffoldings) entries.push(idOf(element));

  return { file: model.file, isConfiguration: model.isConfiguration, strings: strings.strings, elements: elements.result(), attributes: attributes.result(), entries: entries.result() };
}

/** The element arrays of one closed file, shared by its CompactElements. */
class CompactTree {
  readonly views: (CompactElement | undefined)[];
  constructor(
    readonly strings: string[],
    readonly elements: Int32Array,
    readonly attributeData: Int32Array,
  ) {
    this.views = new Array(elements.length / E);
  }

  view(id: number): CompactElement {
    return (this.views[id] ??= new CompactElement(this, id));
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
    return this.tree.strings[this.field(E_NAME)];
  }

  get defKey(): string | undefined {
    const id = this.field(E_DEFKEY);
    return id === NONE ? undefined : this.tree.strings[id];
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
    return { name: this.tree.strings[this.field(E_CLOSE)], span: { start: this.field(E_CLOSE_START), end: this.field(E_CLOSE_END) } };
  }

  get children(): XmlElement[] {
    return NO_CHILDREN;
  }

  get attributes(): XmlAttribute[] {
    const { strings, attributeData } = this.tree;
    const first = this.field(E_ATTR);
    const count = this.field(E_ATTR_COUNT);
    const result: XmlAttribute[] = new Array(count);
    for (let i = 0; i < count; i++) {
      const at = (first + i) * A;
      const value = attributeData[at + 1];
      const valueStart = attributeData[at + 4];
      result[i] = {
        name: strings[attributeData[at]],
        nameSpan: { start: attributeData[at + 2], end: attributeData[at + 3] },
        value: value === NONE ? undefined : strings[value],
        valueSpan: valueStart === NONE ? undefined : { start: valueStart, end: attributeData[at + 5] },
        hasEntities: attributeData[at + 6] === 1,
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

/** Rebuilds a model from its compact form; schema objects are looked up again. */
export function decodeModel(encoded: EncodedModel, schema: Schema): FileModel {
  const { strings, entries } = encoded;
  const tree = new CompactTree(strings, encoded.elements, encoded.attributes);
  const file = encoded.file;
  const str = (id: number): string => strings[id];
  const opt = (id: number): string | undefined => (id === NONE ? undefined : strings[id]);
  let at = 0;
  const next = () => entries[at++];

  const declarations: Declaration[] = new Array(next());
  for (let i = 0; i < declarations.length; i++) {
    const kind = str(next());
    const name = str(next());
    const localName = str(next());
    const owner = opt(next());
    const span = { start: next(), end: next() };
    const element = tree.view(next());
    const consolidation = CONSOLIDATIONS[next()];
    declarations[i] = { kind, name, localName, owner, file, span, element, consolidation };
  }
  const references: Reference[] = new Array(next());
  for (let i = 0; i < references.length; i++) {
    const name = str(next());
    const span = { start: next(), end: next() };
    const attribute = str(next());
    const element = tree.view(next());
    const spec = schema.attribute(element.defKey, attribute)!.spec.ref!;
    references[i] = { kinds: spec.kinds, name, file, span, attribute, element, spec };
  }
  const bindings: BindingUse[] = new Array(next());
  for (let i = 0; i < bindings.length; i++) {
    const value = str(next());
    const span = { start: next(), end: next() };
    const exactOffsets = next() === 1;
    const attribute = str(next());
    const element = tree.view(next());
    const spec = schema.attribute(element.defKey, attribute)!.spec.binding!;
    const contexts: LocalContext[] = new Array(next());
    for (let c = 0; c < contexts.length; c++) {
      const contextValue = str(next());
      contexts[c] = { value: contextValue, spec: spec.context![next()] };
    }
    bindings[i] = { value, file, span, exactOffsets, attribute, element, spec, contexts };
  }
  const inlineTaskJobs: { task: string; job: string }[] = new Array(next());
  for (let i = 0; i < inlineTaskJobs.length; i++) inlineTaskJobs[i] = { task: str(next()), job: str(next()) };
  const steps: FileModel['steps'] = new Array(next());
  for (let i = 0; i < steps.length; i++) steps[i] = { job: str(next()), task: str(next()), span: { start: next(), end: next() } };
  const dependencies: TaskDependency[] = new Array(next());
  for (let i = 0; i < dependencies.length; i++) {
    const job = opt(next());
    const task = opt(next());
    const parentTask = str(next());
    const span = { start: next(), end: next() };
    dependencies[i] = { job, task, parentTask, span, element: tree.view(next()) };
  }
  const scaffoldings: XmlElement[] = new Array(next());
  for (let i = 0; i < scaffoldings.length; i++) scaffoldings[i] = tree.view(next());
  return { file, isConfiguration: encoded.isConfiguration, declarations, references, bindings, inlineTaskJobs, steps, dependencies, scaffoldings };
}

/** The transferable buffers of an encoded model (for postMessage). */
export function buffersOf(encoded: EncodedModel): ArrayBuffer[] {
  return [encoded.elements.buffer as ArrayBuffer, encoded.attributes.buffer as ArrayBuffer, encoded.entries.buffer as ArrayBuffer];
}

/** A model without its tree (see CompactElement): what the set keeps of a closed file. */
export function detachModel(model: FileModel, schema: Schema): FileModel {
  return decodeModel(encodeModel(model), schema);
}
