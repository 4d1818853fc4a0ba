import { attributeValue, walk } from '../../syntax/model';
import type { ElementSpec } from '../../schema/types';
import type { FileRule } from '../rule';

export const missingAttribute: FileRule = {
  code: 'missing-attribute',
  severity: 'error',
  scope: 'file',
  check({ doc, schema }, report) {
    for (const element of walk(doc.roots)) {
      const spec = schema.element(element.defKey);
      if (!spec) continue;
      // A Merge or Delete element only names what it changes.
      if (attributeValue(element, 'ConsolidationMode') !== undefined) continue;
      const required = requiredOf(spec);
      if (required.length === 0) continue;
      const missing = required.filter((name) => !element.attributes.some((a) => a.name === name));
      if (missing.length === 0) continue;
      const list = missing.map((m) => `'${m}'`).join(', ');
      report({
        span: element.nameSpan,
        message: `<${element.name}> is missing the required attribute${missing.length > 1 ? 's' : ''} ${list}. Add ${missing.length > 1 ? 'them' : 'it'}.`,
        fix: { addAttributes: missing.map((name) => ({ name, value: '' })) },
      });
    }
  },
};

const requiredCache = new WeakMap<ElementSpec, string[]>();

/** Required attributes of a definition (named ones, then one example per required family), computed once. */
function requiredOf(spec: ElementSpec): string[] {
  let required = requiredCache.get(spec);
  if (!required) {
    required = Object.entries(spec.attributes)
      .filter(([, attr]) => attr.required && !attr.requiredRelaxed)
      .map(([name]) => name);
    for (const family of spec.families ?? []) if (family.spec.required && !family.spec.requiredRelaxed) required.push(family.example);
    requiredCache.set(spec, required);
  }
  return required;
}
