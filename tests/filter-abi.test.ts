// The module as Fluent Bit sees it (spec: fluent-bit-wasm.md): exports and imports, the calling
// sequence, results that are always one JSON object, pass-through of the input pointer, no trap on
// any input, and memory that stays flat over a million calls.
import { describe, it, expect, beforeAll } from 'vitest';
import fc from 'fast-check';
import { hostFor, rulesFrom, DEFAULT_RULES, rawEvent, line, alertIds, SEED_ID } from './helpers/evaluator.js';
import { parseKql } from '../src/kql/parser.js';
import { evaluateRecord } from '../src/reference/record.js';
import { loadFieldTable } from '../src/fields/table.js';
import { genericFilterModule } from '../src/build/evaluator.js';
import type { FluentBitHost } from '../src/host/fluent-bit-host.js';
import { OutputMode } from '../src/compiler/format.js';
import { queryRule } from './helpers/wasm-case.js';

let host: FluentBitHost;
const T = Date.parse('2026-03-01T10:00:00Z');

beforeAll(async () => {
  host = await hostFor([DEFAULT_RULES]);
});

describe('module interface', () => {
  it('exports filter with six i32 params and one i32 result and the runtime allocator; imports WASI and exactly env.memchr, env.strlen, env.strstr (ABI 2)', async () => {
    const mod = await genericFilterModule();
    const exports = WebAssembly.Module.exports(mod).map((e) => e.name);
    for (const name of ['filter', 'memory', '__new', '__pin', '__unpin', '__collect', 'kqe_validate_input']) expect(exports).toContain(name);
    const imports = WebAssembly.Module.imports(mod);
    expect(imports.length).toBeGreaterThan(0);
    for (const i of imports.filter((i) => i.module !== 'env')) expect(i.module).toBe('wasi_snapshot_preview1');
    expect(imports.filter((i) => i.module === 'env').map((i) => `${i.name}:${i.kind}`).sort()).toEqual(['memchr:function', 'strlen:function', 'strstr:function']);
    expect(host.exports.kqe_abi_version?.()).toBe(2);
    const fn = host.exports.filter as unknown as { length: number };
    expect(fn.length).toBe(6);
  });
});

describe('results', () => {
  it('passes a non-matching record through by returning the input pointer (byte-for-byte)', () => {
    const rec = line(rawEvent({ annotations: { 'authorization.k8s.io/decision': 'allow' } }));
    const r = host.filter(rec, T);
    expect(r.verdict).toBe('pass');
    expect(r.output.equals(rec)).toBe(true);
  });

  it('tags a matching record: original bytes first, tag members appended, one valid JSON object', () => {
    const rec = line(rawEvent({ userAgent: 'abi-test/1.0' }));
    const r = host.filter(rec, T);
    expect(r.verdict).toBe('tagged');
    const text = r.output.toString();
    expect(text.startsWith(rec.toString().slice(0, -1) + ',')).toBe(true);
    const parsed = JSON.parse(text);
    expect(parsed.event).toEqual({ kind: 'alert', severity: 21, risk_score: 21 });
    expect(parsed.rule.id).toBe(SEED_ID);
    expect(parsed.kql_edge.alerts[0].new_terms).toEqual({ fields: ['kubernetes.audit.userAgent'], values: ['abi-test/1.0'] });
  });

  it('decodes \\u escapes before comparing (Fluent Bit escapes all non-ASCII)', async () => {
    const h = await hostFor([DEFAULT_RULES]);
    // "system:serviceaccount:" spelled with escapes, and a non-ASCII user agent.
    const escaped = Buffer.from(
      JSON.stringify(rawEvent({ userAgent: 'h\u00e9llo \ud83d\ude00' }))
        .replace('system:serviceaccount:', 'system\\u003aserviceaccount\\u003a')
        .replace(/[\u0080-\uffff]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0')),
    );
    const raw = line(rawEvent({ userAgent: 'h\u00e9llo \ud83d\ude00' }));
    const a = h.filter(escaped, T);
    expect(a.verdict).toBe('tagged');
    expect(JSON.parse(a.output.toString()).kql_edge.alerts[0].new_terms.values).toEqual(['h\u00e9llo \ud83d\ude00']);
    // The same term written as raw UTF-8 is the same term: no second alert.
    const b = h.filter(raw, T + 1000);
    expect(b.verdict).toBe('pass');
  });

  it('finds a literal spelled with escapes one level down, in an event carried as a JSON string (AKS)', async () => {
    const h = await hostFor([DEFAULT_RULES]);
    const aks = (inner: string) => Buffer.from(JSON.stringify({ category: 'kube-audit', properties: { log: inner } }));
    const event = JSON.stringify(rawEvent({ userAgent: 'nested-escape/1.0' }));
    expect(event).toContain('"forbid"');
    // `"\u0066orbid"` in the carried event is `"\\u0066orbid"` in the record's bytes.
    expect(h.filter(aks(event.replace('"forbid"', '"\\u0066orbid"')), T).verdict).toBe('tagged');
    // The backslash of that escape itself escaped as `\u005c`: `\u005cu0066orbid` in the bytes.
    const h2 = await hostFor([DEFAULT_RULES]);
    const viaEscapedBackslash = JSON.stringify({ category: 'kube-audit', properties: { log: event } }).replace('\\"forbid\\"', '\\"\\u005cu0066orbid\\"');
    expect(viaEscapedBackslash).toContain('u005cu0066orbid');
    expect(h2.filter(Buffer.from(viaEscapedBackslash), T).verdict).toBe('tagged');
    // The `u` of that escape escaped as `\u0075`: `\\\u00750066orbid` in the bytes, where no escape
    // at the first level spells an `f`.
    const h4 = await hostFor([DEFAULT_RULES]);
    const viaEscapedU = aks(event.replace('"forbid"', '"\\u0066orbid"')).toString().replace('\\\\u0066orbid', '\\\\\\u00750066orbid');
    expect(viaEscapedU).toContain('\\\\\\u00750066orbid');
    expect(JSON.parse(viaEscapedU).properties.log).toContain('"\\u0066orbid"');
    expect(h4.filter(Buffer.from(viaEscapedU), T).verdict).toBe('tagged');
    // An escape of a character no literal holds does not keep a record from being rejected, or matched.
    const h3 = await hostFor([DEFAULT_RULES]);
    expect(h3.filter(Buffer.from(event.replace('"forbid"', '"allow"').replace('"/api', '"\\u002fapi')), T).verdict).toBe('pass');
    expect(h3.filter(Buffer.from(event.replace('nested-escape', 'nested\\u0026escape')), T).verdict).toBe('tagged');
  });

  it('finds a literal holding a "/" spelled with \\/ escapes, at the first level and one level down, behind other escapes', async () => {
    // The escape pass looks for `\u` from the record's first backslash, and for `\/` only for a
    // literal holding a '/': each spelling below must still reach the full evaluation.
    const rule = queryRule('kubernetes.audit.requestURI:"/api/v1/namespaces/default/secrets"', 'slash-rule');
    const event = rawEvent({ auditID: 'a"quoted"1' }); // a `\"` before the URI: the first backslash comes first
    const plain = JSON.stringify(event);
    const slashes = plain.replace('"/api/v1/namespaces/default/secrets"', '"\\/api\\/v1\\/namespaces\\/default\\/secrets"');
    expect(slashes).not.toContain('/api/v1/namespaces/default/secrets');
    const aks = (inner: string) => JSON.stringify({ category: 'kube-audit', properties: { log: inner } });
    const nested = aks(plain).replace('"/api/v1/namespaces/default/secrets', '"\\\\/api\\\\/v1\\\\/namespaces\\\\/default\\\\/secrets');
    expect(JSON.parse(JSON.parse(nested).properties.log).requestURI).toBe('/api/v1/namespaces/default/secrets');
    const other = plain.replace('/default/secrets', '/default/configmaps');
    for (const trustedInput of [false, true]) {
      const h = await hostFor([rule], {}, { trustedInput });
      expect(h.filter(Buffer.from(plain), T).verdict).toBe('tagged');
      expect(h.filter(Buffer.from(slashes), T).verdict).toBe('tagged');
      expect(h.filter(Buffer.from(nested), T).verdict).toBe('tagged');
      expect(h.filter(Buffer.from(other), T).verdict).toBe('pass');
      expect(h.filter(Buffer.from(other.replace(/\//g, '\\/')), T).verdict).toBe('pass');
    }
  });

  it('never returns the empty string (drop) for valid input in the default tag mode', () => {
    for (let i = 0; i < 200; i++) {
      const r = host.filter(line(rawEvent({ userAgent: `ua-${i % 7}`, auditID: String(i) })), T + i);
      expect(r.verdict).not.toBe('dropped');
      expect(r.output.length).toBeGreaterThan(0);
    }
  });

  it('alerts-only mode drops non-matching records (the only time it returns "") and forwards alerts', async () => {
    const h = await hostFor([DEFAULT_RULES], { outputMode: OutputMode.AlertsOnly });
    expect(h.filter(line(rawEvent({ verb: 'get', annotations: { 'authorization.k8s.io/decision': 'allow' } })), T).verdict).toBe('dropped');
    expect(h.filter(line(rawEvent()), T).verdict).toBe('tagged');
    expect(h.filter(Buffer.from('not json at all'), T).verdict).toBe('dropped');
  });
});

describe('bad input is passed through unchanged, never a trap', () => {
  const cases: [string, Buffer][] = [
    ['malformed', Buffer.from('{"kind":"Event",')],
    ['truncated match', Buffer.from(JSON.stringify(rawEvent()).slice(0, -3))],
    ['empty', Buffer.alloc(0)],
    ['array', Buffer.from('[1,2,3]')],
    ['string', Buffer.from('"forbid system:serviceaccount:"')],
    ['number', Buffer.from('42')],
    ['trailing garbage', Buffer.from(JSON.stringify(rawEvent()) + ' x')],
    ['two objects', Buffer.from(JSON.stringify(rawEvent()) + JSON.stringify(rawEvent()))],
    ['trailing comma', Buffer.from(JSON.stringify(rawEvent()).slice(0, -1) + ',}')],
    ['bad escape', Buffer.from(JSON.stringify(rawEvent()).replace('curl', 'cu\\xrl'))],
    ['control character', Buffer.from(JSON.stringify(rawEvent()).replace('curl', 'cu\u0001rl'))],
    ['lone surrogate escape', Buffer.from(JSON.stringify(rawEvent()).replace('curl', 'cu\\ud800rl'))],
    ['invalid utf-8', Buffer.concat([Buffer.from(JSON.stringify(rawEvent()).slice(0, 20)), Buffer.from([0xff, 0xfe]), Buffer.from('"}')])],
    ['NUL inside', Buffer.from('{"a":"\u0000"}')],
  ];
  for (const [name, rec] of cases) {
    it(name, () => {
      const r = host.filter(rec, T);
      if (r.verdict === 'tagged') {
        // Only a valid object may be tagged (the lone surrogate escape is valid JSON), and what the
        // tag adds is valid UTF-8 (the lone surrogate is written back as an escape).
        expect(() => JSON.parse(r.output.toString())).not.toThrow();
        expect(() => new TextDecoder('utf-8', { fatal: true }).decode(r.output)).not.toThrow();
      } else {
        expect(r.verdict).toBe('pass');
        expect(r.output.equals(rec)).toBe(true);
      }
    });
  }

  it('a matching record whose unread part is malformed passes through, and does not feed new terms', async () => {
    const h = await hostFor([DEFAULT_RULES]);
    const good = JSON.stringify(rawEvent({ userAgent: 'skipped-part/1', requestObject: { spec: { a: [1, 2] } } }));
    for (const broken of [good.replace('[1,2]', '[1,,2]'), good.replace('[1,2]', '[tru]'), good.replace('[1,2]', '[1 2]'), good.replace('{"a":[1,2]}', '{"a" [1,2]}'), good.replace('[1,2]', '[1,2,]'), good.replace('{"a":[1,2]}', '{"a":[1,2],}'), good.replace('[1,2]', '[1,2}')]) {
      const rec = Buffer.from(broken);
      const r = h.filter(rec, T);
      expect(r.verdict).toBe('pass');
      expect(r.output.equals(rec)).toBe(true);
    }
    expect(h.stats()!.rules[0].terms).toBe(0);
    expect(h.filter(Buffer.from(good), T).verdict).toBe('tagged');
  });

  it('a byte changed inside a part no rule reads: passed through when that makes the record invalid, else the reference verdict', async () => {
    // Parts no rule reads are only validated (a faster walk): it must reject exactly what the full
    // scan rejects, or an invalid record would be tagged and a valid one lost to pass-through.
    const [seed] = await rulesFrom([DEFAULT_RULES]);
    const query = parseKql(seed.query);
    const fields = loadFieldTable();
    const h = await hostFor([seed]);
    // Replacement bytes, and deletion (the empty string): structure, escapes, number and literal parts.
    const bytes = [...'{}[],:"\\ 019.-+eEtrufalsn\tx'.split(''), ''];
    let invalid = 0;
    let n = 0;
    fc.assert(
      fc.property(fc.json({ maxDepth: 4 }), fc.nat(), fc.constantFrom(...bytes), (value, at, byte) => {
        const ua = `mutated/${n++}`; // a new user agent each time: a query match is a new term
        const text = JSON.stringify(rawEvent({ userAgent: ua, requestObject: { status: JSON.parse(value), spec: [1] } }));
        const from = text.indexOf('"requestObject":') + '"requestObject":'.length;
        const to = text.indexOf(',"requestReceivedTimestamp"');
        const i = from + (at % (to - from));
        const mutated = text.slice(0, i) + byte + text.slice(i + 1);
        let parsed: unknown;
        try {
          parsed = JSON.parse(mutated);
        } catch {
          parsed = undefined;
        }
        const r = h.filter(Buffer.from(mutated), T);
        if (parsed === undefined) {
          invalid++;
          expect(r.verdict).toBe('pass');
          expect(r.output.equals(Buffer.from(mutated))).toBe(true);
        } else {
          expect(r.verdict).toBe(evaluateRecord(query, parsed, { fields, hostTimeMs: T }) ? 'tagged' : 'pass');
        }
      }),
      { numRuns: 3000, seed: 20261206 },
    );
    expect(invalid).toBeGreaterThan(300);
  });

  it('a 10 MB record', () => {
    const big = line(rawEvent({ requestObject: { blob: 'x'.repeat(10 * 1024 * 1024) }, userAgent: 'ten-megabytes' }));
    const r = host.filter(big, T);
    expect(r.verdict).toBe('tagged');
    expect(r.output.subarray(0, big.length - 1).equals(big.subarray(0, -1))).toBe(true);
    const untouched = line({ blob: 'y'.repeat(10 * 1024 * 1024) });
    expect(host.filter(untouched, T).verdict).toBe('pass');
  });

  it('a 100 000-level-deep record (the depth in a part no rule reads: evaluated, tagged with its bytes kept)', () => {
    const deep = Buffer.from(JSON.stringify(rawEvent({ userAgent: 'deep-member/1' })).slice(0, -1) + ',"deep":' + '['.repeat(100000) + ']'.repeat(100000) + '}');
    const r = host.filter(deep, T);
    expect(r.verdict).toBe('tagged');
    expect(r.output.subarray(0, deep.length - 1).equals(deep.subarray(0, -1))).toBe(true);
    expect(host.filter(deep, T).output.equals(deep)).toBe(true); // the term is known now: passed through
    const deepObj = Buffer.from('{"a":' + '{"a":'.repeat(100000) + '1' + '}'.repeat(100001));
    expect(host.filter(deepObj, T).verdict).toBe('pass');
  });

  it('a record nested 100 000 deep where no rule reads is evaluated; deeper than 1,000 along a read path passes, counted', async () => {
    for (const trustedInput of [false, true]) {
      const h = await hostFor([DEFAULT_RULES], {}, { trustedInput });
      const deepUnread = Buffer.from(JSON.stringify(rawEvent({ userAgent: 'deep-unread/1' })).slice(0, -1) + ',"requestObject":' + '[{"a":'.repeat(50000) + '1' + '}]'.repeat(50000) + '}');
      const r = h.filter(deepUnread, T);
      expect(r.verdict).toBe('tagged');
      expect(JSON.parse(r.output.toString()).kql_edge.alerts[0].new_terms.values).toEqual(['deep-unread/1']);
      const deepRead = Buffer.from(JSON.stringify(rawEvent({ userAgent: 'X' })).replace('"X"', '['.repeat(2000) + '"deep-read/1"' + ']'.repeat(2000)));
      const p = h.filter(deepRead, T);
      expect(p.verdict).toBe('pass');
      expect(p.output.equals(deepRead)).toBe(true);
      const stats = h.stats()!;
      expect(stats.too_deep).toBe(1);
      expect(stats.invalid).toBe(1);
    }
  });

  it('verdicts do not depend on the order the prefilter learnt for the groups of a rule', async () => {
    const h = await hostFor([DEFAULT_RULES]);
    const allow = line(rawEvent({ annotations: { 'authorization.k8s.io/decision': 'allow' } }));
    const human = line(rawEvent({ user: { username: 'alice' } }));
    // Teach it that the decision group rejects most records, then the user group, then the decision group again.
    for (let i = 0; i < 200; i++) expect(h.filter(allow, T).verdict).toBe('pass');
    expect(h.filter(line(rawEvent({ userAgent: 'order/1' })), T).verdict).toBe('tagged');
    for (let i = 0; i < 400; i++) expect(h.filter(human, T).verdict).toBe('pass');
    expect(h.filter(line(rawEvent({ userAgent: 'order/2' })), T).verdict).toBe('tagged');
    for (let i = 0; i < 800; i++) expect(h.filter(allow, T).verdict).toBe('pass');
    expect(h.filter(line(rawEvent({ userAgent: 'order/3' })), T).verdict).toBe('tagged');
    expect(h.filter(human, T).verdict).toBe('pass');
  });

  it('keeps working after all of the above', () => {
    const r = host.filter(line(rawEvent({ userAgent: 'still-alive/1' })), T);
    expect(r.verdict).toBe('tagged');
  });
});

describe('memory', () => {
  it('linear memory does not grow over one million calls after warm-up', async () => {
    const h = await hostFor([DEFAULT_RULES]);
    const allow = line(rawEvent({ annotations: { 'authorization.k8s.io/decision': 'allow' } }));
    const sameTerm = line(rawEvent({ userAgent: 'steady/1.0' }));
    const records = [allow, sameTerm, Buffer.from('not json'), line(rawEvent({ user: { username: 'system:node:n1' } }))];
    for (let i = 0; i < 20000; i++) h.filter(records[i % records.length], T + i);
    const warm = h.memoryBytes;
    for (let i = 0; i < 1_000_000; i++) h.filter(records[i % records.length], T + i);
    expect(h.memoryBytes).toBe(warm);
    const stats = h.stats()!;
    expect(stats.records).toBe(1_020_000);
    expect(stats.errors).toBe(0);
  }, 120_000);
});
