// What every entry point shares: loading the program once and turning one record into the bytes to
// forward. The Fluent Bit filter (index.ts) and the WASI command (command.ts) are thin layers on this.
import { loadProgram, loaded, options } from '../program/program';
import { preparePrefilter } from '../eval/prefilter';
import { prepareKeyFilters } from '../json/scanner';
import { prepareExprOrder } from '../eval/expr';
import { setupState, evaluateRecord } from '../eval/record';
import { buildTagged, out } from '../tags/tagger';
import { OutputMode } from '../program/format';
import * as stats from '../eval/stats';
import { restoreState, saveState, stateFileConfigured } from '../state/store';
import { journalPending, flushJournal, journalBytes, JOURNAL_COMPACT_BYTES } from '../state/journal';
import { stateDirty, markClean, latestEventTime } from '../eval/record';
import { sequenceStateChanged, latestSequenceTime } from '../eval/sequence';
import { windowStateChanged, latestWindowTime } from '../eval/esql-stats';
import { statsJson } from './stats-json';
import { writeAll } from './wasi';

export const ABI_VERSION: i32 = 2; // 2: filter modules import env.strstr, env.strlen and env.memchr

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
  if (!preparePrefilter() || !prepareKeyFilters() || !prepareExprOrder()) return (loadError = 40);
  setupState();
  ready = true;
  return 0;
}

let started = false;
let sinceSnapshot: u32 = 0;
let lastSnapshotTime: i64 = i64.MIN_VALUE;
let sinceStats: u32 = 0;

/** First record: restore the new-terms state (WASI is only usable once the host is running). */
function start(): void {
  started = true;
  restoreState();
}

/**
 * After each record: its newly learned terms go to the journal (before the host sees the result);
 * the snapshot every N records or N seconds of event time, or when the journal grew large; the
 * counters on stderr every N records.
 */
function housekeeping(): void {
  if (journalPending()) flushJournal();
  const everyRecords = load<u32>(options, 16);
  const everySeconds = load<u32>(options, 36);
  sinceSnapshot++;
  // Nothing to save (most records, and every one a rule rejected before any state changed): no more to do
  // but count (the latest event time cannot have moved without a state change).
  if (stateDirty || sequenceStateChanged || windowStateChanged || lastSnapshotTime == i64.MIN_VALUE) {
    const latest = max(max(latestEventTime, latestSequenceTime), latestWindowTime);
    if ((stateDirty || sequenceStateChanged || windowStateChanged) && ((everyRecords > 0 && sinceSnapshot >= everyRecords) ||
        (everySeconds > 0 && lastSnapshotTime != i64.MIN_VALUE && latest - lastSnapshotTime >= <i64>everySeconds * 1000) ||
        journalBytes > JOURNAL_COMPACT_BYTES)) {
      saveSnapshot();
    }
    if (lastSnapshotTime == i64.MIN_VALUE) lastSnapshotTime = latest;
  }
  const statsEvery = load<u32>(options, 28);
  if (statsEvery > 0 && ++sinceStats >= statsEvery) {
    sinceStats = 0;
    writeStatsLine();
  }
}

/** Writes the snapshot now (if one is configured); false when writing failed or none is configured. */
export function saveSnapshot(): bool {
  sinceSnapshot = 0;
  lastSnapshotTime = max(max(latestEventTime, latestSequenceTime), latestWindowTime);
  if (!stateFileConfigured() || !ready) return false;
  // Never overwrite a saved state before it was read (a host may ask before the first record).
  if (!started) start();
  const ok = saveState();
  if (ok) markClean();
  else stats.countSnapshotFailure();
  return ok;
}

/** The counters as one line on stderr (fd 2: Fluent Bit's own stderr). */
export function writeStatsLine(): void {
  const s = statsJson();
  if (s == 0) return;
  let n: usize = 0;
  while (load<u8>(s + n) != 0) n++;
  writeAll(2, memory.data<u8>([107, 113, 108, 45, 101, 100, 103, 101, 58, 32]), 10); // "kql-edge: "
  store<u8>(s + n, 10);
  writeAll(2, s, n + 1);
  store<u8>(s + n, 0);
}

/** Decides what to forward for the record [p, p+n). */
export function processRecord(p: usize, n: usize, hostTimeMs: i64): i32 {
  stats.countRecord();
  if (!ready) {
    stats.countError();
    return RESULT_PASS;
  }
  if (!started) start();
  const result = decide(p, n, hostTimeMs);
  housekeeping();
  return result;
}

function decide(p: usize, n: usize, hostTimeMs: i64): i32 {
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
