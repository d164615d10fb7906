// Leaf predicates: one field, one comparison. A leaf holds when ANY value of its slot satisfies it
// (arrays match if any element matches); a missing field satisfies nothing.
import { leaves, slots, dataPtr, plans, consts, viewRules, viewRuleCount, fieldTypes, fieldTypeCount } from '../program/program';
import { LEAF_SIZE, SLOT_SIZE, PLAN_SIZE, CONST_SIZE, VIEW_RULE_SIZE, FIELD_TYPE_SIZE, TYPE_SIG_COUNT, ViewRule, VIEW_IP_LIST, VIEW_OUTCOME, VIEW_DEDOT, Plan, Probe, SLOT_VOID_ON_INVALID, Op, SlotType, RANGE_HAS_LO, RANGE_LO_INCL, RANGE_HAS_HI, RANGE_HI_INCL, RANGE_LO_NOW, RANGE_HI_NOW } from '../program/format';
import { firstValue, nextValue, nextValueId, addValue, valuePtr, valueLen, valueKind, valueGroup, KIND_STR, KIND_NUM, KIND_TRUE, KIND_FALSE, KIND_NULL, KIND_INVALID, NONE } from './values';
import { leafPaths, leafPathArena } from '../json/scanner';
import { Region } from '../util/buffer';
import { shape, SHAPE_AKS } from './shape';
import { bytesEqual, bytesCompare, utf16Length } from '../json/strings';
import { globMatch, containsBytes, eqlWildcardMatch } from './glob';
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

@inline export function slotType(slot: u32): u32 {
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
export function indexed(slot: u32, type: u32, v: u32): bool {
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
export function numberOf(slot: u32, v: u32): f64 {
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

export function dateOf(v: u32): i64 {
  const k = valueKind(v);
  if (k != KIND_NUM && k != KIND_STR) return BAD_DATE;
  return parseDate(valuePtr(v), valueLen(v), k == KIND_NUM);
}

/** Does leaf `leaf` hold for the one value v (under the leaf's slot type)? */
function leafMatchesValue(leaf: u32, v: u32): bool {
  const l = leaves + <usize>leaf * LEAF_SIZE;
  const slot = <u32>load<u16>(l);
  const op = <u32>load<u8>(l, 2);
  if (op == Op.Never) return false;
  const type = slotType(slot);
  if (!indexed(slot, type, v)) return false;
  return valueMatches(op, <u32>load<u8>(l, 3), dataPtr + <usize>load<u32>(l, 4), <usize>load<u32>(l, 8), load<u32>(l, 12), slot, type, v);
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
  if (op == Op.AnyField) return anyField(data, dataLen, aux);
  const type = slotType(slot);
  if ((slotFlags(slot) & SLOT_VOID_ON_INVALID) && hasInvalid(slot)) return false;
  if (op == Op.SingleValued) return singleValued(slot, type);
  // The commonest leaves (keyword equality, one of several terms), without the general loop's calls.
  if ((op == Op.KwEq || op == Op.KwIn) && type == SlotType.Keyword) {
    for (let v = firstValue(evalDoc, evalPlan, slot); v != NONE; v = nextValue(v)) {
      if (evalGroup != 0 && valueGroup(v) != evalGroup) continue;
      const n = <usize>valueLen(v);
      const hit = op == Op.KwEq ? n == dataLen && bytesEqual(valuePtr(v), data, n) : isOneOf(valuePtr(v), n, data, dataLen);
      if (hit && indexed(slot, type, v)) return true;
    }
    return false;
  }
  for (let v = firstValue(evalDoc, evalPlan, slot); v != NONE; v = nextValue(v)) {
    if (evalGroup != 0 && valueGroup(v) != evalGroup) continue;
    if (!indexed(slot, type, v)) continue;
    if (valueMatches(op, flags, data, dataLen, aux, slot, type, v)) return true;
  }
  return false;
}

const ipScratch2 = memory.data(16);

/**
 * ES|QL reads a field as null (no value), one value, or multi-valued; comparisons need exactly one.
 * Keyword and ip doc values are deduplicated by Elasticsearch, so repeats of one value count once.
 */
function singleValued(slot: u32, type: u32): bool {
  return singleValueOf(slot, type) != NONE;
}

/** The one value of a slot (ES|QL's single-valued read), or NONE when it has none or several. */
export function singleValue(slot: u32): u32 {
  if ((slotFlags(slot) & SLOT_VOID_ON_INVALID) && hasInvalid(slot)) return NONE;
  return singleValueOf(slot, slotType(slot));
}

/** ES|QL's single-valued read of a numeric slot: its one number, or NaN (none or several). */
export function singleNumber(slot: u32): f64 {
  const v = singleValue(slot);
  return v == NONE ? NaN : numberOf(slot, v);
}

/** ES|QL's single-valued read of a date slot: ms, or BAD_DATE (none or several). */
export function singleDate(slot: u32): i64 {
  const v = singleValue(slot);
  return v == NONE ? BAD_DATE : dateOf(v);
}

/** Does the slot have any value its type indexes (ES|QL reads it as not null)? */
export function hasIndexedValue(slot: u32): bool {
  if ((slotFlags(slot) & SLOT_VOID_ON_INVALID) && hasInvalid(slot)) return false;
  const type = slotType(slot);
  for (let v = firstValue(evalDoc, evalPlan, slot); v != NONE; v = nextValue(v)) {
    if (evalGroup != 0 && valueGroup(v) != evalGroup) continue;
    if (indexed(slot, type, v)) return true;
  }
  return false;
}

function singleValueOf(slot: u32, type: u32): u32 {
  let first: u32 = NONE;
  for (let v = firstValue(evalDoc, evalPlan, slot); v != NONE; v = nextValue(v)) {
    if (evalGroup != 0 && valueGroup(v) != evalGroup) continue;
    if (!indexed(slot, type, v)) continue;
    if (first == NONE) {
      first = v;
      continue;
    }
    if (type == SlotType.Keyword) {
      if (valueLen(v) != valueLen(first) || !bytesEqual(valuePtr(v), valuePtr(first), valueLen(v))) return NONE;
    } else if (type == SlotType.Ip) {
      parseIp(valuePtr(first), valueLen(first), ipScratch);
      parseIp(valuePtr(v), valueLen(v), ipScratch2);
      if (compareIp(ipScratch, ipScratch2) != 0) return NONE;
    } else return NONE;
  }
  return first;
}

function valueMatches(op: u32, flags: u32, data: usize, dataLen: usize, aux: u32, slot: u32, type: u32, v: u32): bool {
  const p = valuePtr(v);
  const n = <usize>valueLen(v);
  switch (op) {
    case Op.Exists:
      return true;
    case Op.KwEq:
      return n == dataLen && bytesEqual(p, data, n);
    case Op.KwIn:
      return isOneOf(p, n, data, dataLen);
    case Op.KwPrefix:
      return n >= dataLen && bytesEqual(p, data, dataLen);
    case Op.KwSuffix:
      return n >= dataLen && bytesEqual(p + n - dataLen, data, dataLen);
    case Op.KwContains:
      return containsBytes(p, n, data, dataLen);
    case Op.KwGlob:
      return globMatch(p, n, data, dataLen, aux);
    case Op.KwWildcard:
      return eqlWildcardMatch(p, n, data, dataLen);
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

/** Is [p, p+n) one of the terms in data (each u32 length + bytes)? */
function isOneOf(p: usize, n: usize, data: usize, dataLen: usize): bool {
  const end = data + dataLen;
  let at = data;
  while (at + 4 <= end) {
    const len = <usize>load<u32>(at);
    at += 4;
    if (len > end - at) return false;
    if (len == n && bytesEqual(p, at, n)) return true;
    at += len;
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

// ---- field-less values and wildcard field names: every leaf of the view, each under its own type

const viewPath = new Region();
let anyData: usize = 0;
let anyDataLen: usize = 0;
let anyPatternParts: u32 = 0;

/** Does some leaf of the current view (whose path matches the pattern, if any) satisfy its type's sub-leaf? */
function anyField(data: usize, dataLen: usize, aux: u32): bool {
  anyData = data;
  anyDataLen = dataLen;
  anyPatternParts = aux;
  const dropEmpty = evalPlan != Plan.Ecs;
  for (let v = firstValue(evalDoc, Plan.Ecs, Probe.AllLeaves); v != NONE; v = nextValue(v)) {
    const k = valueKind(v);
    if (k == KIND_NULL || (dropEmpty && k == KIND_STR && valueLen(v) == 0)) continue;
    // Inside a nested query (`f:*` on an object in the element): the element's own scalars.
    if (evalGroup != 0 && valueGroup(v) != evalGroup) continue;
    if (evalPlan == Plan.Ecs) {
      if (viewLeafMatches(leafPathPtr(v), leafPathLen(v), v)) return true;
      continue;
    }
    if (mappedLeafMatches(v)) return true;
  }
  if (evalGroup != 0) return false; // the wrapper and the constants are no element's
  if (shape == SHAPE_AKS && aksWrapperMatches()) return true;
  // Constant fields of the plan (event.dataset of an audit event, ...).
  const plan = plans + <usize>evalPlan * PLAN_SIZE;
  const first = load<u32>(plan, 8);
  const count = load<u32>(plan, 12);
  for (let i: u32 = 0; i < count; i++) {
    const slot = load<u32>(consts + <usize>(first + i) * CONST_SIZE);
    const name = slots + <usize>slot * SLOT_SIZE;
    for (let v = firstValue(evalDoc, evalPlan, slot); v != NONE; v = nextValue(v)) {
      if (viewLeafMatches(dataPtr + <usize>load<u32>(name, 8), <usize>load<u32>(name, 12), v)) return true;
    }
  }
  return false;
}

// The AKS wrapper's fields, under kubernetes.audit.aks_metadata (paths in the record, then names).
const AKS_WRAPPER_PATHS: StaticArray<string> = ['category', 'operationName', 'resourceId', 'serviceBuild', 'time', 'properties.containerID', 'properties.stream', 'properties.pod'];
const AKS_METADATA_NAMES: StaticArray<string> = ['category', 'operation_name', 'resource_id', 'service_build', 'time', 'container_id', 'stream', 'pod'];
const wrapperPath = new Region();

/** Field-less values and wildcard field names also see the AKS wrapper's metadata. */
function aksWrapperMatches(): bool {
  for (let v = firstValue(0, Plan.Ecs, Probe.AllLeaves); v != NONE; v = nextValue(v)) {
    const k = valueKind(v);
    if (k == KIND_NULL || (k == KIND_STR && valueLen(v) == 0)) continue;
    const p = leafPathPtr(v);
    const n = leafPathLen(v);
    for (let i = 0; i < AKS_WRAPPER_PATHS.length; i++) {
      // The wrapper's value is copied whole: a leaf at the path, or below it (an object there).
      const wrapper = unchecked(AKS_WRAPPER_PATHS[i]);
      const m = <usize>wrapper.length;
      if (n < m || !asciiEquals(p, m, wrapper) || (n > m && load<u8>(p + m) != 0x2e)) continue;
      const name = 'kubernetes.audit.aks_metadata.' + unchecked(AKS_METADATA_NAMES[i]);
      const len = <usize>name.length;
      if (!wrapperPath.ensure(len + n - m + 1)) return false;
      for (let c: usize = 0; c < len; c++) store<u8>(wrapperPath.ptr + c, <u8>name.charCodeAt(<i32>c));
      memory.copy(wrapperPath.ptr + len, p + m, n - m);
      if (viewLeafMatches(wrapperPath.ptr, len + n - m, v)) return true;
    }
  }
  return false;
}

function asciiEquals(p: usize, n: usize, s: string): bool {
  if (n != <usize>s.length) return false;
  for (let i: usize = 0; i < n; i++) if (<u32>load<u8>(p + i) != <u32>s.charCodeAt(<i32>i)) return false;
  return true;
}

@inline function leafPathPtr(v: u32): usize {
  return leafPathArena.ptr + <usize>load<u32>(leafPaths.ptr + <usize>v * 8);
}
@inline function leafPathLen(v: u32): usize {
  return <usize>load<u32>(leafPaths.ptr + <usize>v * 8, 4);
}

/** The leaf's view paths under the plan's view rules (first Prefix/Drop decides, every Copy adds one). */
function mappedLeafMatches(v: u32): bool {
  const p = leafPathPtr(v);
  const n = leafPathLen(v);
  let decided = false;
  for (let i: u32 = 0; i < viewRuleCount; i++) {
    const r = viewRules + <usize>i * VIEW_RULE_SIZE;
    if (<u32>load<u8>(r) != evalPlan) continue;
    const kind = <u32>load<u8>(r, 1);
    const rflags = <u32>load<u8>(r, 2);
    const raw = dataPtr + <usize>load<u32>(r, 4);
    const rawLen = <usize>load<u32>(r, 8);
    const view = dataPtr + <usize>load<u32>(r, 12);
    const viewLen = <usize>load<u32>(r, 16);
    if (kind == ViewRule.Copy) {
      if (n > rawLen && (rflags & (VIEW_IP_LIST | VIEW_OUTCOME)) == 0 && load<u8>(p + rawLen) == 0x2e && bytesEqual(p, raw, rawLen)) {
        // A copied object (the pipeline copies it whole): its leaves keep their paths below the copy.
        const total = viewLen + n - rawLen;
        if (!viewPath.ensure(total + 1)) return false;
        memory.copy(viewPath.ptr, view, viewLen);
        memory.copy(viewPath.ptr + viewLen, p + rawLen, n - rawLen);
        if (viewLeafMatches(viewPath.ptr, total, v)) return true;
        continue;
      }
      if (n != rawLen || !bytesEqual(p, raw, n)) continue;
      if ((rflags & VIEW_IP_LIST) && !allIpsAt(p, n)) continue;
      if (rflags & VIEW_OUTCOME) {
        const out = outcomeValue(v);
        if (out != NONE && viewLeafMatches(view, viewLen, out)) return true;
        continue;
      }
      if (viewLeafMatches(view, viewLen, v)) return true;
      continue;
    }
    if (decided) continue;
    // Prefix or Drop: the path is raw itself or lies below it ("" covers everything).
    let restStart: usize = 0;
    if (rawLen > 0) {
      if (n < rawLen || !bytesEqual(p, raw, rawLen)) continue;
      if (n > rawLen && load<u8>(p + rawLen) != 0x2e) continue;
      restStart = n > rawLen ? rawLen + 1 : n;
    }
    decided = true;
    if (kind == ViewRule.Drop) continue;
    const restLen = n - restStart;
    const total = viewLen + (viewLen > 0 && restLen > 0 ? 1 : 0) + restLen;
    if (!viewPath.ensure(total + 1)) return false;
    memory.copy(viewPath.ptr, view, viewLen);
    let at = viewPath.ptr + viewLen;
    if (viewLen > 0 && restLen > 0) store<u8>(at++, 0x2e);
    for (let k: usize = 0; k < restLen; k++) {
      let c = load<u8>(p + restStart + k);
      if ((rflags & VIEW_DEDOT) && c == 0x2e) c = 0x5f;
      store<u8>(at + k, c);
    }
    // AKS: the wrapper's kubernetes.audit.aks_metadata replaces the event's own.
    const m = <usize>AKS_METADATA_VIEW.length;
    if (shape == SHAPE_AKS && total >= m && asciiEquals(viewPath.ptr, m, AKS_METADATA_VIEW) && (total == m || load<u8>(viewPath.ptr + m) == 0x2e)) continue;
    if (viewLeafMatches(viewPath.ptr, total, v)) return true;
  }
  return false;
}
const AKS_METADATA_VIEW = 'kubernetes.audit.aks_metadata';

/** The pipeline's convert-to-ip: every value at this path is an IP string. */
function allIpsAt(p: usize, n: usize): bool {
  for (let v = firstValue(evalDoc, Plan.Ecs, Probe.AllLeaves); v != NONE; v = nextValue(v)) {
    if (leafPathLen(v) != n || !bytesEqual(leafPathPtr(v), p, n)) continue;
    if (valueKind(v) != KIND_STR || !parseIp(valuePtr(v), valueLen(v), ipScratch)) return false;
  }
  return true;
}

const SUCCESS = memory.data<u8>([115, 117, 99, 99, 101, 115, 115]);
const FAILURE = memory.data<u8>([102, 97, 105, 108, 117, 114, 101]);

/** event.outcome for a decision value: a made-up value (scratch slot), or NONE. */
function outcomeValue(v: u32): u32 {
  if (valueKind(v) != KIND_STR) return NONE;
  const p = valuePtr(v);
  const n = valueLen(v);
  let word: usize = 0;
  if (n == 5 && load<u32>(p) == 0x6f6c6c61 && load<u8>(p + 4) == 0x77) word = SUCCESS; // allow
  else if (n == 6 && load<u32>(p) == 0x62726f66 && load<u16>(p + 4) == 0x6469) word = FAILURE; // forbid
  if (word == 0) return NONE;
  const id = nextValueId();
  if (!addValue(evalPlan, Probe.Scratch, word, 7, KIND_STR, 0)) return NONE;
  return id;
}

/** One leaf of the view: the pattern (if any) must match its path; then its type's sub-leaf decides. */
function viewLeafMatches(path: usize, n: usize, v: u32): bool {
  const patternAt = anyData + <usize>TYPE_SIG_COUNT * 4;
  if (anyPatternParts != 0xffffffff && !globMatch(path, n, patternAt, anyData + anyDataLen - patternAt, anyPatternParts)) return false;
  return leafMatchesValue(load<u32>(anyData + <usize>typeSigOf(path, n) * 4), v);
}

/** The field table's type signature for a path: exact names first (they come first), then globs. */
function typeSigOf(path: usize, n: usize): u32 {
  for (let i: u32 = 0; i < fieldTypeCount; i++) {
    const t = fieldTypes + <usize>i * FIELD_TYPE_SIZE;
    const off = dataPtr + <usize>load<u32>(t, 4);
    const len = <usize>load<u32>(t, 8);
    if (load<u8>(t) == 0) {
      if (len == n && bytesEqual(off, path, n)) return <u32>load<u8>(t, 1);
    } else if (globMatch(path, n, off, len, <u32>load<u16>(t, 2))) return <u32>load<u8>(t, 1);
  }
  return 0; // keyword
}
