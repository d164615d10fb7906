// One validating pass over a JSON document that extracts, for each plan (record shape), the values
// of the fields the rules need. Keys are matched against each plan's path trie as the scan descends;
// subtrees no plan needs are only validated. Iterative (explicit stack): deep documents cannot
// overflow the wasm stack, and anything malformed makes the scan fail, never trap.
import { Region } from '../util/buffer';
import { scanString, stringHasEscapes, decodeString, bytesEqual } from './strings';
import { plans, nodes, nodeCount, edges, edgeCount, refs, dataPtr } from '../program/program';
import { NODE_SIZE, EDGE_SIZE, REF_SIZE, PLAN_SIZE, PLAN_DROP_EMPTY, NODE_DEDOT_KEYS, NODE_NESTED, NODE_RECORD_BELOW, NODE_RECORD_AT, Transform, Probe } from '../program/format';
import { addValue, nextValueId, newGroup, markGroupValue, KIND_STR, KIND_NUM, KIND_TRUE, KIND_FALSE, KIND_NULL, KIND_INVALID, NONE } from '../eval/values';
import { parseIp } from '../values/ip';

const ipScratch = memory.data(16);

/**
 * Deepest container the scan descends into: only containers on paths some rule reads count (frames of
 * 48 bytes each); subtrees no rule reads are skipped at any depth. A record deeper than this along a
 * read path passes through unevaluated and is counted (`too_deep`).
 */
export const MAX_DEPTH: u32 = 1000;
/** Set when the last failed scan failed on MAX_DEPTH. */
export let tooDeep = false;

const FRAME_SIZE: usize = 48; // see pushFrame
const TYPE_OBJECT: u32 = 1;
const TYPE_ARRAY: u32 = 2;
const FLAG_RECORD: u32 = 2; // inside an object field read with `f:*`: every scalar is recorded with its path

// Exists on an object field: what the current member's key walk says to record (NODE_RECORD_*).
const RECORD_SCALAR: u32 = 1;
const RECORD_CONTAINER: u32 = 2;
let memberRecord: u32 = 0;

/** A key walk reached `node`; `last`: with the key's last segment. Notes what the member's value needs recorded. */
@inline function noteRecordNode(node: u32, last: bool): void {
  const flags = <u32>load<u16>(nodes + <usize>node * NODE_SIZE, 6);
  if ((flags & (NODE_RECORD_BELOW | NODE_RECORD_AT)) == 0) return;
  // Past the node (a dotted key going deeper), or a scalar at an AT node: the value lies below it.
  memberRecord |= !last || (flags & NODE_RECORD_AT) ? RECORD_SCALAR | RECORD_CONTAINER : RECORD_CONTAINER;
}


const frames = new Region();

/** Decoded strings (values and keys with escapes) and embedded documents; sized by the caller. */
export const decodeRegion = new Region();
export let decodeLen: usize = 0;
export function resetDecode(): void {
  decodeLen = 0;
}

/** Spans of the outer record's top-level members and of its "event" object's members (offsets from the record start). */
export const topSpans = new Region();
export let topSpanCount: u32 = 0;
export const eventSpans = new Region();
export let eventSpanCount: u32 = 0;
export let eventObjectStart: u32 = 0; // offset of the "event" object's '{' (when there is one)
export let eventObjectEnd: u32 = 0; // offset just past its '}'
export let closingBrace: u32 = 0; // offset of the record's final '}'
const SPAN_SIZE: usize = 16; // keyStart, keyEnd, valueStart, valueEnd
// The spans are only needed to tag a record, which few records are: the scan leaves them to
// ensureMemberSpans, which walks the top level (and "event") of the record the scan accepted.
let spansPending = false;
let outerStart: usize = 0;
let outerEnd: usize = 0;
const keyScratch = new Region(); // a key with escapes, decoded (the decode region holds the values)

// Scratch for the value currently being matched (set by the key walk).
let valueNode0: u32 = NONE;
let valueNode1: u32 = NONE;
let valueNode2: u32 = NONE;
let valueNode3: u32 = NONE;

const OUTCOME_SUCCESS = memory.data<u8>([115, 117, 99, 99, 101, 115, 115]); // "success"
const OUTCOME_FAILURE = memory.data<u8>([102, 97, 105, 108, 117, 114, 101]); // "failure"
const WORD_ALLOW = memory.data<u8>([97, 108, 108, 111, 119]);
const WORD_FORBID = memory.data<u8>([102, 111, 114, 98, 105, 100]);
const WORD_EVENT = memory.data<u8>([101, 118, 101, 110, 116]);

@inline function isSpace(c: u32): bool {
  return c == 0x20 || c == 0x0a || c == 0x0d || c == 0x09;
}

@inline function skipSpace(pos: usize, end: usize): usize {
  while (pos < end && isSpace(<u32>load<u8>(pos))) pos++;
  return pos;
}

// Most keys a scan meets are no edge of the node it is at. Per node, a 64-bit set of (first byte,
// length) hashes of its edges turns that into one test instead of a loop over the edges.
const keyFilters = new Region();

@inline function keyHashBit(firstByte: u32, length: usize): u64 {
  return <u64>1 << (<u64>(firstByte + <u32>length * 7) & 63);
}

// A key that passes the filter is looked up in one hash table of all edges, by (node, length, first
// and last byte): a node like the audit event's root has dozens of edges, and comparing them one by
// one cost more than the rest of the key walk.
const edgeHeads = new Region(); // per bucket: first edge (index + 1)
const edgeNext = new Region(); // per edge: next edge (index + 1) in the same bucket
let edgeHashShift: u32 = 32;

@inline function edgeBucket(node: u32, seg: usize, n: usize): usize {
  const first = n > 0 ? <u32>load<u8>(seg) : 0;
  const last = n > 0 ? <u32>load<u8>(seg + n - 1) : 0;
  const h = (((node * 31 + first) * 31 + last) * 31 + <u32>n) * 0x9e3779b1;
  return <usize>(h >>> edgeHashShift);
}

/** Builds the key filters and the edge table of the loaded program's trie nodes (once per program). */
export function prepareKeyFilters(): bool {
  let bits: u32 = 4;
  while (bits < 24 && (<u32>1 << bits) < edgeCount * 2) bits++;
  edgeHashShift = 32 - bits;
  const buckets = <usize>1 << bits;
  if (!edgeHeads.ensure(buckets * 4) || !edgeNext.ensure(<usize>edgeCount * 4 + 4)) return false;
  memory.fill(edgeHeads.ptr, 0, buckets * 4);
  for (let i: u32 = 0; i < nodeCount; i++) {
    const nd = nodes + <usize>i * NODE_SIZE;
    const first = load<u32>(nd);
    const count = <u32>load<u16>(nd, 4);
    // Last edge first into its bucket, so a chain lists a node's equal keys in edge order.
    for (let k = count; k > 0; k--) {
      const index = first + k - 1;
      const e = edges + <usize>index * EDGE_SIZE;
      const b = edgeHeads.ptr + edgeBucket(i, dataPtr + <usize>load<u32>(e), <usize>load<u32>(e, 4)) * 4;
      store<u32>(edgeNext.ptr + <usize>index * 4, load<u32>(b));
      store<u32>(b, index + 1);
    }
  }
  if (!keyFilters.ensure(<usize>nodeCount * 8 + 8)) return false;
  for (let i: u32 = 0; i < nodeCount; i++) {
    const nd = nodes + <usize>i * NODE_SIZE;
    const first = load<u32>(nd);
    const count = <u32>load<u16>(nd, 4);
    let bits: u64 = 0;
    for (let k: u32 = 0; k < count; k++) {
      const e = edges + <usize>(first + k) * EDGE_SIZE;
      const m = <usize>load<u32>(e, 4);
      bits |= segmentBit(dataPtr + <usize>load<u32>(e), m);
    }
    store<u64>(keyFilters.ptr + <usize>i * 8, bits);
  }
  return true;
}

/** Position of the first '.' in [key, key+n), or n. Eight bytes per load. */
function firstDot(key: usize, n: usize): usize {
  let i: usize = 0;
  while (i + 8 <= n) {
    const x = load<u64>(key + i) ^ 0x2e2e2e2e2e2e2e2e;
    const dots = (x - 0x0101010101010101) & ~x & 0x8080808080808080;
    if (dots != 0) return i + <usize>(ctz(dots) >> 3);
    i += 8;
  }
  while (i < n && load<u8>(key + i) != 0x2e) i++;
  return i;
}

/** The child of `node` whose edge is the segment [seg, seg+n) (with key hash bit `bit`), or NONE. */
function childBySegment(node: u32, seg: usize, n: usize, bit: u64): u32 {
  if ((load<u64>(keyFilters.ptr + <usize>node * 8) & bit) == 0) return NONE;
  const nd = nodes + <usize>node * NODE_SIZE;
  const first = load<u32>(nd);
  const count = <u32>load<u16>(nd, 4);
  for (let k = load<u32>(edgeHeads.ptr + edgeBucket(node, seg, n) * 4); k != 0; k = load<u32>(edgeNext.ptr + <usize>(k - 1) * 4)) {
    if (k - 1 - first >= count) continue; // another node's edge
    const e = edges + <usize>(k - 1) * EDGE_SIZE;
    if (<usize>load<u32>(e, 4) == n && bytesEqual(dataPtr + <usize>load<u32>(e), seg, n)) return load<u32>(e, 8);
  }
  return NONE;
}

@inline function segmentBit(seg: usize, n: usize): u64 {
  return keyHashBit(n > 0 ? <u32>load<u8>(seg) : 0, n);
}

/** Like childBySegment for a whole key read with every '.' as '_' (dedotted annotation keys). */
function childByDedottedKey(node: u32, key: usize, n: usize): u32 {
  const nd = nodes + <usize>node * NODE_SIZE;
  const first = load<u32>(nd);
  const count = <u32>load<u16>(nd, 4);
  for (let i: u32 = 0; i < count; i++) {
    const e = edges + <usize>(first + i) * EDGE_SIZE;
    if (<usize>load<u32>(e, 4) != n) continue;
    const seg = dataPtr + <usize>load<u32>(e);
    let same = true;
    for (let k: usize = 0; k < n; k++) {
      let c = load<u8>(key + k);
      if (c == 0x2e) c = 0x5f;
      if (c != load<u8>(seg + k)) {
        same = false;
        break;
      }
    }
    if (same) return load<u32>(e, 8);
  }
  return NONE;
}

/**
 * Walks a (possibly dotted) key from `node`: `{"a.b":x}` reaches the same node as `{"a":{"b":x}}`.
 * `dot` (the first '.' or n) and `bit` (the first segment's hash bit) are computed once per key for
 * all plans.
 */
function walkKey(node: u32, key: usize, n: usize, dot: usize, bit: u64): u32 {
  let cur = node;
  let i: usize = 0;
  let j = dot;
  while (true) {
    if (load<u16>(nodes + <usize>cur * NODE_SIZE, 6) & NODE_DEDOT_KEYS) {
      cur = childByDedottedKey(cur, key + i, n - i);
      if (cur != NONE) noteRecordNode(cur, true);
      return cur;
    }
    cur = childBySegment(cur, key + i, j - i, bit);
    if (cur == NONE) return cur;
    noteRecordNode(cur, j == n);
    if (j == n) return cur;
    i = j + 1;
    j = i + firstDot(key + i, n - i);
    bit = segmentBit(key + i, j - i);
  }
}

/**
 * walkKey for one plan's node, skipping the call when the plan has no node here or when the node's key
 * filter already rules the key out (most keys, for most plans: a call costs more than the test).
 */
@inline function walkPlanKey(node: u32, key: usize, n: usize, dot: usize, bit: u64): u32 {
  if (node == NONE) return NONE;
  if ((load<u64>(keyFilters.ptr + <usize>node * 8) & bit) == 0 && !(load<u16>(nodes + <usize>node * NODE_SIZE, 6) & NODE_DEDOT_KEYS)) return NONE;
  return walkKey(node, key, n, dot, bit);
}

@inline function frameNode(f: usize, plan: u32): u32 {
  return load<u32>(f + 8 + <usize>plan * 4);
}

/** Records a leaf value for every plan whose current node feeds slots. */
function addLeaf(kind: u8, ptr: usize, len: u32): bool {
  if (valueNode0 != NONE && !addLeafToPlan(0, valueNode0, kind, ptr, len)) return false;
  if (valueNode1 != NONE && !addLeafToPlan(1, valueNode1, kind, ptr, len)) return false;
  if (valueNode2 != NONE && !addLeafToPlan(2, valueNode2, kind, ptr, len)) return false;
  if (valueNode3 != NONE && !addLeafToPlan(3, valueNode3, kind, ptr, len)) return false;
  return true;
}

/** The group of the values being added (the innermost nested element around them). */
let currentGroup: u32 = 0;

function addLeafToPlan(plan: u32, node: u32, kind: u8, ptr: usize, len: u32): bool {
  const nd = nodes + <usize>node * NODE_SIZE;
  const count = load<u32>(nd, 12);
  if (count == 0) return true;
  const isEmpty = kind == KIND_NULL || (kind == KIND_STR && len == 0);
  const dropEmpty = (load<u32>(plans + <usize>plan * PLAN_SIZE) & PLAN_DROP_EMPTY) != 0;
  const first = load<u32>(nd, 8);
  for (let i: u32 = 0; i < count; i++) {
    const r = refs + <usize>(first + i) * REF_SIZE;
    const slot = <u32>load<u16>(r);
    const transform = <u32>load<u16>(r, 2);
    if (transform == Transform.IpList) {
      // The pipeline converts the whole list before removing empty values: any non-IP voids the field.
      const valid = kind == KIND_STR && parseIp(ptr, len, ipScratch);
      if (!addValue(plan, slot, ptr, len, valid ? KIND_STR : KIND_INVALID, currentGroup)) return false;
      continue;
    }
    if (kind == KIND_NULL || (isEmpty && dropEmpty)) continue;
    if (transform == Transform.Outcome) {
      if (kind != KIND_STR) continue;
      if (len == 5 && bytesEqual(ptr, WORD_ALLOW, 5)) {
        if (!addValue(plan, slot, OUTCOME_SUCCESS, 7, KIND_STR, currentGroup)) return false;
      } else if (len == 6 && bytesEqual(ptr, WORD_FORBID, 6)) {
        if (!addValue(plan, slot, OUTCOME_FAILURE, 7, KIND_STR, currentGroup)) return false;
      }
      continue;
    }
    if (!addValue(plan, slot, ptr, len, kind, currentGroup)) return false;
  }
  return true;
}

/** Decodes a string with escapes into the decode region; returns its pointer (length in decodedLength). */
let decodedLength: u32 = 0;
function decodeIntoRegion(start: usize, end: usize): usize {
  const dst = decodeRegion.ptr + decodeLen;
  const n = decodeString(start, end, dst);
  decodeLen += n;
  decodedLength = <u32>n;
  return dst;
}

// Frame: u32 type, u32 flags, u32 node per plan (4), then the member whose value this container is:
// its key's span (opening quote, just past the closing quote; offsets from the record start, for
// startPath), 4 unused bytes; then the group of the values inside (nested elements), for an array at a
// nested path nested id + 1, and the path length (allLeaves).
@inline function pushFrame(depth: u32, type: u32, flags: u32, keyStart: u32, keyEnd: u32, group: u32, pendingNested: u32): usize {
  const f = frames.ptr + <usize>depth * FRAME_SIZE;
  store<u32>(f, type);
  store<u32>(f, flags, 4);
  store<u32>(f, valueNode0, 8);
  store<u32>(f, valueNode1, 12);
  store<u32>(f, valueNode2, 16);
  store<u32>(f, valueNode3, 20);
  store<u32>(f, keyStart, 24);
  store<u32>(f, keyEnd, 28);
  store<u32>(f, group, 36);
  store<u32>(f, pendingNested, 40);
  store<u32>(f, <u32>leafPathLen, 44);
  return f;
}

// ---- every scalar with its path (only for programs with field-less values or wildcard field names)
let allLeaves = false;
const pathBuf = new Region(); // the path of the member being read ("a.b.c")
let leafPathLen: usize = 0;
/** Per value id: u32 offset, u32 length of its path in `leafPathArena`. */
export const leafPaths = new Region();
export const leafPathArena = new Region();
let arenaLen: usize = 0;

export function beginAllLeaves(enabled: bool): void {
  allLeaves = enabled;
  arenaLen = 0;
}

/** Sets the path of a member: the container's path, then the key (arrays add nothing). */
function enterKey(f: usize, key: usize, klen: usize): bool {
  const base = <usize>load<u32>(f, 44);
  const n = base + (base > 0 ? 1 : 0) + klen;
  if (!pathBuf.ensure(n + 1)) return false;
  let at = pathBuf.ptr + base;
  if (base > 0) store<u8>(at++, 0x2e);
  memory.copy(at, key, klen);
  leafPathLen = n;
  return true;
}

/**
 * The path of a member of the object at `depth` when its container records no paths (the first
 * member an `f:*` needs): the keys of the enclosing members from the frames (arrays add nothing),
 * then the member's own key.
 */
function startPath(depth: u32, start: usize, key: usize, klen: usize): bool {
  let n: usize = 0;
  for (let d: u32 = 1; d <= depth; d++) {
    if (load<u32>(frames.ptr + <usize>(d - 1) * FRAME_SIZE) != TYPE_OBJECT) continue;
    const fr = frames.ptr + <usize>d * FRAME_SIZE;
    const ks = start + <usize>load<u32>(fr, 24) + 1; // inside the key's quotes
    const ke = start + <usize>load<u32>(fr, 28) - 1;
    if (!pathBuf.ensure(n + 1 + (ke - ks) + klen + 1)) return false;
    if (n > 0) store<u8>(pathBuf.ptr + n++, 0x2e);
    n += decodeString(ks, ke, pathBuf.ptr + n); // a decoded key is never longer than its JSON text
  }
  if (!pathBuf.ensure(n + 1 + klen + 1)) return false;
  if (n > 0) store<u8>(pathBuf.ptr + n++, 0x2e);
  memory.copy(pathBuf.ptr + n, key, klen);
  leafPathLen = n + klen;
  return true;
}

/** Records a scalar (nulls too: the IP conversion needs to see them) with the current path. */
function recordLeaf(kind: u8, ptr: usize, len: u32): bool {
  const id = nextValueId();
  if (!addValue(0, Probe.AllLeaves, ptr, len, kind, currentGroup)) return false;
  if (!leafPaths.ensure(<usize>(id + 1) * 8) || !leafPathArena.ensure(arenaLen + leafPathLen + 1)) return false;
  memory.copy(leafPathArena.ptr + arenaLen, pathBuf.ptr, leafPathLen);
  store<u32>(leafPaths.ptr + <usize>id * 8, <u32>arenaLen);
  store<u32>(leafPaths.ptr + <usize>id * 8, <u32>leafPathLen, 4);
  arenaLen += leafPathLen;
  return true;
}

/** Nested id + 1 when one of the value's plan nodes is a nested path, else 0. */
function nestedMarkOf(): u32 {
  let mark = nodeNested(valueNode0);
  if (mark == 0) mark = nodeNested(valueNode1);
  if (mark == 0) mark = nodeNested(valueNode2);
  if (mark == 0) mark = nodeNested(valueNode3);
  return mark;
}

@inline function nodeNested(node: u32): u32 {
  if (node == NONE) return 0;
  const flags = <u32>load<u16>(nodes + <usize>node * NODE_SIZE, 6);
  return flags & NODE_NESTED ? (flags >> 8) + 1 : 0;
}

function recordSpan(region: Region, index: u32, keyStart: u32, keyEnd: u32, valueStart: u32, valueEnd: u32): bool {
  if (!region.ensure(<usize>(index + 1) * SPAN_SIZE)) return false;
  const s = region.ptr + <usize>index * SPAN_SIZE;
  store<u32>(s, keyStart);
  store<u32>(s, keyEnd, 4);
  store<u32>(s, valueStart, 8);
  store<u32>(s, valueEnd, 12);
  return true;
}

@inline export function spanAt(region: Region, index: u32, field: u32): u32 {
  return load<u32>(region.ptr + <usize>index * SPAN_SIZE + <usize>field * 4);
}

/**
 * Scans the JSON object in [start, end). Values go to the value store under each plan; with
 * `outer` set, the record's final '}' is noted and ensureMemberSpans can record the member spans
 * needed to tag it (offsets from start).
 * False: not exactly one valid JSON object (or too deep, or out of memory) — the caller passes the
 * record through. With `validate` off (input known to be valid JSON: the host's own serialisation),
 * subtrees no plan reads are skipped by their brackets alone, eight bytes per step. Plans whose bit
 * is clear in `planMask` read nothing (the caller knows the record's shape will not choose them).
 */
export function scanDocument(start: usize, end: usize, outer: bool, validate: bool = true, planMask: u32 = 0xf): bool {
  if (!frames.ensure(<usize>(MAX_DEPTH + 2) * FRAME_SIZE)) return false;
  tooDeep = false;
  if (outer) {
    topSpanCount = 0;
    eventSpanCount = 0;
    eventObjectStart = 0;
    eventObjectEnd = 0;
    spansPending = false;
    outerStart = start;
    outerEnd = end;
  }
  let pos = skipSpace(start, end);
  if (pos >= end || load<u8>(pos) != 0x7b) return false;
  valueNode0 = planMask & 1 ? load<u32>(plans, 4) : NONE;
  valueNode1 = planMask & 2 ? load<u32>(plans + PLAN_SIZE, 4) : NONE;
  valueNode2 = planMask & 4 ? load<u32>(plans + 2 * PLAN_SIZE, 4) : NONE;
  valueNode3 = planMask & 8 ? load<u32>(plans + 3 * PLAN_SIZE, 4) : NONE;
  let depth: u32 = 0;
  leafPathLen = 0;
  memberRecord = 0;
  if (!allLeaves) {
    if (valueNode0 != NONE) noteRecordNode(valueNode0, true);
    if (valueNode1 != NONE) noteRecordNode(valueNode1, true);
    if (valueNode2 != NONE) noteRecordNode(valueNode2, true);
    if (valueNode3 != NONE) noteRecordNode(valueNode3, true);
  }
  let f = pushFrame(0, TYPE_OBJECT, memberRecord & RECORD_CONTAINER ? FLAG_RECORD : 0, 0, 0, 0, 0);
  let keyStart: u32 = 0;
  let keyEnd: u32 = 0;
  pos++;
  let nestedMark: u32 = 0;
  currentGroup = 0;
  leafPathLen = 0;
  let expectClose = true; // right after '{' or '[' a closing bracket is allowed

  while (true) {
    pos = skipSpace(pos, end);
    if (pos >= end) return false;
    let c = <u32>load<u8>(pos);
    const type = load<u32>(f);

    // 1. A closing bracket, or (in an object) the key of the next member.
    if (c == 0x7d || c == 0x5d) {
      if (!expectClose || c != (type == TYPE_OBJECT ? <u32>0x7d : <u32>0x5d)) return false;
      pos++;
      if (depth == 0) {
        if (!outer) return skipSpace(pos, end) == end;
        closingBrace = <u32>(pos - 1 - start);
        spansPending = skipSpace(pos, end) == end;
        return spansPending;
      }
      depth--;
      f = frames.ptr + <usize>depth * FRAME_SIZE;
      pos = afterValue(pos, end, f);
      if (pos == 0) return false;
      expectClose = !sawComma;
      continue;
    }
    if (type == TYPE_OBJECT) {
      if (c != 0x22) return false;
      const close = scanString(pos + 1, end);
      if (close == 0) return false;
      keyStart = <u32>(pos - start);
      keyEnd = <u32>(close + 1 - start);
      let kptr = pos + 1;
      let klen = close - kptr;
      if (stringHasEscapes) {
        kptr = decodeIntoRegion(pos + 1, close);
        klen = decodedLength;
      }
      pos = skipSpace(close + 1, end);
      if (pos >= end || load<u8>(pos) != 0x3a) return false;
      pos = skipSpace(pos + 1, end);
      if (pos >= end) return false;
      c = <u32>load<u8>(pos);
      const inRecord = (load<u32>(f, 4) & FLAG_RECORD) != 0;
      if ((allLeaves || inRecord) && !enterKey(f, kptr, klen)) return false;
      const dot = firstDot(kptr, klen);
      const bit = segmentBit(kptr, dot);
      memberRecord = 0;
      valueNode0 = walkPlanKey(frameNode(f, 0), kptr, klen, dot, bit);
      valueNode1 = walkPlanKey(frameNode(f, 1), kptr, klen, dot, bit);
      valueNode2 = walkPlanKey(frameNode(f, 2), kptr, klen, dot, bit);
      valueNode3 = walkPlanKey(frameNode(f, 3), kptr, klen, dot, bit);
      if (allLeaves) memberRecord = 0; // every scalar is recorded anyway
      else if (inRecord) memberRecord = RECORD_SCALAR | RECORD_CONTAINER;
      else if (memberRecord != 0 && !startPath(depth, start, kptr, klen)) return false;
      nestedMark = nestedMarkOf();
    } else {
      valueNode0 = frameNode(f, 0);
      valueNode1 = frameNode(f, 1);
      valueNode2 = frameNode(f, 2);
      valueNode3 = frameNode(f, 3);
      // Elements of an array at a nested path (at any array depth) are that path's elements too.
      nestedMark = load<u32>(f, 40);
      leafPathLen = <usize>load<u32>(f, 44);
      memberRecord = load<u32>(f, 4) & FLAG_RECORD ? RECORD_SCALAR | RECORD_CONTAINER : 0;
    }
    currentGroup = load<u32>(f, 36);

    // 2. The value.
    let valueEnd: usize;
    if (c == 0x7b || c == 0x5b) {
      if (allLeaves || nestedMark != 0 || memberRecord != 0 || valueNode0 != NONE || valueNode1 != NONE || valueNode2 != NONE || valueNode3 != NONE) {
        if (depth + 1 >= MAX_DEPTH) {
          tooDeep = true;
          return false;
        }
        depth++;
        let group = currentGroup;
        let pending: u32 = 0;
        if (nestedMark != 0) {
          if (c == 0x7b) {
            const g = newGroup(nestedMark - 1, currentGroup);
            if (g != 0) group = g;
          } else pending = nestedMark;
        }
        const flags: u32 = memberRecord & RECORD_CONTAINER ? FLAG_RECORD : 0;
        f = pushFrame(depth, c == 0x7b ? TYPE_OBJECT : TYPE_ARRAY, flags, keyStart, keyEnd, group, pending);
        pos++;
        expectClose = true;
        continue;
      }
      // No plan needs anything inside: validate it only (most of a large requestObject), or with
      // trusted input just find its end (a nested element's group needs the validating walk's answer).
      valueEnd = !validate && currentGroup == 0 ? skipTrusted(pos, end) : skipContainer(pos, end);
      if (valueEnd == 0) return false;
      if (currentGroup != 0 && skippedHasValue) markGroupValue(currentGroup);
    } else if (c == 0x22) {
      const close = scanString(pos + 1, end);
      if (close == 0) return false;
      if (currentGroup != 0 && close > pos + 1) markGroupValue(currentGroup);
      const recordThis = allLeaves || (memberRecord & RECORD_SCALAR) != 0;
      if (recordThis || valueNode0 != NONE || valueNode1 != NONE || valueNode2 != NONE || valueNode3 != NONE) {
        let vptr = pos + 1;
        let vlen = <u32>(close - vptr);
        if (stringHasEscapes) {
          vptr = decodeIntoRegion(pos + 1, close);
          vlen = decodedLength;
        }
        if (!addLeaf(KIND_STR, vptr, vlen)) return false;
        if (recordThis && !recordLeaf(KIND_STR, vptr, vlen)) return false;
      }
      valueEnd = close + 1;
    } else if (c == 0x74 || c == 0x66 || c == 0x6e) {
      valueEnd = scanLiteral(pos, end, c);
      if (valueEnd == 0) return false;
      if (currentGroup != 0 && c != 0x6e) markGroupValue(currentGroup);
      const literalKind = c == 0x74 ? KIND_TRUE : c == 0x66 ? KIND_FALSE : KIND_NULL;
      if (!addLeaf(literalKind, pos, <u32>(valueEnd - pos))) return false;
      if ((allLeaves || (memberRecord & RECORD_SCALAR) != 0) && !recordLeaf(literalKind, pos, <u32>(valueEnd - pos))) return false;
    } else {
      valueEnd = scanNumber(pos, end);
      if (valueEnd == 0) return false;
      if (currentGroup != 0) markGroupValue(currentGroup);
      if (!addLeaf(KIND_NUM, pos, <u32>(valueEnd - pos))) return false;
      if ((allLeaves || (memberRecord & RECORD_SCALAR) != 0) && !recordLeaf(KIND_NUM, pos, <u32>(valueEnd - pos))) return false;
    }
    pos = afterValue(valueEnd, end, f);
    if (pos == 0) return false;
    expectClose = !sawComma;
  }
}

/**
 * Records the member spans of the record the last outer scan accepted (top level, and the members of
 * each top-level "event" object), as the tagger needs them. The record is known to be valid JSON.
 * False when memory is short.
 */
export function ensureMemberSpans(): bool {
  if (!spansPending) return true;
  spansPending = false;
  const start = outerStart;
  const end = outerEnd;
  const pos = skipSpace(start, end) + 1; // past the '{'
  return membersSpans(start, end, pos, true) != 0;
}

/** Spans of the members of the object whose '{' is just before pos; returns the position past its '}' (0: out of memory). */
function membersSpans(start: usize, end: usize, pos: usize, top: bool): usize {
  pos = skipSpace(pos, end);
  if (load<u8>(pos) == 0x7d) return pos + 1;
  while (true) {
    const keyStart = pos;
    const close = scanString(pos + 1, end);
    let isEvent = false;
    if (top) {
      let kptr = pos + 1;
      let klen = close - kptr;
      if (stringHasEscapes) {
        if (!keyScratch.ensure(klen + 1)) return 0;
        klen = decodeString(pos + 1, close, keyScratch.ptr);
        kptr = keyScratch.ptr;
      }
      isEvent = klen == 5 && bytesEqual(kptr, WORD_EVENT, 5);
    }
    const keyEnd = close + 1;
    const valueStart = skipSpace(skipSpace(keyEnd, end) + 1, end); // past the ':'
    const c = <u32>load<u8>(valueStart);
    let valueEnd: usize;
    if (isEvent && c == 0x7b) {
      valueEnd = membersSpans(start, end, valueStart + 1, false);
      if (valueEnd == 0) return 0;
      eventObjectStart = <u32>(valueStart - start);
      eventObjectEnd = <u32>(valueEnd - start);
    } else if (c == 0x7b || c == 0x5b) valueEnd = skipTrusted(valueStart, end);
    else if (c == 0x22) valueEnd = scanString(valueStart + 1, end) + 1;
    else if (c == 0x74 || c == 0x66 || c == 0x6e) valueEnd = scanLiteral(valueStart, end, c);
    else valueEnd = scanNumber(valueStart, end);
    const ks = <u32>(keyStart - start);
    const ke = <u32>(keyEnd - start);
    const vs = <u32>(valueStart - start);
    const ve = <u32>(valueEnd - start);
    if (top) {
      if (!recordSpan(topSpans, topSpanCount, ks, ke, vs, ve)) return 0;
      topSpanCount++;
    } else {
      if (!recordSpan(eventSpans, eventSpanCount, ks, ke, vs, ve)) return 0;
      eventSpanCount++;
    }
    pos = skipSpace(valueEnd, end);
    if (load<u8>(pos) != 0x2c) return pos + 1; // the '}'
    pos = skipSpace(pos + 1, end);
  }
  return 0; // not reached
}

/** Opening bracket of each container skipContainer is inside, by relative depth (grows with the depth: no limit). */
const skipStack = new Region();
/** The last skipped container held a value that makes an enclosing nested element non-empty. */
let skippedHasValue = false;

/**
 * Validates the container whose opening bracket is at `pos` by the same grammar as scanDocument (at
 * any depth: nothing inside is read), extracting nothing; returns the position just past its
 * closing bracket, or 0 where scanDocument would fail. Skips the key walk, frames and leaf
 * bookkeeping, which cost more than the bytes themselves.
 */
function skipContainer(pos: usize, end: usize): usize {
  skippedHasValue = false;
  if (!skipStack.ensure(64)) return 0;
  let skipOpeners = skipStack.ptr;
  let d: u32 = 0;
  store<u8>(skipOpeners, load<u8>(pos));
  pos++;
  let expectClose = true; // right after an opening bracket
  while (true) {
    pos = skipSpace(pos, end);
    if (pos >= end) return 0;
    let c = <u32>load<u8>(pos);
    const opener = <u32>load<u8>(skipOpeners + d);
    if (c == 0x7d || c == 0x5d) {
      if (!expectClose || c != opener + 2) return 0; // '{' + 2 is '}', '[' + 2 is ']'
      pos++;
      if (d == 0) return pos;
      d--;
    } else {
      if (opener == 0x7b) {
        if (c != 0x22) return 0;
        const close = scanString(pos + 1, end);
        if (close == 0) return 0;
        pos = skipSpace(close + 1, end);
        if (pos >= end || load<u8>(pos) != 0x3a) return 0;
        pos = skipSpace(pos + 1, end);
        if (pos >= end) return 0;
        c = <u32>load<u8>(pos);
      }
      if (c == 0x7b || c == 0x5b) {
        // At most one level per byte of the record: the stack stays below the record's size.
        if (!skipStack.ensure(<usize>d + 2)) return 0;
        skipOpeners = skipStack.ptr;
        d++;
        store<u8>(skipOpeners + d, <u8>c);
        pos++;
        expectClose = true;
        continue;
      }
      if (c == 0x22) {
        const close = scanString(pos + 1, end);
        if (close == 0) return 0;
        if (close > pos + 1) skippedHasValue = true;
        pos = close + 1;
      } else if (c == 0x74 || c == 0x66 || c == 0x6e) {
        const valueEnd = scanLiteral(pos, end, c);
        if (valueEnd == 0) return 0;
        if (c != 0x6e) skippedHasValue = true;
        pos = valueEnd;
      } else {
        const valueEnd = scanNumber(pos, end);
        if (valueEnd == 0) return 0;
        skippedHasValue = true;
        pos = valueEnd;
      }
    }
    // After a value (a scalar or a container just closed): ',' or the enclosing container's close.
    pos = skipSpace(pos, end);
    if (pos >= end) return 0;
    c = <u32>load<u8>(pos);
    if (c == 0x2c) {
      pos++;
      expectClose = false;
    } else if (c == <u32>load<u8>(skipOpeners + d) + 2) {
      expectClose = true;
    } else return 0;
  }
}

const ONES: u64 = 0x0101010101010101;
const HIGHS: u64 = 0x8080808080808080;

/** High bit of each byte of w that is '"', '{', '[', '}' or ']' (exact up to the lowest flagged byte). */
@inline function structuralBytes(w: u64): u64 {
  const q = w ^ 0x2222222222222222;
  const b = w | 0x2020202020202020; // '[' -> '{', ']' -> '}'
  const o = b ^ 0x7b7b7b7b7b7b7b7b;
  const c = b ^ 0x7d7d7d7d7d7d7d7d;
  return (((q - ONES) & ~q) | ((o - ONES) & ~o) | ((c - ONES) & ~c)) & HIGHS;
}

/**
 * The end of the valid container whose opening bracket is at `pos`: counts brackets outside strings,
 * jumping from one quote or bracket to the next a word at a time. No depth limit (a counter, no
 * stack). On malformed input it returns some position in (pos, end] or 0, never reads outside [pos, end).
 */
export function skipTrusted(pos: usize, end: usize): usize {
  let depth: u32 = 0;
  while (true) {
    while (pos + 8 <= end) {
      const s = structuralBytes(load<u64>(pos));
      if (s != 0) {
        pos += <usize>(ctz(s) >> 3);
        break;
      }
      pos += 8;
    }
    if (pos >= end) return 0;
    const c = <u32>load<u8>(pos);
    if (c == 0x22) {
      const close = scanString(pos + 1, end);
      if (close == 0) return 0;
      pos = close + 1;
      continue;
    }
    pos++;
    if ((c | 0x20) == 0x7b) depth++;
    else if ((c | 0x20) == 0x7d) {
      if (--depth == 0) return pos;
    }
  }
  return 0; // not reached
}

/**
 * After a value that ended at `pos` inside container `f`: expects ',' (returns the position after it,
 * sawComma set) or the container's closing bracket (returns its position, left for the main loop).
 * 0: invalid.
 */
let sawComma = false;
function afterValue(pos: usize, end: usize, f: usize): usize {
  pos = skipSpace(pos, end);
  if (pos >= end) return 0;
  const c = <u32>load<u8>(pos);
  sawComma = c == 0x2c;
  if (sawComma) return pos + 1;
  const type = load<u32>(f);
  if ((type == TYPE_OBJECT && c == 0x7d) || (type == TYPE_ARRAY && c == 0x5d)) return pos;
  return 0;
}

/** Validates `true`, `false` or `null` at pos; returns the end or 0. */
function scanLiteral(pos: usize, end: usize, c: u32): usize {
  if (c == 0x74) return pos + 4 <= end && load<u32>(pos) == 0x65757274 ? pos + 4 : 0; // "true"
  if (c == 0x6e) return pos + 4 <= end && load<u32>(pos) == 0x6c6c756e ? pos + 4 : 0; // "null"
  return pos + 5 <= end && load<u32>(pos) == 0x736c6166 && load<u8>(pos + 4) == 0x65 ? pos + 5 : 0; // "false"
}

@inline function isDigit(c: u32): bool {
  return c - 48 < 10;
}

/** Validates a JSON number at pos; returns its end or 0. */
function scanNumber(pos: usize, end: usize): usize {
  if (pos < end && load<u8>(pos) == 0x2d) pos++;
  if (pos >= end) return 0;
  let c = <u32>load<u8>(pos);
  if (c == 0x30) pos++;
  else if (c >= 0x31 && c <= 0x39) {
    pos++;
    while (pos < end && isDigit(<u32>load<u8>(pos))) pos++;
  } else return 0;
  if (pos < end && load<u8>(pos) == 0x2e) {
    pos++;
    if (pos >= end || !isDigit(<u32>load<u8>(pos))) return 0;
    while (pos < end && isDigit(<u32>load<u8>(pos))) pos++;
  }
  if (pos < end && (load<u8>(pos) | 0x20) == 0x65) {
    pos++;
    if (pos < end && (load<u8>(pos) == 0x2b || load<u8>(pos) == 0x2d)) pos++;
    if (pos >= end || !isDigit(<u32>load<u8>(pos))) return 0;
    while (pos < end && isDigit(<u32>load<u8>(pos))) pos++;
  }
  return pos;
}
