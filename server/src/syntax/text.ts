/** Decoding of file bytes into the text an editor shows: UTF-8 (BOM dropped), else Windows-1252. */
export interface DecodedText {
  text: string;
  hadBom: boolean;
  /** Set when the bytes were not valid UTF-8 and were read as Windows-1252 instead. */
  fallbackEncoding?: 'windows-1252';
}

// ignoreBOM keeps a BOM in the output, so that it can be seen and dropped here.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const latin = new TextDecoder('windows-1252', { ignoreBOM: true });

export function decodeBytes(bytes: Uint8Array): DecodedText {
  let text: string;
  let fallbackEncoding: DecodedText['fallbackEncoding'];
  try {
    text = utf8.decode(bytes);
  } catch {
    text = latin.decode(bytes);
    fallbackEncoding = 'windows-1252';
  }
  const hadBom = text.charCodeAt(0) === 0xfeff;
  if (hadBom) text = text.slice(1);
  return { text, hadBom, fallbackEncoding };
}

/** Removes a leading BOM from text an editor sent (editors normally strip it already). */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** True when the text looks binary (NUL characters), so it is not parsed as XML. */
export function looksBinary(text: string): boolean {
  const probe = text.length > 8192 ? text.slice(0, 8192) : text;
  return probe.includes('\u0000');
}
