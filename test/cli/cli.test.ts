import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { conf, workspace } from '../helpers';

const ROOT = path.resolve(__dirname, '../../..');
const BIN = path.join(ROOT, 'bin/usercube-conf.js');
const GOLDEN = path.join(ROOT, 'test/cli/golden');

function run(args: string[], cwd = ROOT) {
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Compares with a golden file; UPDATE_GOLDEN=1 rewrites it (review the diff before committing). */
function golden(name: string, actual: string): void {
  const file = path.join(GOLDEN, name);
  if (process.env.UPDATE_GOLDEN === '1') fs.writeFileSync(file, actual);
  assert.equal(actual, fs.readFileSync(file, 'utf8'), `output differs from ${name} (UPDATE_GOLDEN=1 to accept)`);
}

describe('usercube-conf check (the CLI)', () => {
  it('text: one line per diagnostic with 1-based positions, then a summary; exit 1 on errors', () => {
    const result = run(['check', 'examples']);
    assert.equal(result.code, 1);
    golden('examples.txt', result.stdout);
    assert.match(result.stdout.trim().split('\n').pop()!, /^7 errors, 3 warnings, 0 information, 0 hints in 7 configuration files\.$/);
  });

  it('json: the documented contract, with 0-based UTF-16 positions and paths relative to the working directory', () => {
    const result = run(['check', 'examples', '--format', 'json']);
    assert.equal(result.code, 1);
    golden('examples.json', result.stdout);
    const document = JSON.parse(result.stdout);
    assert.equal(document.version, 1);
    assert.equal(document.files, 7);
    const duplicate = document.diagnostics.find((d: { code: string }) => d.code === 'duplicate-identifier');
    assert.deepEqual(Object.keys(duplicate).sort(), ['code', 'file', 'message', 'range', 'related', 'severity']);
    assert.equal(duplicate.file, 'examples/Conf/Access.xml');
    assert.equal(duplicate.related[0].file, 'examples/Conf/Access.xml');
  });

  it('sarif: a SARIF 2.1.0 log with rules, levels and regions', () => {
    const result = run(['check', 'examples', '--format', 'sarif']);
    assert.equal(result.code, 1);
    golden('examples.sarif', result.stdout.split(pathToUriPrefix(ROOT)).join('file:///ROOT'));
    const log = JSON.parse(result.stdout);
    assert.equal(log.version, '2.1.0');
    const results = log.runs[0].results;
    assert.equal(results.length, 10);
    assert.ok(results.every((r: { ruleId: string; level: string }) => ['error', 'warning', 'note'].includes(r.level) && log.runs[0].tool.driver.rules.some((rule: { id: string }) => rule.id === r.ruleId)));
  });

  it('--min-severity error hides warnings', () => {
    const result = run(['check', 'examples', '--min-severity', 'error']);
    assert.ok(!result.stdout.includes(' warning '));
    assert.match(result.stdout, /7 errors, 0 warnings/);
  });

  it('exit 0 on a configuration without errors', () => {
    const ws = workspace({ 'Conf/Agent.xml': conf('  <Agent Identifier="Local" DisplayName_L1="Local" />') });
    try {
      const result = run(['check', ws.dir]);
      assert.equal(result.code, 0, result.stdout + result.stderr);
      assert.match(result.stdout, /0 errors, 0 warnings, 0 information, 0 hints in 1 configuration file\./);
    } finally {
      ws.cleanup();
    }
  });

  it('exit 2 with a clear message for a missing path or an unknown option', () => {
    const missing = run(['check', 'no/such/folder']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /path not found: .*no\/such\/folder/);
    const option = run(['check', 'examples', '--colour']);
    assert.equal(option.code, 2);
    assert.match(option.stderr, /unknown option '--colour'/);
    const format = run(['check', 'examples', '--format', 'xml']);
    assert.equal(format.code, 2);
  });

  it('an unreadable file inside the tree is a diagnostic, not an exit', () => {
    const ws = workspace({ 'Conf/Agent.xml': conf('  <Agent Identifier="Local" DisplayName_L1="Local" />') });
    try {
      fs.symlinkSync(path.join(ws.dir, 'nowhere.xml'), path.join(ws.dir, 'Conf/Broken.xml'));
      const result = run(['check', ws.dir, '--format', 'json']);
      assert.equal(result.code, 1);
      const codes = JSON.parse(result.stdout).diagnostics.map((d: { code: string; file: string }) => `${path.basename(d.file)} ${d.code}`);
      assert.deepEqual(codes, ['Broken.xml unreadable-file']);
    } finally {
      ws.cleanup();
    }
  });

  it('positions count UTF-16 units after accents and astral characters, on CRLF files with a BOM', () => {
    const text = `\uFEFF<?xml version="1.0"?>\r\n<ConfigurationFile xmlns="urn:schemas-usercube-com:configuration">\r\n  <Agent Identifier="Local" DisplayName_L1="Agent é 🚀" Frob="x" />\r\n</ConfigurationFile>\r\n`;
    const ws = workspace({ 'Conf/Agent.xml': text });
    try {
      const json = JSON.parse(run(['check', ws.dir, '--format', 'json']).stdout);
      const line = text.slice(1).split('\r\n')[2];
      assert.deepEqual(json.diagnostics[0].range.start, { line: 2, character: line.indexOf('Frob') });
      const plain = run(['check', ws.dir]).stdout;
      assert.match(plain, new RegExp(`Agent\\.xml:3:${line.indexOf('Frob') + 1} warning unknown-attribute`));
    } finally {
      ws.cleanup();
    }
  });

  it('--appsettings names the agent settings file explicitly', () => {
    const ws = workspace({
      'Conf/X.xml': conf(`  <Agent Identifier="Local" DisplayName_L1="Local" />
  <Connector Identifier="AD" DisplayName_L1="AD" Agent="Local" />
  <Connection Identifier="ADExport" DisplayName_L1="AD" Connector="AD" Package="Usercube.AD@0000001" />`),
      'elsewhere/settings.json': '{ "OpenId": { "AgentIdentifier": "Local" }, "Connections": {} }',
    });
    try {
      assert.equal(run(['check', ws.dir]).code, 0); // no settings file found: the pairing check stays silent
      const result = run(['check', ws.dir, '--appsettings', path.join(ws.dir, 'elsewhere/settings.json')]);
      assert.equal(result.code, 1);
      assert.match(result.stdout, /missing-connection-settings/);
    } finally {
      ws.cleanup();
    }
  });

  it('usercube-conf.json: per-code severities apply to the CLI', () => {
    const ws = workspace({
      'Conf/X.xml': conf('  <Agent Identifier="Local" DisplayName_L1="Local" Frob="1" />'),
      'usercube-conf.json': '{ // comments are allowed\n "severities": { "unknown-attribute": "error" } }',
    });
    try {
      const result = run(['check', ws.dir]);
      assert.equal(result.code, 1);
      assert.match(result.stdout, / error unknown-attribute /);
    } finally {
      ws.cleanup();
    }
  });
});

function pathToUriPrefix(folder: string): string {
  return `file://${encodeURI(folder.split(path.sep).join('/'))}`;
}
