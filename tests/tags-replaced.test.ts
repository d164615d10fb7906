// A tagged record keeps what it carried under the keys the tag owns: every replaced value goes,
// verbatim, under kql_edge.replaced (README "What a tagged record carries").
import { describe, it, expect, beforeAll } from 'vitest';
import { hostFor, rawEvent, DEFAULT_RULES, SEED_ID } from './helpers/evaluator.js';
import type { FluentBitHost } from '../src/host/fluent-bit-host.js';

let host: FluentBitHost;
let n = 0;
beforeAll(async () => {
  host = await hostFor([DEFAULT_RULES]);
});

/** A record the seed rule tags (a fresh user agent each time), with extra members. */
function tag(extra: Record<string, unknown>, raw?: (json: string) => string): Record<string, unknown> {
  let text = JSON.stringify({ ...rawEvent({ userAgent: `agent-replaced-${n++}` }), ...extra });
  if (raw) text = raw(text);
  const out = host.filter(Buffer.from(text), 0);
  expect(out.verdict).toBe('tagged');
  return JSON.parse(out.output.toString());
}

type Tagged = { event: Record<string, unknown>; kql_edge: { alerts: { rule_id: string }[]; replaced?: Record<string, unknown> } };

describe('kql_edge.replaced', () => {
  it('is absent when the record had none of the tag keys', () => {
    const out = tag({}) as unknown as Tagged;
    expect(out.kql_edge.replaced).toBeUndefined();
  });

  for (const [name, value] of [
    ['a string', 'user-login'],
    ['an array', ['a', { b: 1 }]],
    ['a number', 42],
    ['null', null],
  ] as [string, unknown][]) {
    it(`keeps an event that was ${name}`, () => {
      const out = tag({ event: value }) as unknown as Tagged;
      expect(out.event).toMatchObject({ kind: 'alert' });
      expect(out.kql_edge.replaced).toEqual({ event: value });
      expect(out.kql_edge.alerts.map((a) => a.rule_id)).toEqual([SEED_ID]);
    });
  }

  it('keeps rule, threat and kql_edge members, and dotted ones, in record order', () => {
    const extra = { rule: { id: 'mine', name: 'x' }, threat: 'T1000', kql_edge: { alerts: ['old'], note: 1 }, 'rule.name': 'flat' };
    const out = tag(extra) as unknown as Tagged & Record<string, unknown>;
    expect(out.kql_edge.replaced).toEqual(extra);
    expect(Object.keys(out.kql_edge.replaced!)).toEqual(Object.keys(extra));
    expect((out.rule as { id: string }).id).toBe(SEED_ID);
  });

  it('keeps the event object\'s own kind, severity and risk_score as event.kind, ... and its other members in place', () => {
    const out = tag({ event: { kind: 'event', dataset: 'kubernetes.audit_logs', severity: 3, risk_score: 9.5 } }) as unknown as Tagged;
    expect(out.event).toEqual({ kind: 'alert', dataset: 'kubernetes.audit_logs', severity: 21, risk_score: 21 });
    expect(out.kql_edge.replaced).toEqual({ 'event.kind': 'event', 'event.severity': 3, 'event.risk_score': 9.5 });
  });

  it('keeps flattened event keys it replaced in place', () => {
    const out = tag({ 'event.kind': 'event', 'event.outcome': 'failure' }) as unknown as Tagged & Record<string, unknown>;
    expect(out['event.kind']).toBe('alert');
    expect(out['event.outcome']).toBe('failure');
    expect(out.kql_edge.replaced).toEqual({ 'event.kind': 'event' });
  });

  it('keeps values verbatim (escapes, big numbers, nesting)', () => {
    const out = tag({}, (t) => t.slice(0, -1) + ',"rule":{"a\\u00e9":"\\ud83d\\ude00","n":123456789012345678901234567890,"deep":[[[{}]]]}}');
    const text = JSON.stringify(out.kql_edge);
    expect(text).toContain('"aé":"😀"');
    expect((out as unknown as Tagged).kql_edge.replaced!.rule).toMatchObject({ deep: [[[{}]]] });
  });
});
