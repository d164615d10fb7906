// The document fields an ES|QL query reads: every field reference that is not a column computed
// earlier in the pipeline (EVAL, GROK, STATS), with its position (for unknown-field warnings).
// KQL() queries inside are not looked into (their fields are warned about as KQL's would be).
import type { EsqlQuery, Expr, Pos } from './ast.js';
import { compileGrok } from './grok.js';

export interface EsqlFieldRef {
  name: string;
  pos: Pos;
}

export function esqlFieldsOf(q: EsqlQuery): EsqlFieldRef[] {
  const out: EsqlFieldRef[] = [];
  const computed = new Set<string>(q.from.metadata);
  let afterStats = false;
  const expr = (e: Expr): void => {
    switch (e.kind) {
      case 'field':
        if (!computed.has(e.name) && !afterStats) out.push({ name: e.name, pos: e.pos });
        return;
      case 'and':
      case 'or':
      case 'compare':
      case 'arith':
        expr(e.left);
        expr(e.right);
        return;
      case 'not':
      case 'neg':
      case 'isnull':
        expr(e.child);
        return;
      case 'in':
        expr(e.left);
        e.values.forEach(expr);
        return;
      case 'like':
      case 'rlike':
        expr(e.left);
        return;
      case 'call':
        if (e.name !== 'kql') e.args.forEach(expr);
        return;
      default:
        return;
    }
  };
  for (const c of q.commands) {
    switch (c.kind) {
      case 'where':
        expr(c.condition);
        break;
      case 'eval':
        for (const f of c.fields) {
          expr(f.expr);
          computed.add(f.name);
        }
        break;
      case 'grok':
        expr(c.input);
        try {
          for (const col of compileGrok(c.pattern).columns) computed.add(col);
        } catch {
          // an unsupported pattern is reported when the rule is loaded
        }
        break;
      case 'stats':
        for (const a of [...c.aggs, ...c.by]) expr(a.expr);
        afterStats = true;
        break;
      default:
        break;
    }
  }
  return out;
}
