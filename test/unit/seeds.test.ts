import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { checkPaths } from '../../server/src/engine/check';
import { loadSchema } from '../../server/src/schema/schema';

const FIXTURES = path.resolve(__dirname, '../../../test/fixtures');

interface Expected {
  file: string;
  line: number;
  column?: number;
  code: string;
}

/** "file:line:column code" keys of the diagnostics a folder produces, 1-based like the expectation files. */
function actualKeys(folder: string): string[] {
  const result = checkPaths([folder], loadSchema(), { useWorkspaceFile: false });
  return result.diagnostics.map((d) => {
    const start = result.linesOf(d.file)!.positionAt(d.span.start);
    return `${path.relative(folder, d.file).split(path.sep).join('/')}:${start.line + 1}:${start.character + 1} ${d.code}`;
  });
}

function expectedKeys(folder: string): string[] {
  const expected = JSON.parse(fs.readFileSync(path.join(folder, 'expected.json'), 'utf8')) as Expected[];
  return expected.map((e) => `${e.file}:${e.line}:${e.column} ${e.code}`);
}

describe('configurations built from the vendor guides (test/fixtures/seeds, examples)', () => {
  for (const name of ['seeds', 'seeds-invalid-json']) {
    it(`${name}: reports exactly the mistakes its examples contain, and nothing on the valid parts`, () => {
      const folder = path.join(FIXTURES, name);
      assert.deepEqual(actualKeys(folder).sort(), expectedKeys(folder).sort());
    });
  }

  it('examples (the demo configuration): reports exactly its deliberate mistakes', () => {
    const folder = path.resolve(FIXTURES, '../../examples');
    assert.deepEqual(actualKeys(folder).sort(), expectedKeys(folder).sort());
  });
});
