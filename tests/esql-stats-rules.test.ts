// Per-rule stream fixtures for the pack's ES|QL rules with STATS … BY (tests/fixtures/pack-stats):
// raw audit event streams that must alert (at a given event, with the final row) and near misses
// that must not. Every stream is checked against the reference (esqlStream: each window recomputed
// from scratch) and, for rules the module loads, against the WebAssembly filter fed the same
// records in order. A rule the module skips is reported as a skipped test naming the module's
// reason — never as passing.

import { describe, it, expect } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { loadRules } from '../src/rules/load.js';
import { compileProgram } from '../src/compiler/index.js';
import { genericFilterModule } from '../src/build/evaluator.js';
import { FluentBitHost } from '../src/host/fluent-bit-host.js';
import type { Rule } from '../src/rules/types.js';
import { loadFieldTable } from '../src/fields/table.js';
import { parseEsql } from '../src/esql/parser.js';
import type { EsqlQuery } from '../src/esql/ast.js';
import { aggregate, esqlEvents, esqlStream, rowJson, runCommands, splitAtStats, statsAggregations, type EsqlEvent, type Row } from '../src/reference/esql.js';
import { valuesOf, NULL, type Val } from '../src/reference/esql-values.js';
import { ROOT, hasShared, PACK } from './helpers/evaluator.js';
import { compilePipeline } from '../src/esql/pipeline.js';

interface StreamCase {
  name: string;
  why: string;
  events: Record<string, unknown>[];
  /** Every alert of the stream: the event it fires on and the final row (several rows on one event: one per group). */
  alerts: { at: number; row: Record<string, unknown> }[];
  /** Scheduled runs (Elastic's model: one run over the look-back ending at event `at`'s time, or at `time`) and how many rows they return. */
  scheduled?: ({ at: number; rows: number } | { time: string; rows: number })[];
}

interface StatsFixture {
  stem: string;
  rule_file: string;
  rule_id: string;
  streams: StreamCase[];
}

const FIXTURES = path.join(ROOT, 'tests/fixtures/pack-stats');
/** Fluent Bit's record time for every call; the audit events carry their own stageTimestamp. */
const HOST_TIME = Date.parse('2026-03-01T12:00:00Z');

const fixtures: StatsFixture[] = readdirSync(FIXTURES)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => ({ stem: f.slice(0, -'.json'.length), ...(JSON.parse(readFileSync(path.join(FIXTURES, f), 'utf8')) as Omit<StatsFixture, 'stem'>) }));

const fields = loadFieldTable();

/** Elastic's `from` (`now-6m` when absent) as a look-back in ms. */
function lookbackMs(rule: Rule): number {
  const m = /^now-(\d+)([smhd])$/.exec(rule.from ?? 'now-6m');
  if (!m) throw new Error(`${rule.name}: from = ${rule.from} is not now-<n><unit>`);
  return Number(m[1]) * { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 's' | 'm' | 'h' | 'd'];
}

function eventsOf(rule: Rule, records: unknown[]): EsqlEvent[] {
  return esqlEvents(records, { hostTimeMs: HOST_TIME, timestampOverride: rule.timestampOverride });
}

/** The alerts the reference gives, as (event index, row). */
function referenceAlerts(rule: Rule, q: EsqlQuery, s: StreamCase): { at: number; row: Record<string, unknown> }[] {
  const perEvent = esqlStream(q, eventsOf(rule, s.events), { fields, lookbackMs: lookbackMs(rule) });
  return perEvent.flatMap((rows, at) => rows.map((row) => ({ at, row })));
}

/**
 * Elastic's scheduled run at time T (no dedup, no quiet period): the query over every event with
 * event time in (T - L, T] (the stream's window; Elastic's range also holds T - L itself), each
 * group's row over all of them. Used to show where a non-monotone
 * condition makes the stream's early alert differ from a run over the full window.
 */
function scheduledRun(rule: Rule, q: EsqlQuery, events: EsqlEvent[], t: number): Record<string, unknown>[] {
  const { pre, stats, post } = splitAtStats(q);
  if (!stats) throw new Error('not a STATS rule');
  const aggs = statsAggregations(stats);
  const groups = new Map<string, { keys: Val[]; inputs: Val[][] }>();
  for (const ev of events) {
    if (ev.doc === null || ev.time <= t - lookbackMs(rule) || ev.time > t) continue;
    const ctx = { fields, now: ev.time };
    const row = runCommands(pre, new Map(), ev.doc, ctx);
    if (!row) continue;
    // The BY keys and aggregate inputs, evaluated as EVAL columns of the row.
    const keyRow = runCommands([{ kind: 'eval', fields: stats.by, pos: stats.pos }], new Map(row), ev.doc, ctx)!;
    const inputRow = runCommands([{ kind: 'eval', fields: aggs.map((a, k) => ({ name: `#${k}`, expr: a.arg ?? { kind: 'literal', type: 'null', value: null, pos: stats.pos }, pos: stats.pos })), pos: stats.pos }], new Map(row), ev.doc, ctx)!;
    let combos: Val[][] = [[]];
    for (const b of stats.by) {
      const bv = keyRow.get(b.name)!;
      const vs = bv.v === null ? [null] : valuesOf(bv);
      combos = combos.flatMap((c) => vs.map((v) => [...c, { type: bv.type, v } as Val]));
    }
    for (const keys of combos) {
      const id = JSON.stringify(keys.map((k) => k.v));
      const g = groups.get(id) ?? { keys, inputs: [] };
      g.inputs.push(aggs.map((_, k) => inputRow.get(`#${k}`) ?? NULL));
      groups.set(id, g);
    }
  }
  const rows: Record<string, unknown>[] = [];
  for (const g of groups.values()) {
    let out: Row = new Map();
    aggs.forEach((a, k) => out.set(a.name, aggregate(a.fn, a.arg ? g.inputs.map((i) => i[k]) : [], g.inputs.length)));
    stats.by.forEach((b, k) => {
      out.delete(b.name);
      out.set(b.name, g.keys[k]);
    });
    const passed = runCommands(post, out, null, { fields, now: t });
    if (passed) rows.push(rowJson(passed));
  }
  return rows;
}

it('has a fixture for each of the 5 STATS rules of the pack, each with streams that alert and streams that must not', () => {
  expect(fixtures.map((f) => f.stem)).toEqual([
    'credential_access_azure_arc_proxy_secret_configmap_access',
    'credential_access_kubernetes_multiple_secret_retrieval_burst',
    'discovery_endpoint_permission_enumeration_by_anonymous_user',
    'discovery_endpoint_permission_enumeration_by_user_and_srcip',
    'discovery_kubernetes_multi_resource_setup_recon',
  ]);
  for (const f of fixtures) {
    expect(f.rule_file, f.stem).toBe(`../shared/rules/elastic-kubernetes/${f.stem}.toml`);
    expect(f.streams.some((s) => s.alerts.length > 0), f.stem).toBe(true);
    expect(f.streams.some((s) => s.alerts.length === 0), f.stem).toBe(true);
    for (const s of f.streams) for (const a of s.alerts) expect(a.at, `${f.stem}: ${s.name}`).toBeLessThan(s.events.length);
  }
});

// Decided when the file is collected, so a rule the module skips shows up by name as a skipped test.
const pack = hasShared ? await loadRules([PACK]) : undefined;
const filterModule = hasShared ? await genericFilterModule() : undefined;

describe.skipIf(!hasShared)('STATS rules of the pack: stream fixtures (requires ../shared)', () => {
  for (const f of fixtures) {
    const loadedRule = pack?.rules.find((r) => r.ruleId === f.rule_id);
    const skipped = pack?.skipped.find((s) => s.rule.ruleId === f.rule_id);
    const rule = loadedRule ?? skipped?.rule;

    describe(f.stem, () => {
      it('names a STATS rule of the pack by file and rule_id', () => {
        expect(rule, f.rule_id).toBeDefined();
        expect(path.resolve(rule!.source.file)).toBe(path.resolve(ROOT, f.rule_file));
        expect(rule!.type).toBe('esql');
        expect(splitAtStats(parseEsql(rule!.query)).stats).toBeDefined();
      });

      it('the module compiles the commands before STATS (TO_STRING of an ip, DATE_TRUNC, integer columns, CASE...)', () => {
        const q = parseEsql(rule!.query);
        const { pre } = splitAtStats(q);
        // Nothing kept: the columns feed the aggregation, not the alert.
        const p = compilePipeline({ ...q, commands: [...pre, { kind: 'keep', patterns: [], pos: q.from.pos }] }, (x) => fields.typeOf(x));
        expect(p.gate !== undefined || p.steps.length > 0).toBe(true);
      });

      for (const s of f.streams) {
        it(`reference: ${s.name}`, () => {
          const q = parseEsql(rule!.query);
          expect(referenceAlerts(rule!, q, s)).toEqual(s.alerts);
          const events = eventsOf(rule!, s.events);
          for (const run of s.scheduled ?? []) {
            const t = 'at' in run ? events[run.at].time : Date.parse(run.time);
            expect(scheduledRun(rule!, q, events, t), `scheduled run at ${JSON.stringify(run)}`).toHaveLength(run.rows);
          }
        });
      }

      if (!loadedRule) {
        it.skip(`module: skipped by the module — ${skipped?.reason ?? 'not loaded'}`, () => {});
        return;
      }
      for (const s of f.streams) {
        it(`module: ${s.name}`, async () => {
          const program = compileProgram([loadedRule]);
          const host = await FluentBitHost.create(filterModule!, program.bytes, { trustedInput: true });
          const got: { at: number; row: Record<string, unknown> }[] = [];
          s.events.forEach((record, at) => {
            const out = host.filter(Buffer.from(JSON.stringify(record)), HOST_TIME).output.toString('utf8');
            const parsed = JSON.parse(out) as { kql_edge?: { alerts?: { rule_id: string; esql?: Record<string, unknown> }[] } };
            for (const a of parsed.kql_edge?.alerts ?? []) if (a.rule_id === f.rule_id) got.push({ at, row: a.esql ?? {} });
          });
          expect(got).toEqual(s.alerts);
        });
      }
    });
  }
});
