import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { generateTree, writeTree } from '../../bench/generate';
import type { Diagnostic } from '../../server/src/checks/diagnostic';
import { ConfigurationSet, sortDiagnostics } from '../../server/src/engine/configurationSet';
import { isConfigurationOnDisk } from '../../server/src/engine/fileAnalysis';
import { IndexCache } from '../../server/src/engine/indexCache';
import { suggest } from '../../server/src/index/bindings';
import { ModelSnapshot } from '../../server/src/index/changes';
import { detachModel } from '../../server/src/index/compact';
import { buildFileModel } from '../../server/src/index/fileModel';
import { loadSchema } from '../../server/src/schema/schema';
import { parseDocument, useScanner } from '../../server/src/syntax/scan';
import { decodeBytes } from '../../server/src/syntax/text';
import { discoverSets, type SetLayout } from '../../server/src/workspace/discovery';

/**
 * The fast paths (scanner, compact models of closed files, worker threads, index cache, incremental re-checks of
 * dependents only) must give exactly the diagnostics of the slow path: every file parsed by the reference parser, its
 * tree kept, the set built from scratch and diagnosed in one go.
 */
const schema = loadSchema();
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ucf-equivalence-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));
writeTree(root, generateTree({ bytes: 400 * 1024, seed: 3, mistakes: 20 }));

function layout(): SetLayout {
  const layouts = discoverSets(root, (file) => isConfigurationOnDisk(file, schema));
  assert.equal(layouts.length, 1);
  return layouts[0];
}

function textOf(file: string): string {
  return decodeBytes(fs.readFileSync(file)).text;
}

/** The slow path, on what the disk holds now. */
function reference(): string {
  useScanner(false);
  try {
    const shape = layout();
    const set = new ConfigurationSet(shape, schema);
    for (const file of shape.moduleFiles) set.updateFile(file, textOf(file), true);
    for (const file of shape.files) set.updateFile(file, textOf(file), false);
    if (shape.appsettings) set.updateSettings(shape.appsettings, textOf(shape.appsettings), false);
    return render(set.diagnoseAll());
  } finally {
    useScanner(true);
  }
}

function render(diagnostics: Diagnostic[]): string {
  return JSON.stringify(sortDiagnostics([...diagnostics]).map((d) => ({ ...d, file: path.relative(root, d.file) })), null, 1);
}

function conf(relative: string): string {
  return path.join(root, 'Conf', ...relative.split('/'));
}

function edit(file: string, change: (text: string) => string): string {
  const text = change(textOf(file));
  fs.writeFileSync(file, text);
  return text;
}

describe('fast paths give the diagnostics of the slow path', () => {
  const cacheDir = path.join(root, '.cache');

  it('a parallel cold index, a warm start from the index cache, and edits re-checking dependents only', () => {
    const expected = reference();
    assert.ok(JSON.parse(expected).length >= 3, 'the generated tree holds deliberate mistakes');

    // Cold, on two worker threads, written to the index cache.
    const cold = new ConfigurationSet(layout(), schema);
    cold.loadFromDisk(2);
    assert.equal(render(cold.diagnoseAll()), expected, 'parallel cold index');
    const cache = new IndexCache(cacheDir, root, schema);
    assert.ok(cache.save([cold]));

    // Warm: everything from the cache, diagnoses included.
    const warmCache = new IndexCache(cacheDir, root, schema);
    warmCache.load();
    const warm = new ConfigurationSet(layout(), schema);
    warm.loadFromDisk(0, warmCache.reusable(warm.root));
    assert.ok(warm.reusedEverything);
    const saved = warmCache.diagnoses(warm);
    assert.ok(saved, 'the saved diagnoses apply to unchanged files');
    warm.importDiagnoses(saved!);
    assert.equal(render(warm.diagnoseAll()), expected, 'warm start from the cache');

    // Edits, applied to the warm set as the editor does (buffers and files changed on disk), each compared with a
    // fresh slow run on the same texts.
    const connector = fs.readdirSync(path.join(root, 'Conf', 'Connectors')).sort()[1];
    const connectorFile = conf(`Connectors/${connector}/${connector} Connector.xml`);
    const jobsFile = conf(`Connectors/${connector}/${connector} Jobs.xml`);
    const uiFile = conf(`Connectors/${connector}/${connector} UI.xml`);
    const accessFile = conf(`Connectors/${connector}/${connector} Access.xml`);
    const directory = conf('Directory/Directory.xml');
    const settings = path.join(root, 'appsettings.agent.json');
    const steps: { what: string; run: () => void }[] = [
      { what: 'rename an entity type in a buffer', run: () => warm.updateFile(connectorFile, edit(connectorFile, (t) => t.replace(`Identifier="${connector}_Account"`, `Identifier="${connector}_Acount"`))) },
      { what: 'restore it', run: () => warm.updateFile(connectorFile, edit(connectorFile, (t) => t.replace(`Identifier="${connector}_Acount"`, `Identifier="${connector}_Account"`))) },
      { what: 'break a navigation (an association end) on disk', run: () => warm.loadFile((edit(directory, (t) => t.replace('Property2="Directory_UserRecord:User"', 'Property2="Directory_UserRecord:Usr"')), directory), false) },
      { what: 'rename a directory property used by bindings everywhere', run: () => warm.loadFile((edit(directory, (t) => t.replace('Identifier="Mail"', 'Identifier="Email"')), directory), false) },
      { what: 'add a duplicate declaration in another file', run: () => warm.updateFile(uiFile, edit(uiFile, (t) => t.replace('</ConfigurationFile>', `  <EntityType Identifier="${connector}_Group" />\n</ConfigurationFile>`))) },
      { what: 'a task dependency on a task of another job', run: () => warm.updateFile(jobsFile, edit(jobsFile, (t) => t.replace(`ParentTask="${connector}_Prepare_Incremental"`, `ParentTask="${connector}_Export_Complete"`))) },
      { what: 'a syntax error (the reference parser path)', run: () => warm.updateFile(uiFile, edit(uiFile, (t) => t.replace('<SearchBar ', '<SearchBar <'))) },
      { what: 'close the buffer: read from disk again', run: () => warm.loadFile(uiFile, false) },
      { what: 'delete a file', run: () => (fs.rmSync(jobsFile), warm.removeFile(jobsFile)) },
      { what: 'add a file', run: () => (fs.writeFileSync(jobsFile, `<?xml version="1.0"?>\r\n<ConfigurationFile xmlns="${schema.namespace}">\r\n  <Job Identifier="New_&amp;_Job" Agent="Local"><ExportTask Identifier="T1" Agent="Local" OpenIdClient="Job" Connection="${connector}_Export"><TaskDependsOnTask ParentTask="T1"/></ExportTask></Job>\r\n</ConfigurationFile>\r\n`), warm.loadFile(jobsFile, false)) },
      { what: 'remove a connection from the agent settings', run: () => warm.updateSettings(settings, edit(settings, (t) => t.replace(`"${connector}_Export": {`, `"${connector}_Exprt": {`)), false) },
      { what: 'the agent settings name an unknown agent (the message lists the agents in order)', run: () => warm.updateSettings(settings, edit(settings, (t) => t.replace('"AgentIdentifier": "Local"', '"AgentIdentifier": "Remote"')), false) },
      { what: 'a second agent, in a later file', run: () => warm.updateFile(accessFile, edit(accessFile, (t) => t.replace('</ConfigurationFile>', '  <Agent Identifier="AAgent" />\n</ConfigurationFile>'))) },
      { what: 'the first agent renamed (declared again, later in the index)', run: () => warm.loadFile((edit(conf('Agent.xml'), (t) => t.replace('Identifier="Local"', 'Identifier="Local2"')), conf('Agent.xml')), false) },
      { what: 'accents and entities in a renamed declaration', run: () => warm.updateFile(directory, edit(directory, (t) => t.replace('Identifier="Directory_Organization"', 'Identifier="Directory_Organisation&#233;"'))) },
    ];
    for (const step of steps) {
      step.run();
      assert.equal(render(warm.diagnoseAll()), reference(), `after: ${step.what}`);
    }

    // A warm start after those changes: changed files are analysed again, unchanged ones come from the cache.
    assert.ok(new IndexCache(cacheDir, root, schema).save([cold]));
    const again = new IndexCache(cacheDir, root, schema);
    again.load();
    const partial = new ConfigurationSet(layout(), schema);
    partial.loadFromDisk(0, again.reusable(partial.root));
    assert.equal(partial.reusedEverything, false);
    assert.equal(again.diagnoses(partial), undefined, 'diagnoses are not reused when a file changed');
    assert.equal(render(partial.diagnoseAll()), reference(), 'warm start with changed files');
  });
});

describe('did-you-mean with its prefilter', () => {
  it('suggests exactly what the plain definition (case-insensitive edit distance) suggests', () => {
    const editDistance = (a: string, b: string): number => {
      // Optimal string alignment distance, in full.
      const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
      for (let i = 1; i <= a.length; i++) {
        for (let j = 1; j <= b.length; j++) {
          d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
          if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
      return d[a.length][b.length];
    };
    const plain = (name: string, candidates: string[]) => {
      const lower = name.toLowerCase();
      const limit = Math.max(1, Math.min(3, Math.floor(name.length / 3)));
      const scored: { candidate: string; score: number }[] = [];
      for (const candidate of candidates) {
        if (candidate === name) continue;
        if (candidate.toLowerCase() === lower) scored.push({ candidate, score: 0 });
        else if (Math.abs(candidate.length - name.length) <= limit) {
          const distance = editDistance(lower, candidate.toLowerCase());
          if (distance <= limit) scored.push({ candidate, score: distance });
        }
      }
      return scored.sort((a, b) => a.score - b.score || a.candidate.localeCompare(b.candidate)).slice(0, 3).map((s) => s.candidate);
    };
    let seed = 11;
    const random = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    const alphabet = 'abcABC_xyzé0.';
    const word = () => Array.from({ length: 2 + Math.floor(random() * 12) }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
    for (let n = 0; n < 2000; n++) {
      const candidates = Array.from({ length: 40 }, word);
      const name = random() < 0.5 ? `${candidates[0].slice(0, -1)}X` : word();
      assert.deepEqual(suggest(name, candidates), plain(name, candidates), name);
    }
  });
});

describe('change detection', () => {
  it('sees no change between a file on its tree (a buffer) and the same file without it (closed)', () => {
    const tree = generateTree({ bytes: 200 * 1024, seed: 5, mistakes: 20 });
    for (const [name, bytes] of tree.files) {
      if (!name.endsWith('.xml')) continue;
      const model = buildFileModel(name, parseDocument(decodeBytes(bytes).text), schema);
      const onTree = new ModelSnapshot(model, true);
      const compact = new ModelSnapshot(detachModel(model, schema));
      assert.deepEqual([...onTree.declarations()], [...compact.declarations()], name);
      for (const field of ['references', 'bindings', 'inlineTaskJobs', 'steps', 'dependencies', 'scaffoldings']) assert.equal(onTree.field(field), compact.field(field), `${name} ${field}`);
    }
  });
});
