import { attributeValue, walk } from '../../syntax/model';
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
      const present = new Set(element.attributes.map((a) => a.name));
      const missing = Object.entries(spec.attributes)
        .filter(([name, attr]) => attr.required && !attr.requiredRelaxed && !present.has(name))
        .map(([name]) => name);
      for (const family of spec.families ?? []) {
        if (!family.spec.required || family.spec.requiredRelaxed) continue;
        if (!present.has(family.example)) missing.push(family.example);
      }
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
