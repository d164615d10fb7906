// Both WASI engines (node:wasi in V8, and wasm2c + gcc natively) run the same
// AssemblyScript programs from tests/assembly/ and must agree byte for byte.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import asc from 'assemblyscript/asc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateGlue, parseWasm2cHeader } from '../src/engines/native-glue.js';
import { buildNative, nativeEngineAvailable, runNative } from '../src/engines/native.js';
import { runNodeWasi } from '../src/engines/node-wasi.js';
import { TRAP_EXIT_CODE, type EngineResult, type EngineRunOptions } from '../src/engines/types.js';

const assemblyDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'assembly');
const hasNative = nativeEngineAvailable();
const work = mkdtempSync(path.join(tmpdir(), 'kql-edge-engines-'));
const echoWasm = path.join(work, 'echo-upper.wasm');
const callWasm = path.join(work, 'echo-call.wasm');

const CHECK_FAILED_EXIT = 3; // echo-upper's exit code when one of its own checks fails
const ERRNO_BADF = 8;
const ERRNO_NOSYS = 52;

/**
 * Compiles a program from tests/assembly/ with tests/assembly as the base
 * directory, so the project's own asconfig.json (the evaluator's build
 * settings) is not applied to these test programs.
 */
async function compileAssemblyScript(file: string, outFile: string, extraFlags: string[]): Promise<void> {
  const stderr = asc.createMemoryStream();
  const result = await asc.main(
    [
      file, '--baseDir', assemblyDir, '-o', outFile,
      '--runtime', 'minimal', '--exportRuntime', '--noAssert', '-O3', ...extraFlags,
    ],
    { stdout: asc.createMemoryStream(), stderr },
  );
  if (result.error) throw new Error(`asc ${file}: ${result.error.message}\n${stderr.toString()}`);
}

/** What echo-upper writes: ASCII a-z upper-cased, every other byte unchanged. */
function upperAscii(input: Buffer): Buffer {
  return Buffer.from(input.map((b) => (b >= 0x61 && b <= 0x7a ? b - 0x20 : b)));
}

/** Deterministic pseudo-random text with letters, digits, punctuation and UTF-8. */
function bigInput(size: number): Buffer {
  const alphabet = Buffer.from('abcdefghijklmnopqrstuvwxyz ABCXYZ 0123456789 {"k":"v"}\n é ü ß\t', 'utf8');
  const out = Buffer.alloc(size);
  let state = 0x2545f491;
  for (let i = 0; i < size; i++) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    out[i] = alphabet[(state >>> 16) % alphabet.length]!;
  }
  return out;
}

interface Outcome extends EngineResult {
  /** Names left in the preopened directory, sorted. */
  files: string[];
  upperTxt?: Buffer;
}

type Engine = (options: EngineRunOptions) => Promise<EngineResult>;

/** Runs echo-upper with a fresh preopened directory mapped to /sandbox. */
async function runEcho(engine: Engine, stdin: Buffer, args: string[] = []): Promise<Outcome> {
  const dir = mkdtempSync(path.join(work, 'sandbox-'));
  const result = await engine({ stdin, dirs: [{ host: dir, guest: '/sandbox' }], args });
  const files = readdirSync(dir).sort();
  const upperPath = path.join(dir, 'upper.txt');
  return { ...result, files, upperTxt: existsSync(upperPath) ? readFileSync(upperPath) : undefined };
}

beforeAll(async () => {
  await compileAssemblyScript('echo-upper.ts', echoWasm, [
    '--use', 'abort=echo-upper/abortToStderr',
    '--exportStart', '_start',
  ]);
  await compileAssemblyScript('echo-call.ts', callWasm, []);
}, 60_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

const nodeEngine: Engine = (options) => runNodeWasi(echoWasm, options);

describe('node:wasi engine', () => {
  it('upper-cases stdin, writes stderr, and round-trips a file through the preopen', async () => {
    const input = Buffer.from('Hello, Fluent Bit!\nkql-edge 0.1 é\n');
    const out = await runEcho(nodeEngine, input, ['5']);
    expect(out.stdout.equals(upperAscii(input))).toBe(true);
    expect(out.stderr.toString()).toBe(`echo-upper: ${input.length} bytes\n`);
    expect(out.code).toBe(5);
    expect(out.files).toEqual(['upper.txt']);
    expect(out.upperTxt?.equals(upperAscii(input))).toBe(true);
  });

  it('runs a call export and reports traps with the shared trap exit code', async () => {
    const answer = await runNodeWasi(callWasm, { stdin: '', call: 'answer' });
    expect(answer.stdout.toString()).toBe(`${sumOfSquaresBelow(1000)}\n`);
    expect(answer.code).toBe(0);
    const trap = await runNodeWasi(callWasm, { stdin: '', call: 'trapped' });
    expect(trap.code).toBe(TRAP_EXIT_CODE);
    expect(trap.stderr.toString()).toMatch(/^wasm trap: /);
  });
});

function sumOfSquaresBelow(n: number): number {
  let sum = 0;
  for (let i = 0; i < n; i++) sum = (sum + i * i) | 0;
  return sum;
}

describe.skipIf(!hasNative)('native engine agrees with node:wasi (requires wasm2c and gcc)', () => {
  let echoExe = '';
  let callExe = '';
  const cacheDir = path.join(work, 'native-cache');
  const nativeEngine: Engine = (options) => runNative(echoExe, options);

  beforeAll(async () => {
    [echoExe, callExe] = await Promise.all([buildNative(echoWasm, cacheDir), buildNative(callWasm, cacheDir)]);
  }, 180_000);

  async function bothAgree(stdin: Buffer, args: string[] = []): Promise<Outcome> {
    const [native, node] = [await runEcho(nativeEngine, stdin, args), await runEcho(nodeEngine, stdin, args)];
    expect(native.stdout.equals(node.stdout)).toBe(true);
    expect(native.stderr.toString()).toBe(node.stderr.toString());
    expect(native.code).toBe(node.code);
    expect(native.files).toEqual(node.files);
    expect(native.upperTxt?.equals(node.upperTxt!)).toBe(true);
    return native;
  }

  it('gives byte-identical stdout, stderr, file and exit code for mixed bytes', async () => {
    const input = Buffer.concat([
      Buffer.from('Hello, wasm world! {"kind":"Event","verb":"create"}\n', 'utf8'),
      Buffer.from('é ß ü – ascii only is upper-cased\n', 'utf8'),
      Buffer.from([0x00, 0xff, 0x7a, 0x61, 0x60, 0x7b, 0x0a]),
    ]);
    const out = await bothAgree(input, ['7']);
    expect(out.stdout.equals(upperAscii(input))).toBe(true);
    expect(out.stderr.toString()).toBe(`echo-upper: ${input.length} bytes\n`);
    expect(out.code).toBe(7);
    expect(out.files).toEqual(['upper.txt']); // upper.tmp renamed, scratch.tmp unlinked
    expect(out.upperTxt?.equals(upperAscii(input))).toBe(true);
  });

  it('reads 5 MB of stdin through the fd_read loop', async () => {
    const input = bigInput(5 * 1024 * 1024);
    const out = await bothAgree(input);
    expect(out.stdout.length).toBe(input.length);
    expect(out.stdout.equals(upperAscii(input))).toBe(true);
    expect(out.upperTxt?.equals(upperAscii(input))).toBe(true);
    expect(out.code).toBe(0);
  }, 60_000);

  it('handles empty stdin', async () => {
    const out = await bothAgree(Buffer.alloc(0));
    expect(out.stdout.length).toBe(0);
    expect(out.upperTxt?.length).toBe(0);
    expect(out.code).toBe(0);
  });

  it('reports EBADF for a missing preopen the same way', async () => {
    const input = Buffer.from('no dirs\n');
    const [native, node] = await Promise.all([
      runNative(echoExe, { stdin: input }),
      runNodeWasi(echoWasm, { stdin: input }),
    ]);
    for (const out of [native, node]) {
      expect(out.code).toBe(CHECK_FAILED_EXIT);
      expect(out.stderr.toString()).toBe(`check failed: fd_prestat_get (errno ${ERRNO_BADF})\n`);
      expect(out.stdout.equals(upperAscii(input))).toBe(true);
    }
  });

  it('calls () -> i32 exports in reactor mode, and traps alike', async () => {
    const call = (name: string) =>
      Promise.all([runNative(callExe, { stdin: '', call: name }), runNodeWasi(callWasm, { stdin: '', call: name })]);

    for (const out of await call('answer')) {
      expect(out.stdout.toString()).toBe(`${sumOfSquaresBelow(1000)}\n`);
      expect(out.code).toBe(0);
    }
    for (const name of ['trapped', 'bottomless']) {
      for (const out of await call(name)) {
        expect(out.code, name).toBe(TRAP_EXIT_CODE);
        expect(out.stderr.toString(), name).toMatch(/^wasm trap: /);
      }
    }
  }, 60_000);

  it('supplies AssemblyScript env.abort: same message and trap exit code', async () => {
    const [native, node] = await Promise.all([
      runNative(callExe, { stdin: '', call: 'failing' }),
      runNodeWasi(callWasm, { stdin: '', call: 'failing' }),
    ]);
    expect(native.stderr.toString()).toMatch(/^abort: boom at echo-call\.ts:\d+:\d+\n$/);
    expect(native.stderr.toString()).toBe(node.stderr.toString());
    expect(native.code).toBe(TRAP_EXIT_CODE);
    expect(node.code).toBe(TRAP_EXIT_CODE);
    expect(native.stdout.length + node.stdout.length).toBe(0);
  });

  it('answers WASI calls it does not implement with ENOSYS', async () => {
    const out = await runNative(callExe, { stdin: '', call: 'unimplemented' });
    expect(out.stdout.toString()).toBe(`${ERRNO_NOSYS}\n`);
  });

  it('rejects an unknown call export and lists the callable ones', async () => {
    const out = await runNative(callExe, { stdin: '', call: 'nope' });
    expect(out.code).toBe(2);
    expect(out.stderr.toString()).toContain("no exported () -> i32 function named 'nope'");
    expect(out.stderr.toString()).toMatch(/answer trapped bottomless unimplemented failing/);
  });

  it('caches builds by content and survives concurrent builds', async () => {
    expect(await buildNative(echoWasm, cacheDir)).toBe(echoExe);
    const fresh = path.join(work, 'fresh-cache');
    const [a, b] = await Promise.all([buildNative(callWasm, fresh), buildNative(callWasm, fresh)]);
    expect(a).toBe(b);
    expect(readdirSync(fresh).filter((name) => name.startsWith('.'))).toEqual([]);
    const out = await runNative(a, { stdin: '', call: 'answer' });
    expect(out.stdout.toString()).toBe(`${sumOfSquaresBelow(1000)}\n`);
  }, 180_000);

  it('derives the glue from the wasm2c header: exports, imports and weak fallbacks', () => {
    const headerDir = mkdtempSync(path.join(work, 'header-'));
    execFileSync('wasm2c', [callWasm, '-n', 'module', '-o', path.join(headerDir, 'module.c')]);
    const iface = parseWasm2cHeader(readFileSync(path.join(headerDir, 'module.h'), 'utf8'));
    expect(iface.exportsMemory).toBe(true);
    expect(iface.exportsStart).toBe(false);
    expect(iface.i32Exports.map((e) => e.name)).toEqual([
      'answer', 'trapped', 'bottomless', 'unimplemented', 'failing',
    ]);
    expect(iface.functionImports.map((i) => `${i.module}.${i.field}`).sort()).toEqual([
      'env.abort', // AssemblyScript's default abort: echo-call does not reroute it
      'wasi_snapshot_preview1.fd_fdstat_set_flags',
    ]);
    expect(iface.instantiateStructs).toEqual(['Z_env_instance_t', 'Z_wasi_snapshot_preview1_instance_t']);
    const glue = generateGlue(iface, 'echo-call.wasm');
    expect(glue).toContain('__attribute__((weak)) u32 Z_wasi_snapshot_preview1Z_fd_fdstat_set_flags(');
    expect(glue).toContain('__attribute__((weak)) void Z_envZ_abort(');
    expect(glue).toContain('Z_module_instantiate(instance, env, wasi);');
  });

  it('traps alike when an import neither engine supplies is called', async () => {
    const wat = path.join(work, 'imports-unknown.wat');
    const wasm = path.join(work, 'imports-unknown.wasm');
    writeFileSync(
      wat,
      '(module (import "other" "thing" (func $thing (result i32))) (memory (export "memory") 1)' +
        ' (func (export "use") (result i32) call $thing) (func (export "skip") (result i32) i32.const 9))',
    );
    execFileSync('wat2wasm', [wat, '-o', wasm]);
    const exe = await buildNative(wasm, cacheDir);
    for (const out of [await runNative(exe, { stdin: '', call: 'use' }), await runNodeWasi(wasm, { stdin: '', call: 'use' })]) {
      expect(out.code).toBe(TRAP_EXIT_CODE);
      expect(out.stderr.toString()).toBe('wasi-host: unsupported import other.thing called\n');
    }
    // Instantiation itself succeeds in both: exports that avoid the import still run.
    for (const out of [await runNative(exe, { stdin: '', call: 'skip' }), await runNodeWasi(wasm, { stdin: '', call: 'skip' })]) {
      expect(out.stdout.toString()).toBe('9\n');
    }
  }, 60_000);

  it('refuses a module that imports something other than functions', async () => {
    const wat = path.join(work, 'imports-global.wat');
    const wasm = path.join(work, 'imports-global.wasm');
    writeFileSync(wat, '(module (import "env" "limit" (global i32)) (func (export "f") (result i32) global.get 0))');
    execFileSync('wat2wasm', [wat, '-o', wasm]);
    await expect(buildNative(wasm, path.join(work, 'native-cache'))).rejects.toThrow(/env\.limit, which is not a function/);
  });
});
