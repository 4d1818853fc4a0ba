import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'jsonc-parser';
import type { Schema } from '../schema/schema';
import type { Span } from '../syntax/lineIndex';
import type { CompletionEntry } from './completion';

/** One snippet of `snippets/usercube.code-snippets`, with the element its body starts with. */
export interface ConfigurationSnippet {
  name: string;
  prefix: string;
  description: string;
  body: string;
  /** First element of the body ("ExportTask"), or undefined for a whole file (`<?xml …`). */
  element: string | undefined;
}

const SNIPPET_FILE = path.join('snippets', 'usercube.code-snippets');
let cache: ConfigurationSnippet[] | undefined;

/**
 * The snippets shipped with the package. The language server offers them itself, only where the schema allows
 * their first element, instead of VS Code showing every snippet everywhere (inside attribute values too).
 */
export function loadSnippets(): ConfigurationSnippet[] {
  if (cache) return cache;
  cache = [];
  const file = findUpward(__dirname, SNIPPET_FILE);
  if (!file) return cache;
  const raw = parse(fs.readFileSync(file, 'utf8')) as Record<string, { prefix: string | string[]; description?: string; body: string | string[] }>;
  for (const [name, snippet] of Object.entries(raw ?? {})) {
    const body = Array.isArray(snippet.body) ? snippet.body.join('\n') : snippet.body;
    const prefixes = Array.isArray(snippet.prefix) ? snippet.prefix : [snippet.prefix];
    const element = body.startsWith('<?') ? undefined : /^<([\w.-]+)/.exec(body)?.[1];
    cache.push({ name, prefix: prefixes[0], description: snippet.description ?? name, body, element });
  }
  return cache;
}

/** Snippet completions valid under `parentKey` (undefined: the root's children); `wholeFile` when the document is empty. */
export function snippetEntries(schema: Schema, parentKey: string | undefined, replace: Span, typedOpenBracket: boolean, wholeFile: boolean): CompletionEntry[] {
  const entries: CompletionEntry[] = [];
  for (const snippet of loadSnippets()) {
    const fits = snippet.element === undefined ? wholeFile : schema.childKey(parentKey, snippet.element) !== undefined;
    if (!fits) continue;
    entries.push({
      label: snippet.prefix,
      kind: 'snippet',
      insertText: typedOpenBracket && snippet.body.startsWith('<') ? snippet.body.slice(1) : snippet.body,
      snippet: true,
      replace,
      detail: snippet.name,
      documentation: snippet.description,
      filterText: `${snippet.element ?? ''} ${snippet.prefix}`.trim(),
      sortGroup: 4,
    });
  }
  return entries;
}

function findUpward(start: string, relative: string): string | undefined {
  for (let dir = start, i = 0; i < 8; i++, dir = path.dirname(dir)) {
    const candidate = path.join(dir, relative);
    if (fs.existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) break;
  }
  return undefined;
}
