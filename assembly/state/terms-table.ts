// Bounded New Terms state of one rule: term hash (u64) -> lastSeen (i64, ms of event time).
//
// Streaming definition (shared spec new-terms.md): on an event at time t, a term is new iff it
// is absent or lastSeen < t - window; then lastSeen = max(lastSeen, t). When the table is full,
// a new term first evicts the term with the smallest lastSeen (it would expire first anyway).
//
// Memory: one block, allocated by the constructor and never grown, outside the garbage
// collector (heap.alloc), so lookups allocate nothing and memory stays bounded. Two regions:
// - hash slots (open addressing, linear probing, backward-shift deletion; no tombstones):
//     [hash u64][heap position u32]            = 12 bytes per slot
//   hash 0 marks an empty slot (a real hash 0 is stored as ZERO_HASH_STAND_IN);
// - a binary min-heap on lastSeen, so the oldest term is found in O(1) and removed in O(log n):
//     [lastSeen i64][slot index u32]           = 12 bytes per entry, one per stored term.
// Slots = capacity * 1.5 (maximum load factor 2/3: short probes), so a stored term costs
// exactly 1.5 * 12 + 12 = 30 bytes (TERMS_TABLE_BYTES_PER_TERM; odd capacities round the slots
// down: 6 bytes less in total; capacity 1 gets 2 slots), plus a fixed ~100 bytes per table
// (the object and the allocator's block headers).
// Keeping lastSeen in the heap entry (not in the slot) lets heap moves compare keys without
// visiting the slots.
//
// Never traps: no managed arrays or bounds-checked accessors, only load/store inside the block;
// restore() checks its input range against the memory size before reading it.

const SLOT_BYTES: usize = 12;
const SLOT_POSITION: usize = 8;
const ENTRY_BYTES: usize = 12;
const ENTRY_SLOT: usize = 8;
/** 12-byte records put u64 fields at 4-byte alignment; tell the engine so. */
const ALIGN: usize = 4;

const EMPTY: u64 = 0;
/** Stored in place of a term hash equal to 0 (the empty-slot marker). */
const ZERO_HASH_STAND_IN: u64 = 0x8F1BBCDCCA62C1D6;

/** Bytes per stored term, all overhead included (see the layout above). */
export const TERMS_TABLE_BYTES_PER_TERM: u64 = 30;
/** Largest capacity: 2^25 terms = 960 MiB, kept well inside a 32-bit address space. */
export const TERMS_TABLE_MAX_CAPACITY: u32 = 1 << 25;
/** lastSeenOf() of a term that is not stored. */
export const TERM_ABSENT: i64 = i64.MIN_VALUE;
/** Snapshot layout: u32 entry count, then per entry u64 hash and i64 lastSeen, little-endian. */
const SNAPSHOT_HEADER_BYTES: usize = 4;
const SNAPSHOT_ENTRY_BYTES: usize = 16;

// @ts-ignore: decorator
@inline function storedHash(hash: u64): u64 {
  return hash == EMPTY ? ZERO_HASH_STAND_IN : hash;
}

/** t - windowMs, saturating instead of wrapping; a negative window counts as 0. */
// @ts-ignore: decorator
@inline function windowStart(t: i64, windowMs: i64): i64 {
  if (windowMs <= 0) return t;
  const start = t - windowMs;
  return start > t ? i64.MIN_VALUE : start;
}

/** Slot count for a capacity: capacity * 1.5, and always at least one empty slot. */
function slotCountFor(capacity: u32): u32 {
  const extra = capacity >> 1;
  return capacity + (extra > 0 ? extra : 1);
}

/** True when the linear range [ptr, ptr + len) lies inside the current memory. */
function inMemory(ptr: usize, len: usize): bool {
  return <u64>ptr + <u64>len <= (<u64>memory.size() << 16);
}

export class TermsTable {
  private _capacity: u32;
  private slotCount: u32;
  private slots: usize;
  private heap: usize;
  private _size: u32 = 0;
  private _inserts: u64 = 0;
  private _evictionsInWindow: u64 = 0;
  private _expirations: u64 = 0;

  /** A table for `capacity` terms (clamped to 1..TERMS_TABLE_MAX_CAPACITY). */
  constructor(capacity: u32) {
    if (capacity < 1) capacity = 1;
    if (capacity > TERMS_TABLE_MAX_CAPACITY) capacity = TERMS_TABLE_MAX_CAPACITY;
    this._capacity = capacity;
    this.slotCount = slotCountFor(capacity);
    const slotBytes = <usize>this.slotCount * SLOT_BYTES;
    this.slots = heap.alloc(slotBytes + <usize>capacity * ENTRY_BYTES);
    this.heap = this.slots + slotBytes;
    memory.fill(this.slots, 0, slotBytes);
  }

  /** Capacity that fits `budgetBytes` at TERMS_TABLE_BYTES_PER_TERM (at least 1, at most the maximum). */
  static capacityForBudget(budgetBytes: u64): u32 {
    const terms = budgetBytes / TERMS_TABLE_BYTES_PER_TERM;
    if (terms < 1) return 1;
    return terms > <u64>TERMS_TABLE_MAX_CAPACITY ? TERMS_TABLE_MAX_CAPACITY : <u32>terms;
  }

  /** Bytes of the table's block for a capacity (what the constructor allocates). */
  static blockBytes(capacity: u32): u64 {
    return <u64>slotCountFor(capacity) * SLOT_BYTES + <u64>capacity * ENTRY_BYTES;
  }

  get capacity(): u32 { return this._capacity; }
  get size(): u32 { return this._size; }
  /** Terms added by observe() (restore() does not count). */
  get inserts(): u64 { return this._inserts; }
  /** Evictions of a term still inside its window when the table was full: it may re-alert later. */
  get evictionsInWindow(): u64 { return this._evictionsInWindow; }
  /** Terms dropped after their window had passed (by expire(), or evicted when already outside it). */
  get expirations(): u64 { return this._expirations; }

  /**
   * Records an event at time `t` carrying term `hash`; returns true iff the term is new: absent,
   * or last seen before t - windowMs. A late event (t below lastSeen) never lowers lastSeen.
   */
  observe(hash: u64, t: i64, windowMs: i64): bool {
    const h = storedHash(hash);
    const cutoff = windowStart(t, windowMs);
    let slot = this.findSlot(h);
    const slotPtr = this.slots + <usize>slot * SLOT_BYTES;
    if (load<u64>(slotPtr, 0, ALIGN) == h) {
      const position = load<u32>(slotPtr, SLOT_POSITION);
      const entry = this.heap + <usize>position * ENTRY_BYTES;
      const lastSeen = load<i64>(entry, 0, ALIGN);
      if (t > lastSeen) {
        store<i64>(entry, t, 0, ALIGN);
        this.siftDown(position);
      }
      return lastSeen < cutoff;
    }
    if (this._size >= this._capacity) {
      if (load<i64>(this.heap, 0, ALIGN) >= cutoff) this._evictionsInWindow++;
      else this._expirations++;
      this.removeOldest();
      slot = this.findSlot(h); // the deletion may have shifted entries of this probe run
    }
    this.insert(slot, h, t);
    this._inserts++;
    return true;
  }

  /** Removes every term last seen before now - windowMs; returns how many. O(1) when none. */
  expire(now: i64, windowMs: i64): u32 {
    const cutoff = windowStart(now, windowMs);
    let removed: u32 = 0;
    while (this._size > 0 && load<i64>(this.heap, 0, ALIGN) < cutoff) {
      this.removeOldest();
      removed++;
    }
    this._expirations += removed;
    return removed;
  }

  /** lastSeen of a term, or TERM_ABSENT. */
  lastSeenOf(hash: u64): i64 {
    const h = storedHash(hash);
    const slotPtr = this.slots + <usize>this.findSlot(h) * SLOT_BYTES;
    if (load<u64>(slotPtr, 0, ALIGN) != h) return TERM_ABSENT;
    const position = load<u32>(slotPtr, SLOT_POSITION);
    return load<i64>(this.heap + <usize>position * ENTRY_BYTES, 0, ALIGN);
  }

  /** Smallest lastSeen stored (the next eviction), or TERM_ABSENT when empty. */
  oldestLastSeen(): i64 {
    return this._size == 0 ? TERM_ABSENT : load<i64>(this.heap, 0, ALIGN);
  }

  /** Drops every term; counters are kept. */
  clear(): void {
    memory.fill(this.slots, 0, <usize>this.slotCount * SLOT_BYTES);
    this._size = 0;
  }

  /** Returns the block to the allocator; the table must not be used afterwards. */
  dispose(): void {
    heap.free(this.slots);
    this.slots = 0;
    this.heap = 0;
    this._size = 0;
  }

  // ---- snapshot -------------------------------------------------------------------------

  /** Bytes serialize() writes: 4 + 16 per stored term. */
  serializedSize(): usize {
    return SNAPSHOT_HEADER_BYTES + <usize>this._size * SNAPSHOT_ENTRY_BYTES;
  }

  /**
   * Writes the snapshot (u32 count, then count x (u64 hash, i64 lastSeen), little-endian) at
   * `dst`, which must have serializedSize() bytes; returns the bytes written (0 if the range
   * is outside memory). Entries go out in heap order, so restoring them rebuilds the heap
   * without moves.
   */
  serialize(dst: usize): usize {
    const total = this.serializedSize();
    if (!inMemory(dst, total)) return 0;
    store<u32>(dst, this._size);
    let out = dst + SNAPSHOT_HEADER_BYTES;
    const n = this._size;
    for (let position: u32 = 0; position < n; position++) {
      const entry = this.heap + <usize>position * ENTRY_BYTES;
      const slot = load<u32>(entry, ENTRY_SLOT);
      store<u64>(out, load<u64>(this.slots + <usize>slot * SLOT_BYTES, 0, ALIGN), 0, 1);
      store<i64>(out, load<i64>(entry, 0, ALIGN), 8, 1);
      out += SNAPSHOT_ENTRY_BYTES;
    }
    return total;
  }

  /**
   * Replaces the content with the snapshot in [src, src + len). Returns false, leaving the
   * table empty, when the length does not match the entry count (or the range is outside
   * memory). With more entries than capacity, the most recent ones are kept; a hash present
   * twice keeps its larger lastSeen. Counters are not changed.
   */
  restore(src: usize, len: usize): bool {
    this.clear();
    return this.merge(src, len);
  }

  /**
   * Adds the entries of a snapshot in [src, src + len) to the content (the journal's replay): a
   * stored term keeps the larger lastSeen, so merging the same entries twice changes nothing.
   * False, changing nothing, when the length does not match the entry count.
   */
  merge(src: usize, len: usize): bool {
    if (len < SNAPSHOT_HEADER_BYTES || !inMemory(src, len)) return false;
    const count = load<u32>(src, 0, 1);
    if (<u64>len != <u64>SNAPSHOT_HEADER_BYTES + <u64>count * <u64>SNAPSHOT_ENTRY_BYTES) return false;
    let input = src + SNAPSHOT_HEADER_BYTES;
    for (let i: u32 = 0; i < count; i++) {
      this.restoreEntry(storedHash(load<u64>(input, 0, 1)), load<i64>(input, 8, 1));
      input += SNAPSHOT_ENTRY_BYTES;
    }
    return true;
  }

  private restoreEntry(h: u64, lastSeen: i64): void {
    let slot = this.findSlot(h);
    const slotPtr = this.slots + <usize>slot * SLOT_BYTES;
    if (load<u64>(slotPtr, 0, ALIGN) == h) {
      const position = load<u32>(slotPtr, SLOT_POSITION);
      const entry = this.heap + <usize>position * ENTRY_BYTES;
      if (lastSeen > load<i64>(entry, 0, ALIGN)) {
        store<i64>(entry, lastSeen, 0, ALIGN);
        this.siftDown(position);
      }
      return;
    }
    if (this._size >= this._capacity) {
      if (lastSeen <= load<i64>(this.heap, 0, ALIGN)) return;
      this.removeOldest();
      slot = this.findSlot(h);
    }
    this.insert(slot, h, lastSeen);
  }

  // ---- consistency check (tests, debugging) ---------------------------------------------

  /**
   * O(slots) self-check: every stored hash is found by a lookup (no gap in its probe run, no
   * duplicate), slot and heap entry point at each other, the heap is ordered, and the number
   * of stored hashes is size <= capacity.
   */
  checkInvariants(): bool {
    if (this._size > this._capacity) return false;
    let stored: u32 = 0;
    for (let slot: u32 = 0; slot < this.slotCount; slot++) {
      const slotPtr = this.slots + <usize>slot * SLOT_BYTES;
      const h = load<u64>(slotPtr, 0, ALIGN);
      if (h == EMPTY) continue;
      stored++;
      if (this.findSlot(h) != slot) return false;
      const position = load<u32>(slotPtr, SLOT_POSITION);
      if (position >= this._size) return false;
      if (load<u32>(this.heap + <usize>position * ENTRY_BYTES, ENTRY_SLOT) != slot) return false;
    }
    if (stored != this._size) return false;
    for (let position: u32 = 1; position < this._size; position++) {
      const parent = (position - 1) >> 1;
      const parentKey = load<i64>(this.heap + <usize>parent * ENTRY_BYTES, 0, ALIGN);
      if (parentKey > load<i64>(this.heap + <usize>position * ENTRY_BYTES, 0, ALIGN)) return false;
    }
    return true;
  }

  // ---- hash slots -----------------------------------------------------------------------

  /** Slot where a probe run starts: the high 32 hash bits scaled to the slot count. */
  // @ts-ignore: decorator
  @inline private home(h: u64): u32 {
    return <u32>(((h >> 32) * <u64>this.slotCount) >> 32);
  }

  /** The slot holding `h`, or the empty slot ending its probe run (there always is one). */
  private findSlot(h: u64): u32 {
    const slots = this.slots;
    const last = this.slotCount - 1;
    let slot = this.home(h);
    while (true) {
      const current = load<u64>(slots + <usize>slot * SLOT_BYTES, 0, ALIGN);
      if (current == h || current == EMPTY) return slot;
      slot = slot == last ? 0 : slot + 1;
    }
    return slot;
  }

  /** Stores a new term in the empty `slot` and adds its heap entry. */
  private insert(slot: u32, h: u64, lastSeen: i64): void {
    const position = this._size;
    this._size = position + 1;
    store<u64>(this.slots + <usize>slot * SLOT_BYTES, h, 0, ALIGN);
    this.siftUp(position, lastSeen, slot);
  }

  /** Empties `slot` and shifts later members of its probe run back (no tombstones). */
  private deleteSlot(slot: u32): void {
    const slots = this.slots;
    const last = this.slotCount - 1;
    let hole = slot;
    let next = slot;
    while (true) {
      next = next == last ? 0 : next + 1;
      const nextPtr = slots + <usize>next * SLOT_BYTES;
      const h = load<u64>(nextPtr, 0, ALIGN);
      if (h == EMPTY) break;
      const home = this.home(h);
      // The entry may fill the hole only if its home is not cyclically inside (hole, next].
      const homeAfterHole = hole <= next ? home > hole && home <= next : home > hole || home <= next;
      if (homeAfterHole) continue;
      const position = load<u32>(nextPtr, SLOT_POSITION);
      const holePtr = slots + <usize>hole * SLOT_BYTES;
      store<u64>(holePtr, h, 0, ALIGN);
      store<u32>(holePtr, position, SLOT_POSITION);
      store<u32>(this.heap + <usize>position * ENTRY_BYTES, hole, ENTRY_SLOT);
      hole = next;
    }
    store<u64>(slots + <usize>hole * SLOT_BYTES, EMPTY, 0, ALIGN);
  }

  // ---- min-heap on lastSeen -------------------------------------------------------------

  /** Removes the term with the smallest lastSeen (size must be > 0). */
  private removeOldest(): void {
    const slot = load<u32>(this.heap, ENTRY_SLOT);
    const lastPosition = this._size - 1;
    this._size = lastPosition;
    if (lastPosition > 0) {
      const lastEntry = this.heap + <usize>lastPosition * ENTRY_BYTES;
      store<i64>(this.heap, load<i64>(lastEntry, 0, ALIGN), 0, ALIGN);
      const movedSlot = load<u32>(lastEntry, ENTRY_SLOT);
      store<u32>(this.heap, movedSlot, ENTRY_SLOT);
      store<u32>(this.slots + <usize>movedSlot * SLOT_BYTES, 0, SLOT_POSITION);
      this.siftDown(0);
    }
    this.deleteSlot(slot);
  }

  /** Places (key, slot) at `position` or above it, moving larger parents down. */
  private siftUp(position: u32, key: i64, slot: u32): void {
    const heap = this.heap;
    const slots = this.slots;
    while (position > 0) {
      const parent = (position - 1) >> 1;
      const parentEntry = heap + <usize>parent * ENTRY_BYTES;
      const parentKey = load<i64>(parentEntry, 0, ALIGN);
      if (parentKey <= key) break;
      const parentSlot = load<u32>(parentEntry, ENTRY_SLOT);
      const entry = heap + <usize>position * ENTRY_BYTES;
      store<i64>(entry, parentKey, 0, ALIGN);
      store<u32>(entry, parentSlot, ENTRY_SLOT);
      store<u32>(slots + <usize>parentSlot * SLOT_BYTES, position, SLOT_POSITION);
      position = parent;
    }
    const entry = heap + <usize>position * ENTRY_BYTES;
    store<i64>(entry, key, 0, ALIGN);
    store<u32>(entry, slot, ENTRY_SLOT);
    store<u32>(slots + <usize>slot * SLOT_BYTES, position, SLOT_POSITION);
  }

  /** Moves the entry at `position` down below every smaller child. */
  private siftDown(position: u32): void {
    const heap = this.heap;
    const slots = this.slots;
    const n = this._size;
    const start = heap + <usize>position * ENTRY_BYTES;
    const key = load<i64>(start, 0, ALIGN);
    const slot = load<u32>(start, ENTRY_SLOT);
    while (true) {
      let child = position * 2 + 1;
      if (child >= n) break;
      let childEntry = heap + <usize>child * ENTRY_BYTES;
      let childKey = load<i64>(childEntry, 0, ALIGN);
      if (child + 1 < n) {
        const rightKey = load<i64>(childEntry, ENTRY_BYTES, ALIGN);
        if (rightKey < childKey) {
          child++;
          childEntry += ENTRY_BYTES;
          childKey = rightKey;
        }
      }
      if (childKey >= key) break;
      const childSlot = load<u32>(childEntry, ENTRY_SLOT);
      const entry = heap + <usize>position * ENTRY_BYTES;
      store<i64>(entry, childKey, 0, ALIGN);
      store<u32>(entry, childSlot, ENTRY_SLOT);
      store<u32>(slots + <usize>childSlot * SLOT_BYTES, position, SLOT_POSITION);
      position = child;
    }
    const entry = heap + <usize>position * ENTRY_BYTES;
    store<i64>(entry, key, 0, ALIGN);
    store<u32>(entry, slot, ENTRY_SLOT);
    store<u32>(slots + <usize>slot * SLOT_BYTES, position, SLOT_POSITION);
  }
}
