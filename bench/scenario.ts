/**
 * What the benchmark does to a generated tree: edits that change diagnostics (so that the protocol shows when they
 * are done), and cursor positions for completion, definition, references and rename.
 */

export interface Edit {
  label: 'local' | 'cross-file';
  text: string;
}

/**
 * Alternating edits of a file: a local one (an invalid value appears, then disappears) and a cross-file one (a
 * declaration is renamed, so that its references elsewhere break, then restored).
 */
export function editsOf(text: string, rounds: number): Edit[] {
  const local = localToggle(text);
  const cross = crossToggle(text);
  const edits: Edit[] = [];
  for (let i = 0; i < rounds; i++) {
    edits.push({ label: 'local', text: local }, { label: 'local', text }, { label: 'cross-file', text: cross }, { label: 'cross-file', text });
  }
  return edits;
}

function replaceFirst(text: string, search: string, replacement: string): string {
  const at = text.indexOf(search);
  if (at < 0) throw new Error(`benchmark scenario: '${search}' not found`);
  return text.slice(0, at) + replacement + text.slice(at + search.length);
}

function localToggle(text: string): string {
  if (text.includes('<Connector ')) return replaceFirst(text, '<Connector ', '<Connector IsDeactivated="maybe" ');
  return replaceFirst(text, '<SingleRole ', '<SingleRole Bogus="1" ');
}

function crossToggle(text: string): string {
  const entityType = /<EntityType Identifier="([^"]+)"/.exec(text);
  if (entityType) return replaceFirst(text, entityType[0], `<EntityType Identifier="${entityType[1]}Z"`);
  const role = /<SingleRole Identifier="([^"]+)"/.exec(text);
  if (role) return replaceFirst(text, role[0], `<SingleRole Identifier="${role[1]}Z"`);
  throw new Error('benchmark scenario: nothing to rename');
}

export interface Cursor {
  what: string;
  offset: number;
}

/** Offsets in a connector file (see generate.ts) for each kind of request. */
export function cursorsOf(text: string): { completion: Cursor[]; definition: Cursor[]; references: Cursor[]; rename: Cursor } {
  const after = (search: string, what: string, skip = 0): Cursor => {
    const at = text.indexOf(search);
    if (at < 0) throw new Error(`benchmark scenario: '${search}' not found`);
    return { what, offset: at + search.length + skip };
  };
  return {
    completion: [
      after('SourceEntityType="', 'entity type value'),
      after('Binding="MainRecord.', 'binding segment'),
      after('<Connection ', 'attribute name'),
    ],
    definition: [after('SourceEntityType="', 'entity type', 2), after('Binding="MainRecord.', 'binding property', 1), after(' Connector="', 'connector', 1)],
    references: [after(' Connector="', 'connector', 1), after('Policy="', 'policy', 1), after('SourceEntityType="', 'widely used entity type', 2)],
    rename: after('SourceEntityType="', 'Directory_User', 2),
  };
}
