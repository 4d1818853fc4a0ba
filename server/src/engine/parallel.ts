import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import type { SnapshotData } from '../index/changes';
import type { AnalysedFile } from './fileAnalysis';

/**
 * Reads and analyses many files on worker threads (the cold index): each worker parses, builds models and runs the
 * file rules for a chunk of files at a time and sends back what the set keeps; the calling thread only installs the
 * results. Both a synchronous form (the CLI, which has nothing else to do) and an asynchronous one (the language
 * server, which keeps answering) are offered. Results are what `analyseFromDisk` gives on the calling thread.
 */

export interface FileJob {
  path: string;
  isModule: boolean;
}

export type WorkerRequest =
  | { kind: 'analyse'; chunk: number; files: FileJob[]; maxBytes: number }
  | { kind: 'text'; id: number; file: string; text: string; isModule: boolean }
  | { kind: 'stop' };

/** A text analysed in the background: the file as a closed file holds it, and the content of its declarations. */
export interface TextReply {
  id: number;
  analysed: AnalysedFile;
  snapshot: SnapshotData;
}

export interface WorkerReply {
  chunk: number;
  results: AnalysedFile[];
}

/** Below this much work, threads cost more than they save. */
const MIN_PARALLEL_BYTES = 2 * 1024 * 1024;
const CHUNK_BYTES = 512 * 1024;
const CHUNK_FILES = 64;

/** The worker script, next to this module (out/…/engine/ when compiled, dist/ when bundled). */
export function workerScript(): string | undefined {
  const candidate = path.join(__dirname, 'indexWorker.js');
  return fs.existsSync(candidate) ? candidate : undefined;
}

/** How many workers to use for `bytes` of files: none when threads would not pay off. */
export function workerCount(bytes: number, requested?: number): number {
  if (requested !== undefined) return Math.max(0, requested);
  if (bytes < MIN_PARALLEL_BYTES || !workerScript()) return 0;
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return Math.max(1, Math.min(cores, 8));
}

/** Splits files into chunks of similar size, keeping their order. */
function chunksOf(files: readonly FileJob[], sizes: readonly number[]): FileJob[][] {
  const chunks: FileJob[][] = [];
  let current: FileJob[] = [];
  let bytes = 0;
  files.forEach((file, i) => {
    current.push(file);
    bytes += sizes[i];
    if (bytes >= CHUNK_BYTES || current.length >= CHUNK_FILES) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
  });
  if (current.length > 0) chunks.push(current);
  return chunks;
}

interface Pool {
  workers: Worker[];
  ports: MessagePort[];
  signal?: Int32Array;
}

function startPool(count: number, sync: boolean): Pool | undefined {
  const script = workerScript();
  if (!script || count <= 0) return undefined;
  const shared = sync ? new SharedArrayBuffer(4) : undefined;
  const workers: Worker[] = [];
  const ports: MessagePort[] = [];
  for (let i = 0; i < count; i++) {
    const worker = new Worker(script);
    const channel = new MessageChannel();
    worker.postMessage({ port: channel.port2, signal: shared }, [channel.port2]);
    worker.unref();
    channel.port1.unref();
    workers.push(worker);
    ports.push(channel.port1);
  }
  return { workers, ports, signal: shared ? new Int32Array(shared) : undefined };
}

function stopPool(pool: Pool): void {
  for (const port of pool.ports) {
    port.postMessage({ kind: 'stop' } satisfies WorkerRequest);
    port.close();
  }
  for (const worker of pool.workers) void worker.terminate();
}

/**
 * Analyses `files` on `workers` threads, blocking the calling thread until all are done. `onResult` receives the
 * results in the order of `files`. Returns false (having done nothing) when threads are unavailable.
 */
export function analyseInParallelSync(files: readonly FileJob[], sizes: readonly number[], maxBytes: number, workers: number, onResult: (result: AnalysedFile) => void): boolean {
  const pool = startPool(workers, true);
  if (!pool) return false;
  try {
    const chunks = chunksOf(files, sizes);
    const done: (AnalysedFile[] | undefined)[] = new Array(chunks.length);
    let next = 0;
    let delivered = 0;
    const send = (port: MessagePort) => {
      if (next >= chunks.length) return;
      port.postMessage({ kind: 'analyse', chunk: next, files: chunks[next], maxBytes } satisfies WorkerRequest);
      next++;
    };
    for (const port of pool.ports) {
      send(port);
      send(port); // two in flight per worker, so that none waits for the next chunk
    }
    const signal = pool.signal!;
    while (delivered < chunks.length) {
      const seen = Atomics.load(signal, 0);
      let received = false;
      for (const port of pool.ports) {
        for (let message = receiveMessageOnPort(port); message; message = receiveMessageOnPort(port)) {
          received = true;
          const reply = message.message as WorkerReply;
          done[reply.chunk] = reply.results;
          send(port);
        }
      }
      while (delivered < chunks.length && done[delivered]) {
        for (const result of done[delivered]!) onResult(result);
        done[delivered] = undefined;
        delivered++;
      }
      if (!received && delivered < chunks.length) Atomics.wait(signal, 0, seen, 1000);
    }
    return true;
  } finally {
    stopPool(pool);
  }
}

/**
 * Analyses `files` on `workers` threads without blocking. `onResult` receives the results in the order of `files`;
 * `isCancelled` stops early (the promise then resolves to false). Resolves to false at once when threads are
 * unavailable.
 */
export async function analyseInParallel(
  files: readonly FileJob[],
  sizes: readonly number[],
  maxBytes: number,
  workers: number,
  onResult: (result: AnalysedFile) => void,
  isCancelled: () => boolean = () => false,
): Promise<boolean> {
  const pool = startPool(workers, false);
  if (!pool) return false;
  const chunks = chunksOf(files, sizes);
  const done: (AnalysedFile[] | undefined)[] = new Array(chunks.length);
  let next = 0;
  let delivered = 0;
  try {
    return await new Promise<boolean>((resolve, reject) => {
      const send = (port: MessagePort) => {
        if (next >= chunks.length) return;
        port.postMessage({ kind: 'analyse', chunk: next, files: chunks[next], maxBytes } satisfies WorkerRequest);
        next++;
      };
      for (const worker of pool.workers) worker.once('error', reject);
      if (chunks.length === 0) resolve(true);
      for (const port of pool.ports) {
        port.on('message', (reply: WorkerReply) => {
          if (isCancelled()) {
            resolve(false);
            return;
          }
          done[reply.chunk] = reply.results;
          send(port);
          try {
            while (delivered < chunks.length && done[delivered]) {
              for (const result of done[delivered]!) onResult(result);
              done[delivered] = undefined;
              delivered++;
            }
          } catch (error) {
            reject(error);
            return;
          }
          if (delivered === chunks.length) resolve(true);
        });
        send(port);
        send(port);
      }
    });
  } finally {
    stopPool(pool);
  }
}

/**
 * One worker thread kept for large editor buffers: their parse, model and file rules run there while the calling
 * thread keeps answering requests. Texts are analysed in order; `analyse` resolves with the result.
 */
export class BackgroundAnalyser {
  private pool: Pool | undefined;
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (reply: TextReply) => void; reject: (error: Error) => void }>();

  /** False when no worker can be started (then the caller analyses on its own thread). */
  get available(): boolean {
    return workerScript() !== undefined;
  }

  analyse(file: string, text: string, isModule: boolean): Promise<TextReply> {
    if (!this.pool) {
      this.pool = startPool(1, false);
      if (!this.pool) return Promise.reject(new Error('no worker thread available'));
      this.pool.ports[0].on('message', (reply: TextReply) => {
        const waiter = this.pending.get(reply.id);
        this.pending.delete(reply.id);
        waiter?.resolve(reply);
      });
      const pool = this.pool;
      pool.workers[0].on('error', (error) => {
        if (this.pool !== pool) return;
        for (const waiter of this.pending.values()) waiter.reject(error);
        this.pending.clear();
        this.pool = undefined;
      });
    }
    const id = this.nextId++;
    return new Promise<TextReply>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.pool!.ports[0].postMessage({ kind: 'text', id, file, text, isModule } satisfies WorkerRequest);
    });
  }

  /** True while some text is being analysed. */
  get busy(): boolean {
    return this.pending.size > 0;
  }

  /** Abandons the analyses in progress (their promises reject) and frees the thread at once. */
  cancel(): void {
    if (!this.pool || this.pending.size === 0) return;
    const pool = this.pool;
    this.pool = undefined;
    for (const waiter of this.pending.values()) waiter.reject(new Error('cancelled'));
    this.pending.clear();
    for (const worker of pool.workers) void worker.terminate();
  }

  dispose(): void {
    if (this.pool) stopPool(this.pool);
    this.pool = undefined;
  }
}
