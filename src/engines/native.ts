// The native engine: wasm2c (wabt 1.0.32) translates a module to C, gcc -O2
// links it with native/wasi-host.c into an executable, and runNative runs it
// as a child process. It is independent of V8, so agreeing with node:wasi is
// real evidence that a module behaves as intended.

import { execFile, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, realpathSync, statSync } from 'node:fs';
import { constants } from 'node:os';
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { generateGlue, parseWasm2cHeader, WASM2C_MODULE_NAME } from './native-glue.js';
import type { EngineResult, EngineRunOptions } from './types.js';

const run = promisify(execFile);

/** native/ at the repository root, from src/engines/ or dist/engines/ alike. */
const HOST_SOURCE_DIR = fileURLToPath(new URL('../../native/', import.meta.url));
const HOST_SOURCES = ['wasi-host.c', 'wasi-host.h'];
/** Part of the cache key: bump when the build recipe changes. */
const RECIPE_VERSION = 'gcc-O2-v1';

function compiler(): string {
  return process.env.CC || 'gcc';
}

function findOnPath(command: string): string | undefined {
  if (command.includes('/')) return existsSync(command) ? command : undefined;
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, command);
    try {
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

interface Wasm2cRuntime {
  /** Directory holding wasm-rt-impl.c (and wasm-rt-impl.h). */
  sourceDir: string;
  /** Include directories for wasm-rt.h and wasm-rt-impl.h. */
  includeDirs: string[];
}

/**
 * Finds wasm2c's runtime sources. Debian's wabt installs wasm-rt-impl.c under
 * share/wabt/wasm2c (and src/wasm2c) and wasm-rt.h under include; upstream
 * builds keep all three together. WASM2C_RUNTIME_DIR overrides the search.
 */
function findWasm2cRuntime(): Wasm2cRuntime | undefined {
  const wasm2c = findOnPath('wasm2c');
  const prefix = wasm2c ? path.dirname(path.dirname(realpathSync(wasm2c))) : '/usr';
  const candidates = [
    process.env.WASM2C_RUNTIME_DIR,
    path.join(prefix, 'share/wabt/wasm2c'),
    path.join(prefix, 'src/wasm2c'),
    '/usr/share/wabt/wasm2c',
    '/usr/src/wasm2c',
  ].filter((dir): dir is string => Boolean(dir));
  const sourceDir = candidates.find((dir) => existsSync(path.join(dir, 'wasm-rt-impl.c')));
  if (!sourceDir) return undefined;
  const headerDirs = [sourceDir, path.join(prefix, 'include'), '/usr/include'];
  const headerDir = headerDirs.find((dir) => existsSync(path.join(dir, 'wasm-rt.h')));
  if (!headerDir) return undefined;
  return { sourceDir, includeDirs: [...new Set([sourceDir, headerDir])] };
}

let availability: string | undefined | null = null;

/** Why the native engine cannot be used here, or undefined when it can. */
export function nativeEngineUnavailableReason(): string | undefined {
  if (availability !== null) return availability;
  const works = (command: string, args: string[]) =>
    spawnSync(command, args, { stdio: 'ignore' }).status === 0;
  if (!works('wasm2c', ['--version'])) {
    availability = 'wasm2c not found on PATH (install the Debian package "wabt")';
  } else if (!works(compiler(), ['--version'])) {
    availability = `C compiler "${compiler()}" not found (install gcc or set CC)`;
  } else if (!findWasm2cRuntime()) {
    availability = 'wasm2c runtime (wasm-rt-impl.c, wasm-rt.h) not found; set WASM2C_RUNTIME_DIR';
  } else if (!HOST_SOURCES.every((file) => existsSync(path.join(HOST_SOURCE_DIR, file)))) {
    availability = `native host sources missing in ${HOST_SOURCE_DIR}`;
  } else {
    availability = undefined;
  }
  return availability;
}

/** True when wasm2c, a C compiler and the wasm2c runtime sources are all present. */
export function nativeEngineAvailable(): boolean {
  return nativeEngineUnavailableReason() === undefined;
}

/**
 * Translates and compiles a WASI module into a native executable under outDir
 * and returns its path. Builds are cached by a hash of the wasm bytes, its
 * file name (the guest's argv[0]) and the host sources, so an unchanged module
 * is compiled once; concurrent builds of the same module are safe.
 */
export async function buildNative(wasmPath: string, outDir: string): Promise<string> {
  const reason = nativeEngineUnavailableReason();
  if (reason) throw new Error(`native engine unavailable: ${reason}`);
  const runtime = findWasm2cRuntime()!;

  const wasm = await readFile(wasmPath);
  const programName = path.basename(wasmPath);
  const hash = createHash('sha256');
  hash.update(RECIPE_VERSION).update('\0').update(programName).update('\0').update(wasm);
  for (const file of HOST_SOURCES) hash.update(await readFile(path.join(HOST_SOURCE_DIR, file)));
  const key = hash.digest('hex').slice(0, 16);

  const stem = programName.replace(/\.wasm$/, '').replace(/[^\w.-]/g, '_');
  const finalDir = path.resolve(outDir, `${stem}-${key}`);
  const exe = path.join(finalDir, stem);
  if (existsSync(exe)) return exe;

  await mkdir(outDir, { recursive: true });
  const work = await mkdtemp(path.join(path.resolve(outDir), `.${stem}-build-`));
  try {
    const moduleC = path.join(work, `${WASM2C_MODULE_NAME}.c`);
    await step('wasm2c', ['wasm2c', [wasmPath, '-n', WASM2C_MODULE_NAME, '-o', moduleC]]);
    const header = await readFile(path.join(work, `${WASM2C_MODULE_NAME}.h`), 'utf8');
    await writeFile(path.join(work, 'glue.c'), generateGlue(parseWasm2cHeader(header), programName));
    await step('C compiler', [
      compiler(),
      [
        '-O2',
        '-I', work,
        '-I', HOST_SOURCE_DIR,
        ...runtime.includeDirs.flatMap((dir) => ['-I', dir]),
        '-o', path.join(work, stem),
        moduleC,
        path.join(work, 'glue.c'),
        path.join(HOST_SOURCE_DIR, 'wasi-host.c'),
        path.join(runtime.sourceDir, 'wasm-rt-impl.c'),
        '-lm',
      ],
    ]);
    try {
      await rename(work, finalDir);
    } catch (err) {
      // Another build of the same module finished first: use its result.
      if (!existsSync(exe)) throw err;
      await rm(work, { recursive: true, force: true });
    }
    return exe;
  } catch (err) {
    await rm(work, { recursive: true, force: true });
    throw err;
  }
}

async function step(what: string, [command, args]: [string, string[]]): Promise<void> {
  try {
    await run(command, args, { maxBuffer: 64 * 1024 * 1024 });
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(`${what} failed: ${command} ${args.join(' ')}\n${e.stderr || e.message}`);
  }
}

/** Runs an executable from buildNative with the given stdin, preopens and arguments. */
export function runNative(exe: string, options: EngineRunOptions): Promise<EngineResult> {
  const hostArgs: string[] = [];
  for (const dir of options.dirs ?? []) hostArgs.push('--dir', `${dir.host}::${dir.guest}`);
  if (options.call !== undefined) hostArgs.push('--call', options.call);
  hostArgs.push('--', ...(options.args ?? []));

  return new Promise((resolve, reject) => {
    const child = spawn(exe, hostArgs, { stdio: ['pipe', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    // The guest may exit without reading all of stdin; that is not our error.
    child.stdin.on('error', () => {});
    child.on('error', reject);
    child.on('close', (code, signal) => {
      resolve({
        stdout: Buffer.concat(stdout),
        stderr: Buffer.concat(stderr),
        code: code ?? 128 + signalNumber(signal),
      });
    });
    child.stdin.end(options.stdin);
  });
}

/** A child killed by a signal reports 128 + its number, as shells do. */
function signalNumber(signal: NodeJS.Signals | null): number {
  return (signal && constants.signals[signal]) || 0;
}
