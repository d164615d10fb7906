// ES|QL parser: `FROM …[METADATA …]` then `| command` …, with the expression grammar of the ES|QL
// reference (precedence, lowest first: OR, AND, NOT, predicates (comparison, [NOT] IN, [NOT] LIKE,
// [NOT] RLIKE, IS [NOT] NULL), + -, * / %, unary -, primary). Commands kql-edge does not evaluate
// are recognised and reported as unsupported with their position; anything else is a syntax error.
import type { Assignment, Command, CompareOp, EsqlQuery, Expr, Pos } from './ast.js';
import { EsqlUnsupportedError } from './errors.js';
import { Lexer, type Token } from './lexer.js';

/** Commands of the ES|QL language that kql-edge recognises but does not run. */
const OTHER_COMMANDS = ['sort', 'rename', 'dissect', 'enrich', 'mv_expand', 'lookup', 'inlinestats', 'change_point', 'fork', 'completion', 'sample', 'rerank', 'row', 'show', 'metrics', 'ts', 'join', 'lookup_join', 'rrf', 'fuse'];
const RESERVED = new Set(['and', 'or', 'not', 'in', 'like', 'rlike', 'is', 'null', 'true', 'false', 'by', 'metadata']);

/** Time units of span literals (`1 minute`): length in ms; calendar units have no fixed length. */
const TIME_UNITS: Record<string, { ms: number; calendar: boolean }> = {};
for (const [names, ms, calendar] of [
  [['millisecond', 'milliseconds', 'ms'], 1, false],
  [['second', 'seconds', 'sec', 's'], 1000, false],
  [['minute', 'minutes', 'min'], 60_000, false],
  [['hour', 'hours', 'h'], 3_600_000, false],
  [['day', 'days', 'd'], 86_400_000, false],
  [['week', 'weeks', 'w'], 7 * 86_400_000, false],
  [['month', 'months', 'mo'], 0, true],
  [['quarter', 'quarters', 'q'], 0, true],
  [['year', 'years', 'yr', 'y'], 0, true],
] as [string[], number, boolean][]) {
  for (const n of names) TIME_UNITS[n] = { ms, calendar };
}

export function parseEsql(text: string): EsqlQuery {
  return new Parser(text).query();
}

class Parser {
  private readonly lx: Lexer;
  constructor(private readonly text: string) {
    this.lx = new Lexer(text);
  }

  private peek(): Token {
    return this.lx.peek();
  }
  private next(): Token {
    return this.lx.next();
  }
  private isWord(tok: Token, word: string): boolean {
    return tok.kind === 'word' && tok.text.toLowerCase() === word;
  }
  private isPunct(tok: Token, p: string): boolean {
    return tok.kind === 'punct' && tok.text === p;
  }
  private fail(tok: Token, reason: string): never {
    throw this.lx.error(tok.pos.offset, reason);
  }
  private unsupported(pos: Pos, reason: string): never {
    throw new EsqlUnsupportedError(reason, pos.line, pos.column);
  }
  private expectPunct(p: string, what = `'${p}'`): Token {
    const tok = this.next();
    if (!this.isPunct(tok, p)) this.fail(tok, `expected ${what}, found ${describe(tok)}`);
    return tok;
  }

  query(): EsqlQuery {
    const first = this.next();
    if (!this.isWord(first, 'from')) {
      if (first.kind === 'word' && ['row', 'show', 'metrics', 'ts'].includes(first.text.toLowerCase())) this.unsupported(first.pos, `the ES|QL source command ${first.text.toUpperCase()} is not supported by kql-edge (only FROM)`);
      this.fail(first, `expected FROM, found ${describe(first)}`);
    }
    const indices: string[] = [this.lx.sourceName().text];
    while (this.isPunct(this.peek(), ',')) {
      this.next();
      indices.push(this.lx.sourceName().text);
    }
    const metadata: string[] = [];
    if (this.isWord(this.peek(), 'metadata')) {
      this.next();
      metadata.push(this.identifier());
      while (this.isPunct(this.peek(), ',')) {
        this.next();
        metadata.push(this.identifier());
      }
    }
    const from = { kind: 'from' as const, indices, metadata, pos: first.pos };
    const commands: Command[] = [];
    while (true) {
      const tok = this.next();
      if (tok.kind === 'eof') break;
      if (!this.isPunct(tok, '|')) this.fail(tok, `expected '|' or the end of the query, found ${describe(tok)}`);
      commands.push(this.command());
    }
    return { from, commands };
  }

  private identifier(): string {
    const tok = this.next();
    if (tok.kind === 'quoted') return tok.text;
    if (tok.kind === 'word' && !RESERVED.has(tok.text.toLowerCase())) return tok.text;
    return this.fail(tok, `expected a name, found ${describe(tok)}`);
  }

  private command(): Command {
    const tok = this.next();
    const word = tok.kind === 'word' ? tok.text.toLowerCase() : '';
    switch (word) {
      case 'where':
        return { kind: 'where', condition: this.expression(), pos: tok.pos };
      case 'eval':
        return { kind: 'eval', fields: this.assignments(), pos: tok.pos };
      case 'grok': {
        const input = this.primary();
        const p = this.next();
        if (p.kind !== 'string') this.fail(p, `expected a GROK pattern string, found ${describe(p)}`);
        return { kind: 'grok', input, pattern: p.text, patternPos: p.pos, pos: tok.pos };
      }
      case 'stats': {
        const next = this.peek();
        const aggs = this.isWord(next, 'by') || this.atCommandEnd(next) ? [] : this.assignments(true);
        let by: Assignment[] = [];
        if (this.isWord(this.peek(), 'by')) {
          this.next();
          by = this.assignments();
        }
        if (aggs.length === 0 && by.length === 0) this.fail(this.peek(), 'STATS needs an aggregation or BY');
        return { kind: 'stats', aggs, by, pos: tok.pos };
      }
      case 'keep':
      case 'drop': {
        const patterns = [this.namePattern()];
        while (this.isPunct(this.peek(), ',')) {
          this.next();
          patterns.push(this.namePattern());
        }
        return { kind: word, patterns, pos: tok.pos };
      }
      case 'limit': {
        const n = this.next();
        if (n.kind !== 'number' || !n.integer) this.fail(n, `expected an integer after LIMIT, found ${describe(n)}`);
        return { kind: 'limit', count: n.value!, pos: tok.pos };
      }
    }
    if (OTHER_COMMANDS.includes(word)) this.unsupported(tok.pos, `the ES|QL command ${word.toUpperCase()} is not supported by kql-edge`);
    return this.fail(tok, `expected an ES|QL processing command, found ${describe(tok)}`);
  }

  private atCommandEnd(tok: Token): boolean {
    return tok.kind === 'eof' || this.isPunct(tok, '|');
  }

  /** `name = expr` or `expr` (the column is then named after the expression's text), comma-separated. */
  private assignments(aggregates = false): Assignment[] {
    const out = [this.assignment(aggregates)];
    while (this.isPunct(this.peek(), ',')) {
      this.next();
      out.push(this.assignment(aggregates));
    }
    return out;
  }

  private assignment(aggregate: boolean): Assignment {
    const save = this.lx.offset;
    const start = this.peek();
    if (start.kind === 'word' || start.kind === 'quoted') {
      try {
        const name = this.qualifiedName();
        if (this.isPunct(this.peek(), '=')) {
          this.next();
          const expr = this.expression();
          this.aggFilter(aggregate);
          return { name, expr, pos: start.pos };
        }
      } catch {
        // not a name: parse as an expression below
      }
      this.lx.offset = save;
    }
    const expr = this.expression();
    const name = this.text.slice(start.pos.offset, this.lx.offset).trim();
    this.aggFilter(aggregate);
    return { name, expr, pos: start.pos };
  }

  private aggFilter(aggregate: boolean): void {
    const tok = this.peek();
    if (aggregate && this.isWord(tok, 'where')) this.unsupported(tok.pos, 'a per-aggregation WHERE filter in STATS is not supported by kql-edge');
  }

  private qualifiedName(): string {
    const parts = [this.identifier()];
    while (this.isPunct(this.peek(), '.')) {
      this.next();
      parts.push(this.identifier());
    }
    return parts.join('.');
  }

  /** A KEEP/DROP name pattern: name parts and `*`, written without spaces (`Esql.*`, `*`, `user.*name`). */
  private namePattern(): string {
    let out = '';
    let end = -1;
    while (true) {
      const tok = this.peek();
      if (end >= 0 && tok.pos.offset !== end) break;
      if (tok.kind === 'quoted') {
        if (tok.text.includes('*')) this.unsupported(tok.pos, 'a backtick-quoted name holding * in KEEP or DROP is not supported by kql-edge');
        out += tok.text;
      } else if (tok.kind === 'word' && !RESERVED.has(tok.text.toLowerCase())) out += tok.text;
      else if (this.isPunct(tok, '*') || (this.isPunct(tok, '.') && out !== '')) out += tok.text;
      else break;
      this.next();
      end = tok.end;
    }
    if (out === '') this.fail(this.peek(), `expected a column name or pattern, found ${describe(this.peek())}`);
    return out;
  }

  expression(): Expr {
    return this.or();
  }

  private or(): Expr {
    let left = this.and();
    while (this.isWord(this.peek(), 'or')) {
      const tok = this.next();
      left = { kind: 'or', left, right: this.and(), pos: tok.pos };
    }
    return left;
  }

  private and(): Expr {
    let left = this.not();
    while (this.isWord(this.peek(), 'and')) {
      const tok = this.next();
      left = { kind: 'and', left, right: this.not(), pos: tok.pos };
    }
    return left;
  }

  private not(): Expr {
    const tok = this.peek();
    if (this.isWord(tok, 'not')) {
      this.next();
      return { kind: 'not', child: this.not(), pos: tok.pos };
    }
    return this.predicate();
  }

  private predicate(): Expr {
    const left = this.comparison();
    let tok = this.peek();
    if (this.isWord(tok, 'is')) {
      this.next();
      let negated = false;
      if (this.isWord(this.peek(), 'not')) {
        this.next();
        negated = true;
      }
      const n = this.next();
      if (!this.isWord(n, 'null')) this.fail(n, `expected NULL, found ${describe(n)}`);
      return { kind: 'isnull', child: left, negated, pos: tok.pos };
    }
    let negated = false;
    if (this.isWord(tok, 'not')) {
      const save = this.lx.offset;
      this.next();
      const after = this.peek();
      if (!this.isWord(after, 'in') && !this.isWord(after, 'like') && !this.isWord(after, 'rlike')) {
        this.lx.offset = save;
        return left;
      }
      negated = true;
      tok = after;
    }
    if (this.isWord(tok, 'in')) {
      this.next();
      this.expectPunct('(', "'(' after IN");
      const values = [this.comparison()];
      while (this.isPunct(this.peek(), ',')) {
        this.next();
        values.push(this.comparison());
      }
      this.expectPunct(')', "')' closing the IN list");
      return { kind: 'in', left, values, negated, pos: tok.pos };
    }
    if (this.isWord(tok, 'like') || this.isWord(tok, 'rlike')) {
      this.next();
      const p = this.next();
      if (this.isPunct(p, '(')) this.unsupported(p.pos, `a list of patterns after ${tok.text.toUpperCase()} is not supported by kql-edge`);
      if (p.kind !== 'string') this.fail(p, `expected a pattern string after ${tok.text.toUpperCase()}, found ${describe(p)}`);
      return { kind: tok.text.toLowerCase() as 'like' | 'rlike', left, pattern: p.text, patternPos: p.pos, negated, pos: tok.pos };
    }
    return left;
  }

  private comparison(): Expr {
    const left = this.additive();
    const tok = this.peek();
    if (tok.kind === 'punct' && ['==', '!=', '<', '<=', '>', '>='].includes(tok.text)) {
      this.next();
      return { kind: 'compare', op: tok.text as CompareOp, left, right: this.additive(), pos: tok.pos };
    }
    if (this.isPunct(tok, ':')) this.unsupported(tok.pos, 'the ES|QL match operator : is not supported by kql-edge');
    return left;
  }

  private additive(): Expr {
    let left = this.multiplicative();
    while (true) {
      const tok = this.peek();
      if (!this.isPunct(tok, '+') && !this.isPunct(tok, '-')) return left;
      this.next();
      left = { kind: 'arith', op: tok.text as '+' | '-', left, right: this.multiplicative(), pos: tok.pos };
    }
  }

  private multiplicative(): Expr {
    let left = this.unary();
    while (true) {
      const tok = this.peek();
      if (!this.isPunct(tok, '*') && !this.isPunct(tok, '/') && !this.isPunct(tok, '%')) return left;
      this.next();
      left = { kind: 'arith', op: tok.text as '*' | '/' | '%', left, right: this.unary(), pos: tok.pos };
    }
  }

  private unary(): Expr {
    const tok = this.peek();
    if (this.isPunct(tok, '-')) {
      this.next();
      const child = this.unary();
      if (child.kind === 'literal' && (child.type === 'integer' || child.type === 'double')) return { ...child, value: -child.value, text: `-${child.text}`, pos: tok.pos };
      return { kind: 'neg', child, pos: tok.pos };
    }
    if (this.isPunct(tok, '+')) {
      this.next();
      return this.unary();
    }
    return this.primary();
  }

  private primary(): Expr {
    const tok = this.next();
    let expr: Expr;
    if (tok.kind === 'string') expr = { kind: 'literal', type: 'keyword', value: tok.text, pos: tok.pos };
    else if (tok.kind === 'number') {
      const unit = this.peek();
      const spec = unit.kind === 'word' ? TIME_UNITS[unit.text.toLowerCase()] : undefined;
      if (spec && tok.integer) {
        this.next();
        expr = { kind: 'span', ms: spec.ms * tok.value!, text: `${tok.text} ${unit.text}`, calendar: spec.calendar, pos: tok.pos };
      } else if (tok.integer) {
        expr = { kind: 'literal', type: 'integer', value: tok.value!, text: tok.text, pos: tok.pos };
      } else expr = { kind: 'literal', type: 'double', value: tok.value!, text: tok.text, pos: tok.pos };
    } else if (this.isPunct(tok, '(')) {
      expr = this.expression();
      this.expectPunct(')', "')'");
    } else if (this.isPunct(tok, '?')) {
      return this.unsupported(tok.pos, 'query parameters (?) are not supported by kql-edge');
    } else if (tok.kind === 'word' && ['null', 'true', 'false'].includes(tok.text.toLowerCase())) {
      const w = tok.text.toLowerCase();
      expr = w === 'null' ? { kind: 'literal', type: 'null', value: null, pos: tok.pos } : { kind: 'literal', type: 'boolean', value: w === 'true', pos: tok.pos };
    } else if (tok.kind === 'word' && this.isPunct(this.peek(), '(') && !RESERVED.has(tok.text.toLowerCase())) {
      this.next();
      const args: Expr[] = [];
      let star = false;
      if (this.isPunct(this.peek(), '*')) {
        const s = this.next();
        star = true;
        if (!this.isPunct(this.peek(), ')')) this.fail(s, 'expected ) after *');
      } else if (!this.isPunct(this.peek(), ')')) {
        args.push(this.expression());
        while (this.isPunct(this.peek(), ',')) {
          this.next();
          args.push(this.expression());
        }
      }
      this.expectPunct(')', "')' closing the call");
      expr = { kind: 'call', name: tok.text.toLowerCase(), args, star, pos: tok.pos };
    } else if ((tok.kind === 'word' && !RESERVED.has(tok.text.toLowerCase())) || tok.kind === 'quoted') {
      const parts = [tok.text];
      while (this.isPunct(this.peek(), '.')) {
        this.next();
        parts.push(this.identifier());
      }
      expr = { kind: 'field', name: parts.join('.'), pos: tok.pos };
    } else return this.fail(tok, `expected an expression, found ${describe(tok)}`);
    if (this.isPunct(this.peek(), '::')) this.unsupported(this.peek().pos, 'the ES|QL cast operator :: is not supported by kql-edge');
    return expr;
  }
}

function describe(tok: Token): string {
  if (tok.kind === 'eof') return 'the end of the query';
  if (tok.kind === 'string') return `the string ${JSON.stringify(tok.text)}`;
  if (tok.kind === 'quoted') return `\`${tok.text}\``;
  return `'${tok.text}'`;
}
