import { walk } from '../../syntax/model';
import type { FileRule } from '../rule';

export const duplicateAttribute: FileRule = {
  code: 'duplicate-attribute',
  severity: 'error',
  scope: 'file',
  check({ doc }, report) {
    for (const element of walk(doc.roots)) {
      const seen = new Map<string, number>();
      element.attributes.forEach((attr, i) => {
        const first = seen.get(attr.name);
        if (first === undefined) {
          seen.set(attr.name, i);
          return;
        }
        const previous = element.attributes[i - 1];
        const deleteStart = previous.valueSpan ? previous.valueSpan.end + 1 : previous.nameSpan.end;
        const deleteEnd = attr.valueSpan ? attr.valueSpan.end + 1 : attr.nameSpan.end;
        const firstValue = element.attributes[first].value;
        report({
          span: attr.nameSpan,
          message: `The attribute '${attr.name}' is written twice on <${element.name}>; XML allows it once and the deployment rejects the file. Keep one value${firstValue !== undefined ? ` (the first is '${firstValue}')` : ''} and remove the other.`,
          related: [{ file: '', span: element.attributes[first].nameSpan, message: `first '${attr.name}'` }],
          fix: { deleteSpan: { start: deleteStart, end: deleteEnd } },
        });
      });
    }
  },
};
