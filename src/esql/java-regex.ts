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
