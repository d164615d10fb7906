// EQL parse problems. A syntax error has the shape of KQL's (query text, offset, line, column,
// reason) so rule files print it the same way (formatKqlError). An unsupported construct is valid
// EQL that kql-edge does not run: the rule is skipped with that reason.
import { END_OF_INPUT } from '../kql/errors.js';

export class EqlSyntaxError extends Error {
  readonly source: string;
  readonly offset: number;
  readonly line: number;
  readonly column: number;
  readonly expected: string[];
  readonly found: string;
  readonly reason: string;

  constructor(init: { source: string; offset: number; line: number; column: number; reason: string; found?: string }) {
    super(`line ${init.line}, column ${init.column}: ${init.reason}`);
    this.name = 'EqlSyntaxError';
    this.source = init.source;
    this.offset = init.offset;
    this.line = init.line;
    this.column = init.column;
    this.expected = [];
    this.found = init.found ?? END_OF_INPUT;
    this.reason = init.reason;
  }
}

/** Valid EQL that kql-edge does not evaluate (pipes, sample, join, runs, missing events, ...). */
export class EqlUnsupportedError extends Error {
  constructor(
    readonly reason: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(`line ${line}, column ${column}: ${reason}`);
    this.name = 'EqlUnsupportedError';
  }
}
