import type { SetRule } from '../rule';

/** Tasks that depend on each other in a circle (or on themselves) can never start. */
export const taskDependencyCycle: SetRule = {
  code: 'task-dependency-cycle',
  severity: 'error',
  scope: 'set',
  check({ model, index }, report) {
    if (model.dependencies.length === 0) return;
    const parents = index.taskParents();
    for (const dependency of model.dependencies) {
      if (!dependency.task) continue;
      const path = pathBack(dependency.parentTask, dependency.task, parents);
      if (!path) continue;
      const circle = [dependency.task, ...path].join(' → ');
      report({
        span: dependency.span,
        message:
          dependency.parentTask === dependency.task
            ? `The task '${dependency.task}' depends on itself, so it can never start. Remove this dependency.`
            : `This dependency closes a circle (${circle}): none of these tasks can ever start. Remove one of the dependencies.`,
      });
    }
  },
};

/** The chain of parents from `from` back to `target`, if `target` is reachable. */
function pathBack(from: string, target: string, parents: ReadonlyMap<string, ReadonlySet<string>>): string[] | undefined {
  const previous = new Map<string, string | undefined>([[from, undefined]]);
  const queue = [from];
  while (queue.length > 0) {
    const task = queue.shift()!;
    if (task === target) {
      const chain: string[] = [];
      for (let cursor: string | undefined = task; cursor !== undefined; cursor = previous.get(cursor)) chain.unshift(cursor);
      return chain;
    }
    for (const parent of parents.get(task) ?? []) {
      if (!previous.has(parent)) {
        previous.set(parent, task);
        queue.push(parent);
      }
    }
  }
  return undefined;
}
