// ES|QL tokens. Keywords and function names are case-insensitive (the parser compares lower-cased
// words); identifiers are words of letters, digits, `_` and `@`, or backtick-quoted (a doubled
// backtick stands for one). Strings: "..." with the escapes \t \n \r \" \\; """...""" raw (no
// escapes, may span lines). Comments: `// ...` to the end of the line and `/* ... */`.
// The index patterns of FROM are read in their own mode (`logs-*,other:idx`): see sourceName().
import type { Pos } from './ast.js';
import { LineIndex } from '../query/positions.js';
import { EsqlSyntaxError } from './errors.js';

export type TokenKind = 'word' | 'quoted' | 'string' | 'number' | 'punct' | 'eof';

export interface Token {
  kind: TokenKind;
  /** word/quoted: the name; string: the decoded text; punct: the operator; number: the text. */
  text: string;
  /** number: its value. */
  value?: number;
  /** number: no fraction or exponent. */
  integer?: boolean;
  pos: Pos;
  /** Offset just past the token. */
  end: number;
}

const PUNCT2 = ['==', '!=', '<=', '>=', '::'];
const PUNCT1 = ['(', ')', '[', ']', ',', '.', '<', '>', '=', '+', '-', '*', '/', '%', '|', '?', '!', ':'];

const isLetter = (c: string): boolean => /[A-Za-z]/.test(c);
const isWordChar = (c: string): boolean => /[A-Za-z0-9_@]/.test(c);
const isDigit = (c: string): boolean => c >= '0' && c <= '9';

export class Lexer {
  private readonly lines: LineIndex;
  /** Offset of the next unread character. */
  offset = 0;

  constructor(readonly text: string) {
    this.lines = new LineIndex(text);
  }

  posAt(offset: number): Pos {
    return this.lines.posAt(offset);
  }

  error(offset: number, reason: string): EsqlSyntaxError {
    const p = this.posAt(offset);
    return new EsqlSyntaxError({ source: this.text, offset, line: p.line, column: p.column, reason, found: this.text.slice(offset, offset + 1) || undefined });
  }

  /** Skips whitespace and comments. */
  private skip(): void {
    const t = this.text;
    let i = this.offset;
    while (i < t.length) {
      if (/\s/.test(t[i])) i++;
      else if (t.startsWith('//', i)) {
        while (i < t.length && t[i] !== '\n') i++;
      } else if (t.startsWith('/*', i)) {
        const close = t.indexOf('*/', i + 2);
        if (close < 0) throw this.error(i, 'unterminated comment');
        i = close + 2;
      } else break;
    }
    this.offset = i;
  }

  /** The next token, without consuming it. */
  peek(): Token {
    const save = this.offset;
    const tok = this.next();
    this.offset = save;
    return tok;
  }

  next(): Token {
    this.skip();
    const t = this.text;
    const i = this.offset;
    const pos = this.posAt(i);
    const done = (kind: TokenKind, text: string, end: number, extra: Partial<Token> = {}): Token => {
      this.offset = end;
      return { kind, text, pos, end, ...extra };
    };
    if (i >= t.length) return done('eof', '', i);
    const c = t[i];
    if (t.startsWith('"""', i)) {
      const close = t.indexOf('"""', i + 3);
      if (close < 0) throw this.error(i, 'unterminated triple-quoted string');
      // A closing run of more than three quotes ends with its last three: the others belong to the string.
      let end = close + 3;
      while (t[end] === '"') end++;
      return done('string', t.slice(i + 3, end - 3), end);
    }
    if (c === '"') {
      let out = '';
      let j = i + 1;
      while (true) {
        if (j >= t.length || t[j] === '\n' || t[j] === '\r') throw this.error(i, 'unterminated string');
        const d = t[j];
        if (d === '"') break;
        if (d === '\\') {
          const e = t[j + 1];
          const map: Record<string, string> = { t: '\t', n: '\n', r: '\r', '"': '"', '\\': '\\' };
          if (e === undefined || !(e in map)) throw this.error(j, `invalid escape sequence \\${e ?? ''} in a string (ES|QL allows \\t \\n \\r \\" \\\\)`);
          out += map[e];
          j += 2;
          continue;
        }
        out += d;
        j++;
      }
      return done('string', out, j + 1);
    }
    if (c === '`') {
      let out = '';
      let j = i + 1;
      while (true) {
        if (j >= t.length) throw this.error(i, 'unterminated backtick-quoted name');
        if (t[j] === '`') {
          if (t[j + 1] === '`') {
            out += '`';
            j += 2;
            continue;
          }
          break;
        }
        out += t[j++];
      }
      if (out === '') throw this.error(i, 'empty backtick-quoted name');
      return done('quoted', out, j + 1);
    }
    if (isDigit(c)) {
      let j = i;
      while (isDigit(t[j] ?? '')) j++;
      let integer = true;
      if (t[j] === '.' && isDigit(t[j + 1] ?? '')) {
        integer = false;
        j++;
        while (isDigit(t[j] ?? '')) j++;
      }
      if ((t[j] === 'e' || t[j] === 'E') && (isDigit(t[j + 1] ?? '') || ((t[j + 1] === '+' || t[j + 1] === '-') && isDigit(t[j + 2] ?? '')))) {
        integer = false;
        j += 2;
        while (isDigit(t[j] ?? '')) j++;
      }
      const text = t.slice(i, j);
      return done('number', text, j, { value: Number(text), integer });
    }
    if (isLetter(c) || c === '_' || c === '@') {
      let j = i;
      while (j < t.length && isWordChar(t[j])) j++;
      const word = t.slice(i, j);
      if (!/[A-Za-z0-9]/.test(word)) throw this.error(i, `invalid name ${word}`);
      return done('word', word, j);
    }
    for (const p of PUNCT2) if (t.startsWith(p, i)) return done('punct', p, i + 2);
    if (PUNCT1.includes(c)) return done('punct', c, i + 1);
    throw this.error(i, `unexpected character ${JSON.stringify(c)}`);
  }

  /**
   * One index pattern of FROM (`logs-kubernetes.audit_logs-*`, `remote:idx`, or "quoted"): everything
   * up to whitespace, a comma, a pipe or a comment.
   */
  sourceName(): Token {
    this.skip();
    const t = this.text;
    const i = this.offset;
    if (t[i] === '"') return this.next();
    let j = i;
    while (j < t.length && !/[\s,|]/.test(t[j]) && !t.startsWith('//', j) && !t.startsWith('/*', j)) j++;
    if (j === i) throw this.error(i, 'expected an index pattern');
    this.offset = j;
    return { kind: 'word', text: t.slice(i, j), pos: this.posAt(i), end: j };
  }
}
