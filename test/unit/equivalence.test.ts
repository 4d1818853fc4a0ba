import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { generateTree, writeTree } from '../../bench/generate';
import type { Diagnostic } from '../../server/src/checks/diagnostic';
import { ConfigurationSet, isConfigurationOnDisk, sortDiagnostics } from '../../server/src/engine/configurationSet';
import { IndexCache } from '../../server/src/engine/indexCache';
import { loadSchema } from '../../server/src/schema/schema';
import { useScanner } from '../../server/src/syntax/scan';
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
