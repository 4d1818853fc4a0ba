export const DEFAULT_DOCS_BASE = 'https://docs.netwrix.com/docs/identitymanager/6_2';

/**
 * The public URL of a vendor reference page, from the schema's docPath
 * ("docs/identitymanager/6.2/integration-guide/…/connector/index.md" → "<base>/integration-guide/…/connector").
 * Pages of other versions (6.1, saas) keep their own version segment.
 */
export function docUrl(docPath: string | undefined, base = DEFAULT_DOCS_BASE): string | undefined {
  if (!docPath) return undefined;
  const match = /^docs\/identitymanager\/([^/]+)\/(.*?)(?:\/index)?\.md$/.exec(docPath);
  if (!match) return undefined;
  const version = match[1].replace(/\./g, '_');
  const trimmed = base.replace(/\/+$/, '');
  const root = /\/[^/]+$/.test(trimmed) && /\/(\d+_\d+|saas)$/.test(trimmed) ? trimmed.replace(/\/[^/]+$/, '') : trimmed;
  return `${root}/${version}/${match[2]}`;
}
