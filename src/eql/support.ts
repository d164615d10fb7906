// Can kql-edge run this EQL query, and if not, why? Used when rules are loaded (an unsupported rule
// is skipped with the reason) and by the compiler (which lowers with the build's field table).
import type { FieldType } from '../fields/types.js';
import type { EqlQuery } from './ast.js';
import { parseEql } from './parser.js';
import { EqlUnsupportedError } from './errors.js';
import { EqlLoweringError, lowerEventQuery, type Lowered } from './lower.js';

/** Most stages of a sequence (the module keeps one slot per stage in each pending sequence). */
export const MAX_SEQUENCE_STAGES = 8;
/** Most join keys of a sequence stage. */
export const MAX_JOIN_KEYS = 3;

export interface LoweredSequence {
  stages: { condition: Lowered; keys: string[] }[];
  until?: { condition: Lowered; keys: string[] };
  maxspanMs?: number;
}

export type LoweredEql = { kind: 'event'; condition: Lowered } | ({ kind: 'sequence' } & LoweredSequence);

/** Lowers a parsed query; throws EqlLoweringError (with a position) for what the module cannot do. */
export function lowerEql(q: EqlQuery, typeOf: (field: string) => FieldType): LoweredEql {
  if (q.kind === 'event') return { kind: 'event', condition: lowerEventQuery(q, typeOf) };
  if (q.stages.length > MAX_SEQUENCE_STAGES) throw new EqlLoweringError(`a sequence of more than ${MAX_SEQUENCE_STAGES} stages is not supported by the kql-edge module`, q.pos);
  const stage = (s: (typeof q.stages)[number]): { condition: Lowered; keys: string[] } => {
    const keys = [...q.by, ...s.by].map((k) => {
      if (k.kind !== 'field') throw new EqlLoweringError('a join key that is not a plain field is not supported by the kql-edge module', k.pos);
      return k.name;
    });
    if (keys.length > MAX_JOIN_KEYS) throw new EqlLoweringError(`more than ${MAX_JOIN_KEYS} join keys are not supported by the kql-edge module`, s.query.pos);
    return { condition: lowerEventQuery(s.query, typeOf), keys };
  };
  return { kind: 'sequence', stages: q.stages.map(stage), ...(q.until ? { until: stage(q.until) } : {}), maxspanMs: q.maxspanMs };
}

/** Why the query cannot run (syntax errors are thrown, not returned). */
export function eqlSkipReason(query: string, typeOf: (field: string) => FieldType): string | undefined {
  let parsed: EqlQuery;
  try {
    parsed = parseEql(query);
  } catch (e) {
    if (e instanceof EqlUnsupportedError) return e.reason;
    throw e;
  }
  try {
    lowerEql(parsed, typeOf);
  } catch (e) {
    if (e instanceof EqlLoweringError) return `${e.reason} (line ${e.pos.line}, column ${e.pos.column} of the query)`;
    throw e;
  }
  return undefined;
}
