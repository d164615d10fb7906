// A map from u64 keys to non-zero u32 values (value ids + 1, group addresses) outside the
// collector: open addressing with linear probing, at most half full, its table a block of a
// BlockPool. A managed Map cost two lookups per access and reallocated its tables as it grew and
// shrank; this one probes once, never shrinks while in use, and is emptied in place.
import { BlockPool } from './block-pool';

const SLOT: usize = 16; // u64 key, u32 value (0: empty), u32 unused
const MIN_SLOTS: u32 = 16;

export class U64Index {
  private table: usize = 0;
  private slots: u32 = 0;
  /** Keys held. */
  size: u32 = 0;
  private readonly pool: BlockPool;

  constructor(pool: BlockPool) {
    this.pool = pool;
  }

  /** The slot of key k, or of the empty slot where it would go (the table is never full). */
  private slotOf(k: u64): usize {
    const mask = this.slots - 1;
    let i = <u32>k & mask;
    while (true) {
      const e = this.table + (<usize>i << 4);
      if (load<u32>(e, 8) == 0 || load<u64>(e) == k) return e;
      i = (i + 1) & mask;
    }
    return 0;
  }

  /** k's value, or 0 when absent. */
  get(k: u64): u32 {
    if (this.slots == 0) return 0;
    return load<u32>(this.slotOf(k), 8);
  }

  /** Adds key k (absent) with value v (non-zero). */
  add(k: u64, v: u32): void {
    if ((this.size + 1) * 2 > this.slots) this.grow();
    const e = this.slotOf(k);
    store<u64>(e, k);
    store<u32>(e, v, 8);
    this.size++;
  }

  private grow(): void {
    const oldTable = this.table;
    const oldSlots = this.slots;
    const slots = oldSlots < MIN_SLOTS ? MIN_SLOTS : oldSlots * 2;
    this.table = this.pool.take(<usize>slots * SLOT);
    this.slots = slots;
    memory.fill(this.table, 0, <usize>slots * SLOT);
    for (let i: u32 = 0; i < oldSlots; i++) {
      const e = oldTable + (<usize>i << 4);
      if (load<u32>(e, 8) == 0) continue;
      const to = this.slotOf(load<u64>(e));
      store<u64>(to, load<u64>(e));
      store<u32>(to, load<u32>(e, 8), 8);
    }
    if (oldTable != 0) this.pool.give(oldTable, <usize>oldSlots * SLOT);
  }

  /** Removes key k (if present): later slots of its probe run move back, so no search stops early. */
  delete(k: u64): void {
    if (this.slots == 0) return;
    const mask = this.slots - 1;
    let hole = this.slotOf(k);
    if (load<u32>(hole, 8) == 0) return;
    let i = <u32>((hole - this.table) >> 4);
    let j = i;
    while (true) {
      j = (j + 1) & mask;
      const e = this.table + (<usize>j << 4);
      if (load<u32>(e, 8) == 0) break;
      const home = <u32>load<u64>(e) & mask;
      // Entry j may fill the hole unless its home lies cyclically in (i, j].
      if (((j - home) & mask) >= ((j - i) & mask)) {
        store<u64>(hole, load<u64>(e));
        store<u32>(hole, load<u32>(e, 8), 8);
        hole = e;
        i = j;
      }
    }
    store<u64>(hole, 0);
    store<u32>(hole, 0, 8);
    this.size--;
  }

  /** Empties the index in place (its table is kept). */
  clear(): void {
    if (this.size > 0) memory.fill(this.table, 0, <usize>this.slots * SLOT);
    this.size = 0;
  }

  /** Gives the table back to the pool (the index is empty afterwards). */
  release(): void {
    if (this.table != 0) this.pool.give(this.table, <usize>this.slots * SLOT);
    this.table = 0;
    this.slots = 0;
    this.size = 0;
  }
}
