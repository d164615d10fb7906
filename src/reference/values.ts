// One place that maps a field type to its matching rules (values/*.ts). Every function takes the
// JSON values found at one field path and answers for "any value" (arrays: any element holds).
// A query value that cannot be coerced to the field's type matches nothing.

import type { RangeOp, Value } from '../kql/ast.js';
import type { FieldType } from '../fields/types.js';
import type { JsonLeaf } from './json.js';
import { keywordIs, keywordRange, keywordTerm } from './values/keyword.js';
import { textIs, textRange, textSource } from './values/text.js';
import { analyze } from './values/analyzer.js';
import { NUMERIC_TYPES, numericDocValue, numericIs, numericRange, type NumericType } from './values/numeric.js';
import { booleanDocValue, booleanIs, booleanRange } from './values/boolean.js';
import { dateDocValue, dateIs, dateRange } from './values/date.js';
import { ipDocValue, ipIs, ipRange } from './values/ip.js';

export interface MatchContext {
  /** keyword ignore_above (UTF-16 code units). */
  ignoreAbove: number;
  /** `now` for date math: the record's event time (ms). */
  now: number;
}

/** How a field type matches: keyword-like, text, numeric, boolean, date, ip. */
export type MatchKind = 'keyword' | 'constant_keyword' | 'text' | 'numeric' | 'boolean' | 'date' | 'ip';

/** `object` and `nested` only describe containers; a scalar found at such a path is a keyword. */
export function matchKindOf(type: FieldType): MatchKind {
  if ((NUMERIC_TYPES as readonly string[]).includes(type)) return 'numeric';
  if (type === 'object' || type === 'nested') return 'keyword';
  return type as MatchKind;
}

function defined<T>(values: (T | undefined)[]): T[] {
  return values.filter((v): v is T => v !== undefined);
}

/** The indexed form of each value (values that are not indexed are dropped). */
function indexed(type: FieldType, leaves: JsonLeaf[], ctx: MatchContext): unknown[] {
  switch (matchKindOf(type)) {
    case 'keyword':
      return defined(leaves.map((l) => keywordTerm(l, ctx.ignoreAbove)));
    case 'constant_keyword':
      return defined(leaves.map((l) => keywordTerm(l, null)));
    case 'text':
      return defined(leaves.map(textSource)).map(analyze);
    case 'numeric':
      return defined(leaves.map((l) => numericDocValue(type as NumericType, l)));
    case 'boolean':
      return defined(leaves.map(booleanDocValue));
    case 'date':
      return defined(leaves.map(dateDocValue));
    case 'ip':
      return defined(leaves.map(ipDocValue));
  }
}

/** `f:*` on scalar values: at least one value is indexed (a text value counts even with no tokens). */
export function existsIn(type: FieldType, leaves: JsonLeaf[], ctx: MatchContext): boolean {
  return indexed(type, leaves, ctx).length > 0;
}

/** `f:value` (not the exists value). */
export function matchIs(type: FieldType, leaves: JsonLeaf[], value: Value, ctx: MatchContext): boolean {
  if (value.type === 'exists') return existsIn(type, leaves, ctx);
  if (value.type === 'null') return false;
  const kind = matchKindOf(type);
  const values = indexed(type, leaves, ctx);
  if (values.length === 0) return false;
  switch (kind) {
    case 'keyword':
    case 'constant_keyword':
      return keywordIs(values as string[], value);
    case 'text':
      return textIs(values as string[][], value);
    case 'numeric':
      return value.type !== 'wildcard' && numericIs(type as NumericType, values as number[], value);
    case 'boolean':
      return value.type !== 'wildcard' && booleanIs(values as boolean[], value);
    case 'date':
      return value.type !== 'wildcard' && dateIs(values as number[], value, ctx.now);
    case 'ip':
      return value.type !== 'wildcard' && ipIs(values as Uint8Array[], value);
  }
}

/**
 * `f < literal` and friends. A null literal (the unquoted word `null`: Kibana sends a JSON null
 * bound, which Elasticsearch reads as "no bound") matches any indexed value (text: any token).
 */
export function matchRange(type: FieldType, leaves: JsonLeaf[], op: RangeOp, literal: string | null, ctx: MatchContext): boolean {
  const values = indexed(type, leaves, ctx);
  if (values.length === 0) return false;
  if (literal === null) return matchKindOf(type) === 'text' ? (values as string[][]).some((tokens) => tokens.length > 0) : true;
  switch (matchKindOf(type)) {
    case 'keyword':
    case 'constant_keyword':
      return keywordRange(values as string[], op, literal);
    case 'text':
      return textRange(values as string[][], op, literal);
    case 'numeric':
      return numericRange(type as NumericType, values as number[], op, literal);
    case 'boolean':
      return booleanRange(values as boolean[], op, literal);
    case 'date':
      return dateRange(values as number[], op, literal, ctx.now);
    case 'ip':
      return ipRange(values as Uint8Array[], op, literal);
  }
}
