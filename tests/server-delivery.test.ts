// The transform server's delivery guarantees, over real HTTP on loopback: a Vector-like sender
// (batches, retries honouring Retry-After), the server with the default rule, and a downstream that
// can be made to fail. No record and no alert may be lost across downstream failures and retries.
import { afterEach, describe, expect, it } from 'vitest';
import { hostFor, DEFAULT_RULES, SEED_ID } from './helpers/evaluator.js';
import { startOnLoopback, parsePrometheusText, post, sample, until, type LoopbackServer } from '../src/server/loopback/harness.js';
import { HttpForwarder } from '../src/server/forwarder.js';
import { CaptureDownstream, type DownstreamBehaviour } from '../src/server/loopback/downstream.js';
import { VectorLikeSender, type SenderOptions } from '../src/server/loopback/sender.js';
import { syntheticAuditLines } from '../src/server/loopback/synthetic.js';
import type { ServerOptions } from '../src/server/server.js';

const AGENTS = 25;
const LINES = syntheticAuditLines({ count: 800, agents: AGENTS, garbageEvery: 97 });

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

interface Run {
  records: Set<string>;
  recordCount: number;
  /** One entry per delivered alert: auditID, rule and new values. */
  alerts: Set<string>;
  /** Terms alerted, whatever record carried them. */
  alertedTerms: string[];
  metrics: Map<string, number>;
  sender: Awaited<ReturnType<VectorLikeSender['send']>>;
  downstream: CaptureDownstream;
  loopback: LoopbackServer;
}

async function run(opts: {
  behaviour?: (n: number) => DownstreamBehaviour;
  server?: Partial<ServerOptions>;
  sender?: Partial<SenderOptions>;
  lines?: string[];
}): Promise<Run> {
  const downstream = await CaptureDownstream.start();
  if (opts.behaviour) downstream.behaviour = opts.behaviour;
  const loopback = await startOnLoopback(await hostFor([DEFAULT_RULES]), downstream.url, { retryAfterSeconds: 0, ...opts.server });
  const sender = new VectorLikeSender({ url: loopback.server.url + '/', maxEvents: 50, initialBackoffMs: 5, ...opts.sender });
  cleanup.push(() => downstream.close(), () => loopback.server.shutdown(), () => sender.close());
  const report = await sender.send(opts.lines ?? LINES);
  const delivered = downstream.records();
  const alerts = new Set<string>();
  const alertedTerms: string[] = [];
  for (const r of new Set(delivered)) {
    if (!r.startsWith('{')) continue;
    const o = JSON.parse(r);
    for (const a of o.kql_edge?.alerts ?? []) {
      alerts.add(`${o.auditID}|${a.rule_id}|${JSON.stringify(a.new_terms?.values)}`);
      alertedTerms.push(`${a.rule_id}|${JSON.stringify(a.new_terms?.values)}`);
    }
  }
  const metrics = parsePrometheusText(await loopback.server.metrics.registry.metrics());
  return { records: new Set(delivered), recordCount: delivered.length, alerts, alertedTerms, metrics, sender: report, downstream, loopback };
}

/** Records as sent, or as tagged: the original bytes are the prefix of the tagged record. */
function originals(records: Set<string>): Set<string> {
  return new Set([...records].map((r) => (r.includes('"kql_edge":') ? r.slice(0, r.indexOf(',"event":{"kind":"alert"')) + '}' : r)));
}

const flaky = (n: number): DownstreamBehaviour => (n % 3 === 0 ? 'reject' : n % 5 === 0 ? 'accept-then-fail' : n % 7 === 0 ? 'reset' : 'accept');

describe('server delivery: no record or alert lost across downstream failures', () => {
  it('baseline: every record delivered once, one alert per distinct user agent, originals unchanged', async () => {
    const base = await run({});
    expect(base.sender.failed).toBe(0);
    expect(base.recordCount).toBe(LINES.length);
    expect(base.alerts.size).toBe(AGENTS);
    expect(new Set(base.alertedTerms).size).toBe(AGENTS);
    expect(originals(base.records)).toEqual(new Set(LINES));
    expect(base.records.has('not json: line 96')).toBe(true);
    expect(sample(base.metrics, `kqledge_rule_alerts_total{rule_id="${SEED_ID}"`)).toBe(AGENTS);
  });

  it('with a failing downstream (503s, lost answers, resets) the delivered records and alerts equal the baseline', async () => {
    const base = await run({});
    const failing = await run({ behaviour: flaky });
    expect(failing.sender.failed).toBe(0);
    expect(failing.sender.statuses['503']).toBeGreaterThan(0);
    expect(failing.records).toEqual(base.records);
    expect(failing.alerts).toEqual(base.alerts);
    // Batches the downstream took but answered 500 were delivered again from the retry cache: identical copies.
    expect(failing.recordCount).toBeGreaterThan(base.recordCount);
    const m = failing.metrics;
    expect(m.get('kqledge_downstream_errors_total{reason="status"}')).toBeGreaterThan(0);
    expect(m.get('kqledge_downstream_errors_total{reason="network"}')).toBeGreaterThan(0);
    expect(m.get('kqledge_retry_cache_replays_total')).toBeGreaterThan(0);
    expect(m.get('kqledge_retry_reevaluated_total')).toBe(0);
    expect(m.get('kqledge_retry_cache_entries')).toBe(0);
    // Each batch was evaluated once: the module saw every record exactly once.
    expect(m.get('kqledge_records_received_total')).toBe(LINES.length);
  });

  it('concurrent batches, a JSON-array body and gzip: same records, each new term alerted exactly once', async () => {
    // A JSON-array body holds JSON values only (Vector encodes every event): no garbage lines here.
    const lines = syntheticAuditLines({ count: 800, agents: AGENTS });
    const base = await run({ lines });
    const failing = await run({ lines, behaviour: flaky, sender: { concurrency: 4, framing: 'json-array', gzip: true } });
    expect(failing.sender.failed).toBe(0);
    expect(failing.downstream.accepted.every((b) => b.contentType === 'application/json' && b.body[0] === 0x5b)).toBe(true);
    expect(originals(failing.records)).toEqual(new Set(lines));
    // With batches in flight together the record carrying a term's alert may differ; the terms may not.
    expect(failing.alertedTerms.sort()).toEqual(base.alertedTerms.sort());
    expect(failing.metrics.get('kqledge_records_received_total')).toBe(lines.length);
  });

  it('without the retry cache a retried batch loses its alerts, and the loss is counted and logged', async () => {
    const lines = syntheticAuditLines({ count: 40, agents: 5 });
    const withCache = await run({ lines, behaviour: (n) => (n === 1 ? 'reject' : 'accept') });
    expect(withCache.alerts.size).toBe(5);
    const noCache = await run({ lines, behaviour: (n) => (n === 1 ? 'reject' : 'accept'), server: { retryCacheEntries: 0 } });
    expect(noCache.records.size).toBe(40);
    expect(noCache.alerts.size).toBe(0);
    expect(noCache.metrics.get('kqledge_retry_cache_evictions_total')).toBe(1);
    expect(noCache.metrics.get('kqledge_retry_cache_evicted_tagged_records_total')).toBe(5);
    expect(noCache.metrics.get('kqledge_retry_reevaluated_total')).toBe(1);
    expect(noCache.loopback.logs.some((l) => l.includes('may be lost'))).toBe(true);
  });

  it('the retry cache is bounded in bytes: the oldest undelivered output is evicted first', async () => {
    // Two batches fail for good (the downstream rejects them); the cache holds one batch's output only.
    const lines = syntheticAuditLines({ count: 16, agents: 16 });
    const r = await run({
      lines,
      behaviour: () => 'reject',
      server: { retryCacheBytes: 10_000 },
      sender: { maxEvents: 8, maxAttempts: 1 },
    });
    expect(r.sender.failed).toBe(2);
    expect(r.metrics.get('kqledge_retry_cache_entries')).toBe(1);
    expect(r.metrics.get('kqledge_retry_cache_evictions_total')).toBe(1);
    expect(r.metrics.get('kqledge_retry_cache_bytes')).toBeLessThanOrEqual(10_000);
  });

  it('a batch sent again after it was delivered (answer lost) is counted as a duplicate delivery', async () => {
    const lines = syntheticAuditLines({ count: 100 });
    const r = await run({ lines, sender: { loseAnswer: (index, attempt) => index === 0 && attempt === 1 } });
    expect(r.sender.failed).toBe(0);
    expect(r.metrics.get('kqledge_duplicate_batches_total{when="after_delivery"}')).toBe(1);
    expect(r.downstream.requests).toBe(3);
    expect(r.recordCount).toBe(150);
    expect(originals(r.records).size).toBe(100);
    // The second copy was evaluated again: the new terms it carries are known by now, so its records
    // come untagged. No alert is lost (the first copy carried them) and none is raised twice.
    expect(r.alerts.size).toBe(25);
    expect(r.downstream.records().filter((x) => x.includes('"kql_edge":')).length).toBe(25);
  });

  it('the same batch arriving while it is still in flight joins the first attempt: one evaluation, one delivery', async () => {
    const downstream = await CaptureDownstream.start();
    const { server } = await startOnLoopback(await hostFor([DEFAULT_RULES]), downstream.url);
    cleanup.push(() => downstream.close(), () => server.shutdown());
    downstream.hold();
    const body = syntheticAuditLines({ count: 8, agents: 2 }).join('\n') + '\n';
    const first = post(server.url, body);
    await until(() => downstream.requests === 1);
    const second = post(server.url, body);
    await until(async () => (await server.metrics.duplicates.get()).values.length > 0);
    downstream.release();
    const answers = await Promise.all([first, second]);
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    expect(answers[0]!.body).toEqual(answers[1]!.body);
    expect(downstream.requests).toBe(1);
    const m = parsePrometheusText(await server.metrics.registry.metrics());
    expect(m.get('kqledge_duplicate_batches_total{when="in_flight"}')).toBe(1);
    expect(m.get('kqledge_records_received_total')).toBe(8);
  });

  it('a downstream that never answers in time is a failure: 503 with Retry-After, and the retry delivers the alerts', async () => {
    const downstream = await CaptureDownstream.start();
    cleanup.push(() => downstream.close());
    // The downstream gets 200 ms to answer.
    const slow = await startOnLoopback(await hostFor([DEFAULT_RULES]), downstream.url, { retryAfterSeconds: 1, forwarder: new HttpForwarder(downstream.url, 200) });
    cleanup.push(() => slow.server.shutdown());
    downstream.delayMs = 500;
    const body = syntheticAuditLines({ count: 4, agents: 1 }).join('\n');
    const answer = await post(slow.server.url, body);
    expect(answer.status).toBe(503);
    expect(answer.retryAfter).toBe('1');
    downstream.delayMs = 0;
    const retry = await post(slow.server.url, body);
    expect(retry.status).toBe(200);
    expect(JSON.parse(retry.body)).toMatchObject({ records: 4, tagged: 1, replayed: true });
    const m = parsePrometheusText(await slow.server.metrics.registry.metrics());
    expect(m.get('kqledge_downstream_errors_total{reason="timeout"}')).toBe(1);
  });

  it('the sender honours Retry-After (1 s) before retrying', async () => {
    const r = await run({
      lines: syntheticAuditLines({ count: 10 }),
      behaviour: (n) => (n === 1 ? 'reject' : 'accept'),
      server: { retryAfterSeconds: 1 },
      sender: { maxRetryAfterMs: 5000 },
    });
    expect(r.sender.batches[0]!.statuses).toEqual([503, 200]);
    expect(r.sender.batches[0]!.waitedMs).toBe(1000);
  });
});
