import type { CstNode, ILexingError, IRecognitionException, IToken } from 'chevrotain';
import { MAX_NESTING, tooDeepAt } from './depth';
import { decodeEntities } from './entities';
import type { Span } from './lineIndex';
import type { SyntaxProblem, XmlAttribute, XmlDocument, XmlElement } from './model';

/**
 * Parses XML text with @xml-tools/parser (the reference parser) and turns its concrete syntax tree
 * into the project's compact model. The CST is not kept.
 */
export function parseXml(whole: string): XmlDocument {
  const tooDeep = tooDeepAt(whole);
  if (tooDeep >= 0) {
    const message = `This file cannot be analysed: its elements are nested more than ${MAX_NESTING} levels deep from here. Close the elements that should be closed.`;
    return { roots: [], syntaxErrors: [{ message, span: { start: tooDeep, end: tooDeep + 1 } }] };
  }
  let result: BoundedParse;
  try {
    result = parseBounded(whole);
  } catch (error) {
    // The parser recurses per nesting level; pathological input can exhaust the stack.
    const reason = error instanceof RangeError ? 'the elements are nested too deeply to analyse' : 'the XML parser failed';
    return { roots: [], syntaxErrors: [{ message: `This file cannot be analysed: ${reason}.`, span: { start: 0, end: 0 } }] };
  }
  // After too many errors only the text before the point where they became too many is analysed.
  const text = result.analysedLength === undefined ? whole : whole.slice(0, result.analysedLength);
  const syntaxErrors: SyntaxProblem[] = [];
  for (const lexError of result.lexErrors) {
    const start = clampOffset(lexError.offset, text.length);
    syntaxErrors.push({
      message: `Unexpected character ${describeChar(text, start)}: this is not valid XML here.`,
      span: { start, end: Math.min(text.length, start + Math.max(1, lexError.length ?? 1)) },
    });
  }
  for (const parseError of result.parseErrors) syntaxErrors.push(describeParseError(parseError, text));

  const roots: XmlElement[] = [];
  const document = result.cst;
  for (const elementNode of childNodes(document, 'element')) {
    if (isPhantom(elementNode)) continue;
    roots.push(convertElement(elementNode, undefined, text, syntaxErrors));
  }
  let problems = dedupe(syntaxErrors);
  if (problems.length > MAX_SYNTAX_ERRORS) problems = problems.slice(0, MAX_SYNTAX_ERRORS);
  if (result.analysedLength !== undefined || problems.length === MAX_SYNTAX_ERRORS) {
    const at = result.analysedLength ?? problems[problems.length - 1].span.start;
    problems.push({ message: 'Too many syntax errors: the rest of the file is not analysed and its errors are not listed.', span: { start: at, end: at } });
  }
  return { roots, syntaxErrors: problems };
}

/**
 * Past this many errors a text is not XML in any useful sense. Error recovery costs the reference parser a lot per
 * error (megabytes of garbage took minutes), so it stops there and only the text before is analysed.
 */
// The parser's error recovery costs milliseconds per error in deeply nested text (a fuzz input with thousands of
// stray '<' took 100 s to reach 1,000 errors, twice): nobody reads past the first hundred anyway.
const MAX_SYNTAX_ERRORS = 100;
const TOO_MANY_ERRORS = new Error('too many syntax errors');

interface ReferenceParser {
  input: IToken[];
  /** A copy of the errors so far (chevrotain keeps them in `_errors`). */
  errors: IRecognitionException[];
  _errors: IRecognitionException[];
  document(): CstNode;
  SAVE_ERROR(error: IRecognitionException): IRecognitionException;
}

// What @xml-tools/parser's parse() does, with a budget of errors: its lexer and its (single) parser instance.
const { xmlLexer } = require('@xml-tools/parser/lib/lexer') as { xmlLexer: { tokenize(text: string): { tokens: IToken[]; errors: ILexingError[] } } };
const { xmlParser } = require('@xml-tools/parser/lib/parser') as { xmlParser: ReferenceParser };
let errorBudget = Infinity;
const saveError = xmlParser.SAVE_ERROR;
xmlParser.SAVE_ERROR = function (this: ReferenceParser, error) {
  if (this._errors.length >= errorBudget) throw TOO_MANY_ERRORS;
  return saveError.call(this, error);
};

interface BoundedParse {
  cst: CstNode;
  lexErrors: ILexingError[];
  parseErrors: IRecognitionException[];
  /** Set when the text had too many errors: the length of the prefix that was parsed instead. */
  analysedLength?: number;
}

function parseBounded(text: string): BoundedParse {
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0; // every recognition error is an Error: capturing stacks tripled the cost of bad input
  try {
    const full = parseOnce(text, MAX_SYNTAX_ERRORS);
    if (full) return full;
    // Parse again up to the token of the last error within the budget: the same errors, a tree for that part.
    const offsets = xmlParser._errors.map((e) => e.token.startOffset).filter((o) => Number.isFinite(o) && o < text.length);
    const analysedLength = offsets.length > 0 ? offsets[offsets.length - 1] : 0;
    return { ...(parseOnce(text.slice(0, analysedLength), Infinity) as BoundedParse), analysedLength };
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
    errorBudget = Infinity;
  }
}

function parseOnce(text: string, budget: number): BoundedParse | undefined {
  const lexed = xmlLexer.tokenize(text);
  xmlParser.input = lexed.tokens;
  errorBudget = budget;
  try {
    return { cst: xmlParser.document(), lexErrors: lexed.errors, parseErrors: xmlParser.errors };
  } catch (error) {
    if (error === TOO_MANY_ERRORS) return undefined;
    throw error;
  }
}

interface PendingElement {
  node: CstNode;
  parent: XmlElement;
}

function convertElement(rootNode: CstNode, parent: XmlElement | undefined, text: string, errors: SyntaxProblem[]): XmlElement {
  const root = buildElement(rootNode, parent, text, errors);
  // Iterative descent: deep nesting must not exhaust the stack.
  const pending: PendingElement[] = contentElements(rootNode).map((node) => ({ node, parent: root }));
  pending.reverse();
  while (pending.length > 0) {
    const { node, parent: owner } = pending.pop()!;
    const element = buildElement(node, owner, text, errors);
    owner.children.push(element);
    const nested = contentElements(node);
    for (let i = nested.length - 1; i >= 0; i--) pending.push({ node: nested[i], parent: element });
  }
  return root;
}

function buildElement(node: CstNode, parent: XmlElement | undefined, text: string, errors: SyntaxProblem[]): XmlElement {
  const nameToken = firstToken(node, 'Name');
  const open = firstToken(node, 'OPEN');
  const start = tokenStart(open) ?? node.location?.startOffset ?? 0;
  const end = locationEnd(node, text.length);
  const nameSpan = nameToken ? tokenSpan(nameToken) : { start: start + 1, end: start + 1 };
  const startClose = firstToken(node, 'START_CLOSE') ?? firstToken(node, 'SLASH_CLOSE');
  const attributes = childNodes(node, 'attribute').map((attrNode) => buildAttribute(attrNode, text));
  const lastAttributeEnd = attributes.reduce((max, a) => Math.max(max, a.valueSpan ? a.valueSpan.end + 1 : a.nameSpan.end), nameSpan.end);
  const element: XmlElement = {
    name: nameToken?.image ?? '',
    nameSpan,
    span: { start, end: Math.max(end, nameSpan.end) },
    startTagEnd: startClose ? tokenEnd(startClose) : Math.max(lastAttributeEnd, nameSpan.end),
    attributes,
    children: [],
    parent,
    closed: firstToken(node, 'SLASH_CLOSE') !== undefined || firstToken(node, 'END') !== undefined,
  };
  const endName = firstToken(node, 'END_NAME');
  if (endName && !Number.isNaN(endName.startOffset)) {
    element.closeName = { name: endName.image, span: tokenSpan(endName) };
    if (nameToken && endName.image !== nameToken.image) {
      errors.push({
        message: `The closing tag </${endName.image}> does not match the opening tag <${nameToken.image}>.`,
        span: tokenSpan(endName),
      });
    }
  }
  return element;
}

function buildAttribute(node: CstNode, text: string): XmlAttribute {
  const nameToken = firstToken(node, 'Name');
  const valueToken = firstToken(node, 'STRING');
  const nameSpan = nameToken ? tokenSpan(nameToken) : { start: node.location?.startOffset ?? 0, end: node.location?.startOffset ?? 0 };
  if (!valueToken || Number.isNaN(valueToken.startOffset)) {
    return { name: nameToken?.image ?? '', nameSpan, value: undefined, valueSpan: undefined, hasEntities: false };
  }
  const raw = valueToken.image.slice(1, -1);
  const value = decodeEntities(raw);
  const valueStart = valueToken.startOffset + 1;
  const valueSpan = { start: valueStart, end: Math.min(text.length, valueStart + raw.length) };
  return { name: nameToken?.image ?? '', nameSpan, value, valueSpan, hasEntities: value !== raw };
}

function contentElements(node: CstNode): CstNode[] {
  const content = childNodes(node, 'content')[0];
  return content ? childNodes(content, 'element').filter((element) => !isPhantom(element)) : [];
}

/** Error recovery can produce an element with no token at all (e.g. for empty input); it has no place in the text. */
function isPhantom(node: CstNode): boolean {
  return tokenStart(firstToken(node, 'OPEN')) === undefined && tokenStart(firstToken(node, 'Name')) === undefined;
}

function childNodes(node: CstNode, key: string): CstNode[] {
  const list = node.children[key];
  return (list ?? []).filter((child): child is CstNode => 'children' in child);
}

function firstToken(node: CstNode, key: string): IToken | undefined {
  const list = node.children[key];
  const token = list?.[0];
  return token && !('children' in token) ? token : undefined;
}

function tokenSpan(token: IToken): Span {
  return { start: token.startOffset, end: tokenEnd(token) };
}

function tokenStart(token: IToken | undefined): number | undefined {
  return token && !Number.isNaN(token.startOffset) ? token.startOffset : undefined;
}

function tokenEnd(token: IToken): number {
  return (token.endOffset ?? token.startOffset) + 1;
}

function locationEnd(node: CstNode, textLength: number): number {
  const end = node.location?.endOffset;
  return end === undefined || Number.isNaN(end) ? textLength : Math.min(textLength, end + 1);
}

function clampOffset(offset: number | undefined, length: number): number {
  return offset === undefined || Number.isNaN(offset) ? length : Math.max(0, Math.min(offset, length));
}

const TOKEN_WORDS: Record<string, string> = {
  CLOSE: "'>'",
  SLASH_CLOSE: "'/>'",
  START_CLOSE: "'>'",
  EQUALS: "'='",
  STRING: 'a quoted value',
  Name: 'a name',
  OPEN: "'<'",
  SLASH_OPEN: "'</'",
  END_NAME: 'a closing tag name',
  END: "'>'",
  SPECIAL_CLOSE: "'?>'",
};

function describeParseError(error: { message: string; token: IToken }, text: string): SyntaxProblem {
  const token = error.token;
  const atEnd = !token || Number.isNaN(token.startOffset) || token.tokenType?.name === 'EOF';
  const start = atEnd ? text.length : token.startOffset;
  const span = atEnd ? { start: text.length, end: text.length } : { start, end: tokenEnd(token) };
  const expected = /-->\s*(\w+)\s*<--/.exec(error.message)?.[1];
  const expectedWords = expected ? TOKEN_WORDS[expected] ?? expected : undefined;
  const found = atEnd ? 'the end of the file' : `'${truncate(token.image)}'`;
  const message = expectedWords
    ? `Malformed XML: expected ${expectedWords} but found ${found}.`
    : `Malformed XML: unexpected ${found}.`;
  return { message, span };
}

function describeChar(text: string, offset: number): string {
  const ch = text.charAt(offset);
  return ch ? `'${ch}'` : 'at the end of the file';
}

function truncate(value: string): string {
  const oneLine = value.replace(/\s+/g, ' ');
  return oneLine.length > 30 ? `${oneLine.slice(0, 30)}…` : oneLine;
}

function dedupe(errors: SyntaxProblem[]): SyntaxProblem[] {
  const seen = new Set<string>();
  return errors
    .sort((a, b) => a.span.start - b.span.start)
    .filter((error) => {
      const key = `${error.span.start}:${error.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}
