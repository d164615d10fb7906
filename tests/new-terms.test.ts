// New Terms in the module (spec: new-terms.md): a term alerts when no query-matching event with the
// same term arrived before it with event time >= t - window; last-seen is refreshed on every sighting.
import { describe, it, expect } from 'vitest';
import { hostFor, DEFAULT_RULES, rawEvent, line } from './helpers/evaluator.js';
import type { FluentBitHost } from '../src/host/fluent-bit-host.js';

const DAY = 86_400_000;
const T0 = Date.parse('2026-03-01T00:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

/** A forbidden service-account request with this user agent at this event time. */
function sighting(host: FluentBitHost, userAgent: string, atMs: number) {
  return host.filter(line(rawEvent({ userAgent, stageTimestamp: iso(atMs), requestReceivedTimestamp: iso(atMs) })), 0);
}

describe('new terms: the seed rule on kubernetes.audit.userAgent, 7-day history', () => {
  it('first sighting alerts, repeats within 7 days do not', async () => {
    const h = await hostFor([DEFAULT_RULES]);
    expect(sighting(h, 'curl/8.5.0', T0).verdict).toBe('tagged');
    expect(sighting(h, 'curl/8.5.0', T0 + 1000).verdict).toBe('pass');
    expect(sighting(h, 'curl/8.5.0', T0 + 6 * DAY).verdict).toBe('pass');
    expect(sighting(h, 'wget/1.21', T0 + 6 * DAY).verdict).toBe('tagged');
  });

  it('a term seen every day is never new; one unseen for more than 7 days alerts again', async () => {
    const h = await hostFor([DEFAULT_RULES]);
    expect(sighting(h, 'daily', T0).verdict).toBe('tagged');
    for (let d = 1; d <= 20; d++) expect(sighting(h, 'daily', T0 + d * DAY).verdict).toBe('pass');
    // Last seen at T0 + 20d: exactly 7 days later is still inside the window, one ms more is not.
    expect(sighting(h, 'daily', T0 + 27 * DAY).verdict).toBe('pass');
    expect(sighting(h, 'daily', T0 + 34 * DAY + 1).verdict).toBe('tagged');
  });

  it('out-of-order (late) events are never new and do not move last-seen back', async () => {
    const h = await hostFor([DEFAULT_RULES]);
    expect(sighting(h, 'late', T0 + 10 * DAY).verdict).toBe('tagged');
    // An event from 9 days before: an earlier event (T0+10d) has time >= t - 7d, so not new.
    expect(sighting(h, 'late', T0 + DAY).verdict).toBe('pass');
    // Last-seen stayed at T0+10d: 7 days + 1 ms after it the term is new again.
    expect(sighting(h, 'late', T0 + 17 * DAY + 1).verdict).toBe('tagged');
  });

  it('an event much older than the history alerts when nothing within its own window was seen', async () => {
    const h = await hostFor([DEFAULT_RULES]);
    expect(sighting(h, 'gap', T0 + 30 * DAY).verdict).toBe('tagged');
    // Normative definition: new iff no earlier-arrived event with time >= t - 7d; T0+30d >= T0 - 7d, so not new.
    expect(sighting(h, 'gap', T0).verdict).toBe('pass');
  });

  it('the term is taken from the view of the record: raw userAgent, not the decoded ECS name', async () => {
    const h = await hostFor([DEFAULT_RULES]);
    const r = sighting(h, 'python-requests/2.31', T0);
    expect(JSON.parse(r.output.toString()).kql_edge.alerts[0].new_terms).toEqual({
      fields: ['kubernetes.audit.userAgent'],
      values: ['python-requests/2.31'],
    });
  });

  it('stored terms are bounded by the budget; evictions inside the window are counted', async () => {
    // A tiny budget: the rule gets the minimum capacity the evaluator allows.
    const h = await hostFor([DEFAULT_RULES], { newTermsBudgetBytes: 1 });
    const capacity = h.stats()!.rules[0].capacity!;
    expect(capacity).toBeGreaterThan(0);
    expect(capacity).toBeLessThanOrEqual(1024);
    const n = capacity * 3;
    for (let i = 0; i < n; i++) expect(sighting(h, `agent-${i}`, T0 + i).verdict).toBe('tagged');
    const s = h.stats()!.rules[0];
    expect(s.terms).toBe(capacity);
    expect(s.evictions_in_window).toBe(n - capacity);
    // The least recently seen were evicted: the oldest term alerts again, the newest does not.
    expect(sighting(h, `agent-${n - 1}`, T0 + n).verdict).toBe('pass');
    expect(sighting(h, 'agent-0', T0 + n + 1).verdict).toBe('tagged');
  });

  it('replaying the same log gives the same alerts (no wall clock)', async () => {
    const events = Array.from({ length: 300 }, (_, i) => line(rawEvent({ userAgent: `ua-${(i * 7) % 23}`, stageTimestamp: iso(T0 + i * 3_600_000) })));
    const run = async () => {
      const h = await hostFor([DEFAULT_RULES]);
      return events.map((e, i) => h.filter(e, 1_000_000 * i).verdict);
    };
    const [a, b] = [await run(), await run()];
    expect(a).toEqual(b);
    expect(a.filter((v) => v === 'tagged').length).toBeGreaterThan(10);
  });

  it('learning period: terms are recorded but do not alert until it has passed', async () => {
    const h = await hostFor([DEFAULT_RULES], { learningMs: 2 * DAY });
    expect(sighting(h, 'learned', T0).verdict).toBe('pass');
    expect(sighting(h, 'other', T0 + DAY).verdict).toBe('pass');
    expect(sighting(h, 'learned', T0 + 3 * DAY).verdict).toBe('pass');
    expect(sighting(h, 'fresh', T0 + 3 * DAY).verdict).toBe('tagged');
  });
});
