// The event time of a record (new-terms.md, "Event time"): what `now` means in date math and the
// time New Terms windows are measured in. Never the wall clock: replaying a log gives the same
// answers every time.

import { valuesAt } from './document.js';
import type { EcsView } from './ecs-view.js';
import { dateDocValue } from './values/date.js';

/** Candidate fields of the audit event itself, in order, looked up in the view (raw, gke, aks, embedded). */
export const AUDIT_EVENT_TIME_FIELDS: readonly string[] = [
  'kubernetes.audit.stageTimestamp',
  'kubernetes.audit.requestReceivedTimestamp',
  'kubernetes.audit.timestamp',
];

/** The first value at `path` (document order) that parses as a date, in ms. */
export function firstDate(doc: unknown, path: string): number | undefined {
  for (const value of valuesAt(doc, path)) {
    const ms = dateDocValue(value);
    if (ms !== undefined) return ms;
  }
  return undefined;
}

/**
 * Event time, first that yields a date:
 *  1. the rule's timestamp_override field, in the record itself;
 *  2. `@timestamp`, in the record itself;
 *  3. for an audit event (view shape raw, gke, aks, embedded): kubernetes.audit.stageTimestamp,
 *     then .requestReceivedTimestamp, then .timestamp (older audit format), in the view;
 *  4. for an AKS record: the wrapper's `time`;
 *  5. `hostTimeMs` (Fluent Bit's record time; the CLI/server's read time).
 * A value that does not parse as a date is skipped like a missing one.
 */
export function eventTime(record: unknown, view: EcsView | null, timestampOverride: string | undefined, hostTimeMs: number): number {
  if (timestampOverride !== undefined && timestampOverride !== '') {
    const t = firstDate(record, timestampOverride);
    if (t !== undefined) return t;
  }
  const stamped = firstDate(record, '@timestamp');
  if (stamped !== undefined) return stamped;
  if (view !== null && view.shape !== 'ecs') {
    for (const field of AUDIT_EVENT_TIME_FIELDS) {
      const t = firstDate(view.doc, field);
      if (t !== undefined) return t;
    }
  }
  if (view?.shape === 'aks') {
    const t = firstDate(record, 'time');
    if (t !== undefined) return t;
  }
  return hostTimeMs;
}
