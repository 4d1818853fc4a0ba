import type { FileRule } from '../rule';

export const xmlSyntax: FileRule = {
  code: 'xml-syntax',
  severity: 'error',
  scope: 'file',
  check({ doc }, report) {
    for (const problem of doc.syntaxErrors) report({ span: problem.span, message: problem.message });
  },
};
