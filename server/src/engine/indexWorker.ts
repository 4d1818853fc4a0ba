/**
 * Entry of an index worker thread (see parallel.ts): reads, parses and checks the files it is sent, one chunk at a
 * time, and posts back what the set keeps of each (the model without its tree, file diagnostics, line starts).
 */
import { parentPort, type MessagePort } from 'node:worker_threads';
import { buffersOf } from '../index/compact';
import { loadSchema } from '../schema/schema';
import { analyseFromDisk } from './configurationSet';
import type { WorkerReply, WorkerRequest } from './parallel';

const schema = loadSchema();

function serve(port: MessagePort, signal: Int32Array | undefined): void {
  port.on('message', (request: WorkerRequest) => {
    if (request.kind === 'stop') {
      port.close();
      return;
    }
    const results = request.files.map((file) => analyseFromDisk(file.path, file.isModule, schema, request.maxBytes));
    const reply: WorkerReply = { chunk: request.chunk, results };
    port.postMessage(reply, results.flatMap((r) => [r.lineStarts.buffer as ArrayBuffer, ...buffersOf(r.encoded)]));
    if (signal) {
      Atomics.add(signal, 0, 1);
      Atomics.notify(signal, 0);
    }
  });
}

parentPort?.once('message', (setup: { port: MessagePort; signal?: SharedArrayBuffer }) => {
  serve(setup.port, setup.signal ? new Int32Array(setup.signal) : undefined);
});
