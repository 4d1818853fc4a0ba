import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { parse as parseJsonc, type ParseError } from 'jsonc-parser';
import { checkPaths } from '../../server/src/engine/check';
import { complete } from '../../server/src/features/completion';
import { parseXml } from '../../server/src/syntax/parse';
import { loadSchema } from '../../server/src/schema/schema';
import { conf, workspace } from '../helpers';

const ROOT = path.resolve(__dirname, '../../..');
const SNIPPETS_FILE = path.join(ROOT, 'snippets/usercube.code-snippets');

interface SnippetDefinition {
  prefix: string | string[];
  description: string;
  body: string | string[];
}

function loadSnippets(): Record<string, SnippetDefinition> {
  const errors: ParseError[] = [];
  const data = parseJsonc(fs.readFileSync(SNIPPETS_FILE, 'utf8'), errors, { allowTrailingComma: false }) as Record<string, SnippetDefinition>;
  assert.deepEqual(errors, [], 'the snippet file is valid JSON with comments');
  return data;
}

const SNIPPETS = loadSnippets();
const bodyOf = (name: string) => [SNIPPETS[name].body].flat().join('\n');
const prefixesOf = (name: string) => [SNIPPETS[name].prefix].flat();

// ---------------------------------------------------------------------------------------------------------------
// A small expander for VS Code's snippet syntax: tab stops ($1, ${1}), placeholders (${1:default}, nested),
// choices (${1|a,b|}), variables ($NAME, ${NAME:default}) and escapes (\$, \}, \\).
// Each tab stop takes the value of its first placeholder with a default (or its first choice), as VS Code does
// when the user tabs through without typing; `values` overrides that, as if the user had typed something.

type Node =
  | { kind: 'text'; text: string }
  | { kind: 'tabstop'; index: number; children?: Node[]; choices?: string[] }
  | { kind: 'variable'; name: string; children?: Node[] };

function parseSnippet(source: string): Node[] {
  let pos = 0;
  function parseNodes(inPlaceholder: boolean): Node[] {
    const nodes: Node[] = [];
    let text = '';
    const flush = () => {
      if (text) nodes.push({ kind: 'text', text });
      text = '';
    };
    while (pos < source.length) {
      const ch = source[pos];
      if (ch === '\\' && pos + 1 < source.length && '$}\\'.includes(source[pos + 1])) {
        text += source[pos + 1];
        pos += 2;
      } else if (ch === '}' && inPlaceholder) {
        break;
      } else if (ch === '$') {
        const simple = /^\$(\d+|[A-Za-z_]\w*)/.exec(source.slice(pos));
        if (simple) {
          flush();
          pos += simple[0].length;
          nodes.push(/^\d/.test(simple[1]) ? { kind: 'tabstop', index: Number(simple[1]) } : { kind: 'variable', name: simple[1] });
          continue;
        }
        const braced = /^\$\{(\d+|[A-Za-z_]\w*)(:|\||\})/.exec(source.slice(pos));
        if (!braced) {
          text += ch;
          pos++;
          continue;
        }
        flush();
        pos += braced[0].length;
        const isTabstop = /^\d/.test(braced[1]);
        if (braced[2] === '}') {
          nodes.push(isTabstop ? { kind: 'tabstop', index: Number(braced[1]) } : { kind: 'variable', name: braced[1] });
        } else if (braced[2] === ':') {
          const children = parseNodes(true);
          assert.equal(source[pos], '}', `unterminated placeholder in ${source}`);
          pos++;
          nodes.push(isTabstop ? { kind: 'tabstop', index: Number(braced[1]), children } : { kind: 'variable', name: braced[1], children });
        } else {
          const end = source.indexOf('|}', pos);
          assert.ok(isTabstop && end > pos, `malformed choice in ${source}`);
          const choices = source.slice(pos, end).split(/(?<!\\),/).map((c) => c.replace(/\\([,|\\])/g, '$1'));
          pos = end + 2;
          nodes.push({ kind: 'tabstop', index: Number(braced[1]), choices });
        }
      } else {
        text += ch;
        pos++;
      }
    }
    flush();
    return nodes;
  }
  const nodes = parseNodes(false);
  assert.equal(pos, source.length, `unbalanced "}" in snippet ${source}`);
  return nodes;
}

interface Expansion {
  text: string;
  /** Tab stops (other than $0) that have neither a default, nor a choice, nor a given value. */
  bare: number[];
}

function expand(source: string, values: Record<number, string> = {}): Expansion {
  const nodes = parseSnippet(source);
  const definitions = new Map<number, Node & { kind: 'tabstop' }>();
  const visit = (list: Node[]) => {
    for (const node of list) {
      if (node.kind === 'text') continue;
      if (node.kind === 'tabstop' && (node.children || node.choices) && !definitions.has(node.index)) definitions.set(node.index, node);
      if (node.children) visit(node.children);
    }
  };
  visit(nodes);
  const bare = new Set<number>();
  const resolving = new Set<number>();
  const valueOf = (index: number): string => {
    if (index in values) return values[index];
    if (index === 0) return '';
    const definition = definitions.get(index);
    if (!definition) {
      bare.add(index);
      return `tabstop${index}`;
    }
    assert.ok(!resolving.has(index), `tab stop ${index} is defined through itself`);
    resolving.add(index);
    const value = definition.choices ? definition.choices[0] : render(definition.children!);
    resolving.delete(index);
    return value;
  };
  const render = (list: Node[]): string =>
    list
      .map((node) => {
        if (node.kind === 'text') return node.text;
        if (node.kind === 'tabstop') return valueOf(node.index);
        assert.fail(`snippets should not depend on editor variables ($${node.name}): their result could not be checked`);
      })
      .join('');
  return { text: render(nodes), bare: [...bare] };
}

// ---------------------------------------------------------------------------------------------------------------
// The workspace the snippets are expanded into: the declarations they name by default (agent "Local", profiles,
// OpenID client "Job", connector "HR" with its connection "HRExport" and entity type "HR_Person"), one element per
// fragment so that a snippet that declares one of them replaces exactly that fragment.

const FRAGMENTS = {
  agent: `  <Agent Identifier="Local" DisplayName_L1="Local agent" URI="https://agent.contoso.example" />`,
  administrator: `  <Profile Identifier="Administrator" DisplayName_L1="Administrator" />`,
  agentProfile: `  <Profile Identifier="AgentSynchro" DisplayName_L1="Agent - synchronization" />`,
  openIdClient: `  <OpenIdClient Identifier="Job" DisplayName_L1="Client for jobs" HashedSecret="K7gNU3sdo+Op8wNhqoVWhr5v6s1xYv72ol/pe/Unols=" Profile="AgentSynchro" />`,
  connector: `  <Connector Identifier="HR" DisplayName_L1="HR" Agent="Local" />`,
  connection: `  <Connection Identifier="HRExport" DisplayName_L1="HR - export" Connector="HR" Package="Usercube.CSV@0000001" />`,
  entityType: `  <EntityType Identifier="HR_Person" DisplayName_L1="HR - person">
    <Property Identifier="EmployeeId" DisplayName_L1="Employee ID" IsKey="true" TargetColumnIndex="0" Type="String" />
    <Property Identifier="FirstName" DisplayName_L1="First name" TargetColumnIndex="1" Type="String" />
    <Property Identifier="LastName" DisplayName_L1="Last name" TargetColumnIndex="2" Type="String" />
    <Property Identifier="Email" DisplayName_L1="Email" TargetColumnIndex="3" Type="String" />
    <Property Identifier="Manager" DisplayName_L1="Manager" TargetColumnIndex="128" Type="ForeignKey" />
    <Property Identifier="Subordinates" DisplayName_L1="Subordinates" Type="ForeignKey" />
  </EntityType>`,
  mapping: `  <EntityTypeMapping Identifier="HR_Person" Connector="HR" ConnectionTable="HRExport">
    <Property Identifier="EmployeeId" ConnectionColumn="employee_id" IsPrimaryKey="true" />
    <Property Identifier="FirstName" ConnectionColumn="first_name" />
    <Property Identifier="LastName" ConnectionColumn="last_name" />
    <Property Identifier="Email" ConnectionColumn="email" />
  </EntityTypeMapping>`,
  association: `  <EntityAssociation Identifier="HR_Person_Manager" DisplayName_L1="Manager" IsProperty1Collection="true" Property1="HR_Person:Subordinates" Property2="HR_Person:Manager" />`,
  associationMapping: `  <EntityAssociationMapping Identifier="HR_Person_Manager" Connector="HR" ConnectionTable="HRExport" Column1="manager_id" EntityPropertyMapping1="HR_Person:EmployeeId" Column2="employee_id" EntityPropertyMapping2="HR_Person:EmployeeId" />`,
};
type Fragment = keyof typeof FRAGMENTS;
const ALL = Object.keys(FRAGMENTS) as Fragment[];

/** Agent settings for the base workspace: the agent, the "Job" client (secret left as a placeholder) and the connection. */
const APPSETTINGS = `{
  // Agent settings of the snippet workspace. Secrets stay placeholders, as in a file committed to a repository.
  "OpenId": {
    "OpenIdClients": { "Job": "<secret>" },
    "DefaultOpenIdClient": "Job",
    "AgentIdentifier": "Local"
  },
  "Connections": {
    "HRExport": { "Path": "C:/Contoso/Sources/hr_people.csv", "Separator": ";" }
  }
}
`;

function baseFiles(without: Fragment[] = []): Record<string, string> {
  const kept = ALL.filter((f) => !without.includes(f));
  return {
    'Conf/Base.xml': conf(kept.map((f) => FRAGMENTS[f]).join('\n')),
    'appsettings.agent.json': APPSETTINGS,
  };
}

const indent = (text: string, by: string) => text.split('\n').map((line) => (line ? by + line : line)).join('\n');

/** Where each snippet is expanded, and which base fragments it replaces. Snippets not listed go at the root of a file. */
const CONTEXTS: Record<string, (text: string) => Record<string, string>> = {
  'Configuration file': (text) => ({ ...baseFiles(), 'Conf/Snippet.xml': text }),
  Agent: (text) => ({ ...baseFiles(['agent']), 'Conf/Snippet.xml': conf(indent(text, '  ')) }),
  Profile: (text) => ({ ...baseFiles(['agentProfile']), 'Conf/Snippet.xml': conf(indent(text, '  ')) }),
  'OpenID client': (text) => ({ ...baseFiles(['openIdClient']), 'Conf/Snippet.xml': conf(indent(text, '  ')) }),
  'Agent profile and permissions': (text) => ({ ...baseFiles(['agentProfile', 'openIdClient']), 'Conf/Snippet.xml': conf(indent(text, '  ')) }),
  'Connector skeleton': (text) => ({
    ...baseFiles(['connector', 'connection', 'entityType', 'mapping', 'association', 'associationMapping']),
    'Conf/Snippet.xml': conf(indent(text, '  ')),
  }),
  Connector: (text) => ({ ...baseFiles(['connector']), 'Conf/Snippet.xml': conf(indent(text, '  ')) }),
  Connection: (text) => ({ ...baseFiles(['connection']), 'Conf/Snippet.xml': conf(indent(text, '  ')) }),
  'Entity type': (text) => ({
    ...baseFiles(['entityType', 'mapping', 'association', 'associationMapping']),
    'Conf/Snippet.xml': conf(indent(text, '  ')),
  }),
  'Entity type property': (text) => inEntityType(text),
  'Entity type navigation property': (text) => inEntityType(text),
  'Entity association': (text) => ({ ...baseFiles(['association']), 'Conf/Snippet.xml': conf(indent(text, '  ')) }),
  'Entity type mapping': (text) => ({ ...baseFiles(['mapping']), 'Conf/Snippet.xml': conf(indent(text, '  ')) }),
  'Entity type mapping property': (text) => ({
    ...baseFiles(['mapping']),
    'Conf/Snippet.xml': conf(`  <EntityTypeMapping Identifier="HR_Person" Connector="HR" ConnectionTable="HRExport">
    <Property Identifier="EmployeeId" ConnectionColumn="employee_id" IsPrimaryKey="true" />
${indent(text, '    ')}
  </EntityTypeMapping>`),
  }),
  'Entity association mapping': (text) => ({ ...baseFiles(['associationMapping']), 'Conf/Snippet.xml': conf(indent(text, '  ')) }),
  'Export task': (text) => inJob(text, []),
  'Prepare synchronization task': (text) => inJob(text, [EXPORT_TASK]),
  'Synchronize task': (text) => inJob(text, [EXPORT_TASK, PREPARE_TASK]),
  'Task dependency': (text) =>
    inJob(`<SynchronizeTask Identifier="Test_Synchronize" DisplayName_L1="Test - synchronize" Connector="HR">
${indent(text, '  ')}
</SynchronizeTask>`, [EXPORT_TASK]),
  'Job step': (text) => ({
    ...baseFiles(),
    'Conf/Snippet.xml': conf(`${indent(EXPORT_TASK, '  ')}
  <Job Identifier="Test_Job" DisplayName_L1="Test job" Agent="Local">
${indent(text, '    ')}
  </Job>`),
  }),
};

const EXPORT_TASK = `<ExportTask Identifier="HR_Export" DisplayName_L1="HR - export" Agent="Local" OpenIdClient="Job" Connection="HRExport" />`;
const PREPARE_TASK = `<PrepareSynchronizationTask Identifier="HR_PrepareSynchronization" DisplayName_L1="HR - prepare synchronization" Agent="Local" OpenIdClient="Job" Connector="HR" SynchronizationMode="Complete">
  <TaskDependsOnTask ParentTask="HR_Export" />
</PrepareSynchronizationTask>`;

function inJob(text: string, before: string[]): Record<string, string> {
  return {
    ...baseFiles(),
    'Conf/Snippet.xml': conf(`  <Job Identifier="Test_Job" DisplayName_L1="Test job" Agent="Local">
${[...before, text].map((t) => indent(t, '    ')).join('\n')}
  </Job>`),
  };
}

function inEntityType(text: string): Record<string, string> {
  return {
    ...baseFiles(),
    'Conf/Snippet.xml': conf(`  <EntityType Identifier="Test_Entity" DisplayName_L1="Test entity">
    <Property Identifier="Code" DisplayName_L1="Code" IsKey="true" TargetColumnIndex="0" Type="String" />
${indent(text, '    ')}
  </EntityType>`),
  };
}

const atRoot = (text: string) => ({ ...baseFiles(), 'Conf/Snippet.xml': conf(indent(text, '  ')) });

/** Every diagnostic of a workspace, one readable line each (file:line:column code: message). */
function diagnose(files: Record<string, string>): string[] {
  const ws = workspace(files);
  try {
    const result = ws.check();
    return result.diagnostics.map((d) => {
      const at = result.linesOf(d.file)?.positionAt(d.span.start);
      const where = at ? `${at.line + 1}:${at.character + 1}` : `@${d.span.start}`;
      return `${path.relative(ws.dir, d.file).split(path.sep).join('/')}:${where} ${d.code}: ${d.message}`;
    });
  } finally {
    ws.cleanup();
  }
}

/** Prints a workspace with line numbers, for a failure message. */
function listing(files: Record<string, string>): string {
  return Object.entries(files)
    .map(([name, text]) => `--- ${name}\n${text.split('\n').map((line, i) => `${String(i + 1).padStart(3)} ${line}`).join('\n')}`)
    .join('\n');
}

// ---------------------------------------------------------------------------------------------------------------

describe('snippets: the file', () => {
  it('has a prefix starting with "uc-", a description and a body for every snippet; prefixes are unique', () => {
    const seen = new Map<string, string>();
    for (const [name, snippet] of Object.entries(SNIPPETS)) {
      assert.ok(prefixesOf(name).length > 0, name);
      for (const prefix of prefixesOf(name)) {
        assert.match(prefix, /^uc-[A-Za-z][-A-Za-z]*$/, `${name}: prefix ${prefix}`);
        assert.ok(!seen.has(prefix), `prefix ${prefix} of "${name}" is already used by "${seen.get(prefix)}"`);
        seen.set(prefix, name);
      }
      assert.ok(snippet.description && snippet.description.length > 20, `${name}: a description`);
      assert.ok(bodyOf(name).trim().length > 0, `${name}: a body`);
    }
    assert.ok(Object.keys(SNIPPETS).length >= 20, 'the snippet set');
  });

  it('gives every tab stop a default or choices, so that tabbing through yields valid configuration', () => {
    for (const name of Object.keys(SNIPPETS)) assert.deepEqual(expand(bodyOf(name)).bare, [], name);
  });

  it('offers only connection packages the schema knows', () => {
    const known = new Set(Object.keys(loadSchema().data.connectionPackages));
    for (const name of Object.keys(SNIPPETS)) {
      for (const match of bodyOf(name).matchAll(/Package="\$\{\d+\|([^|]*)\|\}"/g)) {
        for (const choice of match[1].split(',')) assert.ok(known.has(choice), `${name}: unknown package ${choice}`);
      }
    }
  });

  it('is offered by the language server only where the schema allows its first element (not inside values)', () => {
    const set = checkPaths([ROOT + '/examples'], loadSchema(), { useWorkspaceFile: false }).sets[0];
    const labelsAt = (source: string) => {
      const offset = source.indexOf('‸');
      const text = source.replace('‸', '');
      return complete(set, ROOT + '/examples/Conf/New.xml', text, parseXml(text), offset).filter((e) => e.kind === 'snippet').map((e) => e.label);
    };
    const atRootLevel = labelsAt(`<ConfigurationFile xmlns="urn:schemas-usercube-com:configuration">\n  ‸\n</ConfigurationFile>`);
    assert.ok(atRootLevel.includes('uc-connector-skeleton') && atRootLevel.includes('uc-job-complete'), atRootLevel.join(','));
    assert.ok(!atRootLevel.includes('uc-step') && !atRootLevel.includes('uc-file'));
    const inJob = labelsAt(`<ConfigurationFile xmlns="urn:schemas-usercube-com:configuration">\n  <Job Identifier="J" DisplayName_L1="J">‸</Job>\n</ConfigurationFile>`);
    assert.ok(inJob.includes('uc-step') && inJob.includes('uc-task-export') && !inJob.includes('uc-connector-skeleton'), inJob.join(','));
    assert.deepEqual(labelsAt(`<ConfigurationFile xmlns="urn:schemas-usercube-com:configuration">\n  <Connector Identifier="‸" />\n</ConfigurationFile>`), []);
    assert.ok(labelsAt('‸').includes('uc-file'));
    const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    assert.equal(manifest.contributes?.snippets, undefined, 'not contributed statically: VS Code would offer them inside attribute values too');
  });

  it('expands nested placeholders, mirrors, choices and escapes as VS Code does', () => {
    assert.equal(expand('<A X="${2:${1:HR}Export}" Y="$1" Z="${3|a,b|}" W="\\$1">$0').text, '<A X="HRExport" Y="HR" Z="a" W="$1">');
    assert.equal(expand('<A X="${2:${1:HR}Export}" Y="$1"/>', { 1: 'CRM' }).text, '<A X="CRMExport" Y="CRM"/>');
    assert.deepEqual(expand('<A X="$1"/>').bare, [1]);
  });
});

describe('snippets: every snippet expands to configuration without any diagnostic', () => {
  for (const name of Object.keys(SNIPPETS)) {
    it(`${prefixesOf(name)[0]} (${name})`, () => {
      const text = expand(bodyOf(name)).text;
      const files = (CONTEXTS[name] ?? atRoot)(text);
      const diagnostics = diagnose(files);
      assert.deepEqual(diagnostics, [], `${name} expanded to:\n${listing(files)}`);
    });
  }

  it('every context names an existing snippet', () => {
    for (const name of Object.keys(CONTEXTS)) assert.ok(SNIPPETS[name], `no snippet named "${name}"`);
  });

  it('the base workspace alone is valid', () => {
    assert.deepEqual(diagnose(baseFiles()), []);
  });
});

describe('snippets: a new connector built from snippets, with the names typed in', () => {
  it('connector skeleton, complete and incremental jobs, scaffoldings and permissions agree with each other', () => {
    const file = (body: string) => expand(bodyOf('Configuration file'), { 0: body }).text;
    const crm = { 1: 'CRM' };
    const files: Record<string, string> = {
      'Conf/Agent.xml': file(expand(bodyOf('Agent')).text),
      'Conf/Access.xml': file([
          expand(bodyOf('Agent profile and permissions')).text,
          expand(bodyOf('Profile'), { 1: 'Administrator', 2: 'Administrator' }).text,
          expand(bodyOf('Scaffolding: job execution permissions')).text,
        ].join('\n'),
      ),
      'Conf/CRM/CRM Connector.xml': file([
          expand(bodyOf('Connector skeleton'), { ...crm, 5: 'Usercube.SQL@0000001', 6: 'Contact', 7: 'ContactId', 9: 'FullName', 12: 'contact_id', 13: 'full_name', 14: 'owner_id' }).text,
          expand(bodyOf('Entity property expression'), { 1: 'CRM_Contact', 3: 'contact', 4: 'FullName', 5: 'ContactId' }).text,
        ].join('\n'),
      ),
      'Conf/CRM/CRM Jobs.xml': file([
          expand(bodyOf('Complete synchronization job'), crm).text,
          expand(bodyOf('Incremental synchronization job'), { ...crm, 8: 'Changes' }).text,
        ].join('\n'),
      ),
      'Conf/Agent Jobs.xml': file([expand(bodyOf('Scaffolding: complete synchronization job of an agent')).text, expand(bodyOf('Scaffolding: incremental synchronization job of an agent')).text].join('\n'),
      ),
      'appsettings.agent.json': `{
  "OpenId": { "OpenIdClients": { "Job": "<secret>" }, "DefaultOpenIdClient": "Job", "AgentIdentifier": "Local" },
  "Connections": { "CRMExport": { "ConnectionString": "<connection string>" } }
}
`,
    };
    assert.deepEqual(diagnose(files), [], listing(files));
    // The names typed at the first tab stop reach every mirror.
    assert.match(files['Conf/CRM/CRM Jobs.xml'], /<SynchronizeTask Identifier="CRM_Synchronize_Incremental"[^>]*Connector="CRM" Type="Changes" DoNotDeleteChanges="true">/);
    assert.match(files['Conf/CRM/CRM Connector.xml'], /EntityPropertyMapping1="CRM_Contact:ContactId" Column2="contact_id"/);
  });
});
