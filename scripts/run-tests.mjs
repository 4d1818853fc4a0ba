// Runs the compiled unit, protocol and CLI tests with node's test runner and ends with "N passed, N failed".
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { run } from 'node:test';
import { spec } from 'node:test/reporters';

const roots = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['out/test/unit', 'out/test/protocol', 'out/test/cli', 'out/test/reliability'];
const files = roots.flatMap((root) => listTests(root)).sort();
let passed = 0;
let failed = 0;
let skipped = 0;
const stream = run({ files, concurrency: 2, timeout: 120_000 });
stream.on('test:pass', (event) => {
  if (!isLeaf(event)) return;
  if (event.skip) skipped++;
  else passed++;
});
stream.on('test:fail', (event) => {
  if (event.details?.type !== 'suite') failed += isLeaf(event) ? 1 : 0;
});
const report = stream.compose(spec);
report.pipe(process.stdout, { end: false });
report.on('end', () => {
  if (files.length === 0) failed++;
  process.stdout.write(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
  process.exitCode = failed > 0 ? 1 : 0;
});

function isLeaf(event) {
  return event.details?.type !== 'suite';
}

function listTests(dir) {
  if (dir.endsWith('.test.js')) return [dir];
  let entries;
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  return entries.flatMap((entry) => {
    const full = join(dir, entry);
    if (statSync(full).isDirectory()) return listTests(full);
    return entry.endsWith('.test.js') ? [full] : [];
  });
}
