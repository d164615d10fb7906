// Can kql-edge run this ES|QL query, and if not, why? Used when rules are loaded (an unsupported
// rule is skipped with the reason and the position of the blocking construct) and by the compiler.
import type { FieldType } from '../fields/types.js';
import type { EsqlQuery } from './ast.js';
import { parseEsql } from './parser.js';
import { EsqlUnsupportedError } from './errors.js';
import { EsqlLoweringError } from './lower.js';
import { compilePipeline, type EsqlPipeline } from './pipeline.js';

/** Compiles a parsed query for the module; throws EsqlLoweringError (with a position) for what it cannot do. */
export function lowerEsql(q: EsqlQuery, typeOf: (field: string) => FieldType): EsqlPipeline {
  // STATS is named first: it is what blocks such a rule, whatever comes before it.
  const stats = q.commands.find((c) => c.kind === 'stats');
  if (stats) throw new EsqlLoweringError('ES|QL STATS … BY (windowed aggregation) is not supported by the kql-edge module yet', stats.pos);
  return compilePipeline(q, typeOf);
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
