import { modify, type FormattingOptions } from 'jsonc-parser';
import type { Diagnostic } from '../checks/diagnostic';
import type { ConfigurationSet } from '../engine/configurationSet';
import { walk } from '../syntax/model';
import type { TextEditPlain } from './navigation';

export interface CodeActionPlain {
  title: string;
  diagnostic: Diagnostic;
  edits: TextEditPlain[];
  preferred?: boolean;
}

const PLACEHOLDER_SECRET = '<store this secret in a vault or encrypt the file>';

/** Quick fixes for the diagnostics of a file, computed from the fix data the rules attached. */
export function codeActions(set: ConfigurationSet, diagnostics: readonly Diagnostic[], textOf: (file: string) => string | undefined): CodeActionPlain[] {
  const actions: CodeActionPlain[] = [];
  for (const diagnostic of diagnostics) {
    const fix = diagnostic.fix;
    if (!fix) continue;
    fix.replacements?.forEach((replacement, i) =>
      actions.push({ title: `Change to '${replacement}'`, diagnostic, edits: [{ file: diagnostic.file, span: diagnostic.span, newText: replacement }], preferred: i === 0 && fix.replacements!.length === 1 }),
    );
    if (fix.deleteSpan) actions.push({ title: 'Remove the duplicate attribute', diagnostic, edits: [{ file: diagnostic.file, span: fix.deleteSpan, newText: '' }], preferred: true });
    if (fix.addAttributes?.length) {
      const edit = addAttributesEdit(set, diagnostic, fix.addAttributes);
      if (edit) actions.push({ title: `Add ${fix.addAttributes.map((a) => a.name).join(', ')}`, diagnostic, edits: [edit], preferred: true });
    }
    if (fix.addConnectionSettings) {
      const edit = addConnectionSettingsEdit(set, fix.addConnectionSettings.connection, fix.addConnectionSettings.packageId, textOf);
      if (edit) actions.push({ title: `Add settings for connection '${fix.addConnectionSettings.connection}' to ${basename(edit.file)}`, diagnostic, edits: [edit] });
    }
  }
  return actions;
}

function addAttributesEdit(set: ConfigurationSet, diagnostic: Diagnostic, attributes: { name: string; value: string }[]): TextEditPlain | undefined {
  const source = set.file(diagnostic.file);
  if (!source) return undefined;
  for (const element of walk(source.doc.roots)) {
    if (element.nameSpan.start !== diagnostic.span.start) continue;
    const last = element.attributes[element.attributes.length - 1];
    const at = last ? (last.valueSpan ? last.valueSpan.end + 1 : last.nameSpan.end) : element.nameSpan.end;
    return { file: diagnostic.file, span: { start: at, end: at }, newText: attributes.map((a) => ` ${a.name}="${a.value}"`).join('') };
  }
  return undefined;
}

/** A stub entry under "Connections" with the keys the package needs; placeholders, never secrets. Formatting is kept. */
export function addConnectionSettingsEdit(set: ConfigurationSet, connection: string, packageId: string | undefined, textOf: (file: string) => string | undefined): TextEditPlain | undefined {
  const settings = set.settingsFile();
  if (!settings) return undefined;
  const text = textOf(settings.path);
  if (text === undefined) return undefined;
  const pkg = packageId ? set.schema.data.connectionPackages[packageId] : undefined;
  const stub: Record<string, unknown> = {};
  for (const key of pkg?.keys ?? []) {
    if (!key.required || key.name.includes('[]') || key.name.includes(':')) continue;
    const nested = pkg!.keys.filter((k) => k.name.startsWith(`${key.name}[].`) && k.required);
    if (nested.length > 0) {
      stub[key.name] = [Object.fromEntries(nested.map((k) => [k.name.slice(key.name.length + 3), k.secret ? PLACEHOLDER_SECRET : `<${k.name.slice(key.name.length + 3)}>`]))];
    } else stub[key.name] = key.secret ? PLACEHOLDER_SECRET : `<${key.name}>`;
  }
  const formattingOptions: FormattingOptions = { insertSpaces: !/\n\t/.test(text), tabSize: detectIndent(text), eol: text.includes('\r\n') ? '\r\n' : '\n' };
  const edits = modify(text, ['Connections', connection], stub, { formattingOptions });
  if (edits.length === 0) return undefined;
  // modify() returns one edit for an insertion; merge defensively into one replacement of the covered range.
  const start = Math.min(...edits.map((e) => e.offset));
  const end = Math.max(...edits.map((e) => e.offset + e.length));
  let merged = text.slice(start, end);
  for (const edit of [...edits].sort((a, b) => b.offset - a.offset)) {
    merged = merged.slice(0, edit.offset - start) + edit.content + merged.slice(edit.offset - start + edit.length);
  }
  return { file: settings.path, span: { start, end }, newText: merged };
}

function detectIndent(text: string): number {
  const match = /\n( +)"/.exec(text);
  return match ? Math.min(match[1].length, 8) : 2;
}

function basename(file: string): string {
  return file.split(/[\\/]/).pop() ?? file;
}
