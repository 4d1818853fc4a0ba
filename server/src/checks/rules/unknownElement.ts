import { suggest } from '../../index/bindings';
import { walk } from '../../syntax/model';
import type { FileRule } from '../rule';

/** Elements the schema does not know where it knows the parent. A warning: schema gaps must not become errors. */
export const unknownElement: FileRule = {
  code: 'unknown-element',
  severity: 'warning',
  scope: 'file',
  check({ doc, schema }, report) {
    const root = doc.roots[0];
    if (!root) return;
    for (const element of walk(root.children)) {
      if (element.defKey !== undefined || element.name === '') continue;
      const parent = element.parent;
      const parentIsRoot = parent === root;
      if (!parentIsRoot && parent?.defKey === undefined) continue; // inside an unknown element: already reported
      const parentSpec = parentIsRoot ? undefined : schema.element(parent!.defKey);
      if (parentSpec?.openChildren) continue;
      if (!parentIsRoot && !parent!.closed) continue; // an unclosed parent swallowed its siblings: xml-syntax says so
      const allowed = schema.childNames(parentIsRoot ? undefined : parent!.defKey);
      const caseOnly = schema.sameNameIgnoringCase(element.name).filter((n) => n !== element.name && allowed.includes(n));
      const replacements = caseOnly.length > 0 ? caseOnly : suggest(element.name, allowed);
      const where = parentIsRoot ? 'at the top level of a configuration file' : `inside <${parent!.name}>`;
      const knownElsewhere = allowed.includes(element.name) ? '' : schema.allElementNames().includes(element.name) ? ` (<${element.name}> exists, but not ${where})` : '';
      const hint = replacements.length > 0 ? ` Did you mean ${replacements.map((r) => `<${r}>`).join(' or ')}?` : '';
      report({
        span: element.nameSpan,
        message: `Unknown element <${element.name}> ${where}${knownElsewhere}.${hint}`,
        fix: replacements.length > 0 ? { replacements } : undefined,
      });
    }
  },
};
