// Required literals of a rule: groups such that every matching record contains one literal of each
// group in its raw bytes (docs/semantics.md, "Prefilter"). and = the union of its children's groups;
// or = one group taking a group from each child; not = nothing required.
import type { Node } from '../kql/ast.js';
import { Op } from './format.js';
import type { LeafIR } from './ir.js';

/** Most groups kept per rule: each costs one search per record. */
const MAX_GROUPS = 3;
/** Shortest literal worth a search. */
const MIN_LITERAL = 3;
/** Values so common in audit events that a search for them rejects little. */
const COMMON = new Set(['allow', 'get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'ResponseComplete', 'RequestResponse', 'Metadata', 'Request', 'system:', 'kubernetes', 'kube-system']);

type Groups = string[][];

/** Values a JSON number or true/false/null could also spell (a keyword field indexes those as text). */
const NOT_A_STRING_ONLY = /^(-?[0-9]|true|false|null)/;

/** Can `lit` be found verbatim in JSON text that holds it in a string? (Quotes, backslashes and control characters would be escaped; a leading quote is ours.) */
function searchable(lit: string): boolean {
  const body = lit.startsWith('"') ? lit.slice(1) : lit;
  return body.length >= MIN_LITERAL && !/["\\\u0000-\u001f]/.test(body);
}

/** Literals a leaf's value must contain, longest first. */
export function leafLiterals(leaf: LeafIR, verbatim: boolean): string[] {
  if (!verbatim) return [];
  const dec = new TextDecoder();
  let lits: string[] = [];
  if (leaf.op === Op.KwEq || leaf.op === Op.KwPrefix) {
    // The value starts the JSON string, so its opening quote comes first: `"secrets` occurs in `"secrets"`
    // and in an embedded `\"secrets\"` alike. Not for values a number or literal could also spell.
    const v = dec.decode(leaf.data);
    lits = [NOT_A_STRING_ONLY.test(v) ? v : '"' + v];
  } else if (leaf.op === Op.KwSuffix || leaf.op === Op.KwContains) lits = [dec.decode(leaf.data)];
  else if (leaf.op === Op.KwGlob) {
    const v = new DataView(leaf.data.buffer, leaf.data.byteOffset, leaf.data.byteLength);
    for (let at = 0; at + 4 <= leaf.data.length; ) {
      const n = v.getUint32(at, true);
      lits.push(dec.decode(leaf.data.subarray(at + 4, at + 4 + n)));
      at += 4 + n;
    }
  }
  return lits.filter(searchable).sort((a, b) => b.length - a.length);
}

function score(group: string[]): number {
  // A group is as weak as its shortest literal; common words and many alternatives weaken it.
  const shortest = Math.min(...group.map((l) => (COMMON.has(l) ? 1 : l.length)));
  return shortest * 10 - group.length;
}

/** How strongly a rule's groups reject records (0: no prefilter, every record is a candidate). */
export function prefilterStrength(groups: Groups): number {
  return groups.length === 0 ? 0 : Math.max(...groups.map(score));
}

function best(groups: Groups): string[] | undefined {
  return [...groups].sort((a, b) => score(b) - score(a))[0];
}

/**
 * Required literal groups of a query. `leafOf` gives the compiled leaf of an is-node (undefined for
 * leaves that cannot require a literal) and whether its field's value is verbatim in the record.
 */
export function requiredLiterals(node: Node, leafLits: (n: Node) => string[]): Groups {
  const groups = collect(node, leafLits);
  const unique = new Map(groups.map((g) => [[...new Set(g)].sort().join('\u0000'), [...new Set(g)]]));
  return [...unique.values()].sort((a, b) => score(b) - score(a)).slice(0, MAX_GROUPS);
}

function collect(node: Node, leafLits: (n: Node) => string[]): Groups {
  switch (node.kind) {
    case 'and':
      return node.children.flatMap((c) => collect(c, leafLits));
    case 'or': {
      const picks: string[] = [];
      for (const c of node.children) {
        const g = best(collect(c, leafLits));
        if (!g) return [];
        picks.push(...g);
      }
      return [picks];
    }
    case 'is': {
      const lits = leafLits(node);
      return lits.length ? [[lits[0]]] : [];
    }
    case 'nested':
      return collect(node.query, leafLits);
    default:
      return [];
  }
}
