// Syntax errors of the KQL parser, and their rendering for rule files.
// The error carries the query text so that a caller that only knows where the query
// starts inside a file (a TOML rule, a config) can print a caret excerpt without
// re-reading anything.

import { END_OF_INPUT, QuerySyntaxError, type QuerySyntaxErrorInit } from '../query/errors.js';

export { END_OF_INPUT };

/** What the KQL parser knows at a failure; the reason is built from `expected` and `found`. */
export type KqlSyntaxErrorInit = Omit<QuerySyntaxErrorInit, 'reason'>;

export class KqlSyntaxError extends QuerySyntaxError {
  constructor(init: KqlSyntaxErrorInit) {
    const reason = `expected ${listAlternatives(init.expected)} but found ${describeFound(init)}`;
    super({ ...init, reason });
    this.name = 'KqlSyntaxError';
  }
}

function describeFound(init: KqlSyntaxErrorInit): string {
  return init.offset >= init.source.length ? END_OF_INPUT : JSON.stringify(init.found);
}

/** `a`, `a or b`, `a, b or c`. */
function listAlternatives(items: string[]): string {
  if (items.length === 0) return 'something else';
  if (items.length === 1) return items[0]!;
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

export interface KqlErrorLocation {
  /** File name to print (as the user should see it). */
  file: string;
  /** 1-based line in the file where the query text starts. */
  queryLine: number;
  /** 1-based column in the file where the query text starts on its first line (default 1). */
  queryColumn?: number;
}

/**
 * `file:line:column: reason` followed by the offending query line and a caret under the
 * error column. The position is mapped from the query to the file; it is exact when the
 * query is stored verbatim (e.g. a TOML literal string `'''...'''`).
 */
export function formatKqlError(err: KqlSyntaxError, where: KqlErrorLocation): string {
  const fileLine = where.queryLine + err.line - 1;
  const fileColumn = err.line === 1 ? (where.queryColumn ?? 1) + err.column - 1 : err.column;
  const lineText = (err.source.split('\n')[err.line - 1] ?? '').replace(/\r$/, '');
  // Keep tabs in the caret padding so the caret lines up whatever the tab width.
  const padding = lineText.slice(0, err.column - 1).replace(/[^\t]/g, ' ');
  return `${where.file}:${fileLine}:${fileColumn}: ${err.reason}\n  ${lineText}\n  ${padding}^`;
}
