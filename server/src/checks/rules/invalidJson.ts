import type { SettingsRule } from '../rule';

export const invalidJson: SettingsRule = {
  code: 'invalid-json',
  severity: 'error',
  scope: 'settings',
  check({ settings }, report) {
    for (const problem of settings.problems) report({ span: problem.span, message: problem.message });
  },
};
