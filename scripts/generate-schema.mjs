#!/usr/bin/env node
// Builds server/src/schema/schema.generated.json (the SchemaData contract of server/src/schema/types.ts)
// from the shared vendor facts (../shared/schema/) plus our own decisions (scripts/schema-overlay.json).
//
// The code below only holds generic transformations. Every per-element decision lives in the overlay.
// Usage: node scripts/generate-schema.mjs   (env USERCUBE_SHARED_DIR overrides the shared folder)

import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const FORMAT_VERSION = 1;
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const sharedDir = process.env.USERCUBE_SHARED_DIR
  ? path.resolve(process.env.USERCUBE_SHARED_DIR)
  : path.resolve(repoRoot, '..', 'shared', 'schema');
const overlayFile = path.join(repoRoot, 'scripts', 'schema-overlay.json');
const outputFile = path.join(repoRoot, 'server', 'src', 'schema', 'schema.generated.json');

const SHARED_FILES = {
  schema: 'usercube-schema.json',
  observed: 'observed-in-real-configurations.json',
  omitted: 'required-but-omitted-in-real-configurations.json',
  packages: 'connection-packages.json',
};

// ---------------------------------------------------------------------------------------------
// Small helpers

function fail(message) {
  console.error(`generate-schema: ${message}`);
  process.exit(1);
}

function readInputs() {
  if (!existsSync(sharedDir)) {
    fail(
      `shared schema folder not found: ${sharedDir}\n` +
        '  Set USERCUBE_SHARED_DIR to the folder holding usercube-schema.json. ' +
        `${path.relative(repoRoot, outputFile)} was left untouched.`,
    );
  }
  const hash = createHash('sha256');
  const data = {};
  for (const [key, file] of Object.entries(SHARED_FILES)) {
    const full = path.join(sharedDir, file);
    if (!existsSync(full)) fail(`missing input ${full}; ${path.relative(repoRoot, outputFile)} was left untouched.`);
    const bytes = readFileSync(full);
    hash.update(bytes);
    data[key] = JSON.parse(bytes.toString('utf8'));
  }
  const overlayBytes = readFileSync(overlayFile);
  hash.update(overlayBytes);
  data.overlay = JSON.parse(overlayBytes.toString('utf8'));
  data.inputsHash = hash.digest('hex').slice(0, 16);
  return data;
}

const clone = (v) => JSON.parse(JSON.stringify(v));
const escapeRegex = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** "Workflow*Form/MainControl" -> RegExp; "*" never crosses a "/". */
function globToRegex(glob) {
  return new RegExp('^' + glob.split('*').map(escapeRegex).join('[^/]*') + '$');
}

function matchKeys(elements, globs) {
  const list = Array.isArray(globs) ? globs : [globs];
  const keys = new Set();
  for (const glob of list) {
    const re = globToRegex(glob);
    const found = Object.keys(elements).filter((k) => re.test(k));
    if (found.length === 0) fail(`overlay names "${glob}", which matches no element definition`);
    found.forEach((k) => keys.add(k));
  }
  return [...keys].sort();
}

/** Removes the overlay's documentation keys ("why", "note") from a value before it enters the output. */
function stripNotes(value) {
  if (Array.isArray(value)) return value.map(stripNotes);
  if (value && typeof value === 'object') {
    const out = {};
    for (const [k, v] of Object.entries(value)) if (k !== 'why' && k !== 'note') out[k] = stripNotes(v);
    return out;
  }
  return value;
}

/** Recursively sorts object keys so that the output does not depend on input order. */
function sortKeys(value) {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    const out = {};
    for (const k of Object.keys(value).sort()) out[k] = sortKeys(value[k]);
    return out;
  }
  return value;
}

// ---------------------------------------------------------------------------------------------
// Attribute conversion (doc attribute -> AttributeSpec)

/** "0 - Used", "`0` - None", "\"Unknown\"=0", "Equals" -> {value, name}. */
function parseEnumValue(raw) {
  const s = String(raw).replace(/`/g, '').trim();
  let m = s.match(/^(-?\d+)\s*-\s*(.+)$/);
  if (m) return { value: m[1], name: m[2].trim() };
  m = s.match(/^"?([^"=]+?)"?\s*=\s*(-?\d+)$/);
  if (m) return { value: m[2], name: m[1].trim() };
  return { value: s };
}

function mapKind(kind, ctx) {
  return ctx.overlay.referenceKinds.renames[kind] ?? kind;
}

function convertAttribute(doc, ctx) {
  const { overlay } = ctx;
  const spec = {};
  const docType = doc.type;
  const refs = doc.references ? [doc.references, ...(doc.alsoReferences ?? [])] : [];
  const isBoolean = docType === 'Boolean';

  if (doc.enumValues && doc.enumValues.length > 0) {
    spec.type = 'Enum';
    spec.enumValues = doc.enumValues.map(parseEnumValue);
    if (doc.enumValuesHeuristic) spec.enumClosed = false;
  } else if (overlay.typeMapping[docType]) {
    spec.type = overlay.typeMapping[docType];
  } else {
    spec.type = 'String'; // any other named type without values
  }

  // Identifier-like Int64 (doubt 1) and every reference hold names, never numbers.
  if (refs.length > 0 && !isBoolean && spec.type !== 'Enum') spec.type = 'String';

  if (refs.length > 0 && !isBoolean) {
    // Property references are written as bindings ("Type:Prop" or relative "Prop").
    if (refs[0] === overlay.referenceKinds.propertyReference) spec.binding = {};
    else spec.ref = { kinds: refs.map((k) => mapKind(k, ctx)) };
  }
  if (spec.type === 'Binding') spec.binding = spec.binding ?? {};
  if (spec.type !== docType) spec.docType = docType;
  if (doc.docType && doc.docType !== spec.type) spec.docType = doc.docType;
  if (doc.required) spec.required = true;
  if (doc.default !== undefined) spec.default = String(doc.default);
  if (doc.localized) spec.localized = true;
  if (doc.fromExample) spec.undocumented = true;

  // Repeated names ("8 - Pending", "9 - Pending") mean the extraction cut multi-word labels: not trustworthy.
  if (spec.type === 'Enum') {
    const names = spec.enumValues.map((v) => v.name).filter(Boolean);
    if (new Set(names).size !== names.length) spec.enumClosed = false;
  }
  // A non-numeric default that is not one of the listed names means the list is not trustworthy.
  if (spec.type === 'Enum' && spec.default !== undefined && !/^-?\d+$/.test(spec.default)) {
    const known = spec.enumValues.some((v) => v.name === spec.default || v.value === spec.default);
    if (!known) spec.enumClosed = false;
  }
  return spec;
}

// ---------------------------------------------------------------------------------------------
// Families

/**
 * Doc notations: "DisplayName_L{1..16}", "Property{1..5}", "D0..D127 (base32hex D0..D3V)",
 * "R0..R3V", "D0IsActive..D3VIsActive". Returns {prefix, range, suffix}.
 */
function parseFamilyNotation(notation) {
  let m = notation.match(/^([A-Za-z_]*?)\{(\d+)\.\.(\d+)\}([A-Za-z_]*)$/);
  if (m) return { prefix: m[1], range: `${m[2]}..${m[3]}`, suffix: m[4] };
  m = notation.match(/^([A-Za-z]+?)(\d+)([A-Za-z_]*)\.\.\1([0-9A-Z]+?)\3(?:\s.*)?$/);
  if (m) return { prefix: m[1], range: `${m[2]}..${m[4]}`, suffix: m[3] };
  return null;
}

function buildFamily(notation, memberSpec, ctx) {
  const parsed = parseFamilyNotation(notation);
  if (!parsed) fail(`cannot parse family notation "${notation}"`);
  const range = ctx.overlay.familyRanges[parsed.range];
  if (!range) fail(`family range "${parsed.range}" (from "${notation}") has no entry in overlay.familyRanges`);
  const { prefix, suffix } = parsed;
  return {
    pattern: `^${escapeRegex(prefix)}${range.pattern}${escapeRegex(suffix)}$`,
    label: `${prefix}${range.first}${suffix} … ${prefix}${range.last}${suffix}`,
    example: `${prefix}${range.first}${suffix}`,
    spec: memberSpec,
  };
}

function familyMatches(def, name) {
  return (def.families ?? []).some((f) => new RegExp(f.pattern).test(name));
}

function addFamily(def, family) {
  def.families = def.families ?? [];
  if (!def.families.some((f) => f.pattern === family.pattern)) def.families.push(family);
}

// ---------------------------------------------------------------------------------------------
// Definitions from the vendor pages

function newDefinition(name, extra = {}) {
  return { name, attributes: {}, children: {}, ...extra };
}

function convertAttributes(def, docAttributes, ctx) {
  for (const [attrName, doc] of Object.entries(docAttributes ?? {})) {
    const spec = convertAttribute(doc, ctx);
    if (doc.family) {
      // A required localized attribute means its first language (X_L1) is required; other families are never required.
      const { required, default: _d, ...memberSpec } = spec;
      if (required && doc.localized) memberSpec.required = true;
      addFamily(def, buildFamily(doc.family, memberSpec, ctx));
      continue; // the family replaces the X_L1 / D0 member
    }
    def.attributes[attrName] = spec;
  }
}

function buildDocumentedElements(ctx) {
  const { schema } = ctx.inputs;
  const anyTaskChild = ctx.overlay.anyTaskChildMarker;
  for (const [name, doc] of Object.entries(schema.elements)) {
    const def = newDefinition(name, { docPath: doc.docPath, category: doc.category });
    if (doc.scaffolding) def.scaffolding = true;
    convertAttributes(def, doc.attributes, ctx);
    for (const [childName, childDoc] of Object.entries(doc.children ?? {})) {
      if (childName === anyTaskChild) {
        def.acceptsAnyTask = true;
        continue;
      }
      const key = `${name}/${childName}`;
      const child = newDefinition(childName, { docPath: doc.docPath, category: doc.category });
      convertAttributes(child, childDoc.attributes, ctx);
      ctx.elements[key] = child;
      def.children[childName] = key;
    }
    ctx.elements[name] = def;
    ctx.docInfo[name] = { identifiedBy: doc.identifiedBy, topLevel: doc.topLevel, overrideElement: doc.overrideElement };
  }
}

// ---------------------------------------------------------------------------------------------
// Attribute inference for names known only from examples or real configurations

/** Index: attribute name -> documented specs (for "documented elsewhere under the same name"). */
function buildAttributeIndex(ctx) {
  const index = {};
  for (const def of Object.values(ctx.elements)) {
    for (const [name, spec] of Object.entries(def.attributes)) {
      (index[name] = index[name] ?? []).push(spec); // vendor facts only: built before any observed name
    }
  }
  ctx.attributeIndex = index;
  // Localized family bases documented anywhere ("DisplayName" for DisplayName_L1 …).
  ctx.localizedFamilies = {};
  for (const def of Object.values(ctx.elements)) {
    for (const fam of def.families ?? []) {
      const m = fam.example.match(/^(.+)_L1$/);
      if (m) ctx.localizedFamilies[m[1]] = fam;
    }
  }
}

/** The most common documented shape of an attribute name, if a clear majority agrees. */
function inferAttribute(name, ctx) {
  const specs = ctx.attributeIndex[name] ?? [];
  const shapes = new Map();
  for (const s of specs) {
    const shape = { type: s.type };
    if (s.docType) shape.docType = s.docType;
    if (s.enumValues) shape.enumValues = s.enumValues;
    if (s.enumClosed === false) shape.enumClosed = false;
    if (s.ref) shape.ref = s.ref.unchecked ? { kinds: s.ref.kinds, unchecked: true } : { kinds: s.ref.kinds };
    if (s.binding) shape.binding = {}; // the starting entity type is element-specific
    const key = JSON.stringify(shape);
    shapes.set(key, (shapes.get(key) ?? 0) + 1);
  }
  let best = null;
  let bestCount = 0;
  for (const [key, count] of shapes) if (count > bestCount) [best, bestCount] = [key, count];
  const spec = best && bestCount * 2 > specs.length ? JSON.parse(best) : { type: 'String' };
  spec.undocumented = true;
  return spec;
}

/** Adds an observed / example attribute name unless the definition already accepts it. */
function addSeenAttribute(def, name, ctx) {
  if (def.attributes[name] || ctx.globalAttributes[name] || familyMatches(def, name)) return;
  const localized = name.match(/^(.+)_L([1-9]|1[0-6])$/);
  if (localized && ctx.localizedFamilies[localized[1]]) {
    addFamily(def, clone(ctx.localizedFamilies[localized[1]]));
    return;
  }
  def.attributes[name] = inferAttribute(name, ctx);
}

// ---------------------------------------------------------------------------------------------
// Elements known only from examples / real configurations

function isTaskName(name, ctx) {
  return /Task$/.test(name) || ctx.overlay.tasks.extraTaskElements.includes(name);
}

function addExampleOnlyElements(ctx) {
  const { elementsSeenOnlyInExamples } = ctx.inputs.schema;
  for (const [name, seen] of Object.entries(elementsSeenOnlyInExamples)) {
    if (name.endsWith(ctx.overlay.tasks.overrideSuffix)) continue; // synthesized from the task
    const def = ctx.elements[name] ?? newDefinition(name, { undocumented: true, openAttributes: true });
    ctx.elements[name] = def;
    ctx.topLevelExtra.add(name);
    for (const attr of seen.attributesSeen) addSeenAttribute(def, attr, ctx);
  }
}

function createOverlayElements(ctx) {
  for (const [key, spec] of Object.entries(ctx.overlay.elements)) {
    if (ctx.elements[key]) fail(`overlay.elements.${key} already exists`);
    const { topLevel, ...rest } = stripNotes(spec);
    ctx.elements[key] = { attributes: {}, children: {}, undocumented: true, ...clone(rest) };
    if (topLevel) ctx.topLevelExtra.add(key);
  }
}

/** Where an observed key ("Parent/Child" or "Element") lands, and which definitions it nests under. */
function resolveObservedKey(key, ctx) {
  const mapped = ctx.overlay.observedKeys[key];
  if (mapped) return { target: mapped.target, parentGlobs: mapped.parents ?? [] };
  const parts = key.split('/');
  if (parts.length === 1) return { target: key, parentGlobs: [], topLevel: true };
  const [parent, child] = parts;
  if (!ctx.elements[parent]) fail(`observed key "${key}": no definition "${parent}"; map it in overlay.observedKeys`);
  if (ctx.elements[parent].acceptsAnyTask && isTaskName(child, ctx)) return { target: child, parentGlobs: [], taskInJob: true };
  return { target: `${parent}/${child}`, parentGlobs: [parent] };
}

function mergeObserved(ctx) {
  const observed = ctx.inputs.observed.elements;
  // Top-level keys first, so that nested keys find their parents; then:
  // 1. make sure every target exists, 2. copy attributes (overlay), 3. merge observed names, 4. link parents.
  const keys = Object.keys(observed).sort((a, b) => a.split('/').length - b.split('/').length || a.localeCompare(b));
  const plans = [];
  for (const key of keys) {
    const plan = { key, ...resolveObservedKey(key, ctx) };
    plans.push(plan);
    if (!ctx.elements[plan.target]) {
      const name = plan.target.split('/').pop();
      ctx.elements[plan.target] = newDefinition(name, { undocumented: true, openAttributes: true });
    }
    if (plan.topLevel || plan.taskInJob) ctx.topLevelExtra.add(plan.target);
  }
  applyCopyAttributes(ctx);
  for (const plan of plans) {
    const def = ctx.elements[plan.target];
    for (const attr of Object.keys(observed[plan.key].attributes).sort()) addSeenAttribute(def, attr, ctx);
    const tag = plan.key.split('/').pop();
    const parents = plan.parentGlobs.length ? matchKeys(ctx.elements, plan.parentGlobs) : [];
    for (const parentKey of parents) {
      const parent = ctx.elements[parentKey];
      if (!parent.children[tag]) parent.children[tag] = plan.target;
      else if (parent.children[tag] !== plan.target) {
        fail(`observed key "${plan.key}" conflicts with ${parentKey}.children.${tag} = ${parent.children[tag]}`);
      }
    }
  }
}

function applyCopyAttributes(ctx) {
  for (const rule of ctx.overlay.copyAttributes) {
    const from = ctx.elements[rule.from];
    if (!from) fail(`copyAttributes: unknown source ${rule.from}`);
    for (const key of matchKeys(ctx.elements, rule.to)) {
      const def = ctx.elements[key];
      for (const [name, spec] of Object.entries(from.attributes)) {
        if (!def.attributes[name]) def.attributes[name] = clone(spec);
      }
      for (const fam of from.families ?? []) addFamily(def, clone(fam));
      if (rule.children) for (const [tag, target] of Object.entries(from.children)) def.children[tag] ??= target;
    }
  }
}

/**
 * Pages the 6.2 docs link to but that are missing from the store: the element exists in the product
 * (its name is the link's guessed element) but nothing is known about its content.
 */
function addMissingPageElements(ctx) {
  for (const missing of ctx.inputs.schema.linkedButMissingPages) {
    if (missing.resolvedWith) continue;
    const name = missing.guessedElement;
    const category = missing.expectedDocPath.match(/xml-configuration\/(.+)\/[^/]+\/index\.md$/)?.[1];
    const def = ctx.elements[name] ?? newDefinition(name, { undocumented: true, openAttributes: true });
    ctx.elements[name] = def;
    if (!def.undocumented) continue;
    if (category && !def.category) def.category = category;
    if (category?.startsWith(ctx.overlay.scaffoldingCategoryPrefix)) def.scaffolding = true;
    if (Object.keys(def.children).length === 0) def.openChildren = true;
    ctx.topLevelExtra.add(name);
  }
}

// ---------------------------------------------------------------------------------------------
// Overlay patches

function patchAttribute(current, patch, where) {
  const next = current ? clone(current) : {};
  for (const [k, v] of Object.entries(stripNotes(patch))) {
    if (v === null) delete next[k];
    else next[k] = clone(v);
  }
  if (!next.type) fail(`attribute patch ${where} leaves no type`);
  return next;
}

function applyPatches(ctx) {
  for (const [glob, patch] of Object.entries(ctx.overlay.patches)) {
    for (const key of matchKeys(ctx.elements, glob)) {
      const def = ctx.elements[key];
      for (const [attr, attrPatch] of Object.entries(patch.attributes ?? {})) {
        if (patch.ifPresent && !def.attributes[attr]) continue; // glob patches only touch existing names
        if (attrPatch === null) delete def.attributes[attr];
        else def.attributes[attr] = patchAttribute(def.attributes[attr], attrPatch, `${key}@${attr}`);
      }
      if (patch.category) def.category = patch.category;
      for (const fam of patch.families ?? []) addFamily(def, stripNotes(fam));
      for (const [tag, target] of Object.entries(patch.children ?? {})) {
        if (target === null) delete def.children[tag];
        else def.children[tag] = target;
      }
      for (const flag of ['openChildren', 'openAttributes', 'undocumented', 'acceptsAnyTask']) {
        if (patch[flag] === true) def[flag] = true;
        if (patch[flag] === false) delete def[flag];
      }
      if (patch.declares !== undefined) def.declares = stripNotes(patch.declares);
      if (patch.topLevel === true) ctx.topLevelExtra.add(key);
    }
  }
  // Attributes every element with some flag accepts (e.g. Id on scaffoldings, doubt 14).
  for (const rule of ctx.overlay.attributesWhere) {
    for (const def of Object.values(ctx.elements)) {
      const matches = Object.entries(rule.where).every(([k, v]) => (def[k] ?? false) === v);
      if (!matches) continue;
      for (const [attr, spec] of Object.entries(rule.attributes)) def.attributes[attr] ??= stripNotes(spec);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Tasks and their overrides

function applyTasks(ctx) {
  const { tasks } = ctx.overlay;
  const taskNames = new Set(ctx.inputs.schema.taskElements);
  for (const key of Object.keys(ctx.elements)) {
    if (!key.includes('/') && isTaskName(key, ctx)) taskNames.add(key);
  }
  const jobKeys = Object.keys(ctx.elements).filter((k) => ctx.elements[k].acceptsAnyTask);
  for (const name of [...taskNames].sort()) {
    const task = ctx.elements[name];
    task.task = true;
    task.attributes.Identifier ??= { type: 'String', undocumented: true };
    task.declares = { kind: tasks.kind, attribute: 'Identifier', scope: 'global' };
    ctx.topLevelExtra.add(name);
    // Jobs accept any "*Task" by name; task elements named otherwise are listed explicitly.
    if (!/Task$/.test(name)) for (const jobKey of jobKeys) ctx.elements[jobKey].children[name] = name;
    const overrideName = ctx.docInfo[name]?.overrideElement ?? `${name}${tasks.overrideSuffix}`;
    ctx.elements[overrideName] = synthesizeOverride(name, overrideName, task, ctx);
  }
}

function synthesizeOverride(taskName, overrideName, task, ctx) {
  const attributes = {};
  for (const [attr, spec] of Object.entries(task.attributes)) {
    const copy = clone(spec);
    delete copy.required;
    delete copy.requiredRelaxed;
    attributes[attr] = copy;
  }
  attributes.Identifier = stripNotes(ctx.overlay.tasks.overrideIdentifier);
  const def = {
    name: overrideName,
    overrides: taskName,
    attributes,
    children: clone(task.children),
  };
  if (task.docPath) def.docPath = task.docPath;
  if (task.category) def.category = task.category;
  if (task.families) def.families = clone(task.families);
  if (task.undocumented) def.undocumented = true;
  if (task.openAttributes) def.openAttributes = true;
  return def;
}

// ---------------------------------------------------------------------------------------------
// Declarations, requirement relaxations

function applyDeclarations(ctx) {
  for (const [name, info] of Object.entries(ctx.docInfo)) {
    const def = ctx.elements[name];
    if (def.declares || !info.identifiedBy) continue;
    def.declares = { kind: name, attribute: info.identifiedBy, scope: 'global' };
    // ProfileContext@Id, Resource@Id: the identifying attribute is not always in the property table.
    if (!def.attributes[info.identifiedBy]) {
      def.attributes[info.identifiedBy] = { type: 'String', required: true, undocumented: true };
    }
  }
  for (const [glob, declares] of Object.entries(ctx.overlay.declarations)) {
    for (const key of matchKeys(ctx.elements, glob)) ctx.elements[key].declares = stripNotes(declares);
  }
}

function applyRelaxations(ctx) {
  for (const { element, attribute } of ctx.inputs.omitted.requiredButOmitted) {
    const spec = ctx.elements[element]?.attributes[attribute];
    if (!spec) fail(`required-but-omitted names ${element}@${attribute}, which the schema lacks`);
    spec.required = false;
    spec.requiredRelaxed = true;
  }
  for (const def of Object.values(ctx.elements)) {
    for (const spec of Object.values(def.attributes)) if (spec.required === false && !spec.requiredRelaxed) delete spec.required;
  }
}

// ---------------------------------------------------------------------------------------------
// Kinds, top level, packages, scaffoldings

function camelToWords(name) {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase();
}

function buildKinds(ctx) {
  const { referenceKinds } = ctx.overlay;
  const kinds = {};
  const ensure = (kind) => {
    kinds[kind] = kinds[kind] ?? { declaredBy: [], source: 'xml', label: referenceKinds.labels[kind] ?? camelToWords(kind) };
    return kinds[kind];
  };
  for (const [key, def] of Object.entries(ctx.elements)) if (def.declares) ensure(def.declares.kind).declaredBy.push(key);
  for (const [kind, spec] of Object.entries(referenceKinds.appsettings)) {
    kinds[kind] = { declaredBy: [], source: 'appsettings', jsonPath: spec.jsonPath, label: spec.label };
  }
  // Every referenced kind gets an entry (labels for hover); kinds nobody can declare are unchecked.
  for (const def of Object.values(ctx.elements)) {
    for (const spec of Object.values(def.attributes)) collectRefKind(spec, ensure, ctx);
    for (const fam of def.families ?? []) collectRefKind(fam.spec, ensure, ctx);
  }
  for (const spec of Object.values(ctx.globalAttributes)) collectRefKind(spec, ensure, ctx);
  for (const k of Object.values(kinds)) k.declaredBy.sort();
  return kinds;
}

function collectRefKind(spec, ensure, ctx) {
  if (!spec.ref) return;
  const unchecked = ctx.overlay.referenceKinds.unchecked;
  for (const kind of spec.ref.kinds) {
    if (kind.startsWith('appsettings:') && !ctx.overlay.referenceKinds.appsettings[kind]) {
      fail(`reference to unknown appsettings kind ${kind}`);
    }
    if (!kind.startsWith('appsettings:')) ensure(kind);
  }
  if (spec.ref.kinds.every((k) => unchecked[k])) spec.ref.unchecked = true;
}

function buildTopLevel(ctx) {
  const topLevel = {};
  for (const [name, info] of Object.entries(ctx.docInfo)) if (info.topLevel) topLevel[name] = name;
  for (const key of ctx.topLevelExtra) {
    if (key.includes('/')) fail(`top-level element with a nested key: ${key}`);
    topLevel[key] = key;
  }
  for (const name of ctx.overlay.notTopLevel ?? []) delete topLevel[name];
  return topLevel;
}

function buildConnectionPackages(ctx) {
  const out = {};
  for (const [id, pkg] of Object.entries(ctx.inputs.packages)) {
    if (!pkg || typeof pkg !== 'object' || Array.isArray(pkg) || !pkg.agentSettings) continue; // "doubts" notes
    const spec = {
      connector: pkg.connector,
      capabilities: [...(pkg.capabilities ?? [])].sort(),
      needsAgentSettings: pkg.agentSettings.required,
      keys: (pkg.agentSettings.keys ?? []).map((k) => {
        const key = { name: k.name, required: k.required === true, secret: k.secret === true };
        const note = [k.note, k.condition].filter(Boolean).join('; ');
        if (note) key.note = note;
        return key;
      }),
    };
    if (pkg.docPath) spec.docPath = pkg.docPath;
    out[id] = spec;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Validation of the result (fails the build rather than shipping an inconsistent schema)

function validate(data) {
  const problems = [];
  for (const [key, def] of Object.entries(data.elements)) {
    for (const [tag, target] of Object.entries(def.children)) {
      if (!data.elements[target]) problems.push(`${key}.children.${tag} -> missing ${target}`);
    }
    const specs = [...Object.entries(def.attributes), ...(def.families ?? []).map((f) => [f.label, f.spec])];
    for (const [attr, spec] of specs) {
      for (const kind of spec.ref?.kinds ?? []) {
        if (!data.kinds[kind] && !spec.ref.unchecked) problems.push(`${key}@${attr} refs unknown kind ${kind}`);
      }
      if (spec.type === 'Enum' && !(spec.enumValues?.length > 0)) problems.push(`${key}@${attr} Enum without values`);
    }
    for (const fam of def.families ?? []) {
      try {
        new RegExp(fam.pattern);
      } catch {
        problems.push(`${key}: bad family pattern ${fam.pattern}`);
      }
    }
    if (def.declares && !def.attributes[def.declares.attribute]) {
      problems.push(`${key} declares through missing attribute ${def.declares.attribute}`);
    }
    if (def.overrides && !data.elements[def.overrides]) problems.push(`${key} overrides missing ${def.overrides}`);
  }
  for (const [name, key] of Object.entries(data.topLevel)) if (!data.elements[key]) problems.push(`topLevel ${name} -> ${key}`);
  for (const [name, out] of Object.entries(data.scaffoldingOutputs)) {
    if (!data.elements[name]) problems.push(`scaffoldingOutputs.${name}: no such element`);
    for (const kind of Object.keys(out.symbols ?? {})) if (!data.kinds[kind]) problems.push(`scaffoldingOutputs.${name}: unknown kind ${kind}`);
    for (const inc of out.includes ?? []) if (!data.elements[inc]) problems.push(`scaffoldingOutputs.${name}: includes unknown ${inc}`);
  }
  if (problems.length) fail(`inconsistent schema:\n  ${problems.join('\n  ')}`);
}

// ---------------------------------------------------------------------------------------------

function main() {
  const inputs = readInputs();
  const overlay = inputs.overlay;
  const ctx = { inputs, overlay, elements: {}, docInfo: {}, topLevelExtra: new Set() };
  ctx.globalAttributes = stripNotes(overlay.globalAttributes);

  buildDocumentedElements(ctx);
  buildAttributeIndex(ctx);
  createOverlayElements(ctx);
  addExampleOnlyElements(ctx);
  mergeObserved(ctx);
  addMissingPageElements(ctx);
  applyPatches(ctx);
  applyTasks(ctx);
  applyDeclarations(ctx);
  applyRelaxations(ctx);

  const data = {
    formatVersion: FORMAT_VERSION,
    inputsHash: inputs.inputsHash,
    namespace: inputs.schema.namespace,
    rootElement: inputs.schema.root,
    elements: ctx.elements,
    topLevel: buildTopLevel(ctx),
    globalAttributes: ctx.globalAttributes,
    kinds: buildKinds(ctx),
    builtins: Object.fromEntries(
      Object.entries(overlay.builtins).map(([kind, b]) => [kind, [...new Set(b.names)].sort()]),
    ),
    connectionPackages: buildConnectionPackages(ctx),
    scaffoldingOutputs: stripNotes(overlay.scaffoldingOutputs),
  };
  validate(data);

  // Family order matters (first match wins in lookups): keep it stable by pattern.
  for (const def of Object.values(data.elements)) def.families?.sort((a, b) => a.pattern.localeCompare(b.pattern));
  const text = JSON.stringify(sortKeys(data), null, 1) + '\n';
  writeFileSync(outputFile, text);
  const count = Object.keys(data.elements).length;
  console.log(`generate-schema: wrote ${path.relative(repoRoot, outputFile)} (${count} definitions, inputs ${data.inputsHash})`);
}

main();
