// An ES|QL per-event pipeline for the module: the leading WHERE commands become the rule's
// condition (lowered three-valued, src/esql/lower.ts: the gate and the prefilter); the commands
// after them run as a small register program on the records that pass the gate. Registers hold a
// string, an integer, a date, or null. Supported: EVAL of URL_DECODE, REPLACE (a literal pattern),
// CASE, TO_STRING, LOCATE, DATE_TRUNC (a fixed span), NOW(), a date ± a fixed span, string and
// integer constants, keyword, integer, date and (through TO_STRING) ip fields, columns; GROK (a Pike
// VM program); WHERE on registers (IS [NOT] NULL, RLIKE as a DFA, LIKE, ==, !=, IN, integer and date
// comparisons with a constant or a column of the same type, AND, OR, NOT) mixed with conditions on
// fields (lowered as above); KEEP, DROP.
// Everything else is reported with its position (the rule is then skipped).
import type { FieldType } from '../fields/types.js';
import type { Lowered } from '../eql/lower.js';
import type { EsqlQuery, Expr, Pos } from './ast.js';
import { EsqlLoweringError, lowerCondition } from './lower.js';
import { compileGrok, GrokError } from './grok.js';
import { javaRegexLiteral, JavaRegexError } from './java-regex.js';
import { luceneTable } from './automata/lucene.js';
import { compilePike, type PikeProgram } from './automata/pike.js';
import { AutomatonTooLargeError, type DfaTable } from './automata/dfa.js';
import { LuceneRegexError } from './lucene-regex.js';
import { matchGlob } from '../fields/glob.js';
import { parseDate } from '../reference/values/date.js';

export type Cond =
  | { k: 'isnull'; reg: number; negated: boolean }
  | { k: 'rlike'; reg: number; dfa: number }
  | { k: 'like'; reg: number; pattern: string }
  | { k: 'eq'; reg: number; text: string }
  /** An integer or date register compared with a constant (ms for dates). */
  | { k: 'numcmp'; reg: number; op: NumCmpOp; value: number }
  /** Two integer (or two date) registers compared. */
  | { k: 'regcmp'; a: number; op: NumCmpOp; b: number }
  | { k: 'and' | 'or'; a: Cond; b: Cond }
  | { k: 'not'; a: Cond }
  | { k: 'const'; v: true | false | null }
  /** A condition on fields only: true when `t` holds, false when `f` holds, else null. */
  | { k: 'tf'; t: Lowered; f: Lowered };

export type Step =
  | { op: 'field'; dst: number; field: string }
  | { op: 'const'; dst: number; text: string }
  | { op: 'urldecode'; dst: number; src: number }
  | { op: 'grok'; src: number; pike: number; outs: { dst: number; group: number }[] }
  | { op: 'replace'; dst: number; src: number; find: string; by: string }
  | { op: 'case'; dst: number; arms: { cond: Cond; value: number }[]; otherwise: number }
  | { op: 'where'; cond: Cond }
  /** The single value of an integer field (null: none or several). */
  | { op: 'field_int'; dst: number; field: string }
  /** The single value of a date field; `@timestamp` without one is the event time. */
  | { op: 'field_date'; dst: number; field: string; eventTimeFallback: boolean }
  /** TO_STRING of an ip field's single value (canonical text). */
  | { op: 'field_ip_text'; dst: number; field: string }
  | { op: 'const_int'; dst: number; value: number }
  /** NOW(): the record's event time. */
  | { op: 'now'; dst: number }
  | { op: 'date_trunc'; dst: number; src: number; spanMs: number }
  /** A date plus a fixed span (ms, negative for minus). */
  | { op: 'date_add'; dst: number; src: number; deltaMs: number }
  /** LOCATE(s, sub[, start]): `start` is NO_REG when absent. */
  | { op: 'locate'; dst: number; s: number; sub: number; start: number }
  | { op: 'to_string'; dst: number; src: number };

export type NumCmpOp = '==' | '!=' | '<' | '<=' | '>' | '>=';

/** The type of a register's value. */
export type RegType = 'keyword' | 'integer' | 'datetime' | 'null';

/** Integer field types whose values fit an i64 register exactly. */
const INTEGER_FIELD_TYPES: readonly FieldType[] = ['long', 'integer', 'short', 'byte'];

export interface EsqlPipeline {
  /** The leading WHERE commands, lowered (undefined: every record enters the steps). */
  gate?: Lowered;
  steps: Step[];
  registers: number;
  /** Columns of the alert's `esql` object, in order. */
  outputs: { name: string; reg: number }[];
  dfas: { pattern: string; table: DfaTable }[];
  pikes: { pattern: string; program: PikeProgram }[];
}

/** Deepest condition the module evaluates (its recursion, like the rule expressions', stays shallow). */
export const MAX_CONDITION_DEPTH = 48;

function depthOf(e: Expr): number {
  switch (e.kind) {
    case 'and':
    case 'or':
      return 1 + Math.max(depthOf(e.left), depthOf(e.right));
    case 'not':
      return 1 + depthOf(e.child);
    case 'in':
      return 2 + Math.ceil(Math.log2(e.values.length + 1));
    default:
      return 1;
  }
}

function checkDepth(e: Expr, pos: Pos): void {
  if (depthOf(e) > MAX_CONDITION_DEPTH) throw new EsqlLoweringError(`a condition nested deeper than ${MAX_CONDITION_DEPTH} levels is not supported by the kql-edge module`, pos);
}

/** No register (a CASE without ELSE gives null). */
export const NO_REG = 0xffffffff;

/** True when the query has commands the plain WHERE lowering does not cover (EVAL, GROK, WHERE on computed columns). */
export function needsPipeline(q: EsqlQuery): boolean {
  return q.commands.some((c) => c.kind === 'eval' || c.kind === 'grok');
}

export function compilePipeline(q: EsqlQuery, typeOf: (field: string) => FieldType): EsqlPipeline {
  const p: EsqlPipeline = { steps: [], registers: 0, outputs: [], dfas: [], pikes: [] };
  /** The row's computed columns, in ES|QL's order (a column written again moves to the end). */
  let columns = new Map<string, number>();
  /** Registers holding a field read as "one value or null" (multi-valued collapsed to null), with the field. */
  const collapsed = new Map<number, string>();
  /**
   * Registers that may stand for several values in ES|QL (a copied field, and what CASE or TO_STRING
   * pass on from one): the module holds null there, so they may be compared (null either way) but
   * not kept or tested with IS NULL.
   */
  const multi = new Set<number>();
  const regTypes = new Map<number, RegType>();
  const typeOfReg = (reg: number): RegType => regTypes.get(reg) ?? 'keyword';
  /** A register of a string: the value must be one (functions on strings). */
  const stringReg = (reg: number, what: string, pos: Pos): number => (typeOfReg(reg) === 'keyword' || typeOfReg(reg) === 'null' ? reg : fail(`${what} of a ${typeOfReg(reg)} value`, pos));
  const fail = (what: string, pos: Pos): never => {
    throw new EsqlLoweringError(`${what} is not supported by the kql-edge module`, pos);
  };
  const newReg = (type: RegType = 'keyword') => {
    const r = p.registers++;
    regTypes.set(r, type);
    return r;
  };
  const dfaOf = (pattern: string, pos: Pos): number => {
    const known = p.dfas.findIndex((d) => d.pattern === pattern);
    if (known >= 0) return known;
    try {
      p.dfas.push({ pattern, table: luceneTable(pattern) });
    } catch (e) {
      if (e instanceof LuceneRegexError || e instanceof AutomatonTooLargeError) fail(`the RLIKE pattern (${e.message})`, pos);
      throw e;
    }
    return p.dfas.length - 1;
  };
  const refersToColumns = (e: Expr): boolean => {
    switch (e.kind) {
      case 'field':
        return columns.has(e.name);
      case 'and':
      case 'or':
      case 'compare':
      case 'arith':
        return refersToColumns(e.left) || refersToColumns(e.right);
      case 'not':
      case 'neg':
      case 'isnull':
        return refersToColumns(e.child);
      case 'in':
        return refersToColumns(e.left) || e.values.some(refersToColumns);
      case 'like':
      case 'rlike':
        return refersToColumns(e.left);
      case 'call':
        return e.args.some(refersToColumns);
      default:
        return false;
    }
  };
  /** A string value into a register. */
  const valueOf = (e: Expr): number => {
    switch (e.kind) {
      case 'field': {
        const reg = columns.get(e.name);
        if (reg !== undefined) return reg;
        const t = typeOf(e.name);
        let dst: number;
        if (t === 'keyword' || t === 'constant_keyword') {
          dst = newReg();
          p.steps.push({ op: 'field', dst, field: e.name });
        } else if (INTEGER_FIELD_TYPES.includes(t)) {
          dst = newReg('integer');
          p.steps.push({ op: 'field_int', dst, field: e.name });
        } else if (t === 'date') {
          dst = newReg('datetime');
          p.steps.push({ op: 'field_date', dst, field: e.name, eventTimeFallback: e.name === '@timestamp' });
        } else return fail(`reading field ${e.name} of type ${t} in a computed value`, e.pos);
        collapsed.set(dst, e.name);
        multi.add(dst);
        return dst;
      }
      case 'literal': {
        const dst = newReg();
        if (e.type === 'null') {
          regTypes.set(dst, 'null');
          p.steps.push({ op: 'case', dst, arms: [], otherwise: NO_REG });
          return dst;
        }
        if (e.type === 'integer' && Number.isSafeInteger(e.value)) {
          regTypes.set(dst, 'integer');
          p.steps.push({ op: 'const_int', dst, value: e.value });
          return dst;
        }
        if (e.type !== 'keyword') return fail(`a ${e.type} constant in a computed value (strings and integers only)`, e.pos);
        p.steps.push({ op: 'const', dst, text: e.value });
        return dst;
      }
      case 'call':
        switch (e.name) {
          case 'to_string': {
            if (e.args.length !== 1) return fail('TO_STRING without one argument', e.pos);
            const x = e.args[0];
            if (x.kind === 'field' && !columns.has(x.name) && typeOf(x.name) === 'ip') {
              const dst = newReg();
              p.steps.push({ op: 'field_ip_text', dst, field: x.name });
              collapsed.set(dst, x.name);
              multi.add(dst);
              return dst;
            }
            const src = valueOf(x);
            if (typeOfReg(src) === 'keyword') return src;
            const dst = newReg();
            p.steps.push({ op: 'to_string', dst, src });
            // TO_STRING converts each value: a multi-valued input stays multi-valued.
            if (multi.has(src)) multi.add(dst);
            return dst;
          }
          case 'now': {
            if (e.args.length !== 0) return fail('NOW with arguments', e.pos);
            const dst = newReg('datetime');
            p.steps.push({ op: 'now', dst });
            return dst;
          }
          case 'date_trunc': {
            if (e.args.length !== 2) return fail('DATE_TRUNC without two arguments', e.pos);
            const [span, date] = e.args;
            if (span.kind !== 'span' || span.calendar || span.ms <= 0) return fail('DATE_TRUNC by a span that is not a fixed time span (calendar months, quarters or years, or a computed span)', span.pos);
            const src = valueOf(date);
            if (typeOfReg(src) !== 'datetime') return fail(`DATE_TRUNC of a ${typeOfReg(src)} value`, date.pos);
            const dst = newReg('datetime');
            p.steps.push({ op: 'date_trunc', dst, src, spanMs: span.ms });
            return dst;
          }
          case 'locate': {
            if (e.args.length !== 2 && e.args.length !== 3) return fail('LOCATE without two or three arguments', e.pos);
            const s = stringReg(valueOf(e.args[0]), 'LOCATE', e.args[0].pos);
            const sub = stringReg(valueOf(e.args[1]), 'LOCATE', e.args[1].pos);
            let start = NO_REG;
            if (e.args.length === 3) {
              start = valueOf(e.args[2]);
              if (typeOfReg(start) !== 'integer') return fail(`LOCATE with a ${typeOfReg(start)} start`, e.args[2].pos);
            }
            const dst = newReg('integer');
            p.steps.push({ op: 'locate', dst, s, sub, start });
            return dst;
          }
          case 'url_decode': {
            if (e.args.length !== 1) return fail('URL_DECODE without one argument', e.pos);
            const src = stringReg(valueOf(e.args[0]), 'URL_DECODE', e.args[0].pos);
            const dst = newReg();
            p.steps.push({ op: 'urldecode', dst, src });
            return dst;
          }
          case 'replace': {
            if (e.args.length !== 3) return fail('REPLACE without three arguments', e.pos);
            const [, re, by] = e.args;
            if (re.kind !== 'literal' || re.type !== 'keyword' || by.kind !== 'literal' || by.type !== 'keyword') return fail('REPLACE with a pattern or replacement that is not a constant string', e.pos);
            let find: string | undefined;
            try {
              find = javaRegexLiteral(re.value);
            } catch (err) {
              if (err instanceof JavaRegexError) return fail(`the REPLACE pattern ${JSON.stringify(re.value)} (${err.reason})`, re.pos);
              throw err;
            }
            if (find === undefined || find === '') return fail(`REPLACE with the regular expression ${JSON.stringify(re.value)} (only patterns that stand for one non-empty literal string)`, re.pos);
            if (/[$\\]/.test(by.value)) return fail('REPLACE with $ or \\ in the replacement', by.pos);
            const src = stringReg(valueOf(e.args[0]), 'REPLACE', e.args[0].pos);
            const dst = newReg();
            p.steps.push({ op: 'replace', dst, src, find, by: by.value });
            return dst;
          }
          case 'case': {
            if (e.args.length < 2) return fail('CASE with fewer than two arguments', e.pos);
            const arms: { cond: Cond; value: number }[] = [];
            for (let i = 0; i + 1 < e.args.length; i += 2) {
              checkDepth(e.args[i], e.args[i].pos);
              arms.push({ cond: condOf(e.args[i]), value: valueOf(e.args[i + 1]) });
            }
            const otherwise = e.args.length % 2 === 1 ? valueOf(e.args[e.args.length - 1]) : NO_REG;
            // One type for every branch (ES|QL refuses a CASE that mixes them); null fits any.
            const types = new Set([...arms.map((a) => a.value), ...(otherwise === NO_REG ? [] : [otherwise])].map(typeOfReg).filter((t) => t !== 'null'));
            if (types.size > 1) return fail(`CASE with values of different types (${[...types].join(', ')})`, e.pos);
            const dst = newReg([...types][0] ?? 'null');
            if ([...arms.map((a) => a.value), otherwise].some((r) => multi.has(r))) multi.add(dst);
            p.steps.push({ op: 'case', dst, arms, otherwise });
            return dst;
          }
        }
        return fail(`ES|QL function ${e.name.toUpperCase()} in a computed value`, e.pos);
      case 'arith': {
        // A date plus or minus a fixed time span (`NOW() - 9 minutes`); other arithmetic is refused.
        const spanFirst = e.left.kind === 'span';
        const [date, span] = spanFirst ? [e.right, e.left] : [e.left, e.right];
        if (span.kind !== 'span' || span.calendar || (e.op !== '+' && e.op !== '-') || (spanFirst && e.op === '-')) return fail('ES|QL arithmetic other than a date plus or minus a fixed time span', e.pos);
        const src = valueOf(date);
        if (typeOfReg(src) !== 'datetime') return fail(`ES|QL ${e.op} of a time span and a ${typeOfReg(src)} value`, e.pos);
        const dst = newReg('datetime');
        p.steps.push({ op: 'date_add', dst, src, deltaMs: e.op === '+' ? span.ms : -span.ms });
        return dst;
      }
      default:
        return fail(`ES|QL ${e.kind} as a computed value (strings only)`, e.pos);
    }
  };
  /** An integer constant (or, for a date column, a date string as ms) to compare a typed register with. */
  const numericLiteral = (e: Expr, t: RegType): number => {
    if (e.kind === 'literal' && e.type === 'integer' && Number.isSafeInteger(e.value) && t === 'integer') return e.value;
    if (e.kind === 'literal' && e.type === 'keyword' && t === 'datetime') {
      const ms = parseDate(e.value);
      if (ms !== undefined) return ms;
    }
    return fail(`a comparison of ${t === 'integer' ? 'an integer' : 'a date'} column with a value that is not a constant ${t === 'integer' ? 'integer' : 'date'}`, e.pos);
  };
  const stringLiteral = (e: Expr): string => (e.kind === 'literal' && e.type === 'keyword' ? e.value : fail('a comparison of a computed column with a value that is not a constant string', e.pos));
  /** A condition: on fields only -> lowered (tf); on computed columns -> register conditions. */
  const condOf = (e: Expr): Cond => {
    if (!refersToColumns(e)) {
      try {
        const truth = lowerCondition(e, typeOf);
        return { k: 'tf', t: truth.t, f: truth.f };
      } catch (err) {
        // Not expressible with the program's leaves (RLIKE on a field...): read the fields into registers.
        if (!(err instanceof EsqlLoweringError)) throw err;
      }
    }
    switch (e.kind) {
      case 'and':
      case 'or':
        return { k: e.kind, a: condOf(e.left), b: condOf(e.right) };
      case 'not':
        return { k: 'not', a: condOf(e.child) };
      case 'isnull': {
        const reg = valueOf(e.child);
        const field = collapsed.get(reg);
        if (field !== undefined) {
          // A copy is null also for a multi-valued field, which IS NULL is not: ask the field itself.
          if (field === '@timestamp') return fail('IS NULL on a copy of @timestamp', e.pos);
          const truth = lowerCondition({ kind: 'isnull', child: { kind: 'field', name: field, pos: e.child.pos }, negated: e.negated, pos: e.pos }, typeOf);
          return { k: 'tf', t: truth.t, f: truth.f };
        }
        if (multi.has(reg)) return fail('IS NULL on a value that may hold several values of a field', e.pos);
        return { k: 'isnull', reg, negated: e.negated };
      }
      case 'rlike':
      case 'like': {
        const reg = stringReg(valueOf(e.left), e.kind.toUpperCase(), e.left.pos);
        let c: Cond;
        if (e.kind === 'rlike') c = { k: 'rlike', reg, dfa: dfaOf(e.pattern, e.patternPos) };
        else {
          if (e.pattern.includes('\\')) return fail('ES|QL LIKE with an escape (\\)', e.patternPos);
          c = { k: 'like', reg, pattern: e.pattern };
        }
        return e.negated ? { k: 'not', a: c } : c;
      }
      case 'compare': {
        const flipped = e.left.kind === 'literal';
        const [col, lit] = flipped ? [e.right, e.left] : [e.left, e.right];
        if (lit.kind === 'literal' && lit.type === 'null') return { k: 'const', v: null };
        const reg = valueOf(col);
        if (lit.kind !== 'literal') {
          // Two computed values: integers with integers, dates with dates.
          const other = valueOf(lit);
          const t = typeOfReg(reg);
          if ((t !== 'integer' && t !== 'datetime') || typeOfReg(other) !== t) return fail(`ES|QL ${e.op} between a ${t} and a ${typeOfReg(other)} value`, e.pos);
          return { k: 'regcmp', a: reg, op: e.op, b: other };
        }
        if (typeOfReg(reg) === 'integer' || typeOfReg(reg) === 'datetime') {
          const op = flipped ? (({ '<': '>', '<=': '>=', '>': '<', '>=': '<=' }) as Record<string, NumCmpOp>)[e.op] ?? e.op : e.op;
          return { k: 'numcmp', reg, op, value: numericLiteral(lit, typeOfReg(reg)) };
        }
        if (e.op !== '==' && e.op !== '!=') return fail(`ES|QL ${e.op} on a computed string column`, e.pos);
        const c: Cond = { k: 'eq', reg: stringReg(reg, 'a comparison', col.pos), text: stringLiteral(lit) };
        return e.op === '==' ? c : { k: 'not', a: c };
      }
      case 'in': {
        const reg = valueOf(e.left);
        let hasNull = false;
        const eqs: Cond[] = [];
        for (const v of e.values) {
          if (v.kind === 'literal' && v.type === 'null') {
            hasNull = true;
            continue;
          }
          const t = typeOfReg(reg);
          eqs.push(t === 'integer' || t === 'datetime' ? { k: 'numcmp', reg, op: '==', value: numericLiteral(v, t) } : { k: 'eq', reg, text: stringLiteral(v) });
        }
        // A balanced OR: the module's recursion stays logarithmic in the list's length.
        const balanced = (xs: Cond[]): Cond | undefined => (xs.length <= 1 ? xs[0] : { k: 'or', a: balanced(xs.slice(0, xs.length >> 1))!, b: balanced(xs.slice(xs.length >> 1))! });
        const c = balanced(eqs);
        // "or null": a miss is null, not false.
        let any: Cond = c ?? { k: 'const', v: false };
        if (hasNull) any = { k: 'or', a: any, b: { k: 'const', v: null } };
        return e.negated ? { k: 'not', a: any } : any;
      }
      default:
        return fail(`ES|QL ${e.kind} in a condition on computed columns`, e.pos);
    }
  };

  let leading = true;
  const gates: Lowered[] = [];
  for (const c of q.commands) {
    switch (c.kind) {
      case 'where':
        checkDepth(c.condition, c.pos);
        if (leading) {
          try {
            gates.push(lowerCondition(c.condition, typeOf).t);
            break;
          } catch (err) {
            if (!(err instanceof EsqlLoweringError)) throw err;
            leading = false; // this and later conditions run as pipeline steps
          }
        }
        p.steps.push({ op: 'where', cond: condOf(c.condition) });
        break;
      case 'eval':
        leading = false;
        for (const f of c.fields) {
          const reg = valueOf(f.expr);
          columns.delete(f.name);
          columns.set(f.name, reg);
        }
        break;
      case 'grok': {
        leading = false;
        let pike: PikeProgram;
        let cols: string[];
        try {
          const g = compileGrok(c.pattern);
          cols = g.columns;
          pike = compilePike(g.regex, 'oniguruma');
        } catch (e) {
          if (e instanceof GrokError || e instanceof JavaRegexError || e instanceof AutomatonTooLargeError) return fail(`the GROK pattern (${e.message})`, c.patternPos);
          throw e;
        }
        const src = valueOf(c.input);
        p.pikes.push({ pattern: c.pattern, program: pike });
        const outs = cols.map((name, k) => ({ dst: newReg(), group: pike.names.get(`c${k}`)!, name }));
        p.steps.push({ op: 'grok', src, pike: p.pikes.length - 1, outs: outs.map(({ dst, group }) => ({ dst, group })) });
        for (const o of outs) {
          columns.delete(o.name);
          columns.set(o.name, o.dst);
        }
        break;
      }
      case 'keep': {
        leading = false;
        const kept = new Map<string, number>();
        for (const pat of c.patterns) {
          for (const [name, reg] of columns) if (!kept.has(name) && (pat.includes('*') ? matchGlob(pat.split('*'), name) : pat === name)) kept.set(name, reg);
          if (!pat.includes('*') && columns.has(pat)) {
            kept.delete(pat);
            kept.set(pat, columns.get(pat)!);
          }
        }
        columns = kept;
        break;
      }
      case 'drop':
        leading = false;
        for (const name of [...columns.keys()]) if (c.patterns.some((pat) => matchGlob(pat.split('*'), name))) columns.delete(name);
        break;
      case 'stats':
        return fail('ES|QL STATS … BY (windowed aggregation)', c.pos);
      case 'limit':
        return fail('ES|QL LIMIT (a cap on the rows of one scheduled run)', c.pos);
      case 'from':
        break;
    }
  }
  if (gates.length > 0) p.gate = gates.length === 1 ? gates[0] : { kind: 'and', children: gates };
  for (const [name, reg] of columns) {
    if (multi.has(reg)) fail(`a kept column (${name}) that copies a field (or may hold several of its values)`, q.from.pos);
    p.outputs.push({ name, reg });
  }
  return p;
}
