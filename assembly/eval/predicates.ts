// Leaf predicates: one field, one comparison. A leaf holds when ANY value of its slot satisfies it
// (arrays match if any element matches); a missing field satisfies nothing.
import { leaves, slots, dataPtr } from '../program/program';
import { LEAF_SIZE, SLOT_SIZE, SLOT_VOID_ON_INVALID, Op, SlotType, RANGE_HAS_LO, RANGE_LO_INCL, RANGE_HAS_HI, RANGE_HI_INCL, RANGE_LO_NOW, RANGE_HI_NOW } from '../program/format';
import { firstValue, nextValue, valuePtr, valueLen, valueKind, valueGroup, KIND_STR, KIND_NUM, KIND_TRUE, KIND_FALSE, KIND_INVALID, NONE } from './values';
import { bytesEqual, bytesCompare, utf16Length } from '../json/strings';
import { globMatch, containsBytes } from './glob';
import { parseNumber, toFieldPrecision } from '../values/number';
import { parseDate, BAD_DATE } from '../values/date';
import { parseIp, compareIp } from '../values/ip';
import { applyDateMath } from '../values/date-math';
import { textAny, textPhrase, textGlob, textRange } from '../values/text';

/** The document and plan the leaves read (set per record by the evaluator). */
export let evalDoc: u32 = 0;
export let evalPlan: u32 = 0;
/** The record's event time (ms), for date math relative to `now`. */
export let eventTimeMs: i64 = 0;

/** Inside a nested query: only values of this group (one element of the nested path) count; 0 = all. */
export let evalGroup: u32 = 0;
export function setEvalGroup(g: u32): void {
  evalGroup = g;
}

export function setEvalTarget(doc: u32, plan: u32, timeMs: i64): void {
  evalDoc = doc;
  evalPlan = plan;
  eventTimeMs = timeMs;
}

const ipScratch = memory.data(16);

@inline function slotType(slot: u32): u32 {
  return <u32>load<u8>(slots + <usize>slot * SLOT_SIZE);
}

@inline function slotFlags(slot: u32): u32 {
  return <u32>load<u16>(slots + <usize>slot * SLOT_SIZE, 2);
}

/** Is the field voided in the current view (a sourceIPs value that is not an IP)? */
export function slotVoided(slot: u32): bool {
  return (slotFlags(slot) & SLOT_VOID_ON_INVALID) != 0 && hasInvalid(slot);
}

function hasInvalid(slot: u32): bool {
  for (let v = firstValue(evalDoc, evalPlan, slot); v != NONE; v = nextValue(v)) if (valueKind(v) == KIND_INVALID) return true;
  return false;
}

@inline function slotNumericKind(slot: u32): u32 {
  return <u32>load<u8>(slots + <usize>slot * SLOT_SIZE, 1);
}

@inline function slotIgnoreAbove(slot: u32): u32 {
  return load<u32>(slots + <usize>slot * SLOT_SIZE, 4);
}

/** Is this value indexed at all under the slot's type (keyword: within ignore_above)? */
function indexed(slot: u32, type: u32, v: u32): bool {
  if (type == SlotType.Keyword) {
    const limit = slotIgnoreAbove(slot);
    const n = valueLen(v);
    return limit == 0 || n <= limit || utf16Length(valuePtr(v), n) <= limit;
  }
  if (type == SlotType.Number || type == SlotType.Integer) return !isNaN(numberOf(slot, v));
  if (type == SlotType.Boolean) return booleanOf(v) >= 0;
  if (type == SlotType.Date) return dateOf(v) != BAD_DATE;
  if (type == SlotType.Ip) return valueKind(v) == KIND_STR && parseIp(valuePtr(v), valueLen(v), ipScratch);
  return true;
}

/** The number a numeric slot indexes for value v (NaN: not indexed). */
function numberOf(slot: u32, v: u32): f64 {
  const k = valueKind(v);
  if (k != KIND_NUM && k != KIND_STR) return NaN;
  return toFieldPrecision(slotNumericKind(slot), parseNumber(valuePtr(v), valueLen(v)));
}

/** 1 true, 0 false, -1 not a boolean. Elasticsearch takes true/false and "true"/"false" ("" is false). */
function booleanOf(v: u32): i32 {
  const k = valueKind(v);
  if (k == KIND_TRUE) return 1;
  if (k == KIND_FALSE) return 0;
  if (k != KIND_STR) return -1;
  const n = valueLen(v);
  const p = valuePtr(v);
  if (n == 0) return 0;
  if (n == 4 && load<u32>(p) == 0x65757274) return 1;
  if (n == 5 && load<u32>(p) == 0x736c6166 && load<u8>(p + 4) == 0x65) return 0;
  return -1;
}

function dateOf(v: u32): i64 {
  const k = valueKind(v);
  if (k != KIND_NUM && k != KIND_STR) return BAD_DATE;
  return parseDate(valuePtr(v), valueLen(v), k == KIND_NUM);
}

/** Evaluates leaf `leaf` against the current document and plan. */
export function evalLeaf(leaf: u32): bool {
  const l = leaves + <usize>leaf * LEAF_SIZE;
  const slot = <u32>load<u16>(l);
  const op = <u32>load<u8>(l, 2);
  const flags = <u32>load<u8>(l, 3);
  const data = dataPtr + <usize>load<u32>(l, 4);
  const dataLen = <usize>load<u32>(l, 8);
  const aux = load<u32>(l, 12);
  if (op == Op.Never) return false;
  const type = slotType(slot);
  if ((slotFlags(slot) & SLOT_VOID_ON_INVALID) && hasInvalid(slot)) return false;
  for (let v = firstValue(evalDoc, evalPlan, slot); v != NONE; v = nextValue(v)) {
    if (evalGroup != 0 && valueGroup(v) != evalGroup) continue;
    if (!indexed(slot, type, v)) continue;
    if (valueMatches(op, flags, data, dataLen, aux, slot, type, v)) return true;
  }
  return false;
}

function valueMatches(op: u32, flags: u32, data: usize, dataLen: usize, aux: u32, slot: u32, type: u32, v: u32): bool {
  const p = valuePtr(v);
  const n = <usize>valueLen(v);
  switch (op) {
    case Op.Exists:
      return true;
    case Op.KwEq:
      return n == dataLen && bytesEqual(p, data, n);
    case Op.KwPrefix:
      return n >= dataLen && bytesEqual(p, data, dataLen);
    case Op.KwSuffix:
      return n >= dataLen && bytesEqual(p + n - dataLen, data, dataLen);
    case Op.KwContains:
      return containsBytes(p, n, data, dataLen);
    case Op.KwGlob:
      return globMatch(p, n, data, dataLen, aux);
    case Op.KwRange:
      return keywordInRange(p, n, flags, data, dataLen);
    case Op.NumRange: {
      if (dataLen < 16) return false;
      // Booleans order false < true (0 < 1).
      const x = type == SlotType.Boolean ? <f64>booleanOf(v) : numberOf(slot, v);
      if (isNaN(x) || x < 0 && type == SlotType.Boolean) return false;
      return inRangeF64(x, flags, load<f64>(data), load<f64>(data, 8));
    }
    case Op.BoolEq:
      return booleanOf(v) == <i32>aux;
    case Op.DateRange: {
      if (dataLen < 32) return false;
      const t = dateOf(v);
      if (t == BAD_DATE) return false;
      let lo = load<i64>(data);
      let hi = load<i64>(data, 8);
      if (flags & RANGE_LO_NOW) lo = applyDateMath(eventTimeMs + lo, load<u32>(data, 16));
      if (flags & RANGE_HI_NOW) hi = applyDateMath(eventTimeMs + hi, load<u32>(data, 20));
      return inRangeI64(t, flags, lo, hi);
    }
    case Op.IpRange: {
      if (dataLen < 32 || !parseIp(p, n, ipScratch)) return false;
      return compareIp(ipScratch, data) >= 0 && compareIp(ipScratch, data + 16) <= 0;
    }
    case Op.TextAny:
      return textAny(p, n, data, dataLen, aux);
    case Op.TextPhrase:
      return textPhrase(p, n, data, dataLen, aux);
    case Op.TextGlob:
      return textGlob(p, n, data, dataLen, aux);
    case Op.TextRange:
      return textRange(p, n, flags, data, dataLen);
  }
  return false;
}

function inRangeF64(x: f64, flags: u32, lo: f64, hi: f64): bool {
  if (flags & RANGE_HAS_LO) {
    if (flags & RANGE_LO_INCL ? x < lo : x <= lo) return false;
  }
  if (flags & RANGE_HAS_HI) {
    if (flags & RANGE_HI_INCL ? x > hi : x >= hi) return false;
  }
  return true;
}

function inRangeI64(x: i64, flags: u32, lo: i64, hi: i64): bool {
  if (flags & RANGE_HAS_LO) {
    if (flags & RANGE_LO_INCL ? x < lo : x <= lo) return false;
  }
  if (flags & RANGE_HAS_HI) {
    if (flags & RANGE_HI_INCL ? x > hi : x >= hi) return false;
  }
  return true;
}

/** Keyword ranges compare bytes; data = u32 loLen, lo, u32 hiLen, hi. */
export function keywordInRange(p: usize, n: usize, flags: u32, data: usize, dataLen: usize): bool {
  if (dataLen < 8) return false;
  const loLen = <usize>load<u32>(data);
  if (<usize>8 + loLen > dataLen) return false;
  const hiLen = <usize>load<u32>(data + 4 + loLen);
  if (<usize>8 + loLen + hiLen > dataLen) return false;
  if (flags & RANGE_HAS_LO) {
    const c = bytesCompare(p, n, data + 4, loLen);
    if (flags & RANGE_LO_INCL ? c < 0 : c <= 0) return false;
  }
  if (flags & RANGE_HAS_HI) {
    const c = bytesCompare(p, n, data + 8 + loLen, hiLen);
    if (flags & RANGE_HI_INCL ? c > 0 : c >= 0) return false;
  }
  return true;
}
