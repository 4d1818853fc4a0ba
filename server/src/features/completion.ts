import * as path from 'node:path';
import { contextType, parseBinding, propertiesOf } from '../index/bindings';
import { readContext, type LocalContext } from '../index/fileModel';
import type { ConfigurationSet } from '../engine/configurationSet';
import type { AttributeSpec } from '../schema/types';
import type { Span } from '../syntax/lineIndex';
import { attributeValue, type XmlDocument, type XmlElement } from '../syntax/model';
import { synchronizationJobSnippets } from './contextSnippets';
import { cursorContext } from './cursor';
import { pickNames, sortedNames, sortNames } from './namePicking';
import { snippetEntries } from './snippets';

export type CompletionKind = 'element' | 'attribute' | 'value' | 'enum' | 'reference' | 'entityType' | 'property' | 'navigation' | 'task' | 'snippet';

export interface CompletionEntry {
  label: string;
  kind: CompletionKind;
  /** Text replacing `replace`; may be a snippet when `snippet` is true. */
  insertText: string;
  snippet?: boolean;
  replace: Span;
  detail?: string;
  documentation?: string;
  /** Text the editor filters on, when it differs from the label. */
  filterText?: string;
  /** Lower sorts first. */
  sortGroup: number;
}

export interface CompletionResult {
  entries: CompletionEntry[];
  /** True when names were left out (see pickNames): the editor should ask again as the user types. */
  incomplete: boolean;
}

/** Completion at an offset of an open XML document of the set. */
export function complete(set: ConfigurationSet, file: string, text: string, doc: XmlDocument, offset: number): CompletionEntry[] {
  return completionList(set, file, text, doc, offset).entries;
}

/** Completion at an offset, and whether the list was cut (see pickNames). */
export function completionList(set: ConfigurationSet, file: string, text: string, doc: XmlDocument, offset: number): CompletionResult {
  const names = completeNames(set, text, doc, offset);
  if (names) return names;
  return { entries: completeSchema(set, text, doc, offset), incomplete: false };
}

/** Completion of names of the configuration (reference values, binding segments); undefined elsewhere. */
function completeNames(set: ConfigurationSet, text: string, doc: XmlDocument, offset: number): CompletionResult | undefined {
  const context = cursorContext(text, offset, doc, set.schema);
  if (context.kind !== 'attributeValue') return undefined;
  const match = set.schema.attribute(context.elementKey, context.attribute);
  const spec = match?.spec;
  if (!spec || spec.type === 'Boolean' || spec.enumValues?.length) return undefined;
  if (spec.ref) return referenceEntries(set, spec.ref.kinds, context.value, context.typed, context.element);
  if (spec.binding) return bindingEntries(set, spec, context.value, context.typed, context.element);
  return undefined;
}

/** Completion of what the schema knows (elements, attributes, enumerated values, snippets). */
function completeSchema(set: ConfigurationSet, text: string, doc: XmlDocument, offset: number): CompletionEntry[] {
  const schema = set.schema;
  const context = cursorContext(text, offset, doc, schema);
  switch (context.kind) {
    case 'elementName':
    case 'content': {
      const parentKey = context.parent && context.parent.name !== schema.rootElement ? context.parentKey : undefined;
      if (context.parent && context.parent.name !== schema.rootElement && parentKey === undefined) return [];
      const replace = context.kind === 'elementName' ? context.partial : { start: offset, end: offset };
      const open = context.kind === 'content' ? '<' : '';
      const elements = schema.childNames(parentKey).map((name) => elementEntry(set, name, parentKey, replace, open));
      const snippets = snippetEntries(schema, parentKey, replace, context.kind === 'elementName', doc.roots.length === 0);
      return parentKey === undefined ? [...elements, ...snippets, ...synchronizationJobSnippets(set, replace, open)] : [...elements, ...snippets];
    }
    case 'attributeName': {
      const spec = schema.element(context.elementKey);
      if (!spec) return [];
      const present = new Set(context.present);
      const entries: CompletionEntry[] = [];
      for (const [name, attr] of Object.entries(spec.attributes)) {
        if (present.has(name)) continue;
        const required = attr.required && !attr.requiredRelaxed;
        entries.push({ label: name, kind: 'attribute', insertText: `${name}="$1"`, snippet: true, replace: context.partial, detail: `${required ? 'required ' : ''}${typeLabel(attr)}`, sortGroup: required ? 0 : 1 });
      }
      for (const family of spec.families ?? []) {
        const regex = schema.familyRegex(family);
        const used = context.present.filter((n) => regex.test(n));
        const next = nextFamilyMember(family.example, used);
        if (next && !present.has(next)) entries.push({ label: next, kind: 'attribute', insertText: `${next}="$1"`, snippet: true, replace: context.partial, detail: `${family.label}: ${typeLabel(family.spec)}`, sortGroup: family.spec.required && used.length === 0 ? 0 : 2 });
      }
      return entries;
    }
    case 'attributeValue': {
      const match = schema.attribute(context.elementKey, context.attribute);
      if (!match) return [];
      return valueEntries(match.spec, context.value);
    }
    default:
      return [];
  }
}

function elementEntry(set: ConfigurationSet, name: string, parentKey: string | undefined, replace: Span, open: string): CompletionEntry {
  const key = set.schema.childKey(parentKey, name);
  const spec = set.schema.element(key);
  const required = spec ? Object.entries(spec.attributes).filter(([, a]) => a.required && !a.requiredRelaxed).map(([n]) => n) : [];
  for (const family of spec?.families ?? []) if (family.spec.required && !family.spec.requiredRelaxed) required.push(family.example);
  const attributes = required.map((attr, i) => ` ${attr}="\${${i + 1}}"`).join('');
  const hasChildren = spec && (Object.keys(spec.children).length > 0 || spec.acceptsAnyTask);
  const body = hasChildren ? `>\n\t$0\n</${name}>` : ' />$0';
  return {
    label: name,
    kind: 'element',
    insertText: `${open}${name}${attributes}${body}`,
    snippet: true,
    replace,
    detail: spec?.scaffolding ? 'scaffolding' : spec?.task ? 'task' : spec?.category,
    sortGroup: spec?.undocumented ? 2 : spec?.scaffolding ? 1 : 0,
  };
}

function valueEntries(spec: AttributeSpec, replace: Span): CompletionEntry[] {
  if (spec.type === 'Boolean') return ['true', 'false'].map((label) => ({ label, kind: 'value' as const, insertText: label, replace, sortGroup: 0 }));
  if (spec.enumValues?.length) {
    return spec.enumValues.map((v) => ({ label: v.name ?? v.value, kind: 'enum' as const, insertText: v.name ?? v.value, replace, detail: v.name ? `= ${v.value}` : undefined, sortGroup: 0 }));
  }
  return [];
}

function referenceEntries(set: ConfigurationSet, kinds: readonly string[], replace: Span, typed: string, element: XmlElement | undefined): CompletionResult {
  const sameJobTasks = kinds.includes('Task') ? tasksOfEnclosingJob(set, element) : new Set<string>();
  const names = kinds.length === 1 ? sortedNames(set, kinds[0]) : sortNames([...new Set(kinds.flatMap((kind) => set.index.candidateNames(kind)))]);
  // Tasks of the cursor's job come first.
  const groups = sameJobTasks.size > 0 ? [names.filter((n) => sameJobTasks.has(n)), names.filter((n) => !sameJobTasks.has(n))] : [names];
  const { picked, incomplete } = pickNames(groups, typed);
  const kindSets = kinds.length > 1 ? kinds.map((kind) => new Set(set.index.candidateNames(kind))) : [];
  const entries = picked.map(({ name, group }): CompletionEntry => {
    // Describe the name by its XML declaration when it has one, else by where it comes from.
    const declaredKind = kinds.find((kind) => set.index.declarations(kind, name).length > 0);
    const decl = declaredKind ? set.index.declarations(declaredKind, name)[0] : undefined;
    const kind = declaredKind ?? (kinds.length === 1 ? kinds[0] : kinds[kindSets.findIndex((names) => names.has(name))] ?? kinds[0]);
    const label = set.schema.kind(kind)?.label ?? kind;
    const display = decl ? attributeValue(decl.element, 'DisplayName_L1') : undefined;
    const where = decl ? path.basename(decl.file) : set.index.settingsEntries(kind).some((e) => e.name === name) ? 'agent settings' : 'built-in';
    const inJob = groups.length === 2 && group === 0;
    return {
      label: name,
      kind: kinds.includes('Task') ? 'task' : 'reference',
      insertText: name,
      replace,
      detail: `${label}${display ? ` — ${display}` : ''} (${where})${inJob ? ' — in this job' : ''}`,
      sortGroup: inJob ? 0 : 1,
    };
  });
  return { entries, incomplete };
}

/** Tasks of the job that encloses the cursor's element (for ParentTask and Step). */
function tasksOfEnclosingJob(set: ConfigurationSet, element: XmlElement | undefined): Set<string> {
  let cursor = element;
  while (cursor && cursor.name !== 'Job') cursor = cursor.parent;
  const job = cursor ? attributeValue(cursor, 'Identifier') : undefined;
  const tasks = new Set<string>();
  if (!job) return tasks;
  for (const [task, jobs] of set.index.memberships().jobsOfTask) if (jobs.has(job)) tasks.add(task);
  return tasks;
}

function bindingEntries(set: ConfigurationSet, spec: AttributeSpec, replace: Span, typed: string, element: XmlElement | undefined): CompletionResult {
  const index = set.index;
  const lastDot = typed.lastIndexOf('.');
  const head = lastDot >= 0 ? typed.slice(0, lastDot) : '';
  const current = lastDot >= 0 ? typed.slice(lastDot + 1) : typed;
  const colon = current.indexOf(':');
  const segmentStart = replace.start + (lastDot >= 0 ? lastDot + 1 : 0);
  const segmentReplace = { start: segmentStart + (colon >= 0 ? colon + 1 : 0), end: replace.end };
  let owner: string | undefined;
  if (colon >= 0) owner = current.slice(0, colon);
  else if (head !== '') owner = endTypeOf(set, head, spec, element);
  else {
    const contexts: LocalContext[] = element ? (spec.binding?.context ?? []).map((c) => ({ value: readContext(element, c) ?? '', spec: c })).filter((c) => c.value) : [];
    owner = contextType(contexts, index);
  }
  // Properties of the segment's owner first, then entity types ("Type:").
  const groups: (readonly string[])[] = [];
  if (owner !== undefined) groups.push(sortNames(propertiesOf(owner, index)));
  if (colon < 0) groups.push(sortedNames(set, 'EntityType'));
  const { picked, incomplete } = pickNames(groups, colon >= 0 ? current.slice(colon + 1) : current);
  const typesGroup = colon < 0 ? groups.length - 1 : -1;
  const entries = picked.map(({ name, group }): CompletionEntry => {
    if (group === typesGroup) {
      return { label: `${name}:`, kind: 'entityType', insertText: `${name}:`, replace: { start: segmentStart, end: replace.end }, detail: 'entity type', sortGroup: owner ? 2 : 0 };
    }
    const navigation = index.navigation(owner!, name);
    const decl = index.declarations('EntityType.Property', `${owner}.${name}`)[0];
    const display = decl ? attributeValue(decl.element, 'DisplayName_L1') : undefined;
    return {
      label: name,
      kind: navigation ? 'navigation' : 'property',
      insertText: name,
      replace: segmentReplace,
      detail: `${navigation ? `navigation to ${navigation.target}` : `property of ${owner}`}${display ? ` — ${display}` : ''}`,
      sortGroup: 0,
    };
  });
  return { entries, incomplete };
}

/** The entity type a partial binding path ends on. */
function endTypeOf(set: ConfigurationSet, head: string, spec: AttributeSpec, element: XmlElement | undefined): string | undefined {
  const segments = parseBinding(head, 0, true);
  if (!segments) return undefined;
  let current: string | undefined;
  if (!segments[0].type && element) {
    const contexts = (spec.binding?.context ?? []).map((c) => ({ value: readContext(element, c) ?? '', spec: c })).filter((c) => c.value);
    current = contextType(contexts, set.index);
  }
  for (const segment of segments) {
    if (segment.type) current = segment.type.name;
    if (current === undefined) return undefined;
    current = set.index.navigation(current, segment.property.name)?.target;
  }
  return current;
}

function typeLabel(spec: AttributeSpec): string {
  if (spec.ref) return `→ ${spec.ref.kinds.join(' | ')}`;
  if (spec.binding) return 'binding';
  return spec.type;
}

function nextFamilyMember(example: string, used: readonly string[]): string | undefined {
  if (used.length === 0) return example;
  const match = /^(.*?)(\d+)$/.exec(example);
  if (!match) return undefined;
  for (let i = Number(match[2]); i < Number(match[2]) + 64; i++) {
    const candidate = `${match[1]}${i}`;
    if (!used.includes(candidate)) return candidate;
  }
  return undefined;
}
