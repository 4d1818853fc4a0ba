import {
  CompletionItemKind,
  DiagnosticSeverity,
  InsertTextFormat,
  MarkupKind,
  SymbolKind,
  type CompletionItem,
  type Diagnostic as LspDiagnostic,
  type Location,
  type Range,
} from 'vscode-languageserver/node';
import { URI } from 'vscode-uri';
import type { Diagnostic, Severity } from '../checks/diagnostic';
import type { CompletionEntry, CompletionKind } from '../features/completion';
import type { LineIndex, Span } from '../syntax/lineIndex';

export const SOURCE = 'usercube-conf';

export function uriToPath(uri: string): string {
  return URI.parse(uri).fsPath;
}

/** URIs by path: a reference list or a rename can name the same file hundreds of thousands of times. */
const uris = new Map<string, string>();
const URIS_KEPT = 100_000;

export function pathToUri(file: string): string {
  let uri = uris.get(file);
  if (uri === undefined) {
    if (uris.size >= URIS_KEPT) uris.clear();
    uri = URI.file(file).toString();
    uris.set(file, uri);
  }
  return uri;
}

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export type LinesOf = (file: string) => LineIndex | undefined;

export function toRange(lines: LineIndex | undefined, span: Span): Range {
  return lines ? lines.rangeOf(span) : { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
}

export function toLocation(linesOf: LinesOf, file: string, span: Span): Location {
  return { uri: pathToUri(file), range: toRange(linesOf(file), span) };
}

export function toLspDiagnostic(diagnostic: Diagnostic, linesOf: LinesOf): LspDiagnostic {
  return {
    range: toRange(linesOf(diagnostic.file), diagnostic.span),
    severity: SEVERITY[diagnostic.severity],
    code: diagnostic.code,
    codeDescription: undefined,
    source: SOURCE,
    message: diagnostic.message,
    relatedInformation: diagnostic.related?.map((r) => ({ location: toLocation(linesOf, r.file, r.span), message: r.message })),
  };
}

const COMPLETION_KIND: Record<CompletionKind, CompletionItemKind> = {
  element: CompletionItemKind.Class,
  attribute: CompletionItemKind.Property,
  value: CompletionItemKind.Value,
  enum: CompletionItemKind.EnumMember,
  reference: CompletionItemKind.Reference,
  entityType: CompletionItemKind.Class,
  property: CompletionItemKind.Field,
  navigation: CompletionItemKind.Module,
  task: CompletionItemKind.Function,
  snippet: CompletionItemKind.Snippet,
};

export function toCompletionItem(entry: CompletionEntry, lines: LineIndex): CompletionItem {
  return {
    label: entry.label,
    kind: COMPLETION_KIND[entry.kind],
    detail: entry.detail,
    documentation: entry.documentation ? { kind: MarkupKind.Markdown, value: entry.documentation } : undefined,
    sortText: `${entry.sortGroup}_${entry.label}`,
    filterText: entry.filterText ?? entry.label,
    insertTextFormat: entry.snippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
    textEdit: { range: lines.rangeOf(entry.replace), newText: entry.insertText },
  };
}

const SYMBOL_KIND: Record<string, SymbolKind> = {
  EntityType: SymbolKind.Class,
  'EntityType.Property': SymbolKind.Property,
  EntityAssociation: SymbolKind.Interface,
  Task: SymbolKind.Function,
  Job: SymbolKind.Module,
  Connector: SymbolKind.Package,
  Connection: SymbolKind.Constant,
  Agent: SymbolKind.Object,
  Profile: SymbolKind.Key,
  ResourceType: SymbolKind.Struct,
  OpenIdClient: SymbolKind.Key,
};

export function toSymbolKind(kind: string): SymbolKind {
  return SYMBOL_KIND[kind] ?? SymbolKind.Field;
}
