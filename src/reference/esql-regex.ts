// The reference matcher for ES|QL RLIKE (Lucene regular expressions on the whole string): the set
// of end positions each sub-expression can reach from a start position, computed straight from the
// definitions (union = union of sets, intersection = intersection, complement = every other end,
// repetition = iterated concatenation). No automaton, no backtracking: independent of the compiler.
import { parseLuceneRegex, type Regex } from '../esql/lucene-regex.js';

const parsed = new Map<string, Regex>();

export function luceneRegexWholeMatch(pattern: string, text: string): boolean {
  let re = parsed.get(pattern);
  if (!re) {
    re = parseLuceneRegex(pattern);
    parsed.set(pattern, re);
  }
  const cps = Array.from(text).map((c) => c.codePointAt(0)!);
  const memo = new Map<Regex, Map<number, Set<number>>>();
  const ends = (r: Regex, start: number): Set<number> => {
    let byStart = memo.get(r);
    if (!byStart) memo.set(r, (byStart = new Map()));
    const hit = byStart.get(start);
    if (hit) return hit;
    const out = compute(r, start);
    byStart.set(start, out);
    return out;
  };
  const all = (start: number): Set<number> => {
    const s = new Set<number>();
    for (let e = start; e <= cps.length; e++) s.add(e);
    return s;
  };
  const compute = (r: Regex, start: number): Set<number> => {
    switch (r.kind) {
      case 'set': {
        const c = cps[start];
        return c !== undefined && r.set.some(([a, b]) => c >= a && c <= b) ? new Set([start + 1]) : new Set();
      }
      case 'string': {
        const t = Array.from(r.text).map((c) => c.codePointAt(0)!);
        return t.every((c, i) => cps[start + i] === c) && start + t.length <= cps.length ? new Set([start + t.length]) : new Set();
      }
      case 'empty':
        return new Set([start]);
      case 'anystring':
        return all(start);
      case 'concat': {
        const out = new Set<number>();
        for (const m of ends(r.left, start)) for (const e of ends(r.right, m)) out.add(e);
        return out;
      }
      case 'union':
        return new Set([...ends(r.left, start), ...ends(r.right, start)]);
      case 'inter': {
        const right = ends(r.right, start);
        return new Set([...ends(r.left, start)].filter((e) => right.has(e)));
      }
      case 'complement': {
        const inner = ends(r.child, start);
        return new Set([...all(start)].filter((e) => !inner.has(e)));
      }
      case 'repeat': {
        // Exactly `min` steps, then (bounded) up to max - min more, or (unbounded) the closure over positions.
        let frontier = new Set([start]);
        for (let k = 0; k < r.min; k++) {
          const next = new Set<number>();
          for (const s of frontier) for (const e of ends(r.child, s)) next.add(e);
          frontier = next;
        }
        const out = new Set(frontier);
        let todo = [...frontier];
        for (let k = 0; todo.length > 0 && (r.max === -1 || k < r.max - r.min); k++) {
          const next: number[] = [];
          // A position first reached in the fewest steps reaches everything later occurrences would.
          for (const s of todo) for (const e of ends(r.child, s)) if (!out.has(e)) {
            next.push(e);
            out.add(e);
          }
          todo = next;
        }
        return out;
      }
      case 'interval': {
        const out = new Set<number>();
        for (let e = start + 1; e <= cps.length; e++) {
          const digits = cps.slice(start, e);
          if (!digits.every((c) => c >= 0x30 && c <= 0x39)) break;
          if (r.digits > 0 && digits.length !== r.digits) continue;
          const value = BigInt(String.fromCodePoint(...digits));
          if (value >= BigInt(r.min) && value <= BigInt(r.max)) out.add(e);
        }
        return out;
      }
    }
  };
  return ends(re, 0).has(cps.length);
}
