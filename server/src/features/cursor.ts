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
const ATTRIBUTE = /([\w:.-]+)\s*=\s*("[^"]*"|'[^']*')/g;

export function cursorContext(text: string, offset: number, doc: XmlDocument, schema: Schema): CursorContext {
  const lt = text.lastIndexOf('<', offset - 1);
  const gt = text.lastIndexOf('>', offset - 1);
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
  let lastEnd = 0;
  for (const match of afterName.matchAll(ATTRIBUTE)) {
    if (!present.includes(match[1])) present.push(match[1]);
    lastEnd = match.index! + match[0].length;
  }
  const rest = afterName.slice(lastEnd);
  const open = /([\w:.-]+)\s*=\s*(["'])([^"']*)$/.exec(rest);
  if (open) {
    const typed = open[3];
    const valueStart = offset - typed.length;
    const close = text.indexOf(open[2], offset);
    const lineEnd = text.indexOf('\n', offset);
    const valueEnd = close >= 0 && (lineEnd < 0 || close <= lineEnd || !text.slice(offset, close).includes('<')) ? close : offset;
    return { kind: 'attributeValue', attribute: open[1], value: { start: valueStart, end: valueEnd }, elementName, elementKey, element: existing, typed };
  }
  const partialName = /([\w:.-]*)$/.exec(rest)![1];
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
