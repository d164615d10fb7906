// EQL tokens. Keywords are lower-case words (EQL keywords are case-sensitive: `AND` is a field
// name); a word followed directly by `~` is one token (`like~`, `in~`, `startsWith~`).
// Strings: "..." with escapes \t \b \n \f \r \" \' \\ \u{2-8 hex digits}; """...""" raw (no
// escapes, may span lines). Single-quoted strings are an error, as in Elasticsearch.
// Comments: `// ...` to the end of the line and `/* ... */`.
import type { Pos } from './ast.js';
import { LineIndex } from '../query/positions.js';
import { EqlSyntaxError } from './errors.js';

export type TokenKind = 'word' | 'quoted' | 'string' | 'number' | 'punct' | 'eof';

export interface Token {
  kind: TokenKind;
  /** word/quoted: the name (`~` included for tilde words); string: decoded text; punct: the operator; number: the text. */
  text: string;
  /** number: its value. */
  value?: number;
  /** number: no fraction or exponent. */
  integer?: boolean;
  pos: Pos;
  /** Offset just past the token. */
  end: number;
}

const PUNCT3: string[] = [];
const PUNCT2 = ['==', '!=', '<=', '>='];
const PUNCT1 = ['(', ')', '[', ']', ',', '.', ':', '<', '>', '=', '+', '-', '*', '/', '%', '|', '!'];

const isLetter = (c: string): boolean => /[A-Za-z_@]/.test(c);
const isWordChar = (c: string): boolean => /[A-Za-z0-9_@]/.test(c);
const isDigit = (c: string): boolean => c >= '0' && c <= '9';

export class Lexer {
  private readonly lines: LineIndex;
  constructor(readonly text: string) {
    this.lines = new LineIndex(text);
  }

  posAt(offset: number): Pos {
    return this.lines.posAt(offset);
  }

  error(offset: number, reason: string): EqlSyntaxError {
    const p = this.posAt(offset);
    return new EqlSyntaxError({ source: this.text, offset, line: p.line, column: p.column, reason, found: this.text.slice(offset, offset + 1) });
  }

  tokenize(): Token[] {
    const tokens: Token[] = [];
    let i = 0;
    const t = this.text;
    while (true) {
      // Whitespace and comments.
      while (i < t.length) {
        const c = t[i];
        if (c === ' ' || c === '\t' || c === '\r' || c === '\n' || c === '\u00a0') i++;
        else if (c === '/' && t[i + 1] === '/') {
          while (i < t.length && t[i] !== '\n') i++;
        } else if (c === '/' && t[i + 1] === '*') {
          const close = t.indexOf('*/', i + 2);
          if (close < 0) throw this.error(i, 'unterminated comment (no closing */)');
          i = close + 2;
        } else break;
      }
      if (i >= t.length) {
        tokens.push({ kind: 'eof', text: '', pos: this.posAt(i), end: i });
        return tokens;
      }
      const start = i;
      const c = t[i];
      if (isLetter(c)) {
        while (i < t.length && isWordChar(t[i])) i++;
        if (t[i] === '~') i++;
        tokens.push({ kind: 'word', text: t.slice(start, i), pos: this.posAt(start), end: i });
      } else if (c === '`') {
        let name = '';
        i++;
        while (true) {
          if (i >= t.length) throw this.error(start, 'unterminated quoted name (no closing `)');
          if (t[i] === '`') {
            if (t[i + 1] === '`') {
              name += '`';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          name += t[i++];
        }
        if (name === '') throw this.error(start, 'empty quoted name ``');
        tokens.push({ kind: 'quoted', text: name, pos: this.posAt(start), end: i });
      } else if (c === '"') {
        const [value, end] = t.startsWith('"""', i) ? this.rawString(i) : this.quotedString(i);
        i = end;
        tokens.push({ kind: 'string', text: value, pos: this.posAt(start), end: i });
      } else if (c === "'") {
        throw this.error(start, 'use double quotes ["] to define string literals, not single quotes [\']');
      } else if (isDigit(c) || (c === '.' && isDigit(t[i + 1] ?? ''))) {
        const m = /^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/.exec(t.slice(i))!;
        i += m[0].length;
        const integer = /^\d+$/.test(m[0]);
        const value = Number(m[0]);
        if (!Number.isFinite(value)) throw this.error(start, `number out of range: ${m[0]}`);
        tokens.push({ kind: 'number', text: m[0], value, integer, pos: this.posAt(start), end: i });
      } else {
        const op = PUNCT3.find((p) => t.startsWith(p, i)) ?? PUNCT2.find((p) => t.startsWith(p, i)) ?? PUNCT1.find((p) => t.startsWith(p, i));
        if (!op) throw this.error(start, `unexpected character ${JSON.stringify(c)}`);
        i += op.length;
        tokens.push({ kind: 'punct', text: op, pos: this.posAt(start), end: i });
      }
    }
  }

  /** `"..."` with escapes; returns [decoded, end offset]. */
  private quotedString(start: number): [string, number] {
    const t = this.text;
    let i = start + 1;
    let out = '';
    while (true) {
      if (i >= t.length || t[i] === '\n' || t[i] === '\r') throw this.error(start, 'unterminated string (no closing ")');
      const c = t[i];
      if (c === '"') return [out, i + 1];
      if (c !== '\\') {
        out += c;
        i++;
        continue;
      }
      const e = t[i + 1];
      const simple: Record<string, string> = { t: '\t', b: '\b', n: '\n', f: '\f', r: '\r', '"': '"', "'": "'", '\\': '\\' };
      if (e !== undefined && e in simple) {
        out += simple[e];
        i += 2;
      } else if (e === 'u') {
        const m = /^\{([0-9a-fA-F]{2,8})\}/.exec(t.slice(i + 2));
        if (!m) throw this.error(i, 'a unicode escape is \\u{ followed by 2 to 8 hex digits and }');
        const cp = parseInt(m[1], 16);
        if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) throw this.error(i, `invalid unicode code point \\u{${m[1]}}`);
        out += String.fromCodePoint(cp);
        i += 2 + m[0].length;
      } else {
        throw this.error(i, `unknown escape sequence \\${e ?? ''} (use \\t \\b \\n \\f \\r \\" \\' \\\\ or \\u{hex})`);
      }
    }
  }

  /** `"""..."""`: raw text up to the first `"""` (up to two more quotes belong to the text). */
  private rawString(start: number): [string, number] {
    const t = this.text;
    const close = t.indexOf('"""', start + 3);
    if (close < 0) throw this.error(start, 'unterminated string (no closing """)');
    let end = close;
    while (t[end + 3] === '"' && end - close < 2) end++;
    return [t.slice(start + 3, end), end + 3];
  }
}
