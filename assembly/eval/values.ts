// Per-record value store: every value the scan extracts, chained per (plan, slot).
// Values point into the record (or into the decode region when the JSON string had escapes):
// nothing is copied or allocated per record once the regions have grown to the largest record.
import { Region } from '../util/buffer';
import { slotCount, planCount } from '../program/program';

export const KIND_STR: u8 = 1;
export const KIND_NUM: u8 = 2;
export const KIND_TRUE: u8 = 3;
export const KIND_FALSE: u8 = 4;
export const KIND_NULL: u8 = 5; // only passed to the scanner's transforms, never stored
export const KIND_INVALID: u8 = 6; // marks a value that voids its field (Transform.IpList)

const VALUE_SIZE: usize = 16; // u32 ptr, u32 len, u8 kind, u8 pad, u16 group, u32 next
export const NONE: u32 = 0xffffffff;

const valuesRegion = new Region();
const headsRegion = new Region();
let valueCount: u32 = 0;
let headsSize: usize = 0;

/**
 * Two documents per record: 0 = the record itself, 1 = an audit event it carries as a string
 * (`log`, `message`, AKS `properties.log`). Each has its own chain heads per (plan, slot).
 */
let docBase: usize = 0;

/**
 * Groups: each object element of a nested path (`path:{...}`) gets a group id (1, 2, ...), and every
 * value inside it carries that id, so a nested query can test one element at a time. Group 0 = none.
 */
const groups = new Region(); // per group: u16 nested id + 1, u16 flags, u32 parent group
const GROUP_SIZE: usize = 8;
const GROUP_HAS_VALUE: u16 = 1; // holds a scalar that is not null or "" (an audit view drops empty elements)
export let groupCount: u32 = 0;

/** Opens a new group for an element of nested path `nestedId` inside group `parent`; returns its id (0 when out of ids). */
export function newGroup(nestedId: u32, parent: u32): u32 {
  if (groupCount >= 0xfffe || !groups.ensure(<usize>(groupCount + 2) * GROUP_SIZE)) return 0;
  groupCount++;
  const g = groups.ptr + <usize>groupCount * GROUP_SIZE;
  store<u16>(g, <u16>(nestedId + 1));
  store<u16>(g, 0, 2);
  store<u32>(g, parent, 4);
  return groupCount;
}

/** A non-empty scalar lies inside group g (and so inside its enclosing groups). */
export function markGroupValue(g: u32): void {
  while (g != 0 && g <= groupCount) {
    const p = groups.ptr + <usize>g * GROUP_SIZE;
    if (load<u16>(p, 2) & GROUP_HAS_VALUE) return;
    store<u16>(p, GROUP_HAS_VALUE, 2);
    g = load<u32>(p, 4);
  }
}

/** Is group g an element of nested path `nestedId` (with `needValue`: one that holds a non-empty scalar)? */
export function groupOf(g: u32, nestedId: u32, needValue: bool): bool {
  if (g > groupCount) return false;
  const p = groups.ptr + <usize>g * GROUP_SIZE;
  if (<u32>load<u16>(p) != nestedId + 1) return false;
  return !needValue || (load<u16>(p, 2) & GROUP_HAS_VALUE) != 0;
}

/** Prepares an empty store for document 0 (and an empty document 1). False when memory cannot be had. */
export function resetValues(): bool {
  groupCount = 0;
  headsSize = <usize>planCount * <usize>slotCount * 8;
  if (!headsRegion.ensure(headsSize * 2)) return false;
  memory.fill(headsRegion.ptr, 0xff, headsSize * 2);
  valueCount = 0;
  docBase = 0;
  return true;
}

/** Values added from now on belong to document `doc` (0 or 1). */
export function selectDocument(doc: u32): void {
  docBase = doc == 0 ? 0 : headsSize;
}

/** Empties document 1 (an embedded candidate that turned out not to be an audit event). */
export function clearDocument1(): void {
  memory.fill(headsRegion.ptr + headsSize, 0xff, headsSize);
}

/** The id the next added value will get. */
export function nextValueId(): u32 {
  return valueCount;
}

/** Appends a value to (plan, slot). Returns false when memory cannot be had. */
export function addValue(plan: u32, slot: u32, ptr: usize, len: u32, kind: u8, group: u32): bool {
  const idx = valueCount;
  if (!valuesRegion.ensure(<usize>(idx + 1) * VALUE_SIZE)) return false;
  const v = valuesRegion.ptr + <usize>idx * VALUE_SIZE;
  store<u32>(v, <u32>ptr);
  store<u32>(v, len, 4);
  store<u8>(v, kind, 8);
  store<u16>(v, <u16>group, 10);
  store<u32>(v, NONE, 12);
  const h = headsRegion.ptr + docBase + (<usize>plan * <usize>slotCount + <usize>slot) * 8;
  const tail = load<u32>(h, 4);
  if (tail == NONE) store<u32>(h, idx);
  else store<u32>(valuesRegion.ptr + <usize>tail * VALUE_SIZE, idx, 12);
  store<u32>(h, idx, 4);
  valueCount = idx + 1;
  return true;
}

/** First value of (plan, slot) in document `doc`, or NONE. */
@inline export function firstValue(doc: u32, plan: u32, slot: u32): u32 {
  return load<u32>(headsRegion.ptr + (doc == 0 ? 0 : headsSize) + (<usize>plan * <usize>slotCount + <usize>slot) * 8);
}
@inline export function nextValue(v: u32): u32 {
  return load<u32>(valuesRegion.ptr + <usize>v * VALUE_SIZE, 12);
}
@inline export function valuePtr(v: u32): usize {
  return <usize>load<u32>(valuesRegion.ptr + <usize>v * VALUE_SIZE);
}
@inline export function valueLen(v: u32): u32 {
  return load<u32>(valuesRegion.ptr + <usize>v * VALUE_SIZE, 4);
}
@inline export function valueKind(v: u32): u8 {
  return load<u8>(valuesRegion.ptr + <usize>v * VALUE_SIZE, 8);
}
@inline export function valueGroup(v: u32): u32 {
  return <u32>load<u16>(valuesRegion.ptr + <usize>v * VALUE_SIZE, 10);
}

/** Forgets the values of (plan, slot) in document `doc` (a view field whose values are replaced). */
export function clearSlot(doc: u32, plan: u32, slot: u32): void {
  const h = headsRegion.ptr + (doc == 0 ? 0 : headsSize) + (<usize>plan * <usize>slotCount + <usize>slot) * 8;
  store<u32>(h, NONE);
  store<u32>(h, NONE, 4);
}
