// EQL sequences: the pack's sequence rule on hand-written streams (tests/fixtures/pack-sequences),
// through the WebAssembly filter (one fresh instance per stream, records in order, exactly as Fluent
// Bit calls it) and through the streaming reference; both must give every record's documented
// verdict. Then the bounded state: a small --sequence-budget evicts, and evictions are counted.
import { describe, it, expect, beforeAll } from 'vitest';
import path from 'node:path';
import { loadRules } from '../src/rules/load.js';
import { compileProgram } from '../src/compiler/index.js';
import { genericFilterModule } from '../src/build/evaluator.js';
import { FluentBitHost } from '../src/host/fluent-bit-host.js';
import { loadFieldTable } from '../src/fields/table.js';
import { parseEql } from '../src/eql/parser.js';
import { eqlSequenceStream } from '../src/reference/eql-sequence.js';
import { parseJson } from '../src/reference/json.js';
import type { Rule } from '../src/rules/types.js';
import { ROOT, hasShared } from './helpers/evaluator.js';
import { sequenceFixtures } from './helpers/eql-sequences.js';
import { queryRule } from './helpers/wasm-case.js';

const HOST_TIME = Date.parse('2026-03-01T12:00:00Z');
const fixtures = sequenceFixtures();
let filterModule: WebAssembly.Module;
beforeAll(async () => {
  filterModule = await genericFilterModule();
});

interface SequenceAlert {
  rule_id: string;
  type: string;
  sequence?: { time: string; auditID: string | null }[];
}

/** Feeds the records in order to one fresh filter; per record, the rule's alert (or undefined). */
async function runStream(rule: Rule, records: unknown[], options: Parameters<typeof compileProgram>[1] = {}) {
  const host = await FluentBitHost.create(filterModule, compileProgram([rule], options).bytes);
  const alerts = records.map((r) => {
    const out = host.filter(Buffer.from(JSON.stringify(r)), HOST_TIME);
    if (out.verdict !== 'tagged') return undefined;
    const alerts = (JSON.parse(out.output.toString()) as { kql_edge: { alerts: SequenceAlert[] } }).kql_edge.alerts;
    return alerts.find((a) => a.rule_id === rule.ruleId);
  });
  return { alerts, stats: host.stats()?.rules.find((s) => s.id === rule.ruleId) };
}

describe('stream fixtures are well-formed', () => {
  it('each stream has one expected verdict per event, expected auditIDs are of earlier events', () => {
    expect(fixtures.length).toBeGreaterThan(0);
    for (const f of fixtures) {
      expect(f.streams.length).toBeGreaterThanOrEqual(10);
      for (const s of f.streams) {
        expect(s.expected.length, s.why).toBe(s.events.length);
        s.expected.forEach((ids, i) => {
          if (ids) expect(ids.at(-1), s.why).toBe(s.events[i]!.auditID);
          if (ids) for (const id of ids) expect(s.events.slice(0, i + 1).map((e) => e.auditID)).toContain(id);
        });
      }
    }
  });
});

describe.skipIf(!hasShared)('sequence rules of the pack on stream fixtures (requires ../shared)', () => {
  for (const f of fixtures) {
    describe(f.stem, () => {
      let rule: Rule;
      beforeAll(async () => {
        const loaded = await loadRules([path.resolve(ROOT, f.rule_file)]);
        expect(loaded.errors).toEqual([]);
        rule = loaded.rules[0]!;
        expect(rule.ruleId).toBe(f.rule_id);
      });
      for (const s of f.streams) {
        it(`filter: ${s.why}`, async () => {
          const { alerts } = await runStream(rule, s.events, s.learning_ms ? { learningMs: s.learning_ms } : {});
          expect(alerts.map((a) => (a ? a.sequence!.map((x) => x.auditID) : null))).toEqual(s.expected);
          for (const a of alerts) if (a) expect(a.type).toBe('eql');
        });
        it(`reference: ${s.why}`, () => {
          const q = parseEql(rule.query);
          if (q.kind !== 'sequence') throw new Error('not a sequence');
          const records = s.events.map((e) => parseJson(JSON.stringify(e)));
          const got = eqlSequenceStream(q, records, { fields: loadFieldTable(), hostTimeMs: HOST_TIME, timestampOverride: rule.timestampOverride, learningMs: s.learning_ms });
          expect(got.map((hits) => (hits ? hits.map((h) => h.auditID) : null))).toEqual(s.expected);
        });
      }
      it('the alert carries each stage event time (ISO, UTC, ms) and identity, and filter and reference agree on them', async () => {
        const s = f.streams[0]!;
        const { alerts } = await runStream(rule, s.events);
        const q = parseEql(rule.query);
        if (q.kind !== 'sequence') throw new Error('not a sequence');
        const ref = eqlSequenceStream(q, s.events.map((e) => parseJson(JSON.stringify(e))), { fields: loadFieldTable(), hostTimeMs: HOST_TIME, timestampOverride: rule.timestampOverride });
        expect(alerts.at(-1)!.sequence).toEqual(ref.at(-1));
        expect(alerts.at(-1)!.sequence![0]!.time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      });
    });
  }
});

/** A two-stage sequence on user.name over small generated events (no ../shared needed). */
function sequenceRule(query: string): Rule {
  return { ...queryRule(query, 'seq-rule'), type: 'eql', language: 'eql' };
}
const SEQ = 'sequence by user.name with maxspan=1m [any where event.action == "a"] [any where event.action == "b"]';
const doc = (user: string | undefined, action: string, second: number, id: string) => ({
  '@timestamp': new Date(Date.UTC(2026, 2, 1, 10, 0, second)).toISOString(),
  event: { action },
  ...(user === undefined ? {} : { user: { name: user } }),
  kubernetes: { audit: { auditID: id } },
});

describe('sequence state is bounded', () => {
  it('with room for 16 pending sequences, 40 users waiting evicts the least recently used, counted as live evictions', async () => {
    const rule = sequenceRule(SEQ);
    const records: unknown[] = [];
    for (let u = 0; u < 40; u++) records.push(doc(`u${u}`, 'a', u, `a${u}`));
    for (let u = 0; u < 40; u++) records.push(doc(`u${u}`, 'b', 40 + (u % 10), `b${u}`));
    const { alerts, stats } = await runStream(rule, records, { sequenceBudgetBytes: 1 });
    expect(stats?.sequence_capacity).toBe(16);
    // Users 24..39 (the 16 most recent first stages, all within maxspan) complete; 0..23 were evicted.
    const completed = alerts.map((a, i) => (a ? i : -1)).filter((i) => i >= 0);
    expect(completed).toEqual(Array.from({ length: 16 }, (_, k) => 40 + 24 + k));
    expect(stats?.sequence_evictions_in_window).toBe(24);
  });

  it('the default budget holds every one of 2000 pending sequences', async () => {
    const rule = sequenceRule('sequence by user.name [any where event.action == "a"] [any where event.action == "b"]');
    const records: unknown[] = [];
    for (let u = 0; u < 2000; u++) records.push(doc(`u${u}`, 'a', 0, `a${u}`));
    for (let u = 0; u < 2000; u++) records.push(doc(`u${u}`, 'b', 1, `b${u}`));
    const { alerts, stats } = await runStream(rule, records);
    expect(alerts.filter(Boolean)).toHaveLength(2000);
    expect(stats?.sequence_evictions_in_window).toBe(0);
    expect(stats?.sequences).toBe(0);
  });

  it('an expired pending sequence is counted as expired, not as a live eviction', async () => {
    const rule = sequenceRule(SEQ);
    const { alerts, stats } = await runStream(rule, [doc('x', 'a', 0, 'a0'), doc('x', 'b', 61, 'b0')]);
    expect(alerts.filter(Boolean)).toHaveLength(0);
    expect([stats?.sequence_expirations, stats?.sequence_evictions_in_window]).toEqual([1, 0]);
  });

  it('a record that is not JSON, or lacks the join key, leaves the state alone', async () => {
    const rule = sequenceRule(SEQ);
    const host = await FluentBitHost.create(filterModule, compileProgram([rule]).bytes);
    host.filter(Buffer.from(JSON.stringify(doc('x', 'a', 0, 'a0'))), HOST_TIME);
    expect(host.filter(Buffer.from('{"event":{"action":"b"'), HOST_TIME).verdict).toBe('pass');
    expect(host.filter(Buffer.from(JSON.stringify(doc(undefined, 'b', 1, 'b0'))), HOST_TIME).verdict).toBe('pass');
    expect(host.filter(Buffer.from(JSON.stringify(doc('x', 'b', 2, 'b1'))), HOST_TIME).verdict).toBe('tagged');
  });
});

// Elasticsearch's sequence matcher (x-pack/plugin/eql: SequenceMatcher.match, OrdinalGroup.trimBefore):
// an event of stage i takes, among its key's sequences that matched stage i-1, the LATEST one ordered
// before it, and removes it and every older one; maxspan is checked on the one taken.
describe('which candidate a later stage takes: the latest earlier one, older ones dropped (as Elasticsearch)', () => {
  const SEQ3 = 'sequence by user.name with maxspan=1m [any where event.action == "a"] [any where event.action == "b"] [any where event.action == "c"]';
  const streams: { why: string; query: string; records: ReturnType<typeof doc>[]; expected: (string[] | null)[] }[] = [
    {
      why: 'two first stages: the second stage pairs with the later one; a further second stage finds no candidate (the older one was dropped)',
      query: SEQ,
      records: [doc('u', 'a', 0, 'a0'), doc('u', 'a', 10, 'a1'), doc('u', 'b', 20, 'b0'), doc('u', 'b', 25, 'b1')],
      expected: [null, null, ['a1', 'b0'], null],
    },
    {
      why: 'maxspan counts from the candidate taken: within 1m of the later first stage, not of the earlier one',
      query: SEQ,
      records: [doc('u', 'a', 0, 'a0'), doc('u', 'a', 30, 'a1'), doc('u', 'b', 85, 'b0')],
      expected: [null, null, ['a1', 'b0']],
    },
    {
      why: 'the latest candidate too old: dropped, and the older one with it (nothing pairs later)',
      query: SEQ,
      records: [doc('u', 'a', 0, 'a0'), doc('u', 'a', 1, 'a1'), doc('u', 'b', 62, 'b0'), doc('u', 'b', 63, 'b1')],
      expected: [null, null, null, null],
    },
    {
      why: 'three stages: the third stage takes the most recently advanced sequence; the other is gone after it',
      query: SEQ3,
      records: [doc('u', 'a', 0, 'a0'), doc('u', 'b', 1, 'b0'), doc('u', 'a', 2, 'a1'), doc('u', 'b', 3, 'b1'), doc('u', 'c', 4, 'c0'), doc('u', 'c', 5, 'c1')],
      expected: [null, null, null, null, ['a1', 'b1', 'c0'], null],
    },
    {
      why: 'candidates are per key: another user\'s later first stage does not replace this one\'s',
      query: SEQ,
      records: [doc('u', 'a', 0, 'a0'), doc('v', 'a', 10, 'a1'), doc('u', 'b', 20, 'b0'), doc('v', 'b', 21, 'b1')],
      expected: [null, null, ['a0', 'b0'], ['a1', 'b1']],
    },
  ];
  for (const s of streams) {
    it(`filter: ${s.why}`, async () => {
      const { alerts } = await runStream(sequenceRule(s.query), s.records);
      expect(alerts.map((a) => a?.sequence?.map((x) => x.auditID) ?? null)).toEqual(s.expected);
    });
    it(`reference: ${s.why}`, () => {
      const q = parseEql(s.query);
      if (q.kind !== 'sequence') throw new Error('not a sequence');
      const got = eqlSequenceStream(q, s.records, { fields: loadFieldTable(), hostTimeMs: HOST_TIME });
      expect(got.map((h) => h?.map((x) => x.auditID) ?? null)).toEqual(s.expected);
    });
  }
});

describe('until', () => {
  const UNTIL = 'sequence by user.name with maxspan=1m [any where event.action == "a"] [any where event.action == "b"] [any where event.action == "c"] until [any where event.action == "x"]';
  it('an until record of the same key ends the pending sequences; of another key it does not', async () => {
    const rule = sequenceRule(UNTIL);
    const { alerts } = await runStream(rule, [doc('u', 'a', 0, 'a0'), doc('u', 'b', 1, 'b0'), doc('v', 'x', 2, 'x-other'), doc('u', 'c', 3, 'c0')]);
    expect(alerts.map((a) => a?.sequence?.map((s) => s.auditID) ?? null)).toEqual([null, null, null, ['a0', 'b0', 'c0']]);
    const cut = await runStream(rule, [doc('u', 'a', 0, 'a0'), doc('u', 'b', 1, 'b0'), doc('u', 'x', 2, 'x0'), doc('u', 'c', 3, 'c0')]);
    expect(cut.alerts.every((a) => a === undefined)).toBe(true);
    const restart = await runStream(rule, [doc('u', 'a', 0, 'a0'), doc('u', 'x', 1, 'x0'), doc('u', 'a', 2, 'a1'), doc('u', 'b', 3, 'b1'), doc('u', 'c', 4, 'c1')]);
    expect(restart.alerts.at(-1)?.sequence?.map((s) => s.auditID)).toEqual(['a1', 'b1', 'c1']);
  });
  it('the reference agrees', () => {
    const q = parseEql(UNTIL);
    if (q.kind !== 'sequence') throw new Error('not a sequence');
    const records = [doc('u', 'a', 0, 'a0'), doc('u', 'b', 1, 'b0'), doc('u', 'x', 2, 'x0'), doc('u', 'c', 3, 'c0'), doc('u', 'a', 4, 'a1'), doc('u', 'b', 5, 'b1'), doc('u', 'c', 6, 'c1')];
    const got = eqlSequenceStream(q, records, { fields: loadFieldTable(), hostTimeMs: HOST_TIME });
    expect(got.map((h) => h?.map((s) => s.auditID) ?? null)).toEqual([null, null, null, null, null, null, ['a1', 'b1', 'c1']]);
  });
});

describe('sequence counters in the transform server /metrics', () => {
  it('pending, capacity, completions', async () => {
    const { startOnLoopback, scrapeMetrics } = await import('../src/server/loopback/harness.js');
    const { CaptureDownstream } = await import('../src/server/loopback/downstream.js');
    const { VectorLikeSender } = await import('../src/server/loopback/sender.js');
    const rule = sequenceRule(SEQ);
    const host = await FluentBitHost.create(filterModule, compileProgram([rule]).bytes);
    const downstream = await CaptureDownstream.start();
    const { server } = await startOnLoopback(host, downstream.url);
    const sender = new VectorLikeSender({ url: server.url, maxEvents: 10, initialBackoffMs: 5 });
    try {
      const lines = [doc('x', 'a', 0, 'a0'), doc('x', 'b', 1, 'b0'), doc('y', 'a', 2, 'a1')].map((d) => JSON.stringify(d));
      expect((await sender.send(lines)).failed).toBe(0);
      const m = await scrapeMetrics(server.url);
      const key = (name: string) => [...m.keys()].find((k) => k.startsWith(name + '{') && k.includes('rule_id="seq-rule"'))!;
      expect(m.get(key('kqledge_sequence_completions_total'))).toBe(1);
      expect(m.get(key('kqledge_sequences_pending'))).toBe(1);
      expect(m.get(key('kqledge_sequence_capacity'))).toBeGreaterThan(10_000);
      expect(m.get(key('kqledge_sequence_evictions_in_window_total'))).toBe(0);
    } finally {
      await sender.close();
      await server.shutdown();
      await downstream.close();
    }
  });
});
