// ES|QL parse problems, shaped like KQL's and EQL's syntax errors (query text, offset, line, column,
// reason) so rule files print them the same way. An unsupported construct is valid ES|QL that
// kql-edge does not run: the rule is skipped with that reason (never run with another meaning).
import { END_OF_INPUT } from '../kql/errors.js';

export class EsqlSyntaxError extends Error {
  readonly source: string;
  readonly offset: number;
  readonly line: number;
  readonly column: number;
  readonly expected: string[];
  readonly found: string;
  readonly reason: string;

  constructor(init: { source: string; offset: number; line: number; column: number; reason: string; found?: string }) {
    super(`line ${init.line}, column ${init.column}: ${init.reason}`);
    this.name = 'EsqlSyntaxError';
    this.source = init.source;
    this.offset = init.offset;
    this.line = init.line;
    this.column = init.column;
    this.expected = [];
    this.found = init.found ?? END_OF_INPUT;
    this.reason = init.reason;
  }
}

/** Valid ES|QL that kql-edge does not evaluate (a command, function or pattern outside the supported set). */
export class EsqlUnsupportedError extends Error {
  constructor(
    readonly reason: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(`line ${line}, column ${column}: ${reason}`);
    this.name = 'EsqlUnsupportedError';
  }
}
