import type { ConfigurationSet } from '../engine/configurationSet';
import type { Span } from '../syntax/lineIndex';
import { attributeValue } from '../syntax/model';
import type { CompletionEntry } from './completion';

type Mode = 'Complete' | 'Incremental';

/**
 * Synchronization jobs pre-filled for the connectors of the set: export → prepare synchronization → synchronize,
 * chained with TaskDependsOnTask, as the vendor guides describe. Offered at the top level of a configuration file.
 */
export function synchronizationJobSnippets(set: ConfigurationSet, replace: Span, open: string): CompletionEntry[] {
  const entries: CompletionEntry[] = [];
  const client = defaultOpenIdClient(set);
  for (const decls of set.index.declarationsOfKind('Connector')) {
    const connector = decls[0];
    const agent = attributeValue(connector.element, 'Agent');
    const connection = exportConnection(set, connector.name);
    if (!agent || !connection || !client) continue;
    for (const mode of ['Complete', 'Incremental'] as const) {
      entries.push({
        label: `Job: ${mode.toLowerCase()} synchronization of ${connector.name}`,
        kind: 'element',
        insertText: open + jobSnippet(connector.name, agent, connection, client, mode),
        snippet: true,
        replace,
        detail: `Export ${connection} → prepare → synchronize (${mode.toLowerCase()} mode)`,
        sortGroup: 3,
      });
    }
  }
  return entries;
}

function jobSnippet(connector: string, agent: string, connection: string, client: string, mode: Mode): string {
  const suffix = mode === 'Complete' ? 'Complete' : 'Incremental';
  const exportId = `${connector}_Export_${suffix}`;
  const prepareId = `${connector}_PrepareSynchronization_${suffix}`;
  const name = mode === 'Complete' ? 'complete' : 'incremental';
  const exportExtra = mode === 'Complete' ? ' IgnoreCookieFile="true"' : '';
  const syncExtra = mode === 'Incremental' ? ' DoNotDeleteChanges="true"' : '';
  return [
    `Job Identifier="\${1:${connector}_Synchronization_${suffix}}" DisplayName_L1="\${2:${connector} - Synchronization (${name})}" Agent="${agent}">`,
    `\t<ExportTask Identifier="${exportId}" DisplayName_L1="${connector} - Export (${name})" Agent="${agent}" OpenIdClient="${client}" Connection="${connection}" ContinueOnError="true"${exportExtra} />`,
    `\t<PrepareSynchronizationTask Identifier="${prepareId}" DisplayName_L1="${connector} - Prepare synchronization (${name})" Agent="${agent}" OpenIdClient="${client}" Connector="${connector}" SynchronizationMode="${mode}">`,
    `\t\t<TaskDependsOnTask ParentTask="${exportId}" />`,
    `\t</PrepareSynchronizationTask>`,
    `\t<SynchronizeTask Identifier="${connector}_Synchronize_${suffix}" DisplayName_L1="${connector} - Synchronization (${name})" Connector="${connector}"${syncExtra}>`,
    `\t\t<TaskDependsOnTask ParentTask="${prepareId}" />`,
    `\t</SynchronizeTask>$0`,
    `</Job>`,
  ].join('\n');
}

/** A connection of the connector whose package can export (a settings-only connection is not known here). */
function exportConnection(set: ConfigurationSet, connector: string): string | undefined {
  for (const decls of set.index.declarationsOfKind('Connection')) {
    const decl = decls[0];
    if (attributeValue(decl.element, 'Connector') !== connector) continue;
    const pkg = set.schema.data.connectionPackages[attributeValue(decl.element, 'Package') ?? ''];
    if (!pkg || pkg.capabilities.includes('export')) return decl.name;
  }
  return undefined;
}

function defaultOpenIdClient(set: ConfigurationSet): string | undefined {
  const configured = set.index.settingsEntries('appsettings:OpenId.OpenIdClients').map((e) => e.name);
  const declared = [...set.index.namesOf('OpenIdClient')];
  return configured.find((c) => declared.includes(c)) ?? declared[0] ?? configured[0];
}
