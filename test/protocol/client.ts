import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import type { PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { URI } from 'vscode-uri';

const SERVER = path.resolve(__dirname, '../../../bin/usercube-conf-server.js');

/** A minimal LSP client over stdio, as another editor would be: spawns the built server. */
export class TestClient {
  readonly diagnostics = new Map<string, PublishDiagnosticsParams['diagnostics']>();
  readonly notifications: { method: string; params: unknown }[] = [];
  readonly progress: unknown[] = [];
  private readonly process: ChildProcess;
  readonly connection: MessageConnection;
  private waiters: (() => void)[] = [];

  constructor() {
    this.process = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.connection = createMessageConnection(new StreamMessageReader(this.process.stdout!), new StreamMessageWriter(this.process.stdin!));
    this.connection.onNotification((method, params) => {
      this.notifications.push({ method, params });
      if (method === 'textDocument/publishDiagnostics') {
        const p = params as PublishDiagnosticsParams;
        this.diagnostics.set(URI.parse(p.uri).fsPath, p.diagnostics);
      }
      const waiters = this.waiters;
      this.waiters = [];
      waiters.forEach((w) => w());
    });
    this.connection.onUnhandledProgress((params) => {
      this.progress.push(params.value);
      const waiters = this.waiters;
      this.waiters = [];
      waiters.forEach((w) => w());
    });
    this.connection.onRequest('window/workDoneProgress/create', () => null);
    this.connection.onRequest('client/registerCapability', () => null);
    this.connection.onRequest('workspace/configuration', (params: { items: unknown[] }) => params.items.map(() => this.settings));
    this.connection.listen();
  }

  settings: Record<string, unknown> = {};

  tokenTypes: string[] = [];

  async initialize(folder: string): Promise<unknown> {
    const result: { capabilities: { semanticTokensProvider?: { legend: { tokenTypes: string[] } } } } = await this.connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: URI.file(folder).toString(),
      workspaceFolders: [{ uri: URI.file(folder).toString(), name: 'ws' }],
      capabilities: {
        window: { workDoneProgress: true },
        workspace: { configuration: true, workspaceFolders: true, didChangeWatchedFiles: { dynamicRegistration: true } },
        textDocument: { publishDiagnostics: { relatedInformation: true } },
      },
    });
    this.tokenTypes = result.capabilities.semanticTokensProvider?.legend.tokenTypes ?? [];
    await this.connection.sendNotification('initialized', {});
    return result;
  }

  /** Resolves when the predicate holds, re-checked at every notification; rejects after the timeout. */
  async until(predicate: () => boolean, what: string, timeoutMs = 15000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Waits until the server reports its index ready. */
  async ready(): Promise<void> {
    await this.until(() => this.notifications.some((n) => n.method === 'usercubeConf/status' && (n.params as { state: string }).state === 'ready'), 'the index to be ready');
  }

  codesOf(file: string): string[] {
    return (this.diagnostics.get(file) ?? []).map((d) => String(d.code));
  }

  open(file: string, text: string): Promise<void> {
    return this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: URI.file(file).toString(), languageId: 'xml', version: 1, text } });
  }

  change(file: string, text: string, version: number): Promise<void> {
    return this.connection.sendNotification('textDocument/didChange', { textDocument: { uri: URI.file(file).toString(), version }, contentChanges: [{ text }] });
  }

  request<R>(method: string, params: unknown): Promise<R> {
    return this.connection.sendRequest(method, params) as Promise<R>;
  }

  async stop(): Promise<void> {
    try {
      await Promise.race([this.connection.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
      await this.connection.sendNotification('exit');
    } catch {
      // already gone
    }
    this.connection.dispose();
    this.process.kill();
  }
}

export function uri(file: string): string {
  return URI.file(file).toString();
}
