import type { Declaration } from '../../index/fileModel';
import type { SetRule } from '../rule';

/**
 * Two declarations of the same kind and name in one configuration set. Elements with ConsolidationMode
 * Merge or Delete change an existing declaration and are not duplicates.
 */
/** Each of N copies points at the others: N² locations for a name copied thousands of times, so only the first few. */
const MAX_RELATED = 5;

export const duplicateIdentifier: SetRule = {
  code: 'duplicate-identifier',
  severity: 'error',
  scope: 'set',
  check({ model, index, schema }, report) {
    for (const decl of model.declarations) {
      if (decl.consolidation) continue;
      const others = index.declarations(decl.kind, decl.name).filter((d) => d !== decl && !d.consolidation);
      if (others.length === 0) continue;
      const label = schema.kind(decl.kind)?.label ?? decl.kind;
      const shown = decl.owner ? `'${decl.localName}' of entity type '${decl.owner}'` : `'${decl.name}'`;
      report({
        span: decl.span,
        message: `The ${label} ${shown} is declared ${others.length + 1} times in this configuration. Rename one, or mark the extra one ConsolidationMode="Merge" if it is meant to extend the first.`,
        related: others.slice(0, MAX_RELATED).map((other) => ({ file: other.file, span: other.span, message: describe(other, index.isModule(other.file)) })),
      });
    }
  },
};

function describe(decl: Declaration, inModule: boolean): string {
  return `${inModule ? 'module ' : ''}declaration of '${decl.localName}' (<${decl.element.name}>)`;
}
