// The reference evaluator: does a KQL AST match one document (the ECS view of a record)?
// Plain recursion over the AST; every leaf looks up the field's values (document.ts), the field's
// type (the field table) and applies that type's matching rules (values.ts). The decisions are
// written down in docs/semantics.md; the WebAssembly evaluator mirrors them.

import type { FieldRef, Node, Value } from '../kql/ast.js';
import type { FieldTable } from '../fields/table.js';
import { matchGlob } from '../fields/glob.js';
import { leafPaths, objectsAt, valuesAt } from './document.js';
import { existsIn, matchIs, matchRange, type MatchContext } from './values.js';

export interface EvalContext {
  fields: FieldTable;
  /** `now` for date math, in ms: the record's event time (never the wall clock). */
  now: number;
}

/** Where a (sub)query is evaluated: the whole document, or one element of a nested path. */
interface Scope {
  doc: Record<string, unknown>;
  /** Full path of `doc` inside the top document plus ".", or "" at the top: field types are looked up by full path. */
  prefix: string;
  ctx: EvalContext;
  match: MatchContext;
}

export function evaluate(query: Node, doc: Record<string, unknown>, ctx: EvalContext): boolean {
  return evalNode(query, { doc, prefix: '', ctx, match: { ignoreAbove: ctx.fields.ignoreAbove, now: ctx.now } });
}

function evalNode(node: Node, scope: Scope): boolean {
  switch (node.kind) {
    case 'all':
      return true;
    case 'and':
      return node.children.every((child) => evalNode(child, scope));
    case 'or':
      return node.children.some((child) => evalNode(child, scope));
    case 'not':
      return !evalNode(node.child, scope); // document-level: true when the field is missing
    case 'is':
      return evalIs(node.field, node.value, scope);
    case 'range':
      return fieldPathsFor(node.field, scope).some((p) =>
        matchRange(typeAt(p, scope), valuesAt(scope.doc, p), node.op, node.isNull ? null : node.value, scope.match),
      );
    case 'nested':
      return evalNested(node.path, node.query, scope);
  }
}

function typeAt(relativePath: string, scope: Scope) {
  return scope.ctx.fields.typeOf(scope.prefix + relativePath);
}

/** The document paths a field reference stands for: itself, or every leaf path matching its pattern. */
function fieldPathsFor(field: FieldRef, scope: Scope): string[] {
  if (field.pattern === null) return [field.name];
  const pattern = field.pattern;
  return leafPaths(scope.doc).filter((p) => matchGlob(pattern, p));
}

function evalIs(field: FieldRef | null, value: Value, scope: Scope): boolean {
  if (field === null) {
    // Field-less: `*` alone matches every document; any other value is tried on every field of
    // the document under that field's own type (type errors simply do not match).
    if (value.type === 'exists') return true;
    return leafPaths(scope.doc).some((p) => matchIs(typeAt(p, scope), valuesAt(scope.doc, p), value, scope.match));
  }
  if (field.pattern !== null && value.type === 'exists' && field.pattern.every((part) => part === '')) {
    return true; // `*:*` is Kibana's match_all
  }
  if (value.type === 'exists' && field.pattern === null) return existsAt(field.name, scope);
  return fieldPathsFor(field, scope).some((p) => matchIs(typeAt(p, scope), valuesAt(scope.doc, p), value, scope.match));
}

/**
 * `f:*` on a named field: an indexed scalar at f, or an indexed scalar at any leaf path below f
 * (`f.` + anything; Elasticsearch's exists on an object field checks its sub-fields). Leaf paths
 * are used rather than the objects at f so that `{"f.g": 1}` counts as an object f too.
 */
function existsAt(fieldPath: string, scope: Scope): boolean {
  if (existsIn(typeAt(fieldPath, scope), valuesAt(scope.doc, fieldPath), scope.match)) return true;
  const below = `${fieldPath}.`;
  return leafPaths(scope.doc).some((p) => p.startsWith(below) && existsIn(typeAt(p, scope), valuesAt(scope.doc, p), scope.match));
}

/** `path:{q}`: q holds on one element (object) at path; inner names are relative to the element. */
function evalNested(path: FieldRef, query: Node, scope: Scope): boolean {
  if (path.pattern !== null) return false; // a nested path must be one field, not a pattern
  return objectsAt(scope.doc, path.name).some((element) =>
    evalNode(query, { ...scope, doc: element, prefix: `${scope.prefix}${path.name}.` }),
  );
}
