import { suggest } from '../../index/bindings';
import type { SetRule } from '../rule';

/** A reference attribute naming no declaration of its kind in the set, its modules or its agent settings. */
export const unresolvedReference: SetRule = {
  code: 'unresolved-reference',
  severity: 'error',
  scope: 'set',
  check({ model, index, schema, settings, generated }, report) {
    for (const ref of model.references) {
      if (ref.spec.unchecked) continue;
      if (index.resolves(ref.kinds, ref.name)) continue;
      const usesSettings = ref.kinds.some((kind) => schema.kind(kind)?.source === 'appsettings');
      const xmlKinds = ref.kinds.filter((kind) => schema.kind(kind)?.source !== 'appsettings');
      if (usesSettings && !settings) continue; // the name may be in agent settings we cannot see
      if (xmlKinds.length === 0 && !settings) continue;
      if (ref.kinds.some((kind) => generated.has(kind, ref.name) || generated.uncertain(kind))) continue;
      if (ref.kinds.some((kind) => !schema.kind(kind))) continue; // a kind nothing can declare: cannot be checked
      const primary = ref.kinds[0];
      const label = schema.kind(primary)?.label ?? primary;
      // An array, so that `suggest` can remember answers for the list (a renamed declaration leaves the same name
      // unresolved in every file that re-checks).
      const candidates = ref.kinds.length === 1 ? index.candidateNames(primary) : [...new Set(ref.kinds.flatMap((kind) => index.candidateNames(kind)))];
      const replacements = suggest(ref.name, candidates);
      const where = describeWhere(ref.kinds, schema);
      const hint = replacements.length > 0 ? ` Did you mean '${replacements.join("' or '")}'?` : ` Declare it, or correct the name.`;
      report({
        span: ref.span,
        message: `No ${label} named '${ref.name}' ${where}.${hint}`,
        fix: replacements.length > 0 ? { replacements } : undefined,
      });
    }
  },
};

function describeWhere(kinds: readonly string[], schema: { kind(name: string): { source: string; jsonPath?: string } | undefined }): string {
  const places = kinds.map((kind) => {
    const spec = schema.kind(kind);
    return spec?.source === 'appsettings' ? `in the agent settings (${spec.jsonPath})` : 'in this configuration';
  });
  return `exists ${[...new Set(places)].join(' or ')}`;
}
