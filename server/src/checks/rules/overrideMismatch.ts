import type { SetRule } from '../rule';

/** An `XxxTaskOverride` must name a task of type `XxxTask`; otherwise its attributes apply to nothing. */
export const overrideMismatch: SetRule = {
  code: 'override-mismatch',
  severity: 'error',
  scope: 'set',
  check({ model, index, schema }, report) {
    for (const ref of model.references) {
      const overrides = schema.element(ref.element.defKey)?.overrides;
      if (!overrides || ref.attribute !== 'Identifier') continue;
      const tasks = index.declarations('Task', ref.name);
      if (tasks.length === 0 || tasks.some((task) => task.element.name === overrides)) continue;
      const actual = tasks[0].element.name;
      report({
        span: ref.span,
        message: `'${ref.name}' is a <${actual}>, but <${ref.element.name}> overrides a <${overrides}>. Use <${actual}Override>, or name a ${overrides}.`,
        related: [{ file: tasks[0].file, span: tasks[0].span, message: `declaration of '${ref.name}'` }],
      });
    }
  },
};
