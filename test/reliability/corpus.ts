import * as fs from 'node:fs';
import * as path from 'node:path';

/** The repository root (tests run from out/test/reliability). */
export const REPO = path.resolve(__dirname, '../../..');
export const EXAMPLES = path.join(REPO, 'examples');
/** The vendor's XML examples: beside the project here and in CI, absent from users' clones. */
export const DOC_EXAMPLES = path.resolve(REPO, '../shared/doc-examples');
export const NS = 'urn:schemas-usercube-com:configuration';

export interface Seed {
  /** Where the text comes from (for reports). */
  name: string;
  /** Path relative to the set root where the fuzzed text is placed (an examples file is replaced in place). */
  relative: string;
  text: string;
  kind: 'xml' | 'settings';
}

/** The bundled demo configuration: its XML files and its agent settings, by path relative to examples/. */
export function exampleFiles(): Record<string, string> {
  const files: Record<string, string> = {};
  for (const name of fs.readdirSync(path.join(EXAMPLES, 'Conf')).filter((f) => f.endsWith('.xml')).sort()) {
    files[`Conf/${name}`] = fs.readFileSync(path.join(EXAMPLES, 'Conf', name), 'utf8');
  }
  files['appsettings.agent.json'] = fs.readFileSync(path.join(EXAMPLES, 'appsettings.agent.json'), 'utf8');
  return files;
}

export function docExamplesAvailable(): boolean {
  return fs.existsSync(DOC_EXAMPLES);
}

/** Why tests over ../shared/doc-examples are skipped, or false when it is present. */
export function docExamplesSkip(): string | false {
  return docExamplesAvailable() ? false : `../shared/doc-examples is not present beside the project (${DOC_EXAMPLES}); runs on examples/ only`;
}

/**
 * Texts the fuzzer starts from: every examples file in place, and every vendor doc example (when present) both
 * wrapped in a configuration root (so that it is analysed) and raw (a fragment, as it is in the docs).
 */
export function seeds(includeDocExamples = docExamplesAvailable()): Seed[] {
  const result: Seed[] = [];
  for (const [relative, text] of Object.entries(exampleFiles())) {
    result.push({ name: `examples/${relative}`, relative, text, kind: relative.endsWith('.json') ? 'settings' : 'xml' });
  }
  if (includeDocExamples) {
    for (const name of fs.readdirSync(DOC_EXAMPLES).filter((f) => f.endsWith('.xml')).sort()) {
      const raw = fs.readFileSync(path.join(DOC_EXAMPLES, name), 'utf8');
      result.push({ name: `doc-examples/${name}`, relative: 'Conf/Fuzz.xml', text: `<?xml version="1.0" encoding="utf-8"?>\n<ConfigurationFile xmlns="${NS}">\n${raw}\n</ConfigurationFile>\n`, kind: 'xml' });
      result.push({ name: `doc-examples/${name} (raw)`, relative: 'Conf/FuzzRaw.xml', text: raw, kind: 'xml' });
    }
  }
  return result;
}
