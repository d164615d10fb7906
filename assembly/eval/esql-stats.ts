// ES|QL STATS … BY in the module (docs/semantics.md, "STATS … BY"): after a STATS rule's commands
// before STATS passed (its expression and pipeline), the record's values are read once per input,
// the record joins one group per combination of its BY values, each group's window state
// (state/windows.ts) takes the record's entry, and the group's row — the aggregates over the
// look-back window ending at the record — goes through the conditions after STATS. The first
// passing row of a burst alerts; the group is then quiet until its contributing events have left
// the window (t >= latest contributing time + L; the latest is the alerting record itself).
import { Region, ByteWriter, plainAsciiRun } from '../util/buffer';
import { dataPtr, rules, ruleCount, options } from '../program/program';
import { RULE_SIZE, RULE_FLAG_ESQL_STATS, SlotType } from '../program/format';
import { statsEntryOf, statsCode, statsWords, statsLookback } from '../program/stats-section';
import { firstValue, nextValue, valuePtr, valueLen, valueKind, NONE, KIND_STR, KIND_NUM, KIND_TRUE, KIND_FALSE } from './values';
import { evalDoc, evalPlan, slotVoided, indexed, numberOf, dateOf, slotType } from './predicates';
import { registerPtr, registerLen, registerType, registerI64 } from './esql';
import { writeIsoTime } from './sequence';
import { parseIp, compareIp } from '../values/ip';
import { parseNumber } from '../values/number';
import { hashBytes, hashCombine } from '../util/hash';
import { bytesCompare } from '../json/strings';
import { restoreWindowSection } from '../state/window-section';
import { WindowTable, WindowLayout, WinGroup, WinValue, ENTRY_HEADER, LATE_MS, FN_COUNT, FN_COUNT_DISTINCT, FN_VALUES, FN_SUM, FN_MIN, FN_MAX } from '../state/windows';

/** Value types (src/esql/stats.ts StatsValueType). */
const T_KEYWORD: u32 = 1;
const T_IP: u32 = 2;
const T_DATE: u32 = 7;
const T_TIMESTAMP: u32 = 8;
/** Input kinds. */
const IN_NONE: u32 = 0;
const IN_FIELD: u32 = 1;
const IN_REG: u32 = 2;
const IN_REGINT: u32 = 3;
const NO_NODE: u32 = 0xffffffff;
/** Groups one record may join (the product of its BY values); more are left out. */
export const MAX_GROUPS_PER_RECORD: u32 = 64;
/** Values read per input from one record (more are left out). */
const MAX_VALUES_PER_INPUT: u32 = 256;
/** Smallest share of the window budget a STATS rule gets. */
const MIN_RULE_BYTES: usize = 64 * 1024;

/** Per rule: its window table (null for other rules) and its sources. */
let tables: Array<WindowTable | null> = new Array<WindowTable | null>(0);
/** Per rule and source: input kind, slot/register, type (3 u32). */
let sourceSpecs: Array<StaticArray<u32> | null> = new Array<StaticArray<u32> | null>(0);
/** Per rule: BY column k's source. */
let bySources: Array<StaticArray<u32> | null> = new Array<StaticArray<u32> | null>(0);
/** Set when some window changed since the last snapshot. */
export let windowStateChanged = false;
export function windowsSaved(): void {
  windowStateChanged = false;
}

/** The latest event time a STATS rule saw (drives snapshots by event time). */
export let latestWindowTime: i64 = i64.MIN_VALUE;

/** Restores rule r's windows from a snapshot section: 1 used, 0 rule r has no windows, -1 damaged. */
export function restoreWindows(r: u32, payload: usize, length: usize): i32 {
  const table = windowTableOf(r);
  if (table === null) return 0;
  const result = restoreWindowSection(table, payload, length);
  if (table.latest > latestWindowTime) latestWindowTime = table.latest;
  return result;
}

export function windowTableOf(r: u32): WindowTable | null {
  return r < <u32>tables.length ? unchecked(tables[<i32>r]) : null;
}

@inline function cw(code: usize, k: u32): u32 {
  return load<u32>(code + <usize>k * 4);
}

/** The index of source (kind, a, type) in specs, added when new. */
function sourceOf(kind: u32, a: u32, type: u32, specs: Array<u32>): u32 {
  for (let s = 0; s < specs.length; s += 3) if (specs[s] == kind && specs[s + 1] == a && specs[s + 2] == type) return <u32>(s / 3);
  specs.push(kind);
  specs.push(a);
  specs.push(type);
  return <u32>(specs.length / 3 - 1);
}

/** Builds every STATS rule's layout and table (the budget split equally). */
export function setupStats(): void {
  for (let i = 0; i < tables.length; i++) {
    const old = unchecked(tables[i]);
    if (old !== null) old.dispose();
  }
  tables = new Array<WindowTable | null>(<i32>ruleCount);
  sourceSpecs = new Array<StaticArray<u32> | null>(<i32>ruleCount);
  bySources = new Array<StaticArray<u32> | null>(<i32>ruleCount);
  let statsRules: u32 = 0;
  for (let r: u32 = 0; r < ruleCount; r++) if (load<u32>(rules + <usize>r * RULE_SIZE, 12) & RULE_FLAG_ESQL_STATS) statsRules++;
  if (statsRules == 0) return;
  let share = <usize>load<u32>(options, 52) / <usize>statsRules;
  if (share < MIN_RULE_BYTES) share = MIN_RULE_BYTES;
  for (let r: u32 = 0; r < ruleCount; r++) {
    const rule = rules + <usize>r * RULE_SIZE;
    if (!(load<u32>(rule, 12) & RULE_FLAG_ESQL_STATS)) continue;
    const entry = statsEntryOf(load<u32>(rule, 76));
    if (entry == 0) continue;
    const code = statsCode(entry);
    const aggs = cw(code, 0);
    const nBy = cw(code, 1);
    // Sources: each distinct (kind, slot/register, type) read once per record.
    const specs = new Array<u32>();
    const layout = new WindowLayout();
    layout.aggs = aggs;
    layout.fn = new StaticArray<u32>(<i32>aggs);
    layout.src = new StaticArray<i32>(<i32>aggs);
    layout.off = new StaticArray<u32>(<i32>aggs);
    for (let k: u32 = 0; k < aggs; k++) {
      const a = 4 + k * 4;
      unchecked((layout.fn[<i32>k] = cw(code, a)));
      const kind = cw(code, a + 1);
      unchecked((layout.src[<i32>k] = kind == IN_NONE ? -1 : <i32>sourceOf(kind, cw(code, a + 2), cw(code, a + 3), specs)));
      const fn = cw(code, a);
      if (fn == FN_MIN || fn == FN_MAX) layout.hasMinMax = true;
    }
    const by = new StaticArray<u32>(<i32>nBy);
    for (let b: u32 = 0; b < nBy; b++) {
      const a = 4 + aggs * 4 + b * 3;
      unchecked((by[<i32>b] = sourceOf(cw(code, a), cw(code, a + 1), cw(code, a + 2), specs)));
    }
    const sources = <u32>(specs.length / 3);
    layout.sources = sources;
    layout.distinct = new StaticArray<bool>(<i32>sources);
    layout.srcOff = new StaticArray<u32>(<i32>sources);
    for (let k: u32 = 0; k < aggs; k++) {
      const fn = unchecked(layout.fn[<i32>k]);
      if (fn == FN_COUNT_DISTINCT || fn == FN_VALUES) unchecked((layout.distinct[unchecked(layout.src[<i32>k])] = true));
    }
    // Entry: header, fixed parts (COUNT(x) 4 bytes; SUM/MIN/MAX 12), per distinct source a u16 count, then u16 ids.
    let off: u32 = <u32>ENTRY_HEADER;
    for (let k: u32 = 0; k < aggs; k++) {
      const fn = unchecked(layout.fn[<i32>k]);
      unchecked((layout.off[<i32>k] = off));
      if (fn == FN_COUNT && unchecked(layout.src[<i32>k]) >= 0) off += 4;
      else if (fn == FN_SUM || fn == FN_MIN || fn == FN_MAX) off += 12;
    }
    for (let s: u32 = 0; s < sources; s++) {
      unchecked((layout.srcOff[<i32>s] = off));
      if (unchecked(layout.distinct[<i32>s])) off += 2;
    }
    layout.fixed = off;
    const spec = new StaticArray<u32>(<i32>(sources * 3));
    for (let i = 0; i < specs.length; i++) unchecked((spec[i] = specs[i]));
    unchecked((sourceSpecs[<i32>r] = spec));
    unchecked((bySources[<i32>r] = by));
    unchecked((tables[<i32>r] = new WindowTable(layout, statsLookback(entry), share)));
  }
  windowStateChanged = false;
  latestWindowTime = i64.MIN_VALUE;
}

// ---- the record's values, per source

/**
 * Per value read: u64 hash, f64 num, u32 key (a pointer into the record or the pipeline's registers;
 * for an ip, an offset into `ipKeys`), u32 key length, u32 kind (V_*), u32 unused. The JSON form is
 * written only when a group or a distinct value is new (renderJson).
 */
const VAL_SIZE: usize = 32;
const V_KEYWORD: u32 = 1;
const V_IP: u32 = 2;
const V_NUMBER: u32 = 3;
const V_DATE: u32 = 4;
const vals = new Region();
let valCount: u32 = 0;
/** 16-byte addresses of the ip values read (offsets: the region may move while a record is read). */
const ipKeys = new Region();
let ipKeyLen: usize = 0;
/** Per source: first value index, count. */
const srcAt = new Region();
const TRUE_TEXT = memory.data<u8>([0x74, 0x72, 0x75, 0x65]);
const FALSE_TEXT = memory.data<u8>([0x66, 0x61, 0x6c, 0x73, 0x65]);
/** The JSON of one value (renderJson). */
const jsonTmp = new ByteWriter();

@inline function valRec(i: u32): usize {
  return vals.ptr + <usize>i * VAL_SIZE;
}
@inline function vHash(i: u32): u64 {
  return load<u64>(valRec(i));
}
@inline function vNum(i: u32): f64 {
  return load<f64>(valRec(i), 8);
}
@inline function vKind(i: u32): u32 {
  return load<u32>(valRec(i), 24);
}
@inline function vKey(i: u32): usize {
  const k = <usize>load<u32>(valRec(i), 16);
  return vKind(i) == V_IP ? ipKeys.ptr + k : k;
}
@inline function vKeyLen(i: u32): usize {
  return <usize>load<u32>(valRec(i), 20);
}

function pushVal(hash: u64, num: f64, key: usize, keyLen: usize, kind: u32): bool {
  if (!vals.ensure(<usize>(valCount + 1) * VAL_SIZE)) return false;
  const p = valRec(valCount);
  store<u64>(p, hash);
  store<f64>(p, num, 8);
  store<u32>(p, <u32>key, 16);
  store<u32>(p, <u32>keyLen, 20);
  store<u32>(p, kind, 24);
  valCount++;
  return true;
}

/** The JSON of value i into jsonTmp (reset first); false when memory is short. */
function renderJson(i: u32): bool {
  jsonTmp.reset();
  const kind = vKind(i);
  if (kind == V_KEYWORD) {
    const p = vKey(i);
    const n = vKeyLen(i);
    jsonTmp.byte(0x22);
    jsonTmp.jsonStringContent(p, n); // plain ASCII runs are copied whole
    jsonTmp.byte(0x22);
  } else if (kind == V_IP) {
    jsonTmp.byte(0x22);
    writeIp(jsonTmp, vKey(i));
    jsonTmp.byte(0x22);
  } else if (kind == V_DATE) {
    jsonTmp.byte(0x22);
    writeIsoTime(jsonTmp, <i64>vNum(i));
    jsonTmp.byte(0x22);
  } else writeInteger(jsonTmp, <i64>vNum(i));
  return !jsonTmp.failed;
}

/** Is [p, p+n) printable ASCII without `"` or `\`, so that its JSON string is these bytes between quotes? */
export function plainAscii(p: usize, n: usize): bool {
  return plainAsciiRun(p, n) == n;
}

/** A keyword value [p, p+n) (deduplicated within the input, as doc values are). */
function pushKeyword(first: u32, p: usize, n: usize): bool {
  const h = hashBytes(p, n, 0x6b77);
  for (let i = first; i < valCount; i++) if (vHash(i) == h && vKeyLen(i) == n && bytesCompare(vKey(i), n, p, n) == 0) return true;
  return pushVal(h, 0, p, n, V_KEYWORD);
}

/** A number (whole for the integer types) or a date (ms). */
function pushNumber(x: f64, isDate: bool): bool {
  return pushVal(hashCombine(0x6e756d, reinterpret<u64>(x)), x, 0, 0, isDate ? V_DATE : V_NUMBER);
}

export function writeInteger(w: ByteWriter, x: i64): void {
  if (x < 0) {
    w.byte(0x2d);
    w.uint(<u64>(-x));
  } else w.uint(<u64>x);
}

/** An IPv4 or IPv6 address (16 bytes at b) as ES|QL prints it. */
function writeIp(w: ByteWriter, b: usize): void {
  let mapped = load<u8>(b + 10) == 0xff && load<u8>(b + 11) == 0xff;
  for (let i: usize = 0; i < 10 && mapped; i++) if (load<u8>(b + i) != 0) mapped = false;
  if (mapped) {
    for (let i: usize = 12; i < 16; i++) {
      if (i > 12) w.byte(0x2e);
      w.uint(<u64>load<u8>(b + i));
    }
    return;
  }
  // The longest run (first if tied) of two or more zero words becomes `::`.
  let bestStart: i32 = -1;
  let bestLen: i32 = 0;
  let i: i32 = 0;
  while (i < 8) {
    if (word(b, i) != 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && word(b, j) == 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  for (let k: i32 = 0; k < 8; k++) {
    if (k == bestStart) {
      w.ascii('::');
      k += bestLen - 1;
      continue;
    }
    if (k > 0 && k != bestStart + bestLen) w.byte(0x3a);
    writeHex(w, word(b, k));
  }
}

@inline function word(b: usize, i: i32): u32 {
  return (<u32>load<u8>(b + <usize>i * 2) << 8) | <u32>load<u8>(b + <usize>i * 2 + 1);
}

function writeHex(w: ByteWriter, v: u32): void {
  let started = false;
  for (let shift: i32 = 12; shift >= 0; shift -= 4) {
    const d = (v >> <u32>shift) & 0xf;
    if (d == 0 && !started && shift > 0) continue;
    started = true;
    w.byte(<u8>(d < 10 ? 0x30 + d : 0x57 + d));
  }
}

/** Reads source s of rule r from the record; its values go to [srcStart, valCount). */
function readSource(kind: u32, a: u32, type: u32, t: i64): bool {
  const first = valCount;
  if (kind == IN_REG || kind == IN_REGINT) {
    const n = registerLen(a);
    if (n < 0) return true;
    // A column computed before STATS: a string, or an integer or a date (LOCATE, DATE_TRUNC, ...).
    const rt = registerType(a);
    if (rt == 1 || rt == 2) return pushNumber(<f64>registerI64(a), rt == 2);
    if (kind == IN_REG) return pushKeyword(first, registerPtr(a), <usize>n);
    const x = parseNumber(registerPtr(a), <usize>n);
    return isNaN(x) ? true : pushNumber(Math.trunc(x), false);
  }
  const slot = a;
  if (!slotVoided(slot)) {
    const st = slotType(slot);
    let read: u32 = 0;
    for (let v = firstValue(evalDoc, evalPlan, slot); v != NONE && read < MAX_VALUES_PER_INPUT; v = nextValue(v)) {
      if (!indexed(slot, st, v)) continue;
      read++;
      if (type == T_KEYWORD) {
        const k = valueKind(v);
        if (k == KIND_STR || k == KIND_NUM) {
          if (!pushKeyword(first, valuePtr(v), <usize>valueLen(v))) return false;
        } else if (k == KIND_TRUE || k == KIND_FALSE) {
          if (!pushKeyword(first, k == KIND_TRUE ? TRUE_TEXT : FALSE_TEXT, k == KIND_TRUE ? 4 : 5)) return false;
        }
      } else if (type == T_IP) {
        if (valueKind(v) != KIND_STR || !ipKeys.ensure(ipKeyLen + 16)) continue;
        const key = ipKeys.ptr + ipKeyLen;
        if (!parseIp(valuePtr(v), valueLen(v), key)) continue;
        const h = hashBytes(key, 16, 0x6970);
        let seen = false;
        for (let i = first; i < valCount; i++) if (vHash(i) == h && compareIp(vKey(i), key) == 0) seen = true;
        if (seen) continue;
        if (!pushVal(h, 0, ipKeyLen, 16, V_IP)) return false;
        ipKeyLen += 16;
      } else if (type == T_DATE || type == T_TIMESTAMP) {
        const d = dateOf(v);
        if (!pushNumber(<f64>d, true)) return false;
      } else {
        const x = numberOf(slot, v);
        if (!pushNumber(x, false)) return false;
      }
    }
  }
  if (type == T_TIMESTAMP && valCount == first) return pushNumber(<f64>t, true);
  sortValues(first, valCount, type);
  return true;
}

/** ES|QL's order of one field's values: keyword by UTF-8 bytes, ip by address, numbers and dates ascending. */
function compareVals(a: u32, b: u32, type: u32): i32 {
  if (type == T_KEYWORD) return bytesCompare(vKey(a), vKeyLen(a), vKey(b), vKeyLen(b));
  if (type == T_IP) return compareIp(vKey(a), vKey(b));
  const x = vNum(a);
  const y = vNum(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

const swapTmp = new Region();
function sortValues(from: u32, to: u32, type: u32): void {
  if (to - from < 2 || !swapTmp.ensure(VAL_SIZE)) return;
  for (let i = from + 1; i < to; i++) {
    let j = i;
    while (j > from && compareVals(j - 1, j, type) > 0) {
      memory.copy(swapTmp.ptr, valRec(j), VAL_SIZE);
      memory.copy(valRec(j), valRec(j - 1), VAL_SIZE);
      memory.copy(valRec(j - 1), swapTmp.ptr, VAL_SIZE);
      j--;
    }
  }
}

@inline function srcFirst(s: u32): u32 {
  return load<u32>(srcAt.ptr + <usize>s * 8);
}
@inline function srcCount(s: u32): u32 {
  return load<u32>(srcAt.ptr + <usize>s * 8, 4);
}

// ---- one record

const entry = new Region();
const byKey = new ByteWriter();
const combo = new Region(); // per BY column: the value index chosen (NONE: null)
/** The groups of this record that alert, in order (their rows rendered in `rows`). */
export const rows = new ByteWriter();
const rowAt = new Region(); // per rule: u32 start, u32 len, u32 rows, u32 capped start, u32 capped len
const ROW_AT: usize = 20;
/** Names of capped columns (JSON strings, comma-separated) per rule. */
const cappedOut = new ByteWriter();
let cappedStart: usize = 0;
let rowRules: u32 = 0;

export function beginStatsRecord(ruleCount: u32): bool {
  rows.reset();
  cappedOut.reset();
  if (!rowAt.ensure(<usize>ruleCount * ROW_AT + ROW_AT)) return false;
  rowRules = ruleCount;
  return true;
}

/**
 * Rule r (a STATS rule whose commands before STATS passed) at event time t: 1 when some group's
 * row alerts (rendered for writeStatsEsql), 0 otherwise, -1 when memory is short. While
 * `learning`, groups are tracked but do not alert.
 */
export function statsOf(r: u32, rule: usize, t: i64, learning: bool): i32 {
  const table = windowTableOf(r);
  if (table === null || r >= rowRules) return 0;
  const spec = unchecked(sourceSpecs[<i32>r])!;
  const by = unchecked(bySources[<i32>r])!;
  const L = table.layout;
  const code = statsCode(statsEntryOf(load<u32>(rule, 76)));
  windowStateChanged = true;
  if (t > table.latest) table.latest = t;
  if (t > latestWindowTime) latestWindowTime = t;
  table.expireOldest(table.latest);
  // Read every source once.
  valCount = 0;
  ipKeyLen = 0;
  if (!srcAt.ensure(<usize>L.sources * 8 + 8)) return -1;
  for (let s: u32 = 0; s < L.sources; s++) {
    const first = valCount;
    if (!readSource(unchecked(spec[<i32>(s * 3)]), unchecked(spec[<i32>(s * 3 + 1)]), unchecked(spec[<i32>(s * 3 + 2)]), t)) return -1;
    store<u32>(srcAt.ptr + <usize>s * 8, first);
    store<u32>(srcAt.ptr + <usize>s * 8 + 4, valCount - first);
  }
  // The entry's fixed part is the same for every group.
  if (!entry.ensure(<usize>L.fixed + <usize>valCount * 2 + 16)) return -1;
  memory.fill(entry.ptr, 0, <usize>L.fixed);
  store<i64>(entry.ptr, t);
  for (let k: u32 = 0; k < L.aggs; k++) {
    const fn = unchecked(L.fn[<i32>k]);
    const s = unchecked(L.src[<i32>k]);
    const p = entry.ptr + <usize>unchecked(L.off[<i32>k]);
    if (fn == FN_COUNT && s >= 0) store<u32>(p, srcCount(<u32>s));
    else if (fn == FN_SUM || fn == FN_MIN || fn == FN_MAX) {
      const first = srcFirst(<u32>s);
      const n = srcCount(<u32>s);
      store<u32>(p, n);
      if (fn == FN_SUM) {
        let sum: i64 = 0;
        for (let i: u32 = 0; i < n; i++) sum += <i64>vNum(first + i);
        store<i64>(p, sum, 4);
      } else if (n > 0) store<f64>(p, vNum(fn == FN_MIN ? first : first + n - 1), 4); // values are sorted
    }
  }
  // Each combination of BY values is a group.
  const nBy = <u32>by.length;
  if (!combo.ensure(<usize>nBy * 4 + 4)) return -1;
  let total: u32 = 1;
  for (let b: u32 = 0; b < nBy; b++) {
    const c = srcCount(unchecked(by[<i32>b]));
    total *= c == 0 ? 1 : c;
    if (total > MAX_GROUPS_PER_RECORD) {
      total = MAX_GROUPS_PER_RECORD;
      break;
    }
  }
  const start = rows.len;
  cappedStart = cappedOut.len;
  condLayout = L;
  currentRule = r;
  let alerts: u32 = 0;
  for (let i: u32 = 0; i < total; i++) {
    // Mixed-radix digits of i, last BY column fastest (the cartesian order ES|QL's expansion gives).
    let rest = i;
    for (let b = <i32>nBy - 1; b >= 0; b--) {
      const c = srcCount(unchecked(by[b]));
      if (c == 0) store<u32>(combo.ptr + <usize>b * 4, NONE);
      else {
        store<u32>(combo.ptr + <usize>b * 4, srcFirst(unchecked(by[b])) + rest % c);
        rest /= c;
      }
    }
    const g = groupFor(table, nBy);
    if (g === null) return -1;
    table.touch(g);
    if (!addEntry(table, g, t)) return -1;
    table.enforce(g, table.latest);
    // In order: the running aggregates are the row. A little late: they are moved to the record's
    // window and back. Older than anything held: the record alone is its window's row.
    const late = t < g.newest;
    const tooLate = late && t <= g.newest - table.lookback - LATE_MS;
    if (late && !tooLate) table.adjust(g, t, entryLen);
    computeRow(table, g, t, late, tooLate);
    if (cond(code, cw(code, 3), L.aggs, g, t) == 1 && t >= g.quietUntil && !learning) {
      g.quietUntil = t + table.lookback;
      if (alerts > 0) rows.byte(0x2c);
      renderRow(code, table, g, t);
      alerts++;
    }
    if (late && !tooLate) table.unadjust(g);
    if (tooLate) table.dropFront(g);
  }
  if (rows.failed || cappedOut.failed) return -1;
  const ra = rowAt.ptr + <usize>r * ROW_AT;
  store<u32>(ra, <u32>start);
  store<u32>(ra, <u32>(rows.len - start), 4);
  store<u32>(ra, alerts, 8);
  store<u32>(ra, <u32>cappedStart, 12);
  store<u32>(ra, <u32>(cappedOut.len - cappedStart), 16);
  return alerts > 0 ? 1 : 0;
}

/** The group of the current combination (created when new, with its BY values as JSON). */
function groupFor(table: WindowTable, nBy: u32): WinGroup | null {
  let h: u64 = 0x6b716c2d73746174;
  for (let b: u32 = 0; b < nBy; b++) {
    const v = load<u32>(combo.ptr + <usize>b * 4);
    h = hashCombine(h, v == NONE ? 0x6e756c6c : vHash(v));
  }
  const found = table.find(h);
  if (found !== null) return found;
  byKey.reset();
  for (let b: u32 = 0; b < nBy; b++) {
    const v = load<u32>(combo.ptr + <usize>b * 4);
    const at = byKey.len;
    if (!byKey.reserve(4)) return null;
    byKey.len += 4;
    if (v == NONE) byKey.ascii('null');
    else {
      if (!renderJson(v)) return null;
      byKey.bytes(jsonTmp.region.ptr, jsonTmp.len);
    }
    if (byKey.failed) return null;
    store<u32>(byKey.region.ptr + at, <u32>(byKey.len - at - 4));
  }
  return table.create(h, byKey.region.ptr, byKey.len);
}

let entryLen: usize = 0;

/** The record's entry in group g: the fixed part, then the ids of its distinct values in g. */
function addEntry(table: WindowTable, g: WinGroup, t: i64): bool {
  const L = table.layout;
  table.arrive(g, t);
  let ids = entry.ptr + <usize>L.fixed;
  for (let s: u32 = 0; s < L.sources; s++) {
    if (!unchecked(L.distinct[<i32>s])) continue;
    const first = srcFirst(s);
    const n = srcCount(s);
    let stored: u32 = 0;
    for (let i: u32 = 0; i < n; i++) {
      const v = first + i;
      const id = table.valueId(g, s, vHash(v), vNum(v), vKey(v), vKeyLen(v), v, t);
      if (id == -2) return false;
      if (id < 0) continue;
      store<u16>(ids, <u16>id);
      ids += 2;
      stored++;
    }
    store<u16>(entry.ptr + <usize>unchecked(L.srcOff[<i32>s]), <u16>stored);
  }
  let len = ids - entry.ptr;
  len = (len + 7) & ~<usize>7;
  store<u32>(entry.ptr, <u32>len, 8);
  entryLen = len;
  return table.insert(g, entry.ptr, len);
}

// ---- the group's row

const rowN = new Region(); // per aggregate: i64 n, i64 sum, f64 min, f64 max
const rowDistinct = new Region(); // per source: u32
let rowCount: i64 = 0;
/** Row membership of values: in the running window (inWin > 0) or marked by a scan (mark == gen). */
let rowByScan = false;
let rowGen: u32 = 0;

@inline function rowSlot(k: u32): usize {
  return rowN.ptr + <usize>k * 32;
}

@inline function inRow(v: WinValue): bool {
  return rowByScan ? v.mark == rowGen : v.inWin > 0;
}

function computeRow(table: WindowTable, g: WinGroup, t: i64, late: bool, tooLate: bool): void {
  const L = table.layout;
  if (!rowN.ensure(<usize>L.aggs * 32 + 32) || !rowDistinct.ensure(<usize>L.sources * 4 + 4)) return;
  rowByScan = tooLate;
  if (!tooLate) {
    rowCount = g.count;
    for (let k: u32 = 0; k < L.aggs; k++) {
      store<i64>(rowSlot(k), unchecked(g.n[<i32>k]));
      store<i64>(rowSlot(k), unchecked(g.sum[<i32>k]), 8);
    }
    for (let s: u32 = 0; s < L.sources; s++) store<u32>(rowDistinct.ptr + <usize>s * 4, unchecked(g.distinct[<i32>s]));
    if (L.hasMinMax) {
      if (late) scan(table, g, g.adjP0, g.insertedAt + entryLen, i64.MIN_VALUE, false);
      else scan(table, g, g.win, g.end, i64.MIN_VALUE, false);
    }
    return;
  }
  // Older than the window's reach: its row is its own values.
  table.gen++;
  rowGen = table.gen;
  scan(table, g, g.insertedAt, g.insertedAt + entryLen, t - table.lookback, true);
}

/** Aggregates entries [from, to) with time in (lo, t] (all when not `full`; MIN/MAX only when not `full`). */
function scan(table: WindowTable, g: WinGroup, from: usize, to: usize, lo: i64, full: bool): void {
  const L = table.layout;
  const hi = full ? load<i64>(entry.ptr) : i64.MAX_VALUE;
  if (full) {
    rowCount = 0;
    for (let s: u32 = 0; s < L.sources; s++) store<u32>(rowDistinct.ptr + <usize>s * 4, 0);
    for (let k: u32 = 0; k < L.aggs; k++) {
      store<i64>(rowSlot(k), 0);
      store<i64>(rowSlot(k), 0, 8);
    }
  }
  for (let k: u32 = 0; k < L.aggs; k++) {
    store<f64>(rowSlot(k), Infinity, 16);
    store<f64>(rowSlot(k), -Infinity, 24);
  }
  for (let at = from; at < to; at += g.lenAt(at)) {
    const time = g.timeAt(at);
    if (time <= lo || time > hi) continue;
    const p = g.mem + at;
    if (full) rowCount++;
    for (let k: u32 = 0; k < L.aggs; k++) {
      const fn = unchecked(L.fn[<i32>k]);
      const q = p + <usize>unchecked(L.off[<i32>k]);
      if (fn == FN_MIN || fn == FN_MAX) {
        const n = load<u32>(q);
        if (n == 0) continue;
        const x = load<f64>(q, 4);
        if (full) store<i64>(rowSlot(k), load<i64>(rowSlot(k)) + 1);
        if (x < load<f64>(rowSlot(k), 16)) store<f64>(rowSlot(k), x, 16);
        if (x > load<f64>(rowSlot(k), 24)) store<f64>(rowSlot(k), x, 24);
      } else if (!full) continue;
      else if (fn == FN_COUNT && unchecked(L.src[<i32>k]) >= 0) store<i64>(rowSlot(k), load<i64>(rowSlot(k)) + <i64>load<u32>(q));
      else if (fn == FN_SUM) {
        store<i64>(rowSlot(k), load<i64>(rowSlot(k)) + <i64>load<u32>(q));
        store<i64>(rowSlot(k), load<i64>(rowSlot(k), 8) + load<i64>(q, 4), 8);
      }
    }
    if (!full) continue;
    let ids = p + <usize>L.fixed;
    for (let s: u32 = 0; s < L.sources; s++) {
      if (!unchecked(L.distinct[<i32>s])) continue;
      const count = <u32>load<u16>(p + <usize>unchecked(L.srcOff[<i32>s]));
      for (let i: u32 = 0; i < count; i++) {
        const v = g.value(<u32>load<u16>(ids));
        ids += 2;
        if (v.mark != rowGen) {
          v.mark = rowGen;
          store<u32>(rowDistinct.ptr + <usize>s * 4, load<u32>(rowDistinct.ptr + <usize>s * 4) + 1);
        }
      }
    }
  }
  // MIN/MAX: n counted by the scan (over the running window too).
  if (!full) {
    for (let k: u32 = 0; k < L.aggs; k++) {
      const fn = unchecked(L.fn[<i32>k]);
      if (fn == FN_MIN || fn == FN_MAX) store<i64>(rowSlot(k), load<f64>(rowSlot(k), 16) <= load<f64>(rowSlot(k), 24) ? 1 : 0);
    }
  }
}

/** Column col's number (NaN: null). Aggregates only (conditions on BY columns are IS NULL). */
function columnNumber(L: WindowLayout, col: u32): f64 {
  const fn = unchecked(L.fn[<i32>col]);
  const s = unchecked(L.src[<i32>col]);
  if (fn == FN_COUNT) return s < 0 ? <f64>rowCount : <f64>load<i64>(rowSlot(col));
  if (fn == FN_COUNT_DISTINCT) return <f64>load<u32>(rowDistinct.ptr + <usize>s * 4);
  const n = load<i64>(rowSlot(col));
  if (n == 0) return NaN;
  if (fn == FN_SUM) return <f64>load<i64>(rowSlot(col), 8);
  if (fn == FN_MIN) return load<f64>(rowSlot(col), 16);
  if (fn == FN_MAX) return load<f64>(rowSlot(col), 24);
  return NaN;
}

function columnIsNull(L: WindowLayout, g: WinGroup, col: u32): bool {
  if (col >= L.aggs) return byValueIsNull(g, col - L.aggs);
  const fn = unchecked(L.fn[<i32>col]);
  if (fn == FN_VALUES) {
    const s = <u32>unchecked(L.src[<i32>col]);
    for (let i: u32 = 0; i < g.slotCount; i++) {
      const v = g.valueAt(i);
      if (v !== null && v.src == s && inRow(v)) return false;
    }
    return true;
  }
  return isNaN(columnNumber(L, col));
}

/** [ptr, len) of BY value k of g (JSON). */
let byPtr: usize = 0;
let byLen: usize = 0;
function byValue(g: WinGroup, k: u32): void {
  let p = g.by;
  for (let i: u32 = 0; i < k; i++) p += 4 + <usize>load<u32>(p);
  byLen = <usize>load<u32>(p);
  byPtr = p + 4;
}

function byValueIsNull(g: WinGroup, k: u32): bool {
  byValue(g, k);
  return byLen == 4 && load<u32>(byPtr) == 0x6c6c756e; // "null"
}

@inline function compareOp(op: u32, x: f64, y: f64): bool {
  if (op == 0) return x == y;
  if (op == 1) return x != y;
  if (op == 2) return x < y;
  if (op == 3) return x <= y;
  if (op == 4) return x > y;
  return x >= y;
}

/** Three-valued: 1 true, 0 false, 2 null. */
function cond(code: usize, node: u32, aggs: u32, g: WinGroup, t: i64): u32 {
  if (node == NO_NODE) return 1;
  const kind = cw(code, node);
  if (kind == 1 || kind == 2) {
    const col = cw(code, node + 1);
    const x = columnNumberOf(col);
    if (isNaN(x)) return 2;
    const y = kind == 1 ? load<f64>(code + <usize>(node + 3) * 4) : <f64>(t + load<i64>(code + <usize>(node + 3) * 4));
    return compareOp(cw(code, node + 2), x, y) ? 1 : 0;
  }
  if (kind == 3) return (columnIsNullOf(g, cw(code, node + 1)) != (cw(code, node + 2) != 0)) ? 1 : 0;
  if (kind == 4) {
    const a = cond(code, cw(code, node + 1), aggs, g, t);
    if (a == 0) return 0;
    const b = cond(code, cw(code, node + 2), aggs, g, t);
    if (b == 0) return 0;
    return a == 1 && b == 1 ? 1 : 2;
  }
  if (kind == 5) {
    const a = cond(code, cw(code, node + 1), aggs, g, t);
    if (a == 1) return 1;
    const b = cond(code, cw(code, node + 2), aggs, g, t);
    if (b == 1) return 1;
    return a == 0 && b == 0 ? 0 : 2;
  }
  if (kind == 6) {
    const a = cond(code, cw(code, node + 1), aggs, g, t);
    return a == 2 ? 2 : 1 - a;
  }
  return cw(code, node + 1);
}

/** The layout of the rule being evaluated (set by statsOf through condLayout). */
let condLayout: WindowLayout = new WindowLayout();
function columnNumberOf(col: u32): f64 {
  return columnNumber(condLayout, col);
}
function columnIsNullOf(g: WinGroup, col: u32): bool {
  return columnIsNull(condLayout, g, col);
}


// ---- rendering

const sorted = new Array<WinValue>();

function compareWin(a: WinValue, b: WinValue, type: u32): i32 {
  // Numbers and dates (also in a computed column) have no key bytes.
  if (a.keyLen == 0 && b.keyLen == 0) return a.num < b.num ? -1 : a.num > b.num ? 1 : 0;
  if (type == T_KEYWORD) return bytesCompare(a.key, <usize>a.keyLen, b.key, <usize>b.keyLen);
  if (type == T_IP) return compareIp(a.key, b.key);
  return a.num < b.num ? -1 : a.num > b.num ? 1 : 0;
}

function renderRow(code: usize, table: WindowTable, g: WinGroup, t: i64): void {
  const L = table.layout;
  const aggs = cw(code, 0);
  const nBy = cw(code, 1);
  const nOut = cw(code, 2);
  rows.byte(0x7b);
  for (let o: u32 = 0; o < nOut; o++) {
    const at = 4 + aggs * 4 + nBy * 3 + o * 3;
    if (o > 0) rows.byte(0x2c);
    rows.bytes(dataPtr + <usize>cw(code, at), <usize>cw(code, at + 1));
    rows.byte(0x3a);
    const col = cw(code, at + 2);
    if (col >= aggs) {
      byValue(g, col - aggs);
      rows.bytes(byPtr, byLen);
      continue;
    }
    const fn = unchecked(L.fn[<i32>col]);
    const s = unchecked(L.src[<i32>col]);
    if (fn == FN_VALUES) {
      sorted.length = 0;
      for (let i: u32 = 0; i < g.slotCount; i++) {
        const v = g.valueAt(i);
        if (v !== null && v.src == <u32>s && inRow(v)) sorted.push(v);
      }
      const type = sourceType(table, <u32>s);
      for (let i = 1; i < sorted.length; i++) {
        let j = i;
        while (j > 0 && compareWin(unchecked(sorted[j - 1]), unchecked(sorted[j]), type) > 0) {
          const tmp = unchecked(sorted[j]);
          unchecked((sorted[j] = sorted[j - 1]));
          unchecked((sorted[j - 1] = tmp));
          j--;
        }
      }
      if (sorted.length == 0) rows.ascii('null');
      else {
        if (sorted.length > 1) rows.byte(0x5b);
        for (let i = 0; i < sorted.length; i++) {
          if (i > 0) rows.byte(0x2c);
          const v = unchecked(sorted[i]);
          rows.bytes(v.json, <usize>v.jsonLen);
        }
        if (sorted.length > 1) rows.byte(0x5d);
      }
      continue;
    }
    const x = columnNumber(L, col);
    if (isNaN(x)) rows.ascii('null');
    else if ((fn == FN_MIN || fn == FN_MAX) && isDateSource(table, <u32>s)) {
      rows.byte(0x22);
      writeIsoTime(rows, <i64>x);
      rows.byte(0x22);
    } else writeInteger(rows, <i64>x);
  }
  rows.byte(0x7d);
  // COUNT_DISTINCT / VALUES columns whose input hit the cap in this window: listed once per alert.
  for (let o: u32 = 0; o < nOut; o++) {
    const at = 4 + aggs * 4 + nBy * 3 + o * 3;
    const col = cw(code, at + 2);
    if (col >= aggs) continue;
    const fn = unchecked(L.fn[<i32>col]);
    if (fn != FN_VALUES && fn != FN_COUNT_DISTINCT) continue;
    if (unchecked(g.cappedUntil[unchecked(L.src[<i32>col])]) <= t) continue;
    if (cappedOut.len > cappedStart) cappedOut.byte(0x2c);
    cappedOut.bytes(dataPtr + <usize>cw(code, at), <usize>cw(code, at + 1));
  }
}

let currentRule: u32 = 0;
function sourceType(table: WindowTable, s: u32): u32 {
  const spec = unchecked(sourceSpecs[<i32>currentRule])!;
  // A string column computed before STATS orders as a keyword.
  if (unchecked(spec[<i32>(s * 3)]) == IN_REG) return T_KEYWORD;
  return unchecked(spec[<i32>(s * 3 + 2)]);
}
function isDateSource(table: WindowTable, s: u32): bool {
  const t = sourceType(table, s);
  return t == T_DATE || t == T_TIMESTAMP;
}

/**
 * Writes rule r's alert rows: `,"esql":{first row}`; when several groups alerted, also
 * `,"esql_rows":[every row]`; when a COUNT_DISTINCT or VALUES column hit its cap,
 * `,"esql_capped":[its names]`.
 */
export function writeStatsEsql(out: ByteWriter, r: u32): void {
  if (r >= rowRules) return;
  const ra = rowAt.ptr + <usize>r * ROW_AT;
  const start = rows.region.ptr + <usize>load<u32>(ra);
  const len = <usize>load<u32>(ra, 4);
  const count = load<u32>(ra, 8);
  if (count == 0) return;
  out.ascii(',"esql":');
  out.bytes(start, firstRowLength(start, len));
  if (count > 1) {
    out.ascii(',"esql_rows":[');
    out.bytes(start, len);
    out.byte(0x5d);
  }
  const cn = <usize>load<u32>(ra, 16);
  if (cn > 0) {
    out.ascii(',"esql_capped":[');
    out.bytes(cappedOut.region.ptr + <usize>load<u32>(ra, 12), cn);
    out.byte(0x5d);
  }
}

/** Length of the first `{...}` object in [p, p+n) (rows are JSON objects; strings may hold braces). */
function firstRowLength(p: usize, n: usize): usize {
  let depth = 0;
  let inString = false;
  for (let i: usize = 0; i < n; i++) {
    const c = load<u8>(p + i);
    if (inString) {
      if (c == 0x5c) i++;
      else if (c == 0x22) inString = false;
      continue;
    }
    if (c == 0x22) inString = true;
    else if (c == 0x7b) depth++;
    else if (c == 0x7d && --depth == 0) return i + 1;
  }
  return n;
}

/** Is the record's value i a keyword whose JSON is its bytes between quotes (no rendering needed)? */
export function plainKeyword(i: u32): bool {
  return vKind(i) == V_KEYWORD && plainAscii(vKey(i), vKeyLen(i));
}

/** The JSON of the record's value i (for a new distinct value: state/windows.ts keeps it). */
export function renderValue(i: u32): bool {
  return renderJson(i);
}
export function renderedPtr(): usize {
  return jsonTmp.region.ptr;
}
export function renderedLength(): usize {
  return jsonTmp.len;
}
