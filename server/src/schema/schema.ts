import generated from './schema.generated.json';
import type { AttributeSpec, ElementSpec, FamilySpec, KindSpec, SchemaData } from './types';

export interface AttributeMatch {
  spec: AttributeSpec;
  /** Set when the name matched a family rather than a named attribute. */
  family?: FamilySpec;
  /** True for attributes accepted on every element (ConsolidationMode). */
  global?: boolean;
}

/** Questions the engine asks of the generated schema data. */
export class Schema {
  private readonly familyRegexes = new Map<FamilySpec, RegExp>();
  private readonly taskNames: Set<string>;
  private readonly overrideNames: Map<string, string>;
  private readonly lowerCaseElementNames = new Map<string, string[]>();
  private elementNames: string[] | undefined;

  constructor(readonly data: SchemaData) {
    withoutPrototypes(data);
    this.taskNames = new Set();
    this.overrideNames = new Map();
    for (const [key, spec] of Object.entries(data.elements)) {
      if (spec.task && !key.includes('/')) this.taskNames.add(spec.name);
      if (spec.overrides && !key.includes('/')) this.overrideNames.set(spec.name, key);
    }
  }

  get namespace(): string {
    return this.data.namespace;
  }

  get rootElement(): string {
    return this.data.rootElement;
  }

  element(key: string | undefined): ElementSpec | undefined {
    return key === undefined ? undefined : this.data.elements[key];
  }

  kind(name: string): KindSpec | undefined {
    return this.data.kinds[name];
  }

  /** Definition key of an element named `name` whose parent has definition `parentKey` (undefined parent: the root's children). */
  childKey(parentKey: string | undefined, name: string): string | undefined {
    if (parentKey === undefined) return this.data.topLevel[name];
    const parent = this.data.elements[parentKey];
    if (!parent) return undefined;
    const direct = parent.children[name];
    if (direct) return direct;
    if (parent.acceptsAnyTask && (this.taskNames.has(name) || this.overrideNames.has(name))) return this.data.topLevel[name] ?? this.overrideNames.get(name);
    return undefined;
  }

  /** Names of the elements allowed under a parent definition (undefined: under the root). */
  childNames(parentKey: string | undefined): string[] {
    if (parentKey === undefined) return Object.keys(this.data.topLevel);
    const parent = this.data.elements[parentKey];
    if (!parent) return [];
    const names = Object.keys(parent.children);
    if (parent.acceptsAnyTask) names.push(...this.taskNames, ...this.overrideNames.keys());
    return [...new Set(names)];
  }

  attribute(elementKey: string | undefined, name: string): AttributeMatch | undefined {
    const element = this.element(elementKey);
    if (element) {
      const named = element.attributes[name];
      if (named) return { spec: named };
      for (const family of element.families ?? []) {
        if (this.familyRegex(family).test(name)) return { spec: family.spec, family };
      }
    }
    const global = this.data.globalAttributes[name];
    return global ? { spec: global, global: true } : undefined;
  }

  isTask(name: string): boolean {
    return this.taskNames.has(name);
  }

  builtins(kind: string): readonly string[] {
    return this.data.builtins[kind] ?? [];
  }

  /** Every element name the schema knows, for "did you mean" on unknown elements (computed once: asked per element). */
  allElementNames(): readonly string[] {
    this.elementNames ??= [...new Set(Object.values(this.data.elements).map((e) => e.name))];
    return this.elementNames;
  }

  /** Element names that differ from `name` only by case. */
  sameNameIgnoringCase(name: string): string[] {
    if (this.lowerCaseElementNames.size === 0) {
      for (const candidate of this.allElementNames()) {
        const lower = candidate.toLowerCase();
        this.lowerCaseElementNames.set(lower, [...(this.lowerCaseElementNames.get(lower) ?? []), candidate]);
      }
    }
    return this.lowerCaseElementNames.get(name.toLowerCase()) ?? [];
  }

  familyRegex(family: FamilySpec): RegExp {
    let regex = this.familyRegexes.get(family);
    if (!regex) {
      regex = new RegExp(family.pattern);
      this.familyRegexes.set(family, regex);
    }
    return regex;
  }
}

/**
 * The data is looked up with names read from files: an element <toString>, an attribute constructor="…" or a package
 * "__proto__" must find nothing, not Object.prototype's members. Its objects get no prototype (once; in place).
 */
function withoutPrototypes(value: unknown): void {
  if (Array.isArray(value)) value.forEach(withoutPrototypes);
  else if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) !== null) {
    Object.setPrototypeOf(value, null);
    for (const child of Object.values(value)) withoutPrototypes(child);
  }
}

let shared: Schema | undefined;

/** The schema generated into this package (loaded once). */
export function loadSchema(): Schema {
  if (!shared) shared = new Schema(generated as unknown as SchemaData);
  return shared;
}
