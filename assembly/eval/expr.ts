// Boolean structure of a rule: and / or / not over leaves, evaluated with short-circuit.
// The compiler bounds the depth (so recursion stays shallow even on Fluent Bit's small default
// interpreter stack) and orders children before parents (checked at load: no cycles).
import { exprs, exprKids, leafCount, plans } from '../program/program';
import { EXPR_SIZE, ExprOp, PLAN_SIZE, PLAN_DROP_EMPTY } from '../program/format';
import { evalLeaf, evalGroup, setEvalGroup, evalPlan } from './predicates';
import { groupCount, groupOf } from './values';
import { Region } from '../util/buffer';

const leafCache = new Region(); // per leaf: 0 unknown, 1 false, 2 true

/** Forgets cached leaf results (a new record, document, plan or event time). */
export function resetLeafCache(): bool {
  if (!leafCache.ensure(<usize>leafCount + 1)) return false;
  memory.fill(leafCache.ptr, 0, <usize>leafCount);
  return true;
}

function leaf(i: u32): bool {
  const c = leafCache.ptr + <usize>i;
  const known = load<u8>(c);
  if (known != 0) return known == 2;
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
      for (let k: u32 = 0; k < b; k++) if (!evalExpr(load<u32>(exprKids + <usize>(a + k) * 4))) return false;
      return true;
    }
    case ExprOp.Or: {
      for (let k: u32 = 0; k < b; k++) if (evalExpr(load<u32>(exprKids + <usize>(a + k) * 4))) return true;
      return false;
    }
    case ExprOp.Not:
      return !evalExpr(a);
    case ExprOp.Nested:
      return evalNested(a, b);
  }
  return false;
}
