import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ConfiguredSet, WorkspaceConfig } from './workspaceConfig';

/** A configuration set: the files whose identifiers resolve against each other. */
export interface SetLayout {
  /** Folder the set is named after (a `Conf…` folder, or the checked folder for loose files). */
  root: string;
  /** Configuration candidates (XML files) that are analysed and diagnosed. */
  files: string[];
  /** Read-only module folders: their declarations resolve references but they are not diagnosed. */
  modules: string[];
  moduleFiles: string[];
  appsettings?: string;
  /** Sibling settings files whose keys also count (`appsettings.encrypted.agent.json`). */
  extraAppsettings: string[];
}

export interface DiscoveryOptions {
  appsettings?: string;
  modules?: string[];
  config?: WorkspaceConfig;
  /** Folder names never descended into. */
  ignoredFolders?: readonly string[];
}

const DEFAULT_IGNORED = ['node_modules', '.git', '.svn', '.hg', '.vs', '.vscode-test'];
const SETTINGS_FILE = 'appsettings.agent.json';
const ENCRYPTED_SETTINGS_FILE = 'appsettings.encrypted.agent.json';
const MODULE_FOLDER = 'Runtime';

export function isConfFolderName(name: string): boolean {
  return /^conf/i.test(name);
}

/** Lists XML files under a folder, without following directory symlinks (no loops). */
export function listXmlFiles(folder: string, ignored: readonly string[] = DEFAULT_IGNORED): string[] {
  const result: string[] = [];
  const pending = [folder];
  while (pending.length > 0) {
    const dir = pending.pop()!;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      continue; // unreadable folder: nothing to analyse there
    }
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!ignored.includes(entry.name)) pending.push(full);
      } else if ((entry.isFile() || entry.isSymbolicLink()) && /\.xml$/i.test(entry.name)) {
        result.push(full);
      }
    }
  }
  return result.sort();
}

/**
 * Splits a checked folder into configuration sets: each top-most `Conf…` folder holding configuration files is a set;
 * configuration files outside any such folder form one set rooted at the checked folder.
 * `isConfiguration` tells whether an XML file is a configuration file (the caller reads it).
 */
export function discoverSets(folder: string, isConfiguration: (file: string) => boolean, options: DiscoveryOptions = {}): SetLayout[] {
  const root = path.resolve(folder);
  if (options.config?.sets) return options.config.sets.map((set) => configuredLayout(set, isConfiguration, options));
  const xmlFiles = listXmlFiles(root, options.ignoredFolders ?? DEFAULT_IGNORED).filter(isConfiguration);
  const bySetRoot = new Map<string, string[]>();
  for (const file of xmlFiles) {
    const setRoot = topMostConfFolder(root, path.dirname(file)) ?? root;
    bySetRoot.set(setRoot, [...(bySetRoot.get(setRoot) ?? []), file]);
  }
  const layouts: SetLayout[] = [];
  const moduleFolders = new Set<string>();
  for (const setRoot of bySetRoot.keys()) {
    if (setRoot === root) continue;
    const modules = defaultModules(setRoot, options);
    modules.forEach((m) => moduleFolders.add(m));
    layouts.push(makeLayout(setRoot, bySetRoot.get(setRoot)!, modules, isConfiguration, options));
  }
  const loose = (bySetRoot.get(root) ?? []).filter((file) => ![...moduleFolders].some((m) => isInside(file, m)));
  if (loose.length > 0) layouts.push(makeLayout(root, loose, defaultModules(root, options), isConfiguration, options));
  return layouts.sort((a, b) => a.root.localeCompare(b.root));
}

/**
 * A folder inside a `Conf…` folder belongs to that folder's set: widen a checked folder to the top-most `Conf…`
 * ancestor so that identifiers declared in sibling folders resolve.
 */
export function widenToEnclosingConf(folder: string): string {
  const resolved = path.resolve(folder);
  let topMost: string | undefined;
  for (let dir = resolved; ; dir = path.dirname(dir)) {
    if (isConfFolderName(path.basename(dir))) topMost = dir;
    if (path.dirname(dir) === dir) break;
  }
  return topMost ?? resolved;
}

function topMostConfFolder(checkedRoot: string, dir: string): string | undefined {
  let found: string | undefined;
  for (let cursor = dir; isInside(cursor, checkedRoot); cursor = path.dirname(cursor)) {
    if (isConfFolderName(path.basename(cursor))) found = cursor;
    if (cursor === checkedRoot) break;
  }
  return found;
}

function defaultModules(setRoot: string, options: DiscoveryOptions): string[] {
  const modules = [...(options.modules ?? []).map((m) => path.resolve(m))];
  const sibling = path.join(path.dirname(setRoot), MODULE_FOLDER);
  if (sibling !== setRoot && isDirectory(sibling) && !modules.includes(sibling)) modules.push(sibling);
  return modules;
}

function configuredLayout(set: ConfiguredSet, isConfiguration: (file: string) => boolean, options: DiscoveryOptions): SetLayout {
  const files = listXmlFiles(set.root, options.ignoredFolders ?? DEFAULT_IGNORED).filter(isConfiguration);
  const modules = set.modules ?? defaultModules(set.root, options);
  return makeLayout(set.root, files, modules, isConfiguration, { ...options, appsettings: options.appsettings ?? set.appsettings });
}

function makeLayout(root: string, files: string[], modules: string[], isConfiguration: (file: string) => boolean, options: DiscoveryOptions): SetLayout {
  const moduleFiles = modules.flatMap((m) => listXmlFiles(m, options.ignoredFolders ?? DEFAULT_IGNORED)).filter(isConfiguration);
  const diagnosed = files.filter((file) => !modules.some((m) => isInside(file, m)));
  const appsettings = options.appsettings ? path.resolve(options.appsettings) : findAppSettings(root);
  const extraAppsettings = appsettings ? [path.join(path.dirname(appsettings), ENCRYPTED_SETTINGS_FILE)].filter(isFile) : [];
  return { root, files: diagnosed, modules, moduleFiles, appsettings, extraAppsettings };
}

/** The nearest agent settings file: in the set folder, its parent, or a sibling `Runtime/` folder. */
export function findAppSettings(setRoot: string): string | undefined {
  const parent = path.dirname(setRoot);
  const candidates = [path.join(setRoot, SETTINGS_FILE), path.join(parent, SETTINGS_FILE), path.join(parent, MODULE_FOLDER, SETTINGS_FILE)];
  return candidates.find(isFile);
}

export function isInside(file: string, folder: string): boolean {
  // Most questions are about a normalized path under its folder: answered without path.relative (the slow part
  // of discovering thousands of files). Anything else (other cases, '..', trailing separators) takes the exact way.
  if (file.length > folder.length && file.startsWith(folder) && file[folder.length] === path.sep && path.isAbsolute(folder) && !file.includes(`${path.sep}..`)) return true;
  const relative = path.relative(folder, file);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function isDirectory(dir: string): boolean {
  try {
    return fs.statSync(dir).isDirectory();
  } catch {
    return false;
  }
}
