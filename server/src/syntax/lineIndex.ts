/** 0-based line and UTF-16 column, as LSP counts them. */
export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** Half-open span of UTF-16 offsets into a document's text (BOM already removed). */
export interface Span {
  start: number;
  end: number;
}

/**
 * Maps offsets to positions. `\r\n`, `\r` and `\n` all end a line, as in LSP.
 * Only line starts are kept, so an index can outlive the text it was built from.
 */
export class LineIndex {
  private readonly lineStarts: Uint32Array;
  readonly length: number;

  /** An index from line starts computed elsewhere (a worker, the index cache). */
  static fromStarts(starts: Uint32Array, length: number): LineIndex {
    const index = Object.create(LineIndex.prototype) as { lineStarts: Uint32Array; length: number };
    index.lineStarts = starts;
    index.length = length;
    return index as unknown as LineIndex;
  }

  constructor(text: string) {
    const starts: number[] = [0];
    if (!hasLoneCarriageReturn(text)) {
      // Every line ends with \n (or \r\n): the native search finds them fastest.
      for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) starts.push(at + 1);
    } else {
      for (let i = 0; i < text.length; i++) {
        const ch = text.charCodeAt(i);
        if (ch === 13 /* \r */) {
          if (text.charCodeAt(i + 1) === 10) i++;
          starts.push(i + 1);
        } else if (ch === 10 /* \n */) {
          starts.push(i + 1);
        }
      }
    }
    this.lineStarts = Uint32Array.from(starts);
    this.length = text.length;
  }

  /** The offsets at which lines start (shared, not copied). */
  starts(): Uint32Array {
    return this.lineStarts;
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  positionAt(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.length));
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.lineStarts[mid] <= clamped) low = mid;
      else high = mid - 1;
    }
    return { line: low, character: clamped - this.lineStarts[low] };
  }

  offsetAt(position: Position): number {
    if (position.line < 0) return 0;
    const starts = this.lineStarts;
    if (position.line >= starts.length) return this.length;
    const lineStart = starts[position.line];
    const nextStart = position.line + 1 < starts.length ? starts[position.line + 1] : this.length;
    return Math.max(lineStart, Math.min(lineStart + position.character, nextStart));
  }

  rangeOf(span: Span): Range {
    return { start: this.positionAt(span.start), end: this.positionAt(span.end) };
  }
}

/** True when some \r is not followed by \n (an old Mac line end): then every character is looked at. */
function hasLoneCarriageReturn(text: string): boolean {
  for (let at = text.indexOf('\r'); at >= 0; at = text.indexOf('\r', at + 1)) if (text.charCodeAt(at + 1) !== 10) return true;
  return false;
}
