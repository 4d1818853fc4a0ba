import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { createMessageConnection, ResponseError, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import type { Diagnostic as LspDiagnostic } from 'vscode-languageserver-protocol';
import { URI } from 'vscode-uri';
import { REPO } from './corpus';

export const SERVER = path.join(REPO, 'bin/usercube-conf-server.js');

/** Every request must answer within this (generous: a loaded 2-core CI machine). */
export const REQUEST_BOUND_MS = 10_000;

export interface ServerOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Node options before the server script (e.g. `--require` a probe). */
  execArgv?: string[];
  /** Client settings answered to workspace/configuration (the `usercubeConf` section). */
  settings?: Record<string, unknown>;
}

/**
 * The built language server over stdio, as an editor runs it, recording everything it sends: the raw bytes of
 * stdout, stderr, every notification and every answer.
 */
export class ServerProcess {
  readonly process: ChildProcess;
  readonly connection: MessageConnection;
  readonly stdout: Buffer[] = [];
  readonly stderr: Buffer[] = [];
  readonly notifications: { method: string; params: unknown }[] = [];
  readonly diagnostics = new Map<string, LspDiagnostic[]>();
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  settings: Record<string, unknown>;
  private waiters: (() => void)[] = [];

  constructor(options: ServerOptions = {}) {
    this.settings = options.settings ?? {};
    this.process = spawn(process.execPath, [...(options.execArgv ?? []), SERVER, '--stdio'], { cwd: options.cwd, env: options.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    this.exited = new Promise((resolve) => this.process.on('exit', (code, signal) => resolve({ code, signal })));
    this.process.stdout!.on('data', (chunk: Buffer) => this.stdout.push(chunk));
    this.process.stderr!.on('data', (chunk: Buffer) => this.stderr.push(chunk));
    this.connection = createMessageConnection(new StreamMessageReader(this.process.stdout!), new StreamMessageWriter(this.process.stdin!));
    this.connection.onNotification((method, params) => {
      this.notifications.push({ method, params });
      if (method === 'textDocument/publishDiagnostics') {
        const p = params as { uri: string; diagnostics: LspDiagnostic[] };
        this.diagnostics.set(URI.parse(p.uri).fsPath, p.diagnostics);
      }
      this.wake();
    });
    this.connection.onUnhandledProgress((params) => {
      this.notifications.push({ method: '$/progress', params });
      this.wake();
    });
    this.connection.onRequest('window/workDoneProgress/create', () => null);
    this.connection.onRequest('client/registerCapability', () => null);
    this.connection.onRequest('workspace/configuration', (params: { items: unknown[] }) => params.items.map(() => this.settings));
    this.connection.onRequest('workspace/workspaceFolders', () => null);
    this.connection.onError(() => undefined); // a killed server: the drill itself checks what it needs
    this.connection.listen();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    waiters.forEach((w) => w());
  }

  async initialize(folders: string[], initializationOptions?: unknown): Promise<void> {
    await this.request('initialize', {
      processId: process.pid,
      rootUri: URI.file(folders[0]).toString(),
      workspaceFolders: folders.map((f, i) => ({ uri: URI.file(f).toString(), name: `ws${i}` })),
      initializationOptions,
      capabilities: {
        window: { workDoneProgress: true },
        workspace: { configuration: true, workspaceFolders: true, didChangeWatchedFiles: { dynamicRegistration: true }, didChangeConfiguration: { dynamicRegistration: true } },
        textDocument: { publishDiagnostics: { relatedInformation: true }, completion: { completionItem: { snippetSupport: true } } },
      },
    });
    await this.connection.sendNotification('initialized', {});
  }

  /** Resolves when the predicate holds, re-checked at every notification; rejects after the timeout. */
  async until(predicate: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 500));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  statuses(): string[] {
    return this.notifications.filter((n) => n.method === 'usercubeConf/status').map((n) => (n.params as { state: string }).state);
  }

  /** Waits for a `ready` status after the `from`-th status notification. */
  async ready(from = 0, timeoutMs = 60_000): Promise<void> {
    await this.until(() => this.statuses().slice(from).includes('ready'), 'the index to be ready', timeoutMs);
  }

  /** A request that must answer within the bound: rejects with a clear message otherwise. */
  async request<R>(method: string, params: unknown, boundMs = REQUEST_BOUND_MS): Promise<R> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${method} did not answer within ${boundMs} ms`)), boundMs);
    });
    try {
      return await Promise.race([this.connection.sendRequest(method, params) as Promise<R>, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * A request whose refusal is an acceptable answer (rename of what is not a symbol): returns the error.
   * An internal error (an exception escaped a handler) is returned too; callers assert there is none.
   */
  async answer(method: string, params: unknown, boundMs = REQUEST_BOUND_MS): Promise<{ result?: unknown; error?: ResponseError<unknown> }> {
    try {
      return { result: await this.request(method, params, boundMs) };
    } catch (error) {
      if (error instanceof ResponseError) return { error };
      throw error;
    }
  }

  open(file: string, text: string, languageId = file.endsWith('.json') ? 'json' : 'xml'): Promise<void> {
    return this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: uri(file), languageId, version: 1, text } });
  }

  change(file: string, text: string, version: number): Promise<void> {
    return this.connection.sendNotification('textDocument/didChange', { textDocument: { uri: uri(file), version }, contentChanges: [{ text }] });
  }

  close(file: string): Promise<void> {
    return this.connection.sendNotification('textDocument/didClose', { textDocument: { uri: uri(file) } });
  }

  /** Everything the server wrote on stdout (the protocol stream) and stderr. */
  output(): { stdout: string; stderr: string } {
    return { stdout: Buffer.concat(this.stdout).toString('utf8'), stderr: Buffer.concat(this.stderr).toString('utf8') };
  }

  /** Log messages of type Error, and reports of handlers that failed (an exception that escaped). */
  escapedErrors(): string[] {
    const logged = this.notifications
      .filter((n) => n.method === 'window/logMessage' || n.method === 'window/showMessage')
      .map((n) => n.params as { type: number; message: string })
      .filter((p) => p.type === 1 || /failed with message|Unhandled|TypeError|RangeError|ReferenceError/.test(p.message))
      .map((p) => p.message);
    const stderr = this.output().stderr;
    return /Error|Unhandled|at .+:\d+:\d+/.test(stderr) ? [...logged, `stderr: ${stderr.slice(0, 2000)}`] : logged;
  }

  async stop(): Promise<void> {
    if (this.process.exitCode === null && this.process.signalCode === null) {
      try {
        await Promise.race([this.connection.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 3000))]);
        await this.connection.sendNotification('exit');
      } catch {
        // already gone
      }
      await Promise.race([this.exited, new Promise((r) => setTimeout(r, 3000))]);
    }
    this.connection.dispose();
    if (this.process.exitCode === null && this.process.signalCode === null) this.process.kill('SIGKILL');
  }

  kill(): Promise<unknown> {
    this.process.kill('SIGKILL');
    return this.exited;
  }
}

export function uri(file: string): string {
  return URI.file(file).toString();
}
