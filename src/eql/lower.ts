// From an EQL condition to the rule program's boolean structure. A construct is lowered only where
// the program's leaves give exactly EQL's verdict (docs/semantics.md, "EQL"): `==`, `!=`, `in`,
// `not in`, `like`, `:`, `== null`, `not`, `and`, `or` on keyword-like, numeric, boolean and ip
// fields, and the case-insensitive forms when the literal has no cased character. Anything else
// is reported as unsupported with a reason, and the rule is skipped (never run with another meaning).
import type { Node, Value, FieldRef, Pos } from '../kql/ast.js';
import type { FieldType } from '../fields/types.js';
import { NUMERIC_TYPES } from '../reference/values/numeric.js';
import type { Expr, EventQuery } from './ast.js';
import { isCaseless } from './case.js';

/** The lowered condition: KQL nodes where the meaning is the same, plus EQL's own wildcard leaf. */
export type Lowered =
  | { kind: 'kql'; node: Node }
  /** `field like pattern` with `*` and `?` wildcards (case-sensitive, keyword). */
  | { kind: 'wildcard'; field: string; pattern: string; pos: Pos }
  | { kind: 'and' | 'or'; children: Lowered[] }
  | { kind: 'not'; child: Lowered }
  | { kind: 'const'; value: boolean }
  /** ES|QL: the field holds exactly one value (src/esql/lower.ts). */
  | { kind: 'single'; field: string; pos: Pos };

export class EqlLoweringError extends Error {
  constructor(
    readonly reason: string,
    readonly pos: Pos,
  ) {
    super(reason);
  }
}

/** How values of a field type are compared, for lowering purposes. */
type Family = 'keyword' | 'numeric' | 'boolean' | 'ip' | 'other';

function familyOf(type: FieldType): Family {
  if (type === 'keyword' || type === 'constant_keyword' || type === 'object' || type === 'nested') return 'keyword';
  if ((NUMERIC_TYPES as readonly string[]).includes(type)) return 'numeric';
  if (type === 'boolean' || type === 'ip') return type;
  return 'other';
}

const fieldRef = (name: string, pos: Pos): FieldRef => ({ name, pattern: null, pos });

/** The KQL value that stands for an EQL literal (numbers as written, booleans as themselves). */
export function literalValue(value: string | number | boolean, numberText?: string): Value {
  if (typeof value === 'boolean') return { type: 'boolean', value };
  if (typeof value === 'number') return { type: 'string', value: numberText ?? String(value), quoted: true };
  return { type: 'string', value, quoted: true };
}

/** The condition of an event query, with its category (`process where` = event.category == "process"). */
export function lowerEventQuery(q: EventQuery, typeOf: (field: string) => FieldType): Lowered {
  const condition = lowerCondition(q.condition, typeOf);
  if (q.category === null) return condition;
  const category: Lowered = { kind: 'kql', node: { kind: 'is', field: fieldRef('event.category', q.pos), value: literalValue(q.category), pos: q.pos } };
  return { kind: 'and', children: [category, condition] };
}

export function lowerCondition(e: Expr, typeOf: (field: string) => FieldType): Lowered {
  const unsupported = (what: string, at: Pos = e.pos): never => {
    throw new EqlLoweringError(`${what} is not supported by the kql-edge module`, at);
  };
  /** A field operand whose type the lowering handles for `ops`. */
  const fieldOf = (x: Expr, allowed: Family[], what: string): { name: string; family: Family } => {
    if (x.kind !== 'field') return unsupported(`EQL ${what} on a computed value (not a plain field)`, x.pos);
    const family = familyOf(typeOf(x.name));
    if (!allowed.includes(family)) unsupported(`EQL ${what} on field ${x.name} of type ${typeOf(x.name)}`, x.pos);
    return { name: x.name, family };
  };
  const is = (name: string, value: Value, pos: Pos): Lowered => ({ kind: 'kql', node: { kind: 'is', field: fieldRef(name, pos), value, pos } });
  const exists = (name: string, pos: Pos): Lowered => is(name, { type: 'exists' }, pos);
  const literalOf = (x: Expr): Extract<Expr, { kind: 'literal' }> | undefined => (x.kind === 'literal' ? x : undefined);

  switch (e.kind) {
    case 'and':
    case 'or':
      return { kind: e.kind, children: e.children.map((c) => lowerCondition(c, typeOf)) };
    case 'not':
      return { kind: 'not', child: lowerCondition(e.child, typeOf) };
    case 'literal':
      if (typeof e.value === 'boolean') return { kind: 'const', value: e.value };
      return unsupported('a condition that is not true, false or a comparison');
    case 'field': {
      // A field alone as a condition: true when a value is true.
      const f = fieldOf(e, ['keyword', 'boolean'], 'a field used as a condition');
      return is(f.name, { type: 'boolean', value: true }, e.pos);
    }
    case 'compare': {
      let { left, right, op } = e;
      if (left.kind !== 'field' && right.kind === 'field') {
        [left, right] = [right, left];
        op = ({ '<': '>', '<=': '>=', '>': '<', '>=': '<=' } as Record<string, typeof op>)[op] ?? op;
      }
      const lit = literalOf(right);
      if (!lit) return unsupported(left.kind === 'field' && right.kind === 'field' ? 'EQL comparison of two fields' : 'EQL comparison of computed values');
      if (op === '==' || op === '!=') {
        const f = fieldOf(left, ['keyword', 'numeric', 'boolean', 'ip'], `${op}`);
        const holds: Lowered = lit.value === null ? { kind: 'not', child: exists(f.name, left.pos) } : is(f.name, literalValue(lit.value, lit.numberText), lit.pos);
        return op === '==' ? holds : { kind: 'not', child: holds };
      }
      const f = fieldOf(left, ['keyword', 'numeric'], op);
      if (lit.value === null) return { kind: 'const', value: false };
      if (typeof lit.value === 'boolean') return unsupported(`EQL ${op} with a boolean`, lit.pos);
      if (f.family === 'numeric' && typeof lit.value !== 'number') return unsupported(`EQL ${op} between a number field and a string`, lit.pos);
      const kop = ({ '<': 'lt', '<=': 'lte', '>': 'gt', '>=': 'gte' } as const)[op];
      const text = typeof lit.value === 'number' ? (lit.numberText ?? String(lit.value)) : lit.value;
      return { kind: 'kql', node: { kind: 'range', field: fieldRef(f.name, left.pos), op: kop, value: text, quoted: true, pos: lit.pos } };
    }
    case 'in': {
      const f = fieldOf(e.left, e.insensitive ? ['keyword'] : ['keyword', 'numeric', 'boolean', 'ip'], e.insensitive ? 'in~' : 'in');
      const children = e.values.map((v): Lowered => {
        const lit = literalOf(v);
        if (!lit) return unsupported('EQL in with a value that is not a constant', v.pos);
        if (lit.value === null) return { kind: 'not', child: exists(f.name, v.pos) };
        if (e.insensitive && typeof lit.value === 'string' && !isCaseless(lit.value)) unsupported('EQL in~ (case-insensitive) with a value that has letters', v.pos);
        return is(f.name, literalValue(lit.value, lit.numberText), v.pos);
      });
      const any: Lowered = { kind: 'or', children };
      return e.negated ? { kind: 'not', child: any } : any;
    }
    case 'match': {
      if (e.op === 'regex' || e.op === 'regex~') return unsupported(`EQL ${e.op}`);
      const insensitive = e.op !== 'like';
      const f = fieldOf(e.left, ['keyword'], e.op);
      const children = e.patterns.map((p): Lowered => {
        const pattern = p.kind === 'literal' && typeof p.value === 'string' ? p.value : unsupported('a pattern that is not a string', p.pos);
        if (insensitive && !isCaseless(pattern)) unsupported(`EQL ${e.op} (case-insensitive) with a pattern that has letters`, p.pos);
        if (!pattern.includes('*') && !pattern.includes('?')) return is(f.name, literalValue(pattern), p.pos);
        if (!pattern.includes('?')) return is(f.name, { type: 'wildcard', parts: pattern.split('*') }, p.pos);
        return { kind: 'wildcard', field: f.name, pattern, pos: p.pos };
      });
      return { kind: 'or', children };
    }
    case 'call':
      return unsupported(`EQL function ${e.name}${e.insensitive ? '~' : ''}`);
    case 'arith':
    case 'neg':
      return unsupported('EQL arithmetic');
  }
}

/** The same structure as a KQL tree for the prefilter: EQL's own leaves require no literal. */
export function prefilterTree(l: Lowered): Node {
  switch (l.kind) {
    case 'kql':
      return l.node;
    case 'and':
    case 'or':
      return { kind: l.kind, children: l.children.map(prefilterTree) };
    case 'not':
      return { kind: 'not', child: prefilterTree(l.child) };
    default:
      return { kind: 'all' };
  }
}
