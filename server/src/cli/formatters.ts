import * as path from 'node:path';
import type { Diagnostic, Severity } from '../checks/diagnostic';
import { RULES } from '../checks/registry';
import type { LineIndex, Range } from '../syntax/lineIndex';

export interface FormatInput {
  diagnostics: Diagnostic[];
  files: number;
  cwd: string;
  linesOf(file: string): LineIndex | undefined;
  color: boolean;
  version: string;
}

export function relativePath(file: string, cwd: string): string {
  const relative = path.relative(cwd, file) || path.basename(file);
  return relative.split(path.sep).join('/');
}

function rangeOf(input: FormatInput, file: string, span: Diagnostic['span']): Range {
  const lines = input.linesOf(file);
  return lines ? lines.rangeOf(span) : { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
}

const COLORS: Record<Severity, string> = { error: '\u001b[31m', warning: '\u001b[33m', information: '\u001b[36m', hint: '\u001b[90m' };
const RESET = '\u001b[0m';

export function formatText(input: FormatInput): string {
  const lines = input.diagnostics.map((d) => {
    const { start } = rangeOf(input, d.file, d.span);
    const severity = input.color ? `${COLORS[d.severity]}${d.severity}${RESET}` : d.severity;
    return `${relativePath(d.file, input.cwd)}:${start.line + 1}:${start.character + 1} ${severity} ${d.code} ${d.message}`;
  });
  lines.push(summary(input.diagnostics, input.files));
  return `${lines.join('\n')}\n`;
}

export function summary(diagnostics: Diagnostic[], files: number): string {
  const count = (s: Severity) => diagnostics.filter((d) => d.severity === s).length;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  return `${plural(count('error'), 'error')}, ${plural(count('warning'), 'warning')}, ${count('information')} information, ${plural(count('hint'), 'hint')} in ${plural(files, 'configuration file')}.`;
}

export function formatJson(input: FormatInput): string {
  const document = {
    version: 1,
    files: input.files,
    diagnostics: input.diagnostics.map((d) => ({
      file: relativePath(d.file, input.cwd),
      range: rangeOf(input, d.file, d.span),
      severity: d.severity,
      code: d.code,
      message: d.message,
      related: (d.related ?? []).map((r) => ({ file: relativePath(r.file, input.cwd), range: rangeOf(input, r.file, r.span), message: r.message })),
    })),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

const SARIF_LEVEL: Record<Severity, string> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };
const DOCS_GUIDE = 'docs/diagnostics.md in the usercube-conf package';

export function formatSarif(input: FormatInput): string {
  const region = (file: string, span: Diagnostic['span']) => {
    const range = rangeOf(input, file, span);
    return { startLine: range.start.line + 1, startColumn: range.start.character + 1, endLine: range.end.line + 1, endColumn: range.end.character + 1 };
  };
  const location = (file: string, span: Diagnostic['span']) => ({
    physicalLocation: { artifactLocation: { uri: encodeURI(relativePath(file, input.cwd)), uriBaseId: '%SRCROOT%' }, region: region(file, span) },
  });
  const codes = [...new Set([...RULES.map((r) => r.code), ...input.diagnostics.map((d) => d.code)])];
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'usercube-conf',
            version: input.version,
            rules: codes.map((code) => {
              const rule = RULES.find((r) => r.code === code);
              return {
                id: code,
                shortDescription: { text: code.replace(/-/g, ' ') },
                help: { text: `See ${DOCS_GUIDE}, section "${code}".` },
                defaultConfiguration: { level: SARIF_LEVEL[rule?.severity ?? 'information'] },
              };
            }),
          },
        },
        columnKind: 'utf16CodeUnits',
        originalUriBaseIds: { '%SRCROOT%': { uri: `${pathToUri(input.cwd)}/` } },
        results: input.diagnostics.map((d) => ({
          ruleId: d.code,
          ruleIndex: codes.indexOf(d.code),
          level: SARIF_LEVEL[d.severity],
          message: { text: d.message },
          locations: [location(d.file, d.span)],
          relatedLocations: (d.related ?? []).map((r, id) => ({ id, message: { text: r.message }, ...location(r.file, r.span) })),
        })),
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}

function pathToUri(folder: string): string {
  const normalized = folder.split(path.sep).join('/');
  return `file://${normalized.startsWith('/') ? '' : '/'}${encodeURI(normalized)}`;
}
