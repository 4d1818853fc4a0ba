/**
 * Entry of an index worker thread (see parallel.ts): reads, parses and checks the files it is sent, one chunk at a
 * time, and posts back what the set keeps of each (the model without its tree, file diagnostics, line starts).
 */
import { parentPort, type MessagePort } from 'node:worker_threads';
import { ModelSnapshot } from '../index/changes';
import { buffersOf, encodeModel } from '../index/compact';
import { loadSchema } from '../schema/schema';
import { analyseFromDisk, analyseTree, type AnalysedFile } from './fileAnalysis';
import type { TextReply, WorkerReply, WorkerRequest } from './parallel';

const schema = loadSchema();

function serve(port: MessagePort, signal: Int32Array | undefined): void {
  port.on('message', (request: WorkerRequest) => {
    if (request.kind === 'stop') {
      port.close();
      return;
    }
    if (request.kind === 'text') {
      const { model, local, lines } = analyseTree(request.file, request.text, request.isModule, schema, []);
      const snapshot = new ModelSnapshot(model, true).export(schema);
      const analysed: AnalysedFile = { path: request.file, isModule: request.isModule, encoded: encodeModel(model), local, lineStarts: lines.starts(), textLength: lines.length };
      const reply: TextReply = { id: request.id, analysed, snapshot };
      port.postMessage(reply, [analysed.lineStarts.buffer as ArrayBuffer, ...buffersOf(analysed.encoded)]);
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
