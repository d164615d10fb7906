// boolean fields: documents hold true/false or the strings "true", "false" and "" (= false);
// anything else is not indexed. Query literals: the words true/false or those three strings.
// Ranges order false before true.

import type { RangeOp, Value } from '../../kql/ast.js';
import type { JsonLeaf } from '../json.js';
import { compareWith } from './keyword.js';

function fromText(text: string): boolean | undefined {
  if (text === 'true') return true;
  if (text === 'false' || text === '') return false;
  return undefined;
}

export function booleanDocValue(leaf: JsonLeaf): boolean | undefined {
  if (typeof leaf === 'boolean') return leaf;
  if (typeof leaf === 'string') return fromText(leaf);
  return undefined;
}

export function booleanQueryValue(value: Value): boolean | undefined {
  if (value.type === 'boolean') return value.value;
  if (value.type === 'string') return fromText(value.value);
  return undefined;
}

export function booleanIs(docValues: boolean[], value: Value): boolean {
  const q = booleanQueryValue(value);
  return q !== undefined && docValues.includes(q);
}

export function booleanRange(docValues: boolean[], op: RangeOp, literal: string): boolean {
  const bound = fromText(literal);
  if (bound === undefined) return false;
  return docValues.some((d) => compareWith(op, Number(d) - Number(bound)));
}
