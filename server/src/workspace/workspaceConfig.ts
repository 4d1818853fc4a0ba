import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse, printParseErrorCode, type ParseError } from 'jsonc-parser';
import type { SeverityOverride } from '../checks/diagnostic';

export const WORKSPACE_FILE_NAME = 'usercube-conf.json';

/** One configuration set named explicitly in the workspace file. Paths are absolute once loaded. */
export interface ConfiguredSet {
  root: string;
  modules?: string[];
  appsettings?: string;
}

/** `usercube-conf.json`: read by the CLI and the language server alike, so CI and the editor agree. */
export interface WorkspaceConfig {
  /** Absolute path of the file it came from. */
  file: string;
  sets?: ConfiguredSet[];
  severities: Record<string, SeverityOverride>;
  /** Files larger than this are skipped with an information diagnostic. */
  maxFileSizeBytes?: number;
}

export class WorkspaceConfigError extends Error {}

/** Looks for the workspace file in `start` and its ancestors. */
export function findWorkspaceConfig(start: string): string | undefined {
  let dir = path.resolve(start);
  try {
    if (fs.statSync(dir).isFile()) dir = path.dirname(dir);
  } catch {
    return undefined;
  }
  for (;;) {
    const candidate = path.join(dir, WORKSPACE_FILE_NAME);
    if (fs.existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

const SEVERITIES = new Set(['error', 'warning', 'information', 'hint', 'off']);

export function loadWorkspaceConfig(file: string): WorkspaceConfig {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  } catch (error) {
    throw new WorkspaceConfigError(`cannot read ${file}: ${(error as Error).message}`);
  }
  return parseWorkspaceConfig(file, text);
}

export function parseWorkspaceConfig(file: string, text: string): WorkspaceConfig {
  const errors: ParseError[] = [];
  const raw = parse(text, errors, { allowTrailingComma: true }) as unknown;
  if (errors.length > 0) {
    throw new WorkspaceConfigError(`${file} is not valid JSON (${printParseErrorCode(errors[0].error)} at offset ${errors[0].offset})`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new WorkspaceConfigError(`${file} must hold a JSON object`);
  const base = path.dirname(file);
  const object = raw as Record<string, unknown>;
  const config: WorkspaceConfig = { file, severities: {} };
  if (object.configurations !== undefined) {
    if (!Array.isArray(object.configurations)) throw new WorkspaceConfigError(`${file}: "configurations" must be an array`);
    config.sets = object.configurations.map((entry, i) => readSet(entry, base, `${file}: configurations[${i}]`));
  }
  if (object.severities !== undefined) {
    if (typeof object.severities !== 'object' || object.severities === null) throw new WorkspaceConfigError(`${file}: "severities" must be an object`);
    for (const [code, severity] of Object.entries(object.severities)) {
      if (typeof severity !== 'string' || !SEVERITIES.has(severity)) {
        throw new WorkspaceConfigError(`${file}: severity of "${code}" must be one of error, warning, information, hint, off`);
      }
      config.severities[code] = severity as SeverityOverride;
    }
  }
  if (object.maxFileSizeKB !== undefined) {
    if (typeof object.maxFileSizeKB !== 'number' || object.maxFileSizeKB <= 0) throw new WorkspaceConfigError(`${file}: "maxFileSizeKB" must be a positive number`);
    config.maxFileSizeBytes = object.maxFileSizeKB * 1024;
  }
  return config;
}

function readSet(entry: unknown, base: string, where: string): ConfiguredSet {
  if (typeof entry !== 'object' || entry === null) throw new WorkspaceConfigError(`${where} must be an object`);
  const value = entry as Record<string, unknown>;
  if (typeof value.root !== 'string') throw new WorkspaceConfigError(`${where}.root must be a folder path`);
  const set: ConfiguredSet = { root: path.resolve(base, value.root) };
  if (value.modules !== undefined) {
    if (!Array.isArray(value.modules) || value.modules.some((m) => typeof m !== 'string')) throw new WorkspaceConfigError(`${where}.modules must be an array of folder paths`);
    set.modules = (value.modules as string[]).map((m) => path.resolve(base, m));
  }
  if (value.appsettings !== undefined) {
    if (typeof value.appsettings !== 'string') throw new WorkspaceConfigError(`${where}.appsettings must be a file path`);
    set.appsettings = path.resolve(base, value.appsettings);
  }
  return set;
}
