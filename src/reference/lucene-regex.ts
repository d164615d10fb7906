// Lucene regular expressions (EQL `regex`, `regex~`) for the reference evaluator: the whole string
// must match. The subset that means the same in JavaScript is translated; Lucene's own operators
// (`&` intersection, `~` complement, `#` empty language, `@` any string, `<n-m>` numeric ranges)
// and a few escapes are rejected with an error rather than given another meaning.

const cache = new Map<string, RegExp>();

export class UnsupportedRegexError extends Error {}

/** Does `text` match the Lucene regular expression `pattern` (anchored)? */
export function luceneRegexMatch(pattern: string, text: string, insensitive: boolean): boolean {
  const key = `${insensitive ? 'i' : 's'}:${pattern}`;
  let re = cache.get(key);
  if (!re) {
    re = new RegExp(`^(?:${translate(pattern)})$`, insensitive ? 'iu' : 'u');
    cache.set(key, re);
  }
  return re.test(text);
}

function translate(p: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === '\\') {
      const n = p[i + 1];
      if (n === undefined) throw new UnsupportedRegexError('regex ends with a backslash');
      // In Lucene, \x is the literal x for any character x.
      out += /[A-Za-z0-9]/.test(n) ? n : `\\${n}`;
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      out += c === '[' ? '\\[' : c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      if (p[i + 1] === '^') out += p[++i];
      continue;
    }
    if ('&~#@<'.includes(c)) throw new UnsupportedRegexError(`the Lucene regex operator ${c} is not supported`);
    if (c === '"') throw new UnsupportedRegexError('quoted strings in a Lucene regex are not supported');
    if (c === '/' ) { out += '\\/'; continue; }
    out += c;
  }
  return out;
}
