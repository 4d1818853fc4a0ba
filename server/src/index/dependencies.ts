/**
 * What each file's diagnosis read from the rest of its set, and the reverse: who read a given thing.
 *
 * While a file is diagnosed, the set index records every read as a key (see `SetIndex.track`):
 * `D kind name` (the declarations of a name), `K kind` (the names of a kind), `KD kind` (every declaration of a kind),
 * `NAV type.property` (association navigation), `MEM` (job memberships), `GEN` (scaffolding outputs), `DEP` (task
 * dependencies), `REFS kind` (the names references of a kind use),
 * `SET` (the agent settings), `ALL field` (a field of every file model), `MODEL file` (one file's model) and `ANY`.
 * Files whose diagnostics point at another file (related locations) also depend on `POS file`.
 * When a file changes, the keys its change touches (see `changes.ts`) select the files to re-check: a reverse index
 * from key to readers, so an edit re-checks the edited file and its dependents only.
 */
export type KeyTag = 'D' | 'K' | 'KD' | 'NAV' | 'MEM' | 'GEN' | 'DEP' | 'REFS' | 'SET' | 'ALL' | 'MODEL' | 'POS' | 'ANY';

/** Receives the reads of the diagnosis in progress. */
export interface ReadRecorder {
  read(tag: KeyTag, a?: string, b?: string): void;
}

/** Interns keys as small integers (tag → first part → second part). */
export class KeySpace {
  private readonly ids = new Map<string, Map<string, Map<string, number>>>();
  /** The most read tag, `D`, without its lookup. */
  private readonly declarations: Map<string, Map<string, number>>;
  private count = 0;

  constructor() {
    this.declarations = new Map();
    this.ids.set('D', this.declarations);
  }

  /** The id of a key, creating it. */
  id(tag: KeyTag, a = '', b = ''): number {
    let byA = tag === 'D' ? this.declarations : this.ids.get(tag);
    if (!byA) this.ids.set(tag, (byA = new Map()));
    let byB = byA.get(a);
    if (!byB) byA.set(a, (byB = new Map()));
    let id = byB.get(b);
    if (id === undefined) byB.set(b, (id = this.count++));
    return id;
  }

  /** The id of a key if anything ever read it. */
  find(tag: KeyTag, a = '', b = ''): number | undefined {
    return this.ids.get(tag)?.get(a)?.get(b);
  }

  /** Every key, for the on-disk cache: [tag, a, b, id]. */
  entries(): [string, string, string, number][] {
    const result: [string, string, string, number][] = [];
    for (const [tag, byA] of this.ids) for (const [a, byB] of byA) for (const [b, id] of byB) result.push([tag, a, b, id]);
    return result;
  }

  get size(): number {
    return this.count;
  }

  /** Adds keys saved by entries() with their ids (into an empty space). */
  restore(entries: readonly [string, string, string, number][]): void {
    for (const [tag, a, b, id] of entries) {
      let byA = tag === 'D' ? this.declarations : this.ids.get(tag);
      if (!byA) this.ids.set(tag, (byA = new Map()));
      let byB = byA.get(a);
      if (!byB) byA.set(a, (byB = new Map()));
      byB.set(b, id);
      if (id >= this.count) this.count = id + 1;
    }
  }
}

/** Records reads into a set of key ids (one diagnosis). */
export class KeyCollector implements ReadRecorder {
  readonly keys = new Set<number>();
  /** Keys without parts (SET, GEN, NAV…) are read very often: their ids are remembered. */
  private readonly plain = new Map<string, number>();
  constructor(private readonly space: KeySpace) {}
  read(tag: KeyTag, a?: string, b?: string): void {
    if (a === undefined) {
      let id = this.plain.get(tag);
      if (id === undefined) {
        id = this.space.id(tag);
        this.plain.set(tag, id);
        this.keys.add(id);
      }
      return;
    }
    this.keys.add(this.space.id(tag, a, b));
  }
}

/**
 * Key ids → the files (by id) whose last diagnosis read them, and back. The key → files direction is built on the
 * first question (the first edit), not while the whole set is diagnosed, and kept up to date from then on.
 */
export class ReverseIndex {
  /** Key → reader (most keys have one) or readers. */
  private readers: Map<number, number | number[]> | undefined;
  private readonly keysOf = new Map<number, Uint32Array>();

  /** Replaces what a file read. */
  set(file: number, keys: Iterable<number>): void {
    this.clear(file);
    const list = Uint32Array.from(keys);
    this.keysOf.set(file, list);
    if (this.readers) this.add(file, list);
  }

  clear(file: number): void {
    const previous = this.keysOf.get(file);
    if (!previous) return;
    if (this.readers) for (const key of previous) this.remove(key, file);
    this.keysOf.delete(file);
  }

  has(file: number): boolean {
    return this.keysOf.has(file);
  }

  keys(file: number): Uint32Array | undefined {
    return this.keysOf.get(file);
  }

  /** Every file's keys (for the index cache). */
  all(): IterableIterator<[number, Uint32Array]> {
    return this.keysOf.entries();
  }

  /** Builds the key → files direction now (after an initial diagnosis, before the first edit). */
  prepare(): void {
    if (this.readers) return;
    this.readers = new Map();
    for (const [file, keys] of this.keysOf) this.add(file, keys);
  }

  /** Adds to `into` every file that read one of the keys. */
  collect(keys: Iterable<number>, into: Set<number>): void {
    this.prepare();
    for (const key of keys) {
      const readers = this.readers!.get(key);
      if (readers === undefined) continue;
      if (typeof readers === 'number') into.add(readers);
      else for (const file of readers) into.add(file);
    }
  }

  private add(file: number, keys: Uint32Array): void {
    const readers = this.readers!;
    for (const key of keys) {
      const current = readers.get(key);
      if (current === undefined) readers.set(key, file);
      else if (typeof current === 'number') {
        if (current !== file) readers.set(key, [current, file]);
      } else if (!current.includes(file)) current.push(file);
    }
  }

  private remove(key: number, file: number): void {
    const readers = this.readers!;
    const current = readers.get(key);
    if (current === undefined) return;
    if (typeof current === 'number') {
      if (current === file) readers.delete(key);
      return;
    }
    const at = current.indexOf(file);
    if (at < 0) return;
    current.splice(at, 1);
    if (current.length === 1) readers.set(key, current[0]);
  }
}
