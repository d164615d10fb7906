// /metrics in the Prometheus text format (prom-client). Each server has its own registry, so several
// servers in one process (tests) never share counters. The module's own counters (records, alerts
// per rule, new-terms state) are read from host.stats() when scraped.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { ModuleStats } from '../host/fluent-bit-host.js';
import type { ForwardFailure } from './forwarder.js';

export type RejectReason = 'overload' | 'too_large' | 'malformed' | 'unsupported_encoding' | 'shutting_down';

export interface MetricSources {
  moduleStats: () => ModuleStats | undefined;
  ruleName: (ruleId: string) => string;
  pending: () => { batches: number; bytes: number; outputBytes: number; waiting: number };
  retryCache: () => { entries: number; bytes: number };
  wasmMemoryBytes: () => number;
}

export class ServerMetrics {
  readonly registry = new Registry();
  readonly recordsReceived: Counter;
  readonly recordsForwarded: Counter;
  readonly batchesReceived: Counter;
  readonly batchesDelivered: Counter;
  readonly downstreamErrors: Counter<'reason'>;
  readonly duplicates: Counter<'when'>;
  readonly cacheReplays: Counter;
  readonly cacheEvictions: Counter;
  readonly cacheEvictedTagged: Counter;
  readonly retriesReevaluated: Counter;
  readonly rejected: Counter<'reason'>;
  readonly evaluationErrors: Counter;
  readonly requestDuration: Histogram<'code'>;

  constructor(sources: MetricSources) {
    const registers = [this.registry];
    const counter = <L extends string = never>(name: string, help: string, labelNames: L[] = []) =>
      new Counter<L>({ name, help, labelNames, registers });
    this.recordsReceived = counter('kqledge_records_received_total', 'Records received in accepted batches.');
    this.recordsForwarded = counter('kqledge_records_forwarded_total', 'Records delivered downstream (accepted by it).');
    this.batchesReceived = counter('kqledge_batches_received_total', 'Batches received and framed correctly.');
    this.batchesDelivered = counter('kqledge_batches_delivered_total', 'Batches the downstream accepted (answered 2xx to the sender).');
    this.downstreamErrors = counter('kqledge_downstream_errors_total', 'Forwarding attempts the downstream did not accept.', ['reason']);
    this.duplicates = counter(
      'kqledge_duplicate_batches_total',
      'Batches received again: after they were delivered (the sender did not get the answer), or while the same batch was still in flight.',
      ['when'],
    );
    this.cacheReplays = counter('kqledge_retry_cache_replays_total', 'Retried batches forwarded from the retry cache (not evaluated again).');
    this.cacheEvictions = counter('kqledge_retry_cache_evictions_total', 'Undelivered batch outputs evicted from the retry cache to stay within its bounds.');
    this.cacheEvictedTagged = counter(
      'kqledge_retry_cache_evicted_tagged_records_total',
      'Tagged records (alerts) in evicted retry-cache entries: lost if their batch is retried or never delivered.',
    );
    this.retriesReevaluated = counter(
      'kqledge_retry_reevaluated_total',
      'Retries of an undelivered batch whose cached output had been evicted: evaluated again, their new-terms alerts may be lost.',
    );
    this.rejected = counter('kqledge_rejected_requests_total', 'Requests refused before evaluation, by reason.', ['reason']);
    this.evaluationErrors = counter('kqledge_evaluation_errors_total', 'Records the host failed to evaluate (forwarded unchanged).');
    this.requestDuration = new Histogram<'code'>({
      name: 'kqledge_request_duration_seconds',
      help: 'Time from a batch request arriving to its answer (includes evaluation and the downstream round trip).',
      labelNames: ['code'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });

    this.moduleCounters(sources);
    const gauge = (name: string, help: string, read: () => number) =>
      new Gauge({
        name,
        help,
        registers,
        collect() {
          this.set(read());
        },
      });
    gauge('kqledge_pending_batches', 'Batches accepted and not yet answered (reading, waiting for the evaluator, forwarding).', () => sources.pending().batches);
    gauge('kqledge_pending_bytes', 'Request body bytes held for pending batches.', () => sources.pending().bytes);
    gauge('kqledge_pending_output_bytes', 'Evaluated output bytes held while being forwarded.', () => sources.pending().outputBytes);
    gauge('kqledge_evaluator_queue_batches', 'Batches waiting for the evaluator.', () => sources.pending().waiting);
    gauge('kqledge_retry_cache_entries', 'Undelivered batch outputs kept for retries.', () => sources.retryCache().entries);
    gauge('kqledge_retry_cache_bytes', 'Bytes held by the retry cache.', () => sources.retryCache().bytes);
    gauge('kqledge_wasm_memory_bytes', 'Linear memory of the evaluator module.', () => sources.wasmMemoryBytes());
    collectDefaultMetrics({ register: this.registry, prefix: 'kqledge_' });
  }

  /** Counters the module keeps itself, exposed with their absolute values at scrape time. */
  private moduleCounters(sources: MetricSources): void {
    const registers = [this.registry];
    let snapshot: ModuleStats | undefined;
    let taken = 0;
    // One stats() call per scrape, shared by the metrics below (they are collected in turn).
    const stats = () => {
      const now = Date.now();
      if (!snapshot || now - taken > 100) {
        snapshot = sources.moduleStats();
        taken = now;
      }
      return snapshot;
    };
    const absolute = <L extends string>(name: string, help: string, labelNames: L[], values: () => [Partial<Record<L, string>>, number][]) =>
      new Counter<L>({
        name,
        help,
        labelNames,
        registers,
        collect() {
          this.reset();
          for (const [labels, value] of values()) this.inc(labels as Record<L, string>, value);
        },
      });
    const perRule = (pick: (r: ModuleStats['rules'][number]) => number | undefined) => (): [Partial<Record<'rule_id' | 'rule_name', string>>, number][] =>
      (stats()?.rules ?? []).flatMap((r) => {
        const v = pick(r);
        return v === undefined ? [] : [[{ rule_id: r.id, rule_name: sources.ruleName(r.id) }, v]];
      });
    absolute('kqledge_module_records_total', 'Records evaluated by the module, by result.', ['result'], () => {
      const s = stats();
      if (!s) return [];
      return [
        [{ result: 'passed' }, s.passed],
        [{ result: 'tagged' }, s.tagged],
        [{ result: 'dropped' }, s.dropped],
        [{ result: 'invalid' }, s.invalid],
        [{ result: 'error' }, s.errors],
      ];
    });
    absolute('kqledge_passthrough_records_total', 'Records that left the module unchanged (matched no rule).', [], () => {
      const s = stats();
      return s ? [[{}, s.passed]] : [];
    });
    absolute('kqledge_rule_alerts_total', 'Alerts raised, per rule.', ['rule_id', 'rule_name'], perRule((r) => r.alerts));
    absolute('kqledge_rule_matches_total', 'Records matching the rule query (new_terms rules alert only for new terms).', ['rule_id', 'rule_name'], perRule((r) => r.matches));
    absolute('kqledge_new_terms_evictions_in_window_total', 'New-terms entries evicted for memory while still inside their window (they may re-alert).', ['rule_id', 'rule_name'], perRule((r) => r.evictions_in_window));
    absolute('kqledge_new_terms_expirations_total', 'New-terms entries that left their history window.', ['rule_id', 'rule_name'], perRule((r) => r.expirations));
    const absoluteGauge = (name: string, help: string, values: () => [Partial<Record<'rule_id' | 'rule_name', string>>, number][]) =>
      new Gauge<'rule_id' | 'rule_name'>({
        name,
        help,
        labelNames: ['rule_id', 'rule_name'],
        registers,
        collect() {
          this.reset();
          for (const [labels, value] of values()) this.set(labels, value);
        },
      });
    absoluteGauge('kqledge_new_terms_stored', 'Terms held in the new-terms state, per rule.', perRule((r) => r.terms));
    absoluteGauge('kqledge_new_terms_capacity', 'Terms the new-terms memory budget can hold, per rule.', perRule((r) => r.capacity));
    absolute('kqledge_sequence_completions_total', 'EQL sequences completed, per sequence rule.', ['rule_id', 'rule_name'], perRule((r) => r.sequence_completions));
    absolute('kqledge_sequence_evictions_in_window_total', 'Pending EQL sequences evicted for memory while still within their maxspan.', ['rule_id', 'rule_name'], perRule((r) => r.sequence_evictions_in_window));
    absolute('kqledge_sequence_expirations_total', 'Pending EQL sequences dropped after their maxspan.', ['rule_id', 'rule_name'], perRule((r) => r.sequence_expirations));
    absoluteGauge('kqledge_sequences_pending', 'Pending EQL sequences held, per sequence rule.', perRule((r) => r.sequences));
    absoluteGauge('kqledge_sequence_capacity', 'Pending EQL sequences the sequence budget can hold, per sequence rule.', perRule((r) => r.sequence_capacity));
    absolute('kqledge_window_evictions_in_window_total', 'ES|QL STATS groups evicted for memory while events of theirs were still in their window.', ['rule_id', 'rule_name'], perRule((r) => r.window_evictions_in_window));
    absolute('kqledge_window_expirations_total', 'ES|QL STATS groups forgotten after their events left the window.', ['rule_id', 'rule_name'], perRule((r) => r.window_expirations));
    absolute('kqledge_window_event_evictions_total', 'Events dropped from an ES|QL STATS group larger than its rule\'s whole share.', ['rule_id', 'rule_name'], perRule((r) => r.window_event_evictions));
    absoluteGauge('kqledge_window_groups', 'ES|QL STATS groups held, per STATS rule.', perRule((r) => r.window_groups));
    absoluteGauge('kqledge_window_bytes', 'Bytes of the window budget used, per STATS rule.', perRule((r) => r.window_bytes));
    absoluteGauge('kqledge_window_capacity_bytes', 'The STATS rule\'s share of the window budget.', perRule((r) => r.window_capacity_bytes));
    absoluteGauge('kqledge_window_pooled_bytes', 'Freed window memory kept for reuse, outside the share (at most an eighth of it).', perRule((r) => r.window_pooled_bytes));
  }

  countReject(reason: RejectReason): void {
    this.rejected.inc({ reason });
  }

  countDownstreamError(reason: ForwardFailure): void {
    this.downstreamErrors.inc({ reason });
  }
}
