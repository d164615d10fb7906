// The binary form of ES|QL per-event pipelines (docs/program-format.md, "ES|QL pipelines"): per
// pipeline a code array of u32 words in the data blob (steps, then the condition nodes they point
// to), its output columns, and the program-wide tables of DFAs (RLIKE) and Pike programs (GROK).
import type { EsqlCondIR, EsqlIR, ExprIR } from './ir.js';

/** Step opcodes (first word of a step). */
export enum EsqlStep {
  End = 0,
  Field = 1, // dst slot
  Const = 2, // dst off len
  UrlDecode = 3, // dst src
  Grok = 4, // src pike n (dst group)*n
  Replace = 5, // dst src findOff findLen byOff byLen
  Case = 6, // dst n (cond value)*n otherwise
  Where = 7, // cond
  FieldInt = 8, // dst slot (integer register)
  FieldDate = 9, // dst slot eventTimeFallback (date register, ms)
  FieldIpText = 10, // dst slot (TO_STRING of an ip field)
  ConstInt = 11, // dst lo hi
  Now = 12, // dst
  DateTrunc = 13, // dst src spanLo spanHi
  Locate = 14, // dst s sub start (0xffffffff: none)
  ToString = 15, // dst src
  DateAdd = 16, // dst src deltaLo deltaHi
}

/** Condition node kinds (first word of a node; nodes are addressed by word offset in the code). */
export enum EsqlCond {
  IsNull = 1, // reg negated
  RLike = 2, // reg dfa
  Like = 3, // reg off len
  Eq = 4, // reg off len
  And = 5, // a b
  Or = 6, // a b
  Not = 7, // a
  Const = 8, // 0 false, 1 true, 2 null
  TrueFalse = 9, // exprT exprF
  NumCmp = 10, // reg op lo hi (op: == != < <= > >=; an integer or date register)
  RegCmp = 11, // a op b (two integer or two date registers)
}

const NUMCMP_OPS = ['==', '!=', '<', '<=', '>', '>='] as const;

/** An integer as two u32 words, low first (two's complement). */
function i64Words(v: number): [number, number] {
  const b = BigInt.asUintN(64, BigInt(v));
  return [Number(b & 0xffffffffn), Number(b >> 32n)];
}

export interface EsqlWriter {
  str(s: string): [number, number];
  bytes(b: Uint8Array): [number, number];
  expr(e: ExprIR): number;
}

/** The code words of one pipeline; dfa and pike indexes are offset by the program-wide counts so far. */
export function esqlCode(p: EsqlIR, w: EsqlWriter, dfaBase: number, pikeBase: number): number[] {
  const code: number[] = [];
  const patches: { at: number; cond: EsqlCondIR }[] = [];
  const condRef = (cond: EsqlCondIR) => {
    patches.push({ at: code.length, cond });
    code.push(0);
  };
  for (const s of p.steps) {
    switch (s.op) {
      case 'field':
        code.push(EsqlStep.Field, s.dst, s.slot);
        break;
      case 'const':
        code.push(EsqlStep.Const, s.dst, ...w.str(s.text));
        break;
      case 'urldecode':
        code.push(EsqlStep.UrlDecode, s.dst, s.src);
        break;
      case 'grok':
        code.push(EsqlStep.Grok, s.src, pikeBase + s.pike, s.outs.length);
        for (const o of s.outs) code.push(o.dst, o.group);
        break;
      case 'replace':
        code.push(EsqlStep.Replace, s.dst, s.src, ...w.str(s.find), ...w.str(s.by));
        break;
      case 'case':
        code.push(EsqlStep.Case, s.dst, s.arms.length);
        for (const arm of s.arms) {
          condRef(arm.cond);
          code.push(arm.value);
        }
        code.push(s.otherwise);
        break;
      case 'where':
        code.push(EsqlStep.Where);
        condRef(s.cond);
        break;
      case 'field_int':
        code.push(EsqlStep.FieldInt, s.dst, s.slot);
        break;
      case 'field_date':
        code.push(EsqlStep.FieldDate, s.dst, s.slot, s.eventTimeFallback ? 1 : 0);
        break;
      case 'field_ip_text':
        code.push(EsqlStep.FieldIpText, s.dst, s.slot);
        break;
      case 'const_int':
        code.push(EsqlStep.ConstInt, s.dst, ...i64Words(s.value));
        break;
      case 'now':
        code.push(EsqlStep.Now, s.dst);
        break;
      case 'date_trunc':
        code.push(EsqlStep.DateTrunc, s.dst, s.src, ...i64Words(s.spanMs));
        break;
      case 'locate':
        code.push(EsqlStep.Locate, s.dst, s.s, s.sub, s.start);
        break;
      case 'to_string':
        code.push(EsqlStep.ToString, s.dst, s.src);
        break;
      case 'date_add':
        code.push(EsqlStep.DateAdd, s.dst, s.src, ...i64Words(s.deltaMs));
        break;
    }
  }
  code.push(EsqlStep.End);
  const node = (c: EsqlCondIR): number => {
    // Children first, then the node; returns the node's word offset.
    let words: number[];
    switch (c.k) {
      case 'isnull':
        words = [EsqlCond.IsNull, c.reg, c.negated ? 1 : 0];
        break;
      case 'rlike':
        words = [EsqlCond.RLike, c.reg, dfaBase + c.dfa];
        break;
      case 'like':
        words = [EsqlCond.Like, c.reg, ...w.str(c.pattern)];
        break;
      case 'eq':
        words = [EsqlCond.Eq, c.reg, ...w.str(c.text)];
        break;
      case 'numcmp':
        words = [EsqlCond.NumCmp, c.reg, NUMCMP_OPS.indexOf(c.op), ...i64Words(c.value)];
        break;
      case 'regcmp':
        words = [EsqlCond.RegCmp, c.a, NUMCMP_OPS.indexOf(c.op), c.b];
        break;
      case 'and':
      case 'or': {
        const a = node(c.a);
        const b = node(c.b);
        words = [c.k === 'and' ? EsqlCond.And : EsqlCond.Or, a, b];
        break;
      }
      case 'not':
        words = [EsqlCond.Not, node(c.a)];
        break;
      case 'const':
        words = [EsqlCond.Const, c.v === null ? 2 : c.v ? 1 : 0];
        break;
      case 'tf':
        words = [EsqlCond.TrueFalse, w.expr(c.t), w.expr(c.f)];
        break;
    }
    const at = code.length;
    code.push(...words);
    return at;
  };
  for (const { at, cond } of patches) code[at] = node(cond);
  return code;
}

export function wordsToBytes(words: number[]): Uint8Array {
  const out = new Uint8Array(words.length * 4);
  const v = new DataView(out.buffer);
  words.forEach((x, i) => v.setUint32(i * 4, x >>> 0, true));
  return out;
}
