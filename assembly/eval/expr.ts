// Boolean structure of a rule: and / or / not over leaves, evaluated with short-circuit.
// The compiler bounds the depth (so recursion stays shallow even on Fluent Bit's small default
// interpreter stack) and orders children before parents (checked at load: no cycles).
import { exprs, exprCount, exprKids, exprKidCount, leafCount, leaves, plans } from '../program/program';
import { EXPR_SIZE, LEAF_SIZE, ExprOp, Op, PLAN_SIZE, PLAN_DROP_EMPTY } from '../program/format';
import { evalLeaf, evalGroup, setEvalGroup, evalPlan, evalDoc } from './predicates';
import { groupCount, groupOf, firstValue, NONE } from './values';
import { Region } from '../util/buffer';
import { prepareSharedEquals, sharedEquals, decideSlotEquals } from './shared-equals';

const leafCache = new Region(); // per leaf: 0 unknown, 1 false, 2 true

// The children of an `and` are tried most-rejecting first, learnt from the records themselves (a child
// that just rejected a record moves one place up when it has rejected more than the child before it):
// `resource:pods` comes before `decision:allow` (true on nearly every audit event), so most rules are
// decided by one leaf. Leaves are pure and an `and` is commutative: the order changes no verdict.
const kidOrder = new Region(); // a copy of the program's children table, reordered per `and`
const kidRejects = new Region(); // per expression: records it rejected as an `and` child (u32, halved when large)

// An `or` whose children are all leaves on one field (`verb:(create or update or patch)`, a list of
// fourteen privileged user names) is false when the record has no value for that field: one test
// instead of a call per child.
const orSlot = new Region(); // per expression: slot + 1 of such an `or`, else 0

/** Builds the reorderable children table and the one-field `or`s once per program. */
export function prepareExprOrder(): bool {
  if (!kidOrder.ensure(<usize>exprKidCount * 4 + 4) || !kidRejects.ensure(<usize>exprCount * 4 + 4) || !orSlot.ensure(<usize>exprCount * 4 + 4)) return false;
  memory.copy(kidOrder.ptr, exprKids, <usize>exprKidCount * 4);
  memory.fill(kidRejects.ptr, 0, <usize>exprCount * 4);
  for (let x: u32 = 0; x < exprCount; x++) store<u32>(orSlot.ptr + <usize>x * 4, oneFieldOr(x));
  return prepareSharedEquals();
}

/** Slot + 1 when expression x is an `or` of leaves that all read one slot and are false without a value (not Never, not field-less). */
function oneFieldOr(x: u32): u32 {
  const e = exprs + <usize>x * EXPR_SIZE;
  if (<u32>load<u8>(e) != ExprOp.Or) return 0;
  const a = load<u32>(e, 4);
  const b = load<u32>(e, 8);
  let slot: u32 = 0xffffffff;
  for (let k: u32 = 0; k < b; k++) {
    const kid = exprs + <usize>load<u32>(exprKids + <usize>(a + k) * 4) * EXPR_SIZE;
    if (<u32>load<u8>(kid) != ExprOp.Leaf) return 0;
    const l = leaves + <usize>load<u32>(kid, 4) * LEAF_SIZE;
    const op = <u32>load<u8>(l, 2);
    if (op == Op.Never || op == Op.AnyField) return 0;
    const s = <u32>load<u16>(l);
    if (slot != 0xffffffff && s != slot) return 0;
    slot = s;
  }
  return slot == 0xffffffff ? 0 : slot + 1;
}

/** The child in `slot` (the k-th tried) rejected: count it, and move it up past a child that rejects less. */
function noteAndRejection(slot: usize, k: u32): void {
  const x = load<u32>(slot);
  const counter = kidRejects.ptr + <usize>x * 4;
  let n = load<u32>(counter) + 1;
  if (n >= 0x40000000) n >>= 1;
  store<u32>(counter, n);
  if (k == 0) return;
  const before = load<u32>(slot - 4);
  if (n > load<u32>(kidRejects.ptr + <usize>before * 4)) {
    store<u32>(slot - 4, x);
    store<u32>(slot, before);
  }
}

/** Forgets cached leaf results (a new record, document, plan or event time). */
export function resetLeafCache(): bool {
  if (!leafCache.ensure(<usize>leafCount + 1)) return false;
  memory.fill(leafCache.ptr, 0, <usize>leafCount);
  return true;
}

/** Leaf i's result, cached per record. The cached case is inlined: a call costs more than it in an interpreter. */
@inline function leaf(i: u32): bool {
  const known = load<u8>(leafCache.ptr + <usize>i);
  return known != 0 ? known == 2 : decideLeaf(i);
}

function decideLeaf(i: u32): bool {
  const c = leafCache.ptr + <usize>i;
  if (evalGroup == 0 && sharedEquals(i)) {
    decideSlotEquals(i, leafCache.ptr);
    return load<u8>(c) == 2;
  }
  const r = evalLeaf(i);
  store<u8>(c, r ? 2 : 1);
  return r;
}

/**
 * `path:{q}`: q holds on one element of the nested path. Each element is a group of values; the
 * leaves see one group at a time (their cached results are forgotten between groups).
 */
function evalNested(child: u32, nestedId: u32): bool {
  const outer = evalGroup;
  // An audit-event view drops empty values, so an element with no non-empty scalar is not there.
  const needValue = (load<u32>(plans + <usize>evalPlan * PLAN_SIZE) & PLAN_DROP_EMPTY) != 0;
  let found = false;
  for (let g: u32 = 1; g <= groupCount && !found; g++) {
    if (!groupOf(g, nestedId, needValue)) continue;
    setEvalGroup(g);
    resetLeafCache();
    found = evalExpr(child);
  }
  setEvalGroup(outer);
  resetLeafCache();
  return found;
}

/** Expression x; a leaf child is read without a call (most children are leaves). */
@inline function evalKid(x: u32): bool {
  const e = exprs + <usize>x * EXPR_SIZE;
  return <u32>load<u8>(e) == ExprOp.Leaf ? leaf(load<u32>(e, 4)) : evalExpr(x);
}

export function evalExpr(x: u32): bool {
  const e = exprs + <usize>x * EXPR_SIZE;
  const op = <u32>load<u8>(e);
  const a = load<u32>(e, 4);
  const b = load<u32>(e, 8);
  switch (op) {
    case ExprOp.True:
      return true;
    case ExprOp.Leaf:
      return leaf(a);
    case ExprOp.And: {
      for (let k: u32 = 0; k < b; k++) {
        const slot = kidOrder.ptr + <usize>(a + k) * 4;
        if (!evalKid(load<u32>(slot))) {
          noteAndRejection(slot, k);
          return false;
        }
      }
      return true;
    }
    case ExprOp.Or: {
      const s = load<u32>(orSlot.ptr + <usize>x * 4);
      if (s != 0 && firstValue(evalDoc, evalPlan, s - 1) == NONE) return false;
      for (let k: u32 = 0; k < b; k++) if (evalKid(load<u32>(exprKids + <usize>(a + k) * 4))) return true;
      return false;
    }
    case ExprOp.Not:
      return !evalKid(a);
    case ExprOp.Nested:
      return evalNested(a, b);
  }
  return false;
}
