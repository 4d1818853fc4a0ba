import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Schema } from '../schema/schema';
import { SharedStrings, StringTable, type EncodedModel } from '../index/compact';
import type { KeyTag } from '../index/dependencies';
import type { CachedDiagnoses, ConfigurationSet } from './configurationSet';
import { readSections, SectionWriter, type AnyArray } from './cacheFile';
import type { AnalysedFile, FileStamp } from './fileAnalysis';

/**
 * The persistent index cache: what the engine derived from each file (its compact model, file diagnostics and line
 * starts), which files are configuration files, and the diagnoses of whole sets. Keyed by the folder that was
 * discovered; a file is reused only when its size and modification time are unchanged, and the whole cache only
 * when it was written by the same engine build and schema. Diagnoses of a set are reused only when every file, the
 * agent settings and the options are the same as when they were computed.
 *
 * Written only where the caller says (the editor's storage folder, the CLI's --cache-dir): nothing is written that
 * the user did not ask for.
 */
const FORMAT = 5;
const TAGS: KeyTag[] = ['D', 'K', 'KD', 'NAV', 'MEM', 'GEN', 'DEP', 'REFS', 'SET', 'ALL', 'MODEL', 'POS', 'ANY'];

/**
 * The file's layout (see cacheFile.ts): numbers live in a few large sections, referred to by number from the header;
 * strings are one text. Reading back a handful of big sections is a copy, where hundreds of thousands of small arrays
 * and strings took seconds, and writing streams the models without building the whole file in memory.
 */
type SectionRef = number;

interface CacheHeader {
  format: number;
  engine: string;
  schema: string;
  root: string;
  /** The string table every model and key of the file indexes into: its strings end to end, and their lengths. */
  strings: { text: string; lengths: SectionRef };
  sniff: { paths: string[]; sizes: SectionRef; mtimes: SectionRef; configuration: SectionRef };
  sets: StoredSet[];
}

/** The typed arrays of an encoded model, in the order they are packed. */
const MODEL_ARRAYS = ['elements', 'elementStrings', 'attributes', 'attributeStrings', 'entries', 'entryStrings', 'mentions'] as const;

interface StoredFile {
  path: string;
  isModule: boolean;
  isConfiguration: boolean;
  local: AnalysedFile['local'];
  textLength: number;
  stamp?: FileStamp;
}

interface StoredSet {
  root: string;
  files: StoredFile[];
  /** Each file's model arrays (MODEL_ARRAYS order), file after file; `lengths` has one entry per array. */
  ints: SectionRef;
  lengths: SectionRef;
  /** Each file's line starts, file after file, and how many each has. */
  lineStarts: SectionRef;
  lineCounts: SectionRef;
  fingerprint?: string;
  diagnoses?: {
    tags: SectionRef;
    a: SectionRef;
    b: SectionRef;
    ids: SectionRef;
    files: { path: string; diagnostics: CachedDiagnoses['files'][number]['diagnostics'] }[];
    /** Each file's read keys, file after file, and how many each has. */
    keys: SectionRef;
    keyCounts: SectionRef;
  };
}

export interface CachedSet {
  root: string;
  files: AnalysedFile[];
  /** Fingerprint of the files, settings and options the diagnoses were computed from. */
  fingerprint?: string;
  diagnoses?: CachedDiagnoses;
}

let engineHash: string | undefined;

/**
 * Identifies the running engine build: a hash of the code (the bundle, or every compiled engine module), so that a
 * new version or a changed rule never reads results of another.
 */
export function engineFingerprint(): string {
  if (engineHash) return engineHash;
  const hash = crypto.createHash('sha1');
  const here = __filename;
  const root = path.basename(path.dirname(here)) === 'engine' ? path.dirname(path.dirname(here)) : undefined;
  const files = root ? listJs(root) : [here];
  for (const file of files.sort()) {
    hash.update(file.slice((root ?? '').length));
    try {
      hash.update(fs.readFileSync(file));
    } catch {
      hash.update('?');
    }
  }
  engineHash = hash.digest('hex');
  return engineHash;
}

function listJs(dir: string): string[] {
  const result: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) result.push(...listJs(full));
    else if (entry.name.endsWith('.js') || entry.name.endsWith('.json')) result.push(full);
  }
  return result;
}

export class IndexCache {
  private readonly sniffed = new Map<string, { size: number; mtimeMs: number; configuration: boolean }>();
  private readonly sets = new Map<string, CachedSet>();
  private loaded = false;

  constructor(
    readonly dir: string,
    readonly root: string,
    private readonly schema: Schema,
  ) {}

  /** The cache file of a discovered folder. */
  get file(): string {
    const name = crypto.createHash('sha1').update(path.resolve(this.root)).digest('hex').slice(0, 16);
    return path.join(this.dir, `usercube-conf-index-${name}.bin`);
  }

  /** Reads the cache file, if any and if it was written by this engine and schema. Never throws. */
  load(): void {
    if (this.loaded) return;
    this.loaded = true;
    try {
      const { header, section } = readSections(this.file);
      const data = header as CacheHeader;
      if (data.format !== FORMAT || data.engine !== engineFingerprint() || data.schema !== this.schema.data.inputsHash || data.root !== path.resolve(this.root)) return;
      const sizes = section(data.sniff.sizes);
      const mtimes = section(data.sniff.mtimes);
      const configuration = section(data.sniff.configuration);
      const sniffed = data.sniff.paths.map((file, i) => [file, { size: sizes[i], mtimeMs: mtimes[i], configuration: configuration[i] === 1 }] as const);
      const strings = unpackStrings(data.strings.text, section(data.strings.lengths));
      const sets = data.sets.map((set): CachedSet => {
        const saved = set.diagnoses;
        let diagnoses: CachedDiagnoses | undefined;
        if (saved) {
          const [tags, a, b, ids, allKeys, keyCounts] = [saved.tags, saved.a, saved.b, saved.ids, saved.keys, saved.keyCounts].map(section);
          const keys: [string, string, string, number][] = [];
          for (let i = 0; i < ids.length; i++) keys.push([TAGS[tags[i]], strings[a[i]], strings[b[i]], ids[i]]);
          let at = 0;
          const files = saved.files.map((file, i) => ({ ...file, keys: (allKeys as Uint32Array).subarray(at, (at += keyCounts[i])) }));
          diagnoses = { keys, files };
        }
        return { root: set.root, files: unpackFiles(set, strings, section), fingerprint: set.fingerprint, diagnoses };
      });
      for (const [file, known] of sniffed) this.sniffed.set(file, known);
      for (const set of sets) this.sets.set(set.root, set);
    } catch {
      // missing, truncated or from another version: analysed afresh
    }
  }

  /** Wraps a configuration-file test with what the cache knows of unchanged files (and learns new answers). */
  sniffer(isConfiguration: (file: string) => boolean): (file: string) => boolean {
    return (file) => {
      let stamp: FileStamp | undefined;
      try {
        const stat = fs.statSync(file);
        stamp = { size: stat.size, mtimeMs: stat.mtimeMs };
      } catch {
        return isConfiguration(file);
      }
      const known = this.sniffed.get(file);
      if (known && known.size === stamp.size && known.mtimeMs === stamp.mtimeMs) return known.configuration;
      const answer = isConfiguration(file);
      this.sniffed.set(file, { ...stamp, configuration: answer });
      return answer;
    };
  }

  /** Files of a set analysed earlier, by path. */
  reusable(setRoot: string): Map<string, AnalysedFile> {
    return new Map((this.sets.get(setRoot)?.files ?? []).map((file) => [file.path, file]));
  }

  /** Saved diagnoses of a set, when computed from exactly what `set` holds now. */
  diagnoses(set: ConfigurationSet): CachedDiagnoses | undefined {
    const cached = this.sets.get(set.root);
    if (!cached?.diagnoses || !cached.fingerprint) return undefined;
    return cached.fingerprint === setFingerprint(set) ? cached.diagnoses : undefined;
  }

  /** Records the current state of sets (and forgets sets that are gone), then writes the cache file. Never throws. */
  save(sets: readonly ConfigurationSet[]): boolean {
    for (const set of sets) {
      const diagnoses = set.exportDiagnoses();
      this.sets.set(set.root, { root: set.root, files: set.analysedFiles(), fingerprint: diagnoses ? setFingerprint(set) : undefined, diagnoses });
    }
    for (const root of [...this.sets.keys()]) if (!sets.some((s) => s.root === root)) this.sets.delete(root);
    const temporary = `${this.file}.${process.pid}.tmp`;
    let writer: SectionWriter | undefined;
    try {
      fs.mkdirSync(this.dir, { recursive: true });
      writer = new SectionWriter(temporary);
      const table = new StringTable();
      const strings = new SharedStrings(table);
      const stored: StoredSet[] = [];
      for (const set of this.sets.values()) stored.push(writeSet(writer, set, strings));
      const paths: string[] = [];
      const count = this.sniffed.size;
      const sizes = new Float64Array(count);
      const mtimes = new Float64Array(count);
      const configuration = new Uint8Array(count);
      let i = 0;
      for (const [file, known] of this.sniffed) {
        paths.push(file);
        sizes[i] = known.size;
        mtimes[i] = known.mtimeMs;
        configuration[i++] = known.configuration ? 1 : 0;
      }
      const header: CacheHeader = {
        format: FORMAT,
        engine: engineFingerprint(),
        schema: this.schema.data.inputsHash,
        root: path.resolve(this.root),
        strings: { text: table.strings.join(''), lengths: writer.array(Int32Array.from(table.strings, (s) => s.length)) },
        sniff: { paths, sizes: writer.array(sizes), mtimes: writer.array(mtimes), configuration: writer.array(configuration) },
        sets: stored,
      };
      writer.finish(header);
      fs.renameSync(temporary, this.file);
      return true;
    } catch {
      writer?.abandon();
      fs.rmSync(temporary, { force: true });
      return false;
    }
  }
}

/** Writes a set's models (streamed, string ids mapped into the shared table) and diagnoses; returns its header. */
function writeSet(writer: SectionWriter, set: CachedSet, strings: SharedStrings): StoredSet {
  const files = set.files;
  const lengths = new Int32Array(files.length * MODEL_ARRAYS.length);
  let total = 0;
  files.forEach((file, i) => MODEL_ARRAYS.forEach((name, j) => (total += lengths[i * MODEL_ARRAYS.length + j] = file.encoded[name].length)));
  const ints = writer.begin('i32', total);
  let scratch = new Int32Array(1024);
  for (const { encoded } of files) {
    for (const name of MODEL_ARRAYS) {
      const values = encoded[name];
      if (!SharedStrings.holdsStrings(name)) writer.write(values);
      else {
        if (scratch.length < values.length) scratch = new Int32Array(values.length * 2);
        writer.write(strings.remap(encoded, values, scratch, 0).subarray(0, values.length));
      }
    }
  }
  const stored: StoredSet = {
    root: set.root,
    files: files.map((f) => ({ path: f.path, isModule: f.isModule, isConfiguration: f.encoded.isConfiguration, local: f.local, textLength: f.textLength, stamp: f.stamp })),
    ints,
    lengths: writer.array(lengths),
    lineStarts: writeAll(writer, files.map((f) => f.lineStarts)),
    lineCounts: writer.array(Int32Array.from(files, (f) => f.lineStarts.length)),
    fingerprint: set.fingerprint,
  };
  if (set.diagnoses) {
    const { keys, files: diagnosed } = set.diagnoses;
    const tags = new Uint8Array(keys.length);
    const a = new Int32Array(keys.length);
    const b = new Int32Array(keys.length);
    const ids = new Int32Array(keys.length);
    keys.forEach(([tag, first, second, id], i) => {
      tags[i] = TAGS.indexOf(tag as KeyTag);
      a[i] = strings.table.id(first);
      b[i] = strings.table.id(second);
      ids[i] = id;
    });
    stored.diagnoses = {
      tags: writer.array(tags),
      a: writer.array(a),
      b: writer.array(b),
      ids: writer.array(ids),
      files: diagnosed.map(({ path, diagnostics }) => ({ path, diagnostics })),
      keys: writeAll(writer, diagnosed.map((f) => f.keys)),
      keyCounts: writer.array(Int32Array.from(diagnosed, (f) => f.keys.length)),
    };
  }
  return stored;
}

/** Writes arrays end to end as one section. */
function writeAll(writer: SectionWriter, arrays: readonly Uint32Array[]): SectionRef {
  const section = writer.begin('u32', arrays.reduce((n, a) => n + a.length, 0));
  for (const array of arrays) writer.write(array);
  return section;
}

/** What a set's diagnoses depend on: its files (with their stamps), its agent settings texts and its options. */
function setFingerprint(set: ConfigurationSet): string {
  const hash = crypto.createHash('sha1');
  for (const source of set.allFiles()) {
    const stamp = set.stampOf(source.path);
    hash.update(`${source.path}\u0000${source.isModule}\u0000${stamp ? `${stamp.size}:${stamp.mtimeMs}` : 'buffer'}\n`);
  }
  hash.update(set.settingsFingerprint());
  hash.update(JSON.stringify(set.optionsForCache()));
  return hash.digest('hex');
}

function unpackStrings(text: string, lengths: ArrayLike<number>): string[] {
  const strings = new Array<string>(lengths.length);
  let at = 0;
  for (let i = 0; i < lengths.length; i++) strings[i] = text.slice(at, (at += lengths[i]));
  return strings;
}

/** The files of a stored set; their arrays are views into the file's sections (nothing is copied). */
function unpackFiles(set: StoredSet, strings: string[], section: (ref: SectionRef) => AnyArray): AnalysedFile[] {
  const ints = section(set.ints) as Int32Array;
  const lengths = section(set.lengths);
  const lineStarts = section(set.lineStarts) as Uint32Array;
  const lineCounts = section(set.lineCounts);
  let intAt = 0;
  let lengthAt = 0;
  let lineAt = 0;
  return set.files.map((file, i) => {
    const encoded = { file: file.path, isConfiguration: file.isConfiguration, strings } as EncodedModel;
    for (const name of MODEL_ARRAYS) encoded[name] = ints.subarray(intAt, (intAt += lengths[lengthAt++]));
    return { path: file.path, isModule: file.isModule, encoded, local: file.local, lineStarts: lineStarts.subarray(lineAt, (lineAt += lineCounts[i])), textLength: file.textLength, stamp: file.stamp };
  });
}
