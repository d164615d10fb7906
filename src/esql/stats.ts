// ES|QL `STATS … BY` for the module (docs/semantics.md, "STATS … BY"): the commands before STATS
// run as a per-event pipeline (src/esql/pipeline.ts); this file turns the STATS command and the
// commands after it into a window spec the module's window engine runs (assembly/eval/esql-stats.ts):
// the aggregates and BY keys with where each reads its input (a field of a known type, or a
// pipeline register), the conditions after STATS on the aggregate columns, and the kept columns.
// Anything else is reported with its position (the rule is then skipped).
import type { FieldType } from '../fields/types.js';
import type { Assignment, Command, EsqlQuery, Expr, Pos } from './ast.js';
import { EsqlLoweringError } from './lower.js';
import { matchGlob } from '../fields/glob.js';

/** How the module reads a value (must match assembly/eval/esql-stats.ts). */
export enum StatsValueType {
  Keyword = 1,
  Ip = 2,
  Integer = 3,
  Long = 4,
  Short = 5,
  Byte = 6,
  Date = 7,
  /** `@timestamp`: a date, the record's event time when it has none. */
  Timestamp = 8,
}

export type StatsInput =
  /** A document field read with its type. */
  | { k: 'field'; field: string; type: StatsValueType }
  /** A string column computed before STATS (a pipeline register). */
  | { k: 'reg'; reg: number; column: string }
  /** A column computed as CASE(..., integer, ...) before STATS, read as a whole number. */
  | { k: 'regint'; reg: number; column: string };

export type StatsFn = 'count' | 'count_distinct' | 'values' | 'sum' | 'min' | 'max';

export interface StatsAgg {
  name: string;
  fn: StatsFn;
  /** undefined: COUNT(*) / COUNT(). */
  input?: StatsInput;
}

export type StatsOp = '==' | '!=' | '<' | '<=' | '>' | '>=';

/** A condition after STATS, three-valued; `col` indexes the aggregates, then the BY keys. */
export type StatsCond =
  | { k: 'cmp'; col: number; op: StatsOp; value: number }
  /** `col op NOW() + offsetMs` (a datetime aggregate against the record's event time). */
  | { k: 'cmpnow'; col: number; op: StatsOp; offsetMs: number }
  | { k: 'isnull'; col: number; negated: boolean }
  | { k: 'and' | 'or'; a: StatsCond; b: StatsCond }
  | { k: 'not'; a: StatsCond }
  | { k: 'const'; v: true | false | null };

export interface StatsSpec {
  aggs: StatsAgg[];
  by: { name: string; input: StatsInput }[];
  /** The WHERE commands after STATS, joined with AND (undefined: every row passes). */
  cond?: StatsCond;
  /** The final row's columns: `col` indexes the aggregates, then the BY keys. */
  outputs: { name: string; col: number }[];
}

const fail = (what: string, pos: Pos): never => {
  throw new EsqlLoweringError(`${what} is not supported by the kql-edge module`, pos);
};

function valueTypeOf(field: string, type: FieldType): StatsValueType | undefined {
  if (field === '@timestamp' && type === 'date') return StatsValueType.Timestamp;
  switch (type) {
    case 'keyword':
    case 'constant_keyword':
      return StatsValueType.Keyword;
    case 'ip':
      return StatsValueType.Ip;
    case 'integer':
      return StatsValueType.Integer;
    case 'long':
      return StatsValueType.Long;
    case 'short':
      return StatsValueType.Short;
    case 'byte':
      return StatsValueType.Byte;
    case 'date':
      return StatsValueType.Date;
    default:
      return undefined;
  }
}

const isNumericType = (t: StatsValueType) => t === StatsValueType.Integer || t === StatsValueType.Long || t === StatsValueType.Short || t === StatsValueType.Byte;
const isDateType = (t: StatsValueType) => t === StatsValueType.Date || t === StatsValueType.Timestamp;

function mapExpr(e: Expr, f: (x: Expr) => Expr | undefined): Expr {
  const hit = f(e);
  if (hit) return hit;
  switch (e.kind) {
    case 'and':
    case 'or':
    case 'compare':
    case 'arith':
      return { ...e, left: mapExpr(e.left, f), right: mapExpr(e.right, f) } as Expr;
    case 'not':
    case 'neg':
    case 'isnull':
      return { ...e, child: mapExpr(e.child, f) } as Expr;
    case 'in':
      return { ...e, left: mapExpr(e.left, f), values: e.values.map((v) => mapExpr(v, f)) };
    case 'like':
    case 'rlike':
      return { ...e, left: mapExpr(e.left, f) };
    case 'call':
      return { ...e, args: e.args.map((a) => mapExpr(a, f)) };
    default:
      return e;
  }
}

/**
 * The commands before STATS with plain field copies (`EVAL x = field`) replaced by the field
 * itself in later expressions: the same value in ES|QL (multi-valued included), and one the module
 * reads with the field's type. Then, per `SUM(CASE(c, n1, …))` with whole-number arms, an EVAL of
 * the same CASE with the numbers as strings (a pipeline register), read back as a number.
 */
export function rewriteForStats(pre: Command[], stats: Extract<Command, { kind: 'stats' }>, typeOf: (f: string) => FieldType): { pre: Command[]; stats: Extract<Command, { kind: 'stats' }>; sumColumns: Map<number, string> } {
  const alias = new Map<string, string>();
  const computed = new Set<string>();
  const subst = (e: Expr) => mapExpr(e, (x) => (x.kind === 'field' && alias.has(x.name) ? { ...x, name: alias.get(x.name)! } : undefined));
  const out: Command[] = [];
  for (const c of pre) {
    switch (c.kind) {
      case 'where':
        out.push({ ...c, condition: subst(c.condition) });
        break;
      case 'eval': {
        const kept: Assignment[] = [];
        for (const a of c.fields) {
          const e = subst(a.expr);
          alias.delete(a.name);
          if (e.kind === 'field' && !computed.has(e.name) && valueTypeOf(e.name, typeOf(e.name)) !== undefined) {
            alias.set(a.name, e.name);
            computed.delete(a.name);
            continue;
          }
          computed.add(a.name);
          kept.push({ ...a, expr: e });
        }
        if (kept.length > 0) out.push({ ...c, fields: kept });
        break;
      }
      case 'grok':
        out.push({ ...c, input: subst(c.input) });
        break;
      default:
        out.push(c);
    }
  }
  const sumColumns = new Map<number, string>();
  const extra: Assignment[] = [];
  const aggs = stats.aggs.map((a, k) => {
    let expr = subst(a.expr);
    if (expr.kind === 'call' && expr.name === 'sum' && expr.args.length === 1 && expr.args[0].kind === 'call' && expr.args[0].name === 'case') {
      const cs = expr.args[0];
      const valueArms = cs.args.filter((_, i) => i % 2 === 1 || i === cs.args.length - 1);
      if (cs.args.length >= 2 && valueArms.every((v) => v.kind === 'literal' && (v.type === 'integer' || v.type === 'null'))) {
        const args = cs.args.map((v, i) => (i % 2 === 1 || (i === cs.args.length - 1 && cs.args.length % 2 === 1) ? (v.kind === 'literal' && v.type === 'integer' ? { kind: 'literal' as const, type: 'keyword' as const, value: String(v.value), pos: v.pos } : v) : v));
        const column = `\u0000sum${k}`;
        extra.push({ name: column, expr: { ...cs, args }, pos: cs.pos });
        sumColumns.set(k, column);
        expr = { ...expr, args: [{ kind: 'field', name: column, pos: cs.pos }] };
      }
    }
    return { ...a, expr };
  });
  if (extra.length > 0) out.push({ kind: 'eval', fields: extra, pos: stats.pos });
  return { pre: out, stats: { ...stats, aggs, by: stats.by.map((b) => ({ ...b, expr: subst(b.expr) })) }, sumColumns };
}

/**
 * The window spec of STATS and the commands after it. `registerOf(column)` gives the pipeline
 * register of a column computed before STATS (undefined: not a computed column).
 */
export function compileStats(stats: Extract<Command, { kind: 'stats' }>, post: Command[], typeOf: (f: string) => FieldType, registerOf: (column: string) => number | undefined, sumColumns: Map<number, string>): StatsSpec {
  const inputOf = (e: Expr, what: string): StatsInput => {
    if (e.kind !== 'field') return fail(`${what} of a computed expression (only fields and columns)`, e.pos);
    const reg = registerOf(e.name);
    if (reg !== undefined) return { k: 'reg', reg, column: e.name };
    const t = typeOf(e.name);
    const vt = valueTypeOf(e.name, t);
    if (vt === undefined) return fail(`${what} of field ${e.name} of type ${t}`, e.pos);
    return { k: 'field', field: e.name, type: vt };
  };
  const aggs: StatsAgg[] = stats.aggs.map((a, k) => {
    const e = a.expr;
    if (e.kind !== 'call') return fail(`STATS ${a.name} = an expression that is not an aggregate`, e.pos);
    const name = e.name.toUpperCase();
    switch (e.name) {
      case 'count':
        if (e.star || e.args.length === 0) return { name: a.name, fn: 'count' };
        if (e.args.length !== 1) return fail(`${name} with several arguments`, e.pos);
        return { name: a.name, fn: 'count', input: inputOf(e.args[0], name) };
      case 'count_distinct':
        if (e.args.length !== 1) return fail(`${name} with a precision argument`, e.pos);
        return { name: a.name, fn: 'count_distinct', input: inputOf(e.args[0], name) };
      case 'values':
        if (e.args.length !== 1) return fail(`${name} without one argument`, e.pos);
        return { name: a.name, fn: 'values', input: inputOf(e.args[0], name) };
      case 'sum': {
        if (e.args.length !== 1) return fail(`${name} without one argument`, e.pos);
        const col = sumColumns.get(k);
        if (col !== undefined) {
          const reg = registerOf(col);
          if (reg === undefined) return fail(`${name} of CASE`, e.pos);
          return { name: a.name, fn: 'sum', input: { k: 'regint', reg, column: col } };
        }
        const input = inputOf(e.args[0], name);
        if (input.k !== 'field' || !isNumericType(input.type)) return fail(`${name} of a value that is not a whole-number field`, e.args[0].pos);
        return { name: a.name, fn: 'sum', input };
      }
      case 'min':
      case 'max': {
        if (e.args.length !== 1) return fail(`${name} without one argument`, e.pos);
        const input = inputOf(e.args[0], name);
        if (input.k !== 'field' || !(isNumericType(input.type) || isDateType(input.type))) return fail(`${name} of a value that is not a whole-number or date field`, e.args[0].pos);
        return { name: a.name, fn: e.name, input };
      }
      default:
        return fail(`ES|QL function ${name} in STATS`, e.pos);
    }
  });
  const by = stats.by.map((b) => {
    const input = inputOf(b.expr, 'STATS … BY');
    if (input.k === 'field' && !(input.type === StatsValueType.Keyword || input.type === StatsValueType.Ip || isNumericType(input.type))) return fail(`STATS … BY on field ${input.field} of type ${typeOf(input.field)}`, b.pos);
    return { name: b.name, input };
  });
  // Columns after STATS: the aggregates, then the BY keys (a name written again moves to the end).
  let columns: string[] = [];
  const put = (n: string) => {
    columns = columns.filter((c) => c !== n);
    columns.push(n);
  };
  aggs.forEach((a) => put(a.name));
  by.forEach((b) => put(b.name));
  const colIndex = (name: string) => {
    const byAt = by.map((b) => b.name).lastIndexOf(name);
    if (byAt >= 0) return aggs.length + byAt;
    return aggs.map((a) => a.name).lastIndexOf(name);
  };
  const colKind = (col: number): 'number' | 'date' | 'multi' | 'key' => {
    if (col >= aggs.length) return 'key';
    const a = aggs[col];
    if (a.fn === 'values') return 'multi';
    if ((a.fn === 'min' || a.fn === 'max') && a.input?.k === 'field' && isDateType(a.input.type)) return 'date';
    return 'number';
  };
  const flip: Record<StatsOp, StatsOp> = { '==': '==', '!=': '!=', '<': '>', '<=': '>=', '>': '<', '>=': '<=' };
  const nowOffset = (e: Expr): number | undefined => {
    if (e.kind === 'call' && e.name === 'now' && e.args.length === 0) return 0;
    if (e.kind === 'arith' && (e.op === '+' || e.op === '-') && e.right.kind === 'span' && !e.right.calendar) {
      const base = nowOffset(e.left);
      if (base !== undefined) return base + (e.op === '+' ? e.right.ms : -e.right.ms);
    }
    return undefined;
  };
  const condOf = (e: Expr): StatsCond => {
    switch (e.kind) {
      case 'and':
      case 'or':
        return { k: e.kind, a: condOf(e.left), b: condOf(e.right) };
      case 'not':
        return { k: 'not', a: condOf(e.child) };
      case 'literal':
        if (e.type === 'boolean') return { k: 'const', v: e.value };
        if (e.type === 'null') return { k: 'const', v: null };
        return fail('a condition that is not boolean', e.pos);
      case 'isnull': {
        const col = e.child.kind === 'field' ? colIndex(e.child.name) : -1;
        if (col < 0) return fail('IS NULL after STATS on something other than a column', e.pos);
        return { k: 'isnull', col, negated: e.negated };
      }
      case 'in': {
        if (e.negated) return condOf({ kind: 'not', child: { ...e, negated: false }, pos: e.pos });
        let c: StatsCond | undefined;
        for (const v of e.values) {
          const eq = condOf({ kind: 'compare', op: '==', left: e.left, right: v, pos: e.pos });
          c = c ? { k: 'or', a: c, b: eq } : eq;
        }
        return c ?? { k: 'const', v: false };
      }
      case 'compare': {
        let { left, right } = e;
        let op: StatsOp = e.op;
        if (left.kind !== 'field') {
          [left, right] = [right, left];
          op = flip[op];
        }
        const col = left.kind === 'field' ? colIndex(left.name) : -1;
        if (col < 0) return fail(`ES|QL ${e.op} after STATS on something other than a column`, e.pos);
        const kind = colKind(col);
        if (kind === 'multi' || kind === 'key') return fail(`ES|QL ${e.op} on the ${kind === 'multi' ? 'VALUES' : 'BY'} column ${left.kind === 'field' ? left.name : ''} after STATS`, e.pos);
        if (right.kind === 'literal' && right.type === 'null') return { k: 'const', v: null };
        if (kind === 'number') {
          if (right.kind === 'literal' && (right.type === 'integer' || right.type === 'double')) return { k: 'cmp', col, op, value: right.value };
          return fail(`ES|QL ${e.op} of a count or sum with something other than a number`, right.pos);
        }
        const offset = nowOffset(right);
        if (offset === undefined) return fail(`ES|QL ${e.op} of a date aggregate with something other than NOW() ± a time span`, right.pos);
        return { k: 'cmpnow', col, op, offsetMs: offset };
      }
      default:
        return fail(`ES|QL ${e.kind} in a condition after STATS`, e.pos);
    }
  };
  let cond: StatsCond | undefined;
  for (const c of post) {
    switch (c.kind) {
      case 'where': {
        const w = condOf(c.condition);
        cond = cond ? { k: 'and', a: cond, b: w } : w;
        break;
      }
      case 'keep': {
        const kept: string[] = [];
        for (const pat of c.patterns) {
          if (pat.includes('*')) {
            for (const n of columns) if (!kept.includes(n) && matchGlob(pat.split('*'), n)) kept.push(n);
          } else if (columns.includes(pat)) {
            const i = kept.indexOf(pat);
            if (i >= 0) kept.splice(i, 1);
            kept.push(pat);
          } else return fail(`KEEP of ${pat}, which is not a column after STATS`, c.pos);
        }
        columns = kept;
        break;
      }
      case 'drop':
        columns = columns.filter((n) => !c.patterns.some((pat) => matchGlob(pat.split('*'), n)));
        break;
      default:
        return fail(`ES|QL ${c.kind.toUpperCase()} after STATS`, c.pos);
    }
  }
  return { aggs, by, ...(cond ? { cond } : {}), outputs: columns.map((name) => ({ name, col: colIndex(name) })) };
}

/** Splits a query at its STATS command (undefined: no STATS). More than one STATS is refused. */
export function statsParts(q: EsqlQuery): { pre: Command[]; stats: Extract<Command, { kind: 'stats' }>; post: Command[] } | undefined {
  const i = q.commands.findIndex((c) => c.kind === 'stats');
  if (i < 0) return undefined;
  const later = q.commands.slice(i + 1).find((c) => c.kind === 'stats');
  if (later) fail('a second STATS', later.pos);
  return { pre: q.commands.slice(0, i), stats: q.commands[i] as Extract<Command, { kind: 'stats' }>, post: q.commands.slice(i + 1) };
}
