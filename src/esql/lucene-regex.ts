// Lucene RegExp syntax as ES|QL RLIKE reads it (all syntax flags on: Lucene 9+, `RegExp.ALL`):
//   union `a|b` (lowest), intersection `a&b`, concatenation, repetition `* + ? {n} {n,} {n,m}`,
//   complement `~a`, classes `[...]` `[^...]` with ranges, `.` (any code point, newline included),
//   `#` (the empty language), `@` (any string), `"..."` (a literal string), `()` (the empty string),
//   `<n-m>` (decimal numbers from n to m), `\d \D \s \S \w \W` (Lucene 9 shorthand classes) and `\x`
//   = the literal x for any other x. A character in a place where no operator fits is itself (so
//   `a&|b` is `a` intersected with the string `|b`), exactly as Lucene's recursive-descent parser does.
// The tree is matched against the WHOLE string. It is shared by the reference matcher
// (src/reference/esql-regex.ts) and the automaton compiler.

/** Inclusive code point ranges, sorted and disjoint. */
export type CharSet = [number, number][];

export type Regex =
  | { kind: 'set'; set: CharSet }
  | { kind: 'string'; text: string }
  | { kind: 'empty' }
  | { kind: 'anystring' }
  | { kind: 'concat' | 'union' | 'inter'; left: Regex; right: Regex }
  | { kind: 'repeat'; child: Regex; min: number; max: number /** -1 = unbounded */ }
  | { kind: 'complement'; child: Regex }
  | { kind: 'interval'; min: number; max: number; digits: number };

export class LuceneRegexError extends Error {
  constructor(
    readonly reason: string,
    readonly offset: number,
  ) {
    super(`${reason} at position ${offset}`);
  }
}

export const MAX_CODE_POINT = 0x10ffff;

export function normalizeSet(ranges: CharSet): CharSet {
  const sorted = ranges.filter(([a, b]) => a <= b).sort((x, y) => x[0] - y[0]);
  const out: CharSet = [];
  for (const [a, b] of sorted) {
    const last = out[out.length - 1];
    if (last && a <= last[1] + 1) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

export function negateSet(set: CharSet): CharSet {
  const out: CharSet = [];
  let next = 0;
  for (const [a, b] of normalizeSet(set)) {
    if (a > next) out.push([next, a - 1]);
    next = b + 1;
  }
  if (next <= MAX_CODE_POINT) out.push([next, MAX_CODE_POINT]);
  return out;
}

const DIGIT: CharSet = [[0x30, 0x39]];
// Lucene 9's \s: [ \t\n\r\f\u000B]; \w: [a-zA-Z0-9_].
const SPACE: CharSet = normalizeSet([[0x20, 0x20], [0x09, 0x0d]]);
const WORD: CharSet = normalizeSet([[0x30, 0x39], [0x41, 0x5a], [0x5f, 0x5f], [0x61, 0x7a]]);
const PREDEFINED: Record<string, CharSet> = { d: DIGIT, D: negateSet(DIGIT), s: SPACE, S: negateSet(SPACE), w: WORD, W: negateSet(WORD) };

export function parseLuceneRegex(pattern: string): Regex {
  const cps = Array.from(pattern).map((c) => c.codePointAt(0)!);
  let pos = 0;
  const more = () => pos < cps.length;
  const peekIs = (chars: string) => more() && chars.includes(String.fromCodePoint(cps[pos]));
  const match = (c: string) => {
    if (more() && cps[pos] === c.codePointAt(0)) {
      pos++;
      return true;
    }
    return false;
  };
  const next = (): number => {
    if (!more()) throw new LuceneRegexError('unexpected end of the regular expression', pos);
    return cps[pos++];
  };
  const predefined = (): CharSet | undefined => {
    if (cps[pos] === 0x5c && pos + 1 < cps.length) {
      const set = PREDEFINED[String.fromCodePoint(cps[pos + 1])];
      if (set) {
        pos += 2;
        return set;
      }
    }
    return undefined;
  };
  const charExp = (): number => {
    match('\\');
    return next();
  };
  const union = (): Regex => {
    let e = inter();
    if (match('|')) e = { kind: 'union', left: e, right: union() };
    return e;
  };
  const inter = (): Regex => {
    let e = concat();
    if (match('&')) e = { kind: 'inter', left: e, right: inter() };
    return e;
  };
  const concat = (): Regex => {
    let e = repeat();
    if (more() && !peekIs(')|') && !peekIs('&')) e = { kind: 'concat', left: e, right: concat() };
    return e;
  };
  const repeat = (): Regex => {
    let e = compl();
    while (peekIs('?*+{')) {
      if (match('?')) e = { kind: 'repeat', child: e, min: 0, max: 1 };
      else if (match('*')) e = { kind: 'repeat', child: e, min: 0, max: -1 };
      else if (match('+')) e = { kind: 'repeat', child: e, min: 1, max: -1 };
      else if (match('{')) {
        const start = pos;
        while (peekIs('0123456789')) pos++;
        if (start === pos) throw new LuceneRegexError('integer expected', pos);
        const n = Number(String.fromCodePoint(...cps.slice(start, pos)));
        let m = n;
        if (match(',')) {
          const s2 = pos;
          while (peekIs('0123456789')) pos++;
          m = s2 === pos ? -1 : Number(String.fromCodePoint(...cps.slice(s2, pos)));
        }
        if (!match('}')) throw new LuceneRegexError("expected '}'", pos);
        if (m !== -1 && m < n) throw new LuceneRegexError('repeat maximum below minimum', pos);
        e = { kind: 'repeat', child: e, min: n, max: m };
      }
    }
    return e;
  };
  const compl = (): Regex => {
    if (match('~')) return { kind: 'complement', child: compl() };
    return charClassExp();
  };
  const charClassExp = (): Regex => {
    if (match('[')) {
      const negate = match('^');
      let set: CharSet = [];
      // As Lucene: classes until ']', at least one (`[]]` is the class of `]`); `a-` always takes the next character as the range end.
      do {
        const p = predefined();
        if (p) {
          set.push(...p);
          continue;
        }
        const c = charExp();
        if (match('-')) {
          const d = charExp();
          if (d < c) throw new LuceneRegexError('invalid character class range', pos);
          set.push([c, d]);
        } else set.push([c, c]);
      } while (more() && !peekIs(']'));
      if (!match(']')) throw new LuceneRegexError("expected ']'", pos);
      set = normalizeSet(set);
      return { kind: 'set', set: negate ? negateSet(set) : set };
    }
    return simple();
  };
  const simple = (): Regex => {
    if (match('.')) return { kind: 'set', set: [[0, MAX_CODE_POINT]] };
    if (match('#')) return { kind: 'set', set: [] };
    if (match('@')) return { kind: 'anystring' };
    if (match('"')) {
      const start = pos;
      while (more() && !peekIs('"')) pos++;
      if (!match('"')) throw new LuceneRegexError("expected '\"'", pos);
      return { kind: 'string', text: String.fromCodePoint(...cps.slice(start, pos - 1)) };
    }
    if (match('(')) {
      if (match(')')) return { kind: 'empty' };
      const e = union();
      if (!match(')')) throw new LuceneRegexError("expected ')'", pos);
      return e;
    }
    if (match('<')) {
      const start = pos;
      while (more() && !peekIs('>')) pos++;
      if (!match('>')) throw new LuceneRegexError("expected '>'", pos);
      const body = String.fromCodePoint(...cps.slice(start, pos - 1));
      const m = /^(\d+)-(\d+)$/.exec(body);
      if (!m) throw new LuceneRegexError(`named automata <${body}> are not available`, start);
      let [lo, hi] = [Number(m[1]), Number(m[2])];
      if (!Number.isSafeInteger(lo) || !Number.isSafeInteger(hi)) throw new LuceneRegexError('interval bound too large', start);
      if (lo > hi) [lo, hi] = [hi, lo];
      // Lucene pads to the width of the bounds when they are written with the same number of digits.
      const digits = m[1].length === m[2].length ? m[1].length : 0;
      return { kind: 'interval', min: lo, max: hi, digits };
    }
    const p = predefined();
    if (p) return { kind: 'set', set: p };
    const c = charExp();
    return { kind: 'set', set: [[c, c]] };
  };
  const e = union();
  if (more()) throw new LuceneRegexError('end of the regular expression expected', pos);
  return e;
}
