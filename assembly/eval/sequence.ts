// EQL sequence rules: after a record matched some stage of a sequence rule (its root expression is
// "some stage matches"), advance that rule's pending sequences (state/sequences.ts) and report
// whether the record completed one. Stages are tried from the last to the first, so one record
// never serves two stages of the same pending sequence.
import { Region, ByteWriter } from '../util/buffer';
import { civilFromDays } from '../values/date';
import { rules, ruleCount, options, sequences, seqStages, MAX_SEQ_STAGES } from '../program/program';
import { RULE_SIZE, SEQUENCE_SIZE, SEQ_STAGE_SIZE, RULE_FLAG_SEQUENCE, SEQUENCE_FLAG_UNTIL } from '../program/format';
import { evalExpr } from './expr';
import { firstValue, nextValue, valuePtr, valueLen, valueKind, NONE, KIND_INVALID, KIND_STR } from './values';
import { shapeDoc, shapePlan } from './shape';
import { slotVoided } from './predicates';
import { hashBytes, hashCombine } from '../util/hash';
import { SequenceTable, sequenceCostBytes, SEQ_ID_BYTES, NO_ID } from '../state/sequences';
import { itemSize, writeItem, writeHeader, writeRemoval, REMOVAL_ITEM, sectionValid, applyItems } from '../state/sequence-section';
import { beginEntry, commitEntry, journalOpen } from '../state/journal';
import { ruleKey } from '../state/snapshot';
import { Kind } from '../state/format';

const NIL: u32 = 0xffffffff;
/** Smallest number of pending sequences a rule can hold, whatever the budget. */
const MIN_SEQUENCES_PER_RULE: u32 = 16;
/** Per rule: the stages (time, identity) of the sequence the current record completed. */
const COMPLETION_BYTES: usize = <usize>MAX_SEQ_STAGES * (8 + 1 + SEQ_ID_BYTES);
const completion = new Region();

let seqTables: Array<SequenceTable | null> = new Array<SequenceTable | null>(0);
/** Set when some pending sequence changed since the last snapshot (state/store.ts clears it). */
export let sequenceStateChanged = false;
/** The latest event time a sequence rule saw (with New Terms', drives snapshots by event time). */
export let latestSequenceTime: i64 = i64.MIN_VALUE;
export function sequencesSaved(): void {
  sequenceStateChanged = false;
}

export function setupSequences(): void {
  for (let i = 0; i < seqTables.length; i++) {
    const old = unchecked(seqTables[i]);
    if (old !== null) old.dispose();
  }
  let seqRules: u32 = 0;
  for (let r: u32 = 0; r < ruleCount; r++) if (load<u32>(rules + <usize>r * RULE_SIZE, 12) & RULE_FLAG_SEQUENCE) seqRules++;
  seqTables = new Array<SequenceTable | null>(<i32>ruleCount);
  const budget = <u64>load<u32>(options, 48);
  for (let r: u32 = 0; r < ruleCount; r++) {
    const rule = rules + <usize>r * RULE_SIZE;
    if (!(load<u32>(rule, 12) & RULE_FLAG_SEQUENCE)) {
      unchecked((seqTables[<i32>r] = null));
      continue;
    }
    const stages = load<u32>(sequences + <usize>load<u32>(rule, 72) * SEQUENCE_SIZE);
    let capacity = <u32>min<u64>(budget / <u64>seqRules / <u64>sequenceCostBytes(stages), 0x1000000);
    if (capacity < MIN_SEQUENCES_PER_RULE) capacity = MIN_SEQUENCES_PER_RULE;
    unchecked((seqTables[<i32>r] = new SequenceTable(stages, capacity)));
  }
  sequenceStateChanged = false;
  latestSequenceTime = i64.MIN_VALUE;
  completion.ensure(<usize>ruleCount * COMPLETION_BYTES + 8);
}

export function sequenceTableOf(r: u32): SequenceTable | null {
  return r < <u32>seqTables.length ? unchecked(seqTables[<i32>r]) : null;
}

/**
 * Restores rule r's pending sequences from a state-file payload (state/sequence-section.ts): a
 * snapshot section (`replace`) or a journal entry. 1 used, 0 rule r keeps no sequences, -1 the payload
 * is not well-formed (nothing applied) or memory ran short.
 */
export function restoreSequences(r: u32, payload: usize, length: usize, replace: bool): i32 {
  const table = sequenceTableOf(r);
  if (table === null) return 0;
  if (!sectionValid(table, payload, length, !replace)) return -1;
  const maxspan = load<i64>(sequences + <usize>load<u32>(rules + <usize>r * RULE_SIZE, 72) * SEQUENCE_SIZE, 16);
  return applyItems(table, payload, length, replace, maxspan) ? 1 : -1;
}

// Every change of a pending sequence goes to the journal (state/journal.ts) with the record's other
// entries, so a restart or a reload loses no sequence in progress: one entry per change, only on
// records a stage or until matched.

/** Journals entry e of rule r as it now is. */
function journalSet(r: u32, table: SequenceTable, e: u32): void {
  sequenceStateChanged = true;
  if (!journalOpen()) return;
  const p = beginEntry(Kind.Sequences, ruleKey(r), 8 + itemSize(table, e));
  if (p == 0) return;
  writeItem(table, e, p + writeHeader(table, 1, p));
  commitEntry();
}

/** Journals that rule r's pending sequence (key, matched) is gone. */
function journalRemoval(r: u32, table: SequenceTable, key: u64, matched: u32): void {
  sequenceStateChanged = true;
  if (!journalOpen()) return;
  const p = beginEntry(Kind.Sequences, ruleKey(r), 8 + REMOVAL_ITEM);
  if (p == 0) return;
  writeRemoval(key, matched, p + writeHeader(table, 1, p));
  commitEntry();
}

/** After table.put(): the pending sequence it evicted to make room, if any, is journaled as gone. */
@inline function journalEviction(r: u32, table: SequenceTable): void {
  if (table.evicted) journalRemoval(r, table, table.evictedKey, table.evictedMatched);
}

/** Removes entry e (matched stages of `key`) of rule r and journals it. */
function removeEntry(r: u32, table: SequenceTable, e: u32, key: u64, matched: u32): void {
  table.remove(e);
  journalRemoval(r, table, key, matched);
}

/** The join key of a stage: the hash of its key fields' values; false when one has no value or several. */
let keyHash: u64 = 0;
function stageKey(stage: usize, keys: u32): bool {
  let h: u64 = 0x6b716c2d73657121;
  for (let k: u32 = 0; k < keys; k++) {
    const slot = load<u32>(stage + 4 + <usize>k * 4);
    if (slotVoided(slot)) return false;
    let found = NONE;
    for (let v = firstValue(shapeDoc, shapePlan, slot); v != NONE; v = nextValue(v)) {
      if (valueKind(v) == KIND_INVALID) continue;
      if (found != NONE) return false; // several values: the record does not join
      found = v;
    }
    if (found == NONE) return false; // a missing (null) join key does not join
    h = hashCombine(h, hashBytes(valuePtr(found), valueLen(found), 0));
  }
  keyHash = h;
  return true;
}

/** The record's identity (its first auditID string), as pointer and length (0, 0 when none). */
let idPtr: usize = 0;
let idLen: u32 = 0;
function recordIdentity(slot: u32): void {
  idPtr = 0;
  idLen = 0;
  if (slot == NIL || slotVoided(slot)) return;
  for (let v = firstValue(shapeDoc, shapePlan, slot); v != NONE; v = nextValue(v)) {
    if (valueKind(v) != KIND_STR) continue;
    idPtr = valuePtr(v);
    idLen = valueLen(v);
    return;
  }
}

/**
 * Rule r (a sequence rule whose root matched) at event time t: 1 when the record completes a
 * sequence that alerts, 0 otherwise, -1 when memory is short. While `learning`, sequences are
 * tracked and completed but do not alert.
 */
export function sequenceOf(r: u32, rule: usize, t: i64, learning: bool): i32 {
  const table = sequenceTableOf(r);
  if (table === null) return 0;
  // Where a completion is written (sized at setup; -1 passes the record through if that failed).
  if (completion.cap < <usize>(r + 1) * COMPLETION_BYTES) return -1;
  const seq = sequences + <usize>load<u32>(rule, 72) * SEQUENCE_SIZE;
  const stages = load<u32>(seq);
  const firstStage = load<u32>(seq, 4);
  const keys = load<u32>(seq, 8);
  const maxspan = load<i64>(seq, 16);
  if (t > latestSequenceTime) latestSequenceTime = t;
  recordIdentity(load<u32>(seq, 12));
  // until: a record it matches ends every pending sequence of its key, before its own stages count.
  if (load<u32>(seq, 24) & SEQUENCE_FLAG_UNTIL) {
    const until = seqStages + <usize>(firstStage + stages) * SEQ_STAGE_SIZE;
    if (evalExpr(load<u32>(until)) && stageKey(until, keys)) {
      for (let m: u32 = 1; m < stages; m++) {
        const e = table.find(keyHash, m);
        if (e != NIL) removeEntry(r, table, e, keyHash, m);
      }
    }
  }
  let completed = false;
  for (let i = <i32>stages - 1; i >= 0; i--) {
    const stage = seqStages + <usize>(firstStage + <u32>i) * SEQ_STAGE_SIZE;
    if (!evalExpr(load<u32>(stage))) continue;
    if (!stageKey(stage, keys)) continue;
    const key = keyHash;
    if (i == 0) {
      const e = table.put(key, 1, NIL, t, maxspan);
      if (e == NIL) return -1;
      journalEviction(r, table);
      table.setStage(e, 0, t, idPtr, idLen);
      journalSet(r, table, e);
      continue;
    }
    const prev = table.find(key, <u32>i);
    if (prev == NIL) continue;
    // A record whose event time is before the previous stage's event does not follow it.
    if (t < table.timeOf(prev, <u32>i - 1)) continue;
    if (maxspan >= 0 && t - table.timeOf(prev, 0) > maxspan) {
      table.expirations++;
      removeEntry(r, table, prev, key, <u32>i);
      continue;
    }
    if (<u32>i == stages - 1) {
      if (completed) continue; // at most one completion per record and rule (keys are single-valued)
      const dst = completion.ptr + <usize>r * COMPLETION_BYTES;
      for (let s: u32 = 0; s + 1 < stages; s++) {
        store<i64>(dst + <usize>s * 56, table.timeOf(prev, s));
        memory.copy(dst + <usize>s * 56 + 8, table.idOf(prev, s), <usize>(1 + SEQ_ID_BYTES));
      }
      const last = dst + <usize>(stages - 1) * 56;
      store<i64>(last, t);
      if (idPtr == 0 || idLen > SEQ_ID_BYTES) store<u8>(last, NO_ID, 8);
      else {
        store<u8>(last, <u8>idLen, 8);
        memory.copy(last + 9, idPtr, <usize>idLen);
      }
      removeEntry(r, table, prev, key, <u32>i);
      table.completions++;
      if (!learning) completed = true;
      continue;
    }
    const e = table.put(key, <u32>i + 1, prev, t, maxspan);
    if (e == NIL) return -1;
    journalEviction(r, table);
    table.setStage(e, <u32>i, t, idPtr, idLen);
    journalSet(r, table, e);
    if (e != prev) removeEntry(r, table, prev, key, <u32>i);
  }
  return completed ? 1 : 0;
}

/** `,"sequence":[{"time":"...","auditID":"..."|null},...]` for rule r's completed sequence. */
export function writeSequence(out: ByteWriter, r: u32): void {
  const rule = rules + <usize>r * RULE_SIZE;
  const stages = load<u32>(sequences + <usize>load<u32>(rule, 72) * SEQUENCE_SIZE);
  const src = completion.ptr + <usize>r * COMPLETION_BYTES;
  out.ascii(',"sequence":[');
  for (let s: u32 = 0; s < stages; s++) {
    const p = src + <usize>s * 56;
    if (s > 0) out.byte(0x2c);
    out.ascii('{"time":"');
    writeIsoTime(out, load<i64>(p));
    out.ascii('","auditID":');
    const n = <u32>load<u8>(p, 8);
    if (n == <u32>NO_ID) out.ascii('null');
    else {
      out.byte(0x22);
      out.jsonStringContent(p + 9, <usize>n);
      out.byte(0x22);
    }
    out.byte(0x7d);
  }
  out.byte(0x5d);
}

function two(out: ByteWriter, v: i64): void {
  out.byte(<u8>(0x30 + v / 10));
  out.byte(<u8>(0x30 + v % 10));
}

const isoDate = memory.data(24);

/** Epoch milliseconds as `YYYY-MM-DDTHH:MM:SS.mmmZ` (UTC, proleptic Gregorian; years 0-9999). */
export function writeIsoTime(out: ByteWriter, ms: i64): void {
  let days = ms / 86400000;
  let rest = ms % 86400000;
  if (rest < 0) {
    rest += 86400000;
    days--;
  }
  civilFromDays(days, isoDate);
  const y = load<i64>(isoDate);
  const m = load<i64>(isoDate, 8);
  const d = load<i64>(isoDate, 16);
  const yy = y < 0 ? 0 : y > 9999 ? 9999 : y;
  two(out, yy / 100);
  two(out, yy % 100);
  out.byte(0x2d);
  two(out, m);
  out.byte(0x2d);
  two(out, d);
  out.byte(0x54);
  two(out, rest / 3600000);
  out.byte(0x3a);
  two(out, (rest / 60000) % 60);
  out.byte(0x3a);
  two(out, (rest / 1000) % 60);
  out.byte(0x2e);
  const frac = rest % 1000;
  out.byte(<u8>(0x30 + frac / 100));
  two(out, frac % 100);
  out.byte(0x5a);
}
