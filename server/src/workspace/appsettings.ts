import { findNodeAtLocation, parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import type { Span } from '../syntax/lineIndex';

/** A key or value of the agent settings file that declares a symbol (a connection, an OpenId client, the agent). */
export interface SettingsEntry {
  kind: string;
  name: string;
  file: string;
  span: Span;
  /** Range of the whole value of the entry (the connection's object), when it is a keyed entry. */
  valueSpan?: Span;
  /** Top-level setting names inside the entry's object ("Server", "Login"), for package checks. */
  settingNames?: string[];
}

export interface JsonProblem {
  message: string;
  span: Span;
}

export interface AppSettingsModel {
  file: string;
  entries: SettingsEntry[];
  problems: JsonProblem[];
  /** The parsed tree, for features that need more than entries (completion, secrets). */
  root: Node | undefined;
}

/** Where each appsettings symbol kind lives in the file: an object whose keys declare, or a string value that declares. */
export interface SettingsKindLocation {
  kind: string;
  jsonPath: string;
}

export function parseAppSettings(file: string, text: string, kinds: readonly SettingsKindLocation[]): AppSettingsModel {
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false });
  const problems = errors.map((error) => ({
    message: `Invalid JSON: ${describeJsonError(printParseErrorCode(error.error))}.`,
    // At the end of the text the parser reports a one-character error past it: keep the range inside the text.
    span: { start: Math.min(error.offset, text.length), end: Math.min(text.length, error.offset + Math.max(1, error.length)) },
  }));
  const entries: SettingsEntry[] = [];
  if (root) {
    for (const { kind, jsonPath } of kinds) {
      const node = findNodeAtLocation(root, jsonPath.split('.'));
      if (!node) continue;
      if (node.type === 'object') {
        for (const property of node.children ?? []) {
          const [keyNode, valueNode] = property.children ?? [];
          if (!keyNode || typeof keyNode.value !== 'string') continue;
          entries.push({
            kind,
            name: keyNode.value,
            file,
            span: stringSpan(keyNode),
            valueSpan: valueNode ? { start: valueNode.offset, end: valueNode.offset + valueNode.length } : undefined,
            settingNames: valueNode?.type === 'object' ? objectKeys(valueNode) : undefined,
          });
        }
      } else if (node.type === 'string' && typeof node.value === 'string' && node.value !== '') {
        entries.push({ kind, name: node.value, file, span: stringSpan(node) });
      }
    }
  }
  return { file, entries, problems, root };
}

/** The text between a string node's quotes. A string cut by the end of the file has no closing quote: never inverted. */
export function stringSpan(node: Node): Span {
  const start = node.offset + 1;
  return { start, end: Math.max(start, node.offset + node.length - 1) };
}

function objectKeys(node: Node): string[] {
  return (node.children ?? []).map((property) => property.children?.[0]?.value).filter((key): key is string => typeof key === 'string');
}

const JSON_ERROR_WORDS: Record<string, string> = {
  InvalidSymbol: 'unexpected character',
  InvalidNumberFormat: 'malformed number',
  PropertyNameExpected: 'a property name in double quotes is expected here',
  ValueExpected: 'a value is expected here',
  ColonExpected: "':' is expected after the property name",
  CommaExpected: "',' is expected between entries (a comma is missing)",
  CloseBraceExpected: "'}' is expected to close the object",
  CloseBracketExpected: "']' is expected to close the array",
  EndOfFileExpected: 'text after the end of the JSON value',
  InvalidCommentToken: 'malformed comment',
  UnexpectedEndOfComment: 'a comment is not closed',
  UnexpectedEndOfString: 'a string is not closed',
  UnexpectedEndOfNumber: 'a number is not finished',
  InvalidUnicode: 'malformed \\u escape',
  InvalidEscapeCharacter: 'invalid escape sequence in a string (write \\\\ for a backslash)',
  InvalidCharacter: 'invalid character in a string',
};

function describeJsonError(code: string): string {
  return JSON_ERROR_WORDS[code] ?? code;
}
