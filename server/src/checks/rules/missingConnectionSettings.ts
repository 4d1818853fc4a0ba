import { suggest } from '../../index/bindings';
import { attributeValue } from '../../syntax/model';
import type { SetRule } from '../rule';

const CONNECTIONS = 'appsettings:Connections';
const AGENT = 'appsettings:OpenId.AgentIdentifier';

/**
 * A <Connection> whose package needs agent settings has no entry under `Connections` in the agent settings file
 * of the agent that runs its connector. Silent whenever any of those facts is unknown.
 */
export const missingConnectionSettings: SetRule = {
  code: 'missing-connection-settings',
  severity: 'error',
  scope: 'set',
  check({ model, index, schema, settings }, report) {
    if (!settings) return;
    const agents = index.settingsEntries(AGENT).map((e) => e.name);
    if (agents.length === 0) return; // which agent reads this file is unknown
    for (const decl of model.declarations) {
      if (decl.kind !== 'Connection' || decl.consolidation) continue;
      const packageId = attributeValue(decl.element, 'Package');
      const pkg = packageId ? schema.data.connectionPackages[packageId] : undefined;
      if (!pkg || pkg.needsAgentSettings !== true) continue;
      const connectorName = attributeValue(decl.element, 'Connector');
      const connector = connectorName ? index.declarations('Connector', connectorName)[0] : undefined;
      const agent = connector ? attributeValue(connector.element, 'Agent') : undefined;
      if (!agent || !agents.includes(agent)) continue;
      const keys = index.settingsEntries(CONNECTIONS).map((e) => e.name);
      if (keys.includes(decl.name)) continue;
      const replacements = suggest(decl.name, keys);
      const hint = replacements.length > 0 ? ` The settings have '${replacements.join("', '")}': a different name?` : '';
      report({
        span: decl.span,
        message: `The connection '${decl.name}' (package ${packageId}) has no settings under "Connections" in ${shortName(settings.file)}, which agent '${agent}' reads.${hint} Add an entry named '${decl.name}' with the settings its package needs, or rename the connection.`,
        fix: { addConnectionSettings: { connection: decl.name, packageId } },
      });
    }
  },
};

function shortName(file: string): string {
  return file.split(/[\\/]/).pop() ?? file;
}
