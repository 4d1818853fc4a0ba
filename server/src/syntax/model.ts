import type { Span } from './lineIndex';

/** One attribute as written: name and value ranges are exact, the value is entity-decoded. */
export interface XmlAttribute {
  name: string;
  nameSpan: Span;
  /** Decoded value; undefined when the attribute has no (well-formed) value. */
  value: string | undefined;
  /** Range of the raw value between the quotes. */
  valueSpan: Span | undefined;
  /** True when the raw value differs from the decoded one (entities), so offsets inside it are not 1:1. */
  hasEntities: boolean;
}

export interface XmlElement {
  name: string;
  nameSpan: Span;
  /** The whole element, start tag to end tag (or to where the parser gave up). */
  span: Span;
  /** Offset just after the start tag's `>` or `/>`; where attributes can no longer be typed. */
  startTagEnd: number;
  /** Name of the closing tag, when there is one. */
  closeName?: { name: string; span: Span };
  /** False when the element has neither `/>` nor a closing tag (the parser recovered): its children are unreliable. */
  closed: boolean;
  attributes: XmlAttribute[];
  children: XmlElement[];
  parent: XmlElement | undefined;
  /** Schema definition key, filled in by the model layer ("EntityType/Property"); undefined when unknown. */
  defKey?: string;
}

export interface SyntaxProblem {
  message: string;
  span: Span;
}

/** The project's own compact tree for one XML file. No parser objects are kept. */
export interface XmlDocument {
  /** Top-level elements (a well-formed file has exactly one). */
  roots: XmlElement[];
  syntaxErrors: SyntaxProblem[];
}

export function attribute(element: XmlElement, name: string): XmlAttribute | undefined {
  for (const attr of element.attributes) if (attr.name === name) return attr;
  return undefined;
}

export function attributeValue(element: XmlElement, name: string): string | undefined {
  return attribute(element, name)?.value;
}

const walks = new WeakMap<readonly XmlElement[], XmlElement[]>();

/**
 * The elements and all their descendants, in document order. Trees are not changed once built, so the order is
 * computed once per list and shared by every rule that walks the same tree.
 */
export function walk(elements: readonly XmlElement[]): readonly XmlElement[] {
  const cached = walks.get(elements);
  if (cached) return cached;
  const result: XmlElement[] = [];
  const stack = [...elements].reverse();
  while (stack.length > 0) {
    const element = stack.pop()!;
    result.push(element);
    for (let i = element.children.length - 1; i >= 0; i--) stack.push(element.children[i]);
  }
  walks.set(elements, result);
  return result;
}

/** The innermost element whose span contains the offset. */
export function elementAt(doc: XmlDocument, offset: number): XmlElement | undefined {
  let found: XmlElement | undefined;
  let candidates: readonly XmlElement[] = doc.roots;
  for (;;) {
    const next = candidates.find((e) => e.span.start <= offset && offset <= e.span.end);
    if (!next) return found;
    found = next;
    candidates = next.children;
  }
}

export function contains(span: Span | undefined, offset: number): boolean {
  return span !== undefined && span.start <= offset && offset <= span.end;
}
