import fc from 'fast-check';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LineIndex } from '../../server/src/syntax/lineIndex';
import { exampleFiles, NS } from './corpus';
import { engineFuzz } from './engineFuzz';
import { REQUEST_BOUND_MS, ServerProcess, uri } from './serverProcess';

/** What a server fuzz session saw: requests made and every broken invariant. */
export interface ServerFuzzReport {
  rounds: number;
  requests: number;
  /** Requests answered with an error other than a refusal (an exception escaped a handler), or not answered in time. */
  failures: string[];
  /** Errors the server logged (window/logMessage of type Error, stderr). */
  logged: string[];
  /** Published diagnostics whose range is not inside the document. */
  outside: string[];
  /** Set when the server process ended during the session. */
  exited?: string;
}

/**
 * The language server over stdio, as an editor drives it: each round opens or changes one file of a copy of
 * examples/ with a mutated text, then sends every request an editor makes at random positions (inside and outside
 * the text, on a file the server does not know). Every request must answer within the bound, never with an
 * internal error; every published diagnostic must lie inside its document.
 */
export async function fuzzServer(rounds: number, seed: number, onRound?: (done: number) => void): Promise<ServerFuzzReport> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ucf-fuzz-server-'));
  for (const [relative, text] of Object.entries(exampleFiles())) {
    fs.mkdirSync(path.dirname(path.join(dir, relative)), { recursive: true });
    fs.writeFileSync(path.join(dir, relative), text);
  }
  const report: ServerFuzzReport = { rounds: 0, requests: 0, failures: [], logged: [], outside: [] };
  const server = new ServerProcess();
  let stopping = false;
  void server.exited.then(({ code, signal }) => {
    if (!stopping) report.exited ??= `exited with code ${code} (signal ${signal})`;
  });
  try {
    await server.initialize([dir]);
    await server.ready();
    const fuzz = engineFuzz({ includeDocExamples: false, scale: { huge: 20_000, depth: 200, times: 20 } });
    const position = fc.tuple(fc.integer({ min: -2, max: 400 }), fc.integer({ min: -2, max: 300 }));
    const inputs = fc.sample(fc.tuple(fuzz.arbitrary, fc.array(position, { minLength: 4, maxLength: 8 })), { numRuns: rounds, seed });
    const versions = new Map<string, number>();
    const texts = new Map<string, string>();
    for (const [input, positions] of inputs) {
      if (report.exited) break;
      const file = path.join(dir, fuzz.seeds[input.seed].relative);
      const text = fuzz.textOf(input);
      const version = (versions.get(file) ?? 0) + 1;
      versions.set(file, version);
      texts.set(file, text);
      if (version === 1) await server.open(file, text);
      else await server.change(file, text, version);
      const doc = { uri: uri(file) };
      const ask = async (method: string, params: unknown) => {
        report.requests++;
        try {
          const { error } = await server.answer(method, params);
          if (error && error.code !== 0) report.failures.push(`${method}: ${error.code} ${error.message} (input ${JSON.stringify(input).slice(0, 400)})`);
        } catch (error) {
          report.failures.push(`${method}: ${(error as Error).message} (input ${JSON.stringify(input).slice(0, 400)})`);
        }
      };
      for (const [line, character] of positions) {
        const at = { line, character };
        await ask('textDocument/completion', { textDocument: doc, position: at });
        await ask('textDocument/hover', { textDocument: doc, position: at });
        await ask('textDocument/definition', { textDocument: doc, position: at });
        await ask('textDocument/references', { textDocument: doc, position: at, context: { includeDeclaration: true } });
        await ask('textDocument/prepareRename', { textDocument: doc, position: at });
        await ask('textDocument/rename', { textDocument: doc, position: at, newName: 'Fuzz_Renamed' });
        await ask('textDocument/codeAction', { textDocument: doc, range: { start: at, end: { line: line + 1, character: 0 } }, context: { diagnostics: [] } });
      }
      await ask('textDocument/documentSymbol', { textDocument: doc });
      await ask('textDocument/semanticTokens/full', { textDocument: doc });
      await ask('workspace/symbol', { query: text.slice(0, 2) });
      await ask('textDocument/hover', { textDocument: { uri: uri(path.join(dir, 'Conf', 'Nowhere.xml')) }, position: { line: 0, character: 0 } });
      report.rounds++;
      onRound?.(report.rounds);
    }
    if (!report.exited) await server.request('workspace/symbol', { query: '' }); // every notification sent before it has arrived
    report.logged = server.escapedErrors();
    // The status counts what was published (without re-reading it: a finding of the fuzzer, see docs/reliability.md).
    const status = server.notifications.filter((n) => n.method === 'usercubeConf/status').pop()?.params as { problems: number } | undefined;
    const publishedCount = [...server.diagnostics.values()].reduce((n, list) => n + list.length, 0);
    if (!report.exited && status && status.problems !== publishedCount) report.failures.push(`status counts ${status.problems} problems, ${publishedCount} are published`);
    for (const [file, diagnostics] of server.diagnostics) {
      const text = texts.get(file) ?? fs.readFileSync(file, 'utf8');
      const lines = new LineIndex(text);
      const inside = (p: { line: number; character: number }) => p.line >= 0 && p.line < lines.lineCount && p.character >= 0 && lines.offsetAt(p) === lines.offsetAt({ line: p.line, character: 0 }) + p.character;
      for (const d of diagnostics) if (!inside(d.range.start) || !inside(d.range.end)) report.outside.push(`${path.basename(file)}: ${JSON.stringify(d.range)} ${d.code}`);
    }
  } finally {
    stopping = true;
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return report;
}

/**
 * The first answer after a large document is opened or changed waits for its analysis (the request sees the latest
 * text): it has this bound, the others REQUEST_BOUND_MS.
 */
export const FIRST_ANSWER_BOUND_MS = 120_000;

/**
 * Extreme documents opened in the server, then changed at once (an edit while the first text is analysed): a single
 * line of `bytes` characters (examples' HR.xml copied with unique names: a minified generated file), 10,000-deep
 * nesting, and a 1.2 MB attribute value. Every request at their start, middle and end must answer within the bounds.
 */
export async function extremeDocuments(bytes: number): Promise<ServerFuzzReport & { firstAnswerMs: number[] }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ucf-extreme-'));
  const report: ServerFuzzReport & { firstAnswerMs: number[] } = { rounds: 0, requests: 0, failures: [], logged: [], outside: [], firstAnswerMs: [] };
  const server = new ServerProcess();
  let stopping = false;
  void server.exited.then(({ code, signal }) => {
    if (!stopping) report.exited ??= `exited with code ${code} (signal ${signal})`;
  });
  try {
    fs.mkdirSync(path.join(dir, 'Conf'));
    for (const [relative, text] of Object.entries(exampleFiles())) fs.writeFileSync(path.join(dir, relative), text);
    await server.initialize([dir]);
    await server.ready();
    const open = `<ConfigurationFile xmlns="${NS}">`;
    const line = exampleFiles()['Conf/HR.xml'].replace(/^[\s\S]*?<ConfigurationFile[^>]*>|<\/ConfigurationFile>\s*$/g, '').replace(/\r?\n\s*/g, ' ');
    const declared = new Set([...line.matchAll(/Identifier="(\w+)"/g)].map((m) => m[1]));
    const copies: string[] = [];
    for (let i = 0, length = 0; length < bytes; i++, length += line.length + 40) copies.push(line.replace(/"(\w+)"/g, (quoted, name: string) => (declared.has(name) ? `"${name}_${i}"` : quoted)));
    const documents = {
      'Conf/OneLine.xml': `${open}${copies.join('')}</ConfigurationFile>`,
      'Conf/Deep.xml': `${open}${'<Job Identifier="J">'.repeat(10_000)}${'</Job>'.repeat(10_000)}</ConfigurationFile>`,
      'Conf/Value.xml': `${open}<EntityType Identifier="${'E.'.repeat(600_000)}" /></ConfigurationFile>`,
    };
    let version = 1;
    for (const [relative, text] of Object.entries(documents)) {
      const file = path.join(dir, relative);
      const ask = async (method: string, params: unknown, bound = REQUEST_BOUND_MS) => {
        report.requests++;
        try {
          const { error } = await server.answer(method, params, bound);
          if (error && error.code !== 0) report.failures.push(`${relative} ${method}: ${error.code} ${error.message}`);
        } catch (error) {
          report.failures.push(`${relative} ${method}: ${(error as Error).message}`);
        }
      };
      const statuses = server.statuses().length;
      await server.open(file, text);
      const changed = text.slice(0, text.length - 25);
      await server.change(file, changed, ++version); // an edit while the first text is analysed
      const started = Date.now();
      await ask('textDocument/hover', { textDocument: { uri: uri(file) }, position: { line: 0, character: 1 } }, FIRST_ANSWER_BOUND_MS);
      report.firstAnswerMs.push(Date.now() - started);
      // Analyses of the opened and the changed text may still be finishing in the background: let them.
      await server.until(() => server.statuses().slice(statuses).filter((s) => s === 'ready').length >= 2, 'the analyses to end', FIRST_ANSWER_BOUND_MS).catch(() => undefined);
      const lines = new LineIndex(changed);
      for (const offset of [0, 40, changed.length >> 1, changed.length - 30]) {
        const position = lines.positionAt(offset);
        for (const method of ['textDocument/completion', 'textDocument/hover', 'textDocument/definition', 'textDocument/references']) {
          await ask(method, { textDocument: { uri: uri(file) }, position, context: { includeDeclaration: true } });
        }
      }
      await ask('textDocument/documentSymbol', { textDocument: { uri: uri(file) } });
      await ask('textDocument/semanticTokens/full', { textDocument: { uri: uri(file) } });
      await server.close(file);
      report.rounds++;
    }
    await ask0(server, report);
    report.logged = server.escapedErrors();
  } finally {
    stopping = true;
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return report;
}

async function ask0(server: ServerProcess, report: ServerFuzzReport): Promise<void> {
  try {
    await server.request('workspace/symbol', { query: 'HR' });
  } catch (error) {
    report.failures.push(`workspace/symbol: ${(error as Error).message}`);
  }
}
