import { resolveBinding } from '../../index/bindings';
import type { SetRule } from '../rule';

/** A binding path whose entity type or property does not exist; points at the failing segment. */
export const unresolvedBinding: SetRule = {
  code: 'unresolved-binding',
  severity: 'error',
  scope: 'set',
  check({ model, index }, report) {
    for (const use of model.bindings) {
      const failure = resolveBinding(use, index)?.failure;
      if (!failure) continue;
      const hint = failure.replacements.length > 0 ? ` Did you mean '${failure.replacements.join("' or '")}'?` : '';
      report({
        span: failure.span,
        severity: failure.severity,
        message: `${failure.message}${hint} (in ${use.attribute}="${use.value}")`,
        fix: failure.replacements.length > 0 ? { replacements: failure.replacements } : undefined,
      });
    }
  },
};
