/**
 * Deterministic generator of realistic Identity Manager configuration trees, for the benchmark and for the
 * equivalence test. The same seed and size always give byte-identical trees.
 *
 * A tree holds `Conf/` (an agent, a directory model, access profiles, one folder per connector with its entity types,
 * mappings, resource types, jobs, UI and access rules, and generated role modules of ~200 KB each) and
 * `appsettings.agent.json` beside it. Files vary: some have a BOM, CRLF line ends, comments, XML entities, accents,
 * characters outside the BMP and C# expressions; a few hold deliberate mistakes so that diagnostics are not empty.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface GenerateOptions {
  /** Approximate total size in bytes. */
  bytes: number;
  seed?: number;
  /** Share of the bytes in generated role modules (~200 KB files). Default 0.35. */
  generatedShare?: number;
  /** Multiplies how often deliberate mistakes occur (default 1: a few per hundred connectors). */
  mistakes?: number;
}

export interface GeneratedTree {
  /** Relative path (forward slashes) → content (a Buffer, since some files start with a BOM). */
  files: Map<string, Buffer>;
  /** Names worth benchmarking: a widely used entity type, a typical file, the largest file. */
  hot: { entityType: string; typicalFile: string; largestFile: string; connectorFiles: string[] };
  bytes: number;
}

export const SIZES: Record<string, number> = { tiny: 300 * 1024, small: 3 * 1024 * 1024, medium: 25 * 1024 * 1024, large: 110 * 1024 * 1024 };

const NS = 'urn:schemas-usercube-com:configuration';
const SYSTEMS = ['AD', 'LDAP', 'SAP', 'ServiceNow', 'Salesforce', 'Workday', 'SQL', 'CSV', 'AzureAD', 'Okta', 'GoogleWS', 'Oracle', 'Jira', 'SharePoint', 'Exchange', 'Box'];
const PACKAGES: Record<string, string> = {
  AD: 'Usercube.AD@0000001',
  LDAP: 'Usercube.LDAP@0000001',
  AzureAD: 'Usercube.AzureAD@0000001',
  SharePoint: 'Usercube.SharePoint@0000001',
  ServiceNow: 'Usercube.ServiceNow@0000001',
  SQL: 'Usercube.SQL@0000001',
  CSV: 'Usercube.CSV@0000001',
};
const PROPERTY_WORDS = [
  'accountName', 'displayName', 'mail', 'givenName', 'surname', 'title', 'department', 'company', 'phone', 'mobile', 'office', 'street',
  'city', 'country', 'postalCode', 'employeeNumber', 'employeeType', 'manager', 'description', 'comment', 'status', 'createdOn', 'modifiedOn',
  'lastLogon', 'expiresOn', 'location', 'costCenter', 'division', 'badge', 'login', 'upn', 'sid', 'guid', 'homeDirectory', 'profilePath',
  'scriptPath', 'extensionAttribute1', 'extensionAttribute2', 'extensionAttribute3', 'jobCode', 'grade', 'site', 'floor', 'building',
];
const ACCENTED = ['Référentiel', 'Société', 'Équipe', 'Données', 'Übersicht', 'Straße', 'Année', 'Modèle', 'Crédit', 'Zoë'];

/** mulberry32: small, fast, deterministic. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Writer {
  private readonly parts: string[] = [];
  length = 0;
  line(text: string): void {
    this.parts.push(text);
    this.length += text.length + 1;
  }
  text(eol: string): string {
    return this.parts.join(eol) + eol;
  }
}

interface Style {
  bom: boolean;
  crlf: boolean;
  comments: boolean;
}

interface Connector {
  name: string;
  system: string;
  entityTypes: { name: string; properties: string[] }[];
  connections: string[];
  resourceTypes: string[];
  tasks: string[];
}

export function generateTree(options: GenerateOptions): GeneratedTree {
  const rnd = random(options.seed ?? 1);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)];
  const chance = (p: number) => rnd() < p;
  const int = (min: number, max: number) => min + Math.floor(rnd() * (max - min + 1));
  const files = new Map<string, Buffer>();
  let total = 0;
  let mistakes = 0;

  const emit = (relative: string, writer: Writer, style: Style) => {
    const text = writer.text(style.crlf ? '\r\n' : '\n');
    const body = Buffer.from(text, 'utf8');
    const buffer = style.bom ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), body]) : body;
    files.set(relative, buffer);
    total += buffer.length;
  };
  const style = (): Style => ({ bom: chance(0.2), crlf: chance(0.3), comments: chance(0.6) });
  const open = (w: Writer, s: Style, comment?: string) => {
    w.line('<?xml version="1.0" encoding="utf-8"?>');
    if (s.comments && comment) w.line(`<!-- ${comment} -->`);
    w.line(`<ConfigurationFile xmlns="${NS}">`);
  };
  const close = (w: Writer) => w.line('</ConfigurationFile>');
  const display = (text: string) => (chance(0.15) ? `${text} &amp; ${pick(ACCENTED)}` : chance(0.1) ? `${text} d&apos;${pick(ACCENTED)}` : text);
  /** A deliberate mistake, about once per `every` opportunities. */
  const mistakeFactor = options.mistakes ?? 1;
  const mistake = (every: number) => {
    if (rnd() * every >= mistakeFactor) return false;
    mistakes++;
    return true;
  };

  // --- The core: agent, directory model, profiles, policies ---------------------------------------------------------
  {
    const s: Style = { bom: true, crlf: false, comments: true };
    const w = new Writer();
    open(w, s, 'Agent of the generated configuration.');
    w.line('  <Agent Identifier="Local" DisplayName_L1="Local agent" URI="https://agent.example.test" />');
    close(w);
    emit('Conf/Agent.xml', w, s);
  }
  {
    const s: Style = { bom: false, crlf: true, comments: true };
    const w = new Writer();
    open(w, s, 'Référentiel: the directory model every connector provisions from 😀.');
    w.line('  <Policy Identifier="Default" DisplayName_L1="Default" DisplayName_L2="Politique par défaut" />');
    w.line('  <EntityType Identifier="Directory_User" DisplayName_L1="Directory - User" DisplayName_L2="Référentiel - Utilisateur">');
    w.line('    <Property Identifier="Identifier" DisplayName_L1="Identifier" IsKey="true" TargetColumnIndex="0" Type="String" />');
    w.line('    <Property Identifier="MainRecord" DisplayName_L1="Main record" TargetColumnIndex="128" Type="ForeignKey" />');
    w.line('    <Property Identifier="Records" DisplayName_L1="Records" Type="ForeignKey" />');
    w.line('    <Property Identifier="ManagedOrganizations" DisplayName_L1="Managed organizations" Type="ForeignKey" />');
    w.line('  </EntityType>');
    w.line('  <EntityType Identifier="Directory_UserRecord" DisplayName_L1="Directory - User record" DisplayName_L2="Référentiel - Fiche">');
    const recordProps = ['RecordIdentifier', 'FirstName', 'LastName', 'Mail', 'Phone', 'Title', 'EmployeeId', 'StartDate', 'EndDate', 'Login'];
    recordProps.forEach((p, i) => w.line(`    <Property Identifier="${p}" DisplayName_L1="${p}" ${i === 0 ? 'IsKey="true" ' : ''}TargetColumnIndex="${i}" Type="String" />`));
    w.line('    <Property Identifier="User" DisplayName_L1="User" TargetColumnIndex="128" Type="ForeignKey" />');
    w.line('    <Property Identifier="Organization" DisplayName_L1="Organization" DisplayName_L2="Unité d&apos;organisation" TargetColumnIndex="129" Type="ForeignKey" />');
    w.line('  </EntityType>');
    w.line('  <EntityType Identifier="Directory_Organization" DisplayName_L1="Directory - Organization">');
    w.line('    <Property Identifier="Identifier" DisplayName_L1="Identifier" IsKey="true" TargetColumnIndex="0" Type="String" />');
    w.line('    <Property Identifier="DisplayName" DisplayName_L1="Name" DisplayName_L2="Libellé" TargetColumnIndex="1" Type="String" />');
    w.line('    <Property Identifier="Manager" DisplayName_L1="Manager" TargetColumnIndex="128" Type="ForeignKey" />');
    w.line('    <Property Identifier="Records" DisplayName_L1="Members" Type="ForeignKey" />');
    w.line('  </EntityType>');
    w.line('  <EntityAssociation Identifier="Directory_User_MainRecord" DisplayName_L1="Main record" Property1="Directory_User:MainRecord" Property2="Directory_UserRecord:User" />');
    w.line('  <EntityAssociation Identifier="Directory_User_Records" DisplayName_L1="Records" IsProperty1Collection="true" Property1="Directory_User:Records" Property2="Directory_UserRecord:User" />');
    w.line('  <EntityAssociation Identifier="Directory_UserRecord_Organization" DisplayName_L1="Organization" IsProperty1Collection="true" Property1="Directory_Organization:Records" Property2="Directory_UserRecord:Organization" />');
    w.line('  <EntityAssociation Identifier="Directory_Organization_Manager" DisplayName_L1="Manager" IsProperty1Collection="true" Property1="Directory_User:ManagedOrganizations" Property2="Directory_Organization:Manager" />');
    w.line('  <EntityPropertyExpression Identifier="Directory_UserRecord_InternalDisplayName" Expression="C#:record:return record.LastName + &quot; &quot; + record.FirstName;" EntityType="Directory_UserRecord" Property="InternalDisplayName" />');
    w.line('  <EntityPropertyExpression Identifier="Directory_User_InternalDisplayName" Binding="MainRecord" Expression="C#:record:return record.LastName?.ToUpperInvariant() + &quot;, &quot; + record.FirstName;" EntityType="Directory_User" Property="InternalDisplayName" />');
    close(w);
    emit('Conf/Directory/Directory.xml', w, s);
  }
  {
    const s: Style = { bom: false, crlf: false, comments: true };
    const w = new Writer();
    open(w, s, 'Profiles and the agent OpenId client.');
    for (const profile of ['Administrator', 'AgentSynchro', 'Manager', 'Helpdesk', 'User']) w.line(`  <Profile Identifier="${profile}" DisplayName_L1="${profile}" />`);
    w.line('  <OpenIdClient Identifier="Job" HashedSecret="K7gNU3sdo+OL0wNhqoVWhr3g6s1xYv72ol/pe/Unols=" DisplayName_L1="Jobs" Profile="AgentSynchro" />');
    close(w);
    emit('Conf/Access/Profiles.xml', w, s);
  }

  // --- Connectors ----------------------------------------------------------------------------------------------------
  const generatedShare = options.generatedShare ?? 0.35;
  const connectorBudget = options.bytes * (1 - generatedShare);
  const connectors: Connector[] = [];
  const connectorFiles: string[] = [];
  let typicalFile = '';
  let typicalDistance = Infinity;
  for (let i = 0; total < connectorBudget || i < 2; i++) {
    const system = SYSTEMS[i % SYSTEMS.length];
    const name = `${system}_${String(i).padStart(3, '0')}`;
    const connector: Connector = { name, system, entityTypes: [], connections: [`${name}_Export`, `${name}_Fulfillment`], resourceTypes: [], tasks: [] };
    connectors.push(connector);
    const folder = `Conf/Connectors/${name}`;
    const before = files.size;

    // Connector, entity types, mappings, associations, resource types.
    {
      const s = style();
      const w = new Writer();
      open(w, s, `${name}: exported nightly, provisioned from the directory.`);
      w.line(`  <Connector Identifier="${name}" DisplayName_L1="${display(name)}" Agent="Local" />`);
      const pkg = PACKAGES[system] ?? 'Usercube.CSV@0000001';
      for (const connection of connector.connections) w.line(`  <Connection Identifier="${connection}" DisplayName_L1="${connection}" Connector="${name}" Package="${pkg}" />`);
      const typeCount = int(2, 4);
      for (let t = 0; t < typeCount; t++) {
        const typeName = `${name}_${['Account', 'Group', 'Entitlement', 'Resource'][t]}`;
        const count = int(12, 40);
        const properties: string[] = [];
        for (let p = 0; p < count; p++) properties.push(p < PROPERTY_WORDS.length ? PROPERTY_WORDS[(p * 7 + i) % PROPERTY_WORDS.length] : `attribute${p}`);
        const unique = [...new Set(properties)];
        connector.entityTypes.push({ name: typeName, properties: unique });
        w.line(`  <EntityType Identifier="${typeName}" DisplayName_L1="${display(typeName)}" DisplayName_L2="${pick(ACCENTED)} ${t}">`);
        unique.forEach((p, index) =>
          w.line(`    <Property Identifier="${p}" DisplayName_L1="${display(p)}" ${index === 0 ? 'IsKey="true" ' : ''}TargetColumnIndex="${index}" Type="${index % 9 === 8 ? 'DateTime' : 'String'}" />`),
        );
        if (t === 0) {
          w.line('    <Property Identifier="memberOf" DisplayName_L1="Member of" Type="ForeignKey" />');
          w.line('    <Property Identifier="owner" DisplayName_L1="Owner" TargetColumnIndex="128" Type="ForeignKey" />');
          connector.entityTypes[0].properties.push('memberOf', 'owner');
        } else if (t === 1) {
          w.line('    <Property Identifier="members" DisplayName_L1="Members" Type="ForeignKey" />');
          connector.entityTypes[1].properties.push('members');
        }
        w.line('  </EntityType>');
        w.line(`  <EntityTypeMapping Identifier="${typeName}" Connector="${name}" ConnectionTable="${name}_Export_${t}">`);
        unique.forEach((p, index) => w.line(`    <Property Identifier="${p}" ConnectionColumn="${p.toLowerCase()}"${index === 0 ? ' IsPrimaryKey="true"' : ''} />`));
        w.line('  </EntityTypeMapping>');
      }
      const account = connector.entityTypes[0].name;
      const group = connector.entityTypes[1].name;
      const missingEnd = mistake(40) ? 'membrs' : 'members';
      w.line(`  <EntityAssociation Identifier="${name}_Membership" DisplayName_L1="Membership" IsProperty1Collection="true" IsProperty2Collection="true" Property1="${group}:${missingEnd}" Property2="${account}:memberOf" />`);
      w.line(`  <EntityAssociation Identifier="${name}_Owner" DisplayName_L1="Owner" IsProperty1Collection="true" Property1="Directory_User:Records" Property2="${account}:owner" />`);
      w.line(`  <EntityAssociationMapping Identifier="${name}_Membership" Column1="dn" Column2="member" Connector="${name}" ConnectionTable="${name}_Export_members" EntityPropertyMapping1="${group}:${connector.entityTypes[1].properties[0]}" EntityPropertyMapping2="${account}:${connector.entityTypes[0].properties[0]}" />`);
      for (let r = 0; r < int(1, 3); r++) {
        const resourceType = `${account}_${['Nominative', 'Admin', 'Service'][r]}`;
        connector.resourceTypes.push(resourceType);
        w.line(`  <ResourceType Identifier="${resourceType}" DisplayName_L1="${display(resourceType)}" Policy="Default" SourceEntityType="Directory_User" TargetEntityType="${account}">`);
        const targets = connector.entityTypes[0].properties.filter((p) => p !== 'memberOf' && p !== 'owner');
        const sources = ['MainRecord.Mail', 'MainRecord.FirstName', 'MainRecord.LastName', 'MainRecord.Organization.DisplayName', 'MainRecord.Organization.Manager.MainRecord.Mail', 'InternalDisplayName', 'MainRecord.Login'];
        for (let k = 0; k < Math.min(targets.length, int(4, 12)); k++) {
          if (k % 5 === 4) {
            w.line(`    <ScalarRule Property="${targets[k]}" Expression="C#:person:return person.MainRecord?.Login?.ToLowerInvariant() ?? &quot;&quot;;" Policy="Default" />`);
          } else {
            const source = mistake(150) ? 'MainRecord.Mial' : sources[(k + r) % sources.length];
            w.line(`    <ScalarRule Property="${targets[k]}" Binding="${source}" Policy="Default" />`);
          }
        }
        w.line('  </ResourceType>');
      }
      close(w);
      emit(`${folder}/${name} Connector.xml`, w, s);
    }

    // Jobs: export → prepare → synchronize chains, complete and incremental.
    {
      const s = style();
      const w = new Writer();
      open(w, s, `${name} jobs.`);
      for (const mode of ['Complete', 'Incremental']) {
        const job = `${name}_Synchronization_${mode}`;
        w.line(`  <Job Identifier="${job}" DisplayName_L1="${name} - ${mode.toLowerCase()} synchronization" Agent="Local" CronTabExpression="0 ${int(0, 23)} * * *">`);
        const exportTask = `${name}_Export_${mode}`;
        const prepare = `${name}_Prepare_${mode}`;
        const sync = `${name}_Synchronize_${mode}`;
        const fulfill = `${name}_Fulfill_${mode}`;
        connector.tasks.push(exportTask, prepare, sync, fulfill);
        w.line(`    <ExportTask Identifier="${exportTask}" DisplayName_L1="${name} - export" Agent="Local" OpenIdClient="Job" Connection="${connector.connections[0]}" ContinueOnError="${mistake(200) ? 'yes' : 'true'}" />`);
        w.line(`    <PrepareSynchronizationTask Identifier="${prepare}" DisplayName_L1="${name} - prepare" Agent="Local" OpenIdClient="Job" Connector="${name}" SynchronizationMode="${mode}">`);
        w.line(`      <TaskDependsOnTask ParentTask="${exportTask}" />`);
        w.line('    </PrepareSynchronizationTask>');
        w.line(`    <SynchronizeTask Identifier="${sync}" DisplayName_L1="${name} - synchronize" Connector="${name}">`);
        w.line(`      <TaskDependsOnTask ParentTask="${prepare}" />`);
        if (mode === 'Incremental' && mistake(60)) w.line(`      <TaskDependsOnTask ParentTask="${name}_Export_Complete" />`);
        w.line('    </SynchronizeTask>');
        w.line(`    <UpdateEntityPropertyExpressionsTask Identifier="${name}_Compute_${mode}" DisplayName_L1="Compute properties">`);
        for (const type of connector.entityTypes) w.line(`      <TaskEntityType EntityType="${type.name}" />`);
        w.line(`      <TaskDependsOnTask ParentTask="${sync}" />`);
        w.line('    </UpdateEntityPropertyExpressionsTask>');
        w.line(`    <ComputeRoleModelTask Identifier="${name}_RoleModel_${mode}" DisplayName_L1="Role model">`);
        w.line('      <TaskEntityType EntityType="Directory_User" />');
        w.line('    </ComputeRoleModelTask>');
        w.line(`    <GenerateProvisioningOrdersTask Identifier="${name}_Orders_${mode}" DisplayName_L1="Provisioning orders" Connector="${name}" />`);
        w.line(`    <FulfillTask Identifier="${fulfill}" DisplayName_L1="${name} - fulfill" Agent="Local" OpenIdClient="Job" Connection="${connector.connections[1]}" ContinueOnError="true">`);
        for (const resourceType of connector.resourceTypes) w.line(`      <TaskResourceType ResourceType="${resourceType}" />`);
        w.line(`      <TaskDependsOnTask ParentTask="${name}_Orders_${mode}" />`);
        w.line('    </FulfillTask>');
        w.line('  </Job>');
      }
      close(w);
      emit(`${folder}/${name} Jobs.xml`, w, s);
    }

    // UI: display entity types, tables with bindings, menus, forms, search bars.
    {
      const s = style();
      const w = new Writer();
      open(w, s, `${name} user interface.`);
      w.line(`  <MenuItem Identifier="Nav_${name}" DisplayName_L1="${display(name)}" ParentMenuItem="${mistake(120) ? 'Nav_Root' : `Nav_${name}`}" />`);
      for (const type of connector.entityTypes) {
        w.line(`  <MenuItem Identifier="Nav_${type.name}" DisplayName_L1="${type.name}" EntityType="${mistake(150) ? `${type.name}s` : type.name}" ParentMenuItem="Nav_${name}" />`);
        w.line(`  <DisplayEntityType Identifier="${type.name}" PluralDisplayName_L1="${display(type.name)}" IconCode="${pick(['Contact', 'People', 'Org', 'Shield'])}">`);
        for (const p of type.properties.slice(0, 10)) w.line(`    <Property Identifier="${p}" OutputType="BasicCollection" />`);
        w.line('  </DisplayEntityType>');
        w.line(`  <DisplayTable Identifier="${type.name}" EntityType="${type.name}" DisplayTableDesignElement="table" IsEntityTypeDefault="true">`);
        type.properties.slice(0, int(4, 14)).forEach((p, k) => {
          const binding = type === connector.entityTypes[0] && k === 3 ? 'owner.MainRecord.Mail' : p;
          w.line(`    <Column DisplayBinding="${binding}" DisplayName_L1="${display(p)}"${k === 0 ? ' DefaultSortPriority="1"' : ''} IsSortable="true" CanBeFiltered="true" ColumnSize="${int(1, 4)}" />`);
        });
        w.line('  </DisplayTable>');
        w.line(`  <SearchBar EntityType="${type.name}" SearchBarDesignElement="Inline">`);
        for (const p of type.properties.slice(0, 4)) w.line(`    <Criterion Binding1="${p}" ColumnSize="2" InputType="Auto" DisplayName_L1="${display(p)}" />`);
        w.line('  </SearchBar>');
      }
      const account = connector.entityTypes[0];
      w.line(`  <Form Identifier="${account.name}_View" EntityType="${account.name}" FormType="WorkflowEditEntity" FormTitle_L1="${display(account.name)}">`);
      for (const p of account.properties.slice(0, 12)) w.line(`    <Control Binding="${p}" DisplayName_L1="${display(p)}" ColumnSize="6" />`);
      w.line('  </Form>');
      close(w);
      emit(`${folder}/${name} UI.xml`, w, s);
    }

    // Access: rules with entries, roles, categories.
    {
      const s = style();
      const w = new Writer();
      open(w, s, `${name} access rules and roles.`);
      w.line(`  <Category Identifier="${name}_Category" DisplayName_L1="${display(name)}" Policy="Default" />`);
      for (const profile of ['Administrator', 'Manager', 'Helpdesk']) {
        for (const type of connector.entityTypes) {
          w.line(`  <AccessControlRule Identifier="${profile}_${type.name}_View" DisplayName_L1="${profile} - ${display(type.name)}" EntityType="${type.name}" Profile="${profile}">`);
          for (const verb of ['View', 'Update', 'Create', 'Delete', 'Search']) w.line(`    <Entry Permission="/Custom/Resources/${type.name}/${verb}" CanExecute="true" />`);
          w.line('  </AccessControlRule>');
        }
      }
      for (let r = 0; r < int(6, 20); r++) {
        const role = `${name}_Role_${r}`;
        w.line(`  <SingleRole Identifier="${role}" DisplayName_L1="${display(role)}" Category="${name}_Category" EntityType="Directory_User" Policy="Default" />`);
      }
      if (mistake(80)) w.line(`  <AccessControlRule Identifier="Administrator_${connector.entityTypes[0].name}_View" DisplayName_L1="copy" EntityType="${connector.entityTypes[0].name}" Profile="Administrator" />`);
      close(w);
      emit(`${folder}/${name} Access.xml`, w, s);
    }

    for (const [relative] of [...files].slice(before)) connectorFiles.push(relative);
    for (const relative of connectorFiles.slice(-4)) {
      const distance = Math.abs(files.get(relative)!.length - 40 * 1024);
      if (distance < typicalDistance) {
        typicalDistance = distance;
        typicalFile = relative;
      }
    }
  }

  // --- Generated role modules (~200 KB each) -------------------------------------------------------------------------
  let largestFile = '';
  let largestSize = 0;
  for (let g = 0; total < options.bytes || g < 1; g++) {
    const s = style();
    const w = new Writer();
    open(w, s, `Generated role model ${g}: do not edit by hand.`);
    const target = 200 * 1024;
    for (let block = 0; w.length < target; block++) {
      const connector = connectors[(g * 7 + block) % connectors.length];
      const account = connector.entityTypes[0];
      const roles: string[] = [];
      for (let r = 0; r < 10; r++) {
        const role = `Gen${g}_Role_${block * 10 + r}`;
        roles.push(role);
        w.line(`  <SingleRole Identifier="${role}" DisplayName_L1="${display(`Generated role ${block * 10 + r}`)}" DisplayName_L2="Rôle généré ${r}" Category="${connector.name}_Category" EntityType="Directory_User" Policy="Default" ApprovalWorkflowType="${pick(['None', 'Three'])}" />`);
        w.line(`  <SingleRoleRule Role="${role}" Policy="Default" Type="${pick(['Required', 'Suggested'])}" />`);
      }
      w.line(`  <ResourceType Identifier="Gen${g}_${account.name}_${block}" DisplayName_L1="Generated ${block}" Policy="Default" SourceEntityType="Directory_User" TargetEntityType="${account.name}">`);
      for (const role of roles) w.line(`    <TypeRule SingleRole="${mistake(3000) ? `${role}x` : role}" Policy="Default" />`);
      w.line(`    <ScalarRule Property="${account.properties[1]}" Binding="MainRecord.Mail" Policy="Default" />`);
      w.line(`    <ScalarRule Property="${account.properties[2]}" Binding="MainRecord.Organization.DisplayName" Policy="Default" />`);
      w.line('  </ResourceType>');
    }
    close(w);
    const relative = `Conf/Generated/Generated_${String(g).padStart(3, '0')}.xml`;
    emit(relative, w, s);
    if (files.get(relative)!.length > largestSize) {
      largestSize = files.get(relative)!.length;
      largestFile = relative;
    }
  }

  // --- Agent settings ------------------------------------------------------------------------------------------------
  {
    const lines = ['{', '  // Generated agent settings (JSON with comments).', '  "OpenId": {', '    "OpenIdClients": { "Job": "<secret stored in a vault>" },', '    "DefaultOpenIdClient": "Job",', '    "AgentIdentifier": "Local"', '  },', '  "Connections": {'];
    const entries: string[] = [];
    connectors.forEach((connector, i) => {
      for (const connection of connector.connections) {
        if (i % 97 === 5 && connection.endsWith('_Fulfillment')) continue; // a deliberate gap: missing-connection-settings
        entries.push(`    "${connection}": { "Server": "${connector.name.toLowerCase()}.example.test", "Login": "svc_${connector.name.toLowerCase()}", "Password": "<vault>" }`);
      }
    });
    lines.push(entries.join(',\n'), '  }', '}');
    const buffer = Buffer.from(lines.join('\n') + '\n', 'utf8');
    files.set('appsettings.agent.json', buffer);
    total += buffer.length;
  }

  void mistakes;
  return { files, bytes: total, hot: { entityType: 'Directory_User', typicalFile, largestFile, connectorFiles } };
}

/** Writes a generated tree under `dir` (created; existing files with the same names are replaced). */
export function writeTree(dir: string, tree: GeneratedTree): void {
  const made = new Set<string>();
  for (const [relative, content] of tree.files) {
    const full = path.join(dir, ...relative.split('/'));
    const folder = path.dirname(full);
    if (!made.has(folder)) {
      fs.mkdirSync(folder, { recursive: true });
      made.add(folder);
    }
    fs.writeFileSync(full, content);
  }
}

/** A 10 MB single file (for the "large file reparses" scenario), built from generated role lines. */
export function hugeFile(bytes: number, connectors: readonly string[]): string {
  const lines = ['<?xml version="1.0" encoding="utf-8"?>', `<ConfigurationFile xmlns="${NS}">`];
  let length = 0;
  for (let r = 0; length < bytes; r++) {
    const connector = connectors[r % connectors.length];
    const line = `  <SingleRole Identifier="Huge_Role_${r}" DisplayName_L1="Huge role ${r}" Category="${connector}_Category" EntityType="Directory_User" Policy="Default" />`;
    lines.push(line);
    length += line.length + 1;
  }
  lines.push('</ConfigurationFile>', '');
  return lines.join('\n');
}
