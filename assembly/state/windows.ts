// ES|QL STATS window state (docs/semantics.md, "STATS … BY"): per STATS rule, its groups, each
// with the events that contributed to it in event-time order and running aggregates over the
// look-back window ending at the group's newest event. Exact: an event is an entry (its time and
// what it adds to each aggregate: counts, sums, min/max, ids of its distinct values); the window
// slides by subtracting the entries that leave it, so an in-order record costs O(its own values).
// A late record (older than the group's newest) is evaluated by a scan of the entries in its own
// window; entries are held LATE_MS beyond the window for it.
//
// Memory is bounded by the rule's share of the window budget: groups are kept in least-recently-
// used order and evicted from the old end when the share is used; an eviction of a group that still
// had events in its window is counted (`window_evictions_in_window`), one without as an expiration.
// What a removed group and a forgotten value free is kept for reuse in the rule's BlockPool (at most
// an eighth of the share, outside it), so a rule whose groups come and go makes no allocation.
// A group's distinct values are capped per input (CAP_VALUES): a value past the cap is not kept, and
// COUNT_DISTINCT / VALUES over that input are flagged as capped while it could be in the window.
import { entriesValid } from './window-section';
import { BlockPool } from './block-pool';
import { U64Index } from './u64-index';
import { renderValue, renderedPtr, renderedLength, plainKeyword } from '../eval/esql-stats';

/** Distinct values kept per group and input (COUNT_DISTINCT exact and VALUES complete up to this). */
export const CAP_VALUES: u32 = 256;
/** How long entries are held past the window, so a record up to this late is evaluated exactly. */
export const LATE_MS: i64 = 60_000;
/** Fixed bytes a group costs against the budget (object, arrays, index entry), besides its entries and values. */
export const GROUP_BYTES: usize = 256;
/** Bytes of a group's first entry buffer. */
const FIRST_ENTRIES: usize = 256;
/** Freed memory a rule keeps for reuse (blocks, spare groups): at most this fraction of its share, outside it. */
const POOL_SHARE_DIVISOR: usize = 8;
/** Value slots of a group's first slot array. */
const FIRST_SLOTS: u32 = 16;
/** Fixed bytes a distinct value costs (object, two buffers' headers, index entry), besides its bytes. */
export const VALUE_BYTES: usize = 96;
/** Entry header: i64 time, u32 length, u32 length of the previous entry. */
export const ENTRY_HEADER: usize = 16;

/** Aggregate functions (program code). */
export const FN_COUNT: u32 = 1;
export const FN_COUNT_DISTINCT: u32 = 2;
export const FN_VALUES: u32 = 3;
export const FN_SUM: u32 = 4;
export const FN_MIN: u32 = 5;
export const FN_MAX: u32 = 6;

/**
 * One distinct value of one input in one group. Unmanaged (allocated and freed here, outside the
 * collector), its bytes right after it in the same block: a collection does not visit the values.
 */
@unmanaged
export class WinValue {
  hash: u64 = 0;
  num: f64 = 0;
  src: u32 = 0;
  /** Entries in the group's current window holding it. */
  inWin: u32 = 0;
  /** Entries held (in the window or kept for late records) holding it. */
  held: u32 = 0;
  mark: u32 = 0;
  /** Keyword: UTF-8 bytes; ip: 16 address bytes (their order); then the value as JSON. */
  bytes: usize = 0;
  keyLen: u32 = 0;
  jsonLen: u32 = 0;

  @inline get key(): usize {
    return this.bytes;
  }
  @inline get json(): usize {
    return this.bytes + <usize>this.keyLen;
  }
}

@inline function valueBlockSize(keyLen: usize, jsonLen: usize): usize {
  return offsetof<WinValue>() + keyLen + jsonLen + 1;
}

/**
 * A new value with its key and JSON copied, in one block with the value itself (one pooled block per
 * distinct value: groups mostly live one burst, so most values are new).
 */
function newValue(pool: BlockPool, hash: u64, src: u32, num: f64, key: usize, keyLen: usize, json: usize, jsonLen: usize): WinValue {
  const head = offsetof<WinValue>();
  const p = pool.take(valueBlockSize(keyLen, jsonLen));
  const v = changetype<WinValue>(p);
  v.hash = hash;
  v.num = num;
  v.src = src;
  v.inWin = 0;
  v.held = 0;
  v.mark = 0;
  v.bytes = p + head;
  memory.copy(v.bytes, key, keyLen);
  memory.copy(v.bytes + keyLen, json, jsonLen);
  v.keyLen = <u32>keyLen;
  v.jsonLen = <u32>jsonLen;
  return v;
}

/** A new keyword value whose JSON is its bytes between quotes (plainKeyword): written in place. */
function newPlainValue(pool: BlockPool, hash: u64, src: u32, key: usize, keyLen: usize): WinValue {
  const head = offsetof<WinValue>();
  const p = pool.take(valueBlockSize(keyLen, keyLen + 2));
  const v = changetype<WinValue>(p);
  v.hash = hash;
  v.num = 0;
  v.src = src;
  v.inWin = 0;
  v.held = 0;
  v.mark = 0;
  const b = p + head;
  v.bytes = b;
  memory.copy(b, key, keyLen);
  store<u8>(b + keyLen, 0x22);
  memory.copy(b + keyLen + 1, key, keyLen);
  store<u8>(b + keyLen + keyLen + 1, 0x22);
  v.keyLen = <u32>keyLen;
  v.jsonLen = <u32>(keyLen + 2);
  return v;
}

function disposeValue(pool: BlockPool, v: WinValue): void {
  pool.give(changetype<usize>(v), valueBlockSize(<usize>v.keyLen, <usize>v.jsonLen));
}

/** How one rule's entries are laid out and what its aggregates read. */
export class WindowLayout {
  aggs: u32 = 0;
  fn: StaticArray<u32> = new StaticArray<u32>(0);
  /** Per aggregate: its input source (-1: COUNT(*)). */
  src: StaticArray<i32> = new StaticArray<i32>(0);
  /** Per aggregate: offset of its fixed part in an entry (COUNT(x): u32 n; SUM/MIN/MAX: u32 n, 8-byte value). */
  off: StaticArray<u32> = new StaticArray<u32>(0);
  /** Inputs (distinct field/register readings); per input: does it keep distinct values? */
  sources: u32 = 0;
  distinct: StaticArray<bool> = new StaticArray<bool>(0);
  /** Offset of the per-input u16 id counts (distinct inputs only: srcOff[s]). */
  srcOff: StaticArray<u32> = new StaticArray<u32>(0);
  /** Bytes of an entry before its value ids. */
  fixed: u32 = 0;
  hasMinMax: bool = false;
}

export class WinGroup {
  key: u64 = 0;
  /** The group's BY values as JSON, each preceded by a u32 length: [by, by + byLen), a pooled block outside the collector. */
  by: usize = 0;
  byLen: u32 = 0;
  prev: WinGroup | null = null; // towards the most recently used (a spare group: unused)
  next: WinGroup | null = null; // towards the least recently used (a spare group: the next spare)
  /** Entries (a pooled block outside the collector): [head, end) held, [win, end) in the current window. */
  mem: usize = 0;
  cap: usize = 0;
  head: usize = 0;
  win: usize = 0;
  end: usize = 0;
  /** Length of the last entry (entries also record their predecessor's length, to walk back). */
  lastLen: usize = 0;
  /** Where insert() put the last entry. */
  insertedAt: usize = 0;
  /** A late record's adjustment (adjust/unadjust): entries added [adjP0, adjAddEnd), removed [adjSubFrom, end). */
  adjP0: usize = 0;
  adjAddEnd: usize = 0;
  adjSubFrom: usize = 0;
  newest: i64 = i64.MIN_VALUE;
  quietUntil: i64 = i64.MIN_VALUE;
  /** Running aggregates over [win, end). */
  count: i64 = 0;
  n: StaticArray<i64>;
  sum: StaticArray<i64>;
  distinct: StaticArray<u32>;
  live: StaticArray<u32>;
  cappedUntil: StaticArray<i64>;
  /**
   * The values by id: a pooled block of u32 slots, [0, slotCount) in use. A slot holds a value's
   * address (even), or, when its id is free, 1 | (the next free id + 1) << 1; freed ids are taken
   * again last-freed first. 0 marks a slot being restored.
   */
  slots: usize = 0;
  slotCap: u32 = 0;
  slotCount: u32 = 0;
  freeId: i32 = -1;
  /** The values' ids + 1 by key (valueKey). */
  index: U64Index;
  bytes: usize = 0;

  constructor(aggs: u32, sources: u32, pool: BlockPool) {
    this.index = new U64Index(pool);
    this.n = new StaticArray<i64>(<i32>aggs);
    this.sum = new StaticArray<i64>(<i32>aggs);
    this.distinct = new StaticArray<u32>(<i32>sources);
    this.live = new StaticArray<u32>(<i32>sources);
    this.cappedUntil = new StaticArray<i64>(<i32>sources);
    for (let s: i32 = 0; s < <i32>sources; s++) unchecked((this.cappedUntil[s] = i64.MIN_VALUE));
  }

  @inline timeAt(at: usize): i64 {
    return load<i64>(this.mem + at);
  }
  @inline lenAt(at: usize): usize {
    return <usize>load<u32>(this.mem + at, 8);
  }
  /** The entry before the one at `at` (at > head; at == end: the last entry). */
  @inline before(at: usize): usize {
    return at == this.end ? this.end - this.lastLen : at - <usize>load<u32>(this.mem + at, 12);
  }

  /** The value with id `id` (held). */
  @inline value(id: u32): WinValue {
    return changetype<WinValue>(<usize>load<u32>(this.slots + (<usize>id << 2)));
  }

  /** The value in slot i (< slotCount), or null when the id is free. */
  valueAt(i: u32): WinValue | null {
    const s = load<u32>(this.slots + (<usize>i << 2));
    return s == 0 || (s & 1) != 0 ? null : changetype<WinValue>(<usize>s);
  }
}

@inline function valueKey(hash: u64, src: u32): u64 {
  return hash ^ (<u64>(src + 1) * 0x9e3779b97f4a7c15);
}

/** One STATS rule's groups. */
export class WindowTable {
  readonly layout: WindowLayout;
  readonly lookback: i64;
  readonly capacityBytes: usize;
  /** Freed blocks and spare groups kept for reuse, bounded by a fraction of the share. */
  private readonly pool: BlockPool;
  /** Group addresses by key (grows with the groups, never shrinks). */
  private readonly groups: U64Index;
  /** Removed groups kept for reuse, linked by `next` (each counted in the pool as SPARE_GROUP_BYTES). */
  private spare: WinGroup | null = null;
  private mru: WinGroup | null = null;
  private lru: WinGroup | null = null;
  size: u32 = 0;
  bytes: usize = 0;
  evictionsInWindow: u64 = 0;
  expirations: u64 = 0;
  /** Events dropped from a single group larger than the whole share. */
  entryEvictions: u64 = 0;
  latest: i64 = i64.MIN_VALUE;
  gen: u32 = 0;

  constructor(layout: WindowLayout, lookback: i64, capacityBytes: usize) {
    const pool = new BlockPool(capacityBytes / POOL_SHARE_DIVISOR);
    this.pool = pool;
    this.groups = new U64Index(pool);
    this.layout = layout;
    this.lookback = lookback;
    this.capacityBytes = capacityBytes;
  }

  /** What a group costs besides its BY values and entries: against the share while in use, against the pool while spare. */
  @inline private get groupFixedBytes(): usize {
    return GROUP_BYTES + <usize>(this.layout.aggs + this.layout.sources) * 24;
  }

  /** Freed memory kept for reuse (outside the share, at most an eighth of it). */
  get pooledBytes(): usize {
    return this.pool.pooledBytes;
  }

  find(key: u64): WinGroup | null {
    const at = this.groups.get(key);
    return at == 0 ? null : changetype<WinGroup>(<usize>at);
  }

  /** A new group for key with its BY values [by, by+n). */
  create(key: u64, by: usize, n: usize): WinGroup {
    // Groups come and go (most live one burst): a removed group's objects are used again.
    let g: WinGroup;
    const spare = this.spare;
    if (spare !== null) {
      g = spare;
      this.spare = spare.next;
      g.next = null;
      this.pool.release(this.groupFixedBytes);
    } else g = new WinGroup(this.layout.aggs, this.layout.sources, this.pool);
    g.key = key;
    g.by = this.pool.take(n + 1);
    g.byLen = <u32>n;
    memory.copy(g.by, by, n);
    g.bytes = this.groupFixedBytes + n;
    this.bytes += g.bytes;
    this.groups.add(key, <u32>changetype<usize>(g));
    this.size++;
    this.linkFront(g);
    return g;
  }

  /** The least recently used group (null when empty); `newer(g)` walks towards the most recent. */
  oldest(): WinGroup | null {
    return this.lru;
  }

  touch(g: WinGroup): void {
    if (this.mru === g) return;
    this.unlink(g);
    this.linkFront(g);
  }

  remove(g: WinGroup): void {
    this.unlink(g);
    this.groups.delete(g.key);
    this.size--;
    this.bytes -= g.bytes;
    const pool = this.pool;
    if (g.by != 0) pool.give(g.by, <usize>g.byLen + 1);
    g.by = 0;
    g.byLen = 0;
    if (g.mem != 0) pool.give(g.mem, g.cap);
    g.mem = 0;
    g.cap = 0;
    for (let i: u32 = 0; i < g.slotCount; i++) {
      const v = g.valueAt(i);
      if (v !== null) disposeValue(pool, v);
    }
    if (g.slots != 0) pool.give(g.slots, <usize>g.slotCap << 2);
    g.slots = 0;
    g.slotCap = 0;
    g.slotCount = 0;
    g.freeId = -1;
    g.index.release();
    g.head = 0;
    g.win = 0;
    g.end = 0;
    g.lastLen = 0;
    g.newest = i64.MIN_VALUE;
    g.quietUntil = i64.MIN_VALUE;
    g.count = 0;
    for (let k = 0; k < g.n.length; k++) {
      unchecked((g.n[k] = 0));
      unchecked((g.sum[k] = 0));
    }
    for (let s = 0; s < g.distinct.length; s++) {
      unchecked((g.distinct[s] = 0));
      unchecked((g.live[s] = 0));
      unchecked((g.cappedUntil[s] = i64.MIN_VALUE));
    }
    g.bytes = 0;
    // The object itself is kept while the pool has room (linked through `next`, which unlink cleared).
    if (pool.admit(this.groupFixedBytes)) {
      g.next = this.spare;
      this.spare = g;
    }
  }

  clear(): void {
    while (this.lru !== null) this.remove(this.lru!);
  }

  /** Drops least recently used groups (never `keep`) while over the share; counts them. */
  enforce(keep: WinGroup | null, now: i64): void {
    while (this.bytes > this.capacityBytes) {
      let victim = this.lru;
      if (victim === keep) victim = victim!.prev;
      if (victim === null) break;
      if (victim.newest > now - this.lookback) this.evictionsInWindow++;
      else this.expirations++;
      this.remove(victim);
    }
    // One group alone larger than the share: its oldest events go (counted).
    if (keep !== null && this.bytes > this.capacityBytes) {
      while (this.bytes > this.capacityBytes && keep.head < keep.end && keep.head + keep.lenAt(keep.head) < keep.end) {
        if (keep.head == keep.win) {
          this.leaveWindow(keep, keep.win);
          keep.win += keep.lenAt(keep.win);
        }
        this.dropHead(keep);
        this.entryEvictions++;
      }
    }
  }

  /** Forgets the least recently used group when it has nothing left in any window (called per record). */
  expireOldest(now: i64): void {
    const g = this.lru;
    if (g !== null && g.newest <= now - this.lookback - LATE_MS) {
      this.expirations++;
      this.remove(g);
    }
  }

  // ---- restoring (state/window-section.ts)

  /** Puts a restored value at `id` of g (its slot is free). False when it is malformed. */
  restoreValue(g: WinGroup, id: u32, src: u32, hash: u64, num: f64, key: usize, keyLen: usize, json: usize, jsonLen: usize): bool {
    const k = valueKey(hash, src);
    if (g.index.get(k) != 0) return false;
    const v = newValue(this.pool, hash, src, num, key, keyLen, json, jsonLen);
    store<u32>(g.slots + (<usize>id << 2), <u32>changetype<usize>(v));
    g.index.add(k, id + 1);
    unchecked((g.live[<i32>src] = unchecked(g.live[<i32>src]) + 1));
    const cost = VALUE_BYTES + keyLen + jsonLen;
    g.bytes += cost;
    this.bytes += cost;
    return true;
  }

  /** Puts restored entries [p, p+n) (window from offset `win`) into g and rebuilds its counts. */
  restoreEntries(g: WinGroup, p: usize, n: usize, win: usize): bool {
    if (!entriesValid(this, g, p, n, win)) return false;
    if (n > 0 && !this.reserve(g, n)) return false;
    memory.copy(g.mem, p, n);
    g.head = 0;
    g.win = win;
    g.end = n;
    const L = this.layout;
    let prev: usize = 0;
    for (let at: usize = 0; at < n; at += g.lenAt(at)) {
      store<u32>(g.mem + at, <u32>prev, 12);
      prev = g.lenAt(at);
      g.lastLen = prev;
      let ids = g.mem + at + <usize>L.fixed;
      for (let s: u32 = 0; s < L.sources; s++) {
        if (!unchecked(L.distinct[<i32>s])) continue;
        const count = <u32>load<u16>(g.mem + at + <usize>unchecked(L.srcOff[<i32>s]));
        for (let i: u32 = 0; i < count; i++) {
          g.value(<u32>load<u16>(ids)).held++;
          ids += 2;
        }
      }
      if (at >= win) this.running(g, at, true);
    }
    // Values no entry holds are not kept.
    for (let i: u32 = 0; i < g.slotCount; i++) {
      const v = g.valueAt(i);
      if (v !== null && v.held == 0) this.freeValue(g, i);
    }
    return true;
  }

  /** Starts restoring g's values: `count` slots, all empty (restoreValue fills them). False when memory is short. */
  openSlots(g: WinGroup, count: u32): bool {
    if (count > g.slotCap && !this.growSlots(g, count)) return false;
    if (count > 0) memory.fill(g.slots, 0, <usize>count << 2);
    g.slotCount = count;
    g.freeId = -1;
    return true;
  }

  /** Ends restoring g's values: the slots left empty become free ids, in ascending order. */
  closeSlots(g: WinGroup): void {
    for (let i: u32 = 0; i < g.slotCount; i++) if (load<u32>(g.slots + (<usize>i << 2)) == 0) this.pushFreeId(g, i);
  }

  private pushFreeId(g: WinGroup, id: u32): void {
    store<u32>(g.slots + (<usize>id << 2), 1 | (<u32>(g.freeId + 1) << 1));
    g.freeId = <i32>id;
  }

  /** Room for at least `want` slots (the slot array doubles from FIRST_SLOTS). */
  private growSlots(g: WinGroup, want: u32): bool {
    let cap = g.slotCap < FIRST_SLOTS ? FIRST_SLOTS : g.slotCap * 2;
    while (cap < want) cap *= 2;
    if (cap > 0x10000) return false;
    const slots = this.pool.take(<usize>cap << 2);
    if (g.slots != 0) {
      memory.copy(slots, g.slots, <usize>g.slotCount << 2);
      this.pool.give(g.slots, <usize>g.slotCap << 2);
    }
    g.slots = slots;
    g.slotCap = cap;
    return true;
  }

  // ---- entries

  /** Room for an entry of n bytes at the end; compacts or grows the buffer. */
  reserve(g: WinGroup, n: usize): bool {
    if (g.end + n <= g.cap) return true;
    const used = g.end - g.head;
    if (g.head > 0 && used + n <= g.cap && g.head >= g.cap / 2) {
      memory.copy(g.mem, g.mem + g.head, used);
      g.win -= g.head;
      g.end -= g.head;
      g.head = 0;
      return true;
    }
    let want: usize = g.cap < FIRST_ENTRIES ? FIRST_ENTRIES : g.cap * 2;
    while (want < used + n) want *= 2;
    if (want > (<usize>64 << 20)) return false;
    const mem = this.pool.take(want);
    if (g.mem != 0) {
      memory.copy(mem, g.mem + g.head, used);
      this.pool.give(g.mem, g.cap);
    }
    g.mem = mem;
    g.win -= g.head;
    g.end -= g.head;
    g.head = 0;
    this.bytes += want - g.cap;
    g.bytes += want - g.cap;
    g.cap = want;
    return true;
  }

  /** The id of value (hash, src) in g, adding it; -1 when the input's cap is reached. */
  valueId(g: WinGroup, src: u32, hash: u64, num: f64, key: usize, keyLen: usize, value: u32, t: i64): i32 {
    const k = valueKey(hash, src);
    const known = g.index.get(k);
    if (known != 0) return <i32>known - 1;
    if (unchecked(g.live[<i32>src]) >= CAP_VALUES) {
      const until = t + this.lookback;
      if (until > unchecked(g.cappedUntil[<i32>src])) unchecked((g.cappedUntil[<i32>src] = until));
      return -1;
    }
    if (g.freeId < 0 && g.slotCount == g.slotCap && !this.growSlots(g, g.slotCount + 1)) return -2;
    let v: WinValue;
    if (plainKeyword(value)) v = newPlainValue(this.pool, hash, src, key, keyLen);
    else {
      if (!renderValue(value)) return -2;
      v = newValue(this.pool, hash, src, num, key, keyLen, renderedPtr(), renderedLength());
    }
    let id: i32;
    if (g.freeId >= 0) {
      id = g.freeId;
      g.freeId = <i32>(load<u32>(g.slots + (<usize>id << 2)) >> 1) - 1;
    } else {
      id = <i32>g.slotCount;
      g.slotCount++;
    }
    const jsonLen = <usize>v.jsonLen;
    store<u32>(g.slots + (<usize>id << 2), <u32>changetype<usize>(v));
    g.index.add(k, <u32>id + 1);
    unchecked((g.live[<i32>src] = unchecked(g.live[<i32>src]) + 1));
    const cost = VALUE_BYTES + keyLen + jsonLen;
    g.bytes += cost;
    this.bytes += cost;
    return id;
  }

  private freeValue(g: WinGroup, id: u32): void {
    const v = g.value(id);
    g.index.delete(valueKey(v.hash, v.src));
    unchecked((g.live[<i32>v.src] = unchecked(g.live[<i32>v.src]) - 1));
    const cost = VALUE_BYTES + <usize>v.keyLen + <usize>v.jsonLen;
    g.bytes -= cost;
    this.bytes -= cost;
    disposeValue(this.pool, v);
    this.pushFreeId(g, id);
  }

  /** Adds or (sign -1) subtracts the entry at `at` to the running aggregates. */
  private running(g: WinGroup, at: usize, enter: bool): void {
    const L = this.layout;
    const p = g.mem + at;
    g.count += enter ? 1 : -1;
    for (let k: u32 = 0; k < L.aggs; k++) {
      const fn = unchecked(L.fn[<i32>k]);
      if (fn == FN_COUNT && unchecked(L.src[<i32>k]) >= 0) {
        const n = <i64>load<u32>(p + <usize>unchecked(L.off[<i32>k]));
        unchecked((g.n[<i32>k] = unchecked(g.n[<i32>k]) + (enter ? n : -n)));
      } else if (fn == FN_SUM) {
        const q = p + <usize>unchecked(L.off[<i32>k]);
        const n = <i64>load<u32>(q);
        const s = load<i64>(q, 4);
        unchecked((g.n[<i32>k] = unchecked(g.n[<i32>k]) + (enter ? n : -n)));
        unchecked((g.sum[<i32>k] = unchecked(g.sum[<i32>k]) + (enter ? s : -s)));
      }
    }
    let ids = p + <usize>L.fixed;
    for (let s: u32 = 0; s < L.sources; s++) {
      if (!unchecked(L.distinct[<i32>s])) continue;
      const count = <u32>load<u16>(p + <usize>unchecked(L.srcOff[<i32>s]));
      for (let i: u32 = 0; i < count; i++) {
        const v = g.value(<u32>load<u16>(ids));
        ids += 2;
        if (enter) {
          if (v.inWin++ == 0) unchecked((g.distinct[<i32>s] = unchecked(g.distinct[<i32>s]) + 1));
        } else if (--v.inWin == 0) unchecked((g.distinct[<i32>s] = unchecked(g.distinct[<i32>s]) - 1));
      }
    }
  }

  private leaveWindow(g: WinGroup, at: usize): void {
    this.running(g, at, false);
  }

  /** Forgets the first held entry (it left the window already). */
  private dropHead(g: WinGroup): void {
    const L = this.layout;
    const p = g.mem + g.head;
    let ids = p + <usize>L.fixed;
    for (let s: u32 = 0; s < L.sources; s++) {
      if (!unchecked(L.distinct[<i32>s])) continue;
      const count = <u32>load<u16>(p + <usize>unchecked(L.srcOff[<i32>s]));
      for (let i: u32 = 0; i < count; i++) {
        const id = <u32>load<u16>(ids);
        ids += 2;
        const v = g.value(id);
        if (--v.held == 0) this.freeValue(g, id);
      }
    }
    g.head += g.lenAt(g.head);
  }

  /** Forgets the entry in front (a record older than the window's reach, after its row was read). */
  dropFront(g: WinGroup): void {
    this.dropHead(g);
  }

  /** Slides g's window to end at t (t >= g.newest): entries at or before t - L leave it; those before t - L - LATE_MS are forgotten. */
  slide(g: WinGroup, t: i64): void {
    const from = t - this.lookback;
    while (g.win < g.end && g.timeAt(g.win) <= from) {
      this.leaveWindow(g, g.win);
      g.win += g.lenAt(g.win);
    }
    while (g.head < g.win && g.timeAt(g.head) <= from - LATE_MS) this.dropHead(g);
  }

  /** A record at t arrives in g: unless it is late, the window slides to end at it (before its values are looked up). */
  arrive(g: WinGroup, t: i64): void {
    if (g.newest != i64.MIN_VALUE && t < g.newest) return;
    g.newest = t;
    this.slide(g, t);
  }

  /**
   * Stores the entry built at [src, src+n) (its time first) in g, in time order, after arrive().
   * A late entry joins the running aggregates only when it is inside the current window. False
   * when memory is short.
   */
  insert(g: WinGroup, src: usize, n: usize): bool {
    const t = load<i64>(src);
    const late = t < g.newest;
    if (!this.reserve(g, n)) return false;
    let at = g.end;
    if (late) {
      if (t <= g.newest - this.lookback - LATE_MS) {
        // Older than the window's reach: put in front for its own row, then forgotten (dropFront).
        at = g.head;
      } else {
        // After the last entry not later than it, walking back from the end (late records are usually a little late).
        while (at > g.head) {
          const p = g.before(at);
          if (g.timeAt(p) <= t) break;
          at = p;
        }
      }
    }
    const wasEnd = at == g.end;
    const prevLen: usize = at == g.head ? 0 : wasEnd ? g.lastLen : <usize>load<u32>(g.mem + at, 12);
    if (!wasEnd) memory.copy(g.mem + at + n, g.mem + at, g.end - at);
    memory.copy(g.mem + at, src, n);
    store<u32>(g.mem + at, <u32>prevLen, 12);
    g.end += n;
    if (wasEnd) g.lastLen = n;
    else store<u32>(g.mem + at + n, <u32>n, 12);
    g.insertedAt = at;
    const inWindow = t > g.newest - this.lookback;
    if (!inWindow) g.win += n;
    // Its values are held (and, inside the window, counted).
    const L = this.layout;
    let ids = g.mem + at + <usize>L.fixed;
    for (let s: u32 = 0; s < L.sources; s++) {
      if (!unchecked(L.distinct[<i32>s])) continue;
      const count = <u32>load<u16>(g.mem + at + <usize>unchecked(L.srcOff[<i32>s]));
      for (let i: u32 = 0; i < count; i++) {
        g.value(<u32>load<u16>(ids)).held++;
        ids += 2;
      }
    }
    if (inWindow) this.running(g, at, true);
    return true;
  }

  /**
   * A late record at t, just inserted (n bytes): moves the running aggregates from the window ending
   * at the group's newest event to (t - L, t] — entries later than t leave, entries in (t - L, newest - L]
   * join — in time proportional to how late it is. unadjust() puts them back.
   */
  adjust(g: WinGroup, t: i64, n: usize): void {
    const from = t - this.lookback;
    const p1 = g.insertedAt + n;
    let p0 = g.win;
    while (p0 > g.head) {
      const p = g.before(p0);
      if (g.timeAt(p) <= from) break;
      p0 = p;
    }
    g.adjP0 = p0;
    g.adjAddEnd = p1 < g.win ? p1 : g.win;
    g.adjSubFrom = p1 > g.win ? p1 : g.win;
    for (let at = g.adjSubFrom; at < g.end; at += g.lenAt(at)) this.running(g, at, false);
    for (let at = g.adjP0; at < g.adjAddEnd; at += g.lenAt(at)) this.running(g, at, true);
  }

  unadjust(g: WinGroup): void {
    for (let at = g.adjSubFrom; at < g.end; at += g.lenAt(at)) this.running(g, at, true);
    for (let at = g.adjP0; at < g.adjAddEnd; at += g.lenAt(at)) this.running(g, at, false);
  }

  private linkFront(g: WinGroup): void {
    g.prev = null;
    g.next = this.mru;
    if (this.mru !== null) this.mru!.prev = g;
    this.mru = g;
    if (this.lru === null) this.lru = g;
  }

  private unlink(g: WinGroup): void {
    const p = g.prev;
    const n = g.next;
    if (p !== null) p.next = n;
    else this.mru = n;
    if (n !== null) n.prev = p;
    else this.lru = p;
    g.prev = null;
    g.next = null;
  }

  /** Gives back every block this table holds (before it is dropped). */
  dispose(): void {
    this.clear();
    this.spare = null;
    this.groups.release();
    this.pool.drain();
  }
}
