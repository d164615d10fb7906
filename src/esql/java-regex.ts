// The subset of Java regular expressions kql-edge accepts in REPLACE (and GROK's Oniguruma patterns):
// literal characters, `\` + punctuation (the literal), `\t \n \r \f`, `\d \D \s \S \w \W` (ASCII, as
// Java's defaults), `.` (any character but a line terminator), classes `[...]`/`[^...]` with ranges,
// groups `(...)` `(?:...)` `(?<name>...)`, alternation, and the quantifiers `* + ? {n} {n,} {n,m}`,
// greedy or lazy (`?` suffix). Anything else (anchors, back-references, look-around, possessive
// quantifiers, inline flags, \p{..}, \Q..\E, class intersections) is reported: the rule is skipped.
// `toJsRegexSource` gives the same language in JavaScript syntax for the reference evaluator.

export class JavaRegexError extends Error {
  constructor(
    readonly reason: string,
    readonly offset: number,
  ) {
    super(`${reason} at position ${offset}`);
  }
}

/** What `.` excludes: Java's line terminators (Oniguruma, used by GROK, excludes only \n). */
export type DotMode = 'java' | 'oniguruma';

const JAVA_DOT = '[^\\n\\r\\u0085\\u2028\\u2029]';
const ONIG_DOT = '[^\\n]';
const SHORTHAND: Record<string, string> = { d: '[0-9]', D: '[^0-9]', s: '[ \\t\\n\\x0B\\f\\r]', S: '[^ \\t\\n\\x0B\\f\\r]', w: '[a-zA-Z0-9_]', W: '[^a-zA-Z0-9_]' };
const CLASS_SHORTHAND: Record<string, string> = { d: '0-9', s: ' \\t\\n\\x0B\\f\\r', w: 'a-zA-Z0-9_' };
const CONTROL: Record<string, string> = { t: '\\t', n: '\\n', r: '\\r', f: '\\f' };

/** Validates `pattern` against the subset and returns it in JavaScript syntax (for a `u`-flag RegExp). */
export function toJsRegexSource(pattern: string, dot: DotMode = 'java'): { source: string; groups: string[] } {
  let out = '';
  const groups: string[] = [];
  const cps = Array.from(pattern);
  let i = 0;
  let depth = 0;
  const fail = (reason: string): never => {
    throw new JavaRegexError(reason, i);
  };
  const escapeLiteral = (c: string): string => (/[\\^$.|?*+()[\]{}\/-]/.test(c) ? `\\${c}` : c);
  let canQuantify = false;
  while (i < cps.length) {
    const c = cps[i];
    if (c === '\\') {
      const n = cps[i + 1];
      if (n === undefined) fail('a regular expression may not end with \\');
      if (SHORTHAND[n]) out += SHORTHAND[n];
      else if (CONTROL[n]) out += CONTROL[n];
      else if (/[A-Za-z0-9]/.test(n)) fail(`the escape \\${n} is not supported`);
      else out += escapeLiteral(n);
      i += 2;
      canQuantify = true;
      continue;
    }
    if (c === '[') {
      let j = i + 1;
      let cls = '[';
      if (cps[j] === '^') {
        cls += '^';
        j++;
      }
      let first = true;
      while (true) {
        const d = cps[j];
        if (d === undefined) fail('unterminated character class');
        if (d === ']' && !first) break;
        if (d === '[') fail('nested character classes are not supported');
        if (d === '&' && cps[j + 1] === '&') fail('character class intersection (&&) is not supported');
        if (d === '\\') {
          const n = cps[j + 1];
          if (n === undefined) fail('unterminated character class');
          if (CLASS_SHORTHAND[n]) cls += CLASS_SHORTHAND[n];
          else if (CONTROL[n]) cls += CONTROL[n];
          else if (/[A-Za-z0-9]/.test(n)) fail(`the escape \\${n} is not supported`);
          else cls += `\\${n}`;
          j += 2;
        } else {
          cls += d === '-' || d === ']' || d === '^' ? (d === '-' && cps[j + 1] !== ']' && !first ? '-' : `\\${d}`) : d;
          j++;
        }
        first = false;
      }
      out += `${cls}]`;
      i = j + 1;
      canQuantify = true;
      continue;
    }
    if (c === '(') {
      if (cps[i + 1] === '?') {
        if (cps[i + 2] === ':') {
          out += '(?:';
          i += 3;
        } else if (cps[i + 2] === '<' && /[A-Za-z]/.test(cps[i + 3] ?? '')) {
          let j = i + 3;
          let name = '';
          while (/[A-Za-z0-9_]/.test(cps[j] ?? '')) name += cps[j++];
          if (cps[j] !== '>') fail('bad group name');
          groups.push(name);
          out += `(?<g${groups.length - 1}>`;
          i = j + 1;
        } else fail('look-around, atomic groups and inline flags are not supported');
      } else {
        groups.push('');
        out += `(?<g${groups.length - 1}>`;
        i++;
      }
      depth++;
      canQuantify = false;
      continue;
    }
    if (c === ')') {
      if (depth === 0) fail('unbalanced )');
      depth--;
      out += ')';
      i++;
      canQuantify = true;
      continue;
    }
    if (c === '|') {
      out += '|';
      i++;
      canQuantify = false;
      continue;
    }
    if (c === '*' || c === '+' || c === '?' || c === '{') {
      if (!canQuantify) fail(`nothing to repeat before ${c}`);
      let q = c;
      i++;
      if (c === '{') {
        let j = i;
        while (cps[j] !== undefined && cps[j] !== '}') j++;
        const body = cps.slice(i, j).join('');
        if (cps[j] !== '}' || !/^\d+(,\d*)?$/.test(body)) fail('bad repetition {..}');
        q = `{${body}}`;
        i = j + 1;
      }
      if (cps[i] === '+') fail('possessive quantifiers are not supported');
      if (cps[i] === '?') {
        q += '?';
        i++;
      }
      out += q;
      canQuantify = false;
      continue;
    }
    if (c === '^' || c === '$') fail(`the anchor ${c} is not supported`);
    if (c === '.') out += dot === 'java' ? JAVA_DOT : ONIG_DOT;
    else out += escapeLiteral(c);
    i++;
    canQuantify = true;
  }
  if (depth !== 0) fail('unbalanced (');
  return { source: out, groups };
}

/** The parsed form of a pattern of the subset (for the module's automata). */
export type JavaRegex =
  | { kind: 'set'; set: [number, number][] }
  | { kind: 'concat' | 'alt'; items: JavaRegex[] }
  | { kind: 'repeat'; child: JavaRegex; min: number; max: number /** -1 = unbounded */; greedy: boolean }
  /** A group: `index` is its capture number (1-based, by opening parenthesis), 0 for (?:...). */
  | { kind: 'group'; child: JavaRegex; index: number; name: string };

const MAX_CP = 0x10ffff;
const DOT_EXCLUDES: Record<DotMode, number[]> = { java: [0x0a, 0x0d, 0x85, 0x2028, 0x2029], oniguruma: [0x0a] };
const SET_SHORTHAND: Record<string, [number, number][]> = {
  d: [[0x30, 0x39]],
  s: [[0x09, 0x0d], [0x20, 0x20]],
  w: [[0x30, 0x39], [0x41, 0x5a], [0x5f, 0x5f], [0x61, 0x7a]],
};
const CONTROL_CP: Record<string, number> = { t: 9, n: 10, r: 13, f: 12 };

function complementSet(set: [number, number][]): [number, number][] {
  const sorted = [...set].sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  let next = 0;
  for (const [a, b] of sorted) {
    if (a > next) out.push([next, a - 1]);
    next = Math.max(next, b + 1);
  }
  if (next <= MAX_CP) out.push([next, MAX_CP]);
  return out;
}

/** Parses a pattern of the subset (the same one toJsRegexSource accepts). */
export function parseJavaRegex(pattern: string, dot: DotMode = 'java'): JavaRegex {
  toJsRegexSource(pattern, dot); // the subset's checks and messages
  const cps = Array.from(pattern);
  let i = 0;
  let groups = 0;
  const shorthand = (n: string): [number, number][] | undefined => {
    const lower = n.toLowerCase();
    const set = SET_SHORTHAND[lower];
    if (!set) return undefined;
    return n === lower ? set : complementSet(set);
  };
  const alt = (): JavaRegex => {
    const items = [concat()];
    while (cps[i] === '|') {
      i++;
      items.push(concat());
    }
    return items.length === 1 ? items[0] : { kind: 'alt', items };
  };
  const concat = (): JavaRegex => {
    const items: JavaRegex[] = [];
    while (i < cps.length && cps[i] !== '|' && cps[i] !== ')') items.push(repeat());
    return { kind: 'concat', items };
  };
  const repeat = (): JavaRegex => {
    let e = atom();
    const c = cps[i];
    if (c === '*' || c === '+' || c === '?' || c === '{') {
      let min = 0;
      let max = -1;
      i++;
      if (c === '+') min = 1;
      else if (c === '?') max = 1;
      else if (c === '{') {
        let j = i;
        while (cps[j] !== '}') j++;
        const [a, b] = cps.slice(i, j).join('').split(',');
        min = Number(a);
        max = b === undefined ? min : b === '' ? -1 : Number(b);
        i = j + 1;
      }
      let greedy = true;
      if (cps[i] === '?') {
        greedy = false;
        i++;
      }
      e = { kind: 'repeat', child: e, min, max, greedy };
    }
    return e;
  };
  const atom = (): JavaRegex => {
    const c = cps[i];
    if (c === '(') {
      let index = 0;
      let name = '';
      if (cps[i + 1] === '?' && cps[i + 2] === ':') i += 3;
      else if (cps[i + 1] === '?' && cps[i + 2] === '<') {
        i += 3;
        while (cps[i] !== '>') name += cps[i++];
        i++;
        index = ++groups;
      } else {
        i++;
        index = ++groups;
      }
      const child = alt();
      i++; // ')'
      return { kind: 'group', child, index, name };
    }
    if (c === '[') {
      i++;
      const negate = cps[i] === '^';
      if (negate) i++;
      const set: [number, number][] = [];
      let first = true;
      while (!(cps[i] === ']' && !first)) {
        first = false;
        let lo: number;
        if (cps[i] === '\\') {
          const n = cps[i + 1];
          i += 2;
          const sh = shorthand(n);
          if (sh) {
            set.push(...sh);
            continue;
          }
          lo = CONTROL_CP[n] ?? n.codePointAt(0)!;
        } else lo = cps[i++].codePointAt(0)!;
        if (cps[i] === '-' && cps[i + 1] !== ']' && cps[i + 1] !== undefined) {
          i++;
          let hi: number;
          if (cps[i] === '\\') {
            hi = CONTROL_CP[cps[i + 1]] ?? cps[i + 1].codePointAt(0)!;
            i += 2;
          } else hi = cps[i++].codePointAt(0)!;
          set.push([lo, hi]);
        } else set.push([lo, lo]);
      }
      i++;
      return { kind: 'set', set: negate ? complementSet(set) : set };
    }
    if (c === '.') {
      i++;
      return { kind: 'set', set: complementSet(DOT_EXCLUDES[dot].map((x) => [x, x] as [number, number])) };
    }
    if (c === '\\') {
      const n = cps[i + 1];
      i += 2;
      const sh = shorthand(n);
      if (sh) return { kind: 'set', set: sh };
      const cp = CONTROL_CP[n] ?? n.codePointAt(0)!;
      return { kind: 'set', set: [[cp, cp]] };
    }
    i++;
    const cp = c.codePointAt(0)!;
    return { kind: 'set', set: [[cp, cp]] };
  };
  return alt();
}

/** The literal text a pattern stands for when it has no operator at all (else undefined). */
export function javaRegexLiteral(pattern: string): string | undefined {
  const r = parseJavaRegex(pattern);
  if (r.kind !== 'concat') return r.kind === 'set' && r.set.length === 1 && r.set[0][0] === r.set[0][1] ? String.fromCodePoint(r.set[0][0]) : undefined;
  let out = '';
  for (const item of r.items) {
    if (item.kind !== 'set' || item.set.length !== 1 || item.set[0][0] !== item.set[0][1]) return undefined;
    out += String.fromCodePoint(item.set[0][0]);
  }
  return out;
}
