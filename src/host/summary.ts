// The human-readable summary `kql-edge run` prints on stderr.
import type { ModuleStats } from './fluent-bit-host.js';
import type { ProgramIR } from '../compiler/ir.js';

export function formatSummary(stats: ModuleStats | undefined, ir: ProgramIR, seconds: number): string {
  if (!stats) return 'kql-edge: no counters available from this module';
  const lines = [
    `kql-edge: ${stats.records} records in ${seconds.toFixed(2)} s: ${stats.tagged} tagged, ${stats.passed} passed through, ` +
      `${stats.dropped} dropped (alerts-only), ${stats.invalid} candidates that were not one JSON object (passed through), ${stats.errors} errors`,
  ];
  for (const r of stats.rules) {
    const rule = ir.rules.find((x) => x.ruleId === r.id);
    let line = `  ${r.alerts} alerts  ${r.matches} query matches  ${r.id}  ${rule?.name ?? ''}`;
    if (r.terms !== undefined) {
      line += `\n      new terms: ${r.terms} stored of ${r.capacity}, ${r.evictions_in_window} evicted inside their window, ${r.expirations} expired`;
    }
    if (r.sequences !== undefined) {
      line += `\n      sequences: ${r.sequences} pending of ${r.sequence_capacity}, ${r.sequence_completions} completed, ${r.sequence_evictions_in_window} evicted inside their maxspan, ${r.sequence_expirations} expired`;
    }
    if (r.window_groups !== undefined) {
      line += `\n      windows: ${r.window_groups} groups in ${r.window_bytes} of ${r.window_capacity_bytes} bytes (${r.window_pooled_bytes ?? 0} more kept for reuse), ${r.window_evictions_in_window} evicted inside their window, ${r.window_expirations} expired, ${r.window_event_evictions} events dropped from oversized groups`;
    }
    lines.push(line);
  }
  return lines.join('\n');
}
