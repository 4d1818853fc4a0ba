import type { GeneratedNames } from '../checks/rule';
import { generatedNames } from '../engine/scaffoldings';
import type { Schema } from '../schema/schema';
import { attributeValue } from '../syntax/model';
import type { SettingsEntry } from '../workspace/appsettings';
import type { KeyTag, ReadRecorder } from './dependencies';
import { mentionsOf, referencedByKind } from './compact';
import type { Declaration, FileModel } from './fileModel';

/** A symbol declaration, from XML or from the agent settings file. */
export type Symbol = { source: 'xml'; decl: Declaration } | { source: 'settings'; entry: SettingsEntry };

export interface NavigationEnd {
  /** The entity type at the other end of the association. */
  target: string;
  association: Declaration;
}

/** Which derived maps a file update may have changed (see `changes.ts`); all of them when unknown. */
export interface DerivedChanges {
  navigation: boolean;
  memberships: boolean;
  generated: boolean;
  dependencies: boolean;
}

const EVERYTHING: DerivedChanges = { navigation: true, memberships: true, generated: true, dependencies: true };

/**
 * Declarations of one configuration set (its files, its modules, its agent settings), by kind and name.
 * Updated file by file; derived maps (navigation, memberships, scaffolding outputs, task dependencies) are rebuilt
 * lazily, and only when an update touched what they are made of.
 *
 * Lists are kept in the set's canonical file order (`setOrder`), whatever the order of updates, so that an
 * incrementally updated index answers exactly as one built from scratch.
 *
 * While a diagnosis runs, `track` records what it reads (see `dependencies.ts`).
 */
export class SetIndex {
  private readonly models = new Map<string, FileModel>();
  private readonly moduleFiles = new Set<string>();
  private readonly byKind = new Map<string, Map<string, Declaration[]>>();
  /** Tasks named by references inside scaffolding elements, per model (their job membership is uncertain). */
  private readonly scaffoldingTasks = new WeakMap<FileModel, string[]>();
  private settings: SettingsEntry[] = [];
  private settingsByKind = new Map<string, SettingsEntry[]>();
  private settingsByName = new Map<string, SettingsEntry[]>();
  private navigationCache: Map<string, NavigationEnd> | undefined;
  private membershipCache: TaskMemberships | undefined;
  private generatedCache: (GeneratedNames & { signature: string }) | undefined;
  private parentsCache: Map<string, Set<string>> | undefined;
  private recorder: ReadRecorder | undefined;
  private readonly proxies = new WeakMap<FileModel, FileModel>();
  private rankOf: (file: string) => number;
  private readonly firstSeen = new Map<string, number>();
  /** Set when a file was added out of order: `models` is sorted again before it is next read. */
  private unordered = false;
  /** Name → files mentioning it (see mentionsOf); built on first need, then kept up to date. */
  private mentionIndex: Map<string, string | string[]> | undefined;
  private readonly mentionsByFile = new Map<string, string[]>();
  private readonly candidateCache = new Map<string, string[]>();
  /** Kind → its names in the set's order (first declaration first), computed on demand. */
  private readonly nameOrder = new Map<string, string[]>();
  /** Entity type → its property names in the set's order, computed on demand. */
  private propertiesByType: Map<string, string[]> | undefined;
  /** Kind → referenced name → how many files reference it; built on first need, then kept up to date. */
  private referenceCounts: Map<string, Map<string, number>> | undefined;
  private readonly referencesByFile = new Map<string, Map<string, Set<string>>>();
  /** Kinds whose set of referenced names the last update changed (see takeReferenceChanges). */
  private referenceChanges = new Set<string>();

  constructor(private readonly schema: Schema) {
    // Without an explicit order, files keep the position of their first update.
    this.rankOf = (file) => {
      let rank = this.firstSeen.get(file);
      if (rank === undefined) this.firstSeen.set(file, (rank = this.firstSeen.size));
      return rank;
    };
  }

  /** The canonical order of files (lower first); lists and iteration follow it. */
  setOrder(rank: (file: string) => number): void {
    this.rankOf = rank;
    this.unordered = true;
    for (const names of this.byKind.values()) for (const list of names.values()) list.sort((a, b) => rank(a.file) - rank(b.file));
    this.nameOrder.clear();
    this.candidateCache.clear();
    this.propertiesByType = undefined;
  }

  /** Starts (or stops, with undefined) recording reads; returns the previous recorder. */
  track(recorder: ReadRecorder | undefined): ReadRecorder | undefined {
    const previous = this.recorder;
    this.recorder = recorder;
    return previous;
  }

  setFile(model: FileModel, isModule = false, changes: DerivedChanges = EVERYTHING): void {
    const replacing = this.models.has(model.file);
    const previous = this.models.get(model.file);
    // The order of names changes only when the file declares other names, or in another order; then declarations
    // can also be swapped in place.
    const sameNames = previous !== undefined && sameDeclaredNames(previous, model);
    if (!sameNames) {
      for (const decl of previous?.declarations ?? []) this.kindChanged(decl.kind);
      for (const decl of model.declarations) this.kindChanged(decl.kind);
      this.dropDeclarations(model.file);
    }
    this.dropMentions(model.file);
    this.dropReferences(model.file);
    if (replacing) this.models.set(model.file, model);
    else this.insertModel(model);
    if (isModule) this.moduleFiles.add(model.file);
    else this.moduleFiles.delete(model.file);
    if (sameNames) this.swapDeclarations(previous!, model);
    else for (const decl of model.declarations) this.addDeclaration(decl);
    if (this.mentionIndex) this.addMentions(model);
    if (this.referenceCounts) this.addReferences(model);
    this.invalidate(changes);
  }

  removeFile(file: string, changes: DerivedChanges = EVERYTHING): void {
    if (!this.models.has(file)) return;
    for (const decl of this.models.get(file)!.declarations) this.kindChanged(decl.kind);
    this.dropDeclarations(file);
    this.dropMentions(file);
    this.dropReferences(file);
    this.models.delete(file);
    this.moduleFiles.delete(file);
    this.invalidate(changes);
  }

  /**
   * Swaps a model for an equivalent one (the same file reparsed into a tree, with equal content), keeping every
   * derived map: declarations are replaced in place.
   */
  replaceEquivalent(model: FileModel): void {
    const previous = this.models.get(model.file);
    if (!previous || !sameDeclaredNames(previous, model)) {
      this.setFile(model, this.moduleFiles.has(model.file));
      return;
    }
    this.models.set(model.file, model);
    this.swapDeclarations(previous, model);
  }

  /** Replaces the declarations of `previous` by those of `model` (the same names in the same order) in place. */
  private swapDeclarations(previous: FileModel, model: FileModel): void {
    // Once per list (a name declared many times in one file must not cost a search per declaration).
    const replacement = new Map<Declaration, Declaration>();
    previous.declarations.forEach((old, i) => replacement.set(old, model.declarations[i]));
    const done = new Set<Declaration[]>();
    for (const old of previous.declarations) {
      const list = this.byKind.get(old.kind)?.get(old.name);
      if (!list || done.has(list)) continue;
      done.add(list);
      for (let at = 0; at < list.length; at++) list[at] = replacement.get(list[at]) ?? list[at];
    }
  }

  setSettings(entries: SettingsEntry[]): void {
    this.settings = entries;
    this.candidateCache.clear(); // settings names are candidates too
    this.settingsByKind = new Map();
    this.settingsByName = new Map();
    for (const entry of entries) {
      const byKind = this.settingsByKind.get(entry.kind);
      if (byKind) byKind.push(entry);
      else this.settingsByKind.set(entry.kind, [entry]);
      const key = `${entry.kind}\u0000${entry.name}`;
      const byName = this.settingsByName.get(key);
      if (byName) byName.push(entry);
      else this.settingsByName.set(key, [entry]);
    }
  }

  isModule(file: string): boolean {
    return this.moduleFiles.has(file);
  }

  model(file: string): FileModel | undefined {
    this.recorder?.read('MODEL', file);
    return this.models.get(file);
  }

  allModels(): IterableIterator<FileModel> {
    if (!this.recorder) return this.ordered().values();
    return this.trackedModels();
  }

  declarations(kind: string, name: string): readonly Declaration[] {
    this.recorder?.read('D', kind, name);
    return this.byKind.get(kind)?.get(name) ?? [];
  }

  /** The declared names of a kind, in the set's order (by first declaration). */
  namesOf(kind: string): IterableIterator<string> {
    this.recorder?.read('K', kind);
    return this.orderedNames(kind)[Symbol.iterator]();
  }

  /** The declarations of a kind, name by name in the set's order. */
  declarationsOfKind(kind: string): IterableIterator<Declaration[]> {
    this.recorder?.read('KD', kind);
    const names = this.byKind.get(kind);
    return this.orderedNames(kind)
      .map((name) => names!.get(name)!)
      [Symbol.iterator]();
  }

  /**
   * Names of a kind ordered by their first declaration (file order, then position): what a set built from scratch
   * iterates, whatever the order of updates.
   */
  private orderedNames(kind: string): string[] {
    let names = this.nameOrder.get(kind);
    if (!names) {
      const entries = [...(this.byKind.get(kind) ?? new Map<string, Declaration[]>())];
      entries.sort(([, a], [, b]) => this.rankOf(a[0].file) - this.rankOf(b[0].file) || a[0].span.start - b[0].span.start);
      names = entries.map(([name]) => name);
      this.nameOrder.set(kind, names);
    }
    return names;
  }

  private kindChanged(kind: string): void {
    this.nameOrder.delete(kind);
    this.candidateCache.delete(kind);
    if (kind === PROPERTY_KIND) this.propertiesByType = undefined;
  }

  /** The property names of an entity type (declared as "Type.name"), in the set's order. */
  propertiesOf(type: string): string[] {
    this.recorder?.read('K', PROPERTY_KIND);
    if (!this.propertiesByType) {
      const byType = new Map<string, string[]>();
      for (const name of this.orderedNames(PROPERTY_KIND)) {
        // Every prefix ending before a dot is an owner the name starts with (names normally have one dot).
        for (let dot = name.indexOf('.'); dot >= 0; dot = name.indexOf('.', dot + 1)) {
          const owner = name.slice(0, dot);
          const list = byType.get(owner);
          if (list) list.push(name.slice(dot + 1));
          else byType.set(owner, [name.slice(dot + 1)]);
        }
      }
      this.propertiesByType = byType;
    }
    return (this.propertiesByType.get(type) ?? []).slice();
  }

  settingsEntries(kind?: string): readonly SettingsEntry[] {
    this.recorder?.read('SET');
    return kind === undefined ? this.settings : this.settingsByKind.get(kind) ?? [];
  }

  isBuiltin(kind: string, name: string): boolean {
    return this.schema.builtins(kind).includes(name);
  }

  /** Provided without a declaration: a vendor built-in, or generated by a scaffolding of the set. */
  isImplicit(kind: string, name: string): boolean {
    return this.isBuiltin(kind, name) || this.generated().has(kind, name);
  }

  /** Symbols the set's scaffoldings generate. */
  generated(): GeneratedNames {
    this.recorder?.read('GEN');
    return this.generatedNames();
  }

  private generatedNames(): GeneratedNames & { signature: string } {
    if (!this.generatedCache) {
      this.generatedCache = this.untracked(() =>
        generatedNames(this.ordered().values(), this.schema, (kind) => this.orderedNames(kind)),
      );
    }
    return this.generatedCache;
  }

  /** True when some target kind declares the name (XML, settings, vendor built-in or scaffolding output). */
  resolves(kinds: readonly string[], name: string): boolean {
    for (const kind of kinds) if (this.hasSymbol(kind, name) || this.isImplicit(kind, name)) return true;
    return false;
  }

  /** Declarations that make the name exist: a ConsolidationMode="Delete" element removes rather than declares. */
  symbols(kind: string, name: string): Symbol[] {
    this.recorder?.read('SET');
    const result: Symbol[] = [];
    for (const decl of this.declarations(kind, name)) if (decl.consolidation !== 'Delete') result.push({ source: 'xml', decl });
    for (const entry of this.settingsByName.get(`${kind}\u0000${name}`) ?? []) result.push({ source: 'settings', entry });
    return result;
  }

  /** symbols(kind, name).length > 0, without building the list. */
  private hasSymbol(kind: string, name: string): boolean {
    this.recorder?.read('SET');
    for (const decl of this.declarations(kind, name)) if (decl.consolidation !== 'Delete') return true;
    return this.settingsByName.has(`${kind}\u0000${name}`);
  }

  /** Candidate names of a kind, for "did you mean" and completion. */
  candidateNames(kind: string): string[] {
    this.recorder?.read('SET');
    this.recorder?.read('K', kind);
    let names = this.candidateCache.get(kind);
    if (!names) {
      const unique = new Set<string>([...this.orderedNames(kind), ...this.schema.builtins(kind)]);
      for (const entry of this.settingsByKind.get(kind) ?? []) unique.add(entry.name);
      names = [...unique];
      this.candidateCache.set(kind, names);
    }
    // A copy: callers may change it; the cache must not.
    return names.slice();
  }

  /**
   * The models that mention any of the names (declare, reference, or use them in a binding path), in the set's
   * order: a superset of the models a symbol occurs in, found without reading every model.
   */
  modelsMentioning(names: readonly string[]): FileModel[] {
    this.recorder?.read('ANY');
    const index = this.mentions();
    const files = new Set<string>();
    for (const name of names) {
      const found = index.get(name);
      if (typeof found === 'string') files.add(found);
      else for (const file of found ?? []) files.add(file);
    }
    return [...files].sort((a, b) => this.rankOf(a) - this.rankOf(b)).map((file) => this.models.get(file)!);
  }

  /** Every name that some reference of the kind names, in any file of the set. */
  referencedNames(kind: string): IterableIterator<string> {
    this.recorder?.read('REFS', kind);
    if (!this.referenceCounts) {
      this.referenceCounts = new Map();
      for (const model of this.ordered().values()) this.addReferences(model);
      this.referenceChanges.clear();
    }
    return (this.referenceCounts.get(kind) ?? new Map<string, number>()).keys();
  }

  /** The kinds whose referenced names changed since the last call (for the dependency keys `REFS kind`). */
  takeReferenceChanges(): string[] {
    const kinds = [...this.referenceChanges];
    this.referenceChanges.clear();
    return kinds;
  }

  private addReferences(model: FileModel): void {
    const byKind = (model as { referencedByKind?: () => Map<string, Set<string>> }).referencedByKind?.() ?? referencedByKind(model.references);
    this.referencesByFile.set(model.file, byKind);
    for (const [kind, names] of byKind) {
      let counts = this.referenceCounts!.get(kind);
      if (!counts) this.referenceCounts!.set(kind, (counts = new Map()));
      for (const name of names) {
        const count = counts.get(name) ?? 0;
        if (count === 0) this.referenceChanges.add(kind);
        counts.set(name, count + 1);
      }
    }
  }

  private dropReferences(file: string): void {
    const byKind = this.referencesByFile.get(file);
    if (!byKind || !this.referenceCounts) return;
    this.referencesByFile.delete(file);
    for (const [kind, names] of byKind) {
      const counts = this.referenceCounts.get(kind)!;
      for (const name of names) {
        const count = counts.get(name)! - 1;
        if (count === 0) {
          counts.delete(name);
          this.referenceChanges.add(kind);
        } else counts.set(name, count);
      }
    }
  }

  /** Builds what later requests need (names → files), so that the first of them does not wait for it. */
  prepare(): void {
    this.mentions();
  }

  private mentions(): Map<string, string | string[]> {
    if (!this.mentionIndex) {
      this.mentionIndex = new Map();
      for (const model of this.models.values()) this.addMentions(model);
    }
    return this.mentionIndex;
  }

  private addMentions(model: FileModel): void {
    const names = (model as { mentionNames?: () => string[] }).mentionNames?.() ?? mentionsOf(model);
    this.mentionsByFile.set(model.file, names);
    const index = this.mentionIndex!;
    for (const name of names) {
      // One file (most names) as a string, several as an array.
      const files = index.get(name);
      if (files === undefined) index.set(name, model.file);
      else if (typeof files === 'string') index.set(name, [files, model.file]);
      else files.push(model.file);
    }
  }

  private dropMentions(file: string): void {
    const names = this.mentionsByFile.get(file);
    if (!names || !this.mentionIndex) return;
    this.mentionsByFile.delete(file);
    for (const name of names) {
      const files = this.mentionIndex.get(name);
      if (files === undefined) continue;
      if (typeof files === 'string') {
        if (files === file) this.mentionIndex.delete(name);
        continue;
      }
      const kept = files.filter((f) => f !== file);
      if (kept.length > 1) this.mentionIndex.set(name, kept);
      else if (kept.length === 1) this.mentionIndex.set(name, kept[0]);
      else this.mentionIndex.delete(name);
    }
  }

  /** Where `Type.property` navigates to, from the EntityAssociation elements. */
  navigation(entityType: string, property: string): NavigationEnd | undefined {
    const key = `${entityType}.${property}`;
    this.recorder?.read('NAV', key);
    return this.navigationMap().get(key);
  }

  private navigationMap(): Map<string, NavigationEnd> {
    if (!this.navigationCache) this.navigationCache = this.untracked(() => this.buildNavigation());
    return this.navigationCache;
  }

  /** The current content of the derived maps an update may change (taken before it, compared after it). */
  derivedState(changes: DerivedChanges): DerivedState {
    return this.untracked(() => ({
      navigation: changes.navigation ? this.navigationMap() : undefined,
      generated: changes.generated ? this.generatedNames().signature : undefined,
      memberships: changes.memberships ? membershipSignature((this.membershipCache ??= this.buildMemberships())) : undefined,
      parents: changes.dependencies ? parentsSignature(this.taskParentsMap()) : undefined,
    }));
  }

  /** The keys (see dependencies.ts) whose answers differ between `before` (derivedState) and now. */
  derivedDifferences(before: DerivedState): [KeyTag, string?][] {
    return this.untracked(() => {
      const keys: [KeyTag, string?][] = [];
      if (before.generated !== undefined && before.generated !== this.generatedNames().signature) keys.push(['GEN']);
      if (before.memberships !== undefined && before.memberships !== membershipSignature((this.membershipCache ??= this.buildMemberships()))) keys.push(['MEM']);
      if (before.parents !== undefined && before.parents !== parentsSignature(this.taskParentsMap())) keys.push(['DEP']);
      if (before.navigation) {
        const after = this.navigationMap();
        const same = (a: NavigationEnd | undefined, b: NavigationEnd | undefined) =>
          a !== undefined && b !== undefined && a.target === b.target && a.association.name === b.association.name && a.association.file === b.association.file;
        for (const [key, end] of before.navigation) if (!same(end, after.get(key))) keys.push(['NAV', key]);
        for (const key of after.keys()) if (!before.navigation.has(key)) keys.push(['NAV', key]);
      }
      return keys;
    });
  }

  memberships(): TaskMemberships {
    this.recorder?.read('MEM');
    if (!this.membershipCache) this.membershipCache = this.untracked(() => this.buildMemberships());
    return this.membershipCache;
  }

  private taskParentsMap(): Map<string, Set<string>> {
    if (!this.parentsCache) {
      const parents = new Map<string, Set<string>>();
      for (const model of this.ordered().values()) {
        for (const dependency of model.dependencies) {
          if (!dependency.task) continue;
          let set = parents.get(dependency.task);
          if (!set) parents.set(dependency.task, (set = new Set()));
          set.add(dependency.parentTask);
        }
      }
      this.parentsCache = parents;
    }
    return this.parentsCache;
  }

  /** Task → the tasks it depends on (TaskDependsOnTask), over the whole set. */
  taskParents(): ReadonlyMap<string, ReadonlySet<string>> {
    this.recorder?.read('DEP');
    return this.taskParentsMap();
  }

  private *trackedModels(): IterableIterator<FileModel> {
    for (const model of this.ordered().values()) yield this.proxyOf(model);
  }

  /** A view of a model that records which of its fields a rule reads (`ALL field`). */
  private proxyOf(model: FileModel): FileModel {
    let proxy = this.proxies.get(model);
    if (!proxy) {
      proxy = new Proxy(model, {
        get: (target, property) => {
          if (typeof property === 'string') this.recorder?.read('ALL', property);
          return Reflect.get(target, property);
        },
      });
      this.proxies.set(model, proxy);
    }
    return proxy;
  }

  private untracked<T>(run: () => T): T {
    const saved = this.recorder;
    this.recorder = undefined;
    try {
      return run();
    } finally {
      this.recorder = saved;
    }
  }

  private insertModel(model: FileModel): void {
    const rank = this.rankOf(model.file);
    if (!this.unordered && this.models.size > 0 && rank < this.lastRank) this.unordered = true;
    this.models.set(model.file, model);
    if (rank > this.lastRank) this.lastRank = rank;
  }

  private lastRank = -Infinity;

  /** The models in canonical order (sorted again after out-of-order additions). */
  private ordered(): Map<string, FileModel> {
    if (this.unordered) {
      const entries = [...this.models.entries()].sort(([a], [b]) => this.rankOf(a) - this.rankOf(b));
      this.models.clear();
      for (const [file, model] of entries) this.models.set(file, model);
      this.lastRank = entries.length > 0 ? this.rankOf(entries[entries.length - 1][0]) : -Infinity;
      this.unordered = false;
    }
    return this.models;
  }

  private addDeclaration(decl: Declaration): void {
    let names = this.byKind.get(decl.kind);
    if (!names) this.byKind.set(decl.kind, (names = new Map()));
    const list = names.get(decl.name);
    if (!list) {
      names.set(decl.name, [decl]);
      return;
    }
    const rank = this.rankOf(decl.file);
    let at = list.length;
    while (at > 0 && this.rankOf(list[at - 1].file) > rank) at--;
    list.splice(at, 0, decl);
  }

  private dropDeclarations(file: string): void {
    const previous = this.models.get(file);
    if (!previous) return;
    // Once per name (a name declared many times in one file must not cost a pass per declaration).
    const done = new Set<Declaration[]>();
    for (const decl of previous.declarations) {
      const names = this.byKind.get(decl.kind);
      const list = names?.get(decl.name);
      if (!names || !list || done.has(list)) continue;
      const kept = list.filter((d) => d.file !== file);
      done.add(kept);
      if (kept.length > 0) names.set(decl.name, kept);
      else names.delete(decl.name);
    }
  }

  private isEntityType(name: string): boolean {
    return this.declarations('EntityType', name).length > 0 || this.isImplicit('EntityType', name);
  }

  private invalidate(changes: DerivedChanges): void {
    if (changes.generated) this.generatedCache = undefined;
    if (changes.navigation || changes.generated) this.navigationCache = undefined;
    if (changes.memberships) this.membershipCache = undefined;
    if (changes.dependencies) this.parentsCache = undefined;
  }

  private buildNavigation(): Map<string, NavigationEnd> {
    const map = new Map<string, NavigationEnd>();
    for (const decls of this.declarationsOfKind('EntityAssociation')) {
      for (const association of decls) {
        const end1 = splitEnd(attributeValue(association.element, 'Property1'));
        const end2 = splitEnd(attributeValue(association.element, 'Property2'));
        if (!end1 || !end2 || !this.isEntityType(end1.type) || !this.isEntityType(end2.type)) continue;
        map.set(`${end1.type}.${end1.property}`, { target: end2.type, association });
        map.set(`${end2.type}.${end2.property}`, { target: end1.type, association });
      }
    }
    return map;
  }

  private scaffoldingTasksOf(model: FileModel): string[] {
    let tasks = this.scaffoldingTasks.get(model);
    if (!tasks) {
      tasks = [];
      for (const ref of model.references) if (ref.kinds.includes('Task') && this.schema.element(ref.element.parent?.defKey)?.scaffolding) tasks.push(ref.name);
      this.scaffoldingTasks.set(model, tasks);
    }
    return tasks;
  }

  private buildMemberships(): TaskMemberships {
    const jobsOfTask = new Map<string, Set<string>>();
    const add = (task: string, job: string) => {
      let jobs = jobsOfTask.get(task);
      if (!jobs) jobsOfTask.set(task, (jobs = new Set()));
      jobs.add(job);
    };
    const tasksAddedByScaffolding = new Set<string>();
    let hasJobScaffoldings = false;
    for (const model of this.ordered().values()) {
      for (const { task, job } of model.inlineTaskJobs) add(task, job);
      for (const { task, job } of model.steps) add(task, job);
      for (const task of this.scaffoldingTasksOf(model)) tasksAddedByScaffolding.add(task);
      if (model.scaffoldings.some((element) => this.schema.data.scaffoldingOutputs[element.name] !== undefined)) hasJobScaffoldings = true;
    }
    return { jobsOfTask, tasksAddedByScaffolding, hasJobScaffoldings };
  }
}

const PROPERTY_KIND = 'EntityType.Property';

/** Whether two models of a file declare the same names of the same kinds in the same order. */
function sameDeclaredNames(a: FileModel, b: FileModel): boolean {
  if (a.declarations.length !== b.declarations.length) return false;
  for (let i = 0; i < a.declarations.length; i++) {
    if (a.declarations[i].kind !== b.declarations[i].kind || a.declarations[i].name !== b.declarations[i].name) return false;
  }
  return true;
}

/** Derived map contents before an update (see SetIndex.derivedState). */
export interface DerivedState {
  navigation?: Map<string, NavigationEnd>;
  generated?: string;
  memberships?: string;
  parents?: string;
}

function membershipSignature(memberships: TaskMemberships): string {
  return JSON.stringify([[...memberships.jobsOfTask].map(([task, jobs]) => [task, [...jobs]]), [...memberships.tasksAddedByScaffolding].sort(), memberships.hasJobScaffoldings]);
}

function parentsSignature(parents: ReadonlyMap<string, ReadonlySet<string>>): string {
  return JSON.stringify([...parents].map(([task, set]) => [task, [...set]]));
}

/** "Type:Property" (the form of an association end) split in two. */
export function splitEnd(value: string | undefined): { type: string; property: string } | undefined {
  if (!value) return undefined;
  const match = /^\s*([A-Za-z_][\w-]*)\s*:\s*([A-Za-z_][\w-]*)\s*$/.exec(value);
  return match ? { type: match[1], property: match[2] } : undefined;
}

/** Which jobs each task belongs to, and which jobs are uncertain (a scaffolding may add tasks to them). */
export interface TaskMemberships {
  jobsOfTask: Map<string, Set<string>>;
  /** Tasks that a scaffolding element adds to jobs: their membership is not certain. */
  tasksAddedByScaffolding: Set<string>;
  /** Set when the set holds scaffoldings that generate jobs we cannot enumerate. */
  hasJobScaffoldings: boolean;
}
