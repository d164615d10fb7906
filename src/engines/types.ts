// Shared shapes for the two WASI engines (node:wasi and wasm2c + gcc), so a
// test or the benchmark can run one module through both and compare.

/** A host directory the guest sees as a preopen (fd 3, 4, ... in order). */
export interface PreopenDir {
  host: string;
  guest: string;
}

export interface EngineRunOptions {
  /** Everything the guest reads from fd 0. */
  stdin: Buffer | string;
  dirs?: PreopenDir[];
  /** The guest's argv[1..]; argv[0] is always the wasm file's base name. */
  args?: string[];
  /**
   * Reactor/benchmark mode: call this exported `() -> i32` function instead
   * of `_start`; its result is written to stdout as a decimal line.
   */
  call?: string;
}

export interface EngineResult {
  stdout: Buffer;
  stderr: Buffer;
  /** proc_exit code (0 when `_start` returns), or TRAP_EXIT_CODE after a trap. */
  code: number;
}

/** Exit code both engines report when the module traps (like SIGABRT: 128 + 6). */
export const TRAP_EXIT_CODE = 134;
