import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { ENGINE_CODES, RULES } from '../../server/src/checks/registry';

const ROOT = path.resolve(__dirname, '../../..');
const CODES = [...RULES.map((r) => r.code), ...Object.values(ENGINE_CODES)];

describe('every diagnostic code is documented and configurable', () => {
  it('docs/diagnostics.md has a section for each code', () => {
    const doc = fs.readFileSync(path.join(ROOT, 'docs/diagnostics.md'), 'utf8');
    assert.deepEqual(CODES.filter((code) => !doc.includes(`\n## ${code}\n`)), []);
  });

  it('the editor setting usercubeConf.severity lists each code', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    const configuration = Array.isArray(manifest.contributes.configuration) ? manifest.contributes.configuration[0] : manifest.contributes.configuration;
    const listed = Object.keys(configuration.properties['usercubeConf.severity'].properties);
    assert.deepEqual(CODES.filter((code) => !listed.includes(code)), []);
    assert.deepEqual(listed.filter((code) => !CODES.includes(code)), []);
  });
});
