import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { isConfigurationOnDisk, readText } from '../../server/src/engine/fileAnalysis';
import { WorkspaceManager } from '../../server/src/engine/workspaceManager';
import { complete } from '../../server/src/features/completion';
import { loadSchema } from '../../server/src/schema/schema';
import { parseXml } from '../../server/src/syntax/parse';
import { exampleFiles, NS } from './corpus';
import { CASE_BOUND_MS, exercise, freshSet, FUZZ_ROOT, SETTINGS, textsOf } from './harness';

// Every crash, hang or out-of-range result the fuzzer found (docs/reliability.md, "Findings"), as a fixed input.

const schema = loadSchema();
const JOBS = path.join(FUZZ_ROOT, 'Conf/Jobs.xml');

/** Exercises every feature at the given offsets of `target` after replacing its text; returns the elapsed time. */
function exerciseWith(target: string, text: string, offsets: number[]): number {
  const texts = textsOf(exampleFiles());
  texts.set(target, text);
  const started = Date.now();
  exercise(freshSet(schema, texts), texts, target, offsets);
  return Date.now() - started;
}

describe('fuzz findings (regressions)', () => {
  it('F1 completion at offset 0 of a file that starts with "<" gives a range inside the text (features/cursor.ts)', () => {
    const text = exampleFiles()['Conf/Jobs.xml'];
    const set = freshSet(schema, textsOf(exampleFiles()));
    for (const entry of complete(set, JOBS, text, set.file(JOBS)!.doc, 0)) assert.ok(entry.replace.start <= entry.replace.end, JSON.stringify(entry.replace));
    exerciseWith(JOBS, text, [0]);
  });

  it('F2 completion inside a huge attribute value or a tag without quotes answers in linear time (features/cursor.ts)', () => {
    const body = 'x.'.repeat(100_000); // 200 KB: the former scan took minutes, it is now instant
    const cases = [
      `<ConfigurationFile xmlns="${NS}">\n<ScalarRule Binding="${body}`, // an unterminated 2 MB value, cursor at its end
      `<ConfigurationFile xmlns="${NS}">\n<ScalarRule Binding=${body} `, // a value without quotes
    ];
    for (const text of cases) {
      const elapsed = exerciseWith(JOBS, text, [text.length, text.length - 1, text.length >> 1]);
      assert.ok(elapsed < CASE_BOUND_MS, `took ${elapsed} ms`);
    }
  });

  it('F3 invalid JSON at the end of the agent settings is reported inside the text (workspace/appsettings.ts)', () => {
    for (const text of ['{ "Connections": [', '{', '{ "OpenId": { "OpenIdClients": { "Job": "', '']) {
      const texts = textsOf(exampleFiles());
      texts.set(SETTINGS, text);
      const set = freshSet(schema, texts);
      for (const d of set.diagnose(SETTINGS)) assert.ok(d.span.end <= text.length && d.span.start <= d.span.end, `${JSON.stringify(text)}: ${JSON.stringify(d.span)}`);
      exercise(set, texts, SETTINGS, [0, text.length]);
    }
  });

  it('F4 a text with hundreds of thousands of syntax errors is analysed up to the hundredth, quickly (syntax/parse.ts)', () => {
    const text = `<ConfigurationFile xmlns="${NS}">\n<Job Identifier="J">\n<ScalarRule a="b="c="d=${'"e'.repeat(60_000)}`;
    const elapsed = exerciseWith(JOBS, text, [text.length, 100]);
    assert.ok(elapsed < CASE_BOUND_MS, `took ${elapsed} ms`);
    const doc = parseXml(text);
    assert.equal(doc.syntaxErrors.length, 101);
    assert.match(doc.syntaxErrors[100].message, /Too many syntax errors/);
    assert.equal(doc.roots[0]?.name, 'ConfigurationFile', 'the part before is still analysed');
    assert.ok(doc.syntaxErrors.every((e) => e.span.end <= text.length));
  });

  it('F5 a file with more diagnostics than fit on the stack is diagnosed (engine/configurationSet.ts: no push(...list))', () => {
    // 70,000 attributes named alike: 70,000 duplicate-attribute and 70,000 unknown-attribute diagnostics in one file.
    const text = `<ConfigurationFile xmlns="${NS}">\n<Job ${'a="" '.repeat(70_000)}/></ConfigurationFile>`;
    const texts = textsOf(exampleFiles());
    texts.set(JOBS, text);
    const set = freshSet(schema, texts);
    assert.ok(set.diagnose(JOBS).length > 130_000); // more than a call can take as arguments (about 125,000)
    assert.ok(set.diagnoseAll().length > 130_000);
  });

  it('F6 thousands of unknown elements or attributes are checked in linear time (schema.ts, rules/unknownAttribute.ts)', () => {
    // 40,000 unknown attributes on one element took two minutes before (quadratic); 10,000 unknown elements 2 s.
    for (const text of [`<ConfigurationFile xmlns="${NS}">\n${'<X/>'.repeat(10_000)}</ConfigurationFile>`, `<ConfigurationFile xmlns="${NS}">\n<Job ${Array.from({ length: 40_000 }, (_, i) => ` b${i}=""`).join('')}/></ConfigurationFile>`]) {
      const texts = textsOf(exampleFiles());
      texts.set(JOBS, text);
      const started = Date.now();
      assert.ok(freshSet(schema, texts).diagnose(JOBS).length >= 10_000);
      const elapsed = Date.now() - started;
      assert.ok(elapsed < CASE_BOUND_MS, `took ${elapsed} ms`);
    }
  });

  it('F7 a name declared thousands of times: each duplicate points at a few others, not all (rules/duplicateIdentifier.ts)', () => {
    const text = `<ConfigurationFile xmlns="${NS}">\n${'<EntityType Identifier="E" DisplayName_L1="e"/>\n'.repeat(3000)}</ConfigurationFile>`;
    const texts = textsOf(exampleFiles());
    texts.set(JOBS, text);
    const started = Date.now();
    const duplicates = freshSet(schema, texts).diagnose(JOBS).filter((d) => d.code === 'duplicate-identifier');
    assert.equal(duplicates.length, 3000);
    assert.match(duplicates[0].message, /declared 3000 times/);
    assert.ok(duplicates.every((d) => (d.related?.length ?? 0) <= 5));
    assert.ok(Date.now() - started < CASE_BOUND_MS);
  });

  it('F8 a FIFO named .xml is reported unreadable instead of blocking the indexer forever (engine/fileAnalysis.ts, workspaceManager.ts)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ucf-fifo-'));
    try {
      const fifo = path.join(dir, 'Pipe.xml');
      if (spawnSync('mkfifo', [fifo]).status !== 0) return; // no mkfifo here (Windows): the drill cannot be staged
      assert.equal(isConfigurationOnDisk(fifo, schema), true, 'kept, so that it is reported');
      assert.equal(readText(fifo, 1 << 20).problem?.code, 'unreadable-file');
      assert.equal(new WorkspaceManager(schema).textOf(fifo), undefined);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('F11 a key or value cut by the end of the agent settings (no closing quote) gives ranges inside the text (workspace/appsettings.ts stringSpan)', () => {
    const base = exampleFiles()['appsettings.agent.json'];
    for (const marker of ['"Filter"', '"ADExport"', '"Job"', '"Local"']) {
      const at = base.indexOf(marker);
      for (const text of [base.slice(0, at + 1), base.slice(0, at + 3)]) {
        const texts = textsOf(exampleFiles());
        texts.set(SETTINGS, text);
        exercise(freshSet(schema, texts), texts, SETTINGS, [text.length, text.length - 1, text.length - 2]);
      }
    }
  });

  it('F12 names of Object.prototype members (<toString>, constructor="…", &valueOf;, a "__proto__" package) are unknown names, not crashes (schema/schema.ts, syntax/entities.ts)', () => {
    const text = [
      `<ConfigurationFile xmlns="${NS}">`,
      '<toString constructor="x"/>',
      '<EntityType Identifier="A&valueOf;" DisplayName_L1="a" __proto__="y" hasOwnProperty="z"/>',
      '<Connection Identifier="C" DisplayName_L1="c" Agent="Local" Package="__proto__"/>',
      '<Connection Identifier="D" DisplayName_L1="d" Agent="Local" Package="constructor"/>',
      '</ConfigurationFile>',
    ].join('\n');
    const texts = textsOf(exampleFiles());
    texts.set(JOBS, text);
    const set = freshSet(schema, texts);
    const codes = set.diagnose(JOBS).map((d) => `${d.code}:${text.slice(d.span.start, d.span.end)}`);
    assert.ok(codes.includes('unknown-element:toString'), codes.join(', '));
    for (const name of ['__proto__', 'hasOwnProperty']) assert.ok(codes.includes(`unknown-attribute:${name}`), codes.join(', '));
    exercise(set, texts, JOBS, [text.indexOf('toString'), text.indexOf('valueOf'), text.indexOf('__proto__"'), text.length]);
  });

  it('F13 a file nested 300 to 900 levels deep gets the same answer whatever ran before (syntax/depth.ts)', () => {
    // The reference parser ran out of stack at ~400 levels with a cold JIT and at ~900 once warm: the long fuzz run
    // saw two fresh analyses of one text disagree. Depth is now bounded before parsing.
    const nested = (depth: number, closed: boolean) => `<ConfigurationFile xmlns="${NS}">${'<Job x="1">'.repeat(depth)}${closed ? '</Job>'.repeat(depth) : ''}</ConfigurationFile>`;
    const texts = [300, 500, 700, 900].flatMap((depth) => [nested(depth, true), nested(depth, false)]);
    // Cold: a fresh process parses them first thing. Warm: this process, after many parses.
    const script = `const { parseXml } = require(${JSON.stringify(require.resolve('../../server/src/syntax/parse'))}); const texts = JSON.parse(require('fs').readFileSync(0, 'utf8')); console.log(JSON.stringify(texts.map(parseXml)));`;
    const child = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', input: JSON.stringify(texts) });
    assert.equal(child.status, 0, child.stderr);
    for (let i = 0; i < 50; i++) parseXml(nested(200, i % 2 === 0));
    assert.equal(JSON.stringify(texts.map(parseXml)), child.stdout.trim());
    const refused = parseXml(nested(300, true));
    assert.equal(refused.roots.length, 0);
    assert.match(refused.syntaxErrors[0].message, /nested more than 256 levels/);
    assert.equal(nested(300, true).slice(refused.syntaxErrors[0].span.start, refused.syntaxErrors[0].span.start + 4), '<Job', 'the range points at the first start tag too deep');
    assert.ok(parseXml(nested(200, true)).roots[0].children.length === 1, 'deep but not too deep: analysed');
    assert.equal(parseXml(`<ConfigurationFile xmlns="${NS}">${'<!-- <Job> -->'.repeat(1000)}${'<Job/>'.repeat(1000)}<Job x="a>b"></Job></ConfigurationFile>`).syntaxErrors.length, 0, 'comments and self-closing tags do not count');
  });

  it('F14 thousands of stray "<" inside 100 unclosed elements are analysed in about a second, not 100 (syntax/parse.ts)', () => {
    const text = `<ConfigurationFile xmlns="${NS}">\n${'<ProfileRule>'.repeat(100)}<Job Identifier="${'<'.repeat(41_424)}"/>`;
    const started = Date.now();
    const doc = parseXml(text);
    const elapsed = Date.now() - started;
    assert.equal(doc.syntaxErrors.length, 101);
    assert.ok(elapsed < 15_000, `took ${elapsed} ms`); // 9 s before (1,000 errors, parsed twice) on a quiet machine
  });

  it('parses what it is given even when it is not XML at all', () => {
    assert.doesNotThrow(() => parseXml('\u0000\ud800<\u0000'));
  });
});
