import type { ConfigurationSet } from '../engine/configurationSet';
import type { Span } from '../syntax/lineIndex';
import { declarationsOf, occurrencesOf, settingsOccurrencesOf, symbolAt } from './symbols';

export interface FileSpan {
  file: string;
  span: Span;
}

/** Go to definition: the XML declarations of the symbol, then its agent settings entries. */
export function findDefinition(set: ConfigurationSet, file: string, offset: number): FileSpan[] {
  const hit = symbolAt(set, file, offset);
  if (!hit) return [];
  const xml = declarationsOf(set, hit.symbol).map((d) => ({ file: d.file, span: d.span }));
  const settings = settingsOccurrencesOf(set, hit.symbol).map((o) => ({ file: o.file, span: o.span }));
  // From a settings key, the definition is the XML declaration; from XML, both (XML first).
  const targets = hit.role === 'settings' ? xml : [...xml, ...settings];
  return targets.filter((t) => !(t.file === file && t.span.start === hit.span.start));
}

export function findReferences(set: ConfigurationSet, file: string, offset: number, includeDeclaration: boolean): FileSpan[] {
  const hit = symbolAt(set, file, offset);
  if (!hit) return [];
  return occurrencesOf(set, hit.symbol, false)
    .filter((o) => includeDeclaration || o.role === 'reference')
    .map((o) => ({ file: o.file, span: o.span }));
}

export type PrepareRenameResult = { span: Span; placeholder: string } | { error: string };

export function prepareRename(set: ConfigurationSet, file: string, offset: number): PrepareRenameResult {
  const hit = symbolAt(set, file, offset);
  if (!hit) return { error: 'Nothing to rename here: place the cursor on an identifier, a reference or a binding segment.' };
  if (set.index.isBuiltin(hit.symbol.kind, hit.symbol.name) && declarationsOf(set, hit.symbol).length === 0) {
    return { error: `'${hit.symbol.name}' is provided by Identity Manager itself and cannot be renamed.` };
  }
  const occurrences = occurrencesOf(set, hit.symbol);
  const readOnly = occurrences.find((o) => set.index.isModule(o.file));
  if (readOnly) return { error: `'${hit.symbol.name}' is also used in a read-only module (${readOnly.file}); renaming it would break the module.` };
  if (occurrences.some((o) => !o.editable)) return { error: `'${hit.symbol.name}' appears in a value written with XML entities; rename it by hand.` };
  const placeholder = occurrences.find((o) => o.file === file && o.span.start === hit.span.start)?.text ?? hit.symbol.name;
  return { span: hit.span, placeholder };
}

export interface TextEditPlain {
  file: string;
  span: Span;
  newText: string;
}

export function rename(set: ConfigurationSet, file: string, offset: number, newName: string): TextEditPlain[] | { error: string } {
  const prepared = prepareRename(set, file, offset);
  if ('error' in prepared) return prepared;
  if (!/^[A-Za-z_][\w-]*$/.test(newName)) return { error: `'${newName}' is not a valid identifier (letters, digits, '_' and '-', not starting with a digit).` };
  const hit = symbolAt(set, file, offset)!;
  const seen = new Set<string>();
  return occurrencesOf(set, hit.symbol)
    .filter((o) => {
      const key = `${o.file}:${o.span.start}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .map((o) => ({ file: o.file, span: o.span, newText: newName }));
}
