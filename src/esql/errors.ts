// ES|QL parse problems, shaped like KQL's and EQL's syntax errors (query text, offset, line, column,
// reason) so rule files print them the same way. An unsupported construct is valid ES|QL that
// kql-edge does not run: the rule is skipped with that reason (never run with another meaning).
import { END_OF_INPUT, QuerySyntaxError, QueryUnsupportedError } from '../query/errors.js';

export class EsqlSyntaxError extends QuerySyntaxError {
  constructor(init: { source: string; offset: number; line: number; column: number; reason: string; found?: string }) {
    super({ ...init, expected: [], found: init.found ?? END_OF_INPUT });
    this.name = 'EsqlSyntaxError';
  }
}

/** Valid ES|QL that kql-edge does not evaluate (a command, function or pattern outside the supported set). */
export class EsqlUnsupportedError extends QueryUnsupportedError {
  constructor(reason: string, line: number, column: number) {
    super(reason, line, column);
    this.name = 'EsqlUnsupportedError';
  }
}
