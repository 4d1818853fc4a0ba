/**
 * Cheap test of whether a text is an Identity Manager configuration file: the first element is
 * <ConfigurationFile> in the configuration namespace. Comments, the XML declaration and a DOCTYPE may precede it.
 */
export function looksLikeConfiguration(text: string, namespace: string, rootElement: string): boolean {
  let offset = 0;
  const length = Math.min(text.length, 1 << 16);
  for (;;) {
    while (offset < length && /\s/.test(text[offset])) offset++;
    if (text.startsWith('<?', offset)) offset = skipPast(text, '?>', offset);
    else if (text.startsWith('<!--', offset)) offset = skipPast(text, '-->', offset);
    else if (text.startsWith('<!', offset)) offset = skipPast(text, '>', offset);
    else break;
    if (offset < 0) return false;
  }
  if (!text.startsWith(`<${rootElement}`, offset)) return false;
  const after = text.charAt(offset + rootElement.length + 1);
  if (after !== '' && !/[\s>/]/.test(after)) return false;
  const end = text.indexOf('>', offset);
  const startTag = text.slice(offset, end < 0 ? length : end);
  const match = /\sxmlns\s*=\s*(["'])(.*?)\1/.exec(startTag);
  return match !== null && match[2] === namespace;
}

function skipPast(text: string, marker: string, from: number): number {
  const found = text.indexOf(marker, from);
  return found < 0 ? -1 : found + marker.length;
}
