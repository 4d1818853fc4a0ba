import type { Node } from 'jsonc-parser';
import type { SetIndex } from '../../index/setIndex';
import type { Schema } from '../../schema/schema';
import { attributeValue } from '../../syntax/model';
import type { SettingsRule } from '../rule';

const SECRET_NAME = /(password|passwd|pwd|secret|apikey|api_key|token|applicationkey|privatekey)$/i;
const CREDENTIALS_IN_CONNECTION_STRING = /(^|;)\s*(password|pwd)\s*=/i;
const ENCRYPTED_FILE = /appsettings\.encrypted\./i;

/**
 * Secrets written in clear in the agent settings: passwords, client secrets, keys and tokens, connection strings
 * holding a password. The value is never repeated in the message.
 */
export const secretInClear: SettingsRule = {
  code: 'secret-in-clear',
  severity: 'warning',
  scope: 'settings',
  check({ settings, index, schema }, report) {
    if (!settings.root || ENCRYPTED_FILE.test(settings.file)) return;
    const packageSecrets = secretKeysByConnection(index, schema);
    visit(settings.root, [], (path, key, value) => {
      const where = path.join('.');
      const isClientSecret = path.length === 3 && path[0] === 'OpenId' && path[1] === 'OpenIdClients';
      const isDatabase = path.length === 2 && path[0] === 'Databases';
      const connection = path[0] === 'Connections' ? path[1] : undefined;
      const declaredSecret = connection !== undefined && packageSecrets.get(connection)?.has(key.value as string);
      const looksSecret = SECRET_NAME.test(key.value as string) || declaredSecret || isClientSecret;
      const connectionString = /connectionstring$/i.test(key.value as string) || isDatabase;
      if (!looksSecret && !(connectionString && CREDENTIALS_IN_CONNECTION_STRING.test(value.value as string))) return;
      report({
        span: { start: value.offset, end: value.offset + value.length },
        message: `'${where}' holds a secret in clear text. Anyone who can read this file can use it: keep it in a vault (Azure Key Vault or CyberArk, as the agent supports), or encrypt the file with Usercube-Protect-X509JsonFile.`,
      });
    });
  },
};

function visit(node: Node, path: string[], onSecretCandidate: (path: string[], key: Node, value: Node) => void): void {
  if (node.type === 'object') {
    for (const property of node.children ?? []) {
      const [key, value] = property.children ?? [];
      if (!key || !value || typeof key.value !== 'string') continue;
      const childPath = [...path, key.value];
      if (value.type === 'string' && isRealValue(value.value as string)) onSecretCandidate(childPath, key, value);
      else visit(value, childPath, onSecretCandidate);
    }
  } else if (node.type === 'array') {
    for (const item of node.children ?? []) visit(item, path, onSecretCandidate);
  }
}

/** Empty values and placeholders such as "<password>" are not secrets. */
function isRealValue(value: string): boolean {
  const trimmed = value.trim();
  return trimmed !== '' && !/^<[^>]*>$/.test(trimmed);
}

/** For each XML connection: the setting names its package marks as secret ("Password", "ApplicationKey"…). */
function secretKeysByConnection(index: SetIndex, schema: Schema): Map<string, Set<string>> {
  const result = new Map<string, Set<string>>();
  for (const decls of index.declarationsOfKind('Connection')) {
    for (const decl of decls) {
      const pkg = schema.data.connectionPackages[attributeValue(decl.element, 'Package') ?? ''];
      if (!pkg) continue;
      const names = new Set(pkg.keys.filter((k) => k.secret).map((k) => k.name.split(/[\].:]/).pop()!));
      result.set(decl.name, names);
    }
  }
  return result;
}
