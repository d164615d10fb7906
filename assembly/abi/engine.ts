// What every entry point shares: loading the program once and turning one record into the bytes to
// forward. The Fluent Bit filter (index.ts) and the WASI command (command.ts) are thin layers on this.
import { loadProgram, loaded, options } from '../program/program';
import { preparePrefilter } from '../eval/prefilter';
import { setupState, evaluateRecord } from '../eval/record';
import { buildTagged, out } from '../tags/tagger';
import { OutputMode } from '../program/format';
import * as stats from '../eval/stats';

export const ABI_VERSION: i32 = 1;

export const RESULT_PASS: i32 = 0; // forward the input unchanged
export const RESULT_TAGGED: i32 = 1; // forward `out` (NUL-terminated, resultLength bytes)
export const RESULT_DROP: i32 = 2; // alerts-only mode: do not forward

export let ready: bool = false;
export let loadError: i32 = -1;

/** Loads and prepares a program; returns 0 or an error code. */
export function installProgram(ptr: usize, len: u32): i32 {
  ready = false;
  loadError = loadProgram(ptr, len);
  if (loadError != 0) return loadError;
  if (!preparePrefilter()) return (loadError = 40);
  setupState();
  ready = true;
  return 0;
}

/** Decides what to forward for the record [p, p+n). */
export function processRecord(p: usize, n: usize, hostTimeMs: i64): i32 {
  stats.countRecord();
  if (!ready) {
    stats.countError();
    return RESULT_PASS;
  }
  const r = evaluateRecord(p, n, hostTimeMs);
  if (r < 0) {
    stats.countInvalid();
    return RESULT_PASS;
  }
  if (r == 0) {
    if (load<u32>(options) == OutputMode.AlertsOnly) {
      stats.countDropped();
      return RESULT_DROP;
    }
    stats.countPassed();
    return RESULT_PASS;
  }
  if (!buildTagged(p)) {
    stats.countError();
    return RESULT_PASS;
  }
  stats.countTagged();
  return RESULT_TAGGED;
}

/** Length of the tagged record in `out`, without its NUL. */
export function resultLength(): usize {
  return out.len - 1;
}

export function resultPointer(): usize {
  return out.region.ptr;
}
