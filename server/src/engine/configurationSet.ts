import * as fs from 'node:fs';
import * as path from 'node:path';
import { applySeverityOverrides, type Diagnostic, type SeverityOverride } from '../checks/diagnostic';
import { ENGINE_CODES, FILE_RULES, SET_RULES, SETTINGS_RULES } from '../checks/registry';
import { runRule, type GeneratedNames } from '../checks/rule';
import { buildFileModel, type FileModel } from '../index/fileModel';
import { crossFileSignature } from '../index/signature';
import { SetIndex } from '../index/setIndex';
import type { Schema } from '../schema/schema';
import { LineIndex } from '../syntax/lineIndex';
import type { XmlDocument } from '../syntax/model';
import { parseXml } from '../syntax/parse';
import { decodeBytes, looksBinary } from '../syntax/text';
import { parseAppSettings, type AppSettingsModel, type SettingsKindLocation } from '../workspace/appsettings';
import type { SetLayout } from '../workspace/discovery';
import { looksLikeConfiguration } from './sniff';

export const DEFAULT_MAX_FILE_SIZE = 50 * 1024 * 1024;

export interface SourceFile {
  path: string;
  lines: LineIndex;
  doc: XmlDocument;
  model: FileModel;
  isModule: boolean;
  /** Diagnostics that depend on this file alone (cached until its text changes). */
  local: Diagnostic[];
  /** What other files depend on (see crossFileSignature). */
  signature: string;
}

export interface SettingsFile {
  path: string;
  lines: LineIndex;
  model: AppSettingsModel;
  /** Problems found while reading it (unreadable file). */
  local: Diagnostic[];
}

export interface SetOptions {
  severities?: Record<string, SeverityOverride>;
  maxFileSizeBytes?: number;
}

/**
 * One configuration set: its files, modules and agent settings, the index over them, and diagnosis.
 * Files are updated one at a time; only the changed file is reparsed.
 */
export class ConfigurationSet {
  readonly index: SetIndex;
  private readonly files = new Map<string, SourceFile>();
  private settings: SettingsFile | undefined;
  private readonly extraSettings = new Map<string, SettingsFile>();

  constructor(
    readonly layout: SetLayout,
    readonly schema: Schema,
    private readonly options: SetOptions = {},
  ) {
    this.index = new SetIndex(schema);
  }

  get root(): string {
    return this.layout.root;
  }

  /** Reads every file of the layout from disk. */
  loadFromDisk(): void {
    for (const file of this.layout.moduleFiles) this.loadFile(file, true);
    for (const file of this.layout.files) this.loadFile(file, false);
    if (this.layout.appsettings) this.loadSettingsFile(this.layout.appsettings, false);
    for (const extra of this.layout.extraAppsettings) this.loadSettingsFile(extra, true);
  }

  loadFile(file: string, isModule = this.isModuleFile(file)): void {
    const read = readText(file, this.options.maxFileSizeBytes ?? DEFAULT_MAX_FILE_SIZE);
    if (read.text === undefined) {
      this.setFailed(file, isModule, read.problem!);
      return;
    }
    this.updateFile(file, read.text, isModule, read.notes);
  }

  /**
   * Replaces a file's text (from disk or an editor buffer). `crossFileChanged` tells whether other files of the set
   * may have to be re-checked.
   */
  updateFile(file: string, text: string, isModule = this.isModuleFile(file), notes: Diagnostic[] = []): SourceFile & { crossFileChanged: boolean } {
    const doc = looksBinary(text) ? { roots: [], syntaxErrors: [] } : parseXml(text);
    const model = buildFileModel(file, doc, this.schema);
    const lines = new LineIndex(text);
    const local = [...notes];
    if (model.isConfiguration && !isModule) for (const rule of FILE_RULES) local.push(...runRule(rule, { doc, schema: this.schema }, file));
    const signature = crossFileSignature(model);
    const previous = this.files.get(file);
    const source: SourceFile = { path: file, lines, doc, model, isModule, local, signature };
    this.files.set(file, source);
    this.index.setFile(model, isModule);
    return { ...source, crossFileChanged: previous?.signature !== signature };
  }

  removeFile(file: string): void {
    this.files.delete(file);
    this.index.removeFile(file);
    this.extraSettings.delete(file);
    if (this.settings?.path === file) this.settings = undefined;
    this.refreshSettingsIndex();
  }

  loadSettingsFile(file: string, extra: boolean): void {
    const read = readText(file, this.options.maxFileSizeBytes ?? DEFAULT_MAX_FILE_SIZE);
    if (read.text === undefined) {
      const failed: SettingsFile = { path: file, lines: new LineIndex(''), model: { file, entries: [], problems: [], root: undefined }, local: [read.problem!] };
      if (extra) this.extraSettings.set(file, failed);
      else this.settings = failed;
      this.refreshSettingsIndex();
      return;
    }
    this.updateSettings(file, read.text, extra);
  }

  updateSettings(file: string, text: string, extra = this.extraSettings.has(file)): void {
    const model = parseAppSettings(file, text, settingsKinds(this.schema));
    const settings: SettingsFile = { path: file, lines: new LineIndex(text), model, local: [] };
    if (extra) this.extraSettings.set(file, settings);
    else this.settings = settings;
    this.refreshSettingsIndex();
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

  hasFile(file: string): boolean {
    return this.files.has(file) || this.settings?.path === file || this.extraSettings.has(file);
  }

  linesOf(file: string): LineIndex | undefined {
    if (this.settings?.path === file) return this.settings.lines;
    return this.files.get(file)?.lines ?? this.extraSettings.get(file)?.lines;
  }

  /** Diagnostics of one file (a configuration file or the settings file), severity overrides applied. */
  diagnose(file: string): Diagnostic[] {
    const overrides = this.options.severities ?? {};
    if (this.settings?.path === file || this.extraSettings.has(file)) {
      const settings = this.settings?.path === file ? this.settings : this.extraSettings.get(file)!;
      const found = [...settings.local];
      for (const rule of SETTINGS_RULES) found.push(...runRule(rule, { settings: settings.model, index: this.index, schema: this.schema }, file));
      return sortDiagnostics(applySeverityOverrides(found, overrides));
    }
    const source = this.files.get(file);
    if (!source || source.isModule) return [];
    const found = [...source.local];
    if (source.model.isConfiguration) {
      const input = { model: source.model, index: this.index, schema: this.schema, settings: this.settings?.model, generated: this.generated() };
      for (const rule of SET_RULES) found.push(...runRule(rule, input, file));
    }
    return sortDiagnostics(applySeverityOverrides(found, overrides));
  }

  diagnoseAll(): Diagnostic[] {
    const result: Diagnostic[] = [];
    for (const source of this.configurationFiles()) result.push(...this.diagnose(source.path));
    if (this.settings) result.push(...this.diagnose(this.settings.path));
    for (const extra of this.extraSettings.keys()) result.push(...this.diagnose(extra));
    return result;
  }

  generated(): GeneratedNames {
    return this.index.generated();
  }

  isModuleFile(file: string): boolean {
    return this.layout.modules.some((m) => !path.relative(m, file).startsWith('..'));
  }

  private setFailed(file: string, isModule: boolean, problem: Diagnostic): void {
    const empty: XmlDocument = { roots: [], syntaxErrors: [] };
    const model = buildFileModel(file, empty, this.schema);
    const source: SourceFile = { path: file, lines: new LineIndex(''), doc: empty, model, isModule, local: isModule ? [] : [problem], signature: '' };
    this.files.set(file, source);
    this.index.setFile(model, isModule);
  }

  private refreshSettingsIndex(): void {
    const entries = [this.settings, ...this.extraSettings.values()].flatMap((s) => s?.model.entries ?? []);
    this.index.setSettings(entries);
  }
}

export function settingsKinds(schema: Schema): SettingsKindLocation[] {
  return Object.entries(schema.data.kinds)
    .filter(([, kind]) => kind.source === 'appsettings' && kind.jsonPath)
    .map(([kind, spec]) => ({ kind, jsonPath: spec.jsonPath! }));
}

interface ReadResult {
  text?: string;
  problem?: Diagnostic;
  notes: Diagnostic[];
}

/** Reads a file as an editor would show it. Failures become diagnostics, never exceptions. */
export function readText(file: string, maxBytes: number): ReadResult {
  const at = { start: 0, end: 0 };
  try {
    const size = fs.statSync(file).size;
    if (size > maxBytes) {
      const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
      return {
        notes: [],
        problem: { file, span: at, severity: 'information', code: ENGINE_CODES.fileTooLarge, message: `This file (${mb(size)}) is larger than the analysis limit (${mb(maxBytes)}) and was skipped. Raise "maxFileSizeKB" in usercube-conf.json to analyse it.` },
      };
    }
    const decoded = decodeBytes(fs.readFileSync(file));
    const notes: Diagnostic[] = decoded.fallbackEncoding
      ? [{ file, span: at, severity: 'information', code: ENGINE_CODES.encoding, message: 'This file is not valid UTF-8; it was read as Windows-1252. Save it as UTF-8 so that accented characters are kept exactly.' }]
      : [];
    return { text: decoded.text, notes };
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    return {
      notes: [],
      problem: { file, span: at, severity: 'error', code: ENGINE_CODES.unreadableFile, message: `This file cannot be read (${reason}); it was not analysed. Check that it exists and is readable.` },
    };
  }
}

/** Whether a file on disk is a configuration file; unreadable XML files count, so that they get a diagnostic. */
export function isConfigurationOnDisk(file: string, schema: Schema): boolean {
  try {
    const fd = fs.openSync(file, 'r');
    try {
      const buffer = Buffer.alloc(1 << 16);
      const bytes = fs.readSync(fd, buffer, 0, buffer.length, 0);
      const { text } = decodeBytes(buffer.subarray(0, bytes));
      return looksLikeConfiguration(text, schema.namespace, schema.rootElement);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return true;
  }
}

export function sortDiagnostics(diagnostics: Diagnostic[]): Diagnostic[] {
  return diagnostics.sort((a, b) => a.file.localeCompare(b.file) || a.span.start - b.span.start || a.code.localeCompare(b.code) || a.message.localeCompare(b.message));
}
