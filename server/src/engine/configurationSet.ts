import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { applySeverityOverrides, type Diagnostic, type SeverityOverride } from '../checks/diagnostic';
import { SET_RULES, SETTINGS_RULES } from '../checks/registry';
import { runRule, type GeneratedNames, type SetRuleInput } from '../checks/rule';
import { forEachKinds, modelChange, ModelSnapshot, type ModelChange, type SnapshotData } from '../index/changes';
import { KeyCollector, KeySpace, ReverseIndex } from '../index/dependencies';
import { decodeModel, detachModel, encodeModel, type EncodedModel } from '../index/compact';
import { buildFileModel, type FileModel } from '../index/fileModel';
import { SetIndex } from '../index/setIndex';
import type { Schema } from '../schema/schema';
import { LineIndex } from '../syntax/lineIndex';
import type { XmlDocument } from '../syntax/model';
import { parseDocument } from '../syntax/scan';
import { looksBinary } from '../syntax/text';
import { parseAppSettings, type AppSettingsModel, type SettingsKindLocation } from '../workspace/appsettings';
import type { SetLayout } from '../workspace/discovery';
import { analyseInParallel, analyseInParallelSync, workerCount, type FileJob } from './parallel';
import { analyseFromDisk, analyseTree, DEFAULT_MAX_FILE_SIZE, EMPTY_DOCUMENT, readText, stampOf, type AnalysedFile, type FileStamp } from './fileAnalysis';

/** Closed files whose tree was rebuilt on demand (hover, outline of a closed file) keep it while among the last few. */
const HYDRATED_KEPT = 8;

export interface SourceFile {
  path: string;
  lines: LineIndex;
  /**
   * The file's tree. Held for files updated from an editor buffer; for files read from disk (closed files) only the
   * model is kept and the tree is rebuilt from the disk on demand.
   */
  readonly doc: XmlDocument;
  model: FileModel;
  isModule: boolean;
  /** Diagnostics that depend on this file alone (cached until its text changes). */
  local: Diagnostic[];
}

export interface SettingsFile {
  path: string;
  lines: LineIndex;
  model: AppSettingsModel;
  /** Problems found while reading it (unreadable file). */
  local: Diagnostic[];
  /** A hash of the text (for the index cache). */
  hash?: string;
}

export interface SetOptions {
  severities?: Record<string, SeverityOverride>;
  maxFileSizeBytes?: number;
}

/** Files analysed earlier (the index cache), by path: reused when the disk still holds what they were read from. */
export type ReusableFiles = ReadonlyMap<string, AnalysedFile>;

/** Diagnoses of a whole set and what each read (see index/dependencies.ts), for the index cache. */
export interface CachedDiagnoses {
  keys: [string, string, string, number][];
  files: { path: string; diagnostics: Diagnostic[]; keys: Uint32Array }[];
}

/** The outcome of an update: the file, and every file whose diagnostics may have changed (the file first). */
export type UpdateResult = SourceFile & { crossFileChanged: boolean; affected: string[] };

class Source implements SourceFile {
  tree: XmlDocument | undefined;
  /** What other files can see of the model, for comparisons (see snapshot()). */
  snapshot: ModelSnapshot | undefined;

  constructor(
    private readonly owner: ConfigurationSet,
    readonly path: string,
    public lines: LineIndex,
    tree: XmlDocument | undefined,
    public model: FileModel,
    public isModule: boolean,
    public local: Diagnostic[],
    readonly id: number,
    public stamp: FileStamp | undefined,
    /** Updated from an editor buffer: the tree is authoritative and kept. */
    public fromBuffer: boolean,
    /** The compact form the model was decoded from (closed files, large buffers analysed in the background). */
    public encoded: EncodedModel | undefined,
    /** For a large buffer analysed in the background: the text analysed (its tree is rebuilt from it on demand). */
    public bufferText?: string,
  ) {
    this.tree = tree;
  }

  get doc(): XmlDocument {
    return this.tree ?? this.owner.rebuildTree(this);
  }
}



/**
 * One configuration set: its files, modules and agent settings, the index over them, and diagnosis.
 *
 * Files are updated one at a time; only the changed file is reparsed. Diagnoses are cached per file, with what each
 * read from the index (see `index/dependencies.ts`): an update re-diagnoses the changed file and the files that read
 * something the update changed, and nothing else. The result is always what a fresh load of the same texts gives.
 */
export class ConfigurationSet {
  readonly index: SetIndex;
  private readonly files = new Map<string, Source>();
  private settings: SettingsFile | undefined;
  private readonly extraSettings = new Map<string, SettingsFile>();
  private readonly ids = new Map<string, number>();
  private readonly paths: string[] = [];
  private readonly keys = new KeySpace();
  private readonly readers = new ReverseIndex();
  private readonly diagnoses = new Map<string, Diagnostic[]>();
  private readonly hydrated: Source[] = [];
  private readonly expandedKinds: ReadonlySet<string>;
  private order = new Map<string, number>();
  /** The files in canonical order (module files first), and how many are module files. */
  private orderedFiles: string[] = [];
  private moduleCount = 0;
  /** True when the last load from disk found every file in the index cache, unchanged. */
  reusedEverything = false;

  constructor(
    readonly layout: SetLayout,
    readonly schema: Schema,
    private readonly options: SetOptions = {},
  ) {
    this.index = new SetIndex(schema);
    this.expandedKinds = forEachKinds(schema);
    this.setCanonicalOrder([...layout.moduleFiles, ...layout.files]);
  }

  get root(): string {
    return this.layout.root;
  }

  /**
   * Reads every file of the layout from disk: on worker threads when the set is large enough (or `workers` says how
   * many; 0 for none), else one after the other. Blocks until done.
   */
  loadFromDisk(workers?: number, reuse?: ReusableFiles): void {
    const { jobs, sizes, total } = this.diskJobs(undefined, reuse);
    this.reusedEverything = jobs.length === 0;
    const count = workerCount(total, workers);
    const maxBytes = this.options.maxFileSizeBytes ?? DEFAULT_MAX_FILE_SIZE;
    if (count === 0 || !analyseInParallelSync(jobs, sizes, maxBytes, count, (result) => this.installAnalysed(result))) {
      for (const job of jobs) this.loadFile(job.path, job.isModule);
    }
    this.loadSettingsFromDisk();
  }

  /**
   * Reads files from disk without blocking (the language server): `skip` leaves out files the caller provides
   * otherwise (open editor buffers). `progress` counts files; `isCancelled` stops early (then resolves to false).
   */
  async loadFromDiskAsync(options: { workers?: number; skip?: (file: string) => boolean; progress?: () => void; isCancelled?: () => boolean; reuse?: ReusableFiles } = {}): Promise<boolean> {
    const { jobs, sizes, total } = this.diskJobs(options.skip, options.reuse, options.progress);
    this.reusedEverything = jobs.length === 0;
    const isCancelled = options.isCancelled ?? (() => false);
    const count = workerCount(total, options.workers);
    const maxBytes = this.options.maxFileSizeBytes ?? DEFAULT_MAX_FILE_SIZE;
    const install = (result: AnalysedFile) => {
      this.installAnalysed(result);
      options.progress?.();
    };
    if (count > 0) {
      let failed = false;
      const done = await analyseInParallel(jobs, sizes, maxBytes, count, install, isCancelled).catch(() => {
        failed = true; // a worker could not start or crashed: read the rest here
        return false;
      });
      if (done) return true;
      if (!failed || isCancelled()) return false;
    }
    for (let i = 0; i < jobs.length; i++) {
      if (this.files.has(jobs[i].path) && this.files.get(jobs[i].path)!.stamp) continue;
      install(analyseFromDisk(jobs[i].path, jobs[i].isModule, this.schema, maxBytes));
      if (i % 20 === 19) {
        await new Promise((resolve) => setImmediate(resolve));
        if (isCancelled()) return false;
      }
    }
    return true;
  }

  /**
   * The files to read: those of the layout, except skipped ones and those `reuse` holds unchanged (same size and
   * modification time), which are installed at once.
   */
  private diskJobs(skip?: (file: string) => boolean, reuse?: ReusableFiles, installed?: () => void): { jobs: FileJob[]; sizes: number[]; total: number } {
    const jobs: FileJob[] = [];
    const sizes: number[] = [];
    let total = 0;
    const consider = (file: string, isModule: boolean) => {
      if (skip?.(file)) return;
      let stamp: FileStamp | undefined;
      try {
        stamp = stampOf(fs.statSync(file));
      } catch {
        stamp = undefined;
      }
      const known = stamp ? reuse?.get(file) : undefined;
      if (known && known.isModule === isModule && known.stamp && known.stamp.size === stamp!.size && known.stamp.mtimeMs === stamp!.mtimeMs) {
        this.installAnalysed(known);
        installed?.();
        return;
      }
      jobs.push({ path: file, isModule });
      sizes.push(stamp?.size ?? 0);
      total += stamp?.size ?? 0;
    };
    for (const file of this.layout.moduleFiles) consider(file, true);
    for (const file of this.layout.files) consider(file, false);
    return { jobs, sizes, total };
  }

  /**
   * The diagnoses of every diagnosed file and what each read, when all are computed (for the index cache);
   * undefined otherwise.
   */
  exportDiagnoses(): CachedDiagnoses | undefined {
    const diagnosed = [...this.configurationFiles().map((f) => f.path), ...[this.settings, ...this.extraSettings.values()].filter((s) => s !== undefined).map((s) => s!.path)];
    const files: CachedDiagnoses['files'] = [];
    for (const file of diagnosed) {
      const diagnostics = this.diagnoses.get(file);
      const keys = this.readers.keys(this.idOf(file));
      if (!diagnostics || !keys) return undefined;
      files.push({ path: file, diagnostics, keys });
    }
    return { keys: this.keys.entries(), files };
  }

  /** Restores diagnoses saved by exportDiagnoses for exactly the same texts and options. */
  importDiagnoses(saved: CachedDiagnoses): void {
    this.keys.restore(saved.keys);
    for (const file of saved.files) {
      this.readers.set(this.idOf(file.path), file.keys);
      this.diagnoses.set(file.path, file.diagnostics);
    }
  }

  /** Reads the agent settings files of the layout. */
  loadSettingsFromDisk(): void {
    if (this.layout.appsettings) this.loadSettingsFile(this.layout.appsettings, false);
    for (const extra of this.layout.extraAppsettings) this.loadSettingsFile(extra, true);
  }

  /** Reads a file from disk (a closed file: its tree is not kept). Returns the files to re-diagnose. */
  loadFile(file: string, isModule = this.isModuleFile(file)): string[] {
    return this.installAnalysed(analyseFromDisk(file, isModule, this.schema, this.options.maxFileSizeBytes ?? DEFAULT_MAX_FILE_SIZE));
  }

  /**
   * Replaces a file's text from an editor buffer (its tree is kept). `affected` lists the files whose diagnostics may
   * have changed: the file itself and the files that depend on what changed in it.
   */
  updateFile(file: string, text: string, isModule = this.isModuleFile(file), notes: Diagnostic[] = []): UpdateResult {
    const { model, doc, local, lines } = analyseTree(file, text, isModule, this.schema, notes);
    const { source, affected } = this.install({ path: file, isModule, model, local, lines, tree: doc });
    return Object.assign(source, { crossFileChanged: affected.length > 1, affected });
  }

  /**
   * Installs an editor buffer analysed in the background (see BackgroundAnalyser): kept in compact form like a closed
   * file, its tree rebuilt from `text` when a feature needs it. `declarations` is its snapshot, computed there too.
   */
  installBuffer(analysed: AnalysedFile, text: string, precomputed: SnapshotData): UpdateResult {
    const model = decodeModel(analysed.encoded, this.schema);
    const lines = LineIndex.fromStarts(analysed.lineStarts, analysed.textLength);
    const snapshot = new ModelSnapshot(model, false, precomputed);
    const { source, affected } = this.install({ path: analysed.path, isModule: analysed.isModule, model, local: analysed.local, lines, encoded: analysed.encoded, bufferText: text, snapshot });
    return Object.assign(source, { crossFileChanged: affected.length > 1, affected });
  }

  /** Installs a file analysed elsewhere (a worker, the index cache) or read from disk: a closed file. */
  installAnalysed(analysed: AnalysedFile): string[] {
    const model = decodeModel(analysed.encoded, this.schema);
    const lines = LineIndex.fromStarts(analysed.lineStarts, analysed.textLength);
    return this.install({ path: analysed.path, isModule: analysed.isModule, model, local: analysed.local, lines, encoded: analysed.encoded, stamp: analysed.stamp }).affected;
  }

  /** Removes a file; returns the files whose diagnostics may have changed. */
  removeFile(file: string): string[] {
    if (this.settings?.path === file || this.extraSettings.has(file)) {
      this.extraSettings.delete(file);
      if (this.settings?.path === file) this.settings = undefined;
      return [file, ...this.refreshSettingsIndex()];
    }
    const previous = this.files.get(file);
    if (!previous) return [];
    const change = modelChange(file, this.snapshotOf(previous), undefined, this.schema, this.expandedKinds, this.isRead);
    this.files.delete(file);
    this.forgetHydrated(previous);
    const before = this.index.derivedState(change.derived);
    this.index.removeFile(file, change.derived);
    change.keys.push(...this.index.derivedDifferences(before));
    for (const kind of this.index.takeReferenceChanges()) change.keys.push(['REFS', kind]);
    const affected = this.invalidate(change, previous.id);
    this.readers.clear(previous.id);
    this.diagnoses.delete(file);
    return affected.filter((f) => f !== file);
  }

  loadSettingsFile(file: string, extra: boolean): string[] {
    const read = readText(file, this.options.maxFileSizeBytes ?? DEFAULT_MAX_FILE_SIZE);
    if (read.text === undefined) {
      const failed: SettingsFile = { path: file, lines: new LineIndex(''), model: { file, entries: [], problems: [], root: undefined }, local: [read.problem!] };
      if (extra) this.extraSettings.set(file, failed);
      else this.settings = failed;
      return [file, ...this.refreshSettingsIndex()];
    }
    return this.updateSettings(file, read.text, extra);
  }

  /** Replaces the agent settings text; returns the files whose diagnostics may have changed. */
  updateSettings(file: string, text: string, extra = this.extraSettings.has(file)): string[] {
    const model = parseAppSettings(file, text, settingsKinds(this.schema));
    const settings: SettingsFile = { path: file, lines: new LineIndex(text), model, local: [], hash: crypto.createHash('sha1').update(text).digest('hex') };
    if (extra) this.extraSettings.set(file, settings);
    else this.settings = settings;
    this.idOf(file);
    return [file, ...this.refreshSettingsIndex().filter((f) => f !== file)];
  }

  settingsFile(): SettingsFile | undefined {
    return this.settings;
  }

  file(file: string): SourceFile | undefined {
    return this.files.get(file);
  }

  /** Every diagnosed configuration file of the set (modules excluded). */
  configurationFiles(): SourceFile[] {
    return [...this.files.values()].filter((f) => !f.isModule && (f.model.isConfiguration || f.local.length > 0));
  }

  /** Every file of the set with its model (modules included), in the set's order. */
  allFiles(): SourceFile[] {
    return [...this.files.values()];
  }

  hasFile(file: string): boolean {
    return this.files.has(file) || this.settings?.path === file || this.extraSettings.has(file);
  }

  linesOf(file: string): LineIndex | undefined {
    if (this.settings?.path === file) return this.settings.lines;
    return this.files.get(file)?.lines ?? this.extraSettings.get(file)?.lines;
  }

  /** Diagnostics of one file (a configuration file or the settings file), severity overrides applied. Cached. */
  diagnose(file: string): Diagnostic[] {
    const cached = this.diagnoses.get(file);
    if (cached) return cached;
    const isSettings = this.settings?.path === file || this.extraSettings.has(file);
    const source = this.files.get(file);
    if (!isSettings && (!source || source.isModule)) return [];
    const collector = new KeyCollector(this.keys);
    const previous = this.index.track(collector);
    let found: Diagnostic[];
    try {
      found = isSettings ? this.runSettingsRules(file) : this.runSetRules(source!, collector);
    } finally {
      this.index.track(previous);
    }
    const result = sortDiagnostics(applySeverityOverrides(found, this.options.severities ?? {}));
    // Diagnostics that show another file's positions depend on them.
    for (const diagnostic of result) for (const related of diagnostic.related ?? []) if (related.file !== file) collector.read('POS', related.file);
    this.readers.set(this.idOf(file), collector.keys);
    this.diagnoses.set(file, result);
    return result;
  }

  diagnoseAll(): Diagnostic[] {
    const result: Diagnostic[] = [];
    for (const source of this.configurationFiles()) append(result, this.diagnose(source.path));
    if (this.settings) append(result, this.diagnose(this.settings.path));
    for (const extra of this.extraSettings.keys()) append(result, this.diagnose(extra));
    return result;
  }

  generated(): GeneratedNames {
    return this.index.generated();
  }

  isModuleFile(file: string): boolean {
    return this.layout.modules.some((m) => !path.relative(m, file).startsWith('..'));
  }

  /** Builds the reverse dependencies and the names → files index now rather than on the first edit or request. */
  prepareForEdits(): void {
    this.readers.prepare();
    this.index.prepare();
    // After the initial diagnoses, closed files need their references and bindings only when re-checked or asked.
    for (const source of this.files.values()) if (!source.tree && source.encoded) (source.model as { release?: () => void }).release?.();
  }

  /** The agent settings as read (for the index cache: diagnoses depend on them). */
  settingsFingerprint(): string {
    return [this.settings, ...this.extraSettings.values()].map((s) => (s ? `${s.path}\u0000${s.hash ?? 'unreadable'}` : '-')).join('\n');
  }

  /** The options diagnoses depend on (for the index cache). */
  optionsForCache(): unknown {
    return { severities: this.options.severities ?? {}, maxFileSizeBytes: this.options.maxFileSizeBytes ?? DEFAULT_MAX_FILE_SIZE };
  }

  /** What the file on disk was when it was analysed (undefined for editor buffers). */
  stampOf(file: string): FileStamp | undefined {
    return this.files.get(file)?.stamp;
  }

  /** The analysed form of every file read from disk, for the index cache. */
  analysedFiles(): AnalysedFile[] {
    const result: AnalysedFile[] = [];
    for (const source of this.files.values()) {
      if (source.fromBuffer || !source.stamp) continue;
      result.push({
        path: source.path,
        isModule: source.isModule,
        encoded: source.encoded ?? encodeModel(source.model),
        local: source.local,
        lineStarts: source.lines.starts(),
        textLength: source.lines.length,
        stamp: source.stamp,
      });
    }
    return result;
  }

  /** @internal Rebuilds the tree of a closed file from the disk (see SourceFile.doc). */
  rebuildTree(source: Source): XmlDocument {
    if (source.bufferText !== undefined) {
      // A large buffer: its tree comes from the text that was analysed, and is kept while the buffer is.
      const doc = looksBinary(source.bufferText) ? EMPTY_DOCUMENT : parseDocument(source.bufferText);
      if (doc === EMPTY_DOCUMENT) return doc;
      const model = buildFileModel(source.path, doc, this.schema);
      source.tree = doc;
      source.model = model;
      this.index.replaceEquivalent(model);
      return doc;
    }
    let stamp: FileStamp | undefined;
    let text: string | undefined;
    try {
      stamp = stampOf(fs.statSync(source.path));
      const read = readText(source.path, this.options.maxFileSizeBytes ?? DEFAULT_MAX_FILE_SIZE);
      text = read.text;
    } catch {
      text = undefined;
    }
    if (text === undefined) return EMPTY_DOCUMENT;
    const doc = looksBinary(text) ? EMPTY_DOCUMENT : parseDocument(text);
    const model = buildFileModel(source.path, doc, this.schema);
    // Only when the disk still holds what was analysed is the tree the model's own: then the model takes the tree's
    // elements (features match declarations to elements), and the index keeps everything it derived.
    if (doc !== EMPTY_DOCUMENT && source.stamp && stamp && stamp.size === source.stamp.size && stamp.mtimeMs === source.stamp.mtimeMs) {
      source.tree = doc;
      source.model = model;
      this.index.replaceEquivalent(model);
      this.hydrated.push(source);
      if (this.hydrated.length > HYDRATED_KEPT) this.release(this.hydrated.shift()!);
    }
    return doc;
  }

  private release(source: Source): void {
    if (source.fromBuffer || !this.files.has(source.path) || this.files.get(source.path) !== source) return;
    source.model = source.encoded ? decodeModel(source.encoded, this.schema) : detachModel(source.model, this.schema);
    source.tree = undefined;
    this.index.replaceEquivalent(source.model);
  }

  private forgetHydrated(source: Source): void {
    const at = this.hydrated.indexOf(source);
    if (at >= 0) this.hydrated.splice(at, 1);
  }

  private install(input: {
    path: string;
    isModule: boolean;
    model: FileModel;
    local: Diagnostic[];
    lines: LineIndex;
    tree?: XmlDocument;
    encoded?: EncodedModel;
    stamp?: FileStamp;
    bufferText?: string;
    snapshot?: ModelSnapshot;
  }): { source: Source; affected: string[] } {
    const file = input.path;
    const previous = this.files.get(file);
    if (!this.order.has(file)) this.addToOrder(file, input.isModule);
    const id = this.idOf(file);
    const fromBuffer = input.tree !== undefined || input.bufferText !== undefined;
    const source = new Source(this, file, input.lines, input.tree, input.model, input.isModule, input.local, id, input.stamp, fromBuffer, input.encoded, input.bufferText);
    source.snapshot = input.snapshot;
    if (previous) this.forgetHydrated(previous);
    this.files.set(file, source);
    // A first load of a set that nothing has read yet needs no comparison.
    const compare = previous !== undefined || this.readers.has(id) || this.diagnoses.size > 0;
    const change = compare ? modelChange(file, previous && this.snapshotOf(previous), this.snapshotOf(source), this.schema, this.expandedKinds, this.isRead) : undefined;
    const before = change && this.index.derivedState(change.derived);
    this.index.setFile(input.model, input.isModule, change?.derived);
    const referenced = this.index.takeReferenceChanges();
    if (change) {
      change.keys.push(...this.index.derivedDifferences(before!));
      for (const kind of referenced) change.keys.push(['REFS', kind]);
    }
    const affected = change ? this.invalidate(change, id) : [file];
    this.diagnoses.delete(file);
    return { source, affected };
  }

  /**
   * What other files can see of a file's model, compared in the form a closed file holds it, so that opening or
   * closing a file (tree kept or not) is not taken for a change. Kept with the file for its next change.
   */
  private snapshotOf(source: Source): ModelSnapshot {
    if (!source.snapshot) {
      // A model on a tree is read as its compact form would be (see attributeNeeds), without building that form.
      source.snapshot = source.tree && source.model !== undefined && !source.encoded ? new ModelSnapshot(source.model, true) : new ModelSnapshot(source.encoded && !source.tree ? source.model : decodeModel(source.encoded!, this.schema));
    }
    return source.snapshot;
  }

  /** Whether some diagnosis iterates a field of every model (`ALL field`). */
  private readonly isRead = (field: string): boolean => this.keys.find('ALL', field) !== undefined;

  /** Drops the cached diagnoses a change may have made stale; returns their files, the changed file first. */
  private invalidate(change: ModelChange, changedId: number): string[] {
    const ids: number[] = [];
    for (const [tag, a, b] of change.keys) {
      const id = this.keys.find(tag, a, b);
      if (id !== undefined) ids.push(id);
    }
    const files = new Set<number>([changedId]);
    this.readers.collect(ids, files);
    const affected: string[] = [];
    for (const fileId of files) {
      const file = this.paths[fileId];
      this.diagnoses.delete(file);
      if (this.isDiagnosed(file) || fileId === changedId) affected.push(file);
    }
    return affected;
  }

  private isDiagnosed(file: string): boolean {
    if (this.settings?.path === file || this.extraSettings.has(file)) return true;
    const source = this.files.get(file);
    return !!source && !source.isModule;
  }

  private runSetRules(source: Source, collector: KeyCollector): Diagnostic[] {
    const found = [...source.local];
    if (!source.model.isConfiguration) return found;
    const index = this.index;
    const settings = this.settings?.model;
    const input: SetRuleInput = {
      model: source.model,
      index,
      schema: this.schema,
      get settings() {
        collector.read('SET');
        return settings;
      },
      get generated() {
        return index.generated();
      },
    };
    for (const rule of SET_RULES) append(found, runRule(rule, input, source.path));
    return found;
  }

  private runSettingsRules(file: string): Diagnostic[] {
    const settings = this.settings?.path === file ? this.settings : this.extraSettings.get(file)!;
    const found = [...settings.local];
    for (const rule of SETTINGS_RULES) append(found, runRule(rule, { settings: settings.model, index: this.index, schema: this.schema }, file));
    return found;
  }

  private idOf(file: string): number {
    let id = this.ids.get(file);
    if (id === undefined) {
      id = this.paths.length;
      this.ids.set(file, id);
      this.paths.push(file);
    }
    return id;
  }

  private setCanonicalOrder(files: readonly string[]): void {
    this.order = new Map(files.map((file, i) => [file, i]));
    this.orderedFiles = [...files];
    this.moduleCount = this.layout.moduleFiles.length;
    this.index.setOrder((file) => this.order.get(file) ?? Number.MAX_SAFE_INTEGER);
  }

  /**
   * A file that was not in the layout: placed where a fresh discovery would list it (modules first, then by path),
   * with a rank between its neighbours', so that no other rank changes.
   */
  private addToOrder(file: string, isModule: boolean): void {
    let at: number;
    if (isModule) at = this.moduleCount++;
    else {
      let low = this.moduleCount;
      let high = this.orderedFiles.length;
      while (low < high) {
        const mid = (low + high) >> 1;
        if (this.orderedFiles[mid] < file) low = mid + 1;
        else high = mid;
      }
      at = low;
    }
    const before = at > 0 ? this.order.get(this.orderedFiles[at - 1])! : -1;
    const after = at < this.orderedFiles.length ? this.order.get(this.orderedFiles[at])! : before + 2;
    this.orderedFiles.splice(at, 0, file);
    this.order.set(file, (before + after) / 2);
  }

  /** The settings changed: every file that read them must be re-diagnosed. Returns those files. */
  private refreshSettingsIndex(): string[] {
    const entries = [this.settings, ...this.extraSettings.values()].flatMap((s) => s?.model.entries ?? []);
    this.index.setSettings(entries);
    const change: ModelChange = { keys: [['SET'], ['ANY']], derived: { navigation: false, memberships: false, generated: false, dependencies: false } };
    const files = new Set<number>();
    const id = this.keys.find('SET');
    if (id !== undefined) this.readers.collect([id], files);
    const any = this.keys.find('ANY');
    if (any !== undefined) this.readers.collect([any], files);
    void change;
    const affected: string[] = [];
    for (const fileId of files) {
      const file = this.paths[fileId];
      this.diagnoses.delete(file);
      if (this.isDiagnosed(file)) affected.push(file);
    }
    // The settings files themselves are diagnosed against the new settings too.
    for (const settings of [this.settings, ...this.extraSettings.values()]) {
      if (!settings) continue;
      this.diagnoses.delete(settings.path);
      if (!affected.includes(settings.path)) affected.push(settings.path);
    }
    return affected;
  }
}

export function settingsKinds(schema: Schema): SettingsKindLocation[] {
  return Object.entries(schema.data.kinds)
    .filter(([, kind]) => kind.source === 'appsettings' && kind.jsonPath)
    .map(([kind, spec]) => ({ kind, jsonPath: spec.jsonPath! }));
}

export function sortDiagnostics(diagnostics: Diagnostic[]): Diagnostic[] {
  return diagnostics.sort((a, b) => a.file.localeCompare(b.file) || a.span.start - b.span.start || a.code.localeCompare(b.code) || a.message.localeCompare(b.message));
}

/** Appends in place. `target.push(...items)` passes every item on the stack and overflows it on huge lists. */
function append<T>(target: T[], items: readonly T[]): void {
  for (const item of items) target.push(item);
}
