// The binary form of an ES|QL STATS window (docs/program-format.md, "ES|QL STATS windows"): one
// entry per STATS rule in section 27 (the rule's pipeline index, its code in the data blob, the
// look-back), the code being u32 words: header, aggregates, BY keys, output columns, then the
// condition nodes after STATS (children before parents).
import type { StatsCond, StatsInput, StatsSpec, StatsOp } from '../esql/stats.js';
import type { EsqlStatsIR } from './ir.js';

export const NO_NODE = 0xffffffff;

const FN = { count: 1, count_distinct: 2, values: 3, sum: 4, min: 5, max: 6 } as const;
const OP: Record<StatsOp, number> = { '==': 0, '!=': 1, '<': 2, '<=': 3, '>': 4, '>=': 5 };
const LOOKBACK = /^now-([1-9][0-9]*)([smhd])$/;
const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** The rule's look-back L from its `from` (Elastic's default now-6m): windows are (t - L, t]. */
export function lookbackOf(from: string | undefined): number {
  const text = from ?? 'now-6m';
  const m = LOOKBACK.exec(text);
  if (!m) throw new Error(`from = "${text}": a STATS rule needs a look-back of the form now-<N><s|m|h|d>`);
  return Number(m[1]) * UNIT_MS[m[2]];
}

export function statsIR(spec: StatsSpec, rule: { from?: string }, slotOf: (field: string) => number): EsqlStatsIR {
  const slots: Record<string, number> = {};
  const see = (i?: StatsInput) => {
    if (i?.k === 'field') slots[i.field] = slotOf(i.field);
  };
  spec.aggs.forEach((a) => see(a.input));
  spec.by.forEach((b) => see(b.input));
  return { spec, slotOf: slots, lookbackMs: lookbackOf(rule.from) };
}

function f64Words(x: number): [number, number] {
  const v = new DataView(new ArrayBuffer(8));
  v.setFloat64(0, x, true);
  return [v.getUint32(0, true), v.getUint32(4, true)];
}

function i64Words(x: number): [number, number] {
  const v = new DataView(new ArrayBuffer(8));
  v.setBigInt64(0, BigInt(x), true);
  return [v.getUint32(0, true), v.getUint32(4, true)];
}

/** The code words of one STATS window. */
export function statsCode(ir: EsqlStatsIR, str: (s: string) => [number, number]): number[] {
  const { spec } = ir;
  const input = (i: StatsInput | undefined): [number, number, number] => {
    if (!i) return [0, 0, 0];
    if (i.k === 'field') return [1, ir.slotOf[i.field], i.type];
    return [i.k === 'reg' ? 2 : 3, i.reg, 0];
  };
  const code: number[] = [spec.aggs.length, spec.by.length, spec.outputs.length, NO_NODE];
  for (const a of spec.aggs) code.push(FN[a.fn], ...input(a.input));
  for (const b of spec.by) code.push(...input(b.input));
  for (const o of spec.outputs) code.push(...str(JSON.stringify(o.name)), o.col);
  const node = (c: StatsCond): number => {
    let words: number[];
    switch (c.k) {
      case 'cmp':
        words = [1, c.col, OP[c.op], ...f64Words(c.value)];
        break;
      case 'cmpnow':
        words = [2, c.col, OP[c.op], ...i64Words(c.offsetMs)];
        break;
      case 'isnull':
        words = [3, c.col, c.negated ? 1 : 0];
        break;
      case 'and':
      case 'or': {
        const a = node(c.a);
        const b = node(c.b);
        words = [c.k === 'and' ? 4 : 5, a, b];
        break;
      }
      case 'not':
        words = [6, node(c.a)];
        break;
      case 'const':
        words = [7, c.v === null ? 2 : c.v ? 1 : 0];
        break;
    }
    const at = code.length;
    code.push(...words);
    return at;
  };
  if (spec.cond) code[3] = node(spec.cond);
  return code;
}
