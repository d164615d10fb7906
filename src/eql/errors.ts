// EQL parse problems. A syntax error has the shape of KQL's (query text, offset, line, column,
// reason) so rule files print it the same way (formatKqlError). An unsupported construct is valid
// EQL that kql-edge does not run: the rule is skipped with that reason.
import { END_OF_INPUT, QuerySyntaxError, QueryUnsupportedError } from '../query/errors.js';

export class EqlSyntaxError extends QuerySyntaxError {
  constructor(init: { source: string; offset: number; line: number; column: number; reason: string; found?: string }) {
    super({ ...init, expected: [], found: init.found ?? END_OF_INPUT });
    this.name = 'EqlSyntaxError';
  }
}

/** Valid EQL that kql-edge does not evaluate (pipes, sample, join, runs, missing events, ...). */
export class EqlUnsupportedError extends QueryUnsupportedError {
  constructor(reason: string, line: number, column: number) {
    super(reason, line, column);
    this.name = 'EqlUnsupportedError';
  }
}
