// Traversal helpers over the KQL AST: a pre-order visitor that tracks the enclosing nested paths,
// and the list of fields a query references (for the compiler and unknown-field warnings).

import type { FieldRef, Node } from './ast.js';

export interface VisitContext {
  /** Paths of the enclosing `nested` nodes, outermost first (inner field names are relative to them). */
  nestedPath: FieldRef[];
  /** The node this one is a child of (null for the root). */
  parent: Node | null;
  /** 0 for the root. */
  depth: number;
}

/** Called before a node's children; return `'skip'` to leave them out. */
export type KqlVisitor = (node: Node, context: VisitContext) => void | 'skip';

/** The direct sub-queries of a node. */
export function childrenOf(node: Node): Node[] {
  switch (node.kind) {
    case 'and':
    case 'or':
      return node.children;
    case 'not':
      return [node.child];
    case 'nested':
      return [node.query];
    default:
      return [];
  }
}

/** Visit every node in pre-order (document order). */
export function visitKql(root: Node, visitor: KqlVisitor): void {
  const walk = (node: Node, context: VisitContext): void => {
    if (visitor(node, context) === 'skip') return;
    const nestedPath = node.kind === 'nested' ? [...context.nestedPath, node.path] : context.nestedPath;
    for (const child of childrenOf(node)) walk(child, { nestedPath, parent: node, depth: context.depth + 1 });
  };
  walk(root, { nestedPath: [], parent: null, depth: 0 });
}

/**
 * The absolute field for a name written inside `nested` queries: `path.field`. Patterns combine
 * part-wise (`a*:{b:1}` -> parts ['a', '.b']); the position stays that of the innermost name.
 */
export function joinFieldRef(nestedPath: FieldRef[], field: FieldRef): FieldRef {
  const all = [...nestedPath, field];
  const name = all.map((ref) => ref.name).join('.');
  if (all.every((ref) => ref.pattern === null)) return { name, pattern: null, pos: field.pos };
  const pattern: string[] = [];
  for (const ref of all) {
    const parts = ref.pattern ?? [ref.name];
    if (pattern.length === 0) pattern.push(...parts);
    else {
      pattern[pattern.length - 1] += `.${parts[0]}`;
      pattern.push(...parts.slice(1));
    }
  }
  return { name: pattern.join('*'), pattern, pos: field.pos };
}

/** Every field the query references (nested paths included), with full names, in document order. */
export function fieldsOf(root: Node): FieldRef[] {
  const fields: FieldRef[] = [];
  visitKql(root, (node, { nestedPath }) => {
    if (node.kind === 'nested') fields.push(joinFieldRef(nestedPath, node.path));
    else if (node.kind === 'range') fields.push(joinFieldRef(nestedPath, node.field));
    else if (node.kind === 'is' && node.field) fields.push(joinFieldRef(nestedPath, node.field));
  });
  return fields;
}
