// One ES|QL STATS rule's windows as a state-file payload (section kind 4, docs/state-format.md):
//   u32 aggregates, u32 inputs, u32 entry fixed bytes (the rule's layout: a section of another
//   layout is not used), u32 group count, then per group, least recently used first:
//     u64 key, i64 newest, i64 quietUntil, u32 BY bytes, the BY values (u32 length + JSON each),
//     per input i64 cappedUntil,
//     u32 value slots V, u32 values present, per value: u32 id (< V), u32 input, u64 hash, f64 num,
//       u32 key length, key bytes, u32 JSON length, JSON bytes,
//     u32 entry bytes E, u32 window start (offset into the entries), E bytes of entries (the
//       in-memory layout: i64 time, u32 length, u32 0, fixed part, u16 value ids).
// Restoring rebuilds each group's held counts and running aggregates from its entries. A payload
// is checked while it is read into new groups; a damaged one leaves the rule with no windows.
import { WindowTable, WinGroup, ENTRY_HEADER } from './windows';

const HEADER: usize = 16;

/** Bytes of the payload for the whole table. */
export function windowSectionSize(table: WindowTable): usize {
  let n = HEADER;
  let g = table.oldest();
  while (g !== null) {
    n += groupSize(table, g);
    g = g.prev;
  }
  return n;
}

function groupSize(table: WindowTable, g: WinGroup): usize {
  let n: usize = 8 + 8 + 8 + 4 + <usize>g.byLen + <usize>table.layout.sources * 8 + 8;
  for (let i: u32 = 0; i < g.slotCount; i++) {
    const v = g.valueAt(i);
    if (v === null) continue;
    n += 4 + 4 + 8 + 8 + 4 + <usize>v.keyLen + 4 + <usize>v.jsonLen;
  }
  return n + 8 + (g.end - g.head);
}

/** Writes the table at dst; returns the bytes written. */
export function writeWindowSection(table: WindowTable, dst: usize): usize {
  const L = table.layout;
  store<u32>(dst, L.aggs);
  store<u32>(dst, L.sources, 4);
  store<u32>(dst, L.fixed, 8);
  store<u32>(dst, table.size, 12);
  let at = dst + HEADER;
  let next = table.oldest();
  while (next !== null) {
    const g = next;
    next = g.prev;
    store<u64>(at, g.key);
    store<i64>(at, g.newest, 8);
    store<i64>(at, g.quietUntil, 16);
    const byLen = <usize>g.byLen;
    store<u32>(at, <u32>byLen, 24);
    memory.copy(at + 28, g.by, byLen);
    at += 28 + byLen;
    for (let s: u32 = 0; s < L.sources; s++) {
      store<i64>(at, unchecked(g.cappedUntil[<i32>s]));
      at += 8;
    }
    let present: u32 = 0;
    for (let i: u32 = 0; i < g.slotCount; i++) if (g.valueAt(i) !== null) present++;
    store<u32>(at, g.slotCount);
    store<u32>(at, present, 4);
    at += 8;
    for (let i: u32 = 0; i < g.slotCount; i++) {
      const v = g.valueAt(i);
      if (v === null) continue;
      store<u32>(at, i);
      store<u32>(at, v.src, 4);
      store<u64>(at, v.hash, 8);
      store<f64>(at, v.num, 16);
      const kl = <usize>v.keyLen;
      store<u32>(at, <u32>kl, 24);
      memory.copy(at + 28, v.key, kl);
      at += 28 + kl;
      const jl = <usize>v.jsonLen;
      store<u32>(at, <u32>jl);
      memory.copy(at + 4, v.json, jl);
      at += 4 + jl;
    }
    const e = g.end - g.head;
    store<u32>(at, <u32>e);
    store<u32>(at, <u32>(g.win - g.head), 4);
    memory.copy(at + 8, g.mem + g.head, e);
    at += 8 + e;
  }
  return at - dst;
}

/**
 * Replaces the table's groups with the payload's. 1 used, -1 not a well-formed payload for this
 * rule's layout (the table is left empty) or memory ran short.
 */
export function restoreWindowSection(table: WindowTable, p: usize, len: usize): i32 {
  table.clear();
  if (!readSection(table, p, len)) {
    table.clear();
    return -1;
  }
  // A smaller budget than the one that wrote the file: the least recently used groups go (counted).
  table.enforce(null, table.latest);
  return 1;
}

function readSection(table: WindowTable, p: usize, len: usize): bool {
  const L = table.layout;
  if (len < HEADER || load<u32>(p) != L.aggs || load<u32>(p, 4) != L.sources || load<u32>(p, 8) != L.fixed) return false;
  const count = load<u32>(p, 12);
  const end = p + len;
  let at = p + HEADER;
  for (let i: u32 = 0; i < count; i++) {
    if (at + 28 > end) return false;
    const key = load<u64>(at);
    const newest = load<i64>(at, 8);
    const quiet = load<i64>(at, 16);
    const byLen = <usize>load<u32>(at, 24);
    if (at + 28 + byLen > end || table.find(key) !== null) return false;
    const g = table.create(key, at + 28, byLen);
    at += 28 + byLen;
    g.newest = newest;
    g.quietUntil = quiet;
    if (newest > table.latest) table.latest = newest;
    if (at + <usize>L.sources * 8 + 8 > end) return false;
    for (let s: u32 = 0; s < L.sources; s++) {
      unchecked((g.cappedUntil[<i32>s] = load<i64>(at)));
      at += 8;
    }
    const slots = load<u32>(at);
    const present = load<u32>(at, 4);
    at += 8;
    if (present > slots || slots > 0xffff) return false;
    if (!table.openSlots(g, slots)) return false;
    for (let k: u32 = 0; k < present; k++) {
      if (at + 28 > end) return false;
      const id = load<u32>(at);
      const src = load<u32>(at, 4);
      const kl = <usize>load<u32>(at, 24);
      if (id >= slots || g.valueAt(id) !== null || src >= L.sources || !unchecked(L.distinct[<i32>src]) || at + 28 + kl + 4 > end) return false;
      const jl = <usize>load<u32>(at + 28 + kl);
      if (at + 32 + kl + jl > end) return false;
      if (!table.restoreValue(g, id, src, load<u64>(at, 8), load<f64>(at, 16), at + 28, kl, at + 32 + kl, jl)) return false;
      at += 32 + kl + jl;
    }
    table.closeSlots(g);
    if (at + 8 > end) return false;
    const e = <usize>load<u32>(at);
    const win = <usize>load<u32>(at, 4);
    at += 8;
    if (at + e > end || win > e || !table.restoreEntries(g, at, e, win)) return false;
    at += e;
  }
  return at == end;
}

/** Checks one entry region: lengths, time order, value ids present. */
export function entriesValid(table: WindowTable, g: WinGroup, p: usize, n: usize, win: usize): bool {
  const L = table.layout;
  let at: usize = 0;
  let last = i64.MIN_VALUE;
  let sawWin = win == n;
  while (at < n) {
    if (at == win) sawWin = true;
    if (at + ENTRY_HEADER > n) return false;
    const t = load<i64>(p + at);
    const len = <usize>load<u32>(p + at, 8);
    if (len < <usize>L.fixed || (len & 7) != 0 || at + len > n || t < last) return false;
    last = t;
    let ids = p + at + <usize>L.fixed;
    for (let s: u32 = 0; s < L.sources; s++) {
      if (!unchecked(L.distinct[<i32>s])) continue;
      const c = <usize>load<u16>(p + at + <usize>unchecked(L.srcOff[<i32>s]));
      if (ids + c * 2 > p + at + len) return false;
      for (let k: usize = 0; k < c; k++) {
        const id = <u32>load<u16>(ids + k * 2);
        if (id >= g.slotCount) return false;
        const v = g.valueAt(id);
        if (v === null || v.src != s) return false;
      }
      ids += c * 2;
    }
    at += len;
  }
  return sawWin;
}
