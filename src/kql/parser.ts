// KQL parser: query text -> AST (ast.ts), one method per production of the grammar in kql.md.
//
// Why hand-written recursive descent instead of a generated parser:
//  - Kibana's grammar is a PEG. Ordered choice, backtracking and the `!Keyword` lookahead decide
//    what an unquoted value swallows (`f:foo bar` is one value, `f:b or` is the value "b or",
//    `f:cannot x` stops before "not "). Each method here either succeeds or restores the position,
//    which reproduces PEG semantics exactly, choice by choice.
//  - Rule authors need precise errors: every failed expectation is recorded with its offset and,
//    like a PEG parser, the furthest one wins; it is reported with line, column, the alternatives
//    that were expected (in words) and the text actually found.
//
// Positions: an `is` or `range` node's `pos` points at its value literal, a `nested` node's at its
// path; every FieldRef has the position of its own name. Offsets are 0-based UTF-16 code units,
// lines and columns 1-based, and only LF starts a new line.

import type { FieldRef, Node, Pos, RangeOp, Value } from './ast.js';
import { END_OF_INPUT, KqlSyntaxError } from './errors.js';
import { LineIndex } from '../query/positions.js';

/** Parse a KQL query. Throws KqlSyntaxError when the text is not valid KQL. */
export function parseKql(text: string): Node {
  return new KqlParser(text).parseStart();
}

/** Characters that end an unquoted literal unless escaped with `\`. */
const SPECIAL_CHARACTERS = new Set(['\\', '(', ')', ':', '<', '>', '"', '*', '{', '}']);

/** The grammar's Space: exactly these five characters. */
function isSpace(ch: string | undefined): boolean {
  return ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n' || ch === '\u00a0';
}

const HEX4 = /^[0-9a-fA-F]{4}$/;

/** Deeper groups are refused with a syntax error instead of overflowing the call stack. */
export const MAX_NESTING = 200;

/** Human-readable expectations, listed in messages in this order. */
const EXPECTED = {
  spaceAfterNot: 'whitespace after not',
  spaceAfterAnd: 'whitespace after "and"',
  spaceAfterOr: 'whitespace after "or"',
  escape: 'an escape after "\\" (one of \\\\ \\( \\) \\: \\< \\> \\" \\* \\{ \\} \\t \\r \\n \\uXXXX \\or \\and \\not)',
  hexDigits: 'four hex digits after "\\u"',
  closingQuote: 'a closing quote (")',
  not: '"not"',
  openParen: '"("',
  openBrace: '"{"',
  field: 'a field name',
  value: 'a value',
  colon: '":"',
  rangeOperator: 'a range operator (<, <=, >, >=)',
  and: '"and"',
  or: '"or"',
  closeParen: '")"',
  closeBrace: '"}"',
  end: 'end of query',
} as const;
const EXPECTED_ORDER: string[] = Object.values(EXPECTED);

/** A quoted string or unquoted literal, decoded but not yet interpreted as field, value or bound. */
interface Literal {
  quoted: boolean;
  /** Quoted: [text]. Unquoted: the text split at unescaped `*`, trimmed at both ends of the whole. */
  parts: string[];
  pos: Pos;
}

/** The boolean structure of a value list, before it is distributed over its field. */
type ValueTree =
  | { kind: 'value'; value: Value; pos: Pos }
  | { kind: 'and' | 'or'; children: ValueTree[] }
  | { kind: 'not'; child: ValueTree };

class KqlParser {
  private pos = 0;
  private failOffset = -1;
  private failExpected = new Set<string>();
  private readonly lines: LineIndex;
  private nesting = 0;

  constructor(private readonly text: string) {
    this.lines = new LineIndex(text);
  }

  // ---- queries -------------------------------------------------------------------------------

  /** start = Space* OrQuery? Space* (end of input). The empty query matches everything. */
  parseStart(): Node {
    this.skipSpaces();
    const query = this.parseOrQuery();
    this.skipSpaces();
    if (this.pos < this.text.length) {
      this.expect(EXPECTED.end);
      throw this.syntaxError();
    }
    return query ?? { kind: 'all' };
  }

  /** OrQuery = AndQuery (Or AndQuery)* */
  private parseOrQuery(): Node | null {
    return this.parseOperatorChain('or', () => this.parseAndQuery());
  }

  /** AndQuery = NotQuery (And NotQuery)* */
  private parseAndQuery(): Node | null {
    return this.parseOperatorChain('and', () => this.parseNotQuery());
  }

  /** NotQuery = Not SubQuery / SubQuery */
  private parseNotQuery(): Node | null {
    const start = this.pos;
    if (this.matchNot()) {
      const child = this.parseSubQuery();
      if (child) return { kind: 'not', child };
      this.pos = start;
    }
    return this.parseSubQuery();
  }

  /** SubQuery = '(' Space* OrQuery Space* ')' / NestedQuery */
  private parseSubQuery(): Node | null {
    const start = this.pos;
    if (this.matchChar('(', EXPECTED.openParen)) {
      this.skipSpaces();
      const query = this.inGroup(start, () => this.parseOrQuery());
      if (query) {
        this.skipSpaces();
        if (this.matchChar(')', EXPECTED.closeParen)) return query;
      }
      this.pos = start;
    }
    return this.parseNestedQuery();
  }

  /** NestedQuery = Field Space* ':' Space* '{' Space* OrQuery Space* '}' / Expression */
  private parseNestedQuery(): Node | null {
    const start = this.pos;
    const path = this.parseField();
    if (path) {
      this.skipSpaces();
      if (this.matchChar(':', EXPECTED.colon)) {
        this.skipSpaces();
        const brace = this.pos;
        if (this.matchChar('{', EXPECTED.openBrace)) {
          this.skipSpaces();
          const query = this.inGroup(brace, () => this.parseOrQuery());
          if (query) {
            this.skipSpaces();
            if (this.matchChar('}', EXPECTED.closeBrace)) {
              return { kind: 'nested', path: fieldRefOf(path), query, pos: path.pos };
            }
          }
        }
      }
      this.pos = start;
    }
    return this.parseExpression();
  }

  /** Expression = FieldRangeExpression / FieldValueExpression / ValueExpression */
  private parseExpression(): Node | null {
    return this.parseFieldRangeExpression() ?? this.parseFieldValueExpression() ?? this.parseValueExpression();
  }

  /** FieldRangeExpression = Field Space* RangeOperator Space* Literal */
  private parseFieldRangeExpression(): Node | null {
    const start = this.pos;
    const field = this.parseField();
    if (!field) return null;
    this.skipSpaces();
    const op = this.parseRangeOperator();
    if (op) {
      this.skipSpaces();
      const bound = this.parseLiteral(EXPECTED.value);
      if (bound) return rangeNode(field, op, bound);
    }
    this.pos = start;
    return null;
  }

  /** FieldValueExpression = Field Space* ':' Space* ListOfValues */
  private parseFieldValueExpression(): Node | null {
    const start = this.pos;
    const field = this.parseField();
    if (!field) return null;
    this.skipSpaces();
    if (this.matchChar(':', EXPECTED.colon)) {
      this.skipSpaces();
      const values = this.parseListOfValues();
      if (values) return distribute(values, fieldOrAllFields(field));
    }
    this.pos = start;
    return null;
  }

  /** ValueExpression = Value (no field: search all fields) */
  private parseValueExpression(): Node | null {
    const value = this.parseValue();
    return value ? { kind: 'is', field: null, value: value.value, pos: value.pos } : null;
  }

  /** Parse the inside of a group opened at `openedAt`, refusing absurd depths. */
  private inGroup<T>(openedAt: number, parseInside: () => T): T {
    if (this.nesting >= MAX_NESTING) {
      const { line, column } = this.posAt(openedAt);
      throw new KqlSyntaxError({
        source: this.text,
        offset: openedAt,
        line,
        column,
        expected: [`at most ${MAX_NESTING} nested groups`],
        found: this.foundAt(openedAt),
      });
    }
    this.nesting++;
    try {
      return parseInside();
    } finally {
      this.nesting--;
    }
  }

  // ---- value lists -----------------------------------------------------------------------------

  /** ListOfValues = '(' Space* OrValues Space* ')' / Value */
  private parseListOfValues(): ValueTree | null {
    const start = this.pos;
    if (this.matchChar('(', EXPECTED.openParen)) {
      this.skipSpaces();
      const list = this.inGroup(start, () => this.parseOrValues());
      if (list) {
        this.skipSpaces();
        if (this.matchChar(')', EXPECTED.closeParen)) return list;
      }
      this.pos = start;
    }
    const value = this.parseValue();
    return value ? { kind: 'value', value: value.value, pos: value.pos } : null;
  }

  /** OrValues = AndValues (Or AndValues)* */
  private parseOrValues(): ValueTree | null {
    return this.parseOperatorChain('or', () => this.parseAndValues());
  }

  /** AndValues = NotValues (And NotValues)* */
  private parseAndValues(): ValueTree | null {
    return this.parseOperatorChain('and', () => this.parseNotValues());
  }

  /** NotValues = Not ListOfValues / ListOfValues */
  private parseNotValues(): ValueTree | null {
    const start = this.pos;
    if (this.matchNot()) {
      const child = this.parseListOfValues();
      if (child) return { kind: 'not', child };
      this.pos = start;
    }
    return this.parseListOfValues();
  }

  /**
   * `operand (Keyword operand)*`, flattened into one n-ary node. A keyword whose right operand
   * fails is given back (PEG: the repetition just stops there).
   */
  private parseOperatorChain<T extends Node | ValueTree>(keyword: 'and' | 'or', operand: () => T | null): T | null {
    const first = operand();
    if (!first) return null;
    const children: T[] = [first];
    for (;;) {
      const beforeKeyword = this.pos;
      if (!this.matchBinaryKeyword(keyword)) break;
      const next = operand();
      if (!next) {
        this.pos = beforeKeyword;
        break;
      }
      children.push(next);
    }
    return children.length === 1 ? first : ({ kind: keyword, children } as unknown as T);
  }

  // ---- literals --------------------------------------------------------------------------------

  /** Field = Literal */
  private parseField(): Literal | null {
    return this.parseLiteral(EXPECTED.field);
  }

  /** Value = QuotedString / UnquotedLiteral, read as a value. */
  private parseValue(): { value: Value; pos: Pos } | null {
    const literal = this.parseLiteral(EXPECTED.value);
    return literal ? { value: valueOf(literal), pos: literal.pos } : null;
  }

  /** Literal = QuotedString / UnquotedLiteral; `label` names what the caller wanted here. */
  private parseLiteral(label: string): Literal | null {
    const start = this.pos;
    const literal = this.parseQuotedString() ?? this.parseUnquotedLiteral();
    if (!literal) this.expectAt(start, label);
    return literal;
  }

  /**
   * QuotedString = '"' QuotedCharacter* '"'. Escapes: \t \r \n \uXXXX \\ \"; any other backslash
   * is an ordinary character. Raw newlines are allowed.
   */
  private parseQuotedString(): Literal | null {
    if (this.text[this.pos] !== '"') return null;
    const start = this.pos;
    let p = start + 1;
    let decoded = '';
    for (;;) {
      if (p >= this.text.length) {
        this.expectAt(p, EXPECTED.closingQuote);
        return null;
      }
      const ch = this.text[p]!;
      if (ch === '"') break;
      if (ch === '\\') {
        const next = this.text[p + 1];
        const whitespace = escapedWhitespace(next);
        if (whitespace !== null) {
          decoded += whitespace;
          p += 2;
          continue;
        }
        const hex = this.text.slice(p + 2, p + 6);
        if (next === 'u' && HEX4.test(hex)) {
          decoded += String.fromCharCode(parseInt(hex, 16));
          p += 6;
          continue;
        }
        if (next === '\\' || next === '"') {
          decoded += next;
          p += 2;
          continue;
        }
      }
      decoded += ch;
      p += 1;
    }
    this.pos = p + 1;
    return { quoted: true, parts: [decoded], pos: this.posAt(start) };
  }

  /**
   * UnquotedLiteral = UnquotedCharacter+, then trimmed (JavaScript `trim`, after decoding escapes).
   * UnquotedCharacter = an escape / `*` (wildcard) / any character that is not special and does
   * not start a keyword (` or `, ` and `, `not ` - the last even inside a word).
   */
  private parseUnquotedLiteral(): Literal | null {
    const start = this.pos;
    const parts = [''];
    let p = start;
    while (p < this.text.length) {
      const ch = this.text[p]!;
      if (ch === '\\') {
        const escape = this.decodeUnquotedEscape(p);
        if (!escape) break;
        parts[parts.length - 1] += escape.text;
        p += escape.length;
      } else if (ch === '*') {
        parts.push('');
        p += 1;
      } else if (SPECIAL_CHARACTERS.has(ch) || this.isKeywordAt(p)) {
        break;
      } else {
        parts[parts.length - 1] += ch;
        p += 1;
      }
    }
    if (p === start) return null;
    this.pos = p;
    parts[0] = parts[0]!.trimStart();
    parts[parts.length - 1] = parts[parts.length - 1]!.trimEnd();
    return { quoted: false, parts, pos: this.posAt(start) };
  }

  /**
   * The escapes of unquoted literals, tried in the grammar's order: \t \r \n, then `\` + special
   * character, then \uXXXX, then \or \and \not (case-insensitive, kept as written). Because \n is
   * tried first, `\not` reads as LF followed by "ot", exactly as in Kibana; `\NOT` is the word.
   */
  private decodeUnquotedEscape(at: number): { text: string; length: number } | null {
    const next = this.text[at + 1];
    const whitespace = escapedWhitespace(next);
    if (whitespace !== null) return { text: whitespace, length: 2 };
    if (next !== undefined && SPECIAL_CHARACTERS.has(next)) return { text: next, length: 2 };
    const hex = this.text.slice(at + 2, at + 6);
    if (next === 'u' && HEX4.test(hex)) return { text: String.fromCharCode(parseInt(hex, 16)), length: 6 };
    for (const keyword of ['or', 'and', 'not']) {
      if (this.matchesWordAt(at + 1, keyword)) {
        return { text: this.text.slice(at + 1, at + 1 + keyword.length), length: 1 + keyword.length };
      }
    }
    if (next === 'u') this.expectAt(at + 2, EXPECTED.hexDigits);
    else this.expectAt(at + 1, EXPECTED.escape);
    return null;
  }

  /** The lookahead that ends an unquoted literal: Space 'or' Space / Space 'and' Space / 'not' Space. */
  private isKeywordAt(p: number): boolean {
    const t = this.text;
    if (isSpace(t[p])) {
      if (this.matchesWordAt(p + 1, 'or') && isSpace(t[p + 3])) return true;
      if (this.matchesWordAt(p + 1, 'and') && isSpace(t[p + 4])) return true;
      return false;
    }
    return this.matchesWordAt(p, 'not') && isSpace(t[p + 3]);
  }

  // ---- keywords, punctuation, whitespace ---------------------------------------------------------

  /** Or = Space+ 'or' Space+ ; And = Space+ 'and' Space+ (case-insensitive). */
  private matchBinaryKeyword(keyword: 'and' | 'or'): boolean {
    const label = keyword === 'and' ? EXPECTED.and : EXPECTED.or;
    const start = this.pos;
    if (!isSpace(this.text[start])) {
      this.expectAt(start, label);
      return false;
    }
    let p = start;
    while (isSpace(this.text[p])) p++;
    if (!this.matchesWordAt(p, keyword)) {
      this.expectAt(p, label);
      return false;
    }
    let after = p + keyword.length;
    if (!isSpace(this.text[after])) {
      // A dangling operator at the very end deserves its own message.
      if (after >= this.text.length) {
        this.expectAt(after, keyword === 'and' ? EXPECTED.spaceAfterAnd : EXPECTED.spaceAfterOr);
      } else {
        this.expectAt(p, label);
      }
      return false;
    }
    while (isSpace(this.text[after])) after++;
    this.pos = after;
    return true;
  }

  /** Not = 'not' Space+ (case-insensitive): `not(a:1)` is not a negation. */
  private matchNot(): boolean {
    if (!this.matchesWordAt(this.pos, 'not')) {
      this.expect(EXPECTED.not);
      return false;
    }
    if (!isSpace(this.text[this.pos + 3])) {
      this.expectAt(this.pos + 3, EXPECTED.spaceAfterNot);
      return false;
    }
    this.pos += 3;
    this.skipSpaces();
    return true;
  }

  /** RangeOperator = '<=' / '>=' / '<' / '>' */
  private parseRangeOperator(): RangeOp | null {
    const two = this.text.slice(this.pos, this.pos + 2);
    const one = this.text[this.pos];
    const op: RangeOp | null =
      two === '<=' ? 'lte' : two === '>=' ? 'gte' : one === '<' ? 'lt' : one === '>' ? 'gt' : null;
    if (!op) {
      this.expect(EXPECTED.rangeOperator);
      return null;
    }
    this.pos += op === 'lte' || op === 'gte' ? 2 : 1;
    return op;
  }

  private matchChar(ch: string, label: string): boolean {
    if (this.text[this.pos] === ch) {
      this.pos += 1;
      return true;
    }
    this.expect(label);
    return false;
  }

  /** Case-insensitive comparison of the text at `p` with a lower-case ASCII word. */
  private matchesWordAt(p: number, word: string): boolean {
    return this.text.slice(p, p + word.length).toLowerCase() === word;
  }

  private skipSpaces(): void {
    while (isSpace(this.text[this.pos])) this.pos++;
  }

  // ---- positions and errors ----------------------------------------------------------------------

  private posAt(offset: number): Pos {
    return this.lines.posAt(offset);
  }

  private expect(label: string): void {
    this.expectAt(this.pos, label);
  }

  /** Record a failed expectation; only those at the furthest offset are kept (PEG error reporting). */
  private expectAt(offset: number, label: string): void {
    if (offset > this.failOffset) {
      this.failOffset = offset;
      this.failExpected = new Set([label]);
    } else if (offset === this.failOffset) {
      this.failExpected.add(label);
    }
  }

  private syntaxError(): KqlSyntaxError {
    const offset = this.failOffset;
    const rank = (label: string) => {
      const index = EXPECTED_ORDER.indexOf(label);
      return index < 0 ? EXPECTED_ORDER.length : index;
    };
    const expected = [...this.failExpected].sort((a, b) => rank(a) - rank(b));
    const { line, column } = this.posAt(offset);
    return new KqlSyntaxError({ source: this.text, offset, line, column, expected, found: this.foundAt(offset) });
  }

  /** The offending text: a word, an escape, or a single special or space character. */
  private foundAt(offset: number): string {
    const t = this.text;
    if (offset >= t.length) return END_OF_INPUT;
    const ch = t[offset]!;
    if (ch === '\\') return t.slice(offset, offset + 2);
    if (isSpace(ch) || SPECIAL_CHARACTERS.has(ch)) return ch;
    let end = offset;
    while (end < t.length && !isSpace(t[end]) && !SPECIAL_CHARACTERS.has(t[end]!)) end++;
    return t.slice(offset, end);
  }
}

// ---- from literals to AST parts --------------------------------------------------------------------

function escapedWhitespace(letter: string | undefined): string | null {
  return letter === 't' ? '\t' : letter === 'r' ? '\r' : letter === 'n' ? '\n' : null;
}

/** Exactly one unquoted part, i.e. no unescaped `*`. */
function plainUnquoted(literal: Literal): string | null {
  return !literal.quoted && literal.parts.length === 1 ? literal.parts[0]! : null;
}

/** A value: quoted strings stay strings; unquoted true/false/null/`*`/wildcards are recognised. */
function valueOf(literal: Literal): Value {
  if (literal.quoted) return { type: 'string', value: literal.parts[0]!, quoted: true };
  const plain = plainUnquoted(literal);
  if (plain === 'null') return { type: 'null' };
  if (plain === 'true' || plain === 'false') return { type: 'boolean', value: plain === 'true' };
  if (plain !== null) return { type: 'string', value: plain, quoted: false };
  if (literal.parts.length === 2 && literal.parts[0] === '' && literal.parts[1] === '') return { type: 'exists' };
  return { type: 'wildcard', parts: literal.parts };
}

/** A field name; unquoted `a*b` becomes a pattern. The words true/false/null are plain names here. */
function fieldRefOf(literal: Literal): FieldRef {
  const plain = literal.quoted ? literal.parts[0]! : plainUnquoted(literal);
  if (plain !== null) return { name: plain, pattern: null, pos: literal.pos };
  return { name: literal.parts.join('*'), pattern: literal.parts, pos: literal.pos };
}

/**
 * The field of `field:value`. Kibana turns the unquoted word `null` into a null literal, and a
 * null field means "search all fields" - so `null:x` is a field-less query, unlike `"null":x`.
 */
function fieldOrAllFields(literal: Literal): FieldRef | null {
  return plainUnquoted(literal) === 'null' ? null : fieldRefOf(literal);
}

function rangeNode(field: Literal, op: RangeOp, bound: Literal): Node {
  const node: Node = {
    kind: 'range',
    field: fieldRefOf(field),
    op,
    value: bound.quoted ? bound.parts[0]! : bound.parts.join('*'),
    quoted: bound.quoted,
    pos: bound.pos,
  };
  if (plainUnquoted(bound) === 'null') node.isNull = true;
  return node;
}

/** `f:(a or b and not c)` = or(f:a, and(f:b, not f:c)): the list's structure with f on every leaf. */
function distribute(tree: ValueTree, field: FieldRef | null): Node {
  switch (tree.kind) {
    case 'value':
      return { kind: 'is', field: field && copyFieldRef(field), value: tree.value, pos: tree.pos };
    case 'not':
      return { kind: 'not', child: distribute(tree.child, field) };
    case 'and':
    case 'or':
      return { kind: tree.kind, children: tree.children.map((child) => distribute(child, field)) };
  }
}

/** Each distributed leaf gets its own FieldRef, so later stages may annotate one without the others. */
function copyFieldRef(field: FieldRef): FieldRef {
  return { name: field.name, pattern: field.pattern && [...field.pattern], pos: { ...field.pos } };
}
