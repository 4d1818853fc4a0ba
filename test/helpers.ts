import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Diagnostic } from '../server/src/checks/diagnostic';
import { checkPaths, type CheckResult } from '../server/src/engine/check';
import { loadSchema } from '../server/src/schema/schema';
import type { Span } from '../server/src/syntax/lineIndex';

/**
 * Fixture text may carry markers: ⟦text⟧ marks an expected range, ‸ marks a cursor.
 * The markers are removed from the written file; their offsets are returned.
 */
export interface MarkedText {
  text: string;
  ranges: Span[];
  cursors: number[];
}

export function stripMarkers(marked: string): MarkedText {
  let text = '';
  const ranges: Span[] = [];
  const cursors: number[] = [];
  const open: number[] = [];
  for (const ch of marked) {
    if (ch === '⟦') open.push(text.length);
    else if (ch === '⟧') ranges.push({ start: open.pop()!, end: text.length });
    else if (ch === '‸') cursors.push(text.length);
    else text += ch;
  }
  return { text, ranges, cursors };
}

export interface Workspace {
  dir: string;
  path(relative: string): string;
  marks: Record<string, MarkedText>;
  check(relative?: string | string[]): CheckResult;
  cleanup(): void;
}

/** Writes files (with markers stripped) into a fresh temporary folder. */
export function workspace(files: Record<string, string | Buffer>): Workspace {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ucf-test-'));
  const marks: Record<string, MarkedText> = {};
  for (const [relative, content] of Object.entries(files)) {
    const full = path.join(dir, relative);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    if (typeof content === 'string') {
      marks[relative] = stripMarkers(content);
      fs.writeFileSync(full, marks[relative].text);
    } else fs.writeFileSync(full, content);
  }
  return {
    dir,
    marks,
    path: (relative) => path.join(dir, relative),
    check: (relative) => {
      const targets = relative === undefined ? [dir] : (Array.isArray(relative) ? relative : [relative]).map((r) => path.join(dir, r));
      return checkPaths(targets, loadSchema(), { useWorkspaceFile: true });
    },
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

export const NS = 'urn:schemas-usercube-com:configuration';

/** Wraps elements in a configuration file root. */
export function conf(body: string): string {
  return `<?xml version="1.0" encoding="utf-8"?>\n<ConfigurationFile xmlns="${NS}">\n${body}\n</ConfigurationFile>\n`;
}

/** The diagnostics of one code, as "file:text-under-range" strings, for readable assertions. */
export function found(result: CheckResult, ws: Workspace, code: string): string[] {
  return result.diagnostics
    .filter((d) => d.code === code)
    .map((d) => `${path.relative(ws.dir, d.file).split(path.sep).join('/')}:${textOf(ws, d)}`);
}

/** The marked ranges of the fixtures, as the same "file:text" strings. */
export function marked(ws: Workspace, relative: string): string[] {
  const mark = ws.marks[relative];
  return mark.ranges.map((r) => `${relative}:${mark.text.slice(r.start, r.end)}`);
}

export function textOf(ws: Workspace, d: Diagnostic): string {
  const relative = path.relative(ws.dir, d.file).split(path.sep).join('/');
  const text = ws.marks[relative]?.text ?? fs.readFileSync(d.file, 'utf8');
  return text.slice(d.span.start, d.span.end);
}

export function codes(result: CheckResult): string[] {
  return result.diagnostics.map((d) => d.code);
}
