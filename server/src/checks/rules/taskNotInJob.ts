import type { SetRule } from '../rule';

/**
 * A task inside a job depends on a task that exists but is not part of that job: the job engine never runs it there.
 * Reported only when both memberships are certain (no scaffolding adds either task to jobs).
 */
export const taskNotInJob: SetRule = {
  code: 'task-not-in-job',
  severity: 'error',
  scope: 'set',
  check({ model, index }, report) {
    const memberships = index.memberships();
    for (const dependency of model.dependencies) {
      if (!dependency.job) continue; // the dependent task is not declared inside a job
      const parent = dependency.parentTask;
      if (index.declarations('Task', parent).length === 0) continue; // unresolved: another rule reports it
      if (memberships.tasksAddedByScaffolding.has(parent) || (dependency.task && memberships.tasksAddedByScaffolding.has(dependency.task))) continue;
      const jobs = memberships.jobsOfTask.get(parent) ?? new Set<string>();
      if (jobs.has(dependency.job)) continue;
      const where = jobs.size > 0 ? `it belongs to ${[...jobs].map((j) => `'${j}'`).join(', ')}` : 'it is not part of any job';
      const decl = index.declarations('Task', parent)[0];
      report({
        span: dependency.span,
        message: `The task '${parent}' is not part of the job '${dependency.job}' (${where}), so this dependency can never be satisfied. Add the task to the job (inline or with <Step Identifier="${parent}"/>) or depend on a task of this job.`,
        related: [{ file: decl.file, span: decl.span, message: `declaration of '${parent}'` }],
      });
    }
  },
};
