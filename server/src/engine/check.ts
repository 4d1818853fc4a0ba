import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Diagnostic } from '../checks/diagnostic';
import type { Schema } from '../schema/schema';
import type { LineIndex } from '../syntax/lineIndex';
import { discoverSets, isInside, widenToEnclosingConf } from '../workspace/discovery';
import { findWorkspaceConfig, loadWorkspaceConfig, type WorkspaceConfig } from '../workspace/workspaceConfig';
import { ConfigurationSet, sortDiagnostics } from './configurationSet';
import { isConfigurationOnDisk } from './fileAnalysis';
import { IndexCache } from './indexCache';

export interface CheckOptions {
  appsettings?: string;
  modules?: string[];
  /** Workspace file; found upward from the first path when absent. */
  configFile?: string;
  /** Set to false to ignore any usercube-conf.json. */
  useWorkspaceFile?: boolean;
  /** Folder of the index cache (read and written); none by default: nothing is written unless asked. */
  cacheDir?: string;
  /** Worker threads for reading large sets (default: one per core for large sets; 0: none). */
  workers?: number;
}

export interface CheckResult {
  /** Number of configuration files analysed (in the checked paths). */
  files: number;
  diagnostics: Diagnostic[];
  sets: ConfigurationSet[];
  config?: WorkspaceConfig;
  linesOf(file: string): LineIndex | undefined;
}

export class CheckInputError extends Error {}

/** Analyses folders or files as the CLI does: discovers sets, loads them, reports what lies in the given paths. */
export function checkPaths(paths: readonly string[], schema: Schema, options: CheckOptions = {}): CheckResult {
  const targets = paths.length > 0 ? paths.map((p) => path.resolve(p)) : [process.cwd()];
  for (const target of targets) if (!fs.existsSync(target)) throw new CheckInputError(`path not found: ${target}`);
  if (options.appsettings && !fs.existsSync(options.appsettings)) throw new CheckInputError(`appsettings file not found: ${options.appsettings}`);
  for (const module of options.modules ?? []) if (!fs.existsSync(module)) throw new CheckInputError(`module folder not found: ${module}`);

  const configFile = options.useWorkspaceFile === false ? undefined : options.configFile ?? findWorkspaceConfig(targets[0]);
  const config = configFile ? loadWorkspaceConfig(configFile) : undefined;
  const sets = new Map<string, ConfigurationSet>();
  const caches = new Map<string, { cache: IndexCache; sets: ConfigurationSet[]; dirty: boolean }>();
  for (const target of targets) {
    const folder = fs.statSync(target).isDirectory() ? target : path.dirname(target);
    const widened = config?.sets ? path.dirname(config.file) : widenToEnclosingConf(folder);
    let cached = options.cacheDir ? caches.get(widened) : undefined;
    if (options.cacheDir && !cached) {
      cached = { cache: new IndexCache(options.cacheDir, widened, schema), sets: [], dirty: false };
      cached.cache.load();
      caches.set(widened, cached);
    }
    const sniff = (file: string) => isConfigurationOnDisk(file, schema);
    const layouts = discoverSets(widened, cached ? cached.cache.sniffer(sniff) : sniff, {
      appsettings: options.appsettings,
      modules: options.modules,
      config,
    });
    for (const layout of layouts) {
      if (sets.has(layout.root)) continue;
      const set = new ConfigurationSet(layout, schema, { severities: config?.severities, maxFileSizeBytes: config?.maxFileSizeBytes });
      set.loadFromDisk(options.workers, cached?.cache.reusable(layout.root));
      const saved = cached?.cache.diagnoses(set);
      if (saved) set.importDiagnoses(saved);
      sets.set(layout.root, set);
      if (cached) {
        cached.sets.push(set);
        if (!saved || !set.reusedEverything) cached.dirty = true;
      }
    }
  }

  const inScope = (file: string) => targets.some((target) => isInside(file, target));
  const diagnostics: Diagnostic[] = [];
  let files = 0;
  for (const set of sets.values()) {
    files += set.configurationFiles().filter((f) => inScope(f.path)).length;
    const settingsPath = set.settingsFile()?.path;
    const settingsInScope = settingsPath !== undefined && (inScope(settingsPath) || targets.some((t) => isInside(t, path.dirname(settingsPath))));
    for (const diagnostic of set.diagnoseAll()) {
      if (inScope(diagnostic.file) || (settingsInScope && diagnostic.file === settingsPath)) diagnostics.push(diagnostic);
    }
  }
  for (const { cache, sets: cachedSets, dirty } of caches.values()) if (dirty) cache.save(cachedSets);
  const setList = [...sets.values()];
  return {
    files,
    diagnostics: sortDiagnostics(diagnostics),
    sets: setList,
    config,
    linesOf: (file) => setList.map((s) => s.linesOf(file)).find((l) => l !== undefined),
  };
}
