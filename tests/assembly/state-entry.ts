// Test-only entry over assembly/state/ and assembly/util/hash.ts, for tests/assembly-state.test.ts.
//
// It drives one TermsTable at a time (a global, replaced by createTable) and exposes plain
// numbers only, so the test needs no bindings. i64/u64 values cross as JS BigInts.
//
// Built with the product's flags: --runtime minimal --exportRuntime --noAssert -O3
//   --use abort=tests/assembly/state-entry/abortNoop

import { hashBytes, hashCombine } from '../../assembly/util/hash';
import { TermsTable, TERMS_TABLE_BYTES_PER_TERM } from '../../assembly/state/terms-table';
import { MIN_TERMS_PER_RULE, ruleShareBytes, ruleTermCapacity } from '../../assembly/state/budget';

export { hashBytes, hashCombine };

let table = new TermsTable(16);

/** Replaces the table; returns the capacity it got. */
export function createTable(capacity: u32): u32 {
  table.dispose();
  table = new TermsTable(capacity);
  return table.capacity;
}

/** Replaces the table with one sized from a byte budget; returns its capacity. */
export function createTableForBudget(budgetBytes: u64): u32 {
  return createTable(TermsTable.capacityForBudget(budgetBytes));
}

export function observe(hash: u64, t: i64, windowMs: i64): bool {
  return table.observe(hash, t, windowMs);
}

export function expire(now: i64, windowMs: i64): u32 {
  return table.expire(now, windowMs);
}

export function lastSeenOf(hash: u64): i64 {
  return table.lastSeenOf(hash);
}

export function oldestLastSeen(): i64 {
  return table.oldestLastSeen();
}

export function size(): u32 { return table.size; }
export function capacity(): u32 { return table.capacity; }
export function inserts(): u64 { return table.inserts; }
export function evictionsInWindow(): u64 { return table.evictionsInWindow; }
export function expirations(): u64 { return table.expirations; }
export function checkInvariants(): bool { return table.checkInvariants(); }
export function clear(): void { table.clear(); }

export function serializedSize(): usize { return table.serializedSize(); }
export function serialize(dst: usize): usize { return table.serialize(dst); }
export function restore(src: usize, len: usize): bool { return table.restore(src, len); }

export function bytesPerTerm(): u64 { return TERMS_TABLE_BYTES_PER_TERM; }
export function blockBytes(capacity: u32): u64 { return TermsTable.blockBytes(capacity); }
export function minTermsPerRule(): u32 { return MIN_TERMS_PER_RULE; }
export function shareBytes(totalBytes: u64, ruleCount: u32): u64 { return ruleShareBytes(totalBytes, ruleCount); }
export function termCapacity(totalBytes: u64, ruleCount: u32): u32 { return ruleTermCapacity(totalBytes, ruleCount); }

// ---- a reusable scratch buffer the test writes inputs into / reads outputs from ----

let scratchPtr: usize = 0;
let scratchLen: usize = 0;

/** A buffer of at least `len` bytes (reused; grows only when asked for more). */
export function scratch(len: usize): usize {
  if (len > scratchLen) {
    if (scratchPtr != 0) heap.free(scratchPtr);
    scratchPtr = heap.alloc(len);
    scratchLen = len;
  }
  return scratchPtr;
}

/**
 * Hashes `count` byte strings laid out back to back at `bytes`; string i spans
 * [offsets[i], offsets[i + 1]) (u32 offsets). Writes the u64 hashes at `out`.
 */
export function hashMany(bytes: usize, offsets: usize, count: u32, seed: u64, out: usize): void {
  for (let i: u32 = 0; i < count; i++) {
    const start = load<u32>(offsets + (<usize>i << 2));
    const end = load<u32>(offsets + (<usize>i << 2), 4);
    store<u64>(out + (<usize>i << 3), hashBytes(bytes + start, end - start, seed));
  }
}

const termBuffer: usize = memory.data(32, 8);

/**
 * The product's path, repeated: builds term i's bytes ("term-" + 8-byte counter), hashes them
 * and observes the hash at t0 + i * stepMs. Returns how many observations were new.
 */
export function observeDistinctTerms(count: u32, firstTerm: u64, t0: i64, stepMs: i64, windowMs: i64): u32 {
  let fresh: u32 = 0;
  store<u64>(termBuffer, 0x2D6D726574); // "term-" then zero bytes
  for (let i: u32 = 0; i < count; i++) {
    store<u64>(termBuffer, firstTerm + <u64>i, 5);
    const h = hashBytes(termBuffer, 13, 0);
    if (table.observe(h, t0 + <i64>i * stepMs, windowMs)) fresh++;
  }
  return fresh;
}

/** Routed here by --use abort=...: does nothing, so the module imports nothing from `env`. */
function abortNoop(message: string | null, fileName: string | null, line: u32, column: u32): void {}
