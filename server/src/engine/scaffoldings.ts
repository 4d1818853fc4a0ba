import type { GeneratedNames } from '../checks/rule';
import type { FileModel } from '../index/fileModel';
import type { Schema } from '../schema/schema';
import type { ScaffoldingOutputSpec } from '../schema/types';
import { attributeValue, type XmlElement } from '../syntax/model';

/**
 * Symbols that the set's scaffoldings generate, where the vendor documents their names
 * (jobs and tasks of the job scaffoldings, menu items, workflows, entity types of the templates…).
 */
/** The names, and a signature that is equal exactly when two results answer alike. */
export function generatedNames(models: Iterable<FileModel>, schema: Schema, namesOf?: (kind: string) => Iterable<string>): GeneratedNames & { signature: string } {
  const exact = new Map<string, Set<string>>();
  const patterns = new Map<string, RegExp[]>();
  const uncertain = new Set<string>();
  const allModels = [...models];
  // The declared names of a kind (each once: a repeated name would only repeat the same generated names).
  const declaredNames = (kind: string): string[] =>
    namesOf ? [...namesOf(kind)] : [...new Set(allModels.flatMap((m) => m.declarations.filter((d) => d.kind === kind).map((d) => d.name)))];

  const addPattern = (kind: string, pattern: string) => {
    if (!pattern.includes('*')) {
      let names = exact.get(kind);
      if (!names) exact.set(kind, (names = new Set()));
      names.add(pattern);
      return;
    }
    const regex = new RegExp(`^${pattern.split('*').map(escapeRegex).join('.*')}$`);
    patterns.set(kind, [...(patterns.get(kind) ?? []), regex]);
  };

  const expandScaffolding = (element: XmlElement, name: string, seen: Set<string>) => {
    if (seen.has(name)) return;
    seen.add(name);
    const outputs: ScaffoldingOutputSpec | undefined = schema.data.scaffoldingOutputs[name];
    if (!outputs) return;
    const byKind: [string, string[]][] = [
      ['Job', outputs.jobs ?? []],
      ['Task', outputs.tasks ?? []],
      ...Object.entries(outputs.symbols ?? {}),
    ];
    if (outputs.namesUndocumented) ['Job', 'Task'].forEach((kind) => uncertain.add(kind));
    const iterations = outputs.forEach ? declaredNames(outputs.forEach).map((value) => ({ [outputs.forEach!]: value })) : [{}];
    for (const fixed of iterations) {
      for (const [kind, list] of byKind) {
        for (const pattern of list) {
          const expanded = expand(pattern, (attr) => fixed[attr] ?? attributeValue(element, attr) ?? outputs.defaults?.[attr]);
          if (expanded === undefined) uncertain.add(kind);
          else addPattern(kind, expanded);
        }
      }
    }
    for (const included of outputs.includes ?? []) expandScaffolding(element, included, seen);
  };

  for (const model of allModels) for (const element of model.scaffoldings) expandScaffolding(element, element.name, new Set());
  const signature = JSON.stringify([
    [...exact].map(([kind, names]) => [kind, [...names].sort()]).sort(),
    [...patterns].map(([kind, list]) => [kind, list.map((r) => r.source).sort()]).sort(),
    [...uncertain].sort(),
  ]);
  const result: GeneratedNames & { signature: string } = {
    has: (kind, name) => exact.get(kind)?.has(name) === true || (patterns.get(kind) ?? []).some((regex) => regex.test(name)),
    uncertain: (kind) => uncertain.has(kind),
    signature,
  };
  return result;
}

/** Replaces {Attribute} placeholders; undefined when one has no value (the generated name is unknown). */
function expand(pattern: string, valueOf: (attribute: string) => string | undefined): string | undefined {
  let missing = false;
  const result = pattern.replace(/\{(\w+)\}/g, (_, attr: string) => {
    const value = valueOf(attr);
    if (value === undefined || value === '') missing = true;
    return value ?? '';
  });
  return missing ? undefined : result;
}

function escapeRegex(text: string): string {
  return text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
}
