// EQL parser: query text -> AST (ast.ts). Recursive descent over the tokens of lexer.ts, following
// the structure of Elasticsearch's EQL grammar:
//   query      = sequence | eventQuery                      (then end of query; `|` pipes unsupported)
//   sequence   = 'sequence' [by keys] [with maxspan=N unit] (or with ... then by) stage stage+ [until stage]
//   stage      = '[' eventQuery ']' [by keys]
//   eventQuery = (category | "category" | any) where expr
//   expr       = and ('or' and)* ; and = not ('and' not)* ; not = 'not' not | comparison
//   comparison = arith [(== != < <= > >=) arith]             (not associative)
//   arith      = term (('+'|'-') term)* ; term = unary (('*'|'/'|'%') unary)*
//   unary      = ('-'|'+') unary | primary [predicate]
//   predicate  = [not] in[~] '(' expr, ... ')' | (':'|like|like~|regex|regex~) (string | '(' string, ... ')')
//   primary    = constant | function '(' args ')' | name ('.' name)* | '(' expr ')'
// So `not` binds tighter than `and`, `and` tighter than `or`, and `not a == b` is `not (a == b)`.
import type { EqlQuery, EventQuery, Expr, Pos, SequenceQuery, SequenceStage, CompareOp, MatchOp, ArithOp } from './ast.js';
import { EqlSyntaxError, EqlUnsupportedError } from './errors.js';
import { Lexer, type Token } from './lexer.js';
import { EQL_FUNCTIONS } from './functions.js';

/** Deeper nesting is refused with a syntax error instead of overflowing the stack. */
export const MAX_EQL_NESTING = 200;

const KEYWORDS = new Set([
  'and', 'or', 'not', 'in', 'in~', 'like', 'like~', 'regex', 'regex~', 'where', 'sequence', 'sample', 'join',
  'by', 'with', 'until', 'any', 'null', 'true', 'false', 'of',
]);
const COMPARE_OPS = new Set(['==', '!=', '<', '<=', '>', '>=']);
const MATCH_OPS = new Set([':', 'like', 'like~', 'regex', 'regex~']);
const TIME_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Parse an EQL query. Throws EqlSyntaxError (invalid) or EqlUnsupportedError (valid, not run). */
export function parseEql(text: string): EqlQuery {
  return new EqlParser(text).parseQuery();
}

class EqlParser {
  private readonly lexer: Lexer;
  private readonly tokens: Token[];
  private i = 0;
  private depth = 0;

  constructor(private readonly text: string) {
    this.lexer = new Lexer(text);
    this.tokens = this.lexer.tokenize();
  }

  private get tok(): Token {
    return this.tokens[this.i];
  }
  private next(): Token {
    const t = this.tokens[this.i];
    if (t.kind !== 'eof') this.i++;
    return t;
  }
  private isWord(w: string, t: Token = this.tok): boolean {
    return t.kind === 'word' && t.text === w;
  }
  private isPunct(p: string, t: Token = this.tok): boolean {
    return t.kind === 'punct' && t.text === p;
  }

  private fail(expected: string, t: Token = this.tok): EqlSyntaxError {
    const found = t.kind === 'eof' ? 'end of query' : JSON.stringify(this.text.slice(t.pos.offset, t.end));
    return new EqlSyntaxError({ source: this.text, offset: t.pos.offset, line: t.pos.line, column: t.pos.column, reason: `expected ${expected} but found ${found}`, found: t.kind === 'eof' ? undefined : t.text });
  }
  private unsupported(reason: string, t: Token = this.tok): EqlUnsupportedError {
    return new EqlUnsupportedError(reason, t.pos.line, t.pos.column);
  }
  private expectPunct(p: string): Token {
    if (!this.isPunct(p)) throw this.fail(`"${p}"`);
    return this.next();
  }
  private expectWord(w: string): Token {
    if (!this.isWord(w)) throw this.fail(`"${w}"`);
    return this.next();
  }

  parseQuery(): EqlQuery {
    let query: EqlQuery;
    if (this.isWord('sequence')) query = this.parseSequence();
    else if (this.isWord('sample')) throw this.unsupported('EQL sample queries are not supported');
    else if (this.isWord('join')) throw this.unsupported('EQL join queries are not supported');
    else query = { kind: 'event', ...this.parseEventQuery() };
    if (this.isPunct('|')) throw this.unsupported('EQL pipes (| head, | tail, | filter, ...) are not supported');
    if (this.tok.kind !== 'eof') throw this.fail(query.kind === 'sequence' ? 'a sequence stage "[", until or end of query' : 'and, or or end of query');
    return query;
  }

  private parseSequence(): SequenceQuery {
    const start = this.next();
    const seq: SequenceQuery = { kind: 'sequence', by: [], stages: [], pos: start.pos };
    const parseWith = (): void => {
      this.expectWord('with');
      if (this.isWord('runs')) throw this.unsupported('EQL sequence option runs is not supported');
      if (!this.isWord('maxspan')) throw this.fail('maxspan');
      this.next();
      this.expectPunct('=');
      const [ms, text] = this.parseTimeUnit();
      seq.maxspanMs = ms;
      seq.maxspanText = text;
    };
    if (this.isWord('by')) {
      this.next();
      seq.by = this.parseKeys();
      if (this.isWord('with')) parseWith();
    } else if (this.isWord('with')) {
      parseWith();
      if (this.isWord('by')) {
        this.next();
        seq.by = this.parseKeys();
      }
    }
    while (this.isPunct('[') || this.isPunct('!')) seq.stages.push(this.parseStage());
    if (seq.stages.length < 2) throw this.fail(seq.stages.length === 0 ? 'a sequence stage "["' : 'a second sequence stage "["');
    if (this.isWord('until')) {
      this.next();
      seq.until = this.parseStage();
    }
    const keyCount = seq.stages[0].by.length;
    for (const stage of [...seq.stages, ...(seq.until ? [seq.until] : [])]) {
      if (stage.by.length !== keyCount) {
        throw new EqlSyntaxError({ source: this.text, offset: stage.query.pos.offset, line: stage.query.pos.line, column: stage.query.pos.column, reason: `every sequence stage must have the same number of join keys (${keyCount}), this one has ${stage.by.length}` });
      }
    }
    return seq;
  }

  /** A maxspan: integer and unit (ms, s, m, h, d). */
  private parseTimeUnit(): [number, string] {
    const n = this.tok;
    if (n.kind !== 'number' || !n.integer) throw this.fail('a whole number (maxspan=5m)');
    this.next();
    const u = this.tok;
    if (u.kind !== 'word' || !(u.text in TIME_UNITS) || u.pos.offset !== n.end) throw this.fail('a time unit right after the number (ms, s, m, h, d)');
    this.next();
    return [n.value! * TIME_UNITS[u.text], `${n.text}${u.text}`];
  }

  private parseStage(): SequenceStage {
    if (this.isPunct('!')) throw this.unsupported('EQL missing events (![...]) in sequences are not supported');
    this.expectPunct('[');
    const query = this.parseEventQuery();
    this.expectPunct(']');
    let by: Expr[] = [];
    if (this.isWord('by')) {
      this.next();
      by = this.parseKeys();
    }
    if (this.isWord('with')) {
      this.next();
      if (this.isWord('runs')) throw this.unsupported('EQL sequence option runs is not supported');
      throw this.fail('runs');
    }
    return { query, by };
  }

  private parseKeys(): Expr[] {
    const keys = [this.parseComparison()];
    while (this.isPunct(',')) {
      this.next();
      keys.push(this.parseComparison());
    }
    return keys;
  }

  private parseEventQuery(): EventQuery {
    const t = this.tok;
    let category: string | null;
    if (this.isWord('any')) category = null;
    else if (t.kind === 'string') category = t.text;
    else if ((t.kind === 'word' && !KEYWORDS.has(t.text) && !t.text.endsWith('~')) || t.kind === 'quoted') category = t.text;
    else throw this.fail('an event category (any, process, ...) or sequence');
    this.next();
    this.expectWord('where');
    return { category, condition: this.parseExpr(), pos: t.pos };
  }

  private nest<T>(at: Token, f: () => T): T {
    if (++this.depth > MAX_EQL_NESTING) throw this.fail(`at most ${MAX_EQL_NESTING} levels of nesting`, at);
    try {
      return f();
    } finally {
      this.depth--;
    }
  }

  parseExpr(): Expr {
    return this.nest(this.tok, () => {
      const first = this.tok;
      const children = [this.parseAnd()];
      while (this.isWord('or')) {
        this.next();
        children.push(this.parseAnd());
      }
      return children.length === 1 ? children[0] : { kind: 'or', children, pos: first.pos };
    });
  }

  private parseAnd(): Expr {
    const first = this.tok;
    const children = [this.parseNot()];
    while (this.isWord('and')) {
      this.next();
      children.push(this.parseNot());
    }
    return children.length === 1 ? children[0] : { kind: 'and', children, pos: first.pos };
  }

  private parseNot(): Expr {
    if (this.isWord('not')) {
      const t = this.next();
      return this.nest(t, () => ({ kind: 'not', child: this.parseNot(), pos: t.pos }));
    }
    return this.parseComparison();
  }

  private parseComparison(): Expr {
    const left = this.parseAdditive();
    const t = this.tok;
    if (t.kind === 'punct' && COMPARE_OPS.has(t.text)) {
      this.next();
      const right = this.parseAdditive();
      if (this.tok.kind === 'punct' && COMPARE_OPS.has(this.tok.text)) throw this.fail('and, or or ")" (comparisons do not chain)');
      return { kind: 'compare', op: t.text as CompareOp, left, right, pos: t.pos };
    }
    if (this.isPunct('=')) throw this.fail('"==" (a single = is not a comparison)');
    return left;
  }

  private parseAdditive(): Expr {
    let left = this.parseTerm();
    while (this.isPunct('+') || this.isPunct('-')) {
      const t = this.next();
      left = { kind: 'arith', op: t.text as ArithOp, left, right: this.parseTerm(), pos: t.pos };
    }
    return left;
  }

  private parseTerm(): Expr {
    let left = this.parseUnary();
    while (this.isPunct('*') || this.isPunct('/') || this.isPunct('%')) {
      const t = this.next();
      left = { kind: 'arith', op: t.text as ArithOp, left, right: this.parseUnary(), pos: t.pos };
    }
    return left;
  }

  private parseUnary(): Expr {
    if (this.isPunct('-') || this.isPunct('+')) {
      const t = this.next();
      const child = this.nest(t, () => this.parseUnary());
      if (t.text === '+') return child;
      if (child.kind === 'literal' && typeof child.value === 'number') return { ...child, value: -child.value, numberText: `-${child.numberText}`, pos: t.pos };
      return { kind: 'neg', child, pos: t.pos };
    }
    const primary = this.parsePrimary();
    return this.parsePredicate(primary);
  }

  private parsePredicate(left: Expr): Expr {
    const t = this.tok;
    let negated = false;
    if (this.isWord('not') && (this.isWord('in', this.tokens[this.i + 1]) || this.isWord('in~', this.tokens[this.i + 1]))) {
      this.next();
      negated = true;
    }
    if (this.isWord('in') || this.isWord('in~')) {
      const op = this.next();
      this.expectPunct('(');
      const values = [this.parseExpr()];
      while (this.isPunct(',')) {
        this.next();
        values.push(this.parseExpr());
      }
      this.expectPunct(')');
      return { kind: 'in', insensitive: op.text === 'in~', negated, left, values, pos: negated ? t.pos : op.pos };
    }
    if ((this.tok.kind === 'punct' && this.tok.text === ':') || (this.tok.kind === 'word' && MATCH_OPS.has(this.tok.text))) {
      const op = this.next();
      const patterns: Expr[] = [];
      if (this.isPunct('(')) {
        this.next();
        patterns.push(this.parsePattern());
        while (this.isPunct(',')) {
          this.next();
          patterns.push(this.parsePattern());
        }
        this.expectPunct(')');
      } else {
        patterns.push(this.parsePattern());
      }
      return { kind: 'match', op: op.text as MatchOp, left, patterns, pos: op.pos };
    }
    return left;
  }

  private parsePattern(): Expr {
    const t = this.tok;
    if (t.kind !== 'string') throw this.fail('a string');
    this.next();
    return { kind: 'literal', value: t.text, pos: t.pos };
  }

  private parsePrimary(): Expr {
    const t = this.tok;
    if (t.kind === 'number') {
      this.next();
      return { kind: 'literal', value: t.value!, numberText: t.text, pos: t.pos };
    }
    if (t.kind === 'string') {
      this.next();
      return { kind: 'literal', value: t.text, pos: t.pos };
    }
    if (this.isPunct('(')) {
      this.next();
      const e = this.parseExpr();
      this.expectPunct(')');
      return e;
    }
    if (this.isWord('null') || this.isWord('true') || this.isWord('false')) {
      this.next();
      return { kind: 'literal', value: t.text === 'null' ? null : t.text === 'true', pos: t.pos };
    }
    if (t.kind === 'word' && this.isPunct('(', this.tokens[this.i + 1])) return this.parseCall();
    if (t.kind === 'quoted' || (t.kind === 'word' && !KEYWORDS.has(t.text) && !t.text.endsWith('~'))) return this.parseName();
    throw this.fail('a field name, a value or "("');
  }

  private parseCall(): Expr {
    const t = this.next();
    const insensitive = t.text.endsWith('~');
    const name = insensitive ? t.text.slice(0, -1) : t.text;
    const spec = EQL_FUNCTIONS[name];
    if (!spec) throw this.fail(`a known function (${Object.keys(EQL_FUNCTIONS).join(', ')})`, t);
    if (insensitive && !spec.tilde) throw this.fail(`${name} without ~ (it has no case-insensitive form)`, t);
    this.expectPunct('(');
    const args: Expr[] = [];
    if (!this.isPunct(')')) {
      args.push(this.parseExpr());
      while (this.isPunct(',')) {
        this.next();
        args.push(this.parseExpr());
      }
    }
    const close = this.expectPunct(')');
    if (args.length < spec.min || args.length > spec.max) {
      const want = spec.max === spec.min ? `${spec.min}` : spec.max === Infinity ? `at least ${spec.min}` : `${spec.min} to ${spec.max}`;
      throw this.fail(`${want} arguments to ${name}`, close);
    }
    return { kind: 'call', name, insensitive, args, pos: t.pos };
  }

  /** name ('.' name)*, each part a word or a `quoted` name; `[n]` array indexes are unsupported. */
  private parseName(): Expr {
    const first = this.tok;
    const parts = [this.next().text];
    while (true) {
      if (this.isPunct('.')) {
        this.next();
        const p = this.tok;
        if (p.kind === 'quoted' || p.kind === 'word') {
          parts.push(this.next().text);
          continue;
        }
        throw this.fail('a field name after "."');
      }
      if (this.isPunct('[') && this.tokens[this.i + 1]?.kind === 'number') throw this.unsupported('EQL array indexes in field names (f[0]) are not supported');
      break;
    }
    return { kind: 'field', name: parts.join('.'), pos: first.pos };
  }
}

export type { Pos };
