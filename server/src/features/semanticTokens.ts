import { resolveBinding } from '../index/bindings';
import type { ConfigurationSet } from '../engine/configurationSet';
import type { Span } from '../syntax/lineIndex';

/** The legend the server announces; token types and modifiers are indexes into these lists. */
export const TOKEN_TYPES = ['class', 'property', 'function', 'variable', 'namespace', 'enumMember'] as const;
export const TOKEN_MODIFIERS = ['declaration', 'defaultLibrary', 'unresolved'] as const;

export type TokenType = (typeof TOKEN_TYPES)[number];
export type TokenModifier = (typeof TOKEN_MODIFIERS)[number];

export interface SemanticToken {
  span: Span;
  type: TokenType;
  modifiers: TokenModifier[];
}

const TYPE_OF_KIND: Record<string, TokenType> = {
  EntityType: 'class',
  'EntityType.Property': 'property',
  EntityAssociation: 'namespace',
  Task: 'function',
  Job: 'function',
};

function typeOf(kind: string): TokenType {
  return TYPE_OF_KIND[kind] ?? 'variable';
}

/**
 * Identifiers inside attribute values, classified by what they name: declarations, references and each binding
 * segment (entity types, properties); built-ins carry `defaultLibrary`. Names the checker reports as unresolved get
 * the `unresolved` modifier, at exactly the diagnostics' ranges, so highlighting and Problems always agree.
 */
export function semanticTokens(set: ConfigurationSet, file: string): SemanticToken[] {
  const model = set.index.model(file);
  if (!model) return [];
  const tokens: SemanticToken[] = [];
  for (const decl of model.declarations) tokens.push({ span: decl.span, type: typeOf(decl.kind), modifiers: ['declaration'] });
  for (const ref of model.references) {
    const kind = ref.kinds.find((k) => set.index.symbols(k, ref.name).length > 0);
    if (kind) tokens.push({ span: ref.span, type: typeOf(kind), modifiers: [] });
    else if (ref.kinds.some((k) => set.index.isImplicit(k, ref.name))) tokens.push({ span: ref.span, type: typeOf(ref.kinds[0]), modifiers: ['defaultLibrary'] });
  }
  for (const use of model.bindings) {
    if (!use.exactOffsets) continue;
    for (const step of resolveBinding(use, set.index)?.steps ?? []) {
      tokens.push({ span: step.span, type: typeOf(step.kind), modifiers: step.decls.length === 0 ? ['defaultLibrary'] : [] });
    }
  }
  for (const diagnostic of set.diagnose(file)) {
    if (diagnostic.code === 'unresolved-reference' || diagnostic.code === 'unresolved-binding') {
      tokens.push({ span: diagnostic.span, type: 'variable', modifiers: ['unresolved'] });
    }
  }
  return tokens.filter((t) => t.span.end > t.span.start).sort((a, b) => a.span.start - b.span.start);
}
