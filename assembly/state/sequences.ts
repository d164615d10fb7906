// EQL sequence state (docs/semantics.md, "EQL sequences"): per sequence rule, the pending partial
// sequences, at most one per (join key, stages matched so far) — when a later stage arrives,
// Elasticsearch's sequence matcher takes the most recent earlier candidate of the same key and drops
// the older ones, so only the most recent one is kept. A pending sequence stores, per stage already
// matched, the event time and the record's identity (auditID) for the alert.
//
// Memory is bounded: the table holds at most `capacity` pending sequences (the sequence budget split
// between the sequence rules), the least recently used one is evicted when it is full, and every
// eviction of a sequence still inside its maxspan is counted. Entries live in one region outside the
// collector; the key index is an open-addressed table that only grows, so a table at its working size
// allocates nothing per record.
// In the state file a table is a section of its own (state/sequence-section.ts).
import { Region } from '../util/buffer';
import { BlockPool } from './block-pool';
import { U64Index } from './u64-index';

/** Bytes kept per stage: i64 event time + identity (u8 length, 255 = none, then up to 47 bytes). */
export const SEQ_ID_BYTES: u32 = 47;
const STAGE_BYTES: u32 = 8 + 1 + SEQ_ID_BYTES;
const HEADER_BYTES: u32 = 32;
const NIL: u32 = 0xffffffff;
export const NO_ID: u8 = 255;

/** Bytes of one table entry for a sequence of `stages` stages. */
export function sequenceEntryBytes(stages: u32): u32 {
  return HEADER_BYTES + stages * STAGE_BYTES;
}

/**
 * What one pending sequence counts against the budget: its entry plus its share of the key index
 * (16-byte slots, at most half full: at most 4 slots per sequence once the index has grown).
 */
export const SEQUENCE_INDEX_BYTES: u32 = 64;
export function sequenceCostBytes(stages: u32): u32 {
  return sequenceEntryBytes(stages) + SEQUENCE_INDEX_BYTES;
}

export class SequenceTable {
  readonly stages: u32;
  readonly capacity: u32;
  readonly entrySize: u32;
  private readonly mem: Region = new Region();
  /** Entry + 1 by slot key. Grows with the pending sequences and never shrinks, so churn allocates nothing. */
  private readonly index: U64Index = new U64Index(new BlockPool(0)); // a pool of 0 bytes keeps nothing: outgrown tables are freed
  private head: u32 = NIL; // most recently used
  private tail: u32 = NIL; // least recently used
  private freeList: u32 = NIL;
  private used: u32 = 0;
  size: u32 = 0;
  evictionsInWindow: u64 = 0;
  expirations: u64 = 0;
  completions: u64 = 0;
  /** Set by put() when it evicted a pending sequence to make room: that one's join key and stages matched. */
  evicted: bool = false;
  evictedKey: u64 = 0;
  evictedMatched: u32 = 0;

  constructor(stages: u32, capacity: u32) {
    this.stages = stages;
    this.capacity = capacity;
    this.entrySize = sequenceEntryBytes(stages);
  }

  @inline entry(i: u32): usize {
    return this.mem.ptr + <usize>i * this.entrySize;
  }

  /** Event time of stage s of entry e. */
  @inline timeOf(e: u32, s: u32): i64 {
    return load<i64>(this.entry(e) + HEADER_BYTES + <usize>s * STAGE_BYTES);
  }

  /** Identity bytes (length at the first byte) of stage s of entry e. */
  @inline idOf(e: u32, s: u32): usize {
    return this.entry(e) + HEADER_BYTES + <usize>s * STAGE_BYTES + 8;
  }

  /** Stages matched by entry e. */
  @inline matchedOf(e: u32): u32 {
    return load<u32>(this.entry(e), 16);
  }

  /** Join key hash of entry e. */
  @inline joinKeyOf(e: u32): u64 {
    return load<u64>(this.entry(e)) ^ slotKey(0, this.matchedOf(e));
  }

  /** The least recently used entry (NIL when empty); `newer(e)` walks towards the most recent. */
  @inline oldest(): u32 {
    return this.tail;
  }

  @inline newer(e: u32): u32 {
    return load<u32>(this.entry(e), 8);
  }

  /** Forgets every pending sequence (a restored snapshot replaces them); keeps the memory and counters. */
  clear(): void {
    this.index.clear();
    this.head = NIL;
    this.tail = NIL;
    this.freeList = NIL;
    this.used = 0;
    this.size = 0;
  }

  /** The pending sequence of `key` that has matched `matched` stages, or NIL. */
  find(key: u64, matched: u32): u32 {
    const k = slotKey(key, matched);
    return this.index.get(k) - 1; // absent: 0 - 1 == NIL
  }

  /** Forgets entry e. */
  remove(e: u32): void {
    const p = this.entry(e);
    this.index.delete(load<u64>(p));
    this.unlink(e);
    store<u32>(p, this.freeList, 12);
    store<u32>(p, 0, 20);
    this.freeList = e;
    this.size--;
  }

  /**
   * An entry for (key, matched), replacing the one there; stages before `copyFrom`'s are copied from
   * `copyFrom` (NIL: none). Returns NIL when memory is short. `now` tells a live eviction from an
   * expired one (maxspan < 0: never expires).
   */
  put(key: u64, matched: u32, copyFrom: u32, now: i64, maxspan: i64): u32 {
    const k = slotKey(key, matched);
    this.evicted = false;
    const found = this.index.get(k);
    if (found != 0) {
      const old = found - 1;
      if (old == copyFrom) {
        this.touch(old);
        return old;
      }
      this.remove(old);
    }
    let e: u32;
    if (this.freeList != NIL) {
      e = this.freeList;
      this.freeList = load<u32>(this.entry(e), 12);
    } else if (this.used < this.capacity) {
      if (!this.mem.ensure(<usize>(this.used + 1) * this.entrySize)) return NIL;
      e = this.used++;
    } else {
      // Full: evict the least recently used pending sequence (never the one being advanced).
      let victim = this.tail;
      if (victim == copyFrom) victim = load<u32>(this.entry(victim), 8);
      if (victim == NIL) return NIL;
      if (maxspan >= 0 && now - this.timeOf(victim, 0) > maxspan) this.expirations++;
      else this.evictionsInWindow++;
      this.evicted = true;
      this.evictedKey = this.joinKeyOf(victim);
      this.evictedMatched = this.matchedOf(victim);
      this.remove(victim);
      e = this.freeList;
      this.freeList = load<u32>(this.entry(e), 12);
    }
    const p = this.entry(e);
    if (copyFrom != NIL) memory.copy(p + HEADER_BYTES, this.entry(copyFrom) + HEADER_BYTES, <usize>(this.stages * STAGE_BYTES));
    store<u64>(p, k);
    store<u32>(p, matched, 16);
    store<u32>(p, 1, 20);
    this.index.add(k, e + 1);
    this.size++;
    this.linkFront(e);
    return e;
  }

  /** Sets stage s of entry e to the event time t and identity [id, id+n) (n > SEQ_ID_BYTES: none). */
  setStage(e: u32, s: u32, t: i64, id: usize, n: u32): void {
    const p = this.entry(e) + HEADER_BYTES + <usize>s * STAGE_BYTES;
    store<i64>(p, t);
    if (id == 0 || n > SEQ_ID_BYTES) {
      store<u8>(p, NO_ID, 8);
      return;
    }
    store<u8>(p, <u8>n, 8);
    memory.copy(p + 9, id, <usize>n);
  }

  private touch(e: u32): void {
    this.unlink(e);
    this.linkFront(e);
  }

  private linkFront(e: u32): void {
    const p = this.entry(e);
    store<u32>(p, NIL, 8);
    store<u32>(p, this.head, 12);
    if (this.head != NIL) store<u32>(this.entry(this.head), e, 8);
    this.head = e;
    if (this.tail == NIL) this.tail = e;
  }

  private unlink(e: u32): void {
    const p = this.entry(e);
    const prev = load<u32>(p, 8);
    const next = load<u32>(p, 12);
    if (prev != NIL) store<u32>(this.entry(prev), next, 12);
    else this.head = next;
    if (next != NIL) store<u32>(this.entry(next), prev, 8);
    else this.tail = prev;
  }

  dispose(): void {
    if (this.mem.ptr != 0) heap.free(this.mem.ptr);
    this.mem.ptr = 0;
    this.mem.cap = 0;
    this.index.release();
  }
}

@inline function slotKey(key: u64, matched: u32): u64 {
  return key ^ (<u64>matched * 0x9E3779B97F4A7C15);
}
