// Error shapes shared by the query front ends (KQL, EQL, ES|QL). Every syntax error carries the
// query text, offset, 1-based line and column, and a reason, so rule files print them the same way
// whatever the language. Each front end subclasses these with its own class name.

/** What `found` holds when the parser ran out of text. */
export const END_OF_INPUT = 'end of input';

export interface QuerySyntaxErrorInit {
  /** The whole query text the error refers to. */
  source: string;
  /** 0-based offset into `source`. */
  offset: number;
  /** 1-based line (only LF starts a new line). */
  line: number;
  /** 1-based column, counted in UTF-16 code units. */
  column: number;
  /** Human-readable alternatives, e.g. `a value`, `")"`, `end of query` (may be empty). */
  expected: string[];
  /** The offending text, or END_OF_INPUT. */
  found: string;
  /** The message without its `line L, column C: ` prefix. */
  reason: string;
}

export class QuerySyntaxError extends Error {
  readonly source: string;
  readonly offset: number;
  readonly line: number;
  readonly column: number;
  readonly expected: string[];
  readonly found: string;
  /** The message without its `line L, column C: ` prefix (used when the position is re-mapped to a file). */
  readonly reason: string;

  constructor(init: QuerySyntaxErrorInit) {
    super(`line ${init.line}, column ${init.column}: ${init.reason}`);
    this.name = 'QuerySyntaxError';
    this.source = init.source;
    this.offset = init.offset;
    this.line = init.line;
    this.column = init.column;
    this.expected = [...init.expected];
    this.found = init.found;
    this.reason = init.reason;
  }
}

/** Valid query text that kql-edge does not evaluate: the rule is skipped with this reason. */
export class QueryUnsupportedError extends Error {
  constructor(
    readonly reason: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(`line ${line}, column ${column}: ${reason}`);
    this.name = 'QueryUnsupportedError';
  }
}
