// Boolean structure of a rule: and / or / not over leaves, evaluated with short-circuit.
// The compiler bounds the depth (so recursion stays shallow even on Fluent Bit's small default
// interpreter stack) and orders children before parents (checked at load: no cycles).
import { exprs, exprKids, leafCount } from '../program/program';
import { EXPR_SIZE, ExprOp } from '../program/format';
import { evalLeaf } from './predicates';
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
      // Per-element correlation is resolved by the compiler into the child's leaves (see docs/semantics.md).
      return evalExpr(a);
  }
  return false;
}
