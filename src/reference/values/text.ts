// text fields: analysed with the standard analyzer (analyzer.ts). An unquoted value matches when
// any of its tokens is a token of the field (`match`, operator OR); a quoted value must appear as
// consecutive tokens within one value (`match_phrase`; array elements are 100 positions apart, so
// a phrase never spans two elements); a wildcard is lower-cased and must match one whole token.

import type { RangeOp, Value } from '../../kql/ast.js';
import { matchGlob } from '../../fields/glob.js';
import { numberText, type JsonLeaf } from '../json.js';
import { analyze, lowerCaseCodePoints } from './analyzer.js';
import { compareUtf8, compareWith } from './keyword.js';

/** The string a text field analyses for one JSON value (null: nothing). */
export function textSource(leaf: JsonLeaf): string | undefined {
  if (typeof leaf === 'string') return leaf;
  if (typeof leaf === 'boolean') return leaf ? 'true' : 'false';
  if (leaf === null) return undefined;
  return numberText(leaf);
}

function containsPhrase(tokens: string[], phrase: string[]): boolean {
  outer: for (let i = 0; i + phrase.length <= tokens.length; i++) {
    for (let j = 0; j < phrase.length; j++) if (tokens[i + j] !== phrase[j]) continue outer;
    return true;
  }
  return false;
}

/** `values`: the analysed token lists, one per indexed value. */
export function textIs(values: string[][], value: Value): boolean {
  if (value.type === 'wildcard') {
    const parts = value.parts.map(lowerCaseCodePoints);
    return values.some((tokens) => tokens.some((t) => matchGlob(parts, t)));
  }
  let queryText: string;
  if (value.type === 'string') queryText = value.value;
  else if (value.type === 'boolean') queryText = value.value ? 'true' : 'false';
  else return false;
  const queryTokens = analyze(queryText);
  if (queryTokens.length === 0) return false; // a match query without terms matches nothing
  if (value.type === 'string' && value.quoted) return values.some((tokens) => containsPhrase(tokens, queryTokens));
  return values.some((tokens) => tokens.some((t) => queryTokens.includes(t)));
}

/** A range on a text field compares its indexed tokens with the literal as written. */
export function textRange(values: string[][], op: RangeOp, literal: string): boolean {
  return values.some((tokens) => tokens.some((t) => compareWith(op, compareUtf8(t, literal))));
}
