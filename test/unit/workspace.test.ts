import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { conf, workspace } from '../helpers';

describe('configuration sets, modules and agent settings', () => {
  it('each top-most Conf… folder is its own set: identifiers do not resolve across sets', () => {
    const ws = workspace({
      'Conf/A.xml': conf('  <Agent Identifier="Local" DisplayName_L1="L" />\n  <Connector Identifier="AD" DisplayName_L1="AD" Agent="Local" />'),
      'ConfOld/A.xml': conf('  <Connection Identifier="ADExport" DisplayName_L1="AD" Connector="AD" Package="Usercube.AD@0000001" />'),
      'DEV/Conf_240125/A.xml': conf('  <Agent Identifier="Local" DisplayName_L1="L" />\n  <Connector Identifier="AD" DisplayName_L1="AD" Agent="Local" />'),
      'Conf/Sub/ConfNested/B.xml': conf('  <Connector Identifier="HR" DisplayName_L1="HR" Agent="Local" />'),
      'notes.xml': '<root>not a configuration</root>',
    });
    try {
      const result = ws.check();
      assert.deepEqual(result.sets.map((s) => path.relative(ws.dir, s.root)).sort(), ['Conf', 'ConfOld', 'DEV/Conf_240125']);
      // Same identifiers in several sets: no duplicates. ConfOld lacks the connector: its reference is unresolved.
      assert.deepEqual(result.diagnostics.map((d) => `${path.relative(ws.dir, d.file)} ${d.code}`), ['ConfOld/A.xml unresolved-reference']);
      assert.equal(result.files, 4);
    } finally {
      ws.cleanup();
    }
  });

  it('checking a sub-folder of a Conf folder resolves against the whole set, and reports only the sub-folder', () => {
    const ws = workspace({
      'Conf/Agent.xml': conf('  <Agent Identifier="Local" DisplayName_L1="L" Frob="1" />'),
      'Conf/AD/AD.xml': conf('  <Connector Identifier="AD" DisplayName_L1="AD" Agent="Local" />'),
    });
    try {
      const result = ws.check('Conf/AD');
      assert.deepEqual(result.diagnostics, []);
      assert.equal(result.files, 1);
    } finally {
      ws.cleanup();
    }
  });

  it('module folders (Runtime/ beside the set) resolve references and are not diagnosed', () => {
    const ws = workspace({
      'Conf/AD.xml': conf('  <Connector Identifier="AD" DisplayName_L1="AD" Agent="Local" />\n  <EntityType Identifier="Directory_User" ConsolidationMode="Merge"><Property Identifier="Extra" /></EntityType>'),
      'Runtime/Workforce/Directory.xml': conf('  <Agent Identifier="Local" DisplayName_L1="L" />\n  <EntityType Identifier="Directory_User" DisplayName_L1="User" Bogus="1" />'),
    });
    try {
      const result = ws.check();
      assert.deepEqual(result.diagnostics, []);
      assert.equal(result.sets.length, 1);
      assert.equal(result.files, 1);
    } finally {
      ws.cleanup();
    }
  });

  it('a set redeclaring a module symbol without Merge is a duplicate, reported in the set only', () => {
    const ws = workspace({
      'Conf/A.xml': conf('  <Agent Identifier="Local" DisplayName_L1="L" />'),
      'Runtime/M.xml': conf('  <Agent Identifier="Local" DisplayName_L1="L" />'),
    });
    try {
      const result = ws.check();
      assert.deepEqual(result.diagnostics.map((d) => `${path.relative(ws.dir, d.file)} ${d.code} ${d.related?.length}`), ['Conf/A.xml duplicate-identifier 1']);
    } finally {
      ws.cleanup();
    }
  });

  it('the agent settings are JSON with comments, a BOM and trailing commas, found beside the Conf folder', () => {
    const ws = workspace({
      'Conf/A.xml': conf(`  <Agent Identifier="Local" DisplayName_L1="L" />
  <Connector Identifier="AD" DisplayName_L1="AD" Agent="Local" />
  <Connection Identifier="ADExport" DisplayName_L1="AD" Connector="AD" Package="Usercube.AD@0000001" />
  <ExportTask Identifier="E" DisplayName_L1="E" Agent="Local" OpenIdClient="Job" Connection="ADExport" />`),
      'appsettings.agent.json': '\uFEFF{\n  // the agent\n  "OpenId": { "AgentIdentifier": "Local", "OpenIdClients": { "Job": "<from the vault>" }, /* default */ "DefaultOpenIdClient": "Job", },\n  "Connections": { "ADExport": { "Filter": "(x)", }, },\n}\n',
    });
    try {
      assert.deepEqual(ws.check().diagnostics, []);
    } finally {
      ws.cleanup();
    }
  });

  it('a scaffolding that generates a job and its tasks resolves references to them', () => {
    const ws = workspace({
      'Conf/A.xml': conf(`  <Agent Identifier="Local" DisplayName_L1="L" />
  <Connector Identifier="AD" DisplayName_L1="AD" Agent="Local" />
  <CreateConnectorsJobs />
  <Job Identifier="Mine" DisplayName_L1="Mine" Agent="Local"><Step Identifier="AD_ConnectorExport" /><Step Identifier="AD_ConnectorExprt" /></Job>`),
    });
    try {
      const unresolved = ws.check().diagnostics.filter((d) => d.code === 'unresolved-reference').map((d) => d.message);
      assert.equal(unresolved.length, 1);
      assert.match(unresolved[0], /AD_ConnectorExprt/);
    } finally {
      ws.cleanup();
    }
  });
});
