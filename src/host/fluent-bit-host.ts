// A Node host that calls a kql-edge module exactly as Fluent Bit's filter_wasm does
// (spec: fluent-bit-wasm.md): per record, the tag and the record body are copied into the module's
// memory with `__new(size, 0)` + `__pin`, NUL-terminated; `filter` is called with six i32; the result
// is read as a NUL-terminated string; the copies are unpinned.
import { WASI } from 'node:wasi';
import { importsNatives, nativeImports } from '../build/natives.js';

export type Verdict = 'pass' | 'tagged' | 'dropped';

export interface FilterResult {
  verdict: Verdict;
  /** The bytes Fluent Bit would forward (the input itself for a pass-through, empty when dropped). */
  output: Buffer;
}

interface Exports {
  memory: WebAssembly.Memory;
  filter(tagPtr: number, tagLen: number, sec: number, nsec: number, recPtr: number, recLen: number): number;
  __new(size: number, id: number): number;
  __pin(ptr: number): number;
  __unpin(ptr: number): void;
  kqe_load_program?(ptr: number, len: number): number;
  kqe_stats_json?(): number;
  kqe_ready?(): number;
  kqe_snapshot?(): number;
  kqe_validate_input?(on: number): void;
  kqe_abi_version?(): number;
}

export class HostError extends Error {}

/** The module exports a host needs to hand it bytes. */
export interface AllocatorExports {
  memory: WebAssembly.Memory;
  __new(size: number, id: number): number;
  __pin(ptr: number): number;
}

/** Copies bytes into the module as Fluent Bit does: __new(size + 1, 0), __pin, the bytes, a NUL. Returns the pointer. */
export function copyIntoModule(ex: AllocatorExports, bytes: Uint8Array): number {
  const ptr = ex.__new(bytes.length + 1, 0) >>> 0;
  ex.__pin(ptr);
  const mem = new Uint8Array(ex.memory.buffer);
  mem.set(bytes, ptr);
  mem[ptr + bytes.length] = 0;
  return ptr;
}

export interface HostOptions {
  /** Folders the module may use, guest path -> host path (Fluent Bit: Accessible_Paths). */
  preopens?: Record<string, string>;
  /** File descriptor receiving the module's stderr (default 2). */
  stderrFd?: number;
  /**
   * The records are known to be valid JSON, as Fluent Bit's own serialisation is: the module then skips
   * the parts no rule reads instead of validating them (its default in Fluent Bit). Default false: records
   * from outside are validated in full.
   */
  trustedInput?: boolean;
}

/**
 * WASI for the module, as Fluent Bit gives it. Every import is wrapped in a plain JS function:
 * Node 20's node:wasi, imported directly, can write into freed memory after the module's memory grew.
 */
function wasiImports(options: HostOptions): { imports: WebAssembly.Imports; init: (i: WebAssembly.Instance) => void } {
  const wasi = new WASI({ version: 'preview1', preopens: options.preopens ?? {}, stderr: options.stderrFd ?? 2, returnOnExit: true });
  const raw = wasi.getImportObject() as Record<string, Record<string, (...a: number[]) => number>>;
  const wrapped: Record<string, (...a: number[]) => number> = {};
  for (const [name, fn] of Object.entries(raw.wasi_snapshot_preview1)) wrapped[name] = (...args: number[]) => fn(...args);
  return { imports: { wasi_snapshot_preview1: wrapped }, init: (instance) => wasi.initialize(instance) };
}

export class FluentBitHost {
  private constructor(
    private readonly instance: WebAssembly.Instance,
    private readonly ex: Exports,
  ) {}

  /** Instantiates a module; with `program`, installs it (the generic evaluator). */
  static async create(module: WebAssembly.Module | Uint8Array, program?: Uint8Array, options: HostOptions = {}): Promise<FluentBitHost> {
    const mod = module instanceof WebAssembly.Module ? module : await WebAssembly.compile(module as Uint8Array<ArrayBuffer>);
    const usesWasi = WebAssembly.Module.imports(mod).some((i) => i.module === 'wasi_snapshot_preview1');
    const wasi = usesWasi ? wasiImports(options) : undefined;
    const imports: WebAssembly.Imports = { ...(wasi?.imports ?? {}) };
    // ABI version 2: the native string search Fluent Bit's WAMR provides (libc-builtin), in JavaScript.
    let memory: WebAssembly.Memory | undefined;
    if (importsNatives(mod)) imports.env = nativeImports(() => memory!);
    const instance = await WebAssembly.instantiate(mod, imports);
    memory = instance.exports.memory as WebAssembly.Memory;
    wasi?.init(instance);
    const host = new FluentBitHost(instance, instance.exports as unknown as Exports);
    host.ex.kqe_validate_input?.(options.trustedInput ? 0 : 1);
    if (program) host.loadProgram(program);
    return host;
  }

  get exports(): Exports {
    return this.ex;
  }

  /** Linear memory size in bytes. */
  get memoryBytes(): number {
    return this.ex.memory.buffer.byteLength;
  }

  private copyIn(bytes: Uint8Array): number {
    return copyIntoModule(this.ex, bytes);
  }

  loadProgram(program: Uint8Array): void {
    if (!this.ex.kqe_load_program) throw new HostError('this module cannot load a program (no kqe_load_program export)');
    const ptr = this.copyIn(program);
    const code = this.ex.kqe_load_program(ptr, program.length);
    this.ex.__unpin(ptr);
    if (code !== 0) throw new HostError(`the module refused the program (error ${code})`);
  }

  /** One call of `filter`, as Fluent Bit makes it. `timeMs` is the record's timestamp. */
  filter(record: Uint8Array, timeMs: number, tag = 'kube.audit'): FilterResult {
    const tagBytes = Buffer.from(tag);
    const tagPtr = this.copyIn(tagBytes);
    const recPtr = this.copyIn(record);
    const sec = Math.floor(timeMs / 1000);
    const nsec = Math.floor(timeMs - sec * 1000) * 1_000_000;
    let result: FilterResult;
    try {
      const out = this.ex.filter(tagPtr, tagBytes.length, sec | 0, nsec | 0, recPtr, record.length) >>> 0;
      result = this.readResult(out, recPtr, record);
    } finally {
      this.ex.__unpin(recPtr);
      this.ex.__unpin(tagPtr);
    }
    return result;
  }

  private readResult(out: number, recPtr: number, record: Uint8Array): FilterResult {
    const mem = new Uint8Array(this.ex.memory.buffer);
    // A pass-through forwards the bytes at rec, as Fluent Bit does: the module may have rewritten a
    // number there in place (docs/abi.md), never changing the length.
    if (out === recPtr) return { verdict: 'pass', output: Buffer.from(mem.subarray(recPtr, recPtr + record.length)) };
    if (out >= mem.length) throw new HostError(`filter returned an address outside memory (${out})`);
    const end = mem.indexOf(0, out);
    if (end < 0) throw new HostError('filter returned an unterminated string');
    if (end === out) return { verdict: 'dropped', output: Buffer.alloc(0) };
    return { verdict: 'tagged', output: Buffer.from(mem.subarray(out, end)) };
  }

  /** Asks the module to write its new-terms snapshot now (before a shutdown). */
  snapshot(): boolean {
    return this.ex.kqe_snapshot ? this.ex.kqe_snapshot() === 1 : false;
  }

  /** The module's counters. */
  stats(): ModuleStats | undefined {
    if (!this.ex.kqe_stats_json) return undefined;
    const ptr = this.ex.kqe_stats_json() >>> 0;
    if (ptr === 0) return undefined;
    const mem = new Uint8Array(this.ex.memory.buffer);
    const end = mem.indexOf(0, ptr);
    return JSON.parse(Buffer.from(mem.subarray(ptr, end)).toString('utf8')) as ModuleStats;
  }
}

export interface RuleStats {
  id: string;
  matches: number;
  alerts: number;
  terms?: number;
  capacity?: number;
  evictions_in_window?: number;
  expirations?: number;
  /** EQL sequence rules: pending sequences, capacity, live ones evicted, expired ones dropped, completed. */
  sequences?: number;
  sequence_capacity?: number;
  sequence_evictions_in_window?: number;
  sequence_expirations?: number;
  sequence_completions?: number;
  /** ES|QL STATS rules: groups held, bytes used of the rule's share, groups evicted while live, expired, events dropped from a group larger than the share. */
  window_groups?: number;
  window_bytes?: number;
  window_capacity_bytes?: number;
  /** Freed window memory kept for reuse, outside the share (at most an eighth of it). */
  window_pooled_bytes?: number;
  window_evictions_in_window?: number;
  window_expirations?: number;
  window_event_evictions?: number;
}

export interface ModuleStats {
  records: number;
  passed: number;
  tagged: number;
  dropped: number;
  invalid: number;
  errors: number;
  snapshot_failures: number;
  /** Among invalid: records nested deeper than 1,000 levels along a path some rule reads. */
  too_deep?: number;
  /** Journal appends or opens that failed (the state file's journal). */
  journal_failures?: number;
  /** Numbers Fluent Bit could not read back, rewritten as the largest double (docs/abi.md). */
  numbers_rewritten?: number;
  rules: RuleStats[];
}
