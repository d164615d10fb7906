// Evaluating one record against every rule: prefilter, one scan, shape, rule expressions,
// new terms, then the decision to pass the record through or tag it.
import { Region } from '../util/buffer';
import { rules, ruleCount, options, plans, consts, dataPtr, prefilterOrder } from '../program/program';
import { RULE_SIZE, PLAN_SIZE, CONST_SIZE, OPTION_ALL_LEAVES, Plan } from '../program/format';
import { startsAsRawAudit } from './raw-audit-start';
import { beginRecord, ruleMayMatch } from './prefilter';
import { resetValues, selectDocument, addValue, firstValue, nextValue, valuePtr, valueLen, valueKind, NONE, KIND_STR, KIND_INVALID } from './values';
import { scanDocument, decodeRegion, resetDecode, beginAllLeaves, tooDeep } from '../json/scanner';
import { decideShape, shapeDoc, shapePlan, shape, SHAPE_AKS } from './shape';
import { copyAksMetadata } from './aks-metadata';
import { eventTime } from './event-time';
import { setEvalTarget, slotVoided } from './predicates';
import { evalExpr, resetLeafCache } from './expr';
import { utf16Length } from '../json/strings';
import { hashBytes, hashCombine } from '../util/hash';
import { TermsTable } from '../state/terms-table';
import { ruleTermCapacity } from '../state/budget';
import { noteLearnedTerm } from '../state/journal';
import * as stats from './stats';
import { setupSequences, sequenceOf } from './sequence';
import { RULE_FLAG_SEQUENCE, RULE_FLAG_ESQL, RULE_FLAG_ESQL_STATS } from '../program/format';
import { beginEsqlRecord, esqlOf } from './esql';
import { setupStats, statsOf, beginStatsRecord } from './esql-stats';

export const RULE_NEW_TERMS: u32 = 1;
const MAX_TERM_UNITS: u32 = 1024; // longer values are not terms (keyword ignore_above)
const MAX_COMBINATIONS: u32 = 4096; // bound on the cartesian product of one record's values

/**
 * The host's records are valid JSON (Fluent Bit hands the module its own serialisation): parts no
 * rule reads are then skipped, not validated. Off by default; the Fluent Bit entry turns it on, hosts
 * fed from outside keep it off (or validate in the host).
 */
let inputTrusted = false;
export function trustInput(on: bool): void {
  inputTrusted = on;
}

/** Per rule: its terms table (null for query rules). */
let tables: Array<TermsTable | null> = new Array<TermsTable | null>(0);
/** The first event time seen by a new-terms rule: the learning period runs from there (kept in snapshots). */
export let firstEventTime: i64 = i64.MIN_VALUE;
export function setFirstEventTime(t: i64): void {
  firstEventTime = t;
}
/** The latest event time any new-terms rule saw (drives snapshots by event time). */
export let latestEventTime: i64 = i64.MIN_VALUE;
/** Set when new-terms state changed since the last snapshot. */
export let stateDirty = false;
export function markClean(): void {
  stateDirty = false;
}
/** Observations since the last sweep of expired terms. */
let sinceExpiry: u32 = 0;
const EXPIRY_EVERY: u32 = 4096;

/** Matched rules of the current record, in rule order (= rule_id order). */
export const matched = new Region(); // u32 rule index
export let matchedCount: u32 = 0;
/** New combinations per matched rule: for matched entry i, newStart[i]/newCount[i] into `combos` (value ids, nt fields each). */
export const newStart = new Region();
export const newCount = new Region();
export const combos = new Region();
let comboLen: u32 = 0;

export function setupState(): void {
  let ntRules: u32 = 0;
  for (let r: u32 = 0; r < ruleCount; r++) if (load<u32>(rules + <usize>r * RULE_SIZE, 12) & RULE_NEW_TERMS) ntRules++;
  const budget = <u64>load<u32>(options, 4);
  const capacity = ruleTermCapacity(budget, ntRules);
  // Tables of a previous program give their memory back (their blocks are outside the collector).
  for (let i = 0; i < tables.length; i++) {
    const old = unchecked(tables[i]);
    if (old !== null) old.dispose();
  }
  firstEventTime = i64.MIN_VALUE;
  latestEventTime = i64.MIN_VALUE;
  tables = new Array<TermsTable | null>(<i32>ruleCount);
  for (let r: u32 = 0; r < ruleCount; r++) {
    const isNt = (load<u32>(rules + <usize>r * RULE_SIZE, 12) & RULE_NEW_TERMS) != 0;
    unchecked((tables[<i32>r] = isNt ? new TermsTable(capacity) : null));
  }
  stats.setup(ruleCount);
  setupSequences();
  setupStats();
}

export function tableOf(r: u32): TermsTable | null {
  return r < <u32>tables.length ? unchecked(tables[<i32>r]) : null;
}

/**
 * Evaluates the record [p, p+n). Returns 1 when some rule matched (see `matched`), 0 when none did,
 * -1 when the record could not be evaluated (not a JSON object, too deep, out of memory).
 */
export function evaluateRecord(p: usize, n: usize, hostTimeMs: i64): i32 {
  matchedCount = 0;
  comboLen = 0;
  beginRecord(p, n, inputTrusted);
  // One rule that may match is enough to scan the record; then every rule is evaluated on the
  // extracted values, which costs less than searching the other rules' literals. Rules are tried
  // weakest prefilter first (the compiler's order), so a record that will be scanned is found early.
  let anyCandidate = false;
  for (let k: u32 = 0; k < ruleCount; k++) {
    if (ruleMayMatch(load<u32>(prefilterOrder + <usize>k * 4))) {
      anyCandidate = true;
      break;
    }
  }
  if (!anyCandidate) return 0;

  if (!decodeRegion.ensure(n * 2 + 64) || !resetValues() || !resetLeafCache()) return -1;
  resetDecode();
  const allLeaves = (load<u32>(options, 32) & OPTION_ALL_LEAVES) != 0;
  beginAllLeaves(allLeaves);
  selectDocument(0);
  if (!scanDocument(p, p + n, true, !inputTrusted, !allLeaves && startsAsRawAudit(p, n) ? RAW_AUDIT_PLANS : ALL_PLANS)) {
    if (tooDeep) stats.countTooDeep();
    return -1;
  }
  decideShape();
  if (shape == SHAPE_AKS && shapeDoc == 1 && !copyAksMetadata()) return -1;
  if (!addPlanConstants()) return -1;
  if (!beginEsqlRecord(ruleCount) || !beginStatsRecord(ruleCount)) return -1;

  let lastTimeSlot: u32 = 0xfffffffe;
  let t: i64 = 0;
  for (let r: u32 = 0; r < ruleCount; r++) {
    const rule = rules + <usize>r * RULE_SIZE;
    const timeSlot = load<u32>(rule, 40);
    if (timeSlot != lastTimeSlot) {
      t = eventTime(timeSlot, hostTimeMs);
      lastTimeSlot = timeSlot;
      setEvalTarget(shapeDoc, shapePlan, t);
      if (!resetLeafCache()) return -1;
    }
    if (!evalExpr(load<u32>(rule))) continue;
    if (load<u32>(rule, 12) & RULE_FLAG_ESQL) {
      const passed = esqlOf(r, rule);
      if (passed < 0) return -1;
      if (passed == 0) continue;
    }
    stats.queryMatched(r);
    if (load<u32>(rule, 12) & RULE_FLAG_ESQL_STATS) {
      // Stateful like sequences: the learning period runs from the first event time a stateful rule saw.
      if (firstEventTime == i64.MIN_VALUE) firstEventTime = t;
      const learningMs = load<i64>(options, 8);
      const rows = statsOf(r, rule, t, learningMs > 0 && t < firstEventTime + learningMs);
      if (rows < 0) return -1;
      if (rows == 0) continue;
    }
    if (load<u32>(rule, 12) & RULE_FLAG_SEQUENCE) {
      // Stateful like new terms: the learning period runs from the first event time either saw.
      if (firstEventTime == i64.MIN_VALUE) firstEventTime = t;
      const learningMs = load<i64>(options, 8);
      const done = sequenceOf(r, rule, t, learningMs > 0 && t < firstEventTime + learningMs);
      if (done < 0) return -1;
      if (done == 0) continue;
    }
    if (load<u32>(rule, 12) & RULE_NEW_TERMS) {
      const found = newTermsOf(r, rule, t);
      if (found < 0) return -1;
      if (found == 0) continue;
    }
    if (!addMatched(r)) return -1;
  }
  return matchedCount > 0 ? 1 : 0;
}

const ALL_PLANS: u32 = 0xf;
/** A raw audit event is read through the ECS plan (its probes and time fields) and the raw plan only. */
const RAW_AUDIT_PLANS: u32 = (1 << Plan.Ecs) | (1 << Plan.Raw);
/** Fields the chosen plan defines as constants (event.dataset of an audit event, ...). */
function addPlanConstants(): bool {
  const plan = plans + <usize>shapePlan * PLAN_SIZE;
  const first = load<u32>(plan, 8);
  const count = load<u32>(plan, 12);
  selectDocument(shapeDoc);
  for (let i: u32 = 0; i < count; i++) {
    const c = consts + <usize>(first + i) * CONST_SIZE;
    if (!addValue(shapePlan, load<u32>(c), dataPtr + <usize>load<u32>(c, 4), load<u32>(c, 8), KIND_STR, 0)) return false;
  }
  selectDocument(0);
  return true;
}

function addMatched(r: u32): bool {
  if (!matched.ensure(<usize>(matchedCount + 1) * 4)) return false;
  store<u32>(matched.ptr + <usize>matchedCount * 4, r);
  matchedCount++;
  stats.alerted(r);
  return true;
}

@inline function termValueOk(slot: u32, v: u32): bool {
  if (valueKind(v) == KIND_INVALID) return false;
  const n = valueLen(v);
  return n <= MAX_TERM_UNITS || utf16Length(valuePtr(v), n) <= MAX_TERM_UNITS;
}

/**
 * New terms of rule r for this record: observes every combination of the term fields' values and
 * keeps those that are new. Returns how many are new and count toward an alert (0 while learning),
 * or -1 when memory is short.
 */
function newTermsOf(r: u32, rule: usize, t: i64): i32 {
  const table = tableOf(r);
  if (table === null) return 0;
  const fields = load<u32>(rule, 16);
  const windowMs = load<i64>(rule, 32);
  if (fields == 0) return 0;
  if (firstEventTime == i64.MIN_VALUE) firstEventTime = t;
  if (t > latestEventTime) latestEventTime = t;
  stateDirty = true;
  if (++sinceExpiry >= EXPIRY_EVERY) {
    sinceExpiry = 0;
    expireAll();
  }
  const learningMs = load<i64>(options, 8);
  const learning = learningMs > 0 && t < firstEventTime + learningMs;
  const s0 = load<u32>(rule, 20);
  const s1 = fields > 1 ? load<u32>(rule, 24) : 0;
  const s2 = fields > 2 ? load<u32>(rule, 28) : 0;
  if (slotVoided(s0) || (fields > 1 && slotVoided(s1)) || (fields > 2 && slotVoided(s2))) return 0;
  const f0 = firstValue(shapeDoc, shapePlan, s0);
  const f1 = fields > 1 ? firstValue(shapeDoc, shapePlan, s1) : NONE;
  const f2 = fields > 2 ? firstValue(shapeDoc, shapePlan, s2) : NONE;
  if (f0 == NONE || (fields > 1 && f1 == NONE) || (fields > 2 && f2 == NONE)) return 0;
  const start = comboLen;
  let found: i32 = 0;
  let combinations: u32 = 0;
  for (let a = f0; a != NONE; a = nextValue(a)) {
    if (!termValueOk(s0, a)) continue;
    const ha = hashCombine(0x6b716c2d65646765, hashBytes(valuePtr(a), valueLen(a), 0));
    let b = fields > 1 ? f1 : NONE;
    while (true) {
      if (fields > 1 && !termValueOk(s1, b)) {
        b = nextValue(b);
        if (b == NONE) break;
        continue;
      }
      const hb = fields > 1 ? hashCombine(ha, hashBytes(valuePtr(b), valueLen(b), 0)) : ha;
      let c = fields > 2 ? f2 : NONE;
      while (true) {
        if (fields > 2 && !termValueOk(s2, c)) {
          c = nextValue(c);
          if (c == NONE) break;
          continue;
        }
        const h = fields > 2 ? hashCombine(hb, hashBytes(valuePtr(c), valueLen(c), 0)) : hb;
        if (++combinations > MAX_COMBINATIONS) return finishCombinations(start, found);
        const isNew = table.observe(h, t, windowMs);
        if (isNew) noteLearnedTerm(r, h, t); // durable before the host sees the record (state/journal.ts)
        if (isNew && !learning) {
          if (!combos.ensure(<usize>(comboLen + 3) * 4)) return -1;
          store<u32>(combos.ptr + <usize>comboLen * 4, a);
          if (fields > 1) store<u32>(combos.ptr + <usize>(comboLen + 1) * 4, b);
          if (fields > 2) store<u32>(combos.ptr + <usize>(comboLen + 2) * 4, c);
          comboLen += fields;
          found++;
        }
        if (fields <= 2) break;
        c = nextValue(c);
        if (c == NONE) break;
      }
      if (fields <= 1) break;
      b = nextValue(b);
      if (b == NONE) break;
    }
  }
  return finishCombinations(start, found);
}

/** Drops terms whose window has passed (by the latest event time), so counts show live state. */
function expireAll(): void {
  for (let r: u32 = 0; r < ruleCount; r++) {
    const table = tableOf(r);
    if (table !== null) table.expire(latestEventTime, load<i64>(rules + <usize>r * RULE_SIZE, 32));
  }
}

/** Records where the new combinations of the rule about to be added to `matched` are. */
function finishCombinations(start: u32, found: i32): i32 {
  if (found > 0) {
    if (!newStart.ensure(<usize>(matchedCount + 1) * 4) || !newCount.ensure(<usize>(matchedCount + 1) * 4)) return -1;
    store<u32>(newStart.ptr + <usize>matchedCount * 4, start);
    store<u32>(newCount.ptr + <usize>matchedCount * 4, <u32>found);
  }
  return found;
}

/** Value id of field k of combination c of matched entry i. */
export function comboValue(i: u32, c: u32, k: u32, fields: u32): u32 {
  const start = load<u32>(newStart.ptr + <usize>i * 4);
  return load<u32>(combos.ptr + <usize>(start + c * fields + k) * 4);
}

export function comboCount(i: u32): u32 {
  return load<u32>(newCount.ptr + <usize>i * 4);
}
