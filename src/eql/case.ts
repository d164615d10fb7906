// Case-insensitive matching as Elasticsearch's `case_insensitive` term and wildcard queries do it
// (the `:` operator and the `~` forms): a query character c accepts c itself, its lower-case and its
// upper-case form (one code point each; a mapping to several code points, such as ß -> SS, is not
// used). Shared by the reference evaluator and the compiler, which uses it to tell when a
// case-insensitive comparison is the same as a case-sensitive one.

/** The code points a query code point accepts in a case-insensitive match. */
export function caseVariants(cp: number): number[] {
  const ch = String.fromCodePoint(cp);
  const out = [cp];
  for (const mapped of [ch.toLowerCase(), ch.toUpperCase()]) {
    const points = [...mapped];
    if (points.length === 1) {
      const m = points[0].codePointAt(0)!;
      if (!out.includes(m)) out.push(m);
    }
  }
  return out;
}

/** Does the text have no character whose case-insensitive match differs from an exact one? */
export function isCaseless(text: string): boolean {
  for (const ch of text) if (caseVariants(ch.codePointAt(0)!).length > 1) return false;
  return true;
}

/** Does `doc` equal `query` ignoring case (per code point, as above)? */
export function equalsIgnoreCase(doc: string, query: string): boolean {
  const d = [...doc];
  const q = [...query];
  if (d.length !== q.length) return false;
  return q.every((c, i) => caseVariants(c.codePointAt(0)!).includes(d[i].codePointAt(0)!));
}

/**
 * EQL wildcard match (`like`, `like~`, `:` with a pattern): `*` any sequence of characters (also
 * none), `?` exactly one character (code point); anchored at both ends; no escapes.
 */
export function wildcardMatch(text: string, pattern: string, insensitive: boolean): boolean {
  const t = [...text].map((c) => c.codePointAt(0)!);
  const p = [...pattern].map((c) => c.codePointAt(0)!);
  const STAR = 0x2a;
  const QMARK = 0x3f;
  const same = (a: number, q: number): boolean => (insensitive ? caseVariants(q).includes(a) : a === q);
  // Greedy with one backtrack point (the last star): linear in practice, exact for `*` and `?`.
  let ti = 0;
  let pi = 0;
  let starP = -1;
  let starT = 0;
  while (ti < t.length) {
    if (pi < p.length && (p[pi] === QMARK || (p[pi] !== STAR && same(t[ti], p[pi])))) {
      ti++;
      pi++;
    } else if (pi < p.length && p[pi] === STAR) {
      starP = pi++;
      starT = ti;
    } else if (starP >= 0) {
      pi = starP + 1;
      ti = ++starT;
    } else return false;
  }
  while (pi < p.length && p[pi] === STAR) pi++;
  return pi === p.length;
}
