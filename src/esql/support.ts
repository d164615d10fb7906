// Can kql-edge run this ES|QL query, and if not, why? Used when rules are loaded (an unsupported
// rule is skipped with the reason and the position of the blocking construct) and by the compiler.
import type { FieldType } from '../fields/types.js';
import type { EsqlQuery } from './ast.js';
import { parseEsql } from './parser.js';
import { EsqlUnsupportedError } from './errors.js';
import { EsqlLoweringError } from './lower.js';
import { compilePipeline, type EsqlPipeline } from './pipeline.js';
import { compileStats, rewriteForStats, statsParts, type StatsSpec } from './stats.js';

/** A per-event pipeline; with STATS, the commands before it, and the window spec of STATS and after. */
export type LoweredEsql = EsqlPipeline & { stats?: StatsSpec };

/** Compiles a parsed query for the module; throws EsqlLoweringError (with a position) for what it cannot do. */
export function lowerEsql(q: EsqlQuery, typeOf: (field: string) => FieldType): LoweredEsql {
  const parts = statsParts(q);
  if (!parts) return compilePipeline(q, typeOf);
  const { pre, stats, sumColumns } = rewriteForStats(parts.pre, parts.stats, typeOf);
  const pipeline = compilePipeline({ from: q.from, commands: pre }, typeOf);
  const registerOf = (column: string) => pipeline.outputs.find((o) => o.name === column)?.reg;
  return { ...pipeline, stats: compileStats(stats, parts.post, typeOf, registerOf, sumColumns) };
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
