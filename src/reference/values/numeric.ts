// Numeric fields. Documents: JSON numbers, or strings holding a number (coerce, the default);
// integer types truncate a fraction and reject values outside the type's range; float types round
// to their precision. A value that cannot be coerced is not indexed. Queries: the literal is
// coerced the same way; on an integer type a literal with a fractional part matches nothing
// (Elasticsearch answers such a term query with "match no documents").

import type { RangeOp, Value } from '../../kql/ast.js';
import { numberValue, type JsonLeaf } from '../json.js';
import { compareWith } from './keyword.js';

export type NumericType = 'long' | 'integer' | 'short' | 'byte' | 'unsigned_long' | 'double' | 'float' | 'half_float' | 'scaled_float';

export const NUMERIC_TYPES: readonly NumericType[] = ['long', 'integer', 'short', 'byte', 'unsigned_long', 'double', 'float', 'half_float', 'scaled_float'];

/** Inclusive lower bound and exclusive upper bound of the integer types (as doubles). */
const INTEGER_RANGE: Partial<Record<NumericType, [number, number]>> = {
  byte: [-128, 128],
  short: [-32768, 32768],
  integer: [-2147483648, 2147483648],
  long: [-9223372036854775808, 9223372036854775808],
  unsigned_long: [0, 18446744073709551616],
};

export function isIntegerType(type: NumericType): boolean {
  return INTEGER_RANGE[type] !== undefined;
}

/** Decimal number text as Java's Double.parseDouble reads it, minus NaN/Infinity/hex/suffixes. */
const NUMBER_TEXT = /^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;

/** Parse a number from text: surrounding characters <= U+0020 trimmed (as Java's trim), then NUMBER_TEXT. */
export function parseNumberText(text: string): number | undefined {
  let start = 0;
  let end = text.length;
  while (start < end && text.charCodeAt(start) <= 0x20) start++;
  while (end > start && text.charCodeAt(end - 1) <= 0x20) end--;
  const trimmed = text.slice(start, end);
  if (!NUMBER_TEXT.test(trimmed)) return undefined;
  return Number(trimmed);
}

/** Round a double to the nearest IEEE half-precision value (ties to even), as a double. */
export function roundToHalf(x: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  const sign = x < 0 ? -1 : 1;
  const a = Math.abs(x);
  if (a >= 65520) return sign * Number.POSITIVE_INFINITY;
  let e = Math.floor(Math.log2(a));
  while (2 ** e > a) e--;
  while (2 ** (e + 1) <= a) e++;
  if (e < -14) e = -14; // subnormals share the smallest exponent
  const quantum = 2 ** (e - 10);
  const q = a / quantum;
  const floor = Math.floor(q);
  const diff = q - floor;
  const rounded = diff > 0.5 ? floor + 1 : diff < 0.5 ? floor : floor % 2 === 0 ? floor : floor + 1;
  return sign * rounded * quantum;
}

/** A real number converted to the field type's precision (integer types: unchanged). */
function toTypePrecision(type: NumericType, v: number): number {
  if (type === 'float') return Math.fround(v);
  if (type === 'half_float') return roundToHalf(Math.fround(v));
  return v;
}

function inIntegerRange(type: NumericType, v: number): boolean {
  const range = INTEGER_RANGE[type];
  return range === undefined || (v >= range[0] && v < range[1]);
}

/** The number a numeric field indexes for one JSON value, or undefined (not indexed). */
export function numericDocValue(type: NumericType, leaf: JsonLeaf): number | undefined {
  let v: number | undefined;
  if (typeof leaf === 'string') v = parseNumberText(leaf);
  else if (typeof leaf === 'number' || (typeof leaf === 'object' && leaf !== null)) v = numberValue(leaf);
  if (v === undefined || !Number.isFinite(v)) return undefined;
  if (isIntegerType(type)) {
    const t = Math.trunc(v) + 0; // + 0 turns -0 into 0
    return inIntegerRange(type, t) ? t : undefined;
  }
  const converted = toTypePrecision(type, v);
  return Number.isFinite(converted) ? converted : undefined;
}

/** The number a term query on the field looks for, or undefined when it matches nothing. */
export function numericQueryValue(type: NumericType, value: Value): number | undefined {
  if (value.type !== 'string') return undefined;
  const v = parseNumberText(value.value);
  if (v === undefined || !Number.isFinite(v)) return undefined;
  if (isIntegerType(type)) {
    if (!Number.isInteger(v) || !inIntegerRange(type, v)) return undefined;
    return v + 0;
  }
  const converted = toTypePrecision(type, v);
  return Number.isFinite(converted) ? converted : undefined;
}

export function numericIs(type: NumericType, docValues: number[], value: Value): boolean {
  const q = numericQueryValue(type, value);
  return q !== undefined && docValues.includes(q);
}

/** Integer types compare the real literal; float types compare at the type's precision. */
export function numericRange(type: NumericType, docValues: number[], op: RangeOp, literal: string): boolean {
  const parsed = parseNumberText(literal);
  if (parsed === undefined || Number.isNaN(parsed)) return false;
  const bound = isIntegerType(type) ? parsed : toTypePrecision(type, parsed);
  return docValues.some((d) => compareWith(op, d < bound ? -1 : d > bound ? 1 : 0));
}
