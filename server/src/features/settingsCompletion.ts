import { getLocation, type Node } from 'jsonc-parser';
import * as path from 'node:path';
import type { ConfigurationSet } from '../engine/configurationSet';
import type { Span } from '../syntax/lineIndex';
import { attributeValue } from '../syntax/model';
import { stringSpan } from '../workspace/appsettings';
import type { CompletionEntry } from './completion';

const CONNECTIONS = 'appsettings:Connections';

/** Completion in the agent settings file: connection keys from the XML, package settings, the agent, OpenId clients. */
export function completeSettings(set: ConfigurationSet, text: string, offset: number): CompletionEntry[] {
  const location = getLocation(text, offset);
  const where = location.path.map(String);
  const node = location.previousNode;
  const typedString = node && (node.type === 'string' || node.type === 'property') && node.offset <= offset && offset <= node.offset + node.length ? node : undefined;
  const replace: Span = typedString ? { start: typedString.offset, end: typedString.offset + typedString.length } : { start: offset, end: offset };
  const key = (name: string, detail: string, sortGroup: number, value = '$0'): CompletionEntry => ({
    label: name,
    kind: 'reference',
    insertText: typedString ? `"${name}"` : `"${name}": ${value}`,
    snippet: !typedString,
    replace,
    detail,
    sortGroup,
  });
  const value = (name: string, detail: string): CompletionEntry => ({ label: name, kind: 'reference', insertText: `"${name}"`, replace, detail, sortGroup: 0 });

  if (location.isAtPropertyKey && where.length === 2 && where[0] === 'Connections') return connectionKeys(set, key);
  if (location.isAtPropertyKey && where.length === 3 && where[0] === 'Connections') return packageKeys(set, where[1], key);
  if (location.isAtPropertyKey && where.length === 3 && where[0] === 'OpenId' && where[1] === 'OpenIdClients') {
    return [...set.index.namesOf('OpenIdClient')].map((name) => key(name, `OpenId client declared in ${declaredIn(set, 'OpenIdClient', name)}`, 0, '"$0"'));
  }
  if (!location.isAtPropertyKey && where.join('.') === 'OpenId.AgentIdentifier') {
    return [...set.index.namesOf('Agent')].map((name) => value(name, `agent declared in ${declaredIn(set, 'Agent', name)}`));
  }
  if (!location.isAtPropertyKey && where.join('.') === 'OpenId.DefaultOpenIdClient') {
    return set.index.settingsEntries('appsettings:OpenId.OpenIdClients').map((e) => value(e.name, 'one of the OpenIdClients keys'));
  }
  return [];
}

function connectionKeys(set: ConfigurationSet, key: (name: string, detail: string, sortGroup: number, value?: string) => CompletionEntry): CompletionEntry[] {
  const present = new Set(set.index.settingsEntries(CONNECTIONS).map((e) => e.name));
  const entries: CompletionEntry[] = [];
  for (const decls of set.index.declarationsOfKind('Connection')) {
    const decl = decls[0];
    if (present.has(decl.name)) continue;
    const pkg = attributeValue(decl.element, 'Package');
    entries.push(key(decl.name, `<Connection> without settings${pkg ? ` — ${pkg}` : ''} (${path.basename(decl.file)})`, 0, '{\n\t$0\n}'));
  }
  return entries;
}

function packageKeys(set: ConfigurationSet, connection: string, key: (name: string, detail: string, sortGroup: number, value?: string) => CompletionEntry): CompletionEntry[] {
  const spec = packageOf(set, connection);
  if (!spec) return [];
  const present = new Set(set.index.settingsEntries(CONNECTIONS).find((e) => e.name === connection)?.settingNames ?? []);
  return spec.keys
    .filter((k) => !k.name.includes('[]') && !k.name.includes(':') && !present.has(k.name))
    .map((k) => key(k.name, `${k.required ? 'required' : 'optional'}${k.secret ? ', secret: keep it in a vault or encrypt the file' : ''}${k.note ? ` — ${k.note}` : ''}`, k.required ? 0 : 1, '"$0"'));
}

export function packageOf(set: ConfigurationSet, connection: string) {
  const decl = set.index.declarations('Connection', connection)[0];
  const pkg = decl ? attributeValue(decl.element, 'Package') : undefined;
  return pkg ? set.schema.data.connectionPackages[pkg] : undefined;
}

function declaredIn(set: ConfigurationSet, kind: string, name: string): string {
  const decl = set.index.declarations(kind, name)[0];
  return decl ? path.basename(decl.file) : 'the configuration';
}

/** The setting key of a connection under the cursor ("Connections.X.Filter"), for hover. */
export function settingKeyAt(root: Node | undefined, offset: number): { connection: string; key: string; span: Span } | undefined {
  const connections = root?.children?.find((p) => p.children?.[0]?.value === 'Connections')?.children?.[1];
  for (const property of connections?.children ?? []) {
    const [nameNode, body] = property.children ?? [];
    for (const setting of body?.type === 'object' ? body.children ?? [] : []) {
      const keyNode = setting.children?.[0];
      if (keyNode && keyNode.offset <= offset && offset <= keyNode.offset + keyNode.length) {
        return { connection: String(nameNode?.value), key: String(keyNode.value), span: stringSpan(keyNode) };
      }
    }
  }
  return undefined;
}
