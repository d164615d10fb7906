// Re-spelling JSON text without changing what it means: characters inside strings written as
// `\uXXXX` (either hex case) or `/` as `\/`. The decoded document is the same, so every verdict must
// be too; this is what the prefilter's escape handling must survive.

/**
 * `text` with some string characters escaped. `pick(i)` (0..99) decides for the i-th character met
 * inside a string: below `percent` it is escaped. Existing escapes are kept as they are.
 */
export function respellStrings(text: string, pick: (i: number) => number, percent: number): string {
  let out = '';
  let inString = false;
  let seen = 0;
  for (let k = 0; k < text.length; k++) {
    // Whole code points: half a surrogate pair escaped and half raw would not survive UTF-8.
    const c = String.fromCodePoint(text.codePointAt(k)!);
    k += c.length - 1;
    if (!inString) {
      if (c === '"') inString = true;
      out += c;
      continue;
    }
    if (c === '"') {
      inString = false;
      out += c;
      continue;
    }
    if (c === '\\') {
      // An escape already there: copy it whole.
      const len = text[k + 1] === 'u' ? 6 : 2;
      out += text.slice(k, k + len);
      k += len - 1;
      continue;
    }
    const choice = pick(seen++);
    if (choice >= percent) out += c;
    else if (c === '/' && choice % 2 === 0) out += '\\/';
    else {
      for (let u = 0; u < c.length; u++) {
        const hex = c.charCodeAt(u).toString(16).padStart(4, '0');
        out += '\\u' + (choice % 3 === 0 ? hex.toUpperCase() : hex);
      }
    }
  }
  return out;
}
