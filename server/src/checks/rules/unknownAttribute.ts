import { suggest } from '../../index/bindings';
import { walk } from '../../syntax/model';
import type { FileRule } from '../rule';

const NAMESPACE_ATTRIBUTE = /^(xmlns(:.*)?|xsi:.*|xml:.*)$/;

export const unknownAttribute: FileRule = {
  code: 'unknown-attribute',
  severity: 'warning',
  scope: 'file',
  check({ doc, schema }, report) {
    for (const element of walk(doc.roots)) {
      const spec = schema.element(element.defKey);
      if (!spec || spec.openAttributes) continue;
      let known: { names: string[]; missingRequired: string[] } | undefined; // once per element: it may have thousands
      for (const attr of element.attributes) {
        if (attr.name === '' || NAMESPACE_ATTRIBUTE.test(attr.name)) continue;
        if (schema.attribute(element.defKey, attr.name)) continue;
        if (!known) {
          const present = new Set(element.attributes.map((a) => a.name));
          known = {
            names: [...Object.keys(spec.attributes), ...(spec.families ?? []).map((f) => f.example)],
            missingRequired: Object.entries(spec.attributes).filter(([n, a]) => a.required && !present.has(n)).map(([n]) => n),
          };
        }
        const { names, missingRequired } = known;
        const nearMisses = suggest(attr.name, names);
        // With no near miss, a single missing required attribute is the likely intent (Identifier= written for EntityType=).
        const replacements = nearMisses.length > 0 ? nearMisses : missingRequired.length === 1 ? missingRequired : [];
        const hint = replacements.length > 0 ? ` Did you mean '${replacements.join("' or '")}'?` : '';
        report({
          span: attr.nameSpan,
          message: `<${element.name}> has no attribute '${attr.name}'.${hint}`,
          fix: replacements.length > 0 ? { replacements } : undefined,
        });
      }
    }
  },
};
