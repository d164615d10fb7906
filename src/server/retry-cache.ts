// What makes a retried batch deliver the alerts it produced the first time.
//
// Evaluating a batch changes the new-terms state: a term that alerted is now known. If the batch is
// then not delivered and the sender retries it, evaluating it again would find the term known and the
// alert would be lost. So the evaluated output of every batch whose delivery failed is kept, keyed by
// a hash of the request body, and a retry (same body, same hash) forwards the stored output instead of
// evaluating again. The cache is bounded in entries and bytes; the least recently stored entries go
// first, and each eviction is reported (the alerts of that batch may be lost if it is retried).
import type { Framing } from './framing.js';

export interface EvaluatedBatch {
  framing: Framing;
  /** The body to forward, in the batch's framing (dropped records removed); undefined when every record
   *  passed through unchanged, so the request body itself is forwarded. */
  output?: Buffer;
  /** Records in the request. */
  received: number;
  /** Records forwarded (received minus those dropped in alerts-only mode). */
  forwarded: number;
  /** Records that left the filter tagged (each carries one or more alerts). */
  tagged: number;
  /** Bytes the output holds (0 when it is the request body itself). */
  bytes: number;
}

export interface Eviction {
  hash: string;
  batch: EvaluatedBatch;
}

export class RetryCache {
  // Map iteration order is insertion order: the first key is the oldest entry.
  private readonly entries = new Map<string, EvaluatedBatch>();
  private totalBytes = 0;

  constructor(
    readonly maxEntries: number,
    readonly maxBytes: number,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  get bytes(): number {
    return this.totalBytes;
  }

  taggedRecords(): number {
    let n = 0;
    for (const b of this.entries.values()) n += b.tagged;
    return n;
  }

  get(hash: string): EvaluatedBatch | undefined {
    return this.entries.get(hash);
  }

  /** Stores an output; returns the entries pushed out to stay within bounds (possibly the new one). */
  put(hash: string, batch: EvaluatedBatch): Eviction[] {
    this.delete(hash);
    this.entries.set(hash, batch);
    this.totalBytes += entryCost(batch);
    const evicted: Eviction[] = [];
    for (const [oldest, old] of this.entries) {
      if (this.entries.size <= this.maxEntries && this.totalBytes <= this.maxBytes) break;
      this.delete(oldest);
      evicted.push({ hash: oldest, batch: old });
    }
    return evicted;
  }

  delete(hash: string): void {
    const old = this.entries.get(hash);
    if (!old) return;
    this.entries.delete(hash);
    this.totalBytes -= entryCost(old);
  }
}

/** Bytes charged for an entry: its output plus a fixed overhead for the key and bookkeeping. */
function entryCost(batch: EvaluatedBatch): number {
  return batch.bytes + ENTRY_OVERHEAD_BYTES;
}

const ENTRY_OVERHEAD_BYTES = 128;

/** A bounded set of recently seen hashes (oldest forgotten first). */
export class HashMemory {
  private readonly seen = new Set<string>();

  constructor(readonly capacity: number) {}

  add(hash: string): void {
    this.seen.delete(hash);
    this.seen.add(hash);
    while (this.seen.size > this.capacity) {
      const oldest = this.seen.values().next().value as string;
      this.seen.delete(oldest);
    }
  }

  has(hash: string): boolean {
    return this.seen.has(hash);
  }

  delete(hash: string): void {
    this.seen.delete(hash);
  }
}
