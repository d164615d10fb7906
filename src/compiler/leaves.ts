// From a KQL leaf (`is` / `range` on one field) to an evaluator predicate, per field type
// (spec: kql.md "Matching semantics"; decisions in docs/semantics.md). Literals are interpreted here,
// once, with the same functions the reference evaluator uses, so both read a query alike.
import type { Value, RangeOp } from '../kql/ast.js';
import { Op, SlotType, RANGE_HAS_LO, RANGE_LO_INCL, RANGE_HAS_HI, RANGE_HI_INCL, RANGE_LO_NOW, RANGE_HI_NOW } from './format.js';
import { utf8, concat, u32, f64pair, dateOperand, lengthPrefixed } from './operands.js';
import { keywordQueryTerm } from '../reference/values/keyword.js';
import { numericQueryValue, parseNumberText, isIntegerType, roundToHalf, type NumericType } from '../reference/values/numeric.js';
import { booleanQueryValue } from '../reference/values/boolean.js';
import { parseDate, parseDateMath } from '../reference/values/date.js';
import { parseIp, parseCidr } from '../reference/values/ip.js';
import { analyze } from '../reference/values/analyzer.js';
import type { SlotIR } from './ir.js';

export interface LeafSpec {
  op: Op;
  flags: number;
  data: Uint8Array;
  aux: number;
  text: string;
}

const NEVER = (why: string): LeafSpec => ({ op: Op.Never, flags: 0, data: new Uint8Array(0), aux: 0, text: `never (${why})` });
const EXISTS: LeafSpec = { op: Op.Exists, flags: 0, data: new Uint8Array(0), aux: 0, text: 'exists' };

/** `field:value`. */
export function isLeaf(slot: SlotIR, value: Value): LeafSpec {
  if (value.type === 'exists') return EXISTS;
  switch (slot.type) {
    case SlotType.Keyword:
      return keywordIs(value);
    case SlotType.Text:
      return textIs(value);
    case SlotType.Number:
    case SlotType.Integer:
      return numberIs(slot, value);
    case SlotType.Boolean: {
      const b = booleanQueryValue(value);
      return b === undefined ? NEVER('not a boolean') : { op: Op.BoolEq, flags: 0, data: new Uint8Array(0), aux: b ? 1 : 0, text: `== ${b}` };
    }
    case SlotType.Date:
      return dateIs(value);
    case SlotType.Ip:
      return ipIs(value);
  }
  return NEVER('unknown type');
}

function keywordIs(value: Value): LeafSpec {
  if (value.type === 'wildcard') return keywordGlob(value.parts);
  const term = keywordQueryTerm(value);
  if (term === undefined) return NEVER('no keyword term');
  return { op: Op.KwEq, flags: 0, data: utf8(term), aux: 0, text: `== ${JSON.stringify(term)}` };
}

function keywordGlob(parts: string[]): LeafSpec {
  const text = `glob ${JSON.stringify(parts.join('*'))}`;
  if (parts.length === 2 && parts[1] === '') return { op: Op.KwPrefix, flags: 0, data: utf8(parts[0]), aux: 0, text };
  if (parts.length === 2 && parts[0] === '') return { op: Op.KwSuffix, flags: 0, data: utf8(parts[1]), aux: 0, text };
  if (parts.length === 3 && parts[0] === '' && parts[2] === '') return { op: Op.KwContains, flags: 0, data: utf8(parts[1]), aux: 0, text };
  return { op: Op.KwGlob, flags: 0, data: lengthPrefixed(parts), aux: parts.length, text };
}

function textIs(value: Value): LeafSpec {
  if (value.type === 'wildcard') {
    const parts = value.parts.map((p) => p.toLowerCase());
    return { op: Op.TextGlob, flags: 0, data: lengthPrefixed(parts), aux: parts.length, text: `token glob ${JSON.stringify(parts.join('*'))}` };
  }
  const term = keywordQueryTerm(value);
  if (term === undefined) return NEVER('no text');
  const tokens = analyze(term);
  if (tokens.length === 0) return NEVER('no tokens');
  const quoted = value.type === 'string' && value.quoted;
  return {
    op: quoted ? Op.TextPhrase : Op.TextAny,
    flags: 0,
    data: lengthPrefixed(tokens),
    aux: tokens.length,
    text: `${quoted ? 'phrase' : 'any token of'} ${JSON.stringify(tokens)}`,
  };
}

function numberIs(slot: SlotIR, value: Value): LeafSpec {
  if (value.type === 'wildcard') return NEVER('wildcard on a number');
  const q = numericQueryValue(slot.esType as NumericType, value);
  if (q === undefined) return NEVER('not a number of this type');
  return { op: Op.NumRange, flags: RANGE_HAS_LO | RANGE_LO_INCL | RANGE_HAS_HI | RANGE_HI_INCL, data: f64pair(q, q), aux: 0, text: `== ${q}` };
}

function dateIs(value: Value): LeafSpec {
  if (value.type !== 'string') return NEVER('not a date');
  const lo = dateBound(value.value, false);
  const hi = dateBound(value.value, true);
  if (!lo || !hi) return NEVER('not a date');
  return dateLeaf(lo, hi, RANGE_HAS_LO | RANGE_LO_INCL | RANGE_HAS_HI | RANGE_HI_INCL, `in [${value.value}]`);
}

function ipIs(value: Value): LeafSpec {
  if (value.type !== 'string') return NEVER('not an ip');
  if (value.value.includes('/')) {
    const cidr = parseCidr(value.value);
    if (!cidr) return NEVER('not a CIDR');
    const lo = new Uint8Array(16);
    const hi = new Uint8Array(16);
    for (let i = 0; i < 16; i++) {
      const take = Math.max(0, Math.min(8, cidr.prefixBits - i * 8));
      const mask = (0xff << (8 - take)) & 0xff;
      lo[i] = cidr.address[i] & mask;
      hi[i] = (cidr.address[i] & mask) | (~mask & 0xff);
    }
    return { op: Op.IpRange, flags: 0, data: concat([lo, hi]), aux: 0, text: `in ${value.value}` };
  }
  const ip = parseIp(value.value);
  if (!ip) return NEVER('not an ip');
  return { op: Op.IpRange, flags: 0, data: concat([ip, ip]), aux: 0, text: `== ${value.value}` };
}

/** `field < null`: Kibana sends a JSON null bound, which Elasticsearch ignores — any indexed value (text: any token). */
export function unboundedRange(slot: SlotIR): LeafSpec {
  if (slot.type === SlotType.Text) return { op: Op.TextGlob, flags: 0, data: lengthPrefixed(['', '']), aux: 2, text: 'has a token' };
  return EXISTS;
}

/** `field < value` etc. */
export function rangeLeaf(slot: SlotIR, op: RangeOp, literal: string): LeafSpec {
  const isLower = op === 'gt' || op === 'gte';
  const inclusive = op === 'gte' || op === 'lte';
  const flags = isLower ? RANGE_HAS_LO | (inclusive ? RANGE_LO_INCL : 0) : RANGE_HAS_HI | (inclusive ? RANGE_HI_INCL : 0);
  const text = `${op} ${JSON.stringify(literal)}`;
  switch (slot.type) {
    case SlotType.Keyword:
    case SlotType.Text: {
      // Keyword: the term; text: any token (lower-cased), against the literal as written.
      const b = utf8(literal);
      const data = isLower ? concat([u32(b.length), b, u32(0)]) : concat([u32(0), u32(b.length), b]);
      return { op: slot.type === SlotType.Text ? Op.TextRange : Op.KwRange, flags, data, aux: 0, text };
    }
    case SlotType.Number:
    case SlotType.Integer: {
      const v = parseNumberText(literal);
      if (v === undefined || Number.isNaN(v)) return NEVER('not a number');
      const bound = isIntegerType(slot.esType as NumericType) ? v : precision(slot.esType, v);
      return { op: Op.NumRange, flags, data: f64pair(bound, bound), aux: 0, text };
    }
    case SlotType.Date: {
      // gt and lte round the bound up; gte and lt round it down.
      const b = dateBound(literal, op === 'gt' || op === 'lte');
      if (!b) return NEVER('not a date');
      return dateLeaf(b, b, flags, text);
    }
    case SlotType.Boolean: {
      // false < true; the literal is one of true, false, "" (= false).
      const b = literal === 'true' ? 1 : literal === 'false' || literal === '' ? 0 : undefined;
      if (b === undefined) return NEVER('not a boolean');
      return { op: Op.NumRange, flags, data: f64pair(b, b), aux: 0, text };
    }
    case SlotType.Ip: {
      const ip = parseIp(literal);
      if (!ip) return NEVER('not an ip');
      const min = new Uint8Array(16);
      const max = new Uint8Array(16).fill(0xff);
      // Exclusive bounds become inclusive ones on the neighbouring address.
      const lo = isLower ? (inclusive ? ip : step(ip, +1)) : min;
      const hi = isLower ? max : inclusive ? ip : step(ip, -1);
      if (!lo || !hi) return NEVER('empty ip range');
      return { op: Op.IpRange, flags: 0, data: concat([lo, hi]), aux: 0, text };
    }
  }
  return NEVER(`range on a ${slot.esType} field`);
}

function precision(esType: string, v: number): number {
  if (esType === 'float') return Math.fround(v);
  if (esType === 'half_float') return roundToHalf(Math.fround(v));
  return v;
}

function step(ip: Uint8Array, delta: 1 | -1): Uint8Array | undefined {
  const out = Uint8Array.from(ip);
  for (let i = 15; i >= 0; i--) {
    const v = out[i] + delta;
    if (v >= 0 && v <= 255) {
      out[i] = v;
      return out;
    }
    out[i] = delta > 0 ? 0 : 255;
  }
  return undefined;
}

/** A date bound: absolute, or relative to the event time (`now...`) as offset + spec. */
interface DateBound {
  value: number;
  relative: boolean;
  spec: number;
}

const UNIT_CODE: Record<string, number> = { s: 1, m: 2, h: 3, H: 3, d: 4, w: 5, M: 6, y: 7 };
const FIXED_MS: Record<string, number> = { s: 1000, m: 60000, h: 3600000, H: 3600000, d: 86400000, w: 604800000 };

function dateBound(text: string, roundUp: boolean): DateBound | undefined {
  if (!text.startsWith('now')) {
    const v = text.includes('||') ? parseDateMath(text, 0, roundUp) : parseDate(text, roundUp);
    return v === undefined ? undefined : { value: v, relative: false, spec: 0 };
  }
  // now(+-N unit)*(/unit)? — fixed units fold into an offset, months and years into the spec word.
  const m = /^now((?:[+-]\d*[smhHdwMy])*)(?:\/([smhHdwMy]))?$/.exec(text);
  if (!m) return undefined;
  let offset = 0;
  let months = 0;
  for (const op of m[1].matchAll(/([+-])(\d*)([smhHdwMy])/g)) {
    const n = (op[2] === '' ? 1 : Number(op[2])) * (op[1] === '-' ? -1 : 1);
    if (op[3] === 'M') months += n;
    else if (op[3] === 'y') months += 12 * n;
    else offset += n * FIXED_MS[op[3]];
  }
  if (months < -32768 || months > 32767) return undefined;
  const spec = ((months & 0xffff) << 16) | (m[2] ? UNIT_CODE[m[2]] | (roundUp ? 0x100 : 0) : 0);
  return { value: offset, relative: true, spec };
}

function dateLeaf(lo: DateBound, hi: DateBound, flags: number, text: string): LeafSpec {
  const f = flags | (lo.relative ? RANGE_LO_NOW : 0) | (hi.relative ? RANGE_HI_NOW : 0);
  return { op: Op.DateRange, flags: f, data: dateOperand(lo.value, hi.value, lo.spec, hi.spec), aux: 0, text };
}
