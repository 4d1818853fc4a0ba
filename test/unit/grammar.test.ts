// Runs the TextMate grammar tests of test/grammar/*.xml (vscode-tmgrammar-test's assertion comments) in process,
// one test per fixture, so that `npm test` counts them; `npm run test:grammar` runs the same fixtures with the
// vscode-tmgrammar-test command line.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import type { Registry } from 'vscode-textmate';
import { createRegistry, loadConfiguration } from 'vscode-tmgrammar-test/dist/common/index';
import { parseGrammarTestCase, runGrammarTestCase, type TestFailure } from 'vscode-tmgrammar-test/dist/unit/index';

const ROOT = path.resolve(__dirname, '../../..');
const FIXTURES = path.join(ROOT, 'test/grammar');
/** The base grammars, as VS Code ships them (MIT, via the tm-grammars package): XML, and C# for embedded code. */
const BASE_GRAMMARS = ['xml.json', 'csharp.json'].map((file) => path.join(ROOT, 'node_modules/tm-grammars/grammars', file));

interface GrammarContribution {
  scopeName: string;
  path: string;
  injectTo?: string[];
  embeddedLanguages?: Record<string, string>;
}

function contributedGrammars(): GrammarContribution[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  return manifest.contributes?.grammars ?? [];
}

function describeFailure(lines: string[], failure: TestFailure): string {
  const source = lines[failure.srcLine] ?? '';
  return [
    `line ${failure.srcLine + 1}, columns ${failure.start}-${failure.end}: "${source.slice(failure.start, failure.end)}"`,
    failure.missing.length ? `  missing scopes: ${failure.missing.join(' ')}` : '',
    failure.unexpected.length ? `  prohibited scopes: ${failure.unexpected.join(' ')}` : '',
    `  actual: ${failure.actual.join(' ')}`,
  ]
    .filter(Boolean)
    .join('\n');
}

describe('highlighting: the TextMate grammars', () => {
  it('are up to date with the schema (scripts/generate-grammar.mjs --check)', () => {
    const run = spawnSync(process.execPath, [path.join(ROOT, 'scripts/generate-grammar.mjs'), '--check'], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr + run.stdout);
  });

  it('are contributed to VS Code as injections into XML, with the C# code declared as an embedded language', () => {
    const grammars = contributedGrammars();
    const main = grammars.find((g) => g.scopeName === 'usercube.xml.injection');
    assert.ok(main, JSON.stringify(grammars));
    assert.deepEqual(main.injectTo, ['text.xml']);
    assert.deepEqual(main.embeddedLanguages, { 'meta.embedded.inline.cs': 'csharp' });
    const entities = grammars.find((g) => g.scopeName === 'usercube.xml-csharp.injection');
    assert.ok(entities);
    assert.deepEqual(entities.injectTo, ['text.xml']);
    for (const grammar of grammars) {
      const file = JSON.parse(fs.readFileSync(path.join(ROOT, grammar.path), 'utf8'));
      assert.equal(file.scopeName, grammar.scopeName, grammar.path);
      assert.ok(file.injectionSelector, `${grammar.path} has an injection selector`);
    }
  });
});

describe('highlighting: grammar tests (test/grammar)', () => {
  let registry: Registry;
  before(() => {
    const { grammars } = loadConfiguration(path.join(ROOT, 'package.json'), undefined, BASE_GRAMMARS);
    registry = createRegistry(grammars);
  });

  const fixtures = fs.readdirSync(FIXTURES).filter((f) => f.endsWith('.xml')).sort();
  it('has fixtures', () => assert.ok(fixtures.length >= 4, fixtures.join(', ')));

  for (const fixture of fixtures) {
    it(fixture, async () => {
      const testCase = parseGrammarTestCase(fs.readFileSync(path.join(FIXTURES, fixture), 'utf8'));
      assert.ok(testCase.assertions.length > 0, 'the fixture asserts something');
      // The XML grammar embeds Java for JSP tags (<% %>); no JSP here, so its "grammar not found" is noise.
      const warn = console.warn;
      console.warn = (...args: unknown[]) => {
        if (!/grammar not found for "source\.java"/.test(String(args[0]))) warn(...args);
      };
      let failures: TestFailure[];
      try {
        failures = await runGrammarTestCase(registry, testCase);
      } finally {
        console.warn = warn;
      }
      assert.deepEqual(failures.map((f) => describeFailure(testCase.source, f)), []);
    });
  }
});
