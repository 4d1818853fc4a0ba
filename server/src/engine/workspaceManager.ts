import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Diagnostic } from '../checks/diagnostic';
import type { Schema } from '../schema/schema';
import { stripBom } from '../syntax/text';
import { discoverSets, isInside, widenToEnclosingConf, type SetLayout } from '../workspace/discovery';
import { findWorkspaceConfig, loadWorkspaceConfig, type WorkspaceConfig } from '../workspace/workspaceConfig';
import { ConfigurationSet } from './configurationSet';
import { isConfigurationOnDisk } from './fileAnalysis';
import { IndexCache } from './indexCache';
import { BackgroundAnalyser, type TextReply } from './parallel';
import { looksLikeConfiguration } from './sniff';

export interface ManagerSettings {
  /** Explicit configuration roots (editor setting); the workspace file wins where it names sets. */
  configurationRoots?: string[];
  modules?: string[];
  appsettingsPath?: string;
  severities?: Record<string, 'error' | 'warning' | 'information' | 'hint' | 'off'>;
  maxFileSizeBytes?: number;
  /** Worker threads for the initial index (default: one per core for large sets, none for small ones; 0: none). */
  workers?: number;
}

/** Buffers longer than this (in UTF-16 units) are analysed on a worker thread by changeDocumentAsync. */
export const LARGE_BUFFER = 1024 * 1024;

export interface IndexProgress {
  (done: number, total: number): void;
}

/**
 * Every configuration set of the workspace folders, kept current from editor buffers and file events.
 * Pure engine code: the LSP shell calls it and turns its answers into protocol messages.
 */
export class WorkspaceManager {
  private sets: ConfigurationSet[] = [];
  private readonly open = new Map<string, string>();
  private configs = new Map<string, WorkspaceConfig | undefined>();
  problems: string[] = [];
  private cacheDir: string | undefined = process.env.USERCUBE_CONF_CACHE_DIR || undefined;
  private caches = new Map<string, { cache: IndexCache; sets: ConfigurationSet[] }>();
  /** Per open file, a counter of updates (a background analysis installs only if it is still the latest). */
  private readonly versions = new Map<string, number>();
  private readonly background = new BackgroundAnalyser();
  /** Files with a background analysis under way. */
  private readonly backgroundFiles = new Set<string>();
  private saveTimer: NodeJS.Timeout | undefined;
  /** Whether the index cache on disk differs from what the sets hold (nothing to write after a full reuse). */
  private cacheOutdated = false;
  /** Set when a change may move set boundaries (a new configuration or settings file, the workspace file). */
  needsReindex = false;

  constructor(
    readonly schema: Schema,
    private folders: string[] = [],
    private settings: ManagerSettings = {},
  ) {}

  setFolders(folders: string[]): void {
    this.folders = folders.map((f) => path.resolve(f));
  }

  setSettings(settings: ManagerSettings): void {
    this.settings = settings;
  }

  /**
   * Where to keep the index cache (the editor's storage folder for this workspace); none by default, or the
   * USERCUBE_CONF_CACHE_DIR environment variable. Nothing is written elsewhere.
   */
  setCacheDir(dir: string | undefined): void {
    this.cacheDir = dir || process.env.USERCUBE_CONF_CACHE_DIR || undefined;
  }

  allSets(): readonly ConfigurationSet[] {
    return this.sets;
  }

  /** Discovers and loads every set, yielding to the event loop between files so progress can be reported. */
  async reindex(progress?: IndexProgress, isCancelled: () => boolean = () => false): Promise<boolean> {
    this.problems = [];
    this.configs = new Map();
    this.needsReindex = false;
    this.caches = new Map();
    const layouts = this.planLayouts();
    const total = layouts.reduce((n, { layout }) => n + layout.files.length + layout.moduleFiles.length, 0);
    let done = 0;
    const sets: ConfigurationSet[] = [];
    for (const { layout, config, folder } of layouts) {
      const set = new ConfigurationSet(layout, this.schema, {
        severities: { ...(this.settings.severities ?? {}), ...(config?.severities ?? {}) },
        maxFileSizeBytes: config?.maxFileSizeBytes ?? this.settings.maxFileSizeBytes,
      });
      const cached = this.caches.get(folder);
      const completed = await set.loadFromDiskAsync({
        workers: this.settings.workers,
        skip: (file) => this.open.has(file),
        progress: () => progress?.(++done, total),
        isCancelled,
        reuse: cached?.cache.reusable(layout.root),
      });
      if (!completed || isCancelled()) return false;
      for (const file of [...layout.moduleFiles, ...layout.files]) {
        const text = this.open.get(file);
        if (text === undefined) continue;
        set.updateFile(file, text);
        progress?.(++done, total);
      }
      if (layout.appsettings) this.loadSettings(set, layout.appsettings, false);
      for (const extra of layout.extraAppsettings) this.loadSettings(set, extra, true);
      const saved = cached?.cache.diagnoses(set);
      if (saved) set.importDiagnoses(saved);
      cached?.sets.push(set);
      sets.push(set);
      // A warm start that reused everything has nothing new to write (rewriting 200 MB would cost seconds).
      if (cached && (!saved || !set.reusedEverything)) this.cacheOutdated = true;
    }
    this.sets = sets;
    this.scheduleCacheSave(2000);
    // Once the shell has published the initial diagnoses (synchronously after this resolves), build what edits and
    // requests use, so that the first of them does not pay for it.
    setTimeout(() => {
      if (this.sets === sets) for (const set of sets) set.prepareForEdits();
    }, 0).unref?.();
    return true;
  }

  /** Writes the index cache soon (after the initial diagnoses, or after files changed on disk). */
  private scheduleCacheSave(delayMs: number, outdated = false): void {
    if (outdated) this.cacheOutdated = true;
    if (this.caches.size === 0 || !this.cacheOutdated) return;
    clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => this.saveCaches(), delayMs);
    this.saveTimer.unref?.();
  }

  /** Writes the index cache of every workspace folder now (when a cache folder was given). */
  saveCaches(): void {
    clearTimeout(this.saveTimer);
    if (!this.cacheOutdated) return;
    this.cacheOutdated = false;
    for (const { cache, sets } of this.caches.values()) cache.save(sets);
  }

  private planLayouts(): { layout: SetLayout; config?: WorkspaceConfig; folder: string }[] {
    const layouts: { layout: SetLayout; config?: WorkspaceConfig; folder: string }[] = [];
    for (const folder of this.folders) {
      const config = this.workspaceConfig(folder);
      let sniff = (file: string) => isConfigurationOnDisk(file, this.schema);
      if (this.cacheDir) {
        const cache = new IndexCache(this.cacheDir, folder, this.schema);
        cache.load();
        this.caches.set(folder, { cache, sets: [] });
        sniff = cache.sniffer(sniff);
      }
      const roots = config?.sets ? [folder] : this.settings.configurationRoots?.length ? this.settings.configurationRoots.map((r) => path.resolve(folder, r)) : [folder];
      for (const root of roots) {
        if (!fs.existsSync(root)) continue;
        const discovered = discoverSets(root, sniff, {
          appsettings: this.settings.appsettingsPath ? path.resolve(folder, this.settings.appsettingsPath) : undefined,
          modules: this.settings.modules?.map((m) => path.resolve(folder, m)),
          config,
        });
        for (const layout of discovered) if (!layouts.some((l) => l.layout.root === layout.root)) layouts.push({ layout, config, folder });
      }
    }
    return layouts;
  }

  /** The set a file belongs to (as a configuration file, module file or settings file). */
  setOf(file: string): ConfigurationSet | undefined {
    return this.sets.find((s) => s.hasFile(file));
  }

  /** Files whose diagnostics may have changed after `changed` changed (the changed file first). */
  openDocument(file: string, text: string): string[] {
    this.versions.set(file, (this.versions.get(file) ?? 0) + 1);
    // A background analysis of an older text of this file is of no use any more: free the thread for this one.
    if (this.backgroundFiles.has(file)) this.background.cancel();
    this.open.set(file, stripBom(text));
    return this.applyText(file, stripBom(text));
  }

  changeDocument(file: string, text: string): string[] {
    return this.openDocument(file, text);
  }

  /**
   * As changeDocument, but a large buffer (over LARGE_BUFFER characters) is parsed and checked on a worker thread, so
   * that requests keep being answered meanwhile. Resolves with the files to re-diagnose; with none when a newer text
   * of the file arrived in the meantime (its own update reports them).
   */
  async changeDocumentAsync(file: string, raw: string): Promise<string[]> {
    const text = stripBom(raw);
    if (text.length < LARGE_BUFFER || isSettingsName(file) || !this.background.available) return this.changeDocument(file, text);
    // A buffer not yet known joins the set of its folder when it is a configuration file (as in applyText).
    const set =
      this.setOf(file) ??
      (/\.xml$/i.test(file) && looksLikeConfiguration(text, this.schema.namespace, this.schema.rootElement)
        ? this.sets.filter((s) => isInside(file, s.root)).sort((a, b) => b.root.length - a.root.length)[0]
        : undefined);
    if (!set || set.settingsFile()?.path === file) return this.changeDocument(file, text);
    const version = (this.versions.get(file) ?? 0) + 1;
    this.versions.set(file, version);
    this.open.set(file, text);
    let reply: TextReply;
    this.backgroundFiles.add(file);
    try {
      reply = await this.background.analyse(file, text, set.isModuleFile(file));
    } catch {
      return this.versions.get(file) === version ? this.applyText(file, text) : [];
    } finally {
      if (!this.background.busy) this.backgroundFiles.clear();
    }
    // Superseded (a newer text, a reindex) or closed meanwhile: nothing to install.
    if (this.versions.get(file) !== version || this.open.get(file) !== text || !this.sets.includes(set)) return [];
    return set.installBuffer(reply.analysed, text, reply.snapshot).affected;
  }

  /**
   * Opening is analysed at once, whatever the size (requests on the file need its tree, and nothing older exists);
   * only later changes of a large buffer go to the background.
   */
  openDocumentAsync(file: string, text: string): Promise<string[]> {
    return Promise.resolve(this.openDocument(file, text));
  }

  /** The buffer is closed: the disk content is authoritative again. */
  closeDocument(file: string): string[] {
    this.versions.set(file, (this.versions.get(file) ?? 0) + 1);
    this.open.delete(file);
    return this.fileChangedOnDisk(file);
  }

  isOpen(file: string): boolean {
    return this.open.has(file);
  }

  textOf(file: string): string | undefined {
    if (this.open.has(file)) return this.open.get(file);
    try {
      return fs.statSync(file).isFile() ? stripBom(fs.readFileSync(file, 'utf8')) : undefined; // a FIFO would block
    } catch {
      return undefined;
    }
  }

  /** A watched file was created or changed on disk. Ignored while an editor holds it open (its buffer wins). */
  fileChangedOnDisk(file: string): string[] {
    if (this.open.has(file)) return [];
    this.scheduleCacheSave(10_000, true);
    if (path.basename(file) === 'usercube-conf.json') return this.reindexAll();
    const set = this.setOf(file);
    if (set) {
      if (isSettingsName(file)) return this.loadSettings(set, file, set.settingsFile()?.path !== file);
      if (!fs.existsSync(file)) return this.fileDeleted(file);
      return set.loadFile(file);
    }
    if (isSettingsName(file) || (/\.xml$/i.test(file) && this.folders.some((f) => isInside(file, f)) && isConfigurationOnDisk(file, this.schema))) {
      return this.reindexAll(); // a new configuration file or settings file may change set boundaries
    }
    return [];
  }

  fileDeleted(file: string): string[] {
    this.scheduleCacheSave(10_000, true);
    const set = this.setOf(file);
    if (!set) return [];
    return [file, ...set.removeFile(file)];
  }

  diagnose(file: string): Diagnostic[] {
    return this.setOf(file)?.diagnose(file) ?? [];
  }

  /** Every file that currently has a diagnosis, across sets. */
  diagnosedFiles(): string[] {
    return this.sets.flatMap((set) => this.affectedFiles(set));
  }

  private applyText(file: string, text: string): string[] {
    const set = this.setOf(file);
    if (set) {
      if (set.settingsFile()?.path === file || isSettingsName(file)) return set.updateSettings(file, text);
      return set.updateFile(file, text).affected;
    }
    // A buffer not yet known: it becomes part of the set of its folder if it is a configuration file.
    if (/\.xml$/i.test(file) && looksLikeConfiguration(text, this.schema.namespace, this.schema.rootElement)) {
      const owner = this.sets.filter((s) => isInside(file, s.root)).sort((a, b) => b.root.length - a.root.length)[0];
      if (owner) return owner.updateFile(file, text, false).affected;
      // Opened from outside the workspace folders: analyse the configuration set around it.
      if (!this.folders.some((folder) => isInside(file, folder))) this.folders.push(widenToEnclosingConf(path.dirname(file)));
      return this.reindexAll();
    }
    return [];
  }

  /** Set boundaries may have changed: the shell must call reindex() and re-publish everything. */
  private reindexAll(): string[] {
    this.needsReindex = true;
    return [];
  }

  /** Every diagnosed file of a set: its configuration files and agent settings. */
  private affectedFiles(set: ConfigurationSet): string[] {
    const files = set.configurationFiles().map((f) => f.path);
    const settings = set.settingsFile();
    return settings ? [...files, settings.path] : files;
  }

  private loadSettings(set: ConfigurationSet, file: string, extra: boolean): string[] {
    const text = this.open.get(file);
    if (text !== undefined) return set.updateSettings(file, text, extra);
    return set.loadSettingsFile(file, extra);
  }

  private workspaceConfig(folder: string): WorkspaceConfig | undefined {
    if (!this.configs.has(folder)) {
      const file = findWorkspaceConfig(folder);
      try {
        this.configs.set(folder, file ? loadWorkspaceConfig(file) : undefined);
      } catch (error) {
        this.problems.push((error as Error).message);
        this.configs.set(folder, undefined);
      }
    }
    return this.configs.get(folder);
  }
}

function isSettingsName(file: string): boolean {
  return /^appsettings.*\.json$/i.test(path.basename(file));
}
