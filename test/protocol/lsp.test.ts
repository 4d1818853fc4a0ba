import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { CodeAction, CompletionList, DocumentSymbol, Hover, Location, SymbolInformation, WorkspaceEdit } from 'vscode-languageserver-protocol';
import { LineIndex } from '../../server/src/syntax/lineIndex';
import { conf, workspace, type Workspace } from '../helpers';
import { TestClient, uri } from './client';

/** A configuration with cursors (‸) where requests are made. */
const FILES: Record<string, string> = {
  'Conf/Agent.xml': conf(`  <Agent Identifier="Local" DisplayName_L1="Local agent" />
  <OpenIdClient Identifier="Job" HashedSecret="x" DisplayName_L1="Jobs" Profile="Administrator" />
  <Profile Identifier="Administrator" DisplayName_L1="Administrator" />`),
  'Conf/HR.xml': conf(`  <Connector Identifier="HR" DisplayName_L1="Human resources" Agent="Local" />
  <Connection Identifier="HRFile" DisplayName_L1="HR file" Connector="HR" Package="Usercube.CSV@0000001" />
  <EntityType Identifier="HR_Pe‸rson" DisplayName_L1="HR person">
    <Property Identifier="Mail" DisplayName_L1="Mail" TargetColumnIndex="5" />
    <Property Identifier="Manager" DisplayName_L1="Manager" />
    <Property Identifier="Reports" DisplayName_L1="Reports" />
  </EntityType>
  <EntityAssociation Identifier="HR_Person_Manager" DisplayName_L1="Manager" Property1="HR_Person:Manager" Property2="HR_Person:Reports" />`),
  'Conf/Jobs.xml': conf(`  <Job Identifier="HR_Sync" DisplayName_L1="HR sync" Agent="Local">
    <ExportTask Identifier="HR_Export" DisplayName_L1="Export" Agent="Local" OpenIdClient="Job" Connection="HRFile" />
    <PrepareSynchronizationTask Identifier="HR_Prepare" DisplayName_L1="Prepare" Agent="Local" OpenIdClient="Job" Connector="H‸R" SynchronizationMode="Complete">
      <TaskDependsOnTask ParentTask="HR_Export" />
    </PrepareSynchronizationTask>
  </Job>
  <EntityPropertyExpression Identifier="HR_Boss_Mail" EntityType="HR_Person" Property="Mail" Binding="HR_Person:Manager.‸Mail" Expression="C#:v:return v;" />
  <Frobnicate‸ />`),
  'appsettings.agent.json': `{ "OpenId": { "AgentIdentifier": "Local", "OpenIdClients": { "Job": "secret" }, "DefaultOpenIdClient": "Job" },
  "Connections": { "HRFile": { "Path": "C:/hr.csv" } } }`,
};

describe('language server over stdio', () => {
  let ws: Workspace;
  let client: TestClient;
  const file = (relative: string) => ws.path(relative);
  const position = (relative: string, cursor = 0) => {
    const mark = ws.marks[relative];
    return new LineIndex(mark.text).positionAt(mark.cursors[cursor]);
  };

  before(async () => {
    ws = workspace(FILES);
    client = new TestClient();
    await client.initialize(ws.dir);
    await client.ready();
  });

  after(async () => {
    await client.stop();
    ws.cleanup();
  });

  it('publishes diagnostics of files nobody opened', async () => {
    await client.until(() => client.codesOf(file('Conf/Jobs.xml')).includes('unknown-element'), 'diagnostics of Jobs.xml');
    const diagnostic = client.diagnostics.get(file('Conf/Jobs.xml'))!.find((d) => d.code === 'unknown-element')!;
    assert.equal(diagnostic.source, 'usercube-conf');
    assert.deepEqual(diagnostic.range.start, { line: position('Conf/Jobs.xml', 2).line, character: 3 });
    assert.deepEqual(client.codesOf(file('Conf/HR.xml')), []);
  });

  it('reports indexing progress with a file count', () => {
    const progress = client.progress.map((p) => JSON.stringify(p));
    assert.ok(progress.some((p) => /Indexing configuration: \d+\/\d+ files/.test(p)), progress.join('\n'));
  });

  it('completes a Connector value with the declared connectors', async () => {
    await client.open(file('Conf/Jobs.xml'), ws.marks['Conf/Jobs.xml'].text);
    const list = await client.request<CompletionList>('textDocument/completion', { textDocument: { uri: uri(file('Conf/Jobs.xml')) }, position: position('Conf/Jobs.xml', 0) });
    assert.equal(list.isIncomplete, false, 'a small configuration gets every name at once');
    const items = list.items;
    const hr = items.find((i) => i.label === 'HR');
    assert.ok(hr, items.map((i) => i.label).join(','));
    assert.match(hr!.detail ?? '', /Human resources/);
  });

  it('completes binding segments with the properties of the navigation target', async () => {
    const { items } = await client.request<CompletionList>('textDocument/completion', { textDocument: { uri: uri(file('Conf/Jobs.xml')) }, position: position('Conf/Jobs.xml', 1) });
    const labels = items.map((i) => i.label);
    for (const expected of ['Mail', 'Manager', 'Reports']) assert.ok(labels.includes(expected), labels.join(','));
  });

  it('goes to the definition of a reference in another file', async () => {
    const locations = await client.request<Location[]>('textDocument/definition', { textDocument: { uri: uri(file('Conf/Jobs.xml')) }, position: position('Conf/Jobs.xml', 0) });
    assert.equal(locations.length, 1);
    assert.equal(locations[0].uri, uri(file('Conf/HR.xml')));
    assert.equal(locations[0].range.start.line, 2);
  });

  it('finds the references of an entity type across files, bindings included', async () => {
    const locations = await client.request<Location[]>('textDocument/references', { textDocument: { uri: uri(file('Conf/HR.xml')) }, position: position('Conf/HR.xml'), context: { includeDeclaration: true } });
    const byFile = locations.map((l) => l.uri.split('/').pop());
    assert.ok(byFile.filter((f) => f === 'HR.xml').length >= 3, byFile.join(','));
    assert.ok(byFile.filter((f) => f === 'Jobs.xml').length >= 2, byFile.join(','));
  });

  it('renames an entity type everywhere it is used', async () => {
    const prepared = await client.request<{ placeholder: string }>('textDocument/prepareRename', { textDocument: { uri: uri(file('Conf/HR.xml')) }, position: position('Conf/HR.xml') });
    assert.equal(prepared.placeholder, 'HR_Person');
    const edit = await client.request<WorkspaceEdit>('textDocument/rename', { textDocument: { uri: uri(file('Conf/HR.xml')) }, position: position('Conf/HR.xml'), newName: 'HR_Worker' });
    const hrEdits = edit.changes![uri(file('Conf/HR.xml'))];
    const jobEdits = edit.changes![uri(file('Conf/Jobs.xml'))];
    assert.equal(hrEdits.length, 3); // the declaration and both association ends
    assert.equal(jobEdits.length, 2); // EntityType= and the binding's first segment
    assert.ok([...hrEdits, ...jobEdits].every((e) => e.newText === 'HR_Worker'));
  });

  it('refuses to rename what is not a symbol', async () => {
    await assert.rejects(client.request('textDocument/prepareRename', { textDocument: { uri: uri(file('Conf/Jobs.xml')) }, position: { line: 0, character: 2 } }));
  });

  it('hovers a reference with what it points to', async () => {
    const hover = await client.request<Hover>('textDocument/hover', { textDocument: { uri: uri(file('Conf/Jobs.xml')) }, position: position('Conf/Jobs.xml', 0) });
    const value = (hover.contents as { value: string }).value;
    assert.match(value, /connector/);
    assert.match(value, /Human resources/);
    assert.match(value, /HR\.xml/);
  });

  it('hovers an element name with its documentation link', async () => {
    const hover = await client.request<Hover>('textDocument/hover', { textDocument: { uri: uri(file('Conf/HR.xml')) }, position: { line: position('Conf/HR.xml').line, character: 4 } });
    const value = (hover.contents as { value: string }).value;
    assert.match(value, /EntityType/);
    assert.match(value, /https:\/\/docs\.netwrix\.com\/docs\/identitymanager\/6_2\/integration-guide\/toolkit\/xml-configuration\/metadata\/entitytype\)/);
  });

  it('outlines jobs with their tasks and entity types with their properties', async () => {
    const symbols = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri: uri(file('Conf/Jobs.xml')) } });
    const job = symbols.find((s) => s.name === 'HR_Sync')!;
    assert.deepEqual(job.children!.map((c) => c.name), ['HR_Export', 'HR_Prepare']);
    const hr = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri: uri(file('Conf/HR.xml')) } });
    assert.deepEqual(hr.find((s) => s.name === 'HR_Person')!.children!.map((c) => c.name), ['Mail', 'Manager', 'Reports']);
  });

  it('classifies identifiers in values with semantic tokens (entity types, properties, declarations)', async () => {
    assert.ok(client.tokenTypes.length > 0, 'the server announces a token legend');
    const result = await client.request<{ data: number[] }>('textDocument/semanticTokens/full', { textDocument: { uri: uri(file('Conf/Jobs.xml')) } });
    const decoded: { line: number; char: number; length: number; type: number }[] = [];
    let line = 0;
    let char = 0;
    for (let i = 0; i < result.data.length; i += 5) {
      line += result.data[i];
      char = result.data[i] === 0 ? char + result.data[i + 1] : result.data[i + 1];
      decoded.push({ line, char, length: result.data[i + 2], type: result.data[i + 3] });
    }
    const text = ws.marks['Conf/Jobs.xml'].text.split('\n');
    const words = decoded.map((t) => `${text[t.line].slice(t.char, t.char + t.length)}:${client.tokenTypes[t.type]}`);
    assert.ok(words.includes('HR_Person:class'), words.join(' '));
    assert.ok(words.includes('Manager:property'), words.join(' '));
    assert.ok(words.includes('HR_Export:function'), words.join(' '));
    assert.ok(!words.some((w) => w.startsWith('Frobnicate')), 'an unknown element is not a token');
  });

  it('finds declarations with workspace symbols', async () => {
    const symbols = await client.request<SymbolInformation[]>('workspace/symbol', { query: 'hrprep' });
    assert.deepEqual(symbols.map((s) => s.name), ['HR_Prepare']);
  });

  it('offers a quick fix for a misspelled element', async () => {
    const jobs = file('Conf/Jobs.xml');
    const text = fs.readFileSync(jobs, 'utf8').replace('<Frobnicate />', '<LDAPResourceTypeMapping Identifier="X" />');
    await client.open(jobs, text);
    await client.until(() => client.codesOf(jobs).includes('unknown-element') && (client.diagnostics.get(jobs) ?? []).some((d) => String(d.message).includes('LDAP')), 'the new diagnostic');
    const diagnostic = client.diagnostics.get(jobs)!.find((d) => d.code === 'unknown-element')!;
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: uri(jobs) }, range: diagnostic.range, context: { diagnostics: [diagnostic] } });
    const fix = actions.find((a) => a.title === "Change to 'LdapResourceTypeMapping'");
    assert.ok(fix, actions.map((a) => a.title).join(','));
    assert.equal(fix!.edit!.changes![uri(jobs)][0].newText, 'LdapResourceTypeMapping');
  });

  it('updates diagnostics of other files when an open document changes (unsaved text wins)', async () => {
    const hr = file('Conf/HR.xml');
    const jobs = file('Conf/Jobs.xml');
    const text = fs.readFileSync(hr, 'utf8').replace('Identifier="HR"', 'Identifier="HumanResources"');
    await client.open(hr, fs.readFileSync(hr, 'utf8'));
    await client.change(hr, text, 2);
    await client.until(() => client.codesOf(jobs).includes('unresolved-reference'), 'an unresolved connector in Jobs.xml');
    await client.change(hr, fs.readFileSync(hr, 'utf8'), 3);
    await client.until(() => !client.codesOf(jobs).includes('unresolved-reference'), 'the diagnostic to go away');
    await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: uri(hr) } });
  });

  it('follows files changed and deleted on disk (watched files)', async () => {
    const hr = file('Conf/HR.xml');
    const jobs = file('Conf/Jobs.xml');
    const unresolved = () => (client.diagnostics.get(jobs) ?? []).filter((d) => d.code === 'unresolved-reference').map((d) => String(d.message));
    fs.writeFileSync(hr, fs.readFileSync(hr, 'utf8').replace('Identifier="HR"', 'Identifier="HumanResources"'));
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri(hr), type: 2 }] });
    await client.until(() => unresolved().some((m) => m.includes("'HR'")), 'Connector="HR" to become unresolved after a change on disk');
    fs.rmSync(hr);
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri(hr), type: 3 }] });
    await client.until(() => unresolved().some((m) => m.includes("'HR_Person'")), 'HR_Person to become unresolved after a deletion');
  });

  it('analyses a configuration file opened from outside the workspace folders, with its set', async () => {
    const outside = workspace({
      'Conf/A.xml': conf('  <Agent Identifier="Remote" DisplayName_L1="R" />'),
      'Conf/B.xml': conf('  <Connector Identifier="X" DisplayName_L1="X" Agent="Remote" Frob="1" />'),
    });
    try {
      const b = outside.path('Conf/B.xml');
      await client.open(b, outside.marks['Conf/B.xml'].text);
      await client.until(() => client.codesOf(b).includes('unknown-attribute'), 'diagnostics of a file outside the workspace');
      assert.deepEqual(client.codesOf(b), ['unknown-attribute']); // Agent="Remote" resolves against A.xml
    } finally {
      outside.cleanup();
    }
  });
});
