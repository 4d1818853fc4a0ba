import * as fs from 'node:fs';
import type { Diagnostic } from '../checks/diagnostic';
import { ENGINE_CODES, FILE_RULES } from '../checks/registry';
import { runRule } from '../checks/rule';
import { encodeModel, type EncodedModel } from '../index/compact';
import { buildFileModel, type FileModel } from '../index/fileModel';
import type { Schema } from '../schema/schema';
import { LineIndex } from '../syntax/lineIndex';
import type { XmlDocument } from '../syntax/model';
import { parseDocument } from '../syntax/scan';
import { decodeBytes, looksBinary } from '../syntax/text';
import { looksLikeConfiguration } from './sniff';

/**
 * One file on its own: reading it from disk as an editor would show it, telling configuration files from other XML,
 * and analysing it (parse, model, file rules) away from its set, on any thread. Never throws: failures become
 * diagnostics.
 */

export const DEFAULT_MAX_FILE_SIZE = 50 * 1024 * 1024;

export const EMPTY_DOCUMENT: XmlDocument = { roots: [], syntaxErrors: [] };

/** A file analysed away from its set (in a worker, or read from the index cache), ready to be installed. */
export interface AnalysedFile {
  path: string;
  isModule: boolean;
  /** The model without its tree, in compact form (see index/compact.ts). */
  encoded: EncodedModel;
  local: Diagnostic[];
  /** Line starts of the text (see LineIndex.fromStarts) and its length in UTF-16 units. */
  lineStarts: Uint32Array;
  textLength: number;
  /** Size and modification time when read, to tell whether the disk still holds what was analysed. */
  stamp?: FileStamp;
}

export interface FileStamp {
  size: number;
  mtimeMs: number;
}

/** Reads and analyses a file as a closed file (the tree is not kept). Never throws: failures become diagnostics. */
export function analyseFromDisk(file: string, isModule: boolean, schema: Schema, maxBytes: number): AnalysedFile {
  const read = readText(file, maxBytes);
  if (read.text === undefined) {
    const model = buildFileModel(file, EMPTY_DOCUMENT, schema);
    return { path: file, isModule, encoded: encodeModel(model), local: isModule ? [] : [read.problem!], lineStarts: new Uint32Array([0]), textLength: 0, stamp: read.stamp };
  }
  const { model, local, lines } = analyseTree(file, read.text, isModule, schema, read.notes);
  return { path: file, isModule, encoded: encodeModel(model), local, lineStarts: lines.starts(), textLength: lines.length, stamp: read.stamp };
}

/** Parses a text, builds its model (pointing into the tree) and runs the file rules. */
export function analyseTree(file: string, text: string, isModule: boolean, schema: Schema, notes: Diagnostic[]): { model: FileModel; doc: XmlDocument; local: Diagnostic[]; lines: LineIndex } {
  const doc = looksBinary(text) ? { roots: [], syntaxErrors: [] } : parseDocument(text);
  const model = buildFileModel(file, doc, schema);
  const local = [...notes];
  if (model.isConfiguration && !isModule) for (const rule of FILE_RULES) append(local, runRule(rule, { doc, schema }, file));
  return { model, doc, local, lines: new LineIndex(text) };
}

interface ReadResult {
  text?: string;
  problem?: Diagnostic;
  notes: Diagnostic[];
  stamp?: FileStamp;
}

export function stampOf(stat: fs.Stats): FileStamp {
  return { size: stat.size, mtimeMs: stat.mtimeMs };
}

/** Reads a file as an editor would show it. Failures become diagnostics, never exceptions. */
export function readText(file: string, maxBytes: number): ReadResult {
  const at = { start: 0, end: 0 };
  try {
    const stat = fs.statSync(file);
    // A FIFO or a device named *.xml would block the read forever.
    if (!stat.isFile()) throw Object.assign(new Error('not a regular file'), { code: 'not a regular file' });
    const size = stat.size;
    if (size > maxBytes) {
      const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
      return {
        notes: [],
        stamp: stampOf(stat),
        problem: { file, span: at, severity: 'information', code: ENGINE_CODES.fileTooLarge, message: `This file (${mb(size)}) is larger than the analysis limit (${mb(maxBytes)}) and was skipped. Raise "maxFileSizeKB" in usercube-conf.json to analyse it.` },
      };
    }
    const decoded = decodeBytes(fs.readFileSync(file));
    const notes: Diagnostic[] = decoded.fallbackEncoding
      ? [{ file, span: at, severity: 'information', code: ENGINE_CODES.encoding, message: 'This file is not valid UTF-8; it was read as Windows-1252. Save it as UTF-8 so that accented characters are kept exactly.' }]
      : [];
    return { text: decoded.text, notes, stamp: stampOf(stat) };
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
    if (!fs.statSync(file).isFile()) return true; // opening a FIFO blocks; it is reported as unreadable
    const fd = fs.openSync(file, 'r');
    try {
      // Most files decide within their first 4 KB; the answer is the same as with the first 64 KB when it is yes.
      const small = Buffer.alloc(4096);
      const smallBytes = fs.readSync(fd, small, 0, small.length, 0);
      const head = decodeBytes(small.subarray(0, smallBytes));
      const complete = smallBytes < small.length;
      const tagEnds = !head.fallbackEncoding && head.text.indexOf('>', head.text.indexOf(`<${schema.rootElement}`)) >= 0;
      if ((complete || tagEnds) && looksLikeConfiguration(head.text, schema.namespace, schema.rootElement)) return true;
      if (complete) return false;
      const buffer = Buffer.alloc(1 << 16);
      const bytes = fs.readSync(fd, buffer, 0, buffer.length, 0);
      return looksLikeConfiguration(decodeBytes(buffer.subarray(0, bytes)).text, schema.namespace, schema.rootElement);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return true;
  }
}

/** Appends in place. `target.push(...items)` passes every item on the stack and overflows it on huge lists. */
function append<T>(target: T[], items: readonly T[]): void {
  for (const item of items) target.push(item);
}
