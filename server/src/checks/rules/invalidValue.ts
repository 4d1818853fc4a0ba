import { suggest } from '../../index/bindings';
import type { AttributeSpec } from '../../schema/types';
import { walk } from '../../syntax/model';
import type { FileRule } from '../rule';

const INT_RANGES = { Int32: [-(2 ** 31), 2 ** 31 - 1], Int64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER] } as const;

/** Values that cannot be read as the attribute's type: Boolean, integer, number, enumeration. */
export const invalidValue: FileRule = {
  code: 'invalid-value',
  severity: 'error',
  scope: 'file',
  check({ doc, schema }, report) {
    for (const element of walk(doc.roots)) {
      if (element.defKey === undefined) continue;
      for (const attr of element.attributes) {
        if (attr.value === undefined || !attr.valueSpan) continue;
        const match = schema.attribute(element.defKey, attr.name);
        if (!match) continue;
        const problem = checkValue(attr.value, match.spec);
        if (problem) report({ span: attr.valueSpan, message: `'${attr.value}' is not a valid value for ${attr.name}: ${problem.message}`, fix: problem.replacements.length ? { replacements: problem.replacements } : undefined });
      }
    }
  },
};

export function checkValue(value: string, spec: AttributeSpec): { message: string; replacements: string[] } | undefined {
  const trimmed = value.trim();
  switch (spec.type) {
    case 'Boolean':
      if (/^(true|false|1|0)$/i.test(trimmed)) return undefined;
      return { message: "write 'true' or 'false'.", replacements: ['true', 'false'] };
    case 'Int32':
    case 'Int64': {
      if (!/^[+-]?\d+$/.test(trimmed)) return { message: 'a whole number is expected.', replacements: [] };
      const [min, max] = INT_RANGES[spec.type];
      const number = Number(trimmed);
      return number < min || number > max ? { message: `the number is out of range (${min} to ${max}).`, replacements: [] } : undefined;
    }
    case 'Float':
      return /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(trimmed) ? undefined : { message: 'a number is expected.', replacements: [] };
    case 'Enum': {
      const values = spec.enumValues ?? [];
      if (spec.enumClosed === false || values.length === 0) return undefined;
      if (acceptedOf(spec).has(trimmed.toLowerCase())) return undefined;
      const names = values.map((v) => v.name ?? v.value);
      const listed = values.map((v) => (v.name ? `${v.name} (${v.value})` : v.value)).join(', ');
      return { message: `allowed values are ${listed}.`, replacements: suggest(trimmed, names) };
    }
    default:
      return undefined;
  }
}

const acceptedCache = new WeakMap<AttributeSpec, Set<string>>();

/** The values and names an enumeration accepts, lowercased (computed once per attribute definition). */
function acceptedOf(spec: AttributeSpec): Set<string> {
  let accepted = acceptedCache.get(spec);
  if (!accepted) {
    accepted = new Set((spec.enumValues ?? []).flatMap((v) => (v.name ? [v.value, v.name] : [v.value])).map((a) => a.toLowerCase()));
    acceptedCache.set(spec, accepted);
  }
  return accepted;
}
