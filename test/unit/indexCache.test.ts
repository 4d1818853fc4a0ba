import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { WorkspaceManager } from '../../server/src/engine/workspaceManager';
import { encodeModel, shareStrings } from '../../server/src/index/compact';
import { buildFileModel } from '../../server/src/index/fileModel';
import { loadSchema } from '../../server/src/schema/schema';
import { parseXml } from '../../server/src/syntax/parse';
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

  it('models that share one string table (as read from the cache) are saved with the strings they use only', () => {
    const model = (name: string) => encodeModel(buildFileModel(`/c/Conf/${name}.xml`, parseXml(conf(`  <Agent Identifier="${name}" DisplayName_L1="x" />`)), schema));
    const first = shareStrings([model('Kept'), model('Dropped'), model('Other')]);
    assert.ok(first.strings.includes('Dropped'));
    // The cache is read back: every model indexes into the one table. "Dropped" is gone from the set.
    const again = shareStrings([first.models[0], first.models[2]]);
    assert.ok(!again.strings.includes('Dropped'), 'strings of a file that is gone are not kept');
    assert.ok(again.strings.includes('Kept') && again.strings.includes('Other'));
    assert.ok(again.strings.length < first.strings.length);
  });
});
