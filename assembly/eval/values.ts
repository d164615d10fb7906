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

/** Prepares an empty store for document 0 (and an empty document 1). False when memory cannot be had. */
export function resetValues(): bool {
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
