import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { WorkspaceManager } from '../../server/src/engine/workspaceManager';
import { loadSchema } from '../../server/src/schema/schema';
import { conf, workspace } from '../helpers';

const schema = loadSchema();

function cacheFiles(dir: string): { name: string; mtimeMs: number; size: number }[] {
  return fs.readdirSync(dir).map((name) => ({ name, ...fs.statSync(path.join(dir, name)) })).map(({ name, mtimeMs, size }) => ({ name, mtimeMs, size }));
}

describe('index cache', () => {
  it('a warm start that reused every file does not rewrite the cache; an edit on disk does', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 20; i++) files[`Conf/F${i}.xml`] = conf(`  <Agent Identifier="A${i}" DisplayName_L1="A" />\n  <Connector Identifier="C${i}" DisplayName_L1="C" Agent="A${(i + 1) % 20}" />`);
    const w = workspace(files);
    const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ucf-cache-'));
    try {
      const start = async () => {
        const manager = new WorkspaceManager(schema, [w.dir]);
        manager.setCacheDir(cacheDir);
        await manager.reindex();
        for (const file of manager.diagnosedFiles()) manager.diagnose(file);
        return manager;
      };
      (await start()).saveCaches();
      const written = cacheFiles(cacheDir);
      assert.equal(written.length, 1, 'the first start writes the cache');

      const warm = await start();
      assert.ok(warm.allSets().every((s) => s.reusedEverything), 'the second start reuses every file');
      warm.saveCaches();
      assert.deepEqual(cacheFiles(cacheDir), written, 'nothing to write');

      const changed = path.join(w.dir, 'Conf/F3.xml');
      fs.writeFileSync(changed, conf('  <Agent Identifier="Renamed" DisplayName_L1="A" />'));
      warm.fileChangedOnDisk(changed);
      warm.saveCaches();
      assert.notDeepEqual(cacheFiles(cacheDir), written, 'a change on disk is written');
    } finally {
      fs.rmSync(cacheDir, { recursive: true, force: true });
      fs.rmSync(w.dir, { recursive: true, force: true });
    }
  });

  it('a cache saved again after a warm start keeps only the strings its files still use', async () => {
    const w = workspace({ 'Conf/Kept.xml': conf('  <Agent Identifier="KeptAgent" DisplayName_L1="A" />'), 'Conf/Gone.xml': conf('  <Agent Identifier="DroppedAgent" DisplayName_L1="A" />') });
    const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ucf-cache-'));
    // The strings are serialized as one-byte or two-byte text: both readings are searched.
    const cacheText = () => fs.readdirSync(cacheDir).flatMap((name) => { const bytes = fs.readFileSync(path.join(cacheDir, name)); return [bytes.toString('latin1'), bytes.toString('utf16le'), bytes.subarray(1).toString('utf16le')]; }).join('\n');
    try {
      const first = new WorkspaceManager(schema, [w.dir]);
      first.setCacheDir(cacheDir);
      await first.reindex();
      first.saveCaches();
      assert.ok(cacheText().includes('DroppedAgent') && cacheText().includes('KeptAgent'));

      const warm = new WorkspaceManager(schema, [w.dir]);
      warm.setCacheDir(cacheDir);
      await warm.reindex(); // every model now indexes into the one table read from the cache
      const gone = path.join(w.dir, 'Conf/Gone.xml');
      fs.rmSync(gone);
      warm.fileDeleted(gone);
      warm.saveCaches();
      assert.ok(!cacheText().includes('DroppedAgent'), 'the strings of a deleted file are not kept');
      assert.ok(cacheText().includes('KeptAgent'));
      const again = new WorkspaceManager(schema, [w.dir]);
      again.setCacheDir(cacheDir);
      await again.reindex();
      assert.deepEqual(again.allSets()[0].configurationFiles().map((f) => path.basename(f.path)), ['Kept.xml']);
      assert.ok(again.allSets()[0].reusedEverything);
    } finally {
      fs.rmSync(cacheDir, { recursive: true, force: true });
      fs.rmSync(w.dir, { recursive: true, force: true });
    }
  });
});
