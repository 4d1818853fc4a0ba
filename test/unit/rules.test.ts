import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { conf, found, marked, workspace } from '../helpers';

/** A small valid configuration the rule fixtures build on. */
const BASE: Record<string, string> = {
  'Conf/Agent.xml': conf(`  <Agent Identifier="Local" DisplayName_L1="Local agent" URI="http://localhost:5001" />
  <OpenIdClient Identifier="Job" HashedSecret="K7gNU3sdo+Op8wNhqoVWhr5v6s1xYv72ol/pe/Unols=" DisplayName_L1="Jobs" Profile="Administrator" />
  <Profile Identifier="Administrator" DisplayName_L1="Administrator" />`),
  'Conf/AD/AD Connector.xml': conf(`  <Connector Identifier="AD" DisplayName_L1="Active Directory" Agent="Local" />
  <Connection Identifier="ADExport" DisplayName_L1="AD export" Connector="AD" Package="Usercube.AD@0000001" />
  <EntityType Identifier="AD_Entry" DisplayName_L1="AD entry">
    <Property Identifier="dn" DisplayName_L1="DN" TargetColumnIndex="4" />
    <Property Identifier="mail" DisplayName_L1="Mail" TargetColumnIndex="5" />
    <Property Identifier="manager" DisplayName_L1="Manager" Type="ForeignKey" TargetColumnIndex="128" />
    <Property Identifier="directReports" DisplayName_L1="Direct reports" />
  </EntityType>
  <EntityAssociation Identifier="AD_Entry_Manager" DisplayName_L1="Manager" Property1="AD_Entry:manager" Property2="AD_Entry:directReports" />`),
  'appsettings.agent.json': `{
  // agent settings
  "OpenId": { "AgentIdentifier": "Local", "OpenIdClients": { "Job": "<from the vault>" }, "DefaultOpenIdClient": "Job" },
  "Connections": { "ADExport": { "Servers": [{ "Server": "dc.contoso.com", "BaseDN": "DC=contoso,DC=com" }], "Filter": "(objectClass=user)" } }
}`,
};

function check(files: Record<string, string>, code: string) {
  const ws = workspace({ ...BASE, ...files });
  try {
    const result = ws.check();
    const expected = Object.keys(files).flatMap((f) => (ws.marks[f] ? marked(ws, f) : []));
    return { actual: found(result, ws, code).sort(), expected: expected.sort(), all: result.diagnostics };
  } finally {
    ws.cleanup();
  }
}

describe('the base fixture', () => {
  it('is valid: no diagnostic at all', () => {
    const ws = workspace(BASE);
    try {
      const result = ws.check();
      assert.deepEqual(result.diagnostics.map((d) => `${d.code}: ${d.message}`), []);
      assert.equal(result.files, 2);
    } finally {
      ws.cleanup();
    }
  });
});

describe('rules', () => {
  it('xml-syntax: reports malformed XML where it is', () => {
    const r = check({ 'Conf/Broken.xml': conf(`  <Agent Identifier="Other" DisplayName_L1="x" ⟦/⟧ >`) }, 'xml-syntax');
    assert.ok(r.actual.length >= 1, JSON.stringify(r.all));
    assert.equal(r.actual[0], r.expected[0]);
  });

  it('xml-syntax: a closing tag that does not match its opening tag', () => {
    const r = check({ 'Conf/Broken.xml': conf(`  <Job Identifier="J" DisplayName_L1="J"></⟦Jbo⟧>`) }, 'xml-syntax');
    assert.deepEqual(r.actual, r.expected);
  });

  it('duplicate-attribute: the second occurrence, with a fix that deletes it', () => {
    const r = check({ 'Conf/Jobs.xml': conf(`  <SynchronizeTask Identifier="Sync_A" Type="ActiveDirectory" ⟦Identifier⟧="Sync_B" Connector="AD" DisplayName_L1="Sync" />`) }, 'duplicate-attribute');
    assert.deepEqual(r.actual, r.expected);
    const diagnostic = r.all.find((d) => d.code === 'duplicate-attribute')!;
    assert.ok(diagnostic.fix?.deleteSpan);
    assert.equal(diagnostic.related?.length, 1);
  });

  it('unknown-element: a misspelled element, with the right spelling suggested', () => {
    const r = check({ 'Conf/Map.xml': conf(`  <⟦LDAPResourceTypeMapping⟧ Identifier="X" Connection="ADExport" />`) }, 'unknown-element');
    assert.deepEqual(r.actual, r.expected);
    const diagnostic = r.all.find((d) => d.code === 'unknown-element')!;
    assert.equal(diagnostic.severity, 'warning');
    assert.deepEqual(diagnostic.fix?.replacements, ['LdapResourceTypeMapping']);
  });

  it('unknown-element: only the outermost unknown element of a subtree', () => {
    const r = check({ 'Conf/X.xml': conf(`  <⟦Frobnicate⟧><Nested/></Frobnicate>`) }, 'unknown-element');
    assert.deepEqual(r.actual, r.expected);
  });

  it('unknown-attribute: TaskEntityType Identifier= where EntityType= is meant', () => {
    const r = check(
      { 'Conf/Jobs.xml': conf(`  <UpdateEntityPropertyExpressionsTask Identifier="Compute" DisplayName_L1="Compute"><TaskEntityType ⟦Identifier⟧="AD_Entry"/></UpdateEntityPropertyExpressionsTask>`) },
      'unknown-attribute',
    );
    assert.deepEqual(r.actual, r.expected);
    assert.deepEqual(r.all.find((d) => d.code === 'unknown-attribute')!.fix?.replacements, ['EntityType']);
    assert.ok(r.all.some((d) => d.code === 'missing-attribute' && d.message.includes("'EntityType'")));
  });

  it('unknown-attribute: localized families stop at L16; ConsolidationMode is accepted anywhere', () => {
    const r = check(
      { 'Conf/X.xml': conf(`  <Connector Identifier="HR" DisplayName_L1="HR" DisplayName_L16="HR" ⟦DisplayName_L17⟧="HR" Agent="Local" />\n  <Connector Identifier="AD" ConsolidationMode="Merge" MaximumDeletedLines="5" />`) },
      'unknown-attribute',
    );
    assert.deepEqual(r.actual, r.expected);
  });

  it('missing-attribute: required attributes, except on Merge elements', () => {
    const r = check(
      {
        'Conf/X.xml': conf(`  <⟦Connection⟧ Identifier="HRFile" DisplayName_L1="HR" Connector="AD" />\n  <Connection Identifier="ADExport" ConsolidationMode="Merge" DisplayName_L2="Export AD" />`),
      },
      'missing-attribute',
    );
    assert.deepEqual(r.actual, r.expected);
    assert.match(r.all.find((d) => d.code === 'missing-attribute')!.message, /'Package'/);
  });

  it('invalid-value: Booleans, integers and closed enumerations', () => {
    const r = check(
      {
        'Conf/X.xml': conf(`  <Job Identifier="J1" DisplayName_L1="J" Agent="Local" IsIncremental="⟦yes⟧" LogLevel="Warning" />
  <Job Identifier="J2" DisplayName_L1="J" Agent="Local" IsIncremental="1" CronTimeZone="⟦Paris⟧" />
  <Connector Identifier="HR" DisplayName_L1="HR" Agent="Local" MaximumDeletedLines="⟦lots⟧" CompleteJob="NotUsed" />`),
      },
      'invalid-value',
    );
    assert.deepEqual(r.actual, r.expected);
  });

  it('duplicate-identifier: reported at every site, with the others as related locations', () => {
    const r = check(
      {
        'Conf/A.xml': conf(`  <EntityType Identifier="⟦HR_Person⟧" DisplayName_L1="Person" />`),
        'Conf/B.xml': conf(`  <EntityType Identifier="⟦HR_Person⟧" DisplayName_L1="Person" />\n  <EntityType Identifier="HR_Person" ConsolidationMode="Merge"><Property Identifier="Mail" /></EntityType>`),
      },
      'duplicate-identifier',
    );
    assert.deepEqual(r.actual, r.expected);
    for (const d of r.all.filter((x) => x.code === 'duplicate-identifier')) assert.equal(d.related?.length, 1);
  });

  it('duplicate-identifier: tasks share one namespace across jobs; properties are scoped to their entity type', () => {
    const r = check(
      {
        'Conf/Jobs.xml': conf(`  <Job Identifier="J1" DisplayName_L1="J1" Agent="Local"><GenerateProvisioningOrdersTask Identifier="⟦AD_Provisioning⟧" DisplayName_L1="P" Connector="AD"/></Job>
  <Job Identifier="J2" DisplayName_L1="J2" Agent="Local"><GenerateProvisioningOrdersTask Identifier="⟦AD_Provisioning⟧" DisplayName_L1="P" Connector="AD"/></Job>
  <EntityType Identifier="HR_A" DisplayName_L1="A"><Property Identifier="Name" /></EntityType>
  <EntityType Identifier="HR_B" DisplayName_L1="B"><Property Identifier="Name" /><Property Identifier="⟦Code⟧" /><Property Identifier="⟦Code⟧" /></EntityType>`),
      },
      'duplicate-identifier',
    );
    assert.deepEqual(r.actual, r.expected);
  });

  it('unresolved-reference: with a "did you mean" for near misses', () => {
    const r = check(
      {
        'Conf/X.xml': conf(`  <Connection Identifier="ADFulfill" DisplayName_L1="F" Connector="⟦AD_⟧" Package="Usercube.AD@0000001" />
  <ExportTask Identifier="Export" DisplayName_L1="E" Agent="Local" OpenIdClient="Job" Connection="⟦ADExprt⟧" />`),
      },
      'unresolved-reference',
    );
    assert.deepEqual(r.actual, r.expected);
    const suggestions = r.all.filter((d) => d.code === 'unresolved-reference').map((d) => d.fix?.replacements?.[0]);
    assert.deepEqual(suggestions.sort(), ['AD', 'ADExport']);
  });

  it('unresolved-reference: a name known both in XML and in the settings is suggested once', () => {
    const r = check({ 'Conf/X.xml': conf(`  <Connector Identifier="HR" DisplayName_L1="HR" Agent="⟦Locl⟧" />`) }, 'unresolved-reference');
    assert.deepEqual(r.actual, r.expected);
    assert.deepEqual(r.all.find((d) => d.code === 'unresolved-reference')!.fix?.replacements, ['Local']);
  });

  it('unresolved-reference: a task Connection found only in the agent settings resolves', () => {
    const r = check(
      { 'Conf/X.xml': conf(`  <ExportTask Identifier="Export" DisplayName_L1="E" Agent="Local" OpenIdClient="Job" Connection="ADExport" />`) },
      'unresolved-reference',
    );
    assert.deepEqual(r.actual, []);
  });

  it('unresolved-binding: points at the failing segment, through multi-hop associations', () => {
    const r = check(
      {
        'Conf/Notif.xml': conf(`  <EntityPropertyExpression Identifier="Boss_Mail" EntityType="AD_Entry" Property="mail" Binding="AD_Entry:manager.manager.⟦mial⟧" Expression="C#:v:return v;" />
  <EntityPropertyExpression Identifier="Boss_Mail2" EntityType="AD_Entry" Property="mail" Binding="AD_Entry:manager.directReports.mail" Expression="C#:v:return v;" />
  <EntityAssociation Identifier="Bad" DisplayName_L1="Bad" Property1="⟦AD_Entyr⟧:manager" Property2="AD_Entry:directReports" />`),
      },
      'unresolved-binding',
    );
    assert.deepEqual(r.actual, r.expected);
  });

  it('task-not-in-job: a ParentTask that exists but belongs to another job', () => {
    const r = check(
      {
        'Conf/Jobs.xml': conf(`  <Job Identifier="Complete" DisplayName_L1="C" Agent="Local">
    <ExportTask Identifier="Export_Complete" DisplayName_L1="E" Agent="Local" OpenIdClient="Job" Connection="ADExport" />
  </Job>
  <PrepareSynchronizationTask Identifier="Prepare_Delta" DisplayName_L1="P" Agent="Local" OpenIdClient="Job" Connector="AD" SynchronizationMode="Incremental" />
  <Job Identifier="Delta" DisplayName_L1="D" Agent="Local">
    <ExportTask Identifier="Export_Delta" DisplayName_L1="E" Agent="Local" OpenIdClient="Job" Connection="ADExport" />
    <SynchronizeTask Identifier="Sync_Delta" DisplayName_L1="S" Connector="AD" DoNotDeleteChanges="true">
      <TaskDependsOnTask ParentTask="⟦Export_Complete⟧" />
      <TaskDependsOnTask ParentTask="⟦Prepare_Delta⟧" />
      <TaskDependsOnTask ParentTask="Export_Delta" />
    </SynchronizeTask>
  </Job>`),
      },
      'task-not-in-job',
    );
    assert.deepEqual(r.actual, r.expected);
  });

  it('task-not-in-job: a task placed in the job with <Step> is part of it', () => {
    const r = check(
      {
        'Conf/Jobs.xml': conf(`  <PrepareSynchronizationTask Identifier="Prepare_Delta" DisplayName_L1="P" Agent="Local" OpenIdClient="Job" Connector="AD" SynchronizationMode="Incremental" />
  <Job Identifier="Delta" DisplayName_L1="D" Agent="Local">
    <Step Identifier="Prepare_Delta" />
    <SynchronizeTask Identifier="Sync_Delta" DisplayName_L1="S" Connector="AD"><TaskDependsOnTask ParentTask="Prepare_Delta" /></SynchronizeTask>
  </Job>`),
      },
      'task-not-in-job',
    );
    assert.deepEqual(r.actual, []);
  });

  it('missing-connection-settings: a connection whose package needs agent settings, absent from Connections', () => {
    const r = check(
      { 'Conf/X.xml': conf(`  <Connection Identifier="⟦ADFulfillment⟧" DisplayName_L1="F" Connector="AD" Package="Usercube.AD@0000001" />`) },
      'missing-connection-settings',
    );
    assert.deepEqual(r.actual, r.expected);
  });

  it('missing-connection-settings: silent for a connector of another agent and when keys are in the encrypted file', () => {
    const r = check(
      {
        'Conf/X.xml': conf(`  <Agent Identifier="Remote" DisplayName_L1="Remote" />
  <Connector Identifier="HR" DisplayName_L1="HR" Agent="Remote" />
  <Connection Identifier="HRFile" DisplayName_L1="HR" Connector="HR" Package="Usercube.CSV@0000001" />
  <Connection Identifier="ADFulfillment" DisplayName_L1="F" Connector="AD" Package="Usercube.AD@0000001" />`),
        'appsettings.encrypted.agent.json': `{ "Connections": { "ADFulfillment": { "Login": "protected" } } }`,
      },
      'missing-connection-settings',
    );
    assert.deepEqual(r.actual, []);
  });

  it('invalid-json: a missing comma in appsettings.agent.json, at its place', () => {
    const r = check(
      {
        'appsettings.agent.json': `{
  "OpenId": { "AgentIdentifier": "Local", "OpenIdClients": { "Job": "<from the vault>" }, "DefaultOpenIdClient": "Job" },
  "Connections": {
    "ADExport": {
      "Server": "https://contoso.sharepoint.com/",
      "Password": "x"
      ⟦"CsvUrls"⟧: "C:/Temp/sites.csv"
    }
  }
}`,
      },
      'invalid-json',
    );
    assert.deepEqual(r.actual, r.expected);
  });
});

describe('rules beyond the issue list', () => {
  it('task-dependency-cycle: tasks that wait for each other', () => {
    const r = check(
      {
        'Conf/Jobs.xml': conf(`  <Job Identifier="J" DisplayName_L1="J" Agent="Local">
    <ExportTask Identifier="A" DisplayName_L1="A" Agent="Local" OpenIdClient="Job" Connection="ADExport"><TaskDependsOnTask ParentTask="⟦B⟧" /></ExportTask>
    <SynchronizeTask Identifier="B" DisplayName_L1="B" Connector="AD"><TaskDependsOnTask ParentTask="⟦A⟧" /></SynchronizeTask>
    <SynchronizeTask Identifier="C" DisplayName_L1="C" Connector="AD"><TaskDependsOnTask ParentTask="⟦C⟧" /><TaskDependsOnTask ParentTask="A" /></SynchronizeTask>
  </Job>`),
      },
      'task-dependency-cycle',
    );
    assert.deepEqual(r.actual, r.expected);
  });

  it('override-mismatch: an override naming a task of another type', () => {
    const r = check(
      {
        'Conf/Jobs.xml': conf(`  <ExportTask Identifier="Export" DisplayName_L1="E" Agent="Local" OpenIdClient="Job" Connection="ADExport" />
  <Job Identifier="J" DisplayName_L1="J" Agent="Local">
    <FulfillTaskOverride Identifier="⟦Export⟧" ContinueOnError="true" />
    <ExportTaskOverride Identifier="Export" ContinueOnError="true" />
  </Job>`),
      },
      'override-mismatch',
    );
    assert.deepEqual(r.actual, r.expected);
  });

  it('ConsolidationMode="Delete" removes rather than declares', () => {
    const r = check(
      { 'Conf/X.xml': conf(`  <Connector Identifier="HR" ConsolidationMode="Delete" />\n  <Connection Identifier="HRFile" DisplayName_L1="HR" Connector="⟦HR⟧" Package="Usercube.CSV@0000001" />`) },
      'unresolved-reference',
    );
    assert.deepEqual(r.actual, r.expected);
  });
});

describe('agent settings rules', () => {
  const settings = (body: string) => ({ 'appsettings.agent.json': body });

  it('settings-unknown-agent: an AgentIdentifier that no <Agent> declares', () => {
    const r = check(settings(`{ "OpenId": { "AgentIdentifier": "⟦Locl⟧", "OpenIdClients": { "Job": "<vault>" }, "DefaultOpenIdClient": "Job" } }`), 'settings-unknown-agent');
    assert.deepEqual(r.actual, r.expected);
    assert.deepEqual(r.all.find((d) => d.code === 'settings-unknown-agent')!.fix?.replacements, ['Local']);
  });

  it('settings-unknown-default-client: DefaultOpenIdClient missing from OpenIdClients', () => {
    const r = check(settings(`{ "OpenId": { "AgentIdentifier": "Local", "OpenIdClients": { "Job": "<vault>" }, "DefaultOpenIdClient": "⟦Jobs⟧" } }`), 'settings-unknown-default-client');
    assert.deepEqual(r.actual, r.expected);
  });

  it('settings-unknown-openid-client: an OpenIdClients key with no <OpenIdClient>', () => {
    const r = check(settings(`{ "OpenId": { "AgentIdentifier": "Local", "OpenIdClients": { "Job": "<vault>", "⟦Provisioning⟧": "<vault>" }, "DefaultOpenIdClient": "Job" } }`), 'settings-unknown-openid-client');
    assert.deepEqual(r.actual, r.expected);
  });

  it('unused-connection-settings: an entry no <Connection> and no task names (a hint), used ones are quiet', () => {
    const r = check(
      {
        'Conf/T.xml': conf(`  <ExportTask Identifier="E" DisplayName_L1="E" Agent="Local" OpenIdClient="Job" Connection="TaskOnly" />`),
        'appsettings.agent.json': `{ "OpenId": { "AgentIdentifier": "Local", "OpenIdClients": { "Job": "<vault>" }, "DefaultOpenIdClient": "Job" },
  "Connections": { "ADExport": { "Filter": "(x)" }, "TaskOnly": {}, "⟦ADExprt⟧": {} } }`,
      },
      'unused-connection-settings',
    );
    assert.deepEqual(r.actual, r.expected);
    const hint = r.all.find((d) => d.code === 'unused-connection-settings')!;
    assert.equal(hint.severity, 'hint');
    assert.deepEqual(hint.fix?.replacements, ['ADExport']);
  });

  it('secret-in-clear: passwords, client secrets, package secrets and connection strings with a password; never echoes the value', () => {
    const r = check(
      settings(`{ "OpenId": { "AgentIdentifier": "Local", "OpenIdClients": { "Job": ⟦"s3cr3t-SENTINEL"⟧ }, "DefaultOpenIdClient": "Job" },
  "Connections": { "ADExport": { "Filter": "(x)", "Login": "svc", "Password": ⟦"p4ss-SENTINEL"⟧, "Servers": [{ "Server": "dc", "BaseDN": "DC=x" }] } },
  "Databases": { "Reporting": ⟦"Server=db;Database=r;User Id=u;Password=db-SENTINEL"⟧, "Local": "Server=db;Integrated Security=SSPI" },
  "Other": { "ApiToken": "<set in the vault>" } }`),
      'secret-in-clear',
    );
    assert.deepEqual(r.actual, r.expected);
    for (const d of r.all) assert.ok(!d.message.includes('SENTINEL'), d.message);
  });
});
