// Can kql-edge run this ES|QL query, and if not, why? Used when rules are loaded (an unsupported
// rule is skipped with the reason and the position of the blocking construct) and by the compiler.
import type { FieldType } from '../fields/types.js';
import type { EsqlQuery } from './ast.js';
import { parseEsql } from './parser.js';
import { EsqlUnsupportedError } from './errors.js';
import { EsqlLoweringError, lowerEsqlWhere } from './lower.js';
import type { Lowered } from '../eql/lower.js';

/** Lowers a parsed query; throws EsqlLoweringError (with a position) for what the module cannot do. */
export function lowerEsql(q: EsqlQuery, typeOf: (field: string) => FieldType): Lowered {
  return lowerEsqlWhere(q, typeOf);
}

/** Why the query cannot run (syntax errors are thrown, not returned). */
export function esqlSkipReason(query: string, typeOf: (field: string) => FieldType): string | undefined {
  let parsed: EsqlQuery;
  try {
    parsed = parseEsql(query);
  } catch (e) {
    if (e instanceof EsqlUnsupportedError) return `${e.reason} (line ${e.line}, column ${e.column} of the query)`;
    throw e;
  }
  try {
    lowerEsql(parsed, typeOf);
  } catch (e) {
    if (e instanceof EsqlLoweringError) return `${e.reason} (line ${e.pos.line}, column ${e.pos.column} of the query)`;
    throw e;
  }
  return undefined;
}
