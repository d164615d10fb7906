// The alert rows a STATS rule's alert carries: every row (`esql_rows`) when several groups alerted
// on the record, else its one `esql` object.
import type { FluentBitHost } from '../../src/host/fluent-bit-host.js';

export function moduleRows(h: FluentBitHost, record: string, timeMs: number): Record<string, unknown>[] {
  const out = h.filter(Buffer.from(record), timeMs);
  if (out.verdict !== 'tagged') return [];
  const alerts = (JSON.parse(out.output.toString()) as { kql_edge: { alerts: { esql?: Record<string, unknown>; esql_rows?: Record<string, unknown>[] }[] } }).kql_edge.alerts;
  return alerts.flatMap((a) => a.esql_rows ?? (a.esql ? [a.esql] : [{}]));
}
