import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import type { Schema } from '../schema/schema';
import { shareStrings, StringTable } from '../index/compact';
import type { KeyTag } from '../index/dependencies';
import type { CachedDiagnoses, ConfigurationSet } from './configurationSet';
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
const FORMAT = 3;
const TAGS: KeyTag[] = ['D', 'K', 'KD', 'NAV', 'MEM', 'GEN', 'DEP', 'REFS', 'SET', 'ALL', 'MODEL', 'POS', 'ANY'];

interface CacheFile {
  format: number;
  engine: string;
  schema: string;
  root: string;
  /** The string table every model and key of the file indexes into. */
  strings: string[];
  sniff: { paths: string[]; sizes: Float64Array; mtimes: Float64Array; configuration: Uint8Array };
  sets: StoredSet[];
}

interface StoredSet {
  root: string;
  files: AnalysedFile[];
  fingerprint?: string;
  diagnoses?: { tags: Uint8Array; a: Int32Array; b: Int32Array; ids: Int32Array; files: CachedDiagnoses['files'] };
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
    let data: CacheFile;
    try {
      data = v8.deserialize(fs.readFileSync(this.file)) as CacheFile;
    } catch {
      return;
    }
    if (data.format !== FORMAT || data.engine !== engineFingerprint() || data.schema !== this.schema.data.inputsHash || data.root !== path.resolve(this.root)) return;
    data.sniff.paths.forEach((file, i) => this.sniffed.set(file, { size: data.sniff.sizes[i], mtimeMs: data.sniff.mtimes[i], configuration: data.sniff.configuration[i] === 1 }));
    for (const set of data.sets) {
      const saved = set.diagnoses;
      const keys: [string, string, string, number][] = [];
      if (saved) for (let i = 0; i < saved.ids.length; i++) keys.push([TAGS[saved.tags[i]], data.strings[saved.a[i]], data.strings[saved.b[i]], saved.ids[i]]);
      this.sets.set(set.root, { root: set.root, files: set.files, fingerprint: set.fingerprint, diagnoses: saved ? { keys, files: saved.files } : undefined });
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
    const table = new StringTable();
    const stored: StoredSet[] = [];
    for (const set of this.sets.values()) {
      const { models } = shareStrings(set.files.map((f) => f.encoded), table);
      const files = set.files.map((file, i) => ({ ...file, encoded: models[i] }));
      let diagnoses: StoredSet['diagnoses'];
      if (set.diagnoses) {
        const count = set.diagnoses.keys.length;
        diagnoses = { tags: new Uint8Array(count), a: new Int32Array(count), b: new Int32Array(count), ids: new Int32Array(count), files: set.diagnoses.files };
        set.diagnoses.keys.forEach(([tag, a, b, id], i) => {
          diagnoses!.tags[i] = TAGS.indexOf(tag as KeyTag);
          diagnoses!.a[i] = table.id(a);
          diagnoses!.b[i] = table.id(b);
          diagnoses!.ids[i] = id;
        });
      }
      stored.push({ root: set.root, files, fingerprint: set.fingerprint, diagnoses });
    }
    const count = this.sniffed.size;
    const sniff: CacheFile['sniff'] = { paths: [], sizes: new Float64Array(count), mtimes: new Float64Array(count), configuration: new Uint8Array(count) };
    let i = 0;
    for (const [file, known] of this.sniffed) {
      sniff.paths.push(file);
      sniff.sizes[i] = known.size;
      sniff.mtimes[i] = known.mtimeMs;
      sniff.configuration[i++] = known.configuration ? 1 : 0;
    }
    const data: CacheFile = { format: FORMAT, engine: engineFingerprint(), schema: this.schema.data.inputsHash, root: path.resolve(this.root), strings: table.strings, sniff, sets: stored };
    try {
      fs.mkdirSync(this.dir, { recursive: true });
      const temporary = `${this.file}.${process.pid}.tmp`;
      fs.writeFileSync(temporary, v8.serialize(data));
      fs.renameSync(temporary, this.file);
      return true;
    } catch {
      return false;
    }
  }
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
