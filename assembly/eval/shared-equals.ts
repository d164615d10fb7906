// Work shared between rules: every `field == "value"` leaf (Op.KwEq) of a field that has several is
// decided at once, on the first need in a record, by one hash lookup per value of the field: the pack
// compares objectRef.resource with some thirty values and verb with six across its rules, each leaf
// otherwise a call that walks the field's values.
// Exactly the per-leaf test (predicates.ts): a leaf holds when some indexed value of its slot has its
// bytes; a voided slot satisfies nothing. Not inside a nested query (values are filtered by element).
import { Region } from '../util/buffer';
import { leaves, leafCount, slotCount, dataPtr } from '../program/program';
import { LEAF_SIZE, Op } from '../program/format';
import { firstValue, nextValue, valuePtr, valueLen, NONE } from './values';
import { evalDoc, evalPlan, indexed, slotType, slotVoided } from './predicates';
import { bytesEqual } from '../json/strings';

const slotLeaves = new Region(); // per slot: u32 first index into slotLeafList, u32 count (0: not shared)
const slotLeafList = new Region(); // leaf indexes, grouped by slot
const buckets = new Region(); // per bucket: first leaf (index + 1)
const bucketNext = new Region(); // per leaf: next leaf (index + 1) in the same bucket
let bucketShift: u32 = 32;

@inline function bucketOf(slot: u32, p: usize, n: usize): usize {
  let h = <u32>n * 0x85ebca6b + slot * 0xc2b2ae35;
  // The first and last four bytes: values on one field rarely share both.
  const m = n < 4 ? n : 4;
  for (let i: usize = 0; i < m; i++) h = (h ^ <u32>load<u8>(p + i)) * 0x01000193;
  for (let i: usize = n - m; i < n; i++) h = (h ^ <u32>load<u8>(p + i)) * 0x01000193;
  return <usize>((h * 0x9e3779b1) >>> bucketShift);
}

@inline function leafSlot(i: u32): u32 {
  return <u32>load<u16>(leaves + <usize>i * LEAF_SIZE);
}
@inline function isEquals(i: u32): bool {
  return <u32>load<u8>(leaves + <usize>i * LEAF_SIZE, 2) == Op.KwEq;
}

/** Builds the per-slot lists and the value table once per program. */
export function prepareSharedEquals(): bool {
  if (!slotLeaves.ensure(<usize>slotCount * 8 + 8) || !slotLeafList.ensure(<usize>leafCount * 4 + 4) || !bucketNext.ensure(<usize>leafCount * 4 + 4)) return false;
  memory.fill(slotLeaves.ptr, 0, <usize>slotCount * 8);
  let bits: u32 = 4;
  while (bits < 20 && (<u32>1 << bits) < leafCount * 2) bits++;
  bucketShift = 32 - bits;
  if (!buckets.ensure((<usize>1 << bits) * 4)) return false;
  memory.fill(buckets.ptr, 0, (<usize>1 << bits) * 4);
  // Count per slot, then place (counting sort by slot).
  for (let i: u32 = 0; i < leafCount; i++) {
    if (!isEquals(i) || leafSlot(i) >= slotCount) continue;
    const s = slotLeaves.ptr + <usize>leafSlot(i) * 8;
    store<u32>(s, load<u32>(s, 4) + 1, 4);
  }
  let at: u32 = 0;
  for (let s: u32 = 0; s < slotCount; s++) {
    const e = slotLeaves.ptr + <usize>s * 8;
    const n = load<u32>(e, 4);
    store<u32>(e, at);
    store<u32>(e, 0, 4);
    at += n;
  }
  for (let i: u32 = 0; i < leafCount; i++) {
    if (!isEquals(i) || leafSlot(i) >= slotCount) continue;
    const e = slotLeaves.ptr + <usize>leafSlot(i) * 8;
    const k = load<u32>(e, 4);
    store<u32>(slotLeafList.ptr + <usize>(load<u32>(e) + k) * 4, i);
    store<u32>(e, k + 1, 4);
  }
  // A slot with a single equality leaf gains nothing: leave it to the per-leaf test.
  for (let s: u32 = 0; s < slotCount; s++) {
    const e = slotLeaves.ptr + <usize>s * 8;
    if (load<u32>(e, 4) < 2) store<u32>(e, 0, 4);
  }
  for (let i = leafCount; i > 0; i--) {
    const leaf = i - 1;
    if (!isEquals(leaf) || leafSlot(leaf) >= slotCount || load<u32>(slotLeaves.ptr + <usize>leafSlot(leaf) * 8, 4) == 0) continue;
    const l = leaves + <usize>leaf * LEAF_SIZE;
    const b = buckets.ptr + bucketOf(leafSlot(leaf), dataPtr + <usize>load<u32>(l, 4), <usize>load<u32>(l, 8)) * 4;
    store<u32>(bucketNext.ptr + <usize>leaf * 4, load<u32>(b));
    store<u32>(b, leaf + 1);
  }
  return true;
}

/** Is leaf i an equality decided with its slot's others? */
@inline export function sharedEquals(i: u32): bool {
  return isEquals(i) && load<u32>(slotLeaves.ptr + <usize>leafSlot(i) * 8, 4) != 0;
}

/**
 * Decides every equality leaf of leaf i's slot into `cache` (per leaf: 1 false, 2 true) for the current
 * document and plan (outside nested queries).
 */
export function decideSlotEquals(i: u32, cache: usize): void {
  const slot = leafSlot(i);
  const e = slotLeaves.ptr + <usize>slot * 8;
  const first = load<u32>(e);
  const count = load<u32>(e, 4);
  for (let k: u32 = 0; k < count; k++) store<u8>(cache + <usize>load<u32>(slotLeafList.ptr + <usize>(first + k) * 4), 1);
  if (slotVoided(slot)) return;
  const type = slotType(slot);
  for (let v = firstValue(evalDoc, evalPlan, slot); v != NONE; v = nextValue(v)) {
    if (!indexed(slot, type, v)) continue;
    const p = valuePtr(v);
    const n = <usize>valueLen(v);
    for (let k = load<u32>(buckets.ptr + bucketOf(slot, p, n) * 4); k != 0; k = load<u32>(bucketNext.ptr + <usize>(k - 1) * 4)) {
      const l = leaves + <usize>(k - 1) * LEAF_SIZE;
      if (<u32>load<u16>(l) == slot && <usize>load<u32>(l, 8) == n && bytesEqual(p, dataPtr + <usize>load<u32>(l, 4), n)) store<u8>(cache + <usize>(k - 1), 2);
    }
  }
}
