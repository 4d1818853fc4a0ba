import type { ConfigurationSet } from '../engine/configurationSet';

/**
 * At most this many names of a configuration (entity types, properties, tasks…) are offered at once. A large
 * configuration has thousands; the list is then cut to the best-sorted names that match what is typed, and marked
 * incomplete so that the editor asks again as the user types.
 */
export const MAX_NAME_ENTRIES = 300;

export interface PickedName {
  name: string;
  /** Index of the group the name comes from (groups sort before one another). */
  group: number;
}

/**
 * Every name when there are few; else, group by group, the names that match `typed` (its characters in order,
 * ignoring case: every name the editor's own fuzzy filter could keep), at most MAX_NAME_ENTRIES, and the list is
 * incomplete (the editor asks again as the user types or erases). Each group must be sorted (see sortedNames).
 */
export function pickNames(groups: readonly (readonly string[])[], typed: string): { picked: PickedName[]; incomplete: boolean } {
  const total = groups.reduce((n, g) => n + g.length, 0);
  const picked: PickedName[] = [];
  const pattern = total <= MAX_NAME_ENTRIES ? '' : typed.toLowerCase();
  for (let group = 0; group < groups.length && picked.length < MAX_NAME_ENTRIES; group++) {
    for (const name of groups[group]) {
      if (pattern !== '' && !isSubsequence(pattern, name.toLowerCase())) continue;
      picked.push({ name, group });
      if (picked.length === MAX_NAME_ENTRIES) break;
    }
  }
  return { picked, incomplete: total > MAX_NAME_ENTRIES };
}

function isSubsequence(pattern: string, text: string): boolean {
  let at = 0;
  for (let i = 0; i < text.length && at < pattern.length; i++) if (text.charCodeAt(i) === pattern.charCodeAt(at)) at++;
  return at === pattern.length;
}

/** Names in the order the editor shows them (ignoring case). */
export function sortNames(names: readonly string[]): string[] {
  const keyed = names.map((name) => ({ name, key: name.toLowerCase() }));
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return keyed.map((k) => k.name);
}

const sortedMemo = new WeakMap<ConfigurationSet, Map<string, { names: string[]; sorted: string[] }>>();

/**
 * The candidate names of a kind (see SetIndex.candidateNames), sorted as the editor shows them. Sorting thousands of
 * names on every keystroke would cost more than the rest of completion: the order is kept while the names are the same.
 */
export function sortedNames(set: ConfigurationSet, kind: string): readonly string[] {
  const names = set.index.candidateNames(kind);
  let byKind = sortedMemo.get(set);
  if (!byKind) sortedMemo.set(set, (byKind = new Map()));
  const known = byKind.get(kind);
  if (known && sameNames(known.names, names)) return known.sorted;
  const sorted = sortNames(names);
  byKind.set(kind, { names, sorted });
  return sorted;
}

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
