/**
 * Measurements through the real protocol: the built language server (dist/server.js) over stdio, driven as an
 * editor would drive it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import { URI } from 'vscode-uri';
import { LineIndex } from '../server/src/syntax/lineIndex';
import { hugeFile } from './generate';
import { cursorsOf, editsOf } from './scenario';
import { now, peakRss, percentile } from './stats';

/** The server bundle: the run's snapshot (see run.ts) when there is one, else the built one. */
export function serverScript(): string {
  const snapshot = path.resolve(__dirname, '../../bench/.snapshot/dist/server.js');
  return fs.existsSync(snapshot) ? snapshot : path.resolve(__dirname, '../../dist/server.js');
}
/** The server waits this long after a change before re-checking (TYPING_DELAY_MS in lsp/server.ts). */
export const DEBOUNCE_MS = 150;

class Client {
  readonly process: ChildProcess;
  readonly connection: MessageConnection;
  /** Arrival times of publishDiagnostics, by file. */
  readonly published: { file: string; at: number }[] = [];
  readyAt: number | undefined;
  private listeners: (() => void)[] = [];

  constructor() {
    this.process = spawn(process.execPath, [serverScript(), '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
    this.connection = createMessageConnection(new StreamMessageReader(this.process.stdout!), new StreamMessageWriter(this.process.stdin!));
    this.connection.onNotification((method, params) => {
      if (method === 'textDocument/publishDiagnostics') this.published.push({ file: URI.parse((params as { uri: string }).uri).fsPath, at: now() });
      if (method === 'usercubeConf/status' && (params as { state: string }).state === 'ready' && this.readyAt === undefined) this.readyAt = now();
      const listeners = this.listeners;
      this.listeners = [];
      listeners.forEach((l) => l());
    });
    this.connection.onRequest('window/workDoneProgress/create', () => null);
    this.connection.onRequest('client/registerCapability', () => null);
    this.connection.onRequest('workspace/configuration', (params: { items: unknown[] }) => params.items.map(() => ({})));
    this.connection.listen();
  }

  async initialize(folder: string, storagePath?: string): Promise<void> {
    await this.connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: URI.file(folder).toString(),
      workspaceFolders: [{ uri: URI.file(folder).toString(), name: 'bench' }],
      initializationOptions: storagePath ? { storagePath } : {},
      capabilities: { workspace: { configuration: true, workspaceFolders: true }, textDocument: { publishDiagnostics: { relatedInformation: true } } },
    });
    await this.connection.sendNotification('initialized', {});
  }

  /** Resolves when `predicate` holds (checked at each notification) or after `timeoutMs`. */
  async until(predicate: () => boolean, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      const left = deadline - Date.now();
      if (left <= 0) return false;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 50));
        this.listeners.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return true;
  }

  async stop(): Promise<number | undefined> {
    const rss = this.process.pid ? peakRss(this.process.pid) : undefined;
    try {
      await Promise.race([this.connection.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 3000))]);
      await this.connection.sendNotification('exit');
    } catch {
      // gone already
    }
    this.connection.dispose();
    this.process.kill();
    return rss;
  }
}

export interface ProtocolResult {
  startMs: number;
  peakRss?: number;
  edits?: Record<string, { p50: number; p95: number }>;
  completion?: { p50: number; p95: number };
  definition?: { p50: number; p95: number };
  references?: { p50: number; p95: number };
  renameMs?: number;
  duringHugeReparse?: { p50: number; p95: number; count: number };
  /** Peak RSS before the 10 MB buffer is opened: the configuration's own cost. */
  peakRssBeforeHuge?: number;
}

/** Starts the server on `dir` and waits until it reports ready (all diagnostics published). */
export async function startOnly(dir: string, storagePath?: string): Promise<ProtocolResult> {
  const client = new Client();
  const start = now();
  await client.initialize(dir, storagePath);
  await client.until(() => client.readyAt !== undefined, 15 * 60_000);
  const startMs = client.readyAt! - start;
  if (storagePath) await waitForCache(storagePath);
  const peak = await client.stop();
  return { startMs, peakRss: peak };
}

/** Waits until the server has written its index cache (it does so shortly after the initial diagnoses). */
async function waitForCache(dir: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.bin')) : [];
    if (files.length > 0) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A full session: start, edits of the typical and the largest file, requests, rename, requests during a 10 MB reparse. */
export async function session(dir: string, typical: string, largest: string, rounds: number, hugeBytes: number, connectors: string[]): Promise<ProtocolResult> {
  const client = new Client();
  const start = now();
  await client.initialize(dir);
  await client.until(() => client.readyAt !== undefined, 15 * 60_000);
  const result: ProtocolResult = { startMs: client.readyAt! - start, edits: {} };
  const uriOf = (file: string) => URI.file(file).toString();

  // Edits: each changes the diagnostics of the edited file (and, for renames, of its dependents). The latency is the
  // time from didChange to the last diagnostics of the burst, less the server's typing delay.
  for (const [label, relative] of [
    ['typical', typical],
    ['largest', largest],
  ] as const) {
    const file = path.join(dir, ...relative.split('/'));
    const text = fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: uriOf(file), languageId: 'xml', version: 1, text } });
    await new Promise((r) => setTimeout(r, 500));
    const latencies: number[] = [];
    let version = 1;
    for (const edit of editsOf(text, rounds)) {
      const mark = client.published.length;
      const sent = now();
      await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri: uriOf(file), version: ++version }, contentChanges: [{ text: edit.text }] });
      await client.until(() => client.published.slice(mark).some((p) => p.file === file), 30_000);
      // Dependents are published in the same burst: wait for a quiet moment, then take the last arrival.
      let seen = client.published.length;
      for (;;) {
        await new Promise((r) => setTimeout(r, 150));
        if (client.published.length === seen) break;
        seen = client.published.length;
      }
      const last = Math.max(...client.published.slice(mark).map((p) => p.at));
      latencies.push(last - sent - DEBOUNCE_MS);
    }
    result.edits![label] = { p50: percentile(latencies, 50), p95: percentile(latencies, 95) };
    if (label === 'largest') {
      await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: uriOf(file) } });
      continue;
    }

    // Requests on the typical file.
    const lines = new LineIndex(text);
    const cursors = cursorsOf(text);
    const request = async (method: string, offset: number, extra: object = {}): Promise<number> => {
      const begin = now();
      await client.connection.sendRequest(method, { textDocument: { uri: uriOf(file) }, position: lines.positionAt(offset), ...extra });
      return now() - begin;
    };
    const repeat = async (method: string, offsets: number[], times: number, extra: object = {}): Promise<{ p50: number; p95: number }> => {
      const values: number[] = [];
      for (let i = 0; i < times; i++) for (const offset of offsets) values.push(await request(method, offset, extra));
      return { p50: percentile(values, 50), p95: percentile(values, 95) };
    };
    result.completion = await repeat('textDocument/completion', cursors.completion.map((c) => c.offset), 7);
    result.definition = await repeat('textDocument/definition', cursors.definition.map((c) => c.offset), 7);
    result.references = await repeat('textDocument/references', cursors.references.map((c) => c.offset), 3, { context: { includeDeclaration: true } });
    const renameStart = now();
    await client.connection.sendRequest('textDocument/prepareRename', { textDocument: { uri: uriOf(file) }, position: lines.positionAt(cursors.rename.offset) });
    await client.connection.sendRequest('textDocument/rename', { textDocument: { uri: uriOf(file) }, position: lines.positionAt(cursors.rename.offset), newName: 'Directory_Person' });
    result.renameMs = now() - renameStart;

    // A 10 MB file is opened, then edited (reparsed) while requests keep coming on the typical file.
    result.peakRssBeforeHuge = client.process.pid ? peakRss(client.process.pid) : undefined;
    const huge = path.join(dir, 'Conf', 'Huge', 'Huge.xml');
    const hugeText = hugeFile(hugeBytes, connectors);
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: uriOf(huge), languageId: 'xml', version: 1, text: hugeText } });
    await client.connection.sendRequest('textDocument/definition', { textDocument: { uri: uriOf(file) }, position: lines.positionAt(cursors.definition[0].offset) });
    const during: number[] = [];
    let running = true;
    const requests = (async () => {
      while (running) {
        during.push(await request('textDocument/definition', cursors.definition[0].offset));
        during.push(await request('textDocument/completion', cursors.completion[0].offset));
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    const hugeMark = client.published.length;
    // Sent as an editor sends them to a server that asks for incremental changes: the changed range only.
    const editAt = new LineIndex(hugeText).positionAt(hugeText.indexOf('Huge role 1"'));
    let previous = 'Huge role 1"';
    for (let v = 2; v <= 4; v++) {
      await new Promise((r) => setTimeout(r, 400));
      const replacement = `Huge role 1 (edit ${v})"`;
      const range = { start: editAt, end: { line: editAt.line, character: editAt.character + previous.length } };
      await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri: uriOf(huge), version: v }, contentChanges: [{ range, text: replacement }] });
      previous = replacement;
    }
    await new Promise((r) => setTimeout(r, 3000));
    running = false;
    await requests;
    void hugeMark;
    result.duringHugeReparse = { p50: percentile(during, 50), p95: percentile(during, 95), count: during.length };
    await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: uriOf(huge) } });
    await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: uriOf(file) } });
  }
  result.peakRss = await client.stop();
  return result;
}
