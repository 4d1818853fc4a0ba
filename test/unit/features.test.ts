import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { ConfigurationSet } from '../../server/src/engine/configurationSet';
import { codeActions } from '../../server/src/features/codeActions';
import { complete, completionList } from '../../server/src/features/completion';
import { MAX_NAME_ENTRIES } from '../../server/src/features/namePicking';
import { hover } from '../../server/src/features/hover';
import { semanticTokens } from '../../server/src/features/semanticTokens';
import { completeSettings } from '../../server/src/features/settingsCompletion';
import { findDefinition, prepareRename, rename } from '../../server/src/features/navigation';
import { parseXml } from '../../server/src/syntax/parse';
import { conf, workspace, type Workspace } from '../helpers';

const SETTINGS = `{
  // agent settings
  "OpenId": { "AgentIdentifier": "Local", "OpenIdClients": { "Job": "<from the vault>" }, "DefaultOpenIdClient": "Job" },
  "Connections": {
    "ADExport": { "Filter": "(objectClass=user)" }
  }
}
`;

const FILES: Record<string, string> = {
  'Conf/A.xml': conf(`  <Agent Identifier="Local" DisplayName_L1="Local" />
  <Connector Identifier="AD" DisplayName_L1="Active Directory" Agent="Local" />
  <Connection Identifier="ADExport" DisplayName_L1="AD export" Connector="AD" Package="Usercube.AD@0000001" />
  <Connection Identifier="ADFulfill" DisplayName_L1="AD fulfill" Connector="AD" Package="Usercube.AD@0000001" />
  <Job Identifier="J" DisplayName_L1="J" Agent="Local">
    <ExportTask Identifier="Export" DisplayName_L1="E" Agent="Local" OpenIdClient="Job" Connection="ADEx‸port" />
    <SynchronizeTask Identifier="Sync" DisplayName_L1="S" Connector="AD"><TaskDependsOnTask ParentTask="‸" /></SynchronizeTask>
  </Job>
  <Job Identifier="Other" DisplayName_L1="O" Agent="Local"><ExportTask Identifier="Elsewhere" DisplayName_L1="E" Agent="Local" OpenIdClient="Job" /></Job>
  <Connector Identifier="HR" DisplayName_L1="HR" Agent="Local" IncrementalJob="‸" />
  <Connection Identifier="HRFile" DisplayName_L1="HR" Connector="HR" />`),
  'appsettings.agent.json': SETTINGS,
};

describe('editor features (engine level)', () => {
  let ws: Workspace;
  let set: ConfigurationSet;
  const file = () => ws.path('Conf/A.xml');
  const text = () => ws.marks['Conf/A.xml'].text;
  const cursor = (i: number) => ws.marks['Conf/A.xml'].cursors[i];
  const completeAt = (source: string, offset: number) => complete(set, file(), source, parseXml(source), offset);

  before(() => {
    ws = workspace(FILES);
    set = ws.check().sets[0];
  });
  after(() => ws.cleanup());

  it('completes element names under a Job: tasks, overrides and Step, with required attributes as a snippet', () => {
    const source = text().replace('</Job>', '<Ex</Job>');
    const entries = completeAt(source, source.indexOf('<Ex</Job>') + 3);
    const exportTask = entries.find((e) => e.label === 'ExportTask')!;
    assert.ok(exportTask, entries.map((e) => e.label).join(','));
    assert.match(exportTask.insertText, /^ExportTask Agent="\$\{1\}" OpenIdClient="\$\{2\}" DisplayName_L1="\$\{3\}"/);
    assert.ok(entries.some((e) => e.label === 'Step'));
    assert.ok(entries.some((e) => e.label === 'ExportTaskOverride'));
  });

  it('completes attribute names not yet present, required ones first', () => {
    const source = text().replace('<Connection Identifier="HRFile"', '<Connection  Identifier="HRFile"');
    const entries = completeAt(source, source.indexOf('<Connection  Identifier="HRFile"') + 12);
    const labels = entries.map((e) => e.label);
    for (const present of ['Identifier', 'DisplayName_L1', 'Connector']) assert.ok(!labels.includes(present), present);
    const sorted = [...entries].sort((a, b) => a.sortGroup - b.sortGroup || a.label.localeCompare(b.label));
    assert.equal(sorted[0].label, 'Package');
    assert.match(sorted[0].detail!, /^required /);
    assert.ok(labels.includes('DisplayName_L2')); // the next free member of the localized family
  });

  it('completes enumeration values with their numbers', () => {
    const entries = completeAt(text(), cursor(2));
    const used = entries.find((e) => e.label === 'Used')!;
    assert.equal(used.detail, '= 0');
    assert.deepEqual(entries.map((e) => e.label).sort(), ['NotUsed', 'OnlyProvisioning', 'OnlySynchronization', 'Used']);
  });

  it('offers the tasks of the same job first for ParentTask', () => {
    const entries = completeAt(text(), cursor(1));
    const first = entries.filter((e) => e.sortGroup === 0).map((e) => e.label).sort();
    assert.deepEqual(first, ['Export', 'Sync']);
    assert.ok(entries.some((e) => e.label === 'Elsewhere' && e.sortGroup === 1));
  });

  it('completes a connection from the XML and the agent settings, with its display name', () => {
    const entries = completeAt(text(), cursor(0));
    const adExport = entries.find((e) => e.label === 'ADExport')!;
    assert.match(adExport.detail!, /AD export/);
    assert.equal(text().slice(adExport.replace.start, adExport.replace.end), 'ADExport');
  });

  it('goes from an agent settings key to the XML <Connection>, and from XML to both', () => {
    const settingsFile = ws.path('appsettings.agent.json');
    const fromSettings = findDefinition(set, settingsFile, SETTINGS.indexOf('"ADExport"') + 2);
    assert.deepEqual(fromSettings.map((t) => t.file), [file()]);
    const fromTask = findDefinition(set, file(), cursor(0));
    assert.deepEqual(fromTask.map((t) => t.file), [file(), settingsFile]);
  });

  it('renames a connection in the XML and in the agent settings together', () => {
    assert.deepEqual(prepareRename(set, file(), cursor(0)), { span: { start: cursor(0) - 4, end: cursor(0) + 4 }, placeholder: 'ADExport' });
    const edits = rename(set, file(), cursor(0), 'ADExportMain');
    assert.ok(Array.isArray(edits));
    const files = (edits as { file: string }[]).map((e) => e.file.split('/').pop()).sort();
    assert.deepEqual(files, ['A.xml', 'A.xml', 'appsettings.agent.json']);
    assert.deepEqual(rename(set, file(), cursor(0), '1bad'), { error: "'1bad' is not a valid identifier (letters, digits, '_' and '-', not starting with a digit)." });
  });

  it('quick fixes: add missing required attributes; add connection settings keeping comments, with placeholders for secrets', () => {
    const diagnostics = set.diagnose(file());
    const actions = codeActions(set, diagnostics, (f) => fs.readFileSync(f, 'utf8'));
    const add = actions.find((a) => a.title === 'Add Package')!;
    assert.ok(add, actions.map((a) => a.title).join(' | '));
    assert.equal(add.edits[0].newText, ' Package=""');
    const stub = actions.find((a) => a.title.startsWith("Add settings for connection 'ADFulfill'"))!;
    assert.ok(stub, actions.map((a) => a.title).join(' | '));
    const edit = stub.edits[0];
    const updated = SETTINGS.slice(0, edit.span.start) + edit.newText + SETTINGS.slice(edit.span.end);
    assert.ok(updated.includes('// agent settings'));
    const parsed = JSON.parse(updated.replace(/\/\/.*$/m, ''));
    assert.deepEqual(Object.keys(parsed.Connections), ['ADExport', 'ADFulfill']);
    assert.deepEqual(Object.keys(parsed.Connections.ADFulfill).sort(), ['Filter', 'Servers']);
    assert.ok(updated.includes('<Filter>') && !/"Password"/.test(updated)); // placeholders, and no secret key the package does not require
  });
});

describe('agent settings features', () => {
  let ws: Workspace;
  let set: ConfigurationSet;
  const settingsText = (marked: string) => {
    const offset = marked.indexOf('‸');
    return { text: marked.replace('‸', ''), offset };
  };

  before(() => {
    ws = workspace({ ...FILES, 'Conf/A.xml': FILES['Conf/A.xml'].replace(/‸/g, '') });
    set = ws.check().sets[0];
  });
  after(() => ws.cleanup());

  it('completes Connections keys with the XML connections that have no settings yet', () => {
    const { text, offset } = settingsText(SETTINGS.replace('"ADExport": {', '"AD‸": {}, "ADExport": {'));
    const entries = completeSettings(set, text, offset);
    assert.deepEqual(entries.map((e) => e.label).sort(), ['ADFulfill', 'HRFile']);
    assert.equal(entries.find((e) => e.label === 'ADFulfill')!.insertText, '"ADFulfill"');
  });

  it('completes the settings a connection package needs, required first, secrets flagged', () => {
    const { text, offset } = settingsText(SETTINGS.replace('"Filter": "(objectClass=user)"', '"Filter": "(objectClass=user)", "‸"'));
    const entries = completeSettings(set, text, offset);
    const servers = entries.find((e) => e.label === 'Servers')!;
    assert.equal(servers.sortGroup, 0);
    assert.ok(!entries.some((e) => e.label === 'Filter'));
    assert.match(entries.find((e) => e.label === 'Password')!.detail!, /secret/);
  });

  it('completes AgentIdentifier with the declared agents and DefaultOpenIdClient with the client keys', () => {
    const agent = settingsText(SETTINGS.replace('"AgentIdentifier": "Local"', '"AgentIdentifier": "‸"'));
    assert.deepEqual(completeSettings(set, agent.text, agent.offset).map((e) => e.label), ['Local']);
    const client = settingsText(SETTINGS.replace('"DefaultOpenIdClient": "Job"', '"DefaultOpenIdClient": "‸"'));
    assert.deepEqual(completeSettings(set, client.text, client.offset).map((e) => e.label), ['Job']);
  });

  it('hovers a connection key with its XML <Connection>, and a setting with its package facts, never a value', () => {
    const settingsFile = ws.path('appsettings.agent.json');
    const onKey = hover(set, settingsFile, SETTINGS.indexOf('"ADExport"') + 3)!;
    assert.match(onKey.markdown, /Usercube\.AD@0000001/);
    assert.match(onKey.markdown, /A\.xml/);
    const onSetting = hover(set, settingsFile, SETTINGS.indexOf('"Filter"') + 2)!;
    assert.match(onSetting.markdown, /Required/);
    assert.ok(!onSetting.markdown.includes('objectClass=user'));
  });
});

describe('context-aware snippets', () => {
  it('offers synchronization jobs pre-filled for existing connectors, which expand to a valid configuration', () => {
    const ws = workspace({ ...FILES, 'Conf/A.xml': FILES['Conf/A.xml'].replace(/‸/g, '').replace('Connector="HR" />', 'Connector="HR" Package="Usercube.CSV@0000001" />') });
    try {
      const set = ws.check().sets[0];
      const source = conf('  <‸');
      const text = source.replace('‸', '');
      const entries = complete(set, ws.path('Conf/New.xml'), text, parseXml(text), source.indexOf('‸'));
      const labels = entries.filter((e) => e.label.startsWith('Job: ')).map((e) => e.label).sort();
      assert.deepEqual(labels, ['Job: complete synchronization of AD', 'Job: complete synchronization of HR', 'Job: incremental synchronization of AD', 'Job: incremental synchronization of HR']);
      // Expand every job snippet (placeholders take their defaults) into one file: the checker must find nothing in it.
      const expanded = entries
        .filter((e) => e.label.startsWith('Job: '))
        .map((e) => '  <' + e.insertText.replace(/\$\{\d+:([^}]*)\}/g, '$1').replace(/\$\d+/g, ''))
        .join('\n');
      fs.writeFileSync(ws.path('Conf/New.xml'), conf(expanded));
      const result = ws.check();
      assert.deepEqual(result.diagnostics.filter((d) => d.file.endsWith('New.xml')).map((d) => `${d.code}: ${d.message}`), []);
    } finally {
      ws.cleanup();
    }
  });
});

describe('semantic tokens', () => {
  it('mark names the checker reports as unresolved, at the same ranges', () => {
    const ws = workspace({ 'Conf/A.xml': conf('  <Agent Identifier="Local" DisplayName_L1="L" />\n  <Connector Identifier="AD" DisplayName_L1="AD" Agent="Local" />\n  <Connection Identifier="C" DisplayName_L1="C" Connector="ADD" Package="Usercube.AD@0000001" />') });
    try {
      const set = ws.check().sets[0];
      const file = ws.path('Conf/A.xml');
      const text = fs.readFileSync(file, 'utf8');
      const tokens = semanticTokens(set, file).map((t) => `${text.slice(t.span.start, t.span.end)}:${t.type}:${t.modifiers.join('+')}`);
      assert.ok(tokens.includes('ADD:variable:unresolved'), tokens.join(' '));
      assert.ok(tokens.includes('Local:variable:') && tokens.includes('AD:variable:declaration'), tokens.join(' '));
    } finally {
      ws.cleanup();
    }
  });
});

describe('completion in a large configuration', () => {
  // More entity types than one list holds: names are cut to the best-sorted ones matching what is typed.
  const count = MAX_NAME_ENTRIES + 200;
  const name = (i: number) => `A_Type_${String(i).padStart(4, '0')}`; // sorts before the built-in entity types
  const types = Array.from({ length: count }, (_, i) => `  <EntityType Identifier="${name(i)}" DisplayName_L1="T${i}" />`).join('\n');
  let ws: Workspace;
  let set: ConfigurationSet;
  const source = conf(`${types}\n  <EntityAssociation Identifier="A" DisplayName_L1="A" Property1="${name(0)}:x" Property2="${name(1)}:y" />\n  <EntityTypeMapping Identifier="‸" Connector="C" />`);
  const listAt = (text: string, offset: number) => completionList(set, ws.path('Conf/Types.xml'), text, parseXml(text), offset);

  before(() => {
    ws = workspace({ 'Conf/Types.xml': source });
    set = ws.check().sets[0];
  });
  after(() => ws.cleanup());

  it('offers the first names in sort order and says the list is incomplete', () => {
    const text = ws.marks['Conf/Types.xml'].text;
    const { entries, incomplete } = listAt(text, ws.marks['Conf/Types.xml'].cursors[0]);
    assert.equal(incomplete, true);
    assert.equal(entries.length, MAX_NAME_ENTRIES);
    assert.deepEqual(entries.slice(0, 3).map((e) => e.label), [name(0), name(1), name(2)]);
    assert.ok(!entries.some((e) => e.label === name(count - 1)));
    assert.match(entries[0].detail ?? '', /T0/);
  });

  it('filters on what is typed, so that names beyond the first list can be reached', () => {
    const base = ws.marks['Conf/Types.xml'];
    const at = base.cursors[0];
    const text = `${base.text.slice(0, at)}t_049${base.text.slice(at)}`;
    const { entries } = listAt(text, at + 5);
    assert.ok(entries.some((e) => e.label === name(count - 1)), entries.map((e) => e.label).join(','));
    assert.ok(entries.every((e) => /t.*_.*0.*4.*9/i.test(e.label)));
    assert.ok(!entries.some((e) => e.label === name(0)));
  });

  it('sees a name declared after the previous completion (the sorted names are not kept stale)', () => {
    const base = ws.marks['Conf/Types.xml'];
    const before = listAt(base.text, base.cursors[0]).entries.map((e) => e.label);
    assert.ok(!before.includes('A_Type_'));
    const text = base.text.replace('<EntityAssociation', '<EntityType Identifier="A_Type_" DisplayName_L1="New" />\n  <EntityAssociation');
    set.updateFile(ws.path('Conf/Types.xml'), text);
    const after = listAt(text, text.indexOf('EntityTypeMapping Identifier="') + 'EntityTypeMapping Identifier="'.length).entries;
    assert.equal(after[0].label, 'A_Type_');
    assert.match(after[0].detail ?? '', /New/);
  });
});
