// The literal prefilter with trusted input (docs/abi.md, "Trusted input"): a record that starts as
// Fluent Bit writes a raw audit event is read as Fluent Bit's own serialisation, whose writer escapes
// only '"', '\', control characters, DEL and non-ASCII text, so a rule whose literals hold none of
// those is rejected without looking at the record's escapes. Everywhere else (records of another
// shape, literals holding such characters, validated input) escapes are still looked at.
import { describe, it, expect } from 'vitest';
import { hostFor, DEFAULT_RULES, rawEvent, line } from './helpers/evaluator.js';
import { queryRule } from './helpers/wasm-case.js';

const T = Date.parse('2026-03-01T10:00:00Z');
const RAW_START = '{"kind":"Event","apiVersion":"audit.k8s.io/';
const trusted = { trustedInput: true };

describe('prefilter: escapes in Fluent Bit records (trusted input)', () => {
  it('tags the seed rule on Fluent Bit records and rejects the ones without "forbid"', async () => {
    const h = await hostFor([DEFAULT_RULES], {}, trusted);
    const rec = line(rawEvent({ userAgent: 'fb-escapes/1.0', auditID: 'a\\"b' }));
    expect(rec.toString().startsWith(RAW_START)).toBe(true);
    expect(h.filter(rec, T).verdict).toBe('tagged');
    const allow = line(rawEvent({ userAgent: 'fb-escapes/2.0', annotations: { 'authorization.k8s.io/decision': 'allow' } }));
    expect(h.filter(allow, T).verdict).toBe('pass');
  });

  it('does not look at escapes Fluent Bit never writes in a raw audit event (trusted), but does when validating', async () => {
    // `\u0066orbid` at the top level: valid JSON, but not Fluent Bit's writing (it never escapes a letter).
    const spelled = Buffer.from(JSON.stringify(rawEvent({ userAgent: 'fb-escapes/3.0' })).replace('"forbid"', '"\\u0066orbid"'));
    expect(spelled.toString()).not.toContain('"forbid');
    expect(spelled.toString().startsWith(RAW_START)).toBe(true);
    const validating = await hostFor([DEFAULT_RULES]);
    expect(validating.filter(spelled, T).verdict).toBe('tagged');
    const fluentBit = await hostFor([DEFAULT_RULES], {}, trusted);
    expect(fluentBit.filter(spelled, T).verdict).toBe('pass');
  });

  it('still looks at escapes when the record does not start as a raw audit event (a document carried in a string)', async () => {
    const h = await hostFor([DEFAULT_RULES], {}, trusted);
    const event = JSON.stringify(rawEvent({ userAgent: 'fb-escapes/4.0' }));
    // AKS: the event as a JSON string; its own `\u0066orbid` arrives as `\\u0066orbid`.
    const aks = Buffer.from(JSON.stringify({ category: 'kube-audit', properties: { log: event.replace('"forbid"', '"\\u0066orbid"') } }));
    expect(aks.toString()).not.toContain('"forbid');
    expect(h.filter(aks, T).verdict).toBe('tagged');
    // The same prefix one byte off (a space after the first brace) is not taken as Fluent Bit's raw audit event.
    const spaced = Buffer.from('{ ' + event.replace('"forbid"', '"\\u0066orbid"').slice(1));
    expect(spaced.toString().startsWith(RAW_START)).toBe(false);
    expect(h.filter(spaced, T + 1).verdict).toBe('pass'); // same user agent: seen a second ago, no new term
    const h2 = await hostFor([DEFAULT_RULES], {}, trusted);
    expect(h2.filter(spaced, T).verdict).toBe('tagged');
  });

  it('still looks at escapes for literals holding characters Fluent Bit escapes (non-ASCII)', async () => {
    // Fluent Bit writes "héllo" as "h\u00e9llo": the literal's é is only there through the escape.
    const rule = queryRule('kubernetes.audit.userAgent:"h\u00e9llo/1.0"', 'non-ascii-rule');
    const h = await hostFor([rule], {}, trusted);
    const rec = Buffer.from(JSON.stringify(rawEvent({ userAgent: 'h\u00e9llo/1.0' })).replace('\u00e9', '\\u00e9'));
    expect(rec.toString().startsWith(RAW_START)).toBe(true);
    expect(rec.toString()).not.toContain('\u00e9');
    expect(h.filter(rec, T).verdict).toBe('tagged');
    expect(h.filter(Buffer.from(rec.toString().replace('\\u00e9', '\\u00e8')), T).verdict).toBe('pass');
  });

  it('still looks for \\/ when a literal holds a "/" (other JSON writers escape it)', async () => {
    const rule = queryRule('kubernetes.audit.requestURI:"/api/v1/namespaces/default/secrets"', 'slash-rule');
    const h = await hostFor([rule], {}, trusted);
    const slashes = Buffer.from(JSON.stringify(rawEvent()).replace('"/api/v1/namespaces/default/secrets"', '"\\/api\\/v1\\/namespaces\\/default\\/secrets"'));
    expect(slashes.toString().startsWith(RAW_START)).toBe(true);
    expect(h.filter(slashes, T).verdict).toBe('tagged');
  });

  it('rejects records shorter than the raw audit start, and records cut inside it, without a trap', async () => {
    const h = await hostFor([DEFAULT_RULES], {}, trusted);
    for (let n = 0; n <= RAW_START.length + 2; n++) {
      const r = h.filter(Buffer.from(RAW_START.slice(0, n)), T);
      expect(r.verdict).toBe('pass');
    }
  });
});
