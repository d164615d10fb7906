// An ES|QL per-event pipeline for the module: the leading WHERE commands become the rule's
// condition (lowered three-valued, src/esql/lower.ts: the gate and the prefilter); the commands
// after them run as a small register program on the records that pass the gate. Registers hold a
// string or null. Supported: EVAL of URL_DECODE, REPLACE (a literal pattern), CASE, string
// constants and columns; GROK (a Pike VM program); WHERE on registers (IS [NOT] NULL, RLIKE as a
// DFA, LIKE, ==, !=, IN, AND, OR, NOT) mixed with conditions on fields (lowered as above); KEEP, DROP.
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

export type Cond =
  | { k: 'isnull'; reg: number; negated: boolean }
  | { k: 'rlike'; reg: number; dfa: number }
  | { k: 'like'; reg: number; pattern: string }
  | { k: 'eq'; reg: number; text: string }
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
  | { op: 'where'; cond: Cond };

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
  /** Registers holding a field read as "one value or null" (multi-valued collapsed to null). */
  const collapsed = new Set<number>();
  const fail = (what: string, pos: Pos): never => {
    throw new EsqlLoweringError(`${what} is not supported by the kql-edge module`, pos);
  };
  const newReg = () => p.registers++;
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
        if (t !== 'keyword' && t !== 'constant_keyword') return fail(`reading field ${e.name} of type ${t} in a computed value`, e.pos);
        const dst = newReg();
        p.steps.push({ op: 'field', dst, field: e.name });
        collapsed.add(dst);
        return dst;
      }
      case 'literal': {
        const dst = newReg();
        if (e.type === 'null') {
          p.steps.push({ op: 'case', dst, arms: [], otherwise: NO_REG });
          return dst;
        }
        if (e.type !== 'keyword') return fail(`a ${e.type} constant in a computed value (strings only)`, e.pos);
        p.steps.push({ op: 'const', dst, text: e.value });
        return dst;
      }
      case 'call':
        switch (e.name) {
          case 'url_decode': {
            if (e.args.length !== 1) return fail('URL_DECODE without one argument', e.pos);
            const src = valueOf(e.args[0]);
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
            const src = valueOf(e.args[0]);
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
            const dst = newReg();
            p.steps.push({ op: 'case', dst, arms, otherwise });
            return dst;
          }
        }
        return fail(`ES|QL function ${e.name.toUpperCase()} in a computed value`, e.pos);
      default:
        return fail(`ES|QL ${e.kind} as a computed value (strings only)`, e.pos);
    }
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
        if (collapsed.has(reg)) return fail('IS NULL on a copied field', e.pos);
        return { k: 'isnull', reg, negated: e.negated };
      }
      case 'rlike':
      case 'like': {
        const reg = valueOf(e.left);
        let c: Cond;
        if (e.kind === 'rlike') c = { k: 'rlike', reg, dfa: dfaOf(e.pattern, e.patternPos) };
        else {
          if (e.pattern.includes('\\')) return fail('ES|QL LIKE with an escape (\\)', e.patternPos);
          c = { k: 'like', reg, pattern: e.pattern };
        }
        return e.negated ? { k: 'not', a: c } : c;
      }
      case 'compare': {
        if (e.op !== '==' && e.op !== '!=') return fail(`ES|QL ${e.op} on a computed column`, e.pos);
        const [col, lit] = e.left.kind === 'literal' ? [e.right, e.left] : [e.left, e.right];
        if (lit.kind === 'literal' && lit.type === 'null') return { k: 'const', v: null };
        const c: Cond = { k: 'eq', reg: valueOf(col), text: stringLiteral(lit) };
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
          eqs.push({ k: 'eq', reg, text: stringLiteral(v) });
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
    if (collapsed.has(reg)) fail(`a kept column (${name}) that copies a field`, q.from.pos);
    p.outputs.push({ name, reg });
  }
  return p;
}
