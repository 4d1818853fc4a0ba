import * as fs from 'node:fs';
import * as v8 from 'node:v8';

/**
 * The container of the index cache: raw typed-array sections, then a v8-serialized header that refers to them by
 * number, then the header's length. Large arrays are written as they are (or streamed, see `begin`/`write`) and read
 * back as views of the file's bytes: no serialized copy of the whole index is ever built in memory.
 */
const MAGIC = Buffer.from('UCFINDEX'); // 8 bytes: sections start aligned

type Kind = 'i32' | 'u32' | 'u8' | 'f64';
const BYTES: Record<Kind, number> = { i32: 4, u32: 4, u8: 1, f64: 8 };
const VIEWS = { i32: Int32Array, u32: Uint32Array, u8: Uint8Array, f64: Float64Array } as const;

export type AnyArray = Int32Array | Uint32Array | Uint8Array | Float64Array;
interface SectionInfo {
  kind: Kind;
  offset: number;
  length: number;
}

export class SectionWriter {
  private readonly fd: number;
  private offset = 0;
  private readonly sections: SectionInfo[] = [];
  private open: { end: number } | undefined;

  constructor(file: string) {
    this.fd = fs.openSync(file, 'w');
    this.bytes(MAGIC);
  }

  /** Writes a whole array as a section; returns its number. */
  array(values: AnyArray): number {
    const section = this.begin(kindOf(values), values.length);
    this.write(values);
    return section;
  }

  /** Starts a section of `length` elements, filled by `write` calls; returns its number. */
  begin(kind: Kind, length: number): number {
    if (this.open && this.offset !== this.open.end) throw new Error('cache file: the previous section is incomplete');
    const padding = (8 - (this.offset % 8)) % 8;
    if (padding > 0) this.bytes(Buffer.alloc(padding));
    this.sections.push({ kind, offset: this.offset, length });
    this.open = { end: this.offset + length * BYTES[kind] };
    return this.sections.length - 1;
  }

  write(values: AnyArray): void {
    this.bytes(new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
  }

  /** Writes the header and closes the file. */
  finish(header: unknown): void {
    if (this.open && this.offset !== this.open.end) throw new Error('cache file: the last section is incomplete');
    const serialized = v8.serialize({ header, sections: this.sections });
    this.bytes(serialized);
    const length = Buffer.alloc(4);
    length.writeUInt32LE(serialized.length);
    this.bytes(length);
    fs.closeSync(this.fd);
  }

  /** Closes the file after a failure (the caller removes it). */
  abandon(): void {
    try {
      fs.closeSync(this.fd);
    } catch {
      // already closed
    }
  }

  private bytes(data: Uint8Array): void {
    let done = 0;
    while (done < data.length) done += fs.writeSync(this.fd, data, done, data.length - done);
    this.offset += data.length;
  }
}

/** Reads a file written by SectionWriter: its header, and its sections as views of the file's bytes. Throws if malformed. */
export function readSections(file: string): { header: unknown; section(index: number): AnyArray } {
  let bytes = fs.readFileSync(file);
  if (bytes.byteOffset % 8 !== 0) bytes = Buffer.from(new Uint8Array(bytes).buffer); // views need aligned offsets: a copy of its own
  if (bytes.length < MAGIC.length + 4 || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) throw new Error('not an index cache file');
  const headerLength = bytes.readUInt32LE(bytes.length - 4);
  const headerStart = bytes.length - 4 - headerLength;
  if (headerStart < MAGIC.length) throw new Error('truncated index cache file');
  const { header, sections } = v8.deserialize(bytes.subarray(headerStart, bytes.length - 4)) as { header: unknown; sections: SectionInfo[] };
  return {
    header,
    section(index) {
      const info = sections[index];
      if (!info || info.offset + info.length * BYTES[info.kind] > headerStart) throw new Error('truncated index cache file');
      return new VIEWS[info.kind](bytes.buffer, bytes.byteOffset + info.offset, info.length);
    },
  };
}

function kindOf(values: AnyArray): Kind {
  if (values instanceof Int32Array) return 'i32';
  if (values instanceof Uint32Array) return 'u32';
  if (values instanceof Uint8Array) return 'u8';
  return 'f64';
}
