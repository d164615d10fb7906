// Freed blocks of one STATS rule's windows, kept for reuse (docs/semantics.md, "Budget"). Groups
// and their values mostly live one burst, so the same sizes are freed and wanted again all the
// time: taking a pooled block is a pointer pop, where the allocator searches, splits and merges, and
// a record that needs no new memory makes no allocation at all. The pool is bounded in bytes (a
// fraction of the rule's share, outside it); a block past the bound goes back to the allocator.
//
// Size classes: up to 512 bytes, every multiple of 16; above, powers of two (entry buffers, value
// indexes and slot arrays grow by doubling). A block is freed with the size it was taken with.

const SMALL_LIMIT: usize = 512;
const SMALL_CLASSES: u32 = 32; // 16, 32, ..., 512
const LARGEST_LOG2: u32 = 27; // 128 MiB: above every entry buffer (64 MiB at most)
const MAX_CLASS: i32 = <i32>(SMALL_CLASSES + LARGEST_LOG2 - 9);

/** The bytes a block taken for `size` really has (its class's size). */
export function blockCapacity(size: usize): usize {
  if (size <= SMALL_LIMIT) return size == 0 ? 16 : (size + 15) & ~15;
  return <usize>1 << (32 - clz<u32>(<u32>size - 1));
}

/** The bytes of class c's blocks. */
function classBytes(c: i32): usize {
  return c <= <i32>SMALL_CLASSES ? <usize>c << 4 : <usize>1 << <usize>(c - <i32>SMALL_CLASSES + 9);
}

/** The class of `size`, or -1 when it is larger than any class. */
function classOf(size: usize): i32 {
  if (size <= SMALL_LIMIT) return size == 0 ? 1 : <i32>((size + 15) >> 4);
  const log2 = <u32>(32 - clz<u32>(<u32>size - 1));
  if (log2 > LARGEST_LOG2) return -1;
  return <i32>(SMALL_CLASSES + <u32>log2 - 9);
}

export class BlockPool {
  /** Per class: the first pooled block (each holds the next in its first word). */
  private readonly heads: StaticArray<usize> = new StaticArray<usize>(MAX_CLASS + 1);
  /** Bytes held here (pooled blocks and whatever admit() let in). */
  pooledBytes: usize = 0;
  readonly limitBytes: usize;

  constructor(limitBytes: usize) {
    this.limitBytes = limitBytes;
  }

  /** A block of at least `size` bytes (blockCapacity(size)), pooled when one is. */
  take(size: usize): usize {
    const c = classOf(size);
    if (c < 0) return heap.alloc(size);
    const p = unchecked(this.heads[c]);
    if (p == 0) return heap.alloc(blockCapacity(size));
    unchecked((this.heads[c] = load<usize>(p)));
    this.pooledBytes -= blockCapacity(size);
    return p;
  }

  /** Takes back a block taken for `size`: pooled while the bound allows, else freed. */
  give(p: usize, size: usize): void {
    const c = classOf(size);
    const bytes = blockCapacity(size);
    if (c < 0 || !this.admit(bytes)) {
      heap.free(p);
      return;
    }
    store<usize>(p, unchecked(this.heads[c]));
    unchecked((this.heads[c] = p));
  }

  /** Counts `bytes` more as held by the pool, if the bound allows (e.g. a spare group object). */
  admit(bytes: usize): bool {
    if (this.pooledBytes + bytes > this.limitBytes) return false;
    this.pooledBytes += bytes;
    return true;
  }

  /** Counts `bytes` less (a spare object taken again). */
  release(bytes: usize): void {
    this.pooledBytes -= bytes;
  }

  /** Frees every pooled block. */
  drain(): void {
    for (let c = 0; c <= MAX_CLASS; c++) {
      let p = unchecked(this.heads[c]);
      while (p != 0) {
        const next = load<usize>(p);
        heap.free(p);
        this.pooledBytes -= classBytes(c);
        p = next;
      }
      unchecked((this.heads[c] = 0));
    }
  }
}
