// The benchmark's audit-event generator: deterministic, realistic sizes and decision mix, valid raw
// audit events; and the committed sample is exactly what the generator gives for its seed.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { generateEvents, MAX_EVENT_BYTES, MIN_EVENT_BYTES } from '../src/bench/generator.js';
import { SAMPLE_COUNT, sampleEvents } from '../src/bench/sample.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

interface AuditEvent {
  kind: string;
  apiVersion: string;
  verb: string;
  stage: string;
  userAgent: string;
  user: { username: string };
  stageTimestamp: string;
  responseStatus?: { code: number };
  annotations?: Record<string, string>;
}

const EVENTS = generateEvents({ seed: 7, count: 5000 });
const PARSED = EVENTS.map((e) => JSON.parse(e) as AuditEvent);
const decision = (e: AuditEvent) => e.annotations?.['authorization.k8s.io/decision'];
/** The seed rule's user-agent exclusions. */
const EXCLUDED_AGENT = /(kubernetes\/\$Format$|^karpenter$|^csi-secrets-store|^OpenAPI-Generator|^Prometheus|^dashboard|^cilium-agent)/;

describe('generateEvents', () => {
  it('is deterministic: the same seed gives the same events, another seed others', () => {
    expect(generateEvents({ seed: 7, count: EVENTS.length })).toEqual(EVENTS);
    const other = generateEvents({ seed: 8, count: 300 });
    expect(other).not.toEqual(generateEvents({ seed: 7, count: 300 }));
    expect(generateEvents({ seed: 7, count: 50, startTime: Date.UTC(2025, 0, 1) })[0]).toContain('"2025-01-01T');
  });

  it('gives compact JSON raw audit events', () => {
    for (const [i, e] of PARSED.entries()) {
      expect(e.kind).toBe('Event');
      expect(e.apiVersion).toBe('audit.k8s.io/v1');
      expect(JSON.stringify(e)).toBe(EVENTS[i]);
    }
  });

  it('keeps sizes within bounds with a realistic median and mean', () => {
    const sizes = EVENTS.map((e) => Buffer.byteLength(e)).sort((a, b) => a - b);
    expect(sizes[0]).toBeGreaterThanOrEqual(MIN_EVENT_BYTES);
    expect(sizes[sizes.length - 1]).toBeLessThanOrEqual(MAX_EVENT_BYTES);
    const median = sizes[sizes.length >> 1];
    const mean = sizes.reduce((a, b) => a + b, 0) / sizes.length;
    expect(median).toBeGreaterThan(1050);
    expect(median).toBeLessThan(1400);
    expect(mean).toBeGreaterThan(1400);
    expect(mean).toBeLessThan(1800);
    expect(sizes.filter((s) => s > 2500).length / sizes.length).toBeGreaterThan(0.08);
  });

  it('denies about 3% of requests, mostly service accounts, with 403 responses', () => {
    const forbidden = PARSED.filter((e) => decision(e) === 'forbid');
    const share = forbidden.length / PARSED.length;
    expect(share).toBeGreaterThan(0.02);
    expect(share).toBeLessThan(0.045);
    const fromServiceAccounts = forbidden.filter((e) => e.user.username.startsWith('system:serviceaccount:')).length;
    expect(fromServiceAccounts / forbidden.length).toBeGreaterThan(0.6);
    for (const e of forbidden) if (e.responseStatus) expect(e.responseStatus.code).toBe(403);
    for (const e of PARSED) if (decision(e) === 'allow') expect(e.responseStatus?.code ?? 200).not.toBe(403);
  });

  it('is dominated by reads, mostly ResponseComplete, with a long tail of user agents', () => {
    const reads = PARSED.filter((e) => ['get', 'list', 'watch'].includes(e.verb)).length;
    expect(reads / PARSED.length).toBeGreaterThan(0.6);
    const complete = PARSED.filter((e) => e.stage === 'ResponseComplete').length;
    expect(complete / PARSED.length).toBeGreaterThan(0.85);
    const agents = new Map<string, number>();
    for (const e of PARSED) agents.set(e.userAgent, (agents.get(e.userAgent) ?? 0) + 1);
    expect(agents.size).toBeGreaterThan(100);
    expect([...agents.values()].filter((n) => n === 1).length).toBeGreaterThan(30);
  });

  it('advances event time over several days', () => {
    const times = PARSED.map((e) => Date.parse(e.stageTimestamp));
    for (let i = 1; i < times.length; i++) expect(times[i]).toBeGreaterThan(times[i - 1]!);
    const days = (times[times.length - 1]! - times[0]!) / 86_400_000;
    expect(days).toBeGreaterThan(2);
    expect(days).toBeLessThan(7);
  });
});

describe('samples/audit.ndjson', () => {
  const committed = readFileSync(path.join(root, 'samples', 'audit.ndjson'), 'utf8');

  it('is exactly what the generator gives for the sample seed (scripts/make-sample.mjs)', () => {
    expect(committed).toBe(sampleEvents().join('\n') + '\n');
    expect(committed.trimEnd().split('\n')).toHaveLength(SAMPLE_COUNT);
  });

  it('holds several seed-rule candidates, some repeating an agent (which must not alert twice)', () => {
    const candidates = committed.trimEnd().split('\n').map((l) => JSON.parse(l) as AuditEvent).filter((e) =>
      decision(e) === 'forbid' && e.user.username.startsWith('system:serviceaccount:') && !EXCLUDED_AGENT.test(e.userAgent));
    const agents = new Set(candidates.map((e) => e.userAgent));
    expect(agents.size).toBeGreaterThanOrEqual(3);
    expect(candidates.length).toBeGreaterThan(agents.size);
  });
});
