import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { ConfigurationSet } from '../../server/src/engine/configurationSet';
import { loadSchema } from '../../server/src/schema/schema';

// Reads ../shared/doc-examples (the vendor's XML examples) when it sits beside the project; skips visibly otherwise.
const SHARED = path.resolve(__dirname, '../../../../shared/doc-examples');
const ALLOWLIST = path.resolve(__dirname, '../../../test/fixtures/doc-examples-allowlist.json');
const available = fs.existsSync(SHARED);
const skip = available ? false : `../shared/doc-examples is not present beside the project (${SHARED})`;

describe('the vendor documentation examples (robustness corpus)', () => {
  it('every example is analysed without throwing; ranges stay inside the text; unknown names are all explained', { skip }, () => {
    const schema = loadSchema();
    const allow = JSON.parse(fs.readFileSync(ALLOWLIST, 'utf8')).examples as Record<string, { findings: string[] }>;
    const unexplained: string[] = [];
    const stale: string[] = [];
    const files = fs.readdirSync(SHARED).filter((f) => f.endsWith('.xml')).sort();
    assert.ok(files.length > 200);
    for (const name of files) {
      const raw = fs.readFileSync(path.join(SHARED, name), 'utf8');
      const text = `<ConfigurationFile xmlns="${schema.namespace}">\n${raw}\n</ConfigurationFile>`;
      const file = path.join('/corpus', name);
      const set = new ConfigurationSet({ root: '/corpus', files: [file], modules: [], moduleFiles: [], extraAppsettings: [] }, schema);
      const source = set.updateFile(file, text);
      const diagnostics = set.diagnoseAll();
      for (const d of diagnostics) assert.ok(d.span.start >= 0 && d.span.end <= text.length && d.span.start <= d.span.end, `${name}: range out of the text`);
      if (source.doc.syntaxErrors.length > 0) continue; // malformed in the docs: only robustness matters
      const found = new Set(diagnostics.filter((d) => d.code === 'unknown-element' || d.code === 'unknown-attribute').map((d) => `${d.code} ${text.slice(d.span.start, d.span.end)}`));
      const listed = new Set(allow[name]?.findings ?? []);
      for (const finding of found) if (!listed.has(finding)) unexplained.push(`${name}: ${finding}`);
      for (const finding of listed) if (!found.has(finding)) stale.push(`${name}: ${finding}`);
    }
    assert.deepEqual(unexplained, [], 'unknown names reported on vendor examples: fix the schema overlay or explain them in doc-examples-allowlist.json');
    assert.deepEqual(stale, [], 'allowlisted findings that no longer occur: remove them from doc-examples-allowlist.json');
  });
});
