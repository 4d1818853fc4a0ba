/**
 * Preloaded into the language server or the CLI (`node --require probe.js`) by the security tests: records every
 * attempt to start a process, open a network connection, resolve a name or write a file, as one JSON line per call in
 * the file named by USERCUBE_PROBE_LOG. Calls still happen (the probe observes, it does not change behaviour).
 * Worker threads inherit the preload, so they are observed too.
 */
// The module objects themselves (`import * as` would give copies, and patching a copy observes nothing).
const childProcess = require('node:child_process') as typeof import('node:child_process');
const dns = require('node:dns') as typeof import('node:dns');
const fs = require('node:fs') as typeof import('node:fs');
const http = require('node:http') as typeof import('node:http');
const https = require('node:https') as typeof import('node:https');
const net = require('node:net') as typeof import('node:net');
const tls = require('node:tls') as typeof import('node:tls');

const log = process.env.USERCUBE_PROBE_LOG ?? "";
const append = fs.appendFileSync;
const writeFlags = /[wa+]/;

let recording = false; // appendFileSync itself goes through fs.writeFileSync

function record(kind: string, what: unknown): void {
  if (!log || recording) return;
  recording = true;
  try {
    write(kind, what);
  } finally {
    recording = false;
  }
}

function write(kind: string, what: unknown): void {
  let detail: string;
  try {
    detail = typeof what === 'string' ? what : JSON.stringify(what)?.slice(0, 300) ?? String(what);
  } catch {
    detail = String(what);
  }
  append(log, `${JSON.stringify({ kind, detail, stack: new Error().stack?.split('\n').slice(2, 6).join(' | ') })}\n`);
}

type AnyFunction = (...args: unknown[]) => unknown;

function wrap(target: object, name: string, kind: string, describe: (args: unknown[]) => unknown = (args) => args[0], when: (args: unknown[]) => boolean = () => true): void {
  const owner = target as Record<string, AnyFunction>;
  const original = owner[name];
  if (typeof original !== 'function') return;
  const wrapped = function (this: unknown, ...args: unknown[]) {
    if (when(args)) record(kind, describe(args));
    return original.apply(this, args);
  };
  try {
    Object.defineProperty(owner, name, { value: wrapped, writable: true, configurable: true });
  } catch {
    // a frozen export: left alone
  }
}

for (const name of ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork']) wrap(childProcess, name, 'process');
for (const name of ['connect', 'createConnection']) wrap(net, name, 'network');
wrap(net.Socket.prototype, 'connect', 'network');
wrap(tls, 'connect', 'network');
for (const module of [http, https]) for (const name of ['request', 'get']) wrap(module, name, 'network', (args) => String(args[0]));
for (const name of ['lookup', 'resolve', 'resolve4', 'resolve6']) wrap(dns, name, 'network');
if (typeof globalThis.fetch === 'function') wrap(globalThis, 'fetch', 'network', (args) => String(args[0]));

for (const name of ['writeFileSync', 'writeFile', 'appendFile', 'createWriteStream', 'copyFileSync', 'copyFile', 'renameSync', 'rename', 'symlinkSync', 'mkdirSync', 'mkdir']) {
  wrap(fs, name, 'write', (args) => String(args[0]));
}
// appendFileSync is the probe's own writer: recorded unless it is the probe's log.
wrap(fs, 'appendFileSync', 'write', (args) => String(args[0]), (args) => String(args[0]) !== log);
const writeBits = fs.constants.O_WRONLY | fs.constants.O_RDWR | fs.constants.O_APPEND | fs.constants.O_CREAT | fs.constants.O_TRUNC;
const writes = (flags: unknown) => (typeof flags === 'string' ? writeFlags.test(flags) : typeof flags === 'number' ? (flags & writeBits) !== 0 : false);
for (const name of ['openSync', 'open']) wrap(fs, name, 'write', (args) => `${String(args[0])} (${String(args[1])})`, (args) => writes(args[1]));
wrap(fs.promises, 'open', 'write', (args) => `${String(args[0])} (${String(args[1])})`, (args) => writes(args[1]));
for (const name of ['writeFile', 'appendFile', 'copyFile', 'rename', 'mkdir']) wrap(fs.promises, name, 'write', (args) => String(args[0]));
