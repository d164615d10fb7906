// The state file's binary layout (docs/state-format.md; all integers little-endian).
//
// Snapshot, version 2:
//   header   "KQES" u32 version=2, u32 sectionCount, u32 reserved=0           (16 bytes)
//   section  u32 kind, u32 length, u64 key, then `length` bytes of payload    (repeated)
//   trailer  u64 checksum of every byte before it
// Journal (beside the snapshot, "<path>.journal"), version 1:
//   header   "KQEJ" u32 version=1                                              (8 bytes)
//   entry    u32 kind, u32 length, u64 key, payload, u64 checksum of the entry (repeated)
// A section or entry kind says what the payload is; the key says whose state it is (for a rule, its
// state key: rule id, query, fields and window hashed by the compiler). Readers skip kinds they do
// not know, so later rule types add kinds without a new version.
// Snapshot version 1 (the first release): "KQES" u32 1, u32 ruleCount, i64 firstEventTime, then per
// rule u64 key, u32 length, New Terms payload, then the u64 checksum; still read.

export const SNAPSHOT_MAGIC: u32 = 0x5345514b; // "KQES"
export const SNAPSHOT_VERSION: u32 = 2;
export const SNAPSHOT_V1: u32 = 1;
export const SNAPSHOT_HEADER: usize = 16;
export const SNAPSHOT_V1_HEADER: usize = 20;
export const SNAPSHOT_CHECKSUM_SEED: u64 = 0x736e617073686f74;

export const JOURNAL_MAGIC: u32 = 0x4a45514b; // "KQEJ"
export const JOURNAL_VERSION: u32 = 1;
export const JOURNAL_HEADER: usize = 8;
export const JOURNAL_CHECKSUM_SEED: u64 = 0x6a6f75726e616c31;

/** Section/entry header: kind, length, key. */
export const SECTION_HEADER: usize = 16;
export const ENTRY_CHECKSUM: usize = 8;

export namespace Kind {
  /** Module-wide values: i64 firstEventTime (start of the learning period). Key 0. */
  export const Module: u32 = 1;
  /** One New Terms rule: u32 count, then count x (u64 term hash, i64 lastSeen ms). */
  export const NewTerms: u32 = 2;
  /** One EQL sequence rule's pending sequences (state/sequence-section.ts). */
  export const Sequences: u32 = 3;
  /** One ES|QL STATS rule's windows (state/window-section.ts); snapshots only, not journaled. */
  export const Windows: u32 = 4;
}

/** Module section payload length (longer payloads are accepted: later fields are appended). */
export const MODULE_PAYLOAD: u32 = 8;
