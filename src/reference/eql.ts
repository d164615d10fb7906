// The reference evaluator for EQL (docs/semantics.md, "EQL"): does an EQL condition hold for one
// document (the ECS view of a record)? Written straight from the semantics, independently of how
// the compiler lowers EQL; only the per-type matching of a field against one literal (Elasticsearch's
// term queries, which EQL uses too) is shared with KQL's reference (values.ts).
import type { Expr, EventQuery } from '../eql/ast.js';
import type { Node, Value } from '../kql/ast.js';
import type { FieldTable } from '../fields/table.js';
import { equalsIgnoreCase, wildcardMatch } from '../eql/case.js';
import { literalValue } from '../eql/lower.js';
import { evaluate, type EvalContext } from './evaluate.js';
import { valuesAt } from './document.js';
import { isJsonNumber, numberText, numberValue, type JsonLeaf } from './json.js';
import { keywordTerm, compareUtf8 } from './values/keyword.js';
import { parseCidr, parseIp } from './values/ip.js';
import { luceneRegexMatch } from './lucene-regex.js';

/** A value an EQL expression computes (a field stands for each of its values in turn). */
type Scalar = string | number | boolean | null;

/** Bound on the combinations of multi-valued arguments tried for one call. */
const MAX_COMBINATIONS = 10_000;

export function evaluateEqlEvent(q: EventQuery, doc: Record<string, unknown>, ctx: EvalContext): boolean {
  if (q.category !== null && !evaluate(kqlIs('event.category', literalValue(q.category)), doc, ctx)) return false;
  return evaluateEql(q.condition, doc, ctx);
}

/** Does the condition hold for the document? */
export function evaluateEql(e: Expr, doc: Record<string, unknown>, ctx: EvalContext): boolean {
  return new EqlEval(doc, ctx).cond(e);
}

function kqlIs(field: string, value: Value): Node {
  const pos = { offset: 0, line: 1, column: 1 };
  return { kind: 'is', field: { name: field, pattern: null, pos }, value, pos };
}

class EqlEval {
  constructor(
    private readonly doc: Record<string, unknown>,
    private readonly ctx: EvalContext,
  ) {}

  /** A field against one literal, as Elasticsearch's term-level query on that field's type. */
  private termQuery(field: string, value: Value): boolean {
    return evaluate(kqlIs(field, value), this.doc, this.ctx);
  }

  /** The keyword terms of a field (what `like`, `:` and `regex` test): values longer than ignore_above are not indexed. */
  private terms(field: string): string[] {
    const type = this.ctx.fields.typeOf(field);
    const limit = type === 'constant_keyword' ? null : this.ctx.fields.ignoreAbove;
    return valuesAt(this.doc, field)
      .map((v) => keywordTerm(v, limit))
      .filter((t): t is string => t !== undefined);
  }

  cond(e: Expr): boolean {
    switch (e.kind) {
      case 'and':
        return e.children.every((c) => this.cond(c));
      case 'or':
        return e.children.some((c) => this.cond(c));
      case 'not':
        return !this.cond(e.child);
      case 'literal':
        return e.value === true;
      case 'field':
        return this.termQuery(e.name, { type: 'boolean', value: true });
      case 'compare':
        return this.compare(e.op, e.left, e.right);
      case 'in': {
        const any = e.values.some((v) => (e.insensitive ? this.insensitiveEquals(e.left, v) : this.compare('==', e.left, v)));
        return e.negated ? !any : any;
      }
      case 'match':
        return this.match(e);
      case 'call':
      case 'arith':
      case 'neg':
        return this.values(e).some((v) => v === true);
    }
  }

  private compare(op: Extract<Expr, { kind: 'compare' }>['op'], left: Expr, right: Expr): boolean {
    if (op === '!=') return !this.compare('==', left, right); // Elasticsearch: must_not of the equality
    // A field against a constant: the term query (or exists) on the field.
    if (left.kind !== 'field' && right.kind === 'field' && left.kind === 'literal') {
      const flip = { '==': '==', '<': '>', '<=': '>=', '>': '<', '>=': '<=' } as const;
      return this.compare(flip[op], right, left);
    }
    if (left.kind === 'field' && right.kind === 'literal') {
      const lit = right.value;
      if (lit === null) return op === '==' ? !this.termQuery(left.name, { type: 'exists' }) : false;
      if (op === '==') return this.termQuery(left.name, literalValue(lit, right.numberText));
      if (typeof lit === 'boolean') return false;
      const pos = { offset: 0, line: 1, column: 1 };
      const kop = ({ '<': 'lt', '<=': 'lte', '>': 'gt', '>=': 'gte' } as const)[op];
      const text = typeof lit === 'number' ? (right.numberText ?? String(lit)) : lit;
      return evaluate({ kind: 'range', field: { name: left.name, pattern: null, pos }, op: kop, value: text, quoted: true, pos }, this.doc, this.ctx);
    }
    // Computed values (functions, arithmetic, two fields): true when some pair of values compares so.
    const ls = this.values(left);
    const rs = this.values(right);
    if (op === '==' && right.kind === 'literal' && right.value === null) return ls.some((v) => v === null);
    return ls.some((l) => rs.some((r) => compareScalars(op, l, r)));
  }

  private insensitiveEquals(left: Expr, right: Expr): boolean {
    if (left.kind === 'field' && right.kind === 'literal') {
      const lit = right.value;
      if (lit === null) return !this.termQuery(left.name, { type: 'exists' });
      const q = typeof lit === 'number' ? (right.numberText ?? String(lit)) : String(lit);
      return this.terms(left.name).some((t) => equalsIgnoreCase(t, q));
    }
    const rs = this.values(right);
    return this.values(left).some((l) => typeof l === 'string' && rs.some((r) => typeof r === 'string' && equalsIgnoreCase(l, r)));
  }

  private match(e: Extract<Expr, { kind: 'match' }>): boolean {
    const texts = e.left.kind === 'field' ? this.terms(e.left.name) : this.values(e.left).filter((v): v is string => typeof v === 'string');
    const patterns = e.patterns.map((p) => (p.kind === 'literal' && typeof p.value === 'string' ? p.value : ''));
    const insensitive = e.op !== 'like' && e.op !== 'regex';
    return texts.some((t) =>
      patterns.some((p) => {
        if (e.op === 'regex' || e.op === 'regex~') return luceneRegexMatch(p, t, insensitive);
        return wildcardMatch(t, p, insensitive);
      }),
    );
  }

  /** Every value the expression can take on this document (a missing field is null). */
  values(e: Expr): Scalar[] {
    switch (e.kind) {
      case 'literal':
        return [e.value];
      case 'field': {
        const vs = valuesAt(this.doc, e.name).filter((v) => v !== null).map(scalarOf);
        return vs.length ? vs : [null];
      }
      case 'and':
      case 'or':
      case 'not':
      case 'compare':
      case 'in':
      case 'match':
        return [this.cond(e)];
      case 'neg':
        return this.values(e.child).map((v) => (typeof v === 'number' ? -v : null));
      case 'arith':
        return combine([this.values(e.left), this.values(e.right)], ([a, b]) => arith(e.op, a, b));
      case 'call':
        return combine(e.args.map((a) => this.values(a)), (args) => callFunction(e.name, e.insensitive, args));
    }
  }
}

function scalarOf(v: JsonLeaf): Scalar {
  if (isJsonNumber(v)) return numberValue(v);
  return v as Scalar;
}

/** Applies f to each combination of argument values (capped). */
function combine(lists: Scalar[][], f: (args: Scalar[]) => Scalar): Scalar[] {
  let combos: Scalar[][] = [[]];
  for (const list of lists) {
    combos = combos.flatMap((prefix) => list.map((v) => [...prefix, v]));
    if (combos.length > MAX_COMBINATIONS) combos = combos.slice(0, MAX_COMBINATIONS);
  }
  return combos.map(f);
}

function compareScalars(op: '==' | '<' | '<=' | '>' | '>=', l: Scalar, r: Scalar): boolean {
  if (l === null || r === null) return false;
  let cmp: number;
  if (typeof l === 'number' && typeof r === 'number') cmp = l - r;
  else if (typeof l === 'string' && typeof r === 'string') cmp = compareUtf8(l, r);
  else if (typeof l === 'boolean' && typeof r === 'boolean') cmp = Number(l) - Number(r);
  else return false; // values of different types never compare
  switch (op) {
    case '==':
      return cmp === 0;
    case '<':
      return cmp < 0;
    case '<=':
      return cmp <= 0;
    case '>':
      return cmp > 0;
    case '>=':
      return cmp >= 0;
  }
}

function arith(op: string, a: Scalar, b: Scalar): Scalar {
  if (typeof a !== 'number' || typeof b !== 'number') return null;
  switch (op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      if (b === 0) return null;
      // Two whole numbers divide as integers (Java long division truncates toward zero).
      return Number.isInteger(a) && Number.isInteger(b) ? Math.trunc(a / b) : a / b;
    case '%':
      if (b === 0) return null;
      return a % b;
  }
  return null;
}

/** The text of a value as EQL's string() gives it. */
function stringOf(v: Scalar): string | null {
  if (v === null) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return numberText(v);
}

/** Index of `sub` in `s` at or after `from` (UTF-16 units), optionally ignoring case; -1 if none. */
function find(s: string, sub: string, from: number, insensitive: boolean, last = false): number {
  const positions: number[] = [];
  for (let i = Math.max(0, from); i + sub.length <= s.length; i++) {
    const hit = insensitive ? equalsIgnoreCase(s.slice(i, i + sub.length), sub) : s.startsWith(sub, i);
    if (hit) {
      if (!last) return i;
      positions.push(i);
    }
  }
  return positions.length ? positions[positions.length - 1] : -1;
}

function callFunction(name: string, insensitive: boolean, args: Scalar[]): Scalar {
  const str = (i: number): string | null => (typeof args[i] === 'string' ? (args[i] as string) : null);
  const num = (i: number): number | null => (typeof args[i] === 'number' ? (args[i] as number) : null);
  switch (name) {
    case 'add':
    case 'subtract':
    case 'multiply':
    case 'divide':
    case 'modulo':
      return arith({ add: '+', subtract: '-', multiply: '*', divide: '/', modulo: '%' }[name], args[0], args[1]);
    case 'between': {
      const [s, l, r] = [str(0), str(1), str(2)];
      if (s === null || l === null || r === null) return null;
      const greedy = args[3] === true;
      const at = find(s, l, 0, insensitive);
      if (at < 0) return '';
      const from = at + l.length;
      const end = find(s, r, from, insensitive, greedy);
      return end < 0 ? '' : s.slice(from, end);
    }
    case 'cidrMatch': {
      const ip = str(0);
      if (ip === null) return null;
      const addr = parseIp(ip);
      if (!addr) return false;
      return args.slice(1).some((c) => {
        const cidr = typeof c === 'string' ? parseCidr(c.includes('/') ? c : `${c}/${c.includes(':') ? 128 : 32}`) : undefined;
        if (!cidr) return false;
        for (let bit = 0; bit < cidr.prefixBits; bit++) {
          const mask = 0x80 >> bit % 8;
          if ((addr[bit >> 3] & mask) !== (cidr.address[bit >> 3] & mask)) return false;
        }
        return true;
      });
    }
    case 'concat': {
      const parts = args.map(stringOf);
      return parts.some((p) => p === null) ? null : parts.join('');
    }
    case 'endsWith':
    case 'startsWith':
    case 'stringContains': {
      const [s, sub] = [str(0), str(1)];
      if (s === null || sub === null) return null;
      if (name === 'stringContains') return find(s, sub, 0, insensitive) >= 0;
      const piece = name === 'startsWith' ? s.slice(0, sub.length) : s.slice(Math.max(0, s.length - sub.length));
      if (piece.length !== sub.length) return false;
      return insensitive ? equalsIgnoreCase(piece, sub) : piece === sub;
    }
    case 'indexOf': {
      const [s, sub] = [str(0), str(1)];
      if (s === null || sub === null) return null;
      const start = args.length > 2 ? num(2) : 0;
      if (start === null) return null;
      const at = find(s, sub, start, insensitive);
      return at < 0 ? null : at;
    }
    case 'length': {
      const s = str(0);
      return s === null ? null : s.length;
    }
    case 'number': {
      const s = str(0);
      if (s === null) return typeof args[0] === 'number' ? args[0] : null;
      const base = args.length > 1 ? num(1) : 10;
      if (base === null) return null;
      const text = s.trim();
      if (base === 16) {
        const m = /^([+-]?)(?:0x)?([0-9a-fA-F]+)$/.exec(text);
        return m ? (m[1] === '-' ? -1 : 1) * parseInt(m[2], 16) : null;
      }
      if (base !== 10) {
        const digits = '0123456789abcdefghijklmnopqrstuvwxyz'.slice(0, base);
        const m = new RegExp(`^[+-]?[${digits}]+$`, 'i').exec(text);
        return m && base >= 2 && base <= 36 ? parseInt(text, base) : null;
      }
      return /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text) ? Number(text) : null;
    }
    case 'string':
      return stringOf(args[0]);
    case 'substring': {
      const s = str(0);
      const start = num(1);
      if (s === null || start === null) return null;
      const end = args.length > 2 ? num(2) : s.length;
      if (end === null) return null;
      // Python-style: negative positions count from the end.
      const norm = (i: number): number => Math.min(s.length, Math.max(0, i < 0 ? s.length + i : i));
      const a = norm(start);
      const b = norm(end);
      return a >= b ? '' : s.slice(a, b);
    }
  }
  return null;
}
