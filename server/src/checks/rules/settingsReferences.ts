import { findNodeAtLocation } from 'jsonc-parser';
import { suggest } from '../../index/bindings';
import type { SetIndex } from '../../index/setIndex';
import { stringSpan } from '../../workspace/appsettings';
import type { SettingsRule } from '../rule';

const AGENT = 'appsettings:OpenId.AgentIdentifier';
const CLIENTS = 'appsettings:OpenId.OpenIdClients';

/** Declarations that make a name exist in the set (modules included), for a kind declared in XML. */
function xmlNames(index: SetIndex, kind: string): string[] {
  return [...index.namesOf(kind)].filter((name) => index.symbols(kind, name).length > 0);
}

/** `OpenId.AgentIdentifier` must be an <Agent> of the configuration: the agent identifies itself with it. */
export const settingsUnknownAgent: SettingsRule = {
  code: 'settings-unknown-agent',
  severity: 'error',
  scope: 'settings',
  check({ settings, index }, report) {
    const agents = xmlNames(index, 'Agent');
    if (agents.length === 0) return; // the agents are declared somewhere we cannot see
    for (const entry of settings.entries) {
      if (entry.kind !== AGENT || agents.includes(entry.name)) continue;
      const replacements = suggest(entry.name, agents);
      report({
        span: entry.span,
        message: `No <Agent> named '${entry.name}' is declared in the configuration (agents: ${agents.map((a) => `'${a}'`).join(', ')}). The agent would not find its own jobs and connectors.${replacements.length ? ` Did you mean '${replacements[0]}'?` : ''}`,
        fix: replacements.length ? { replacements } : undefined,
      });
    }
  },
};

/** `OpenId.DefaultOpenIdClient` must be one of the keys of `OpenId.OpenIdClients`. */
export const settingsUnknownDefaultClient: SettingsRule = {
  code: 'settings-unknown-default-client',
  severity: 'error',
  scope: 'settings',
  check({ settings }, report) {
    const node = settings.root ? findNodeAtLocation(settings.root, ['OpenId', 'DefaultOpenIdClient']) : undefined;
    if (!node || node.type !== 'string' || typeof node.value !== 'string') return;
    const clients = settings.entries.filter((e) => e.kind === CLIENTS).map((e) => e.name);
    if (clients.includes(node.value)) return;
    const replacements = suggest(node.value, clients);
    report({
      span: stringSpan(node),
      message: `The default OpenId client '${node.value}' is not among the keys of "OpenIdClients"${clients.length ? ` (${clients.map((c) => `'${c}'`).join(', ')})` : ''}, so jobs have no credentials to start with. Add it there or pick one of them.`,
      fix: replacements.length ? { replacements } : clients.length === 1 ? { replacements: clients } : undefined,
    });
  },
};

/** An `OpenIdClients` key should be a ClientId declared by an <OpenIdClient> in the configuration. */
export const settingsUnknownOpenIdClient: SettingsRule = {
  code: 'settings-unknown-openid-client',
  severity: 'warning',
  scope: 'settings',
  check({ settings, index }, report) {
    const declared = xmlNames(index, 'OpenIdClient');
    if (declared.length === 0) return;
    for (const entry of settings.entries) {
      if (entry.kind !== CLIENTS || declared.includes(entry.name)) continue;
      const replacements = suggest(entry.name, declared);
      report({
        span: entry.span,
        message: `No <OpenIdClient> with the ClientId '${entry.name}' is declared in the configuration, so the server will refuse these credentials.${replacements.length ? ` Did you mean '${replacements[0]}'?` : ' Declare it with <OpenIdClient Identifier="…" HashedSecret="…"/>.'}`,
        fix: replacements.length ? { replacements } : undefined,
      });
    }
  },
};

/** A `Connections` entry that no <Connection> declares and no task names is never read. */
export const unusedConnectionSettings: SettingsRule = {
  code: 'unused-connection-settings',
  severity: 'hint',
  scope: 'settings',
  check({ settings, index }, report) {
    const connections = xmlNames(index, 'Connection');
    const used = new Set(connections);
    for (const name of index.referencedNames('appsettings:Connections')) used.add(name);
    for (const entry of settings.entries) {
      if (entry.kind !== 'appsettings:Connections' || used.has(entry.name)) continue;
      const replacements = suggest(entry.name, connections);
      report({
        span: entry.span,
        message: `No <Connection> is named '${entry.name}' and no task uses it, so these settings are never read.${replacements.length ? ` Did you mean '${replacements[0]}'?` : ''}`,
        fix: replacements.length ? { replacements } : undefined,
      });
    }
  },
};
