import type { Schema } from '../schema/schema';
import type { Span } from '../syntax/lineIndex';
import { elementAt, type XmlDocument, type XmlElement } from '../syntax/model';

/** What the cursor is in, read from the text before it (robust while the user is typing). */
export type CursorContext =
  | { kind: 'elementName'; partial: Span; parent: XmlElement | undefined; parentKey: string | undefined }
  | { kind: 'attributeName'; partial: Span; elementName: string; elementKey: string | undefined; element: XmlElement | undefined; present: string[] }
  | { kind: 'attributeValue'; attribute: string; value: Span; elementName: string; elementKey: string | undefined; element: XmlElement | undefined; typed: string }
  | { kind: 'content'; parent: XmlElement | undefined; parentKey: string | undefined }
  | { kind: 'none' };

const NAME = /^[\w:.-]*$/;

export function cursorContext(text: string, offset: number, doc: XmlDocument, schema: Schema): CursorContext {
  // lastIndexOf(_, -1) searches from 0: at the very start there is nothing before the cursor.
  const lt = offset > 0 ? text.lastIndexOf('<', offset - 1) : -1;
  const gt = offset > 0 ? text.lastIndexOf('>', offset - 1) : -1;
  if (lt < 0 || gt > lt) {
    const parent = innermostOpen(doc, offset);
    return { kind: 'content', parent, parentKey: parent ? definitionKey(parent, schema) : undefined };
  }
  const tag = text.slice(lt + 1, offset);
  if (tag.startsWith('/') || tag.startsWith('!') || tag.startsWith('?')) return { kind: 'none' };
  const parent = innermostOpen(doc, lt);
  const parentKey = parent ? definitionKey(parent, schema) : undefined;
  if (NAME.test(tag)) return { kind: 'elementName', partial: { start: lt + 1, end: offset }, parent, parentKey };
  const elementName = /^[\w:.-]+/.exec(tag)?.[0] ?? '';
  const existing = parent ? parent.children.find((c) => c.span.start === lt) : doc.roots.find((r) => r.span.start === lt);
  const elementKey = existing ? definitionKey(existing, schema) : parent === undefined || isRoot(parent, schema) ? schema.childKey(undefined, elementName) : parentKey ? schema.childKey(parentKey, elementName) : undefined;
  const afterName = tag.slice(elementName.length);
  // Attributes written after the cursor count as present too.
  const present: string[] = existing ? existing.attributes.map((a) => a.name) : [];
  const written = writtenAttributes(afterName);
  for (const name of written.names) if (!present.includes(name)) present.push(name);
  const rest = afterName.slice(written.lastEnd);
  const open = openValue(rest);
  if (open) {
    const typed = open.typed;
    const valueStart = offset - typed.length;
    const close = text.indexOf(open.quote, offset);
    const lineEnd = text.indexOf('\n', offset);
    const valueEnd = close >= 0 && (lineEnd < 0 || close <= lineEnd || !text.slice(offset, close).includes('<')) ? close : offset;
    return { kind: 'attributeValue', attribute: open.name, value: { start: valueStart, end: valueEnd }, elementName, elementKey, element: existing, typed };
  }
  let nameStart = rest.length;
  while (nameStart > 0 && isNameChar(rest.charCodeAt(nameStart - 1))) nameStart--;
  const partialName = rest.slice(nameStart);
  if (/[\s]$/.test(rest) || partialName.length > 0 || rest === '') {
    if (rest === '' && afterName !== '' && !/\s$/.test(afterName)) return { kind: 'none' };
    return { kind: 'attributeName', partial: { start: offset - partialName.length, end: offset }, elementName, elementKey, element: existing, present };
  }
  return { kind: 'none' };
}

/** The element's schema definition key: the one the model layer set, else derived from its ancestors' names. */
export function definitionKey(element: XmlElement, schema: Schema): string | undefined {
  if (element.defKey !== undefined) return element.defKey;
  if (!element.parent) return undefined; // the root element
  if (isRoot(element.parent, schema)) return schema.childKey(undefined, element.name);
  const parentKey = definitionKey(element.parent, schema);
  return parentKey === undefined ? undefined : schema.childKey(parentKey, element.name);
}

function isRoot(element: XmlElement, schema: Schema): boolean {
  return element.parent === undefined && element.name === schema.rootElement;
}

/** The innermost element that is open at `offset` (its start tag is before it and it is not closed yet). */
function innermostOpen(doc: XmlDocument, offset: number): XmlElement | undefined {
  let element = elementAt(doc, offset);
  while (element && !(element.startTagEnd <= offset && offset <= element.span.end)) element = element.parent;
  return element;
}

// The tag text before the cursor can be huge (a pasted value, a file without quotes): scanning it must stay linear,
// which backtracking regular expressions over it are not.

function isNameChar(code: number): boolean {
  return (code >= 48 && code <= 58) /* 0-9 : */ || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95 /* _ */ || code === 46 /* . */ || code === 45 /* - */;
}

function isSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13 || code === 12 || code === 11 || code === 0xa0 || code === 0xfeff || code === 0x2028 || code === 0x2029 || (code >= 0x2000 && code <= 0x200a) || code === 0x1680 || code === 0x202f || code === 0x205f || code === 0x3000;
}

/** The complete `name="value"` attributes of a start tag's text (as /([\w:.-]+)\s*=\s*("[^"]*"|'[^']*')/g finds them). */
function writtenAttributes(tag: string): { names: string[]; lastEnd: number } {
  const names: string[] = [];
  let lastEnd = 0;
  const found: Record<string, number> = {}; // last indexOf result per quote: searches only move forward
  const closing = (quote: string, from: number) => {
    const known = found[quote];
    if (known === -1 || (known !== undefined && known >= from)) return known;
    return (found[quote] = tag.indexOf(quote, from));
  };
  let i = 0;
  while (i < tag.length) {
    if (!isNameChar(tag.charCodeAt(i))) {
      i++;
      continue;
    }
    let end = i;
    while (end < tag.length && isNameChar(tag.charCodeAt(end))) end++;
    let k = end;
    while (k < tag.length && isSpace(tag.charCodeAt(k))) k++;
    if (tag[k] === '=') {
      k++;
      while (k < tag.length && isSpace(tag.charCodeAt(k))) k++;
      const quote = tag[k];
      const close = quote === '"' || quote === "'" ? closing(quote, k + 1) : -1;
      if (close >= 0) {
        names.push(tag.slice(i, end));
        lastEnd = i = close + 1;
        continue;
      }
    }
    i = end; // a match starting inside this name would fail the same way
  }
  return { names, lastEnd };
}

/** An attribute whose value is open at the end of the text (as /([\w:.-]+)\s*=\s*(["'])([^"']*)$/ finds it). */
function openValue(rest: string): { name: string; quote: string; typed: string } | undefined {
  const at = Math.max(rest.lastIndexOf('"'), rest.lastIndexOf("'"));
  if (at < 0) return undefined;
  let k = at;
  while (k > 0 && isSpace(rest.charCodeAt(k - 1))) k--;
  if (rest[k - 1] !== '=') return undefined;
  k--;
  while (k > 0 && isSpace(rest.charCodeAt(k - 1))) k--;
  let start = k;
  while (start > 0 && isNameChar(rest.charCodeAt(start - 1))) start--;
  if (start === k) return undefined;
  return { name: rest.slice(start, k), quote: rest[at], typed: rest.slice(at + 1) };
}
