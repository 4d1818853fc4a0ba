import { propertiesOf } from '../index/bindings';
import type { ConfigurationSet } from '../engine/configurationSet';
import type { AttributeSpec, ElementSpec } from '../schema/types';
import type { Span } from '../syntax/lineIndex';
import { attributeValue, contains, walk } from '../syntax/model';
import * as path from 'node:path';
import { docUrl } from './docs';
import { packageOf, settingKeyAt } from './settingsCompletion';
import { declarationsOf, symbolAt } from './symbols';

export interface HoverResult {
  span: Span;
  /** Markdown. Never contains a value from the agent settings file other than its keys. */
  markdown: string;
}

export function hover(set: ConfigurationSet, file: string, offset: number, docsBase?: string): HoverResult | undefined {
  const symbol = hoverSymbol(set, file, offset);
  if (symbol) return symbol;
  const settings = set.settingsFile();
  if (settings?.path === file) return hoverSettingKey(set, settings.model.root, offset, docsBase);
  const source = set.file(file);
  if (!source) return undefined;
  for (const element of walk(source.doc.roots)) {
    if (contains(element.nameSpan, offset)) {
      const spec = set.schema.element(element.defKey);
      return spec ? { span: element.nameSpan, markdown: describeElement(spec, docsBase) } : undefined;
    }
    if (offset > element.startTagEnd) continue;
    for (const attr of element.attributes) {
      if (!contains(attr.nameSpan, offset)) continue;
      const match = set.schema.attribute(element.defKey, attr.name);
      if (!match) return undefined;
      const owner = set.schema.element(element.defKey);
      return { span: attr.nameSpan, markdown: describeAttribute(attr.name, match.spec, owner, docsBase, match.family?.label) };
    }
  }
  return undefined;
}

/** A setting of a connection: what its package says about it (never its value). */
function hoverSettingKey(set: ConfigurationSet, root: Parameters<typeof settingKeyAt>[0], offset: number, docsBase?: string): HoverResult | undefined {
  const at = settingKeyAt(root, offset);
  if (!at) return undefined;
  const pkg = packageOf(set, at.connection);
  const spec = pkg?.keys.find((k) => k.name === at.key);
  if (!pkg) return undefined;
  const lines = [`**${at.key}** — setting of a ${pkg.connector} connection`];
  lines.push('', spec ? `${spec.required ? 'Required' : 'Optional'}${spec.secret ? '; a secret: keep it in a vault or encrypt the file' : ''}.` : `Not a setting documented for this package.`);
  if (spec?.note) lines.push('', spec.note);
  const url = docUrl(pkg.docPath, docsBase);
  if (url) lines.push('', `[Package reference](${url})`);
  return { span: at.span, markdown: lines.join('\n') };
}

function hoverSymbol(set: ConfigurationSet, file: string, offset: number): HoverResult | undefined {
  const hit = symbolAt(set, file, offset);
  if (!hit) return undefined;
  const kindLabel = set.schema.kind(hit.symbol.kind)?.label ?? hit.symbol.kind;
  const decls = declarationsOf(set, hit.symbol);
  const lines: string[] = [];
  const shownName = hit.symbol.kind === 'EntityType.Property' ? hit.symbol.name.replace('.', ':') : hit.symbol.name;
  lines.push(`**${kindLabel}** \`${shownName}\``);
  if (decls.length === 0) {
    if (set.index.isBuiltin(hit.symbol.kind, hit.symbol.name)) lines.push('', 'Provided by Identity Manager (not declared in the configuration).');
    else if (hit.role === 'settings') lines.push('', `Declared in the agent settings only; no XML element declares it.`);
    else lines.push('', 'Not declared in this configuration.');
  }
  for (const decl of decls.slice(0, 3)) {
    const display = attributeValue(decl.element, 'DisplayName_L1');
    const where = `${path.basename(decl.file)}${set.index.isModule(decl.file) ? ' (module)' : ''}`;
    const details: string[] = [];
    if (display) details.push(`"${display}"`);
    if (decl.kind === 'EntityType') details.push(`${propertiesOf(decl.name, set.index).length} properties`);
    if (decl.kind === 'Connection') {
      const pkg = attributeValue(decl.element, 'Package');
      const connector = attributeValue(decl.element, 'Connector');
      if (pkg) details.push(`package \`${pkg}\``);
      if (connector) details.push(`connector \`${connector}\``);
    }
    if (decl.consolidation) details.push(`ConsolidationMode=${decl.consolidation}`);
    lines.push('', `<${decl.element.name}> in ${where}${details.length ? ` — ${details.join(', ')}` : ''}`);
  }
  if (decls.length > 3) lines.push('', `…and ${decls.length - 3} more declarations.`);
  const settingsEntries = set.index.settingsEntries().filter((e) => e.name === hit.symbol.name && (e.kind === hit.symbol.kind || declarationsOf(set, { kind: e.kind, name: e.name }).some((d) => d.kind === hit.symbol.kind)));
  if (settingsEntries.length > 0 && hit.role !== 'settings') lines.push('', `Agent settings entry in ${path.basename(settingsEntries[0].file)}.`);
  return { span: hit.span, markdown: lines.join('\n') };
}

export function describeElement(spec: ElementSpec, docsBase?: string): string {
  const lines = [`**<${spec.name}>**${spec.scaffolding ? ' — scaffolding (generates configuration when deployed)' : ''}${spec.task ? ' — task' : ''}`];
  if (spec.overrides) lines.push('', `Overrides attributes of an existing <${spec.overrides}> for this job only; \`Identifier\` names that task.`);
  if (spec.declares) lines.push('', `Declares a ${spec.declares.kind} through \`${spec.declares.attribute}\`.`);
  const required = Object.entries(spec.attributes).filter(([, a]) => a.required && !a.requiredRelaxed).map(([n]) => `\`${n}\``);
  for (const family of spec.families ?? []) if (family.spec.required && !family.spec.requiredRelaxed) required.push(`\`${family.example}\``);
  if (required.length) lines.push('', `Required: ${required.join(', ')}`);
  if (spec.undocumented) lines.push('', 'Seen in real configurations; the vendor reference has no page for it.');
  const url = docUrl(spec.docPath, docsBase);
  if (url) lines.push('', `[Vendor reference](${url})`);
  return lines.join('\n');
}

export function describeAttribute(name: string, spec: AttributeSpec, owner: ElementSpec | undefined, docsBase?: string, family?: string): string {
  const type = spec.ref ? `identifier of ${spec.ref.kinds.join(' or ')}` : spec.binding ? 'binding path' : spec.docType && spec.docType !== spec.type ? `${spec.type} (${spec.docType})` : spec.type;
  const lines = [`**${name}**${family ? ` (one of ${family})` : ''}: ${type}`];
  lines.push('', spec.required && !spec.requiredRelaxed ? 'Required.' : spec.requiredRelaxed ? 'Documented as required, but often omitted in deployed configurations.' : 'Optional.');
  if (spec.default !== undefined) lines.push('', `Default: \`${spec.default}\``);
  if (spec.enumValues?.length) lines.push('', `Values: ${spec.enumValues.map((v) => (v.name ? `\`${v.name}\` (${v.value})` : `\`${v.value}\``)).join(', ')}${spec.enumClosed === false ? ' (list uncertain)' : ''}`);
  if (spec.type === 'Expression') lines.push('', 'An expression: `C#:param:code`, `Literal:value`, or a predefined function.');
  if (spec.binding) lines.push('', 'A path such as `EntityType:Property.Navigation.Property`.');
  if (spec.undocumented) lines.push('', 'Seen in real configurations; not in the vendor reference table.');
  const url = docUrl(owner?.docPath, docsBase);
  if (url) lines.push('', `[Vendor reference for <${owner!.name}>](${url})`);
  return lines.join('\n');
}
