// From an ES|QL per-event query (FROM, WHERE …, KEEP/DROP) to the rule program's boolean structure,
// the one KQL and EQL rules use. ES|QL is three-valued: a WHERE keeps a row only when its condition
// is TRUE, and a comparison is null when its field is null or multi-valued. So each condition e is
// lowered twice, to T(e) ("e is true") and F(e) ("e is false"), with NOT swapping them:
//   f == v  ->  T: single(f) and any(f == v)      F: single(f) and not any(f == v)
//   a and b ->  T: T(a) and T(b)                  F: F(a) or F(b)      (or: dual)
//   f is null -> T: not exists(f)                 F: exists(f)
//   KQL("q") -> T: q                              F: not q             (KQL is two-valued)
// where single(f) is the module's "exactly one value" leaf (distinct values for keyword and ip, as
// Elasticsearch's doc values deduplicate them). Anything else is reported with its position and the
// rule is skipped (never run with another meaning).
import type { Node, Value, FieldRef } from '../kql/ast.js';
import type { FieldType } from '../fields/types.js';
import type { Lowered } from '../eql/lower.js';
import { literalValue } from '../eql/lower.js';
import { NUMERIC_TYPES } from '../reference/values/numeric.js';
import { parseKql } from '../kql/parser.js';
import { canonicalIp } from '../reference/esql-values.js';
import type { EsqlQuery, Expr, Pos } from './ast.js';

export class EsqlLoweringError extends Error {
  constructor(
    readonly reason: string,
    readonly pos: Pos,
  ) {
    super(reason);
  }
}

type Family = 'keyword' | 'numeric' | 'boolean' | 'ip' | 'other';

function familyOf(type: FieldType): Family {
  if (type === 'keyword' || type === 'constant_keyword') return 'keyword';
  if ((NUMERIC_TYPES as readonly string[]).includes(type)) return 'numeric';
  if (type === 'boolean' || type === 'ip') return type;
  return 'other';
}

const fieldRef = (name: string, pos: Pos): FieldRef => ({ name, pattern: null, pos });
const is = (name: string, value: Value, pos: Pos): Lowered => ({ kind: 'kql', node: { kind: 'is', field: fieldRef(name, pos), value, pos } });
// Never an empty and/or: the program's expressions have at least one child.
const and = (...children: Lowered[]): Lowered => (children.length === 0 ? { kind: 'const', value: true } : children.length === 1 ? children[0] : { kind: 'and', children });
const or = (...children: Lowered[]): Lowered => (children.length === 0 ? { kind: 'const', value: false } : children.length === 1 ? children[0] : { kind: 'or', children });
const not = (child: Lowered): Lowered => ({ kind: 'not', child });
const FALSE: Lowered = { kind: 'const', value: false };
const TRUE: Lowered = { kind: 'const', value: true };

export interface Truth {
  t: Lowered;
  f: Lowered;
}

/** T(e) and F(e) of a condition on document fields. */
export function lowerCondition(e: Expr, typeOf: (field: string) => FieldType): Truth {
  const unsupported = (what: string, at: Pos = e.pos): never => {
    throw new EsqlLoweringError(`${what} is not supported by the kql-edge module`, at);
  };
  /** A plain field operand of a family the lowering handles. */
  const fieldOf = (x: Expr, allowed: Family[], what: string): { name: string; family: Family } => {
    if (x.kind !== 'field') return unsupported(`ES|QL ${what} on a computed value (not a plain field)`, x.pos);
    const family = familyOf(typeOf(x.name));
    if (!allowed.includes(family)) unsupported(`ES|QL ${what} on field ${x.name} of type ${typeOf(x.name)}`, x.pos);
    return { name: x.name, family };
  };
  const single = (name: string, pos: Pos): Lowered => ({ kind: 'single', field: name, pos });
  const exists = (name: string, pos: Pos): Lowered => is(name, { type: 'exists' }, pos);
  /** T/F of "the single value of f satisfies `holds`" (holds: any value satisfies). */
  const onSingle = (name: string, pos: Pos, holds: Lowered): Truth => ({ t: and(single(name, pos), holds), f: and(single(name, pos), not(holds)) });

  /** "f equals the literal" as a leaf on any value; the literal's type must fit the field's. */
  const equalsLiteral = (f: { name: string; family: Family }, lit: Expr, viaToString: boolean): Lowered | 'null' => {
    if (lit.kind !== 'literal') return unsupported('ES|QL comparison with a value that is not a constant', lit.pos);
    if (lit.type === 'null') return 'null';
    if (viaToString) {
      // TO_STRING(ip) == "text": equal only when the text is the address as ES|QL prints it.
      if (lit.type !== 'keyword') return unsupported('ES|QL TO_STRING compared with a non-string', lit.pos);
      return canonicalIp(lit.value) === lit.value ? is(f.name, literalValue(lit.value), lit.pos) : FALSE;
    }
    switch (f.family) {
      case 'keyword':
        if (lit.type !== 'keyword') return unsupported(`ES|QL comparison of keyword field ${f.name} with a ${lit.type}`, lit.pos);
        return is(f.name, literalValue(lit.value), lit.pos);
      case 'ip':
        if (lit.type !== 'keyword' || canonicalIp(lit.value) === undefined) return unsupported(`ES|QL comparison of ip field ${f.name} with a value that is not an IP`, lit.pos);
        return is(f.name, literalValue(lit.value), lit.pos);
      case 'numeric':
        if (lit.type !== 'integer' && lit.type !== 'double') return unsupported(`ES|QL comparison of numeric field ${f.name} with a ${lit.type}`, lit.pos);
        return is(f.name, literalValue(lit.value, lit.text), lit.pos);
      case 'boolean':
        if (lit.type !== 'boolean') return unsupported(`ES|QL comparison of boolean field ${f.name} with a ${lit.type}`, lit.pos);
        return is(f.name, literalValue(lit.value), lit.pos);
      default:
        return unsupported(`ES|QL comparison on field ${f.name}`, lit.pos);
    }
  };
  /** The field a comparison reads: a plain field, or TO_STRING of an ip field. */
  const operandField = (x: Expr, what: string): { name: string; family: Family; viaToString: boolean } => {
    if (x.kind === 'call' && x.name === 'to_string' && x.args.length === 1) {
      const f = fieldOf(x.args[0], ['ip', 'keyword'], `TO_STRING in ${what}`);
      return { ...f, viaToString: f.family === 'ip' };
    }
    return { ...fieldOf(x, ['keyword', 'numeric', 'boolean', 'ip'], what), viaToString: false };
  };

  switch (e.kind) {
    case 'and':
    case 'or': {
      const a = lowerCondition(e.left, typeOf);
      const b = lowerCondition(e.right, typeOf);
      return e.kind === 'and' ? { t: and(a.t, b.t), f: or(a.f, b.f) } : { t: or(a.t, b.t), f: and(a.f, b.f) };
    }
    case 'not': {
      const a = lowerCondition(e.child, typeOf);
      return { t: a.f, f: a.t };
    }
    case 'literal':
      if (e.type === 'boolean') return e.value ? { t: TRUE, f: FALSE } : { t: FALSE, f: TRUE };
      if (e.type === 'null') return { t: FALSE, f: FALSE };
      return unsupported('a condition that is not boolean');
    case 'isnull': {
      if (e.child.kind !== 'field') return unsupported('ES|QL IS NULL on a computed value', e.child.pos);
      const f = fieldOf(e.child, ['keyword', 'numeric', 'boolean', 'ip'], 'IS NULL');
      const present = exists(f.name, e.pos);
      return e.negated ? { t: present, f: not(present) } : { t: not(present), f: present };
    }
    case 'compare': {
      let { left, right, op } = e;
      if (left.kind === 'literal' && right.kind !== 'literal') {
        [left, right] = [right, left];
        op = ({ '<': '>', '<=': '>=', '>': '<', '>=': '<=' } as Record<string, typeof op>)[op] ?? op;
      }
      const f = operandField(left, op);
      if (op === '==' || op === '!=') {
        const eq = equalsLiteral(f, right, f.viaToString);
        if (eq === 'null') return { t: FALSE, f: FALSE };
        const truth = onSingle(f.name, left.pos, eq);
        return op === '==' ? truth : { t: truth.f, f: truth.t };
      }
      if (f.viaToString || f.family !== 'numeric' && f.family !== 'keyword') return unsupported(`ES|QL ${op} on ${f.viaToString ? 'TO_STRING' : `field ${f.name}`}`, left.pos);
      if (right.kind !== 'literal') return unsupported('ES|QL comparison with a value that is not a constant', right.pos);
      if (right.type === 'null') return { t: FALSE, f: FALSE };
      const numeric = right.type === 'integer' || right.type === 'double';
      if ((f.family === 'numeric') !== numeric || (!numeric && right.type !== 'keyword')) return unsupported(`ES|QL ${op} between field ${f.name} and a ${right.type}`, right.pos);
      const kop = ({ '<': 'lt', '<=': 'lte', '>': 'gt', '>=': 'gte' } as const)[op];
      const text = right.type === 'integer' || right.type === 'double' ? right.text : String(right.value);
      const range: Lowered = { kind: 'kql', node: { kind: 'range', field: fieldRef(f.name, left.pos), op: kop, value: text, quoted: true, pos: right.pos } };
      return onSingle(f.name, left.pos, range);
    }
    case 'in': {
      const f = operandField(e.left, 'IN');
      const members: Lowered[] = [];
      let hasNull = false;
      for (const v of e.values) {
        const eq = equalsLiteral(f, v, f.viaToString);
        if (eq === 'null') hasNull = true;
        else members.push(eq);
      }
      const any = or(...members);
      // Not found in a list holding null is null, not false.
      const truth: Truth = { t: and(single(f.name, e.left.pos), any), f: hasNull ? FALSE : and(single(f.name, e.left.pos), not(any)) };
      return e.negated ? { t: truth.f, f: truth.t } : truth;
    }
    case 'like': {
      const f = fieldOf(e.left, ['keyword'], 'LIKE');
      const holds = likeLeaf(f.name, e.pattern, e.patternPos);
      const truth = onSingle(f.name, e.left.pos, holds);
      return e.negated ? { t: truth.f, f: truth.t } : truth;
    }
    case 'rlike':
      return unsupported('ES|QL RLIKE');
    case 'call': {
      if (e.name === 'kql') {
        const q = e.args[0];
        if (e.args.length !== 1 || q.kind !== 'literal' || q.type !== 'keyword') return unsupported('ES|QL KQL() without one constant string');
        const node: Node = parseKql(q.value);
        return { t: { kind: 'kql', node }, f: not({ kind: 'kql', node }) };
      }
      if (e.name === 'starts_with' && e.args.length === 2) {
        const f = fieldOf(e.args[0], ['keyword'], 'STARTS_WITH');
        const p = e.args[1];
        if (p.kind !== 'literal' || p.type !== 'keyword') return unsupported('ES|QL STARTS_WITH with a prefix that is not a constant string', p.pos);
        if (/[*?]/.test(p.value)) return unsupported('ES|QL STARTS_WITH with * or ? in the prefix', p.pos);
        const holds = p.value === '' ? exists(f.name, e.pos) : is(f.name, { type: 'wildcard', parts: [p.value, ''] }, p.pos);
        return onSingle(f.name, e.pos, holds);
      }
      return unsupported(`ES|QL function ${e.name.toUpperCase()} in a condition`);
    }
    default:
      return unsupported(`ES|QL ${e.kind} in a condition`);
  }
}

/** `f LIKE pattern`: `*` any sequence, `?` one character, `\` escapes the next. */
function likeLeaf(field: string, pattern: string, pos: Pos): Lowered {
  if (pattern.includes('\\')) throw new EsqlLoweringError('ES|QL LIKE with an escape (\\) is not supported by the kql-edge module', pos);
  if (!pattern.includes('*') && !pattern.includes('?')) return is(field, literalValue(pattern), pos);
  if (!pattern.includes('?')) return is(field, { type: 'wildcard', parts: pattern.split('*') }, pos);
  return { kind: 'wildcard', field, pattern, pos };
}
