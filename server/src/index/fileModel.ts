import type { Span } from '../syntax/lineIndex';
import { attribute, attributeValue, type XmlAttribute, type XmlDocument, type XmlElement } from '../syntax/model';
import type { Schema } from '../schema/schema';
import type { BindingSpec, ContextSpec, ReferenceSpec } from '../schema/types';

export type Consolidation = 'Merge' | 'Delete';

export interface Declaration {
  kind: string;
  /** The name as referenced: "AD_Entry", or for parent-scoped kinds "AD_Entry.memberOf". */
  name: string;
  /** The name as written on the element. */
  localName: string;
  /** For parent-scoped kinds: the owner's name ("AD_Entry"). */
  owner?: string;
  file: string;
  /** Range of the identifier value. */
  span: Span;
  element: XmlElement;
  consolidation?: Consolidation;
}

export interface Reference {
  kinds: string[];
  name: string;
  file: string;
  span: Span;
  attribute: string;
  element: XmlElement;
  spec: ReferenceSpec;
}

/** A context value read locally; resolved against the index later. */
export interface LocalContext {
  value: string;
  spec: ContextSpec;
}

export interface BindingUse {
  value: string;
  file: string;
  /** Range of the raw value. */
  span: Span;
  /** Offsets inside the value map 1:1 to the text (no entities). */
  exactOffsets: boolean;
  attribute: string;
  element: XmlElement;
  spec: BindingSpec;
  contexts: LocalContext[];
}

export interface TaskDependency {
  /** The job the dependent task is declared in (inline). */
  job: string | undefined;
  /** The dependent task's identifier, when it has one. */
  task: string | undefined;
  parentTask: string;
  span: Span;
  element: XmlElement;
}

export interface JobStep {
  job: string;
  task: string;
  span: Span;
}

export interface FileModel {
  file: string;
  isConfiguration: boolean;
  declarations: Declaration[];
  references: Reference[];
  bindings: BindingUse[];
  /** Inline task identifier -> job identifier, for tasks declared inside a Job. */
  inlineTaskJobs: { task: string; job: string }[];
  steps: JobStep[];
  dependencies: TaskDependency[];
  /** Scaffolding elements, which generate configuration (jobs, tasks, rules) at deployment. */
  scaffoldings: XmlElement[];
}

const CONSOLIDATION_ATTRIBUTE = 'ConsolidationMode';

export function isConfigurationRoot(root: XmlElement | undefined, schema: Schema): boolean {
  return !!root && root.name === schema.rootElement && attributeValue(root, 'xmlns') === schema.namespace;
}

/**
 * Binds every element of a parsed file to its schema definition (`defKey`) and extracts what the
 * cross-file index needs. Works on the compact model only.
 */
export function buildFileModel(file: string, doc: XmlDocument, schema: Schema): FileModel {
  const model: FileModel = {
    file,
    isConfiguration: false,
    declarations: [],
    references: [],
    bindings: [],
    inlineTaskJobs: [],
    steps: [],
    dependencies: [],
    scaffoldings: [],
  };
  const root = doc.roots[0];
  if (!isConfigurationRoot(root, schema)) return model;
  model.isConfiguration = true;
  const stack: { element: XmlElement; parentKey: string | undefined; owner: string | undefined; job: string | undefined }[] =
    root.children.map((element) => ({ element, parentKey: undefined, owner: undefined, job: undefined })).reverse();
  while (stack.length > 0) {
    const { element, parentKey, owner, job } = stack.pop()!;
    const defKey = parentKey === undefined && element.parent !== root ? undefined : schema.childKey(parentKey, element.name);
    element.defKey = defKey;
    if (defKey === undefined) continue; // unknown element: its subtree is not interpreted
    const spec = schema.element(defKey)!;
    let nextOwner = owner;
    const declaration = declare(model, element, defKey, schema, owner);
    if (declaration && declaration.owner === undefined) nextOwner = declaration.localName;
    if (spec.declares === undefined && spec.overrides === undefined) {
      // Mapping and display elements name the symbol they extend through a reference; children scope to it.
      const identifier = attributeValue(element, 'Identifier');
      if (identifier && spec.attributes.Identifier?.ref) nextOwner = identifier;
    }
    if (spec.scaffolding) model.scaffoldings.push(element);
    collectAttributes(model, element, defKey, schema);
    const jobName = spec.name === 'Job' ? attributeValue(element, 'Identifier') : job;
    collectTaskStructure(model, element, spec.name, schema, job, jobName);
    for (let i = element.children.length - 1; i >= 0; i--) {
      stack.push({ element: element.children[i], parentKey: defKey, owner: nextOwner, job: jobName });
    }
  }
  return model;
}

function declare(model: FileModel, element: XmlElement, defKey: string, schema: Schema, owner: string | undefined): Declaration | undefined {
  const spec = schema.element(defKey)!;
  const declares = spec.declares;
  if (!declares) return undefined;
  const attr = attribute(element, declares.attribute);
  if (!attr || !attr.value || !attr.valueSpan) return undefined;
  const consolidation = attributeValue(element, CONSOLIDATION_ATTRIBUTE);
  const scoped = declares.scope === 'parent';
  if (scoped && owner === undefined) return undefined;
  const declaration: Declaration = {
    kind: declares.kind,
    name: scoped ? `${owner}.${attr.value}` : attr.value,
    localName: attr.value,
    owner: scoped ? owner : undefined,
    file: model.file,
    span: attr.valueSpan,
    element,
    consolidation: consolidation === 'Merge' || consolidation === 'Delete' ? consolidation : undefined,
  };
  model.declarations.push(declaration);
  return declaration;
}

function collectAttributes(model: FileModel, element: XmlElement, defKey: string, schema: Schema): void {
  for (const attr of element.attributes) {
    if (attr.value === undefined || !attr.valueSpan || attr.value.trim() === '') continue;
    const match = schema.attribute(defKey, attr.name);
    if (!match) continue;
    const { spec } = match;
    if (spec.ref) {
      const name = referenceName(element, attr.value, spec.ref, schema);
      if (name === undefined) continue;
      model.references.push({
        kinds: spec.ref.kinds,
        name,
        file: model.file,
        span: attr.valueSpan,
        attribute: attr.name,
        element,
        spec: spec.ref,
      });
    }
    if (spec.binding) model.bindings.push(bindingUse(model.file, element, attr, spec.binding));
  }
}

/**
 * The name a reference looks up: as written, or qualified for parent-scoped kinds
 * ("Workflow:Activity" → "Workflow.Activity"; an instance name prefixed with its universe from the context).
 * Undefined when a needed qualifier is missing (the reference cannot be checked).
 */
function referenceName(element: XmlElement, value: string, ref: ReferenceSpec, schema: Schema): string | undefined {
  const scoped = ref.kinds.some((kind) => scopeOf(kind, schema) === 'parent');
  if (!scoped) return value;
  if (ref.qualifiedSeparator) {
    const at = value.indexOf(ref.qualifiedSeparator);
    return at > 0 ? `${value.slice(0, at)}.${value.slice(at + ref.qualifiedSeparator.length)}` : undefined;
  }
  for (const context of ref.context ?? []) {
    const owner = readContext(element, context);
    if (owner) return `${owner}.${value}`;
  }
  return undefined;
}

function scopeOf(kind: string, schema: Schema): 'global' | 'parent' | undefined {
  for (const key of schema.kind(kind)?.declaredBy ?? []) {
    const declares = schema.element(key)?.declares;
    if (declares?.kind === kind) return declares.scope;
  }
  return undefined;
}

function bindingUse(file: string, element: XmlElement, attr: XmlAttribute, spec: BindingSpec): BindingUse {
  const contexts: LocalContext[] = [];
  for (const context of spec.context ?? []) {
    const value = readContext(element, context);
    if (value) contexts.push({ value, spec: context });
  }
  return {
    value: attr.value!,
    file,
    span: attr.valueSpan!,
    exactOffsets: !attr.hasEntities,
    attribute: attr.name,
    element,
    spec,
    contexts,
  };
}

/** Reads the attribute a context spec points at, on self, the parent, or the nearest named ancestor. */
export function readContext(element: XmlElement, context: ContextSpec): string | undefined {
  let target: XmlElement | undefined;
  if (context.element === 'self') target = element;
  else if (context.element === 'parent') target = element.parent;
  else if (context.element.startsWith('ancestor:')) {
    const wanted = context.element.slice('ancestor:'.length);
    for (let cursor = element.parent; cursor; cursor = cursor.parent) {
      if (cursor.name === wanted) {
        target = cursor;
        break;
      }
    }
  }
  const value = target ? attributeValue(target, context.attribute) : undefined;
  return value && value.trim() !== '' ? value.trim() : undefined;
}

function collectTaskStructure(
  model: FileModel,
  element: XmlElement,
  name: string,
  schema: Schema,
  enclosingJob: string | undefined,
  currentJob: string | undefined,
): void {
  if (name === 'Step' && currentJob) {
    const attr = attribute(element, 'Identifier') ?? attribute(element, 'Task');
    if (attr?.value && attr.valueSpan) model.steps.push({ job: currentJob, task: attr.value, span: attr.valueSpan });
    return;
  }
  if (schema.isTask(name) && enclosingJob) {
    const task = attributeValue(element, 'Identifier');
    if (task) model.inlineTaskJobs.push({ task, job: enclosingJob });
    return;
  }
  if (name === 'TaskDependsOnTask') {
    const owner = element.parent;
    const attr = attribute(element, 'ParentTask');
    if (!owner || !attr?.value || !attr.valueSpan) return;
    model.dependencies.push({
      job: enclosingJob,
      task: attributeValue(owner, 'Identifier'),
      parentTask: attr.value,
      span: attr.valueSpan,
      element,
    });
  }
}

