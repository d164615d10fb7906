// The reference for EQL sequences over a stream (docs/semantics.md, "EQL sequences"): records are
// taken in arrival order; per join key, a record that matches stage i advances the pending sequence
// of that key that has matched stages 0..i-1 (the most recent one: Elasticsearch's sequence matcher
// takes the latest earlier candidate and drops older ones), provided its event time is not before
// that sequence's previous stage and is within maxspan of its first stage. Matching the last stage
// completes the sequence: the record alerts. Stages are tried from the last to the first, so one
// record never serves two stages of the same sequence. No memory bound here (the module has one).
import type { SequenceQuery, Expr } from '../eql/ast.js';
import type { FieldTable } from '../fields/table.js';
import { toEcsView } from './ecs-view.js';
import { eventTime } from './event-time.js';
import { valuesAt } from './document.js';
import { keywordTerm } from './values/keyword.js';
import { evaluateEqlEvent } from './eql.js';

/** Longest identity kept for an alert (UTF-8 bytes); a longer auditID is reported as null. */
export const SEQUENCE_ID_MAX_BYTES = 47;

export interface SequenceStageHit {
  /** Event time, ISO 8601 UTC with milliseconds. */
  time: string;
  auditID: string | null;
}

export interface SequenceStreamOptions {
  fields: FieldTable;
  /** Host time of the records (records without an event time of their own use it): one for all, or per record index. */
  hostTimeMs: number | ((index: number) => number);
  timestampOverride?: string;
  /** Learning period (ms) from the first event time a stage matched: completions do not alert. */
  learningMs?: number;
}

interface Pending {
  times: number[];
  ids: (string | null)[];
}

/** The join key of a stage on a document: one value per key field, else none (missing or several values). */
function joinKey(keys: Expr[], doc: Record<string, unknown>): string | undefined {
  const parts: string[] = [];
  for (const k of keys) {
    if (k.kind !== 'field') return undefined;
    const terms = valuesAt(doc, k.name)
      .map((v) => keywordTerm(v, null))
      .filter((t): t is string => t !== undefined);
    if (terms.length !== 1) return undefined;
    parts.push(terms[0]);
  }
  return JSON.stringify(parts);
}

function identity(doc: Record<string, unknown>): string | null {
  const id = valuesAt(doc, 'kubernetes.audit.auditID').find((v): v is string => typeof v === 'string');
  if (id === undefined || Buffer.byteLength(id, 'utf8') > SEQUENCE_ID_MAX_BYTES) return null;
  return id;
}

/** For each record in arrival order: the completed sequence it alerts for (its stages in order), or null. */
export function eqlSequenceStream(q: SequenceQuery, records: readonly unknown[], options: SequenceStreamOptions): (SequenceStageHit[] | null)[] {
  const pending = new Map<string, Pending>(); // key + stages matched -> the pending sequence
  const slot = (key: string, matched: number): string => `${matched}|${key}`;
  const maxspan = q.maxspanMs;
  let firstTime: number | undefined;
  const hostTime = typeof options.hostTimeMs === 'number' ? () => options.hostTimeMs as number : options.hostTimeMs;
  return records.map((record, index) => {
    const view = toEcsView(record);
    if (view === null) return null;
    const t = eventTime(record, view, options.timestampOverride, hostTime(index));
    const ctx = { fields: options.fields, now: t };
    const hits = q.stages.map((s) => evaluateEqlEvent(s.query, view.doc, ctx));
    const untilHit = q.until !== undefined && evaluateEqlEvent(q.until.query, view.doc, ctx);
    if (!hits.some(Boolean) && !untilHit) return null;
    if (firstTime === undefined) firstTime = t;
    const learning = (options.learningMs ?? 0) > 0 && t < firstTime + options.learningMs!;
    const id = identity(view.doc);
    if (untilHit) {
      // until ends every pending sequence of the record's key, before the record's own stages count.
      const key = joinKey([...q.by, ...q.until!.by], view.doc);
      if (key !== undefined) for (let m = 1; m < q.stages.length; m++) pending.delete(slot(key, m));
    }
    let completed: SequenceStageHit[] | null = null;
    for (let i = q.stages.length - 1; i >= 0; i--) {
      if (!hits[i]) continue;
      const key = joinKey([...q.by, ...q.stages[i].by], view.doc);
      if (key === undefined) continue;
      if (i === 0) {
        pending.set(slot(key, 1), { times: [t], ids: [id] });
        continue;
      }
      const prev = pending.get(slot(key, i));
      if (!prev) continue;
      if (t < prev.times[i - 1]) continue;
      if (maxspan !== undefined && t - prev.times[0] > maxspan) {
        pending.delete(slot(key, i));
        continue;
      }
      pending.delete(slot(key, i));
      const next = { times: [...prev.times, t], ids: [...prev.ids, id] };
      if (i === q.stages.length - 1) {
        if (!learning && completed === null) completed = next.times.map((time, s) => ({ time: new Date(time).toISOString(), auditID: next.ids[s] }));
      } else {
        pending.set(slot(key, i + 1), next);
      }
    }
    return completed;
  });
}
