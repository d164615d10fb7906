// kql-edge's Fluent Bit filter module (ABI version 2, docs/abi.md).
// Fluent Bit calls `filter` once per record (Event_Format json) with six i32 and reads back a pointer
// to a NUL-terminated JSON object. Everything is written so that no input can make it trap.
import { EMBEDDED_PROGRAM, EMBEDDED_PROGRAM_LENGTH } from './embedded/program';
import { installProgram, processRecord, resultPointer, RESULT_TAGGED, RESULT_DROP, ABI_VERSION, ready, loadError, saveSnapshot } from './abi/engine';

export { kqe_stats_json } from './abi/stats-json';
import { collectSometimes } from './abi/collect';
import { fixUnreadableNumbers } from './abi/host-numbers';
import { trustInput } from './eval/record';

// Fluent Bit passes its own serialisation of each record: valid JSON (docs/abi.md, "Trusted input").
trustInput(true);

if (EMBEDDED_PROGRAM_LENGTH > 0) installProgram(EMBEDDED_PROGRAM, EMBEDDED_PROGRAM_LENGTH);

const EMPTY = memory.data(1); // "" : drops the record (alerts-only mode only)


/** The Fluent Bit filter: `(tag, tag_len, time_sec, time_nsec, record, record_len) -> result`. */
export function filter(tagPtr: i32, tagLen: i32, timeSec: i32, timeNsec: i32, recPtr: i32, recLen: i32): i32 {
  const p = <usize><u32>recPtr;
  const n = <usize><u32>recLen;
  // Free the host's earlier copies (our own regions are outside the collector).
  collectSometimes(n);
  if (n == 0 || p + n > (<usize>memory.size() << 16)) return recPtr;
  const hostMs = <i64><u32>timeSec * 1000 + <i64>(<u32>timeNsec / 1000000);
  fixUnreadableNumbers(p, n); // in place, same length: the pass-through and the tagged copy both carry it
  const r = processRecord(p, n, hostMs);
  if (r == RESULT_TAGGED) return <i32>resultPointer();
  if (r == RESULT_DROP) return <i32>EMPTY;
  return recPtr;
}

/** 1: validate every record in full (hosts whose records come from outside); 0: trust them (the default, Fluent Bit). */
export function kqe_validate_input(on: i32): void {
  trustInput(on == 0);
}

/**
 * Makes the module a WASI reactor: WAMR (Fluent Bit) then loads it without printing a warning on
 * stdout, and node:wasi's initialize() calls it. Nothing to do: the start section installed the
 * program, and the state file is read on the first record, once the host's WASI is usable.
 */
export function _initialize(): void {}

/** ABI version of this module. */
export function kqe_abi_version(): i32 {
  return ABI_VERSION;
}

/** Installs a program from `len` bytes at `ptr` (the generic evaluator); 0 or an error code. */
export function kqe_load_program(ptr: i32, len: i32): i32 {
  return installProgram(<usize><u32>ptr, <u32>len);
}

/** 1 when a program is installed. */
export function kqe_ready(): i32 {
  return ready ? 1 : 0;
}

/** Writes the new-terms snapshot now (hosts call it before shutting down); 1 written, 0 failed or none configured. */
export function kqe_snapshot(): i32 {
  return saveSnapshot() ? 1 : 0;
}

/** The last program load error (0: none). */
export function kqe_load_error(): i32 {
  return loadError;
}
