// ES|QL STATS windows as state (docs/state-format.md, section kind 4; docs/semantics.md "STATS … BY"):
//  - snapshot and restore: a generated stream cut at a generated point, the first part fed to one
//    instance that writes its snapshot, the rest to a new instance that restores it: the rows are
//    those of one uninterrupted run (the reference over the whole stream);
//  - the window budget: groups beyond the rule's share are evicted least recently used first and
//    counted, the bytes stay within the share;
//  - the per-group cap on distinct values: COUNT_DISTINCT stops at the cap and says so.
import { describe, it, expect, beforeAll } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseEsql } from '../src/esql/parser.js';
import { esqlSkipReason } from '../src/esql/support.js';
import { esqlStream, esqlEvents } from '../src/reference/esql.js';
import { compileProgram, type BuildOptions } from '../src/compiler/index.js';
import { lookbackOf } from '../src/compiler/esql-stats-serialize.js';
import { genericFilterModule } from '../src/build/evaluator.js';
import { FluentBitHost } from '../src/host/fluent-bit-host.js';
import { loadFieldTable } from '../src/fields/table.js';
import type { Rule } from '../src/rules/types.js';
import { queryRule } from './helpers/wasm-case.js';
import { moduleRows } from './helpers/stats-rows.js';
import { statsQueryArb, statsStreamArb } from './gen/esql-stats-arbitraries.js';

const RUNS = Number(process.env.KQL_EDGE_ESQL_STATS_STATE_RUNS ?? 60);
const SEED = Number(process.env.KQL_EDGE_PROPERTY_SEED ?? 20261207);
const HOST_TIME = Date.UTC(2026, 2, 1, 12);
const fields = loadFieldTable();
const statsRule = (query: string, from: string): Rule => ({ ...queryRule(query, 'stats-rule'), type: 'esql', language: 'esql', from });

let filterModule: WebAssembly.Module;
beforeAll(async () => {
  filterModule = await genericFilterModule();
});

function stateDir(): string {
  const dir = path.join(mkdtempSync(path.join(tmpdir(), 'kqe-winstate-')), 'state');
  mkdirSync(dir);
  return dir;
}

async function instance(dir: string, rule: Rule, options: Partial<BuildOptions> = {}) {
  const errFile = path.join(dir, '..', `stderr-${Math.random().toString(36).slice(2)}.log`);
  const fd = openSync(errFile, 'w');
  const program = compileProgram([rule], { stateFile: '/state/win.snapshot', snapshotEveryRecords: 0, snapshotEverySeconds: 0, ...options }, fields);
  const host = await FluentBitHost.create(filterModule, program.bytes, { preopens: { '/state': dir }, stderrFd: fd });
  return { host, stderr: () => readFileSync(errFile, 'utf8').split('\n').filter(Boolean) };
}

const ruleStats = (host: FluentBitHost) => host.stats()!.rules.find((r) => r.id === 'stats-rule')!;

describe('STATS windows across a restart (snapshot, section kind 4)', () => {
  it(`${RUNS} generated (query, stream, cut): rows after the restart == one uninterrupted run`, async () => {
    let restored = 0;
    let rowsAfter = 0;
    await fc.assert(
      fc.asyncProperty(statsQueryArb, statsStreamArb, fc.nat(1000), async ({ query, from }, stream, cutSeed) => {
        if (esqlSkipReason(query, (f) => fields.typeOf(f))) return;
        const cut = 1 + (cutSeed % (stream.length - 1));
        const events = esqlEvents(stream.map((e) => JSON.parse(e)), { hostTimeMs: HOST_TIME });
        const expected = esqlStream(parseEsql(query), events, { fields, lookbackMs: lookbackOf(from) });
        const dir = stateDir();
        const first = await instance(dir, statsRule(query, from));
        for (let i = 0; i < cut; i++) expect({ i, rows: moduleRows(first.host, stream[i], HOST_TIME) }).toEqual({ i, rows: expected[i] });
        expect(first.host.snapshot()).toBe(true);
        const groups = ruleStats(first.host).window_groups;
        const second = await instance(dir, statsRule(query, from));
        for (let i = cut; i < stream.length; i++) {
          rowsAfter += expected[i].length;
          expect({ query, cut, i, rows: moduleRows(second.host, stream[i], HOST_TIME) }).toEqual({ query, cut, i, rows: expected[i] });
        }
        if (groups! > 0) {
          restored++;
          expect(second.stderr()[0]).toMatch(new RegExp(`snapshot restored: windows for 1 of 1 rules \\(${groups} groups\\)$`));
        }
      }),
      { numRuns: RUNS, seed: SEED },
    );
    expect(restored).toBeGreaterThan(RUNS / 2);
    expect(rowsAfter).toBeGreaterThan(RUNS / 4);
  }, 600_000);

  it('a snapshot of another query (another state key) is not used', async () => {
    const dir = stateDir();
    const q = 'FROM logs-*\n| STATS n = COUNT(*) BY user.name\n| WHERE n >= 2';
    const first = await instance(dir, statsRule(q, 'now-6m'));
    const ev = (s: number) => JSON.stringify({ '@timestamp': new Date(Date.UTC(2026, 2, 1, 10) + s * 1000).toISOString(), user: { name: 'alice' } });
    expect(moduleRows(first.host, ev(0), HOST_TIME)).toEqual([]);
    expect(first.host.snapshot()).toBe(true);
    const same = await instance(dir, statsRule(q, 'now-6m'));
    expect(moduleRows(same.host, ev(1), HOST_TIME)).toEqual([{ n: 2, 'user.name': 'alice' }]);
    const other = await instance(dir, statsRule(q.replace('>= 2', '>= 1'), 'now-6m'));
    expect(moduleRows(other.host, ev(1), HOST_TIME)).toEqual([{ n: 1, 'user.name': 'alice' }]);
  });
});

const at = (s: number) => new Date(Date.UTC(2026, 2, 1, 10) + s * 1000).toISOString();

describe('the window budget', () => {
  it('evicts the least recently used groups beyond the share and counts those still inside their window', async () => {
    const q = 'FROM logs-*\n| STATS n = COUNT(*), u = VALUES(kubernetes.audit.requestURI) BY user.name\n| WHERE n >= 2';
    const host = await FluentBitHost.create(filterModule, compileProgram([statsRule(q, 'now-6m')], { windowBudgetBytes: 64 * 1024 }, fields).bytes);
    // 2000 users once each, then user-0 again: its group was evicted, so its count starts over.
    for (let i = 0; i < 2000; i++) expect(moduleRows(host, JSON.stringify({ '@timestamp': at(i / 100), user: { name: `user-${i}` }, kubernetes: { audit: { requestURI: `/api/v1/x${i}` } } }), HOST_TIME)).toEqual([]);
    const s = ruleStats(host);
    expect(s.window_capacity_bytes).toBe(64 * 1024);
    expect(s.window_bytes!).toBeLessThanOrEqual(64 * 1024);
    // What the evicted groups freed is kept for the next ones, up to an eighth of the share.
    expect(s.window_pooled_bytes!).toBeGreaterThan(0);
    expect(s.window_pooled_bytes!).toBeLessThanOrEqual((64 * 1024) / 8);
    expect(s.window_evictions_in_window!).toBeGreaterThan(1000);
    expect(s.window_groups! + s.window_evictions_in_window!).toBe(2000);
    expect(moduleRows(host, JSON.stringify({ '@timestamp': at(21), user: { name: 'user-0' } }), HOST_TIME)).toEqual([]);
    // The most recent groups are still there.
    expect(moduleRows(host, JSON.stringify({ '@timestamp': at(22), user: { name: 'user-1999' } }), HOST_TIME)).toEqual([{ n: 2, u: '/api/v1/x1999', 'user.name': 'user-1999' }]);
  });

  it('expires groups whose events all left the window (not counted as evictions)', async () => {
    const q = 'FROM logs-*\n| STATS n = COUNT(*) BY user.name';
    const host = await FluentBitHost.create(filterModule, compileProgram([statsRule(q, 'now-1m')], {}, fields).bytes);
    for (let i = 0; i < 10; i++) moduleRows(host, JSON.stringify({ '@timestamp': at(i), user: { name: `u${i}` } }), HOST_TIME);
    for (let i = 0; i < 20; i++) moduleRows(host, JSON.stringify({ '@timestamp': at(600 + i), user: { name: 'late-comer' } }), HOST_TIME);
    const s = ruleStats(host);
    expect([s.window_groups, s.window_expirations, s.window_evictions_in_window]).toEqual([1, 10, 0]);
  });
});

describe('the per-group cap on distinct values', () => {
  it('COUNT_DISTINCT and VALUES are exact up to 256 values per group and input; beyond, they are a lower bound flagged in esql_capped', async () => {
    const q = 'FROM logs-*\n| STATS d = COUNT_DISTINCT(kubernetes.audit.requestURI), v = VALUES(kubernetes.audit.requestURI), n = COUNT(*) BY user.name\n| WHERE d >= 1';
    const host = await FluentBitHost.create(filterModule, compileProgram([statsRule(q, 'now-6m')], {}, fields).bytes);
    const alertOf = (record: string) => {
      const out = host.filter(Buffer.from(record), HOST_TIME);
      return out.verdict === 'tagged' ? (JSON.parse(out.output.toString()) as { kql_edge: { alerts: Record<string, unknown>[] } }).kql_edge.alerts[0] : undefined;
    };
    const ev = (s: number, uri: string) => JSON.stringify({ '@timestamp': at(s), user: { name: 'alice' }, kubernetes: { audit: { requestURI: uri } } });
    // The first event alerts (exact, no flag); the group is then quiet for 6 minutes.
    expect(alertOf(ev(0, '/u0'))).toEqual(expect.objectContaining({ esql: { d: 1, v: '/u0', n: 1, 'user.name': 'alice' } }));
    for (let i = 1; i < 300; i++) expect(alertOf(ev(i, `/u${i}`))).toBeUndefined();
    // At 6 minutes the window (0 s, 360 s] holds 300 distinct URIs. The group keeps 256 values (those
    // first seen, /u0 … /u255, /u0 still held for late records though out of the window): COUNT_DISTINCT
    // and VALUES give the 255 kept values inside the window — a lower bound — and are flagged.
    const a = alertOf(ev(360, '/u-last'))!;
    const row = a.esql as { d: number; v: string[]; n: number };
    expect([row.d, row.v.length, row.n]).toEqual([255, 255, 300]);
    expect(row.v.slice(0, 3)).toEqual(['/u1', '/u10', '/u100']);
    expect(a.esql_capped).toEqual(['d', 'v']);
  });
});

describe('window counters in the transform server /metrics', () => {
  it('groups, bytes, share, pooled bytes, expirations', async () => {
    const { startOnLoopback, scrapeMetrics } = await import('../src/server/loopback/harness.js');
    const { CaptureDownstream } = await import('../src/server/loopback/downstream.js');
    const { VectorLikeSender } = await import('../src/server/loopback/sender.js');
    const q = 'FROM logs-*\n| STATS n = COUNT(*) BY user.name';
    const host = await FluentBitHost.create(filterModule, compileProgram([statsRule(q, 'now-1m')], {}, fields).bytes);
    const downstream = await CaptureDownstream.start();
    const { server } = await startOnLoopback(host, downstream.url);
    const sender = new VectorLikeSender({ url: server.url, maxEvents: 10, initialBackoffMs: 5 });
    try {
      // Ten users in the first seconds, then one user ten minutes later: the ten groups expire.
      const lines = [...Array.from({ length: 10 }, (_, i) => ({ '@timestamp': at(i), user: { name: `u${i}` } })), { '@timestamp': at(600), user: { name: 'late-comer' } }, { '@timestamp': at(601), user: { name: 'late-comer' } }].map((d) => JSON.stringify(d));
      expect((await sender.send(lines)).failed).toBe(0);
      const m = await scrapeMetrics(server.url);
      const value = (name: string) => m.get([...m.keys()].find((k) => k.startsWith(name + '{') && k.includes('rule_id="stats-rule"'))!);
      const s = ruleStats(host);
      // One expired group is forgotten per record: the two late records let two of the ten go.
      expect(value('kqledge_window_groups')).toBe(9);
      expect(value('kqledge_window_expirations_total')).toBe(2);
      expect(value('kqledge_window_evictions_in_window_total')).toBe(0);
      expect(value('kqledge_window_event_evictions_total')).toBe(0);
      expect(value('kqledge_window_bytes')).toBe(s.window_bytes);
      expect(value('kqledge_window_capacity_bytes')).toBe(32 * 1024 * 1024);
      expect(value('kqledge_window_pooled_bytes')).toBe(s.window_pooled_bytes);
      expect(s.window_pooled_bytes).toBeGreaterThan(0);
    } finally {
      await sender.close();
      await server.shutdown();
      await downstream.close();
    }
  });
});
