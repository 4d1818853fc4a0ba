import type { ConfigurationSet } from '../engine/configurationSet';
import type { Span } from '../syntax/lineIndex';
import { attribute, type XmlElement } from '../syntax/model';

export interface OutlineSymbol {
  name: string;
  /** The element name ("EntityType", "ExportTask"). */
  detail: string;
  /** Symbol kind of the declaration ("EntityType", "Task"...), or the element name for undeclared elements. */
  kind: string;
  span: Span;
  selection: Span;
  children: OutlineSymbol[];
}

/** The outline of one file: identified elements (jobs with their tasks, entity types with their properties, …). */
export function documentSymbols(set: ConfigurationSet, file: string): OutlineSymbol[] {
  const source = set.file(file);
  const root = source?.doc.roots[0];
  if (!source || !root) return [];
  const declared = new Map(source.model.declarations.map((d) => [d.element, d]));
  const visit = (element: XmlElement): OutlineSymbol[] => {
    const children = element.children.flatMap(visit);
    const decl = declared.get(element);
    const identifier = decl ? undefined : attribute(element, 'Identifier') ?? attribute(element, 'Id');
    if (!decl && !identifier?.value && !set.schema.element(element.defKey)?.scaffolding) return children;
    const name = decl?.localName ?? identifier?.value ?? element.name;
    return [
      {
        name,
        detail: element.name,
        kind: decl?.kind ?? element.name,
        span: element.span,
        selection: decl?.span ?? identifier?.valueSpan ?? element.nameSpan,
        children,
      },
    ];
  };
  return root.children.flatMap(visit);
}

export interface WorkspaceSymbolEntry {
  name: string;
  kind: string;
  elementName: string;
  file: string;
  span: Span;
  container?: string;
}

/** Every declaration of the sets whose name matches the query (case-insensitive, in order). */
export function workspaceSymbols(sets: readonly ConfigurationSet[], query: string, limit = 500): WorkspaceSymbolEntry[] {
  const result: WorkspaceSymbolEntry[] = [];
  const needle = query.toLowerCase();
  for (const set of sets) {
    for (const model of set.index.allModels()) {
      if (set.index.isModule(model.file)) continue;
      for (const decl of model.declarations) {
        if (!matchesInOrder(decl.localName.toLowerCase(), needle)) continue;
        result.push({ name: decl.localName, kind: decl.kind, elementName: decl.element.name, file: decl.file, span: decl.span, container: decl.owner });
        if (result.length >= limit) return result;
      }
    }
  }
  return result;
}

function matchesInOrder(haystack: string, needle: string): boolean {
  let i = 0;
  for (const ch of haystack) if (ch === needle[i]) i++;
  return i === needle.length;
}
