import type { GeneratedNames } from '../checks/rule';
import { generatedNames } from '../engine/scaffoldings';
import type { Schema } from '../schema/schema';
import { attributeValue } from '../syntax/model';
import type { SettingsEntry } from '../workspace/appsettings';
import type { KeyTag, ReadRecorder } from './dependencies';
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
  }

  /** Starts (or stops, with undefined) recording reads; returns the previous recorder. */
  track(recorder: ReadRecorder | undefined): ReadRecorder | undefined {
    const previous = this.recorder;
    this.recorder = recorder;
    return previous;
  }

  setFile(model: FileModel, isModule = false, changes: DerivedChanges = EVERYTHING): void {
    const replacing = this.models.has(model.file);
    this.dropDeclarations(model.file);
    if (replacing) this.models.set(model.file, model);
    else this.insertModel(model);
    if (isModule) this.moduleFiles.add(model.file);
    else this.moduleFiles.delete(model.file);
    for (const decl of model.declarations) this.addDeclaration(decl);
    this.invalidate(changes);
  }

  removeFile(file: string, changes: DerivedChanges = EVERYTHING): void {
    if (!this.models.has(file)) return;
    this.dropDeclarations(file);
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
    if (!previous || previous.declarations.length !== model.declarations.length) {
      this.setFile(model, this.moduleFiles.has(model.file));
      return;
    }
    this.models.set(model.file, model);
    previous.declarations.forEach((old, i) => {
      const list = this.byKind.get(old.kind)?.get(old.name);
      const at = list ? list.indexOf(old) : -1;
      if (list && at >= 0) list[at] = model.declarations[i];
    });
  }

  setSettings(entries: SettingsEntry[]): void {
    this.settings = entries;
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

  namesOf(kind: string): IterableIterator<string> {
    this.recorder?.read('K', kind);
    return (this.byKind.get(kind) ?? new Map<string, Declaration[]>()).keys();
  }

  declarationsOfKind(kind: string): IterableIterator<Declaration[]> {
    this.recorder?.read('KD', kind);
    return (this.byKind.get(kind) ?? new Map<string, Declaration[]>()).values();
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
        generatedNames(this.ordered().values(), this.schema, (kind) => (this.byKind.get(kind) ?? new Map<string, Declaration[]>()).keys()),
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
    const names = new Set<string>([...this.namesOf(kind), ...this.schema.builtins(kind)]);
    for (const entry of this.settingsByKind.get(kind) ?? []) names.add(entry.name);
    return [...names];
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
    for (const decl of previous.declarations) {
      const names = this.byKind.get(decl.kind);
      const list = names?.get(decl.name);
      if (!names || !list) continue;
      const kept = list.filter((d) => d.file !== file);
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
