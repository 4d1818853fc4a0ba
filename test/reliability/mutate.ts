import fc from 'fast-check';
import { modify } from 'jsonc-parser';
import { decodeBytes } from '../../server/src/syntax/text';

/**
 * Mutations of a configuration text. Each is plain data (so fast-check can shrink a failing case to a short list of
 * small edits) and is applied by `applyMutations`. Positions are taken modulo the current length.
 */
export type Mutation =
  | { op: 'truncate'; at: number }
  | { op: 'insert'; at: number; text: string }
  | { op: 'delete'; at: number; length: number }
  | { op: 'insertTag'; at: number; tag: string }
  | { op: 'dropQuote'; nth: number }
  | { op: 'duplicateAttribute'; nth: number }
  | { op: 'hugeValue'; nth: number; size: number; fill: string }
  | { op: 'splice'; at: number; from: number; length: number }
  | { op: 'rename'; nth: number; name: string }
  | { op: 'bytes'; at: number; bytes: number[] }
  | { op: 'nest'; at: number; depth: number; name: string; closed: boolean }
  | { op: 'repeat'; at: number; length: number; times: number }
  | { op: 'lineEnds'; style: '\r\n' | '\r' }
  | { op: 'jsonSet'; path: (string | number)[]; value: unknown }
  | { op: 'jsonReplace'; value: unknown };

/** Element and attribute names, and identifiers, that the mutations reuse (so that edits hit real semantics). */
export interface Vocabulary {
  elements: string[];
  attributes: string[];
  values: string[];
}

export function vocabularyOf(texts: readonly string[]): Vocabulary {
  const elements = new Set<string>();
  const attributes = new Set<string>();
  const values = new Set<string>();
  for (const text of texts) {
    for (const m of text.matchAll(/<([A-Za-z_][\w.:-]*)/g)) elements.add(m[1]);
    for (const m of text.matchAll(/\s([A-Za-z_][\w.:-]*)\s*=\s*"([^"<&]{0,80})"/g)) {
      attributes.add(m[1]);
      if (m[2]) values.add(m[2]);
    }
    for (const m of text.matchAll(/"([A-Za-z_][\w-]{0,60})"\s*:/g)) values.add(m[1]);
  }
  const sorted = (s: Set<string>) => [...s].sort().slice(0, 400);
  // Names that a lookup in a plain object finds although no file declares them (finding F12).
  const inherited = ['toString', 'constructor', '__proto__', 'hasOwnProperty', 'valueOf'];
  return { elements: [...sorted(elements), ...inherited], attributes: [...sorted(attributes), ...inherited], values: [...sorted(values), ...inherited] };
}

/** Characters and tokens that XML and JSON readers treat specially. */
const TOKENS = [
  '<', '>', '/>', '</', '"', "'", '=', '&', '&amp;', '&lt;', '&toString;', '&#x0;', '&#xD800;', '&unknown;', '&#99999999;', '<!--', '-->', '<![CDATA[', ']]>',
  '<?xml version="1.0"?>', '<!DOCTYPE x [<!ENTITY e "&e;&e;">]>', '\r', '\n', '\r\n', '\t', ' ', '\u0000', '\u0001', '\ufeff', '\ud800', '\udc00',
  '\u2028', 'é', '𝔘', ':', '.', '..', 'C#:', 'Literal:', '{', '}', '[', ']', ',', '//', '/*', '*/', '\\', '\\u', 'null', 'true', '1e999', '-0',
];

const SETTINGS_PATHS: (string | number)[][] = [
  ['Connections'], ['OpenId'], ['OpenId', 'OpenIdClients'], ['OpenId', 'OpenIdClients', 'Job'], ['OpenId', 'AgentIdentifier'],
  ['OpenId', 'DefaultOpenIdClient'], ['Connections', 'ADExport'], ['Connections', 'ADExport', 'Password'], ['Connections', 'HRPeople'],
  ['Connections', 'New'], ['Connections', 'New', 'ConnectionString'], ['Connections', 'ADExport', 'Servers', 0], ['Databases'], [''],
];

export function textArb(vocabulary: Vocabulary): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom(...TOKENS),
    fc.string({ maxLength: 12 }),
    // Any code points, lone surrogates included (fc.string's 'binary' unit costs seconds to set up).
    fc.array(fc.integer({ min: 0, max: 0x10ffff }), { maxLength: 12 }).map((codes) => String.fromCodePoint(...codes)),
    fc.constantFrom(...vocabulary.values, ...vocabulary.attributes),
    fc.array(fc.constantFrom(...TOKENS), { minLength: 1, maxLength: 6 }).map((parts) => parts.join('')),
  );
}

function tagArb(vocabulary: Vocabulary): fc.Arbitrary<string> {
  const name = fc.oneof(fc.constantFrom(...vocabulary.elements), fc.string({ maxLength: 8 }));
  const attr = fc.tuple(fc.constantFrom(...vocabulary.attributes), fc.oneof(fc.constantFrom(...vocabulary.values), fc.string({ maxLength: 10 }))).map(([n, v]) => ` ${n}="${v}"`);
  return fc
    .tuple(name, fc.array(attr, { maxLength: 4 }), fc.constantFrom('open', 'self', 'close', 'pair'))
    .map(([n, attrs, form]) => (form === 'open' ? `<${n}${attrs.join('')}>` : form === 'self' ? `<${n}${attrs.join('')}/>` : form === 'close' ? `</${n}>` : `<${n}${attrs.join('')}></${n}>`));
}

/** One mutation. `scale` bounds the sizes (huge values, nesting, repetitions). */
export function mutationArb(vocabulary: Vocabulary, scale = { huge: 50_000, depth: 400, times: 50 }): fc.Arbitrary<Mutation> {
  const at = fc.nat();
  return fc.oneof(
    { weight: 2, arbitrary: at.map((a) => ({ op: 'truncate' as const, at: a })) },
    { weight: 6, arbitrary: fc.record({ op: fc.constant('insert' as const), at, text: textArb(vocabulary) }) },
    { weight: 4, arbitrary: fc.record({ op: fc.constant('delete' as const), at, length: fc.integer({ min: 1, max: 64 }) }) },
    { weight: 4, arbitrary: fc.record({ op: fc.constant('insertTag' as const), at, tag: tagArb(vocabulary) }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant('dropQuote' as const), nth: fc.nat() }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant('duplicateAttribute' as const), nth: fc.nat() }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('hugeValue' as const), nth: fc.nat(), size: fc.integer({ min: 1, max: scale.huge }), fill: fc.constantFrom('a', 'x.', 'A:b.', ' ', '"', '<', '&amp;', 'é', '\n') }) },
    { weight: 3, arbitrary: fc.record({ op: fc.constant('splice' as const), at, from: fc.nat(), length: fc.integer({ min: 1, max: 400 }) }) },
    { weight: 4, arbitrary: fc.record({ op: fc.constant('rename' as const), nth: fc.nat(), name: fc.oneof(fc.constantFrom(...vocabulary.values), fc.string({ maxLength: 8 })) }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant('bytes' as const), at, bytes: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 8 }) }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('nest' as const), at, depth: fc.integer({ min: 1, max: scale.depth }), name: fc.constantFrom(...vocabulary.elements), closed: fc.boolean() }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('repeat' as const), at, length: fc.integer({ min: 1, max: 300 }), times: fc.integer({ min: 2, max: scale.times }) }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('lineEnds' as const), style: fc.constantFrom('\r\n' as const, '\r' as const) }) },
  );
}

/** Mutations of the agent settings: the text mutations plus random JSON put at the paths the engine reads. */
export function settingsMutationArb(vocabulary: Vocabulary): fc.Arbitrary<Mutation> {
  const json = fc.jsonValue({ maxDepth: 3 });
  return fc.oneof(
    { weight: 6, arbitrary: mutationArb(vocabulary, { huge: 20_000, depth: 300, times: 20 }) },
    { weight: 4, arbitrary: fc.record({ op: fc.constant('jsonSet' as const), path: fc.constantFrom(...SETTINGS_PATHS), value: json }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('jsonReplace' as const), value: json }) },
  );
}

/** Applies mutations in order. A `bytes` mutation goes through UTF-8 and back as a file read from disk would. */
export function applyMutations(text: string, mutations: readonly Mutation[]): string {
  let current = text;
  for (const m of mutations) current = applyOne(current, m);
  return current;
}

function applyOne(text: string, m: Mutation): string {
  const pos = (n: number) => (text.length === 0 ? 0 : n % (text.length + 1));
  switch (m.op) {
    case 'truncate':
      return text.slice(0, pos(m.at));
    case 'insert':
      return insertAt(text, pos(m.at), m.text);
    case 'delete': {
      const at = pos(m.at);
      return text.slice(0, at) + text.slice(at + m.length);
    }
    case 'insertTag':
      return insertAt(text, pos(m.at), m.tag);
    case 'dropQuote': {
      const quotes = indexesOf(text, /["']/g);
      if (quotes.length === 0) return text;
      const at = quotes[m.nth % quotes.length];
      return text.slice(0, at) + text.slice(at + 1);
    }
    case 'duplicateAttribute': {
      const attrs = [...text.matchAll(/\s[A-Za-z_][\w.:-]*\s*=\s*"[^"]*"/g)];
      if (attrs.length === 0) return text;
      const a = attrs[m.nth % attrs.length];
      const end = a.index! + a[0].length;
      return text.slice(0, end) + a[0] + text.slice(end);
    }
    case 'hugeValue': {
      const values = [...text.matchAll(/=\s*"([^"]*)"/g)];
      const fill = m.fill.repeat(Math.ceil(m.size / m.fill.length)).slice(0, m.size);
      if (values.length === 0) return text + fill;
      const v = values[m.nth % values.length];
      const start = v.index! + v[0].indexOf('"') + 1;
      return text.slice(0, start) + fill + text.slice(start + v[1].length);
    }
    case 'splice': {
      const from = pos(m.from);
      return insertAt(text, pos(m.at), text.slice(from, from + m.length));
    }
    case 'rename': {
      const values = [...text.matchAll(/(?:Identifier|EntityType|Connector|Connection|Agent|Profile|ParentTask|Binding|Property\d?|Job|Task)\s*=\s*"([^"]*)"/g)];
      if (values.length === 0) return text;
      const v = values[m.nth % values.length];
      const start = v.index! + v[0].indexOf('"') + 1;
      return text.slice(0, start) + m.name + text.slice(start + v[1].length);
    }
    case 'bytes': {
      const bytes = Buffer.from(text, 'utf8');
      const at = bytes.length === 0 ? 0 : m.at % (bytes.length + 1);
      return decodeBytes(Buffer.concat([bytes.subarray(0, at), Buffer.from(m.bytes), bytes.subarray(at)])).text;
    }
    case 'nest': {
      const open = `<${m.name}>`.repeat(m.depth);
      return insertAt(text, pos(m.at), m.closed ? open + `</${m.name}>`.repeat(m.depth) : open);
    }
    case 'repeat': {
      const at = pos(m.at);
      return insertAt(text, at, text.slice(at, at + m.length).repeat(m.times - 1));
    }
    case 'lineEnds':
      return text.replace(/\r\n|\r|\n/g, m.style);
    case 'jsonSet': {
      try {
        const edits = modify(text, m.path, m.value, { formattingOptions: { insertSpaces: true, tabSize: 2 } });
        let result = text;
        for (const e of [...edits].sort((a, b) => b.offset - a.offset)) result = result.slice(0, e.offset) + e.content + result.slice(e.offset + e.length);
        return result;
      } catch {
        return text; // jsonc-parser refuses some paths in malformed text: the mutation does nothing
      }
    }
    case 'jsonReplace':
      return JSON.stringify(m.value, null, 2) ?? '';
  }
}

function insertAt(text: string, at: number, inserted: string): string {
  return text.slice(0, at) + inserted + text.slice(at);
}

function indexesOf(text: string, pattern: RegExp): number[] {
  return [...text.matchAll(pattern)].map((m) => m.index!);
}
