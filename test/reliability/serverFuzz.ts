import fc from 'fast-check';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LineIndex } from '../../server/src/syntax/lineIndex';
import { exampleFiles } from './corpus';
import { engineFuzz } from './engineFuzz';
import { ServerProcess, uri } from './serverProcess';

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
