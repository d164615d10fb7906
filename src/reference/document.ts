// Field paths in a JSON document, the way Elasticsearch indexes them:
//  - a dotted key at any level is the same as nesting: {"a.b":1} = {"a":{"b":1}}, and mixes such as
//    {"a":{"b.c":1}} or {"a.b":{"c":1}} all give the path a.b.c;
//  - arrays are transparent at any depth: [[1],[2]] holds 1 and 2; arrays of objects are flattened
//    (no per-element correlation; see `objectsAt` for `nested` queries, which keep elements apart).
// Matching a path against a key is a plain string rule, easy to mirror on raw bytes: with `rest`
// the part of the path still to match, a key k matches when k === rest (the path ends in k's value)
// or rest starts with k + "." (continue inside k's value with the remainder).
// Values come out in document order (object keys in the order JSON.parse keeps them, arrays in order).

import { isJsonLeaf, isJsonObject, type JsonLeaf } from './json.js';

/** Everything the path reaches, arrays flattened: leaves (incl. null) and objects, never arrays. */
export function nodesAt(doc: unknown, fieldPath: string): unknown[] {
  const out: unknown[] = [];
  if (isJsonObject(doc) || Array.isArray(doc)) collect(doc, fieldPath, out);
  return out;
}

function collect(value: unknown, rest: string | null, out: unknown[]): void {
  if (Array.isArray(value)) {
    for (const element of value) collect(element, rest, out);
    return;
  }
  if (rest === null) {
    if (value !== undefined) out.push(value);
    return;
  }
  if (!isJsonObject(value)) return;
  for (const key of Object.keys(value)) {
    if (key === rest) collect(value[key], null, out);
    else if (rest.startsWith(key + '.')) collect(value[key], rest.slice(key.length + 1), out);
  }
}

/** The scalar values at a path (null included: it is a value that is never indexed). */
export function valuesAt(doc: unknown, fieldPath: string): JsonLeaf[] {
  return nodesAt(doc, fieldPath).filter(isJsonLeaf);
}

/** The objects at a path: the elements a `nested` query ranges over. */
export function objectsAt(doc: unknown, fieldPath: string): Record<string, unknown>[] {
  return nodesAt(doc, fieldPath).filter(isJsonObject);
}

/**
 * The distinct full paths (keys joined with ".") that hold at least one non-null scalar, in order
 * of first appearance. These are "the document's fields" for field-less values and wildcard field
 * names. Arrays add no path segment.
 */
export function leafPaths(doc: unknown): string[] {
  const seen = new Set<string>();
  walkLeaves(doc, null, seen);
  return [...seen];
}

function walkLeaves(value: unknown, prefix: string | null, seen: Set<string>): void {
  if (Array.isArray(value)) {
    for (const element of value) walkLeaves(element, prefix, seen);
  } else if (isJsonObject(value)) {
    for (const key of Object.keys(value)) walkLeaves(value[key], prefix === null ? key : `${prefix}.${key}`, seen);
  } else if (value !== null && value !== undefined && prefix !== null) {
    seen.add(prefix);
  }
}
