// The build option that also writes Elastic's alert field names (alert-fields.md, "Elastic-compatible names").
import { describe, it, expect } from 'vitest';
import { hostFor, DEFAULT_RULES, rawEvent, line, rulesFrom, SEED_ID } from './helpers/evaluator.js';
import { queryRule } from './helpers/wasm-case.js';

const T = Date.parse('2026-03-01T10:00:00Z');

describe('--kibana-fields', () => {
  it('one rule: scalars, the new terms and the reason with source ip and user', async () => {
    const h = await hostFor([DEFAULT_RULES], { kibanaFields: true });
    const out = h.filter(line(rawEvent({ userAgent: 'kibana-test/1', sourceIPs: ['10.0.0.7'] })), T);
    expect(out.verdict).toBe('tagged');
    const alert = JSON.parse(out.output.toString()).kibana.alert;
    expect(alert.rule).toEqual({ name: 'Kubernetes Denied Service Account Request via Unusual User Agent', rule_id: SEED_ID, type: 'new_terms' });
    expect(alert.severity).toBe('low');
    expect(alert.risk_score).toBe(21);
    expect(alert.new_terms).toEqual(['kibana-test/1']); // one combination: its values (as kql_edge.alerts)
    expect(alert.reason).toBe('event with source 10.0.0.7 by system:serviceaccount:default:builder created low alert Kubernetes Denied Service Account Request via Unusual User Agent.');
  });

  it('several rules: arrays in rule-id order; parts of the reason left out when the fields are absent', async () => {
    const [seed] = await rulesFrom([DEFAULT_RULES]);
    const high = { ...queryRule('kubernetes.audit.verb:list', 'zz-high'), name: 'List "anything"', severity: 'high' as const, riskScore: 73 };
    const h = await hostFor([seed, high], { kibanaFields: true });
    const out = h.filter(line(rawEvent({ userAgent: 'kibana-test/2', sourceIPs: ['not-an-ip'] })), T);
    const parsed = JSON.parse(out.output.toString());
    const alert = parsed.kibana.alert;
    expect(alert.rule.rule_id).toEqual([SEED_ID, 'zz-high']);
    expect(alert.severity).toEqual(['low', 'high']);
    expect(alert.risk_score).toEqual([21, 73]);
    expect(alert.new_terms).toEqual([['kibana-test/2'], null]);
    expect(alert.reason[1]).toBe('event by system:serviceaccount:default:builder created high alert List "anything".');
    expect(parsed.event).toEqual({ kind: 'alert', severity: 73, risk_score: 73 });
  });

  it('is off by default', async () => {
    const h = await hostFor([DEFAULT_RULES]);
    const out = h.filter(line(rawEvent({ userAgent: 'kibana-test/3' })), T);
    expect(JSON.parse(out.output.toString()).kibana).toBeUndefined();
  });
});
