// The reference evaluator for ES|QL (docs/semantics.md, "ES|QL"): runs a query over one document
// (per-event pipelines) or over a whole stream (STATS, each window recomputed from scratch), straight
// from the ES|QL reference: three-valued logic (a null condition drops the row), multi-valued values
// give null in comparisons and scalar functions, LIKE wildcards, RLIKE a Lucene regex on the whole
// string, REPLACE Java regex, GROK a search with the leftmost match, NOW() = the record's event time.
// Independent of the compiler; shares only the parsers and the per-type reading of field values.
import type { Command, EsqlQuery, Expr } from '../esql/ast.js';
import type { FieldTable } from '../fields/table.js';
import { parseKql } from '../kql/parser.js';
import { compileGrok, type GrokProgram } from '../esql/grok.js';
import { toJsRegexSource } from '../esql/java-regex.js';
import { matchGlob } from '../fields/glob.js';
import { evaluate } from './evaluate.js';
import { luceneRegexWholeMatch } from './esql-regex.js';
import { canonicalIp, collapse, compareScalars, fieldColumn, formatDate, formatIp, isNumeric, javaDoubleString, NULL, toJson, valuesOf, type EsqlType, type Scalar, type Val } from './esql-values.js';
import { parseIp } from './values/ip.js';
import { parseDate } from './values/date.js';
import { toEcsView } from './ecs-view.js';
import { eventTime } from './event-time.js';

export { type Val } from './esql-values.js';

/** A query the reference cannot evaluate as written (an unknown function or column, a type error). */
export class EsqlEvalError extends Error {}

export interface EsqlContext {
  fields: FieldTable;
  /** The record's event time (ms): NOW(), and `@timestamp` when the document has none. */
  now: number;
}

/** A row: columns in order. Before STATS, a column not in the row is read from the document. */
export type Row = Map<string, Val>;

const AGGREGATES = new Set(['count', 'count_distinct', 'values', 'sum', 'min', 'max']);

/** The commands before STATS, the STATS command, and the commands after it. */
export function splitAtStats(q: EsqlQuery): { pre: Command[]; stats?: Extract<Command, { kind: 'stats' }>; post: Command[] } {
  const i = q.commands.findIndex((c) => c.kind === 'stats');
  if (i < 0) return { pre: q.commands, post: [] };
  if (q.commands.slice(i + 1).some((c) => c.kind === 'stats')) throw new EsqlEvalError('more than one STATS');
  return { pre: q.commands.slice(0, i), stats: q.commands[i] as Extract<Command, { kind: 'stats' }>, post: q.commands.slice(i + 1) };
}

/** One document through commands (no STATS): the final row, or null when a WHERE dropped it. */
export function runCommands(commands: Command[], row: Row, doc: Record<string, unknown> | null, ctx: EsqlContext): Row | null {
  const ev = new Evaluator(doc, ctx);
  for (const c of commands) {
    switch (c.kind) {
      case 'where':
        if (ev.expr(c.condition, row).v !== true) return null;
        break;
      case 'eval':
        for (const f of c.fields) {
          const v = ev.expr(f.expr, row);
          row.delete(f.name);
          row.set(f.name, v);
        }
        break;
      case 'grok': {
        const g = grokProgram(c.pattern);
        const input = ev.expr(c.input, row);
        const captured = typeof input.v === 'string' ? grokMatch(g, input.v) : null;
        g.columns.forEach((name, k) => {
          row.delete(name);
          row.set(name, captured && captured[k] !== undefined ? { type: 'keyword', v: captured[k]! } : { type: 'keyword', v: null });
        });
        break;
      }
      case 'keep':
        row = keepColumns(row, c.patterns, doc);
        break;
      case 'drop':
        for (const name of [...row.keys()]) if (c.patterns.some((p) => matchGlob(p.split('*'), name))) row.delete(name);
        break;
      case 'limit':
      case 'stats':
      case 'from':
        throw new EsqlEvalError(`${c.kind.toUpperCase()} is not evaluated per row`);
    }
  }
  return row;
}

/**
 * KEEP: columns in pattern order (a plain name moves its column to the end). The row holds the
 * computed columns (EVAL, GROK, STATS); fields of the document are not repeated in the alert (the
 * record carries them), so a plain name of a document field keeps nothing (docs/semantics.md).
 */
function keepColumns(row: Row, patterns: string[], doc: Record<string, unknown> | null): Row {
  const out: Row = new Map();
  for (const p of patterns) {
    if (!p.includes('*')) {
      const v = row.get(p);
      if (v === undefined) {
        if (doc) continue; // a document field: the record carries it
        throw new EsqlEvalError(`Unknown column [${p}]`);
      }
      out.delete(p);
      out.set(p, v);
      continue;
    }
    for (const [name, v] of row) if (matchGlob(p.split('*'), name) && !out.has(name)) out.set(name, v);
  }
  return out;
}

const grokCache = new Map<string, { g: GrokProgram; re: RegExp }>();
function grokProgram(pattern: string): GrokProgram & { re: RegExp } {
  let hit = grokCache.get(pattern);
  if (!hit) {
    const g = compileGrok(pattern);
    hit = { g, re: new RegExp(g.jsSource, 'u') };
    grokCache.set(pattern, hit);
  }
  return { ...hit.g, re: hit.re };
}

/** The captures of the leftmost match (undefined for a group that took no part), or null. */
function grokMatch(g: GrokProgram & { re: RegExp }, text: string): (string | undefined)[] | null {
  const m = g.re.exec(text);
  if (!m) return null;
  return g.columns.map((_, k) => {
    const group = g.jsGroups.indexOf(`c${k}`);
    return m.groups?.[`g${group}`];
  });
}

class Evaluator {
  constructor(
    private readonly doc: Record<string, unknown> | null,
    private readonly ctx: EsqlContext,
  ) {}

  column(name: string, row: Row): Val {
    const v = row.get(name);
    if (v !== undefined) return v;
    if (this.doc === null) throw new EsqlEvalError(`Unknown column [${name}]`);
    const col = fieldColumn(this.doc, name, this.ctx.fields);
    if (col === undefined) throw new EsqlEvalError(`column [${name}] has a type ES|QL reading is not implemented for`);
    if (name === '@timestamp' && col.v === null) return { type: 'datetime', v: this.ctx.now };
    return col;
  }

  expr(e: Expr, row: Row): Val {
    switch (e.kind) {
      case 'literal':
        return { type: e.type === 'double' ? 'double' : e.type === 'integer' ? (Number.isSafeInteger(e.value) && Math.abs(e.value) <= 2147483647 ? 'integer' : 'long') : e.type, v: e.value };
      case 'span':
        return { type: e.calendar ? 'period' : 'duration', v: e.calendar ? e.text : e.ms };
      case 'field':
        return this.column(e.name, row);
      case 'and':
      case 'or': {
        const a = this.bool(e.left, row);
        const b = this.bool(e.right, row);
        if (e.kind === 'and') return { type: 'boolean', v: a === false || b === false ? false : a === null || b === null ? null : true };
        return { type: 'boolean', v: a === true || b === true ? true : a === null || b === null ? null : false };
      }
      case 'not': {
        const a = this.bool(e.child, row);
        return { type: 'boolean', v: a === null ? null : !a };
      }
      case 'isnull': {
        const x = this.expr(e.child, row);
        return { type: 'boolean', v: (x.v === null) !== e.negated };
      }
      case 'compare':
        return { type: 'boolean', v: this.compare(e.op, this.expr(e.left, row), this.expr(e.right, row)) };
      case 'in': {
        const left = this.expr(e.left, row);
        if (left.v === null || Array.isArray(left.v)) return { type: 'boolean', v: null };
        let sawNull = false;
        for (const ve of e.values) {
          const r = this.compare('==', left, this.expr(ve, row));
          if (r === true) return { type: 'boolean', v: !e.negated };
          if (r === null) sawNull = true;
        }
        return { type: 'boolean', v: sawNull ? null : e.negated };
      }
      case 'like':
      case 'rlike': {
        const x = this.expr(e.left, row);
        if (x.v === null || Array.isArray(x.v)) return { type: 'boolean', v: null };
        if (x.type !== 'keyword') throw new EsqlEvalError(`${e.kind.toUpperCase()} on a ${x.type} value`);
        const m = e.kind === 'like' ? likeMatch(e.pattern, x.v as string) : luceneRegexWholeMatch(e.pattern, x.v as string);
        return { type: 'boolean', v: m !== e.negated };
      }
      case 'arith':
        return this.arith(e.op, this.expr(e.left, row), this.expr(e.right, row));
      case 'neg': {
        const x = this.expr(e.child, row);
        if (x.v === null || Array.isArray(x.v)) return { type: x.type, v: null };
        if (!isNumeric(x.type)) throw new EsqlEvalError(`negation of a ${x.type}`);
        return { type: x.type, v: -(x.v as number) };
      }
      case 'call':
        return this.call(e, row);
    }
  }

  private bool(e: Expr, row: Row): boolean | null {
    const x = this.expr(e, row);
    if (x.v === null) return null;
    if (x.type !== 'boolean') throw new EsqlEvalError(`a ${x.type} value used as a condition`);
    if (Array.isArray(x.v)) return null;
    return x.v as boolean;
  }

  /** Three-valued comparison: null when either side is null or multi-valued. */
  compare(op: string, a: Val, b: Val): boolean | null {
    [a, b] = unify(a, b);
    if (a.v === null || b.v === null || Array.isArray(a.v) || Array.isArray(b.v)) return null;
    const family = (t: EsqlType) => (isNumeric(t) ? 'number' : t);
    if (family(a.type) !== family(b.type)) throw new EsqlEvalError(`cannot compare ${a.type} with ${b.type}`);
    const c = compareScalars(a.type, a.v, b.v);
    switch (op) {
      case '==':
        return c === 0;
      case '!=':
        return c !== 0;
      case '<':
        return c < 0;
      case '<=':
        return c <= 0;
      case '>':
        return c > 0;
      default:
        return c >= 0;
    }
  }

  private arith(op: string, a: Val, b: Val): Val {
    if (a.type === 'datetime' && (b.type === 'duration' || b.type === 'period') && (op === '+' || op === '-')) {
      if (a.v === null || Array.isArray(a.v)) return { type: 'datetime', v: null };
      if (b.type === 'period') throw new EsqlEvalError('calendar periods in date arithmetic are not implemented');
      return { type: 'datetime', v: (a.v as number) + (op === '+' ? 1 : -1) * (b.v as number) };
    }
    if (!isNumeric(a.type) && a.type !== 'null') throw new EsqlEvalError(`arithmetic on ${a.type}`);
    if (!isNumeric(b.type) && b.type !== 'null') throw new EsqlEvalError(`arithmetic on ${b.type}`);
    const type: EsqlType = a.type === 'double' || b.type === 'double' ? 'double' : a.type === 'long' || b.type === 'long' ? 'long' : 'integer';
    if (a.v === null || b.v === null || Array.isArray(a.v) || Array.isArray(b.v)) return { type, v: null };
    const x = a.v as number;
    const y = b.v as number;
    let r: number;
    switch (op) {
      case '+':
        r = x + y;
        break;
      case '-':
        r = x - y;
        break;
      case '*':
        r = x * y;
        break;
      case '/':
        if (type !== 'double' && y === 0) return { type, v: null }; // division by zero: null with a warning
        r = type === 'double' ? x / y : Math.trunc(x / y);
        break;
      default:
        if (type !== 'double' && y === 0) return { type, v: null };
        r = x % y;
    }
    if (type === 'integer' && (r > 2147483647 || r < -2147483648)) return { type, v: null }; // overflow: null with a warning
    return { type, v: r };
  }

  private call(e: Extract<Expr, { kind: 'call' }>, row: Row): Val {
    const arity = (n: number, m = n) => {
      if (e.args.length < n || e.args.length > m) throw new EsqlEvalError(`${e.name.toUpperCase()} takes ${n === m ? n : `${n} to ${m}`} arguments`);
    };
    const single = (x: Val): Scalar | null => (x.v === null || Array.isArray(x.v) ? null : x.v);
    switch (e.name) {
      case 'starts_with': {
        arity(2);
        const [s, p] = e.args.map((a) => single(this.expr(a, row)));
        if (s === null || p === null) return { type: 'boolean', v: null };
        return { type: 'boolean', v: (s as string).startsWith(p as string) };
      }
      case 'to_string': {
        arity(1);
        const x = this.expr(e.args[0], row);
        return collapse('keyword', valuesOf(x).map((s) => scalarToString(x.type, s)));
      }
      case 'url_decode': {
        arity(1);
        const s = single(this.expr(e.args[0], row));
        if (s === null) return { type: 'keyword', v: null };
        return { type: 'keyword', v: javaUrlDecode(s as string) };
      }
      case 'replace': {
        arity(3);
        const [s, re, by] = e.args.map((a) => single(this.expr(a, row)));
        if (s === null || re === null || by === null) return { type: 'keyword', v: null };
        return { type: 'keyword', v: javaReplaceAll(s as string, re as string, by as string) };
      }
      case 'locate': {
        arity(2, 3);
        const [s, sub, start] = e.args.map((a) => single(this.expr(a, row)));
        if (s === null || sub === null || (e.args.length === 3 && start === null)) return { type: 'integer', v: null };
        return { type: 'integer', v: locate(s as string, sub as string, e.args.length === 3 ? (start as number) : 1) };
      }
      case 'case': {
        if (e.args.length < 2) throw new EsqlEvalError('CASE takes at least 2 arguments');
        for (let i = 0; i + 1 < e.args.length; i += 2) {
          if (this.bool(e.args[i], row) === true) return this.expr(e.args[i + 1], row);
        }
        return e.args.length % 2 === 1 ? this.expr(e.args[e.args.length - 1], row) : NULL;
      }
      case 'date_trunc': {
        arity(2);
        const span = this.expr(e.args[0], row);
        const d = this.expr(e.args[1], row);
        const t = single(d);
        if (t === null || span.v === null) return { type: 'datetime', v: null };
        if (span.type === 'period') return { type: 'datetime', v: truncPeriod(t as number, span.v as string) };
        if (span.type !== 'duration') throw new EsqlEvalError('DATE_TRUNC needs a time span');
        const ms = span.v as number;
        return { type: 'datetime', v: Math.floor((t as number) / ms) * ms };
      }
      case 'now':
        arity(0);
        return { type: 'datetime', v: this.ctx.now };
      case 'kql': {
        arity(1);
        const q = e.args[0];
        if (q.kind !== 'literal' || q.type !== 'keyword') throw new EsqlEvalError('KQL takes a constant string');
        if (this.doc === null) throw new EsqlEvalError('KQL is only allowed right after FROM');
        return { type: 'boolean', v: evaluate(parseKql(q.value), this.doc, { fields: this.ctx.fields, now: this.ctx.now }) };
      }
    }
    if (AGGREGATES.has(e.name)) throw new EsqlEvalError(`${e.name.toUpperCase()} is an aggregate (STATS only)`);
    throw new EsqlEvalError(`unknown function ${e.name.toUpperCase()}`);
  }
}

/** String literals compared with an ip or a datetime are read as one (ES|QL's implicit casting). */
function unify(a: Val, b: Val): [Val, Val] {
  const cast = (lit: Val, to: EsqlType): Val => {
    if (lit.type !== 'keyword' || lit.v === null || Array.isArray(lit.v)) return lit;
    if (to === 'ip') {
      const ip = canonicalIp(lit.v as string);
      if (ip === undefined) throw new EsqlEvalError(`cannot convert ${JSON.stringify(lit.v)} to ip`);
      return { type: 'ip', v: ip };
    }
    if (to === 'datetime') {
      const ms = parseDate(lit.v as string);
      if (ms === undefined) throw new EsqlEvalError(`cannot convert ${JSON.stringify(lit.v)} to datetime`);
      return { type: 'datetime', v: ms };
    }
    return lit;
  };
  if (b.type === 'keyword' && (a.type === 'ip' || a.type === 'datetime')) return [a, cast(b, a.type)];
  if (a.type === 'keyword' && (b.type === 'ip' || b.type === 'datetime')) return [cast(a, b.type), b];
  if (a.type === 'null') return [{ ...a, type: b.type }, b];
  if (b.type === 'null') return [a, { ...b, type: a.type }];
  return [a, b];
}

export function scalarToString(type: EsqlType, s: Scalar): string {
  if (type === 'datetime') return formatDate(s as number);
  if (type === 'double') return javaDoubleString(s as number);
  if (type === 'ip') return formatIp(parseIp(s as string)!);
  return String(s);
}

/** ES|QL LIKE: `*` any sequence, `?` one character, `\` escapes the next; the whole string. */
export function likeMatch(pattern: string, text: string): boolean {
  let re = '';
  const p = Array.from(pattern);
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === '\\' && i + 1 < p.length) re += escapeRe(p[++i]);
    else if (c === '*') re += '[^]*';
    else if (c === '?') re += '[^]';
    else re += escapeRe(c);
  }
  return new RegExp(`^${re}$`, 'u').test(text);
}

const escapeRe = (c: string) => c.replace(/[\\^$.|?*+()[\]{}\/-]/g, '\\$&');

/**
 * java.net.URLDecoder.decode(s, UTF_8): `+` is a space, `%hh` a byte; consecutive bytes decode as
 * UTF-8 (malformed sequences become U+FFFD). A `%` not followed by two hex digits is an error: ES|QL
 * gives null (with a warning).
 */
export function javaUrlDecode(s: string): string | null {
  let out = '';
  for (let i = 0; i < s.length; ) {
    const c = s[i];
    if (c === '+') {
      out += ' ';
      i++;
    } else if (c === '%') {
      const bytes: number[] = [];
      while (i < s.length && s[i] === '%') {
        // Java parses the two characters with Integer.parseInt(.., 16): a sign is allowed, a negative value is an error.
        const h = s.slice(i + 1, i + 3);
        if (h.length < 2 || !/^[+-]?[0-9A-Fa-f]+$/.test(h)) return null;
        const v = parseInt(h, 16);
        if (v < 0) return null;
        bytes.push(v);
        i += 3;
      }
      out += new TextDecoder('utf-8').decode(Uint8Array.from(bytes));
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

const replaceCache = new Map<string, RegExp>();
/** Java's String.replaceAll: regex (the supported subset), replacement with `$n`, `${name}` and `\x`. */
export function javaReplaceAll(s: string, regex: string, replacement: string): string {
  let re = replaceCache.get(regex);
  if (!re) {
    re = new RegExp(toJsRegexSource(regex, 'java').source, 'gu');
    replaceCache.set(regex, re);
  }
  return s.replace(re, (...args) => {
    const m = args[0] as string;
    const groups = args.slice(1, -2) as (string | undefined)[];
    let out = '';
    for (let i = 0; i < replacement.length; i++) {
      const c = replacement[i];
      if (c === '\\') {
        if (i + 1 >= replacement.length) throw new EsqlEvalError('character to be escaped is missing');
        out += replacement[++i];
      } else if (c === '$') {
        let j = i + 1;
        while (j < replacement.length && /[0-9]/.test(replacement[j])) j++;
        if (j === i + 1) throw new EsqlEvalError('group references by name in REPLACE are not implemented');
        const n = Number(replacement.slice(i + 1, j));
        if (n > groups.length) throw new EsqlEvalError(`No group ${n}`);
        out += n === 0 ? m : (groups[n - 1] ?? '');
        i = j - 1;
      } else out += c;
    }
    return out;
  });
}

/** LOCATE: 1-based code point position of `sub` in `s` from `start`, 0 when absent. */
export function locate(s: string, sub: string, start: number): number {
  const cps = Array.from(s);
  const from = Math.max(0, start - 1);
  if (from > cps.length) return 0;
  const tail = cps.slice(from).join('');
  const at = tail.indexOf(sub);
  if (at < 0) return 0;
  return from + Array.from(tail.slice(0, at)).length + 1;
}

function truncPeriod(ms: number, text: string): number {
  const [n, unit] = text.split(/\s+/);
  if (Number(n) !== 1) throw new EsqlEvalError('DATE_TRUNC by several calendar periods is not implemented');
  const d = new Date(ms);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  const u = unit.toLowerCase();
  if (u.startsWith('mo')) return Date.UTC(y, m, 1);
  if (u.startsWith('q')) return Date.UTC(y, m - (m % 3), 1);
  return Date.UTC(y, 0, 1);
}

// ---- STATS ----

export interface Aggregation {
  name: string;
  fn: string;
  /** The argument (undefined for COUNT(*) / COUNT()). */
  arg?: Expr;
}

export function statsAggregations(stats: Extract<Command, { kind: 'stats' }>): Aggregation[] {
  return stats.aggs.map((a) => {
    const e = a.expr;
    if (e.kind !== 'call' || !AGGREGATES.has(e.name)) throw new EsqlEvalError(`STATS ${a.name}: only ${[...AGGREGATES].join(', ').toUpperCase()} of one expression are supported`);
    if (e.args.length > 1) throw new EsqlEvalError(`${e.name.toUpperCase()} with more than one argument`);
    if (e.args.length === 0 && !(e.name === 'count')) throw new EsqlEvalError(`${e.name.toUpperCase()} needs an argument`);
    return { name: a.name, fn: e.name, arg: e.star ? undefined : e.args[0] };
  });
}

/** The aggregate of one column over the rows of a group (values of multi-valued inputs each count). */
export function aggregate(fn: string, inputs: Val[], rowCount: number): Val {
  const all: Scalar[] = [];
  let type: EsqlType = 'null';
  for (const x of inputs) {
    if (x.type !== 'null') type = x.type;
    all.push(...valuesOf(x));
  }
  switch (fn) {
    case 'count':
      return { type: 'long', v: inputs.length === 0 ? rowCount : all.length };
    case 'count_distinct':
      return { type: 'long', v: new Set(all.map((s) => `${typeof s}:${s}`)).size };
    case 'values': {
      const distinct = [...new Map(all.map((s) => [`${typeof s}:${s}`, s])).values()].sort((a, b) => compareScalars(type, a, b));
      return collapse(type, distinct);
    }
    case 'sum': {
      if (all.length === 0) return { type: type === 'double' ? 'double' : 'long', v: null };
      return { type: type === 'double' ? 'double' : 'long', v: (all as number[]).reduce((s, x) => s + x, 0) };
    }
    case 'min':
    case 'max': {
      if (all.length === 0) return { type, v: null };
      const sorted = [...all].sort((a, b) => compareScalars(type, a, b));
      return { type, v: fn === 'min' ? sorted[0] : sorted[sorted.length - 1] };
    }
  }
  throw new EsqlEvalError(`unknown aggregate ${fn}`);
}

// ---- whole streams ----

export interface EsqlEvent {
  /** The ECS view of the record (null: not a document the rule reads). */
  doc: Record<string, unknown> | null;
  /** Event time, ms. */
  time: number;
}

export interface EsqlStreamOptions {
  fields: FieldTable;
  /** The rule's look-back L (ms): a window is (t - L, t]. */
  lookbackMs: number;
  /** Learning period (ms) from the first event time a record passed the commands before STATS: no alerts. */
  learningMs?: number;
}

/** The alert rows of one record (empty: no alert), as JSON objects of the final row's columns. */
export type EsqlAlerts = Record<string, unknown>[];

export function rowJson(row: Row): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of row) out[k] = toJson(v);
  return out;
}

/**
 * Every record of a stream, in arrival order: the rows it alerts with. Per-event queries: the
 * record's own row. STATS: for each group the record belongs to, the group's row over the events
 * arrived so far with event time in (t - L, t]; it alerts when the row passes the commands after
 * STATS and the group is not quiet (after an alert, a group is quiet until every event that
 * contributed to that alert has left the window: t >= latest contributing time + L).
 */
export function esqlStream(q: EsqlQuery, events: readonly EsqlEvent[], opts: EsqlStreamOptions): EsqlAlerts[] {
  const { pre, stats, post } = splitAtStats(q);
  const ctxAt = (t: number): EsqlContext => ({ fields: opts.fields, now: t });
  if (!stats) {
    return events.map((ev) => {
      if (ev.doc === null) return [];
      const row = runCommands(pre, new Map(), ev.doc, ctxAt(ev.time));
      return row ? [rowJson(row)] : [];
    });
  }
  const aggs = statsAggregations(stats);
  interface Seen {
    time: number;
    keys: Set<string>;
    inputs: Val[];
    keyVals: Map<string, Val[]>;
  }
  const seen: Seen[] = [];
  const quietUntil = new Map<string, number>();
  let firstTime: number | undefined;
  return events.map((ev) => {
    if (ev.doc === null) return [];
    const ctx = ctxAt(ev.time);
    const row = runCommands(pre, new Map(), ev.doc, ctx);
    if (!row) return [];
    firstTime ??= ev.time;
    const evaluator = new Evaluator(ev.doc, ctx);
    const byVals = stats.by.map((b) => evaluator.expr(b.expr, row));
    // Multi-valued BY values expand into one group per value; null is a group of its own.
    let combos: Val[][] = [[]];
    for (const bv of byVals) {
      const vs = bv.v === null ? [null] : valuesOf(bv);
      combos = combos.flatMap((c) => vs.map((s) => [...c, { type: bv.type, v: s } as Val]));
    }
    const keyVals = new Map(combos.map((c) => [JSON.stringify(c.map((x) => x.v)), c]));
    const inputs = aggs.map((a) => (a.arg ? evaluator.expr(a.arg, row) : NULL));
    seen.push({ time: ev.time, keys: new Set(keyVals.keys()), inputs, keyVals });
    const alerts: EsqlAlerts = [];
    for (const [key, kv] of keyVals) {
      const members = seen.filter((s) => s.keys.has(key) && s.time > ev.time - opts.lookbackMs && s.time <= ev.time);
      let out: Row = new Map();
      aggs.forEach((a, k) =>
        out.set(
          a.name,
          aggregate(
            a.fn,
            a.arg ? members.map((m) => m.inputs[k]) : [],
            members.length,
          ),
        ),
      );
      stats.by.forEach((b, k) => {
        out.delete(b.name);
        out.set(b.name, kv[k]);
      });
      const passed = runCommands(post, out, null, ctx);
      if (!passed) continue;
      out = passed;
      const quiet = quietUntil.get(key);
      if (quiet !== undefined && ev.time < quiet) continue;
      if (opts.learningMs && ev.time < firstTime + opts.learningMs) continue;
      quietUntil.set(key, Math.max(...members.map((m) => m.time)) + opts.lookbackMs);
      alerts.push(rowJson(out));
    }
    return alerts;
  });
}

/** The events of raw records: their ECS view and event time (as KQL rules see them). */
export function esqlEvents(records: readonly unknown[], opts: { hostTimeMs: number | ((i: number) => number); timestampOverride?: string }): EsqlEvent[] {
  return records.map((record, i) => {
    const view = toEcsView(record);
    const host = typeof opts.hostTimeMs === 'number' ? opts.hostTimeMs : opts.hostTimeMs(i);
    return { doc: view ? view.doc : null, time: eventTime(record, view, opts.timestampOverride, host) };
  });
}
