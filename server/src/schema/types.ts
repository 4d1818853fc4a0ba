/**
 * The shape of `schema.generated.json`, produced by `scripts/generate-schema.mjs`
 * from the shared vendor facts plus `scripts/schema-overlay.json` (our decisions).
 * Everything the engine knows about elements and attributes comes from this data.
 */

export const SCHEMA_FORMAT_VERSION = 1;

export interface SchemaData {
  formatVersion: number;
  /** Hash of the inputs, so caches keyed on the schema can be invalidated. */
  inputsHash: string;
  namespace: string; // urn:schemas-usercube-com:configuration
  rootElement: string; // ConfigurationFile
  /** Element definitions keyed by definition path: "EntityType", "EntityType/Property", "Job/Step". */
  elements: Record<string, ElementSpec>;
  /** Element names allowed directly under the root element, mapped to their definition key. */
  topLevel: Record<string, string>;
  /** Attributes accepted on every element (e.g. ConsolidationMode). */
  globalAttributes: Record<string, AttributeSpec>;
  /** Symbol kinds: what declares them and how they are shown. */
  kinds: Record<string, KindSpec>;
  /** Identifiers that exist without being declared in a configuration (vendor built-ins). */
  builtins: Record<string, string[]>;
  /** Per connection package id ("Usercube.AD@0000001"): the agent settings it needs. */
  connectionPackages: Record<string, ConnectionPackageSpec>;
  /** Jobs and tasks that scaffoldings generate, by scaffolding element name. */
  scaffoldingOutputs: Record<string, ScaffoldingOutputSpec>;
}

export interface ElementSpec {
  /** Element name as written in XML. */
  name: string;
  /** Vendor reference page, relative to the docs root ("docs/identitymanager/6.2/..."); absent when no page exists. */
  docPath?: string;
  category?: string;
  /** True when documented only by examples or real configurations, not by a reference page. */
  undocumented?: boolean;
  scaffolding?: boolean;
  /** A *Task element: declares into the shared "Task" namespace and may sit inside a Job. */
  task?: boolean;
  /** For an XxxTaskOverride: the task element it overrides (its Identifier names an existing task). */
  overrides?: string;
  /** The element declares a symbol. */
  declares?: DeclarationSpec;
  attributes: Record<string, AttributeSpec>;
  /** Attribute name families (DisplayName_L1..L16, C0..CV, D0..DV). Tried after `attributes`. */
  families?: FamilySpec[];
  /** Child element name -> definition key of the child. */
  children: Record<string, string>;
  /** Job: any *Task and *TaskOverride element may be nested. */
  acceptsAnyTask?: boolean;
  /** Children are not known well enough to report unknown ones. */
  openChildren?: boolean;
  /** Attributes are not known well enough to report unknown ones. */
  openAttributes?: boolean;
}

export interface DeclarationSpec {
  kind: string;
  /** Attribute whose value is the declared name ("Identifier", "Id", "Code"). */
  attribute: string;
  /**
   * "global": unique in the configuration set for its kind.
   * "parent": unique within the nearest ancestor that declares something (e.g. a property within its entity type);
   *           the qualified name is "<parent name>.<name>".
   */
  scope: 'global' | 'parent';
}

export type AttributeType =
  | 'String'
  | 'Boolean'
  | 'Int32'
  | 'Int64'
  | 'Float'
  | 'DateTime'
  | 'Enum'
  | 'Binding'
  | 'Expression'
  | 'CronTab';

export interface AttributeSpec {
  type: AttributeType;
  /** The type the vendor table gives, when it differs from `type` ("Int64" for an identifier, "ConnectionTransformationType"...). */
  docType?: string;
  required?: boolean;
  /** Required per the docs but routinely omitted by deployed configurations: never reported missing. */
  requiredRelaxed?: boolean;
  default?: string;
  /** Allowed values; each may be written by its number or by its name. */
  enumValues?: EnumValueSpec[];
  /** False when the value list was guessed (the vendor doc is unclear): never report an invalid value then. */
  enumClosed?: boolean;
  /** The value names a declared symbol. */
  ref?: ReferenceSpec;
  /** The value is a binding path (for Binding attributes, and property references written as bindings). */
  binding?: BindingSpec;
  localized?: boolean;
  /** An element carrying this attribute completes one declared elsewhere: its missing required attributes are not reported. */
  relaxesRequired?: boolean;
  /** Known only from examples or real configurations. */
  undocumented?: boolean;
}

export interface EnumValueSpec {
  value: string; // "0"
  name?: string; // "Used"
}

export interface FamilySpec {
  /** Anchored regular expression source for the attribute names of the family. */
  pattern: string;
  /** Human label: "DisplayName_L1 … DisplayName_L16". */
  label: string;
  /** A representative member name, used for completion ("DisplayName_L1"). */
  example: string;
  spec: AttributeSpec;
}

export interface ReferenceSpec {
  /** Target kinds; the reference resolves when any of them declares the name ("alsoReferences"). */
  kinds: string[];
  /** For kinds declared with scope "parent" (properties): where the owning entity type comes from. */
  context?: ContextSpec[];
  /** The target cannot be checked (no declaration exists in configurations): completion and hover only. */
  unchecked?: boolean;
  /** For parent-scoped kinds written qualified ("Workflow:Activity"): the separator between owner and name. */
  qualifiedSeparator?: string;
}

export interface BindingSpec {
  /**
   * Where a relative binding (no "Type:" prefix) starts. Absent: relative bindings are not checked.
   * Several alternatives are tried in order; the first that yields a value wins.
   */
  context?: ContextSpec[];
  /** The value may also be an expression (C#:..., Literal:...); such values are skipped. */
  allowsExpression?: boolean;
  /** The path must end on a navigation property (EntityAssociation Property1/Property2). */
  mustEndOnNavigation?: boolean;
}

/**
 * Locates the entity type a relative binding or property reference starts from:
 * the value of `attribute` on the element found by `element` ("self", "parent", or "ancestor:<ElementName>").
 * When `via` is set, that value names a symbol of `via.kind` (e.g. a ResourceType) and the entity type is
 * the value of `via.attribute` on the declaring element (e.g. its TargetEntityType).
 * When `valueIsBinding` is set, the value is itself a binding ("Type:Nav.Nav") and its end type is used.
 */
export interface ContextSpec {
  element: string;
  attribute: string;
  via?: { kind: string; attribute: string };
  valueIsBinding?: boolean;
}

export interface KindSpec {
  /** Element names (definition keys) that declare this kind. */
  declaredBy: string[];
  /** "appsettings" kinds are declared by keys of the agent settings file. */
  source: 'xml' | 'appsettings';
  /** For appsettings kinds: JSON path of the object whose keys declare ("Connections", "OpenId.OpenIdClients"), or of the value ("OpenId.AgentIdentifier"). */
  jsonPath?: string;
  /** Human label ("entity type", "connection"). */
  label: string;
}

export interface ConnectionPackageSpec {
  connector: string;
  docPath?: string;
  capabilities: string[];
  /** true: agent settings needed; false: none; "unknown": undocumented. */
  needsAgentSettings: boolean | 'unknown';
  keys: { name: string; required: boolean; secret: boolean; note?: string }[];
}

export interface ScaffoldingOutputSpec {
  /** Job identifier patterns the scaffolding generates; "{Connector}", "{Agent}", "{JobIdentifier}" are attribute values. */
  jobs?: string[];
  /** Task identifier patterns the scaffolding generates. */
  tasks?: string[];
  /** True when the vendor does not document the generated names: references that could be generated stay silent. */
  namesUndocumented?: boolean;
  /** Placeholder values used when the scaffolding omits the attribute ({JobIdentifier} → "InitializationJob"). */
  defaults?: Record<string, string>;
  /** The placeholder of that name ranges over every declared symbol of the kind ("Connector"). */
  forEach?: string;
  /** Other symbols generated, by kind; patterns as for jobs and tasks ("*" matches any run of characters). */
  symbols?: Record<string, string[]>;
  /** Scaffoldings this one expands into, with the same attributes. */
  includes?: string[];
}
