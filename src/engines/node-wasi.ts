// The node:wasi engine (WASI preview1 in V8), with the same options and result
// as the native engine so the two can be compared byte for byte.
//
// node:wasi takes file descriptors, not streams: stdin is written to a temp
// file and opened, stdout/stderr go to temp files read back after the run.
// The module runs in this process, synchronously.

import { closeSync, openSync, writeSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { WASI as WasiClass } from 'node:wasi';
import { TRAP_EXIT_CODE, type EngineResult, type EngineRunOptions } from './types.js';

let wasiClass: Promise<typeof WasiClass> | undefined;

/**
 * Loads node:wasi without its one-time ExperimentalWarning (emitted while the
 * module loads); every other warning passes through untouched.
 */
function loadWasi(): Promise<typeof WasiClass> {
  wasiClass ??= (async () => {
    const emitWarning = process.emitWarning;
    process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
      if (String(warning).includes('WASI is an experimental feature')) return;
      (emitWarning as (...args: unknown[]) => void).call(process, warning, ...rest);
    }) as typeof process.emitWarning;
    try {
      return (await import('node:wasi')).WASI;
    } finally {
      process.emitWarning = emitWarning;
    }
  })();
  return wasiClass;
}

/** Traps whose message the guest's stderr already has. */
const reportedTraps = new WeakSet<Error>();

/** Turns a failure inside the guest (abort, unsupported import) into a trap. */
function guestTrap(stderrFd: number, message: string): never {
  writeSync(stderrFd, message);
  const trap = new WebAssembly.RuntimeError(message.trim());
  reportedTraps.add(trap);
  throw trap;
}

/** V8 reports wasm stack exhaustion as a RangeError; the native host calls it a trap. */
function isTrap(err: unknown): err is Error {
  return (
    err instanceof WebAssembly.RuntimeError ||
    (err instanceof RangeError && err.message.includes('call stack size'))
  );
}

/** Reads an AssemblyScript string (UTF-16, byte length stored just before it). */
function readAsString(memory: WebAssembly.Memory | undefined, ptr: number): string {
  if (!memory || ptr < 4) return '(null)';
  const bytes = new DataView(memory.buffer);
  const byteLength = bytes.getUint32(ptr - 4, true);
  let text = '';
  for (let i = 0; i + 1 < byteLength; i += 2) {
    const c = bytes.getUint16(ptr + i, true);
    text += c < 128 ? String.fromCharCode(c) : '?';
  }
  return text;
}

/**
 * Wraps each node:wasi function in a plain JavaScript function. Imported
 * directly, Node 20 lets wasm call them through V8's fast API path, which can
 * keep using linear memory from before a memory.grow: fd_read then writes into
 * freed memory (seen as a segfault after 5 MB of stdin plus file reads).
 * Called from JavaScript, they look the memory up afresh on every call.
 */
function throughJavaScript(wasiImport: WebAssembly.ModuleImports): WebAssembly.ModuleImports {
  const wrapped: WebAssembly.ModuleImports = {};
  for (const [name, fn] of Object.entries(wasiImport)) {
    if (typeof fn !== 'function') continue;
    const call = fn as (...args: unknown[]) => unknown;
    wrapped[name] = (...args: unknown[]) => call(...args);
  }
  return wrapped;
}

/**
 * Import object: WASI, AssemblyScript's env.abort/env.seed (as the native host
 * supplies them), and for anything else a function that traps when called, so
 * a missing import fails at the call, as with the native engine.
 */
function importObject(
  module: WebAssembly.Module,
  wasiImport: WebAssembly.ModuleImports,
  stderrFd: number,
  memory: () => WebAssembly.Memory | undefined,
): WebAssembly.Imports {
  const imports: Record<string, WebAssembly.ModuleImports> = {
    wasi_snapshot_preview1: throughJavaScript(wasiImport),
    env: {
      abort: (message: number, file: number, line: number, column: number) =>
        guestTrap(
          stderrFd,
          `abort: ${readAsString(memory(), message)} at ${readAsString(memory(), file)}:${line >>> 0}:${column >>> 0}\n`,
        ),
      seed: () => Math.random(),
    },
  };
  for (const imp of WebAssembly.Module.imports(module)) {
    if (imp.kind !== 'function') continue;
    const table = (imports[imp.module] ??= {});
    if (imp.module === 'wasi_snapshot_preview1' && !(imp.name in table)) {
      table[imp.name] = () => 52; // nosys, like the native host's fallback
    } else if (!(imp.name in table)) {
      table[imp.name] = () =>
        guestTrap(stderrFd, `wasi-host: unsupported import ${imp.module}.${imp.name} called\n`);
    }
  }
  return imports;
}

/** Runs a WASI command module (or one `call` export) under node:wasi. */
export async function runNodeWasi(wasmPath: string, options: EngineRunOptions): Promise<EngineResult> {
  const WASI = await loadWasi();
  const module = await WebAssembly.compile(await readFile(wasmPath));
  const work = await mkdtemp(path.join(tmpdir(), 'kql-edge-wasi-'));
  const files = {
    stdin: path.join(work, 'stdin'),
    stdout: path.join(work, 'stdout'),
    stderr: path.join(work, 'stderr'),
  };
  await writeFile(files.stdin, options.stdin);
  const fds: number[] = [];
  try {
    const stdinFd = openSync(files.stdin, 'r');
    fds.push(stdinFd);
    const stdoutFd = openSync(files.stdout, 'w');
    fds.push(stdoutFd);
    const stderrFd = openSync(files.stderr, 'w');
    fds.push(stderrFd);

    // Preopens take fds 3, 4, ... in insertion order (guest names that look
    // like array indices would be reordered by JavaScript; avoid them).
    const preopens: Record<string, string> = {};
    for (const dir of options.dirs ?? []) preopens[dir.guest] = dir.host;
    const wasi = new WASI({
      version: 'preview1',
      args: [path.basename(wasmPath), ...(options.args ?? [])],
      env: {},
      preopens,
      stdin: stdinFd,
      stdout: stdoutFd,
      stderr: stderrFd,
      returnOnExit: true,
    });

    let memory: WebAssembly.Memory | undefined;
    const imports = importObject(module, wasi.wasiImport as WebAssembly.ModuleImports, stderrFd, () => memory);
    const instance = await WebAssembly.instantiate(module, imports);
    const exported = instance.exports;
    memory = exported.memory instanceof WebAssembly.Memory ? exported.memory : undefined;

    let code = 0;
    try {
      if (options.call !== undefined) {
        const fn = exported[options.call];
        if (typeof fn !== 'function') throw new Error(`no exported function named '${options.call}'`);
        // initialize() binds WASI to the memory; it refuses modules with _start,
        // whose WASI calls then fail here (the native host has no such limit).
        if (!('_start' in exported) && memory) wasi.initialize(instance);
        writeSync(stdoutFd, `${(fn as () => number)() | 0}\n`);
      } else {
        code = wasi.start(instance) >>> 0;
      }
    } catch (err) {
      if (!isTrap(err)) throw err;
      if (!reportedTraps.has(err)) writeSync(stderrFd, `wasm trap: ${err.message}\n`);
      code = TRAP_EXIT_CODE;
    }
    // A process exit status keeps only the low 8 bits; match the native engine.
    return {
      stdout: await readFile(files.stdout),
      stderr: await readFile(files.stderr),
      code: code & 0xff,
    };
  } finally {
    for (const fd of fds) closeSync(fd);
    await rm(work, { recursive: true, force: true });
  }
}
