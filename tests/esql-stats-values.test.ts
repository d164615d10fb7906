// The STATS window's value bookkeeping against the reference on streams built to stress it: values
// that need JSON escapes (quotes, backslashes, control characters, non-ASCII) at every position of
// an 8-byte word next to plain ones (the plain-ASCII copy must never take an escaped value); one
// long-lived group whose distinct values keep entering and leaving its window (its value index grows
// and has values removed and added again many times); and many short-lived groups, so removed
// groups and their buffers are used again. Per record, the module's alert rows equal the reference's.
import { describe, it, expect, beforeAll } from 'vitest';
import { parseEsql } from '../src/esql/parser.js';
import { esqlStream, esqlEvents } from '../src/reference/esql.js';
import { compileProgram } from '../src/compiler/index.js';
import { lookbackOf } from '../src/compiler/esql-stats-serialize.js';
import { genericFilterModule } from '../src/build/evaluator.js';
import { FluentBitHost } from '../src/host/fluent-bit-host.js';
import { loadFieldTable } from '../src/fields/table.js';
import { queryRule } from './helpers/wasm-case.js';
import { moduleRows } from './helpers/stats-rows.js';

const HOST_TIME = Date.UTC(2026, 2, 1, 12);
const START = Date.UTC(2026, 2, 1, 10);
const fields = loadFieldTable();

/** Deterministic pseudo-random numbers (a linear congruential generator; the stream is fixed). */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const ODD = ['"', '\\', '\u0001', '\t', '\u00e9', '\u{1F600}', '\u007f'];

/** A value of length 0..23 with, for some, one odd character at position i % length. */
function oddValue(i: number): string {
  const base = `v${i}-${'abcdefghijklmnopqrstuvw'.slice(0, i % 20)}`;
  if (i % 3 === 0) return base;
  const at = i % (base.length + 1);
  return base.slice(0, at) + ODD[i % ODD.length] + base.slice(at);
}

function event(t: number, user: string, uri: string, verb: string): string {
  return JSON.stringify({
    kind: 'Event', apiVersion: 'audit.k8s.io/v1', level: 'Metadata', auditID: `id-${t}`, stage: 'ResponseComplete',
    requestURI: uri, verb, user: { username: user }, sourceIPs: ['10.0.0.1'], objectRef: { resource: 'pods', namespace: 'default' },
    stageTimestamp: new Date(t).toISOString(), requestReceivedTimestamp: new Date(t - 5).toISOString(),
  });
}

/** One long-lived user cycling through 150 distinct URIs, and 300 users seen a few times each. */
function stream(): string[] {
  const rnd = prng(20261207);
  const out: string[] = [];
  let t = START;
  for (let i = 0; i < 2400; i++) {
    t += 200 + Math.floor(rnd() * 1600);
    // A few records a little late (within the exact range).
    const at = rnd() < 0.03 ? t - Math.floor(rnd() * 20_000) : t;
    if (rnd() < 0.6) out.push(event(at, 'alice', oddValue(Math.floor(rnd() * 150)), 'get'));
    else {
      const u = Math.floor(i / 8) % 300;
      out.push(event(at, u % 4 === 0 ? oddValue(1000 + u) : `user-${u}`, oddValue(Math.floor(rnd() * 40)), rnd() < 0.5 ? 'get' : 'list'));
    }
  }
  return out;
}

let host: FluentBitHost;
beforeAll(async () => {
  host = await FluentBitHost.create(await genericFilterModule());
});

describe('STATS values: escapes, a long-lived group with churning values, many short groups', () => {
  const queries = [
    'FROM logs-*\n| STATS n = COUNT(*), d = COUNT_DISTINCT(kubernetes.audit.requestURI), uris = VALUES(kubernetes.audit.requestURI), verbs = VALUES(kubernetes.audit.verb) BY kubernetes.audit.user.username\n| WHERE n >= 1\n',
    'FROM logs-*\n| WHERE kubernetes.audit.verb == "get"\n| STATS d = COUNT_DISTINCT(kubernetes.audit.requestURI), uris = VALUES(kubernetes.audit.requestURI) BY kubernetes.audit.user.username, kubernetes.audit.requestURI\n| WHERE d >= 1\n',
  ];
  for (const [qi, query] of queries.entries()) {
    it(`query ${qi + 1}: module rows == reference rows on every record`, () => {
      const records = stream();
      const from = 'now-45s';
      const events = esqlEvents(records.map((r) => JSON.parse(r)), { hostTimeMs: HOST_TIME });
      const expected = esqlStream(parseEsql(query), events, { fields, lookbackMs: lookbackOf(from), learningMs: 0 });
      host.loadProgram(compileProgram([{ ...queryRule(query, 'stats-values'), type: 'esql', language: 'esql', from }], {}, fields).bytes);
      let rows = 0;
      let escaped = 0;
      let most = 0;
      for (let i = 0; i < records.length; i++) {
        const got = moduleRows(host, records[i]!, HOST_TIME);
        expect({ i, rows: got }).toEqual({ i, rows: expected[i] });
        rows += got.length;
        for (const r of got) {
          const text = JSON.stringify(r);
          if (/\\\\|\\"|\\u0001|\\t|é|😀/.test(text)) escaped++;
          if (typeof r['d'] === 'number') most = Math.max(most, r['d'] as number);
        }
      }
      // The stream did what it is for: many rows, odd values in them, and a group with many values at once.
      expect(rows).toBeGreaterThan(300);
      expect(escaped).toBeGreaterThan(50);
      if (qi === 0) expect(most).toBeGreaterThan(20);
    }, 120_000);
  }
});
