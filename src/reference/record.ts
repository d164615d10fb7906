// Evaluate a query on a record the way the filter does: ECS view, event time, then the query.

import type { Node } from '../kql/ast.js';
import type { FieldTable } from '../fields/table.js';
import { toEcsView } from './ecs-view.js';
import { eventTime } from './event-time.js';
import { evaluate } from './evaluate.js';

export interface RecordOptions {
  fields: FieldTable;
  /** The host's time for the record (used when the record carries no event time). */
  hostTimeMs: number;
  /** The rule's timestamp_override field, if any. */
  timestampOverride?: string;
}

/** Does the query match the record? A record that is not a JSON object matches nothing. */
export function evaluateRecord(query: Node, record: unknown, options: RecordOptions): boolean {
  const view = toEcsView(record);
  if (view === null) return false;
  const now = eventTime(record, view, options.timestampOverride, options.hostTimeMs);
  return evaluate(query, view.doc, { fields: options.fields, now });
}
