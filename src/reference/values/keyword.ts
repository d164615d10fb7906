// keyword and constant_keyword: the value is one exact term. Equality is byte-exact and
// case-sensitive, wildcards are anchored `*` globs, ranges compare UTF-8 byte order.

import type { RangeOp, Value } from '../../kql/ast.js';
import { matchGlob } from '../../fields/glob.js';
import { numberText, type JsonLeaf } from '../json.js';

/**
 * The term a keyword field indexes for one JSON value: strings as is, numbers as their JSON text,
 * booleans as "true"/"false"; null and values longer than `ignoreAbove` UTF-16 code units are not
 * indexed (undefined). `ignoreAbove` null = no limit (constant_keyword).
 */
export function keywordTerm(leaf: JsonLeaf, ignoreAbove: number | null): string | undefined {
  let term: string;
  if (typeof leaf === 'string') term = leaf;
  else if (typeof leaf === 'boolean') term = leaf ? 'true' : 'false';
  else if (leaf === null) return undefined;
  else term = numberText(leaf);
  if (ignoreAbove !== null && term.length > ignoreAbove) return undefined;
  return term;
}

/** The term a query value stands for on a keyword field (the literal `true` is the string "true"). */
export function keywordQueryTerm(value: Value): string | undefined {
  if (value.type === 'string') return value.value;
  if (value.type === 'boolean') return value.value ? 'true' : 'false';
  return undefined;
}

/** Compare two strings in UTF-8 byte order (= code point order; not UTF-16 order). */
export function compareUtf8(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates (D800-DFFF) encode code points above FFFF, which sort after E000-FFFF in UTF-8.
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    if (xs === ys) return x - y;
    return xs ? (y >= 0xe000 ? 1 : x - y) : x >= 0xe000 ? -1 : x - y;
  }
  return a.length - b.length;
}

export function compareWith(op: RangeOp, cmp: number): boolean {
  switch (op) {
    case 'lt':
      return cmp < 0;
    case 'lte':
      return cmp <= 0;
    case 'gt':
      return cmp > 0;
    case 'gte':
      return cmp >= 0;
  }
}

export function keywordIs(terms: string[], value: Value): boolean {
  if (value.type === 'wildcard') return terms.some((t) => matchGlob(value.parts, t));
  const q = keywordQueryTerm(value);
  return q !== undefined && terms.includes(q);
}

export function keywordRange(terms: string[], op: RangeOp, literal: string): boolean {
  return terms.some((t) => compareWith(op, compareUtf8(t, literal)));
}
