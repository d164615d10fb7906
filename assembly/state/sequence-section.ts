// The pending EQL sequences of one rule as a state-file payload (section kind 3, and journal entries
// of the same kind; docs/state-format.md):
//   u32 stages of the rule, u32 item count, then per item
//   u64 join key hash, u32 stages matched (1 .. stages-1), u32 stages stored: `matched` (the pending
//   sequence, then per stored stage i64 event time, u8 identity length (255: none), the identity
//   bytes) or 0 (the pending sequence is gone: completed, expired, ended by `until`, evicted; journal
//   only).
// A snapshot section lists the pending sequences least recently used first, so inserting them in that
// order rebuilds the eviction order; a table smaller than the section keeps the most recent ones and
// counts the others as evictions. A payload is checked whole before anything is applied.
import { SequenceTable, SEQ_ID_BYTES, NO_ID } from './sequences';

const PAYLOAD_HEADER: usize = 8;
const ITEM_HEADER: usize = 16;
const NIL: u32 = 0xffffffff;

/** Bytes of the item for entry e of `table`. */
export function itemSize(table: SequenceTable, e: u32): usize {
  let n = ITEM_HEADER;
  const matched = table.matchedOf(e);
  for (let s: u32 = 0; s < matched; s++) n += 9 + identityLength(table.idOf(e, s));
  return n;
}

/** Writes the item for entry e at dst; returns its size. */
export function writeItem(table: SequenceTable, e: u32, dst: usize): usize {
  const matched = table.matchedOf(e);
  store<u64>(dst, table.joinKeyOf(e));
  store<u32>(dst, matched, 8);
  store<u32>(dst, matched, 12);
  let at = dst + ITEM_HEADER;
  for (let s: u32 = 0; s < matched; s++) {
    store<i64>(at, table.timeOf(e, s));
    const id = table.idOf(e, s);
    const n = identityLength(id);
    store<u8>(at, load<u8>(id), 8);
    memory.copy(at + 9, id + 1, n);
    at += 9 + n;
  }
  return at - dst;
}

/** Bytes of a removal item. */
export const REMOVAL_ITEM: usize = ITEM_HEADER;

export function writeRemoval(key: u64, matched: u32, dst: usize): usize {
  store<u64>(dst, key);
  store<u32>(dst, matched, 8);
  store<u32>(dst, 0, 12);
  return ITEM_HEADER;
}

/** Writes the payload header (the items follow it). */
export function writeHeader(table: SequenceTable, count: u32, dst: usize): usize {
  store<u32>(dst, table.stages);
  store<u32>(dst, count, 4);
  return PAYLOAD_HEADER;
}

/** Bytes of the snapshot section payload for the whole table. */
export function sectionSize(table: SequenceTable): usize {
  let n = PAYLOAD_HEADER;
  for (let e = table.oldest(); e != NIL; e = table.newer(e)) n += itemSize(table, e);
  return n;
}

/** Writes the whole table (least recently used first) at dst; returns the bytes written. */
export function writeSection(table: SequenceTable, dst: usize): usize {
  let at = dst + writeHeader(table, table.size, dst);
  for (let e = table.oldest(); e != NIL; e = table.newer(e)) at += writeItem(table, e, at);
  return at - dst;
}

/**
 * True when [p, p+len) is a well-formed payload for `table`: its stage count, every item's stages
 * matched and stored, identity lengths, and the length adding up exactly. Removals only where allowed.
 */
export function sectionValid(table: SequenceTable, p: usize, len: usize, removals: bool): bool {
  if (len < PAYLOAD_HEADER || load<u32>(p) != table.stages) return false;
  const count = load<u32>(p, 4);
  let at: usize = PAYLOAD_HEADER;
  for (let i: u32 = 0; i < count; i++) {
    if (len - at < ITEM_HEADER) return false;
    const matched = load<u32>(p + at, 8);
    const stored = load<u32>(p + at, 12);
    if (matched < 1 || matched >= table.stages) return false;
    if (stored != matched && !(removals && stored == 0)) return false;
    at += ITEM_HEADER;
    for (let s: u32 = 0; s < stored; s++) {
      if (len - at < 9) return false;
      const n = <u32>load<u8>(p + at, 8);
      if (n != <u32>NO_ID && n > SEQ_ID_BYTES) return false;
      const idBytes: usize = n == <u32>NO_ID ? 0 : <usize>n;
      if (len - at - 9 < idBytes) return false;
      at += 9 + idBytes;
    }
  }
  return at == len;
}

/**
 * Applies a payload already found valid: a snapshot section (`replace`) stands for the whole table;
 * a journal entry sets or removes single pending sequences. `maxspan` tells, when the table is full,
 * a live eviction from an expired one (as in sequenceOf). False when memory ran short.
 */
export function applyItems(table: SequenceTable, p: usize, len: usize, replace: bool, maxspan: i64): bool {
  if (replace) table.clear();
  const count = load<u32>(p, 4);
  let at = p + PAYLOAD_HEADER;
  for (let i: u32 = 0; i < count; i++) {
    const key = load<u64>(at);
    const matched = load<u32>(at, 8);
    const stored = load<u32>(at, 12);
    at += ITEM_HEADER;
    if (stored == 0) {
      const old = table.find(key, matched);
      if (old != NIL) table.remove(old);
      continue;
    }
    // The item's latest stage is "now" for telling an expired eviction from a live one.
    let latest: i64 = i64.MIN_VALUE;
    let scan = at;
    for (let s: u32 = 0; s < stored; s++) {
      const t = load<i64>(scan);
      if (t > latest) latest = t;
      const n = <u32>load<u8>(scan, 8);
      scan += 9 + (n == <u32>NO_ID ? 0 : <usize>n);
    }
    const e = table.put(key, matched, NIL, latest, maxspan);
    if (e == NIL) return false;
    for (let s: u32 = 0; s < stored; s++) {
      const n = <u32>load<u8>(at, 8);
      if (n == <u32>NO_ID) table.setStage(e, s, load<i64>(at), 0, 0);
      else table.setStage(e, s, load<i64>(at), at + 9, n);
      at += 9 + (n == <u32>NO_ID ? 0 : <usize>n);
    }
  }
  return true;
}

function identityLength(id: usize): usize {
  const n = load<u8>(id);
  return n == NO_ID ? 0 : <usize>n;
}
