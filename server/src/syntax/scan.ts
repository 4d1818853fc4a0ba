import { decodeEntities } from './entities';
import type { XmlAttribute, XmlDocument, XmlElement } from './model';
import type { parseXml as ParseXml } from './parse';

/**
 * A fast scanner for the common case: a well-formed file written with the constructs configuration files use
 * (an XML declaration, comments, CDATA, elements, attributes, character and entity references, ASCII names).
 * It builds exactly the `XmlDocument` that `parseXml` (the reference, @xml-tools/parser) builds for the same text:
 * same elements, attributes, decoded values and UTF-16 ranges. It accepts only a subset of what the reference
 * accepts without error, mirroring the reference lexer's token rules; on anything else (a syntax error, a
 * processing instruction, a DOCTYPE, a non-ASCII name, a line break the reference lexer does not treat as one…) it
 * returns undefined and the caller parses with the reference. `test/unit/scan.test.ts` holds both to that.
 */
export function scanXml(text: string): XmlDocument | undefined {
  try {
    return new Scanner(text).document();
  } catch (error) {
    if (error === GIVE_UP) return undefined;
    throw error;
  }
}

/** The document model of a text: the fast scanner when it can, else the reference parser. */
export function parseDocument(text: string): XmlDocument {
  return (scannerEnabled ? scanXml(text) : undefined) ?? reference()(text);
}

let scannerEnabled = true;

/** Turns the fast scanner off (every text then goes to the reference parser): for tests that compare both paths. */
export function useScanner(enabled: boolean): void {
  scannerEnabled = enabled;
}

let referenceParser: typeof ParseXml | undefined;

/** The reference parser, loaded on first need (building it costs more than scanning most configurations). */
function reference(): typeof ParseXml {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (referenceParser ??= (require('./parse') as { parseXml: typeof ParseXml }).parseXml);
}

const GIVE_UP = new Error('outside the scanner subset');
/** Deeper nesting is left to the reference, which reports it (its recursion has a limit). */
const MAX_DEPTH = 256;

const LT = 60; // <
const GT = 62; // >
const SLASH = 47; // /
const QUESTION = 63; // ?
const BANG = 33; // !
const EQUALS = 61; // =
const QUOTE = 34; // "
const APOS = 39; // '
const AMP = 38; // &
const HASH = 35; // #
const SEMICOLON = 59; // ;
const SPACE = 32;
const TAB = 9;
const LF = 10;
const CR = 13;

/** [A-Za-z_:]: the ASCII name start characters of the reference lexer. */
function isNameStart(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || code === 95 || code === 58;
}

/** [A-Za-z0-9_:.-]: the ASCII name characters of the reference lexer. */
function isNameChar(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57) || code === 95 || code === 58 || code === 46 || code === 45;
}

/** Whitespace inside a tag (the reference lexer's S token). */
function isTagSpace(code: number): boolean {
  return code === SPACE || code === LF || code === CR || code === TAB;
}

function isHexDigit(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 97 && code <= 102) || (code >= 65 && code <= 70);
}

class Scanner {
  private pos = 0;
  private readonly length: number;

  constructor(private readonly text: string) {
    this.length = text.length;
  }

  document(): XmlDocument {
    const text = this.text;
    if (text.startsWith('<?xml') && isTagSpace(text.charCodeAt(5))) this.declaration();
    this.misc();
    if (this.pos >= this.length || text.charCodeAt(this.pos) !== LT || !isNameStart(text.charCodeAt(this.pos + 1))) throw GIVE_UP;
    const root = this.elements();
    this.misc();
    if (this.pos !== this.length) throw GIVE_UP;
    return { roots: [root], syntaxErrors: [] };
  }

  /** `<?xml` S attributes `?>` at the very start. */
  private declaration(): void {
    const text = this.text;
    this.pos = 6;
    for (;;) {
      this.skipTagSpace();
      const code = text.charCodeAt(this.pos);
      if (code === QUESTION && text.charCodeAt(this.pos + 1) === GT) {
        this.pos += 2;
        return;
      }
      if (!isNameStart(code)) throw GIVE_UP;
      this.name();
      this.skipTagSpace();
      if (text.charCodeAt(this.pos) !== EQUALS) throw GIVE_UP;
      this.pos++;
      this.skipTagSpace();
      this.quoted();
    }
  }

  /** Outside the root element: whitespace (the reference's SEA_WS: space, tab, LF, CRLF) and comments only. */
  private misc(): void {
    const text = this.text;
    while (this.pos < this.length) {
      const code = text.charCodeAt(this.pos);
      if (code === SPACE || code === TAB || code === LF) this.pos++;
      else if (code === CR) {
        if (text.charCodeAt(this.pos + 1) !== LF) throw GIVE_UP;
        this.pos += 2;
      } else if (code === LT && text.startsWith('<!--', this.pos)) this.delimited('-->', 4);
      else return;
    }
  }

  /** Skips a comment or CDATA section; its body may not hold a line break the reference lexer's `.` rejects. */
  private delimited(terminator: string, openLength: number): void {
    const text = this.text;
    const end = text.indexOf(terminator, this.pos + openLength);
    if (end < 0) throw GIVE_UP;
    for (let i = this.pos + openLength; i < end; i++) {
      const code = text.charCodeAt(i);
      if (code === CR ? text.charCodeAt(i + 1) !== LF : code === 0x2028 || code === 0x2029) throw GIVE_UP;
    }
    this.pos = end + terminator.length;
  }

  private skipTagSpace(): void {
    const text = this.text;
    while (this.pos < this.length && isTagSpace(text.charCodeAt(this.pos))) this.pos++;
  }

  /** A name at `pos` (its first character already checked); the next character must not extend it outside ASCII. */
  private name(): string {
    const text = this.text;
    const start = this.pos;
    let i = start + 1;
    while (i < this.length && isNameChar(text.charCodeAt(i))) i++;
    if (i < this.length && text.charCodeAt(i) >= 0x80) throw GIVE_UP;
    this.pos = i;
    return text.slice(start, i);
  }

  /** A quoted value at `pos`: the raw text between the quotes, which may not contain '<'. Returns the opening quote's offset. */
  private quoted(): number {
    const text = this.text;
    const quote = text.charCodeAt(this.pos);
    if (quote !== QUOTE && quote !== APOS) throw GIVE_UP;
    const open = this.pos;
    let i = open + 1;
    for (;;) {
      if (i >= this.length) throw GIVE_UP;
      const code = text.charCodeAt(i);
      if (code === quote) break;
      if (code === LT) throw GIVE_UP;
      i++;
    }
    this.pos = i + 1;
    return open;
  }

  /** The start tag at `pos`; returns the element and whether it is self-closing. */
  private startTag(parent: XmlElement | undefined): { element: XmlElement; empty: boolean } {
    const text = this.text;
    const start = this.pos;
    this.pos++;
    const nameStart = this.pos;
    const name = this.name();
    const element: XmlElement = {
      name,
      nameSpan: { start: nameStart, end: this.pos },
      span: { start, end: this.pos },
      startTagEnd: 0,
      attributes: [],
      children: [],
      parent,
      closed: false,
    };
    const attributes: XmlAttribute[] = element.attributes;
    for (;;) {
      this.skipTagSpace();
      const code = text.charCodeAt(this.pos);
      if (code === GT) {
        this.pos++;
        element.startTagEnd = this.pos;
        return { element, empty: false };
      }
      if (code === SLASH && text.charCodeAt(this.pos + 1) === GT) {
        this.pos += 2;
        element.startTagEnd = this.pos;
        element.span.end = this.pos;
        element.closed = true;
        return { element, empty: true };
      }
      if (!isNameStart(code)) throw GIVE_UP;
      const attrStart = this.pos;
      const attrName = this.name();
      const nameEnd = this.pos;
      this.skipTagSpace();
      if (text.charCodeAt(this.pos) !== EQUALS) throw GIVE_UP;
      this.pos++;
      this.skipTagSpace();
      const open = this.quoted();
      const raw = text.slice(open + 1, this.pos - 1);
      const value = decodeEntities(raw);
      attributes.push({
        name: attrName,
        nameSpan: { start: attrStart, end: nameEnd },
        value,
        valueSpan: { start: open + 1, end: this.pos - 1 },
        hasEntities: value !== raw,
      });
    }
  }

  /** The root element and everything in it, iteratively (deep nesting must not exhaust the stack). */
  private elements(): XmlElement {
    const text = this.text;
    const first = this.startTag(undefined);
    const root = first.element;
    if (first.empty) return root;
    const open: XmlElement[] = [root];
    while (open.length > 0) {
      const current = open[open.length - 1];
      // Character data up to the next markup; references must be ones the reference lexer tokenizes.
      let i = this.pos;
      for (;;) {
        if (i >= this.length) throw GIVE_UP;
        const code = text.charCodeAt(i);
        if (code === LT) break;
        if (code === AMP) i = this.reference(i);
        else i++;
      }
      this.pos = i;
      const next = text.charCodeAt(i + 1);
      if (next === SLASH) {
        this.pos = i + 2;
        if (!isNameStart(text.charCodeAt(this.pos))) throw GIVE_UP;
        const nameStart = this.pos;
        const name = this.name();
        if (name !== current.name) throw GIVE_UP;
        const nameEnd = this.pos;
        this.skipTagSpace();
        if (text.charCodeAt(this.pos) !== GT) throw GIVE_UP;
        this.pos++;
        current.span.end = this.pos;
        current.closed = true;
        current.closeName = { name, span: { start: nameStart, end: nameEnd } };
        open.pop();
      } else if (next === BANG) {
        if (text.startsWith('<!--', i)) this.delimited('-->', 4);
        else if (text.startsWith('<![CDATA[', i)) this.delimited(']]>', 9);
        else throw GIVE_UP;
      } else if (isNameStart(next)) {
        const { element, empty } = this.startTag(current);
        current.children.push(element);
        if (!empty) {
          if (open.length >= MAX_DEPTH) throw GIVE_UP;
          open.push(element);
        }
      } else throw GIVE_UP;
    }
    return root;
  }

  /** Validates a reference at `at` ('&') as the reference lexer reads it; returns the offset after it. */
  private reference(at: number): number {
    const text = this.text;
    const code = text.charCodeAt(at + 1);
    if (code === HASH) {
      const third = text.charCodeAt(at + 2);
      if (third === 120 /* x */) {
        if (!isHexDigit(text.charCodeAt(at + 3))) throw GIVE_UP;
        return at + 4;
      }
      let i = at + 2;
      while (i < this.length && text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57) i++;
      if (i === at + 2 || text.charCodeAt(i) !== SEMICOLON) throw GIVE_UP;
      return i + 1;
    }
    if (!isNameStart(code)) throw GIVE_UP;
    let i = at + 2;
    while (i < this.length && isNameChar(text.charCodeAt(i))) i++;
    if (text.charCodeAt(i) !== SEMICOLON) throw GIVE_UP;
    return i + 1;
  }
}
