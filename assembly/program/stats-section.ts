// ES|QL STATS windows of a program (section 27, docs/program-format.md): per STATS rule its
// pipeline index, its code (u32 words in the data blob) and its look-back. Checked in full when
// the program loads, so the window engine reads the code without bounds checks.
import { dataPtr, dataLen, rules, ruleCount, slotCount } from './program';
import { RULE_SIZE, RULE_FLAG_ESQL, RULE_FLAG_ESQL_STATS, ESQL_STATS_SIZE, ESQL_PIPE_SIZE, Section } from './format';
import { esqlPipes, esqlPipeCount } from './esql-sections';
import { validKey, ERR_JSON_PIECE } from './json-pieces';

let statsTable: usize = 0;
let statsCount: u32 = 0;

export function resetStatsSection(): void {
  statsTable = 0;
  statsCount = 0;
}

/** Records section 27; 0 when `id` is another section, 7 for a torn table, else 1. */
export function setStatsSection(id: u32, p: usize, n: u32): i32 {
  if (id != Section.EsqlStats) return 0;
  if (n % ESQL_STATS_SIZE) return 7;
  statsTable = p;
  statsCount = n / ESQL_STATS_SIZE;
  return 1;
}

/** The window entry of pipeline `pipe` (0: none). */
export function statsEntryOf(pipe: u32): usize {
  for (let i: u32 = 0; i < statsCount; i++) {
    const e = statsTable + <usize>i * ESQL_STATS_SIZE;
    if (load<u32>(e) == pipe) return e;
  }
  return 0;
}

@inline export function statsCode(entry: usize): usize {
  return dataPtr + <usize>load<u32>(entry, 4);
}
@inline export function statsWords(entry: usize): u32 {
  return load<u32>(entry, 8);
}
@inline export function statsLookback(entry: usize): i64 {
  return load<i64>(entry, 16);
}

const ERR: i32 = 43;
let vcode: usize = 0;
let vregs: u32 = 0;
@inline function w(k: u32): u32 {
  return load<u32>(vcode + <usize>k * 4);
}
function inputOk(kind: u32, a: u32, type: u32): bool {
  if (kind == 0) return true;
  if (kind == 1) return a < slotCount && type >= 1 && type <= 8;
  return (kind == 2 || kind == 3) && a < vregs;
}
const MAX_COLUMNS: u32 = 1024;

/** Checks every STATS window: code inside the data, counts, inputs, outputs and condition nodes. */
export function validateStats(): i32 {
  for (let i: u32 = 0; i < statsCount; i++) {
    const e = statsTable + <usize>i * ESQL_STATS_SIZE;
    const pipe = load<u32>(e);
    const words = load<u32>(e, 8);
    if (pipe >= esqlPipeCount || <u64>load<u32>(e, 4) + <u64>words * 4 > <u64>dataLen || words < 4 || load<i64>(e, 16) < 0) return ERR;
    vcode = statsCode(e);
    const aggs = w(0);
    const by = w(1);
    const outs = w(2);
    if (aggs > MAX_COLUMNS || by > MAX_COLUMNS || outs > MAX_COLUMNS) return ERR;
    const nodesAt: u32 = 4 + aggs * 4 + by * 3 + outs * 3;
    if (nodesAt > words) return ERR;
    vregs = load<u32>(esqlPipes + <usize>pipe * ESQL_PIPE_SIZE, 8);
    for (let k: u32 = 0; k < aggs; k++) {
      const at = 4 + k * 4;
      const fn = w(at);
      if (fn < 1 || fn > 6 || !inputOk(w(at + 1), w(at + 2), w(at + 3))) return ERR;
      if (fn != 1 && w(at + 1) == 0) return ERR;
    }
    for (let b: u32 = 0; b < by; b++) {
      const at = 4 + aggs * 4 + b * 3;
      if (w(at) == 0 || !inputOk(w(at), w(at + 1), w(at + 2))) return ERR;
    }
    for (let o: u32 = 0; o < outs; o++) {
      const at = 4 + aggs * 4 + by * 3 + o * 3;
      if (<u64>w(at) + <u64>w(at + 1) > <u64>dataLen || w(at + 2) >= aggs + by) return ERR;
      // The column's key goes into alerts verbatim.
      if (!validKey(dataPtr + <usize>w(at), <usize>w(at + 1))) return ERR_JSON_PIECE;
    }
    // Condition nodes: children before parents, columns in range.
    const root = w(3);
    const starts = new Uint8Array(<i32>words);
    for (let k: u32 = nodesAt; k < words; ) {
      const kind = w(k);
      let len: u32 = 0;
      if (kind == 1 || kind == 2) len = 5;
      else if (kind == 3 || kind == 4 || kind == 5) len = 3;
      else if (kind == 6 || kind == 7) len = 2;
      else return ERR;
      if (<u64>k + <u64>len > <u64>words) return ERR;
      if ((kind == 1 || kind == 2) && (w(k + 1) >= aggs || w(k + 2) > 5)) return ERR;
      if (kind == 3 && w(k + 1) >= aggs + by) return ERR;
      if ((kind == 4 || kind == 5) && (w(k + 1) >= k || w(k + 2) >= k || starts[w(k + 1)] == 0 || starts[w(k + 2)] == 0)) return ERR;
      if (kind == 6 && (w(k + 1) >= k || starts[w(k + 1)] == 0)) return ERR;
      if (kind == 7 && w(k + 1) > 2) return ERR;
      starts[k] = 1;
      k += len;
    }
    if (root != 0xffffffff && (root >= words || starts[root] == 0)) return ERR;
  }
  // Every STATS rule has its window.
  for (let r: u32 = 0; r < ruleCount; r++) {
    const rule = rules + <usize>r * RULE_SIZE;
    const flags = load<u32>(rule, 12);
    if ((flags & RULE_FLAG_ESQL_STATS) && (!(flags & RULE_FLAG_ESQL) || statsEntryOf(load<u32>(rule, 76)) == 0)) return ERR;
  }
  return 0;
}
