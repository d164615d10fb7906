// Splitting the New Terms memory budget between rules.
//
// Every New Terms rule gets an equal share of the total budget: rules cannot be ranked by how
// many distinct terms they will meet, and equal shares make each rule's capacity predictable
// from the configuration alone. A rule's capacity is floor(share / TERMS_TABLE_BYTES_PER_TERM),
// but never below MIN_TERMS_PER_RULE: a table too small to hold a handful of terms would evict
// on almost every event and re-alert constantly, so a tiny budget is exceeded rather than
// making a rule useless (at most MIN_TERMS_PER_RULE * 30 bytes = 1920 bytes per rule).
// The fixed per-table overhead (~100 bytes: object and allocator headers) is not counted.

import { TERMS_TABLE_BYTES_PER_TERM, TERMS_TABLE_MAX_CAPACITY } from './terms-table';

/** Smallest capacity any rule gets, whatever the budget. */
export const MIN_TERMS_PER_RULE: u32 = 64;

/** Bytes of the total budget that one of `ruleCount` rules may use (0 when there are no rules). */
export function ruleShareBytes(totalBytes: u64, ruleCount: u32): u64 {
  return ruleCount == 0 ? 0 : totalBytes / <u64>ruleCount;
}

/** Terms one of `ruleCount` rules can hold within `totalBytes` (MIN_TERMS_PER_RULE at least). */
export function ruleTermCapacity(totalBytes: u64, ruleCount: u32): u32 {
  const terms = ruleShareBytes(totalBytes, ruleCount) / TERMS_TABLE_BYTES_PER_TERM;
  if (terms < <u64>MIN_TERMS_PER_RULE) return MIN_TERMS_PER_RULE;
  return terms > <u64>TERMS_TABLE_MAX_CAPACITY ? TERMS_TABLE_MAX_CAPACITY : <u32>terms;
}
