// The fields an EQL query names (conditions, join keys), with where each is written, for warnings.
import type { EqlQuery, EventQuery, Expr, Pos } from './ast.js';

export interface EqlFieldRef {
  name: string;
  pos: Pos;
}

export function eqlFieldsOf(q: EqlQuery): EqlFieldRef[] {
  const out: EqlFieldRef[] = [];
  const expr = (e: Expr): void => {
    switch (e.kind) {
      case 'field':
        out.push({ name: e.name, pos: e.pos });
        return;
      case 'literal':
        return;
      case 'not':
      case 'neg':
        expr(e.child);
        return;
      case 'and':
      case 'or':
        e.children.forEach(expr);
        return;
      case 'compare':
      case 'arith':
        expr(e.left);
        expr(e.right);
        return;
      case 'match':
        expr(e.left);
        return;
      case 'in':
        expr(e.left);
        e.values.forEach(expr);
        return;
      case 'call':
        e.args.forEach(expr);
        return;
    }
  };
  const event = (x: EventQuery): void => expr(x.condition);
  if (q.kind === 'event') event(q);
  else {
    q.by.forEach(expr);
    for (const s of [...q.stages, ...(q.until ? [q.until] : [])]) {
      event(s.query);
      s.by.forEach(expr);
    }
  }
  return out;
}
