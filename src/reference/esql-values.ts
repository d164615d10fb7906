// ES|QL values for the reference evaluator: a typed column value that is null, one value, or
// several (a multi-valued field). How a document field becomes a column (docs/semantics.md, "ES|QL"):
// the values Elasticsearch indexes for the field's type, read as ES|QL reads doc values —
// keyword and ip deduplicated and sorted, numbers and dates sorted (duplicates kept); none = null.
import type { FieldTable } from '../fields/table.js';
import type { FieldType } from '../fields/types.js';
import { valuesAt } from './document.js';
import { isJsonLeaf, type JsonLeaf } from './json.js';
import { compareUtf8, keywordTerm } from './values/keyword.js';
import { compareIp, ipDocValue, parseIp, type IpBytes } from './values/ip.js';
import { numericDocValue, type NumericType } from './values/numeric.js';
import { dateDocValue } from './values/date.js';
import { booleanDocValue } from './values/boolean.js';

export type EsqlType = 'keyword' | 'integer' | 'long' | 'double' | 'boolean' | 'datetime' | 'ip' | 'null' | 'duration' | 'period';
export type Scalar = string | number | boolean;

export interface Val {
  type: EsqlType;
  /** null, one value, or two or more values (multi-valued). ip: canonical text; datetime: ms. */
  v: Scalar | Scalar[] | null;
}

export const NULL: Val = { type: 'null', v: null };

/** A field type the reference reads as an ES|QL column; undefined = not readable here. */
export function esqlTypeOf(type: FieldType): EsqlType | undefined {
  switch (type) {
    case 'keyword':
    case 'constant_keyword':
      return 'keyword';
    case 'long':
    case 'unsigned_long':
      return 'long';
    case 'integer':
    case 'short':
    case 'byte':
      return 'integer';
    case 'double':
    case 'float':
    case 'half_float':
    case 'scaled_float':
      return 'double';
    case 'boolean':
      return 'boolean';
    case 'date':
      return 'datetime';
    case 'ip':
      return 'ip';
    default:
      return undefined;
  }
}

export function isNumeric(t: EsqlType): boolean {
  return t === 'integer' || t === 'long' || t === 'double';
}

/** The column value of a document field (undefined: the field's type is not readable). */
export function fieldColumn(doc: Record<string, unknown>, name: string, fields: FieldTable): Val | undefined {
  const ft = fields.typeOf(name);
  const type = esqlTypeOf(ft);
  if (type === undefined) return undefined;
  const leaves = valuesAt(doc, name).filter(isJsonLeaf) as JsonLeaf[];
  let values: Scalar[] = [];
  switch (type) {
    case 'keyword': {
      const limit = ft === 'constant_keyword' ? null : fields.ignoreAbove;
      const terms = leaves.map((l) => keywordTerm(l, limit)).filter((t): t is string => t !== undefined);
      values = [...new Set(terms)].sort(compareUtf8);
      break;
    }
    case 'ip': {
      const ips = leaves.map(ipDocValue).filter((b): b is IpBytes => b !== undefined);
      ips.sort(compareIp);
      values = [...new Set(ips.map(formatIp))];
      break;
    }
    case 'datetime':
      values = leaves.map(dateDocValue).filter((d): d is number => d !== undefined).sort((a, b) => a - b);
      break;
    case 'boolean':
      values = leaves.map(booleanDocValue).filter((b): b is boolean => b !== undefined).sort((a, b) => Number(a) - Number(b));
      break;
    default:
      values = leaves.map((l) => numericDocValue(ft as NumericType, l)).filter((n): n is number => n !== undefined).sort((a, b) => a - b);
  }
  return collapse(type, values);
}

export function collapse(type: EsqlType, values: Scalar[]): Val {
  if (values.length === 0) return { type, v: null };
  return { type, v: values.length === 1 ? values[0] : values };
}

export function valuesOf(x: Val): Scalar[] {
  if (x.v === null) return [];
  return Array.isArray(x.v) ? x.v : [x.v];
}

/** An IP as Elasticsearch prints it: dotted IPv4 (also for IPv4-mapped IPv6), compressed IPv6. */
export function formatIp(b: IpBytes): string {
  const mapped = b.slice(0, 10).every((x) => x === 0) && b[10] === 0xff && b[11] === 0xff;
  if (mapped) return `${b[12]}.${b[13]}.${b[14]}.${b[15]}`;
  const words: number[] = [];
  for (let i = 0; i < 16; i += 2) words.push((b[i] << 8) | b[i + 1]);
  // The longest run (first if tied) of two or more zero words becomes `::`.
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (ws: number[]) => ws.map((w) => w.toString(16)).join(':');
  if (bestStart < 0) return hex(words);
  return `${hex(words.slice(0, bestStart))}::${hex(words.slice(bestStart + bestLen))}`;
}

/** Canonical text of an IP written as a string, or undefined when it is not an IP. */
export function canonicalIp(text: string): string | undefined {
  const b = parseIp(text);
  return b ? formatIp(b) : undefined;
}

/** Ordering of two scalars of the same type family (numbers, keywords by UTF-8 bytes, ips by address). */
export function compareScalars(type: EsqlType, a: Scalar, b: Scalar): number {
  if (type === 'keyword') return compareUtf8(a as string, b as string);
  if (type === 'ip') return compareIp(parseIp(a as string)!, parseIp(b as string)!);
  if (type === 'boolean') return Number(a) - Number(b);
  return (a as number) - (b as number);
}

/** Java's Double.toString for the values ES|QL prints (TO_STRING of a double). */
export function javaDoubleString(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'Infinity' : '-Infinity';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const abs = Math.abs(x);
  if (abs >= 1e-3 && abs < 1e7) {
    const s = String(x);
    return s.includes('.') ? s : `${s}.0`;
  }
  const [mant, exp] = x.toExponential().split('e');
  return `${mant.includes('.') ? mant : `${mant}.0`}E${Number(exp)}`;
}

/** A datetime as ES|QL prints it (ISO 8601, UTC, milliseconds). */
export function formatDate(ms: number): string {
  return new Date(ms).toISOString();
}

/** The JSON form of a column value in an alert (datetimes as ISO text, durations as ms). */
export function toJson(x: Val): unknown {
  const one = (s: Scalar) => (x.type === 'datetime' ? formatDate(s as number) : s);
  if (x.v === null) return null;
  return Array.isArray(x.v) ? x.v.map(one) : one(x.v);
}
