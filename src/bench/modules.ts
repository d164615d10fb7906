// The modules the benchmark runs, built with the evaluator's own flags and cached under
// build/bench/cache (keyed by the sources and the build request), so a second run builds nothing.
import { createHash } from 'node:crypto';
import { existsSync, promises as fs } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { buildModule, PACKAGE_ROOT, type ModuleBuild } from '../build/module.js';
import { NATIVE_IMPORTS_SOURCE } from '../build/natives.js';

export const BENCH_DIR = path.join(PACKAGE_ROOT, 'build', 'bench');
const CACHE_DIR = path.join(BENCH_DIR, 'cache');

let assemblyHash: Promise<string> | undefined;

async function tsFiles(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(entries.map((e) => (e.isDirectory() ? tsFiles(path.join(dir, e.name)) : Promise.resolve(e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []))));
  return nested.flat().sort();
}

/** Hash of every AssemblyScript source (evaluator and benchmark entries). */
function sourcesHash(): Promise<string> {
  assemblyHash ??= (async () => {
    const hash = createHash('sha256');
    for (const file of await tsFiles(path.join(PACKAGE_ROOT, 'assembly'))) hash.update(path.relative(PACKAGE_ROOT, file)).update(await fs.readFile(file));
    return hash.digest('hex');
  })();
  return assemblyHash;
}

const WORKER = fileURLToPath(new URL('./build-worker.js', import.meta.url));
const MAX_PARALLEL_BUILDS = Math.max(1, Math.min(availableParallelism(), 4));
let runningBuilds = 0;
const waiting: (() => void)[] = [];

/** Compiles in a worker thread (at most one per core at a time); in this thread when there is no compiled worker (e.g. under vitest). */
async function compile(build: ModuleBuild): Promise<Uint8Array> {
  if (!existsSync(WORKER)) return buildModule(build);
  if (runningBuilds >= MAX_PARALLEL_BUILDS) await new Promise<void>((resolve) => waiting.push(resolve));
  runningBuilds++;
  try {
    return await new Promise<Uint8Array>((resolve, reject) => {
      const worker = new Worker(WORKER, { workerData: build });
      worker.once('message', (m: { bytes?: Uint8Array; error?: string }) => (m.bytes ? resolve(m.bytes) : reject(new Error(m.error))));
      worker.once('error', reject);
      worker.once('exit', (code) => code !== 0 && reject(new Error(`build worker exited with ${code}`)));
    });
  } finally {
    runningBuilds--;
    waiting.shift()?.();
  }
}

export interface CachedModule {
  bytes: Uint8Array;
  path: string;
  /** True when this run compiled it. */
  built: boolean;
}

/** Builds a module (or takes it from the cache); the file is kept for the external engines. */
export async function cachedModule(name: string, build: ModuleBuild): Promise<CachedModule> {
  const hash = createHash('sha256').update(await sourcesHash()).update(NATIVE_IMPORTS_SOURCE);
  hash.update(JSON.stringify({ ...build, program: undefined, virtualFiles: undefined }));
  if (build.program) hash.update(build.program);
  for (const [file, text] of Object.entries(build.virtualFiles ?? {}).sort()) hash.update(file).update(text);
  const file = path.join(CACHE_DIR, `${name}-${hash.digest('hex').slice(0, 16)}.wasm`);
  const existing = await fs.readFile(file).catch(() => undefined);
  if (existing) return { bytes: existing, path: file, built: false };
  const bytes = await compile(build);
  await fs.mkdir(CACHE_DIR, { recursive: true });
  await fs.writeFile(file, bytes);
  return { bytes, path: file, built: true };
}

/** The floor: a filter module returning its input pointer. */
export function floorModule(): Promise<CachedModule> {
  return cachedModule('floor', { entry: 'filter', entryFile: 'assembly/bench/floor.ts' });
}

/** The byte-scan baseline filter module. */
export function byteScanModule(): Promise<CachedModule> {
  return cachedModule('byte-scan', { entry: 'filter', entryFile: 'assembly/bench/byte-scan.ts' });
}

/** The generic evaluator built with allocation tracing (imports `rtrace.on*`). */
export function tracedEvaluatorModule(): Promise<CachedModule> {
  return cachedModule('evaluator-rtrace', { entry: 'filter', extraFlags: ['--use', 'ASC_RTRACE=1'], nativeSearch: false });
}

/** The WASI command with a program built in (what `writeArtifacts` writes as NAME.wasi.wasm). */
export function commandModule(name: string, program: Uint8Array): Promise<CachedModule> {
  return cachedModule(name, { entry: 'command', program });
}

// ---- interpreter-proxy modules: program and records built in, `bench_run()` exported ------------

/**
 * The real assembly/abi/wasi.ts with every WASI import replaced by a function that fails (EBADF for
 * the preopen queries: "no folders"; ENOSYS otherwise), so the proxy modules import nothing and the
 * evaluator simply does without snapshots and stderr counters (the benchmark configures neither).
 */
async function stubbedWasiSource(): Promise<string> {
  const real = await fs.readFile(path.join(PACKAGE_ROOT, 'assembly', 'abi', 'wasi.ts'), 'utf8');
  const declaration = /@external\([^)]*\)\s*export declare function (\w+)\(([^)]*)\)\s*:\s*(\w+)\s*;/g;
  let count = 0;
  const stubbed = real.replace(declaration, (_all, name: string, params: string, result: string) => {
    count++;
    if (result === 'void') return `export function ${name}(${params}): void {}`;
    const code = name.startsWith('fd_prestat') ? 8 : 52;
    return `export function ${name}(${params}): ${result} { return <${result}>${code}; }`;
  });
  if (count === 0) throw new Error('benchmark: found no WASI declaration to stub in assembly/abi/wasi.ts');
  return '// Generated by the benchmark: WASI stubbed out.\n' + stubbed;
}

const CONFIG_MAGIC = 0x7e57c0de;
const CONFIG_BIAS = 0x01010101;

/** Bytes as a list of u32 literals (little-endian, zero-padded to a multiple of 8 bytes), plus each item's [offset, length]. */
function packed(items: readonly Uint8Array[], terminator: boolean): { words: string; index: number[] } {
  const padded = (n: number) => (n + (terminator ? 8 : 7)) & ~7;
  let total = 0;
  for (const r of items) total += padded(r.length);
  const data = new Uint8Array(Math.max(8, total));
  const index: number[] = [];
  let at = 0;
  for (const r of items) {
    data.set(r, at);
    index.push(at, r.length);
    at += padded(r.length); // records: NUL-terminated (the padding is zero), 8-byte aligned
  }
  const words = Array.from(new Uint32Array(data.buffer, 0, data.length / 4), (w) => '0x' + w.toString(16)).join(',');
  return { words, index: index.length ? index : [0, 0] };
}

const hex = (n: number) => '0x' + n.toString(16);

/** assembly/bench/records.ts with records and programs built in. */
export function recordsSource(records: readonly Uint8Array[], hostTimeMs: number, programs: readonly Uint8Array[] = []): string {
  const r = packed(records, true);
  const p = packed(programs, false);
  return (
    '// Generated by the benchmark: records and rule programs built into the interpreter-proxy module.\n' +
    `export const RECORDS: usize = memory.data<u32>([${r.words}], 8);\n` +
    `export const RECORD_INDEX: usize = memory.data<u32>([${r.index.join(',')}]);\n` +
    `export const RECORD_COUNT: i32 = ${records.length};\n` +
    `export const PROGRAMS: usize = memory.data<u32>([${p.words}], 8);\n` +
    `export const PROGRAM_INDEX: usize = memory.data<u32>([${p.index.join(',')}]);\n` +
    `export const PROGRAM_COUNT: i32 = ${programs.length};\n` +
    `export const HOST_TIME_MS: i64 = ${Math.floor(hostTimeMs)};\n` +
    `export const BENCH_CONFIG: usize = memory.data<u32>([${hex(CONFIG_MAGIC)}, ${hex(CONFIG_BIAS + 1)}, ${hex(CONFIG_BIAS + 1)}, ${hex(CONFIG_BIAS)}, ${hex(CONFIG_BIAS + 1)}]);\n` +
    `export const CONFIG_BIAS: u32 = ${hex(CONFIG_BIAS)};\n`
  );
}

export type ProxyKind = 'evaluator' | 'floor' | 'byte-scan' | 'numbers';

/**
 * A proxy module: `bench_run()` runs the per-record work over all built-in records. The evaluator
 * proxy holds every program of `programs` and installs the one its configuration cell names.
 */
export async function proxyModule(name: string, kind: ProxyKind, records: readonly Uint8Array[], hostTimeMs: number, programs: readonly Uint8Array[] = [], extraFlags?: string[]): Promise<CachedModule> {
  const source = recordsSource(records, hostTimeMs, programs);
  const dataBytes = records.reduce((a, r) => a + r.length + 8, 0) + programs.reduce((a, p) => a + p.length + 8, 0);
  return cachedModule(`proxy-${name}`, {
    entry: 'filter',
    entryFile: `assembly/bench/interp-${kind}.ts`,
    virtualFiles: { 'assembly/bench/records.ts': source, 'assembly/abi/wasi.ts': await stubbedWasiSource() },
    initialMemoryPages: Math.ceil(dataBytes / 65536) + 4,
    extraFlags,
    // wabt's wasm-interp cannot call imports: the proxies search in wasm (the real host uses native strstr).
    nativeSearch: false,
  });
}

export interface ProxyConfig {
  /** Passes over the records per bench_run() (1..254). */
  passes: number;
  /** Free the host copies as the filter does (assembly/abi/collect.ts; default true). */
  collect?: boolean;
  /** Which built-in program the evaluator proxy installs (default 0). */
  program?: number;
  /** Take every stride-th record (default 1: all). */
  stride?: number;
}

/** Records one pass goes over with this stride. */
export function recordsPerPass(records: number, stride = 1): number {
  return Math.ceil(records / stride);
}

/** The same module with another configuration cell (no compilation). */
export function configured(module: Uint8Array, config: ProxyConfig): Uint8Array {
  const { passes, collect = true, program = 0, stride = 1 } = config;
  const field = (name: string, v: number, min: number) => {
    if (!Number.isInteger(v) || v < min || v > 254) throw new RangeError(`${name} must be ${min}..254, not ${v}`);
    return CONFIG_BIAS + v;
  };
  const values = [field('passes', passes, 1), CONFIG_BIAS + (collect ? 1 : 0), field('program', program, 0), field('stride', stride, 1)];
  const cell = Buffer.alloc(20);
  [CONFIG_MAGIC, CONFIG_BIAS + 1, CONFIG_BIAS + 1, CONFIG_BIAS, CONFIG_BIAS + 1].forEach((v, i) => cell.writeUInt32LE(v, i * 4));
  const bytes = Buffer.from(module);
  const at = bytes.indexOf(cell);
  if (at < 0 || bytes.indexOf(cell, at + 1) >= 0) throw new Error('benchmark module: the configuration cell is missing or ambiguous');
  values.forEach((v, i) => bytes.writeUInt32LE(v, at + 4 + i * 4));
  if (!WebAssembly.validate(bytes)) throw new Error('benchmark module: patching the configuration cell broke the module');
  return bytes;
}

/** The generic evaluator (the program is loaded at run time), as build/evaluator.wasm. */
export function genericEvaluatorModule(): Promise<CachedModule> {
  return cachedModule('evaluator', { entry: 'filter' });
}
