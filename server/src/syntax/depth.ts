/**
 * Nesting deeper than this is not analysed. The reference parser recurses once per level and runs out of stack at
 * about 400 levels before the JIT has warmed up, 900 after: without a fixed bound, the same text would be analysed
 * or refused depending on what ran before. Real configurations nest fewer than 20 levels.
 */
export const MAX_NESTING = 256;

/**
 * The offset of the first start tag nested deeper than `limit` levels, or -1. A lenient count, as the reference
 * lexer reads tags: comments, CDATA sections, declarations and quoted values are skipped; `</` closes a level and a
 * start tag ending in `/>` opens none. Linear in the text.
 */
export function tooDeepAt(text: string, limit = MAX_NESTING): number {
  const length = text.length;
  let depth = 0;
  let at = 0;
  for (;;) {
    const open = text.indexOf('<', at);
    if (open < 0 || open + 1 >= length) return -1;
    const next = text.charCodeAt(open + 1);
    if (next === 0x21 /* ! */) {
      const [terminator, from] = text.startsWith('<!--', open) ? ['-->', open + 4] : text.startsWith('<![CDATA[', open) ? [']]>', open + 9] : ['>', open + 2];
      const end = text.indexOf(terminator, from);
      if (end < 0) return -1;
      at = end + terminator.length;
      continue;
    }
    if (next === 0x3f /* ? */) {
      const end = text.indexOf('?>', open + 2);
      if (end < 0) return -1;
      at = end + 2;
      continue;
    }
    if (next === 0x2f /* / */) {
      if (depth > 0) depth--;
      at = open + 2;
      continue;
    }
    if (!isNameStart(next)) {
      at = open + 1;
      continue;
    }
    // A start tag: up to its '>' (not one inside quotes), or to the next '<' where the lexer would stop too.
    let end = open + 1;
    let quote = 0;
    for (; end < length; end++) {
      const c = text.charCodeAt(end);
      if (c === 0x3c /* < */) break;
      if (quote !== 0) {
        if (c === quote) quote = 0;
      } else if (c === 0x22 || c === 0x27) quote = c;
      else if (c === 0x3e /* > */) break;
    }
    const selfClosing = end < length && text.charCodeAt(end) === 0x3e && text.charCodeAt(end - 1) === 0x2f;
    if (!selfClosing && ++depth > limit) return open;
    at = end < length && text.charCodeAt(end) === 0x3e ? end + 1 : end;
  }
}

function isNameStart(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f || c === 0x3a || c >= 0xc0;
}
