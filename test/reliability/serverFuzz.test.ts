import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { LineIndex } from '../../server/src/syntax/lineIndex';
import { exampleFiles } from './corpus';
import { engineFuzz } from './engineFuzz';
import { REQUEST_BOUND_MS, ServerProcess, uri } from './serverProcess';

// The language server itself, over stdio: mutated documents are opened and changed, and every request an editor makes
// is sent at random positions (inside and outside the text). Each must answer within the bound, never with an internal
// error (an exception that escaped a handler); every published diagnostic must lie inside its document.
const SEED = Number(process.env.FUZZ_SEED ?? 20261122);
const ROUNDS = Number(process.env.FUZZ_SERVER_ROUNDS ?? 12);

interface Answer {
  method: string;
  error?: { code: number; message: string };
}

describe('fuzzing the language server over stdio (short run)', () => {
  let dir: string;
  let server: ServerProcess;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ucf-fuzz-server-'));
    for (const [relative, text] of Object.entries(exampleFiles())) {
      fs.mkdirSync(path.dirname(path.join(dir, relative)), { recursive: true });
      fs.writeFileSync(path.join(dir, relative), text);
    }
    server = new ServerProcess();
    await server.initialize([dir]);
    await server.ready();
  });

  after(async () => {
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it(`mutated documents and requests at random positions: answers within ${REQUEST_BOUND_MS / 1000} s, no internal error, diagnostics inside (${ROUNDS} rounds)`, async () => {
    const fuzz = engineFuzz({ includeDocExamples: false, scale: { huge: 20_000, depth: 200, times: 20 } });
    const inputs = fc.sample(fc.tuple(fuzz.arbitrary, fc.array(fc.tuple(fc.integer({ min: -2, max: 400 }), fc.integer({ min: -2, max: 300 })), { minLength: 4, maxLength: 8 })), { numRuns: ROUNDS, seed: SEED });
    const versions = new Map<string, number>();
    const texts = new Map<string, string>();
    const answers: Answer[] = [];
    for (const [input, positions] of inputs) {
      const file = path.join(dir, fuzz.seeds[input.seed].relative);
      const text = fuzz.textOf(input);
      const version = (versions.get(file) ?? 0) + 1;
      versions.set(file, version);
      texts.set(file, text);
      if (version === 1) await server.open(file, text);
      else await server.change(file, text, version);
      const doc = { uri: uri(file) };
      const ask = async (method: string, params: unknown) => {
        const { error } = await server.answer(method, params);
        answers.push({ method, error: error ? { code: error.code, message: error.message } : undefined });
      };
      for (const [line, character] of positions) {
        const position = { line, character };
        await ask('textDocument/completion', { textDocument: doc, position });
        await ask('textDocument/hover', { textDocument: doc, position });
        await ask('textDocument/definition', { textDocument: doc, position });
        await ask('textDocument/references', { textDocument: doc, position, context: { includeDeclaration: true } });
        await ask('textDocument/prepareRename', { textDocument: doc, position });
        await ask('textDocument/rename', { textDocument: doc, position, newName: 'Fuzz_Renamed' });
        await ask('textDocument/codeAction', { textDocument: doc, range: { start: position, end: { line: line + 1, character: 0 } }, context: { diagnostics: [] } });
      }
      await ask('textDocument/documentSymbol', { textDocument: doc });
      await ask('textDocument/semanticTokens/full', { textDocument: doc });
      await ask('workspace/symbol', { query: text.slice(0, 2) });
      // A request on a file the server has never heard of.
      await ask('textDocument/hover', { textDocument: { uri: uri(path.join(dir, 'Conf', 'Nowhere.xml')) }, position: { line: 0, character: 0 } });
    }
    await server.request('workspace/symbol', { query: '' }); // every notification sent before it has arrived

    const internal = answers.filter((a) => a.error && a.error.code !== 0);
    assert.deepEqual(internal, [], 'requests answered with an internal error');
    assert.deepEqual(server.escapedErrors(), [], 'errors logged by the server');
    for (const [file, diagnostics] of server.diagnostics) {
      const text = texts.get(file) ?? fs.readFileSync(file, 'utf8');
      const lines = new LineIndex(text);
      for (const d of diagnostics) {
        const inside = (p: { line: number; character: number }) => p.line >= 0 && p.line < lines.lineCount && p.character >= 0 && lines.offsetAt(p) === lines.offsetAt({ line: p.line, character: 0 }) + p.character;
        assert.ok(inside(d.range.start) && inside(d.range.end), `${path.basename(file)}: ${JSON.stringify(d.range)} ${d.code} is not inside the document`);
      }
    }
    assert.equal(server.process.exitCode, null, 'the server is still running');
  });
});
