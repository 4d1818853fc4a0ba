/**
 * One measurement through the engine API, in a fresh process (so that times include nothing left over and the peak
 * RSS is this measurement's): `node out/bench/probe.js MODE DIR [options as JSON]`. Prints one JSON line.
 *
 *   floor    reading every file; reading it and a regex scan of Identifier="…" (the reference floor)
 *   cold     discovery + index (WorkspaceManager.reindex), then every diagnosis; optional cache folder (warm start)
 *   session  cold index and diagnoses, then edits and requests on the typical and the largest file
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { WorkspaceManager } from '../server/src/engine/workspaceManager';
import { complete } from '../server/src/features/completion';
import { findDefinition, findReferences, prepareRename, rename } from '../server/src/features/navigation';
import { loadSchema } from '../server/src/schema/schema';
import { listXmlFiles } from '../server/src/workspace/discovery';
import { cursorsOf, editsOf } from './scenario';
import { now, percentile } from './stats';

interface Options {
  workers?: number;
  cacheDir?: string;
  typicalFile?: string;
  largestFile?: string;
  rounds?: number;
}

const [mode, dir, json] = process.argv.slice(2);
const options: Options = json ? JSON.parse(json) : {};

function maxRss(): number {
  return process.resourceUsage().maxRSS * 1024;
}

function floor(): object {
  const files = listXmlFiles(dir);
  let start = now();
  let bytes = 0;
  for (const file of files) bytes += fs.readFileSync(file).length;
  const readMs = now() - start;
  start = now();
  let identifiers = 0;
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    const regex = /Identifier="([^"]*)"/g;
    while (regex.exec(text)) identifiers++;
  }
  const scanMs = now() - start;
  return { files: files.length, bytes, readMs, scanMs, identifiers };
}

async function cold(): Promise<{ manager: WorkspaceManager; result: Record<string, number | boolean> }> {
  const start = now();
  const manager = new WorkspaceManager(loadSchema(), [dir], { workers: options.workers });
  manager.setCacheDir(options.cacheDir);
  await manager.reindex();
  const indexMs = now() - start;
  const indexRss = maxRss();
  let diagnostics = 0;
  for (const file of manager.diagnosedFiles()) diagnostics += manager.diagnose(file).length;
  const allMs = now() - start;
  if (options.cacheDir) manager.saveCaches();
  const files = manager.allSets().reduce((n, s) => n + s.configurationFiles().length, 0);
  return { manager, result: { indexMs, allMs, diagnostics, files, indexRss, rss: maxRss(), reused: manager.allSets().every((s) => s.reusedEverything) } };
}

async function session(): Promise<object> {
  const { manager, result } = await cold();
  const out: Record<string, unknown> = { ...result };
  const rounds = options.rounds ?? 5;
  for (const [label, relative] of [
    ['typical', options.typicalFile!],
    ['largest', options.largestFile!],
  ] as const) {
    const file = path.join(dir, ...relative.split('/'));
    const text = fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
    manager.openDocument(file, text);
    const latencies: number[] = [];
    let affected = 0;
    for (const edit of editsOf(text, rounds)) {
      const start = now();
      const files = manager.changeDocument(file, edit.text);
      for (const f of files) manager.diagnose(f);
      latencies.push(now() - start);
      affected = Math.max(affected, files.length);
    }
    out[`edit_${label}`] = { p50: percentile(latencies, 50), p95: percentile(latencies, 95), maxAffected: affected };
    if (label === 'typical') {
      const set = manager.setOf(file)!;
      const cursors = cursorsOf(text);
      const time = (run: () => unknown, repeat = 5): number[] => {
        const values: number[] = [];
        for (let i = 0; i < repeat; i++) {
          const start = now();
          run();
          values.push(now() - start);
        }
        return values;
      };
      const completion = cursors.completion.flatMap((c) => time(() => complete(set, file, text, set.file(file)!.doc, c.offset)));
      const definition = cursors.definition.flatMap((c) => time(() => findDefinition(set, file, c.offset)));
      const references = cursors.references.flatMap((c) => time(() => findReferences(set, file, c.offset, true), 3));
      const renameMs = time(() => {
        prepareRename(set, file, cursors.rename.offset);
        return rename(set, file, cursors.rename.offset, 'Directory_Person');
      }, 3);
      out.completion = { p50: percentile(completion, 50), p95: percentile(completion, 95) };
      out.definition = { p50: percentile(definition, 50), p95: percentile(definition, 95) };
      out.references = { p50: percentile(references, 50), p95: percentile(references, 95) };
      out.rename = { p50: percentile(renameMs, 50), max: Math.max(...renameMs) };
    }
    manager.closeDocument(file);
  }
  out.rss = maxRss();
  return out;
}

async function main(): Promise<void> {
  let result: object;
  if (mode === 'floor') result = floor();
  else if (mode === 'cold') result = (await cold()).result;
  else if (mode === 'session') result = await session();
  else throw new Error(`unknown mode ${mode}`);
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(0);
}

void main();
