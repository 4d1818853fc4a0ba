import { resolveBinding } from '../index/bindings';
import type { Declaration } from '../index/fileModel';
import type { Schema } from '../schema/schema';
import type { Span } from '../syntax/lineIndex';
import { contains } from '../syntax/model';
import type { ConfigurationSet } from '../engine/configurationSet';

/** A symbol's identity: a kind and the name references use ("AD_Entry", "AD_Entry.mail" for a property). */
export interface SymbolId {
  kind: string;
  name: string;
}

export type OccurrenceRole = 'declaration' | 'reference' | 'settings';

export interface Occurrence {
  file: string;
  span: Span;
  role: OccurrenceRole;
  /** The text to replace on rename (a property's local name, not "Type.prop"). */
  text: string;
  /** Offsets map 1:1 to the text (no XML entity in the value), so a rename can edit it. */
  editable: boolean;
}

export interface SymbolHit {
  symbol: SymbolId;
  span: Span;
  role: OccurrenceRole;
}

/**
 * Kinds that name the same thing: those listed together as targets of one reference attribute
 * (a `<Connection>` and its agent settings entry; an `<OpenIdClient>` and its settings key; …).
 */
export function linkedKinds(schema: Schema, kind: string): string[] {
  let cache = linkedCache.get(schema);
  if (!cache) linkedCache.set(schema, (cache = new Map()));
  let result = cache.get(kind);
  if (!result) cache.set(kind, (result = computeLinkedKinds(schema, kind)));
  return [...result];
}

const linkedCache = new WeakMap<Schema, Map<string, string[]>>();

function computeLinkedKinds(schema: Schema, kind: string): string[] {
  const linked = new Set([kind]);
  for (const element of Object.values(schema.data.elements)) {
    for (const attribute of Object.values(element.attributes)) {
      const kinds = attribute.ref?.kinds;
      if (kinds && kinds.includes(kind) && kinds.length > 1) for (const k of kinds) if (schema.kind(k)) linked.add(k);
    }
  }
  return [...linked];
}

/** The symbol under the cursor in a file of the set: a declaration, a reference, a binding segment or a settings key. */
export function symbolAt(set: ConfigurationSet, file: string, offset: number): SymbolHit | undefined {
  const settings = set.settingsFile();
  if (settings?.path === file) {
    const entry = settings.model.entries.find((e) => contains(e.span, offset));
    return entry ? { symbol: { kind: entry.kind, name: entry.name }, span: entry.span, role: 'settings' } : undefined;
  }
  const model = set.index.model(file);
  if (!model) return undefined;
  for (const decl of model.declarations) if (contains(decl.span, offset)) return { symbol: { kind: decl.kind, name: decl.name }, span: decl.span, role: 'declaration' };
  for (const ref of model.references) {
    if (!contains(ref.span, offset)) continue;
    const kind = ref.kinds.find((k) => set.index.symbols(k, ref.name).length > 0) ?? ref.kinds.find((k) => set.schema.kind(k)) ?? ref.kinds[0];
    return { symbol: { kind, name: ref.name }, span: ref.span, role: 'reference' };
  }
  for (const use of model.bindings) {
    if (!contains(use.span, offset)) continue;
    const steps = resolveBinding(use, set.index)?.steps ?? [];
    const step = steps.find((s) => contains(s.span, offset));
    if (!step) return undefined;
    const name = step.kind === 'EntityType.Property' ? `${step.owner}.${step.name}` : step.name;
    return { symbol: { kind: step.kind, name }, span: step.span, role: 'reference' };
  }
  return undefined;
}

/** Declarations of a symbol (XML) across its linked kinds. */
export function declarationsOf(set: ConfigurationSet, symbol: SymbolId): Declaration[] {
  return linkedKinds(set.schema, symbol.kind).flatMap((kind) => [...set.index.declarations(kind, symbol.name)]);
}

/** Every place that names the symbol in the set: declarations, references, binding segments, settings keys. */
/**
 * Every occurrence of a symbol. `editable` is only worked out when `forRename` (it reads each reference's attribute
 * again, which costs seconds on the hundreds of thousands of references a widely used name has); otherwise it is true.
 */
export function occurrencesOf(set: ConfigurationSet, symbol: SymbolId, forRename = true): Occurrence[] {
  const kinds = new Set(linkedKinds(set.schema, symbol.kind));
  const localName = symbol.kind === 'EntityType.Property' ? symbol.name.slice(symbol.name.indexOf('.') + 1) : symbol.name;
  const result: Occurrence[] = [];
  for (const model of set.index.modelsMentioning([symbol.name, localName])) {
    for (const decl of model.declarations) {
      if (kinds.has(decl.kind) && decl.name === symbol.name) result.push({ file: model.file, span: decl.span, role: 'declaration', text: localName, editable: true });
    }
    for (const ref of model.references) {
      if (ref.name === symbol.name && ref.kinds.some((k) => kinds.has(k))) {
        const editable = !forRename || !ref.element.attributes.find((a) => a.name === ref.attribute)?.hasEntities;
        result.push({ file: model.file, span: ref.span, role: 'reference', text: localName, editable });
      }
    }
    if (symbol.kind === 'EntityType' || symbol.kind === 'EntityType.Property') {
      for (const use of model.bindings) {
        if (!use.value.includes(localName)) continue;
        for (const step of resolveBinding(use, set.index)?.steps ?? []) {
          const name = step.kind === 'EntityType.Property' ? `${step.owner}.${step.name}` : step.name;
          if (step.kind === symbol.kind && name === symbol.name) result.push({ file: model.file, span: step.span, role: 'reference', text: localName, editable: use.exactOffsets });
        }
      }
    }
  }
  result.push(...settingsOccurrencesOf(set, symbol));
  return result;
}

/** The agent settings entries that name the symbol (the 'settings' occurrences of occurrencesOf, alone and fast). */
export function settingsOccurrencesOf(set: ConfigurationSet, symbol: SymbolId): Occurrence[] {
  const kinds = new Set(linkedKinds(set.schema, symbol.kind));
  const localName = symbol.kind === 'EntityType.Property' ? symbol.name.slice(symbol.name.indexOf('.') + 1) : symbol.name;
  const result: Occurrence[] = [];
  for (const entry of set.index.settingsEntries()) {
    if (kinds.has(entry.kind) && entry.name === symbol.name) result.push({ file: entry.file, span: entry.span, role: 'settings', text: localName, editable: true });
  }
  return result;
}
