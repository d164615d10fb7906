// The WebAssembly evaluator gives the ES|QL reference evaluator's verdict on generated (query,
// record) pairs of per-event queries (fast-check, fixed seed): three-valued logic and multi-valued
// fields included. Queries the module refuses are left out (they load as skipped with a reason);
// the share that runs is checked so the property keeps its teeth.
import { describe, it, expect, beforeAll } from 'vitest';
import fc from 'fast-check';
import { parseEsql } from '../src/esql/parser.js';
import { esqlSkipReason } from '../src/esql/support.js';
import { esqlStream } from '../src/reference/esql.js';
import { toEcsView } from '../src/reference/ecs-view.js';
import { eventTime } from '../src/reference/event-time.js';
import { parseJson, stringifyJson } from '../src/reference/json.js';
import { compileProgram } from '../src/compiler/index.js';
import { genericFilterModule } from '../src/build/evaluator.js';
import { FluentBitHost } from '../src/host/fluent-bit-host.js';
import { tableFor, CONFORMANCE_HOST_TIME_MS } from './conformance/runner.js';
import { queryRule } from './helpers/wasm-case.js';
import { recordArb } from './gen/arbitraries.js';
import { esqlQueryArb, esqlTypedPipelineArb } from './gen/esql-arbitraries.js';

const PAIRS = Number(process.env.KQL_EDGE_ESQL_PAIRS ?? 10_000);
const SEED = Number(process.env.KQL_EDGE_PROPERTY_SEED ?? 20261207);
const fields = tableFor('default');
const esqlRule = (query: string) => ({ ...queryRule(query, 'esql-rule'), type: 'esql', language: 'esql' });

let host: FluentBitHost;
beforeAll(async () => {
  host = await FluentBitHost.create(await genericFilterModule());
});

function referenceRows(query: string, docText: string): Record<string, unknown>[] {
  const record = parseJson(docText);
  const view = toEcsView(record);
  const time = eventTime(record, view, undefined, CONFORMANCE_HOST_TIME_MS);
  return esqlStream(parseEsql(query), [{ doc: view ? view.doc : null, time }], { fields, lookbackMs: 360_000 })[0];
}

function reference(query: string, docText: string): boolean {
  return referenceRows(query, docText).length > 0;
}

describe('generated ES|QL per-event queries and records: WASM verdict == reference verdict', () => {
  it(`${PAIRS} pairs`, () => {
    let run = 0;
    let refused = 0;
    let matched = 0;
    fc.assert(
      fc.property(esqlQueryArb, recordArb, (query, record) => {
        if (esqlSkipReason(query, (f) => fields.typeOf(f))) {
          refused++;
          return true;
        }
        const docText = stringifyJson(record);
        const expected = reference(query, docText);
        host.loadProgram(compileProgram([esqlRule(query)], {}, fields).bytes);
        const actual = host.filter(Buffer.from(docText), CONFORMANCE_HOST_TIME_MS).verdict === 'tagged';
        run++;
        if (expected) matched++;
        return actual === expected;
      }),
      { numRuns: PAIRS, seed: SEED },
    );
    console.log(`ES|QL pairs: ${run} through both evaluators (${matched} matching), ${refused} refused by the module`);
    expect(run).toBeGreaterThan(PAIRS * 0.3);
    expect(matched).toBeGreaterThan(run * 0.03);
  }, 900_000);
});

const TYPED_PAIRS = Number(process.env.KQL_EDGE_ESQL_TYPED_PAIRS ?? 3_000);

describe('generated ES|QL pipelines with integer, date and string columns: WASM row == reference row', () => {
  it(`${TYPED_PAIRS} pairs (LOCATE, DATE_TRUNC, NOW, date ± span, TO_STRING, CASE, integer and date comparisons)`, () => {
    let run = 0;
    let refused = 0;
    let rows = 0;
    const reasons = new Map<string, number>();
    fc.assert(
      fc.property(esqlTypedPipelineArb, recordArb, (query, record) => {
        const reason = esqlSkipReason(query, (f) => fields.typeOf(f));
        if (reason) {
          const key = reason.replace(/ \(line.*$/, '').replace(/\(.*\)/, '(…)');
          reasons.set(key, (reasons.get(key) ?? 0) + 1);
          refused++;
          return true;
        }
        const docText = stringifyJson(record);
        const expected = referenceRows(query, docText);
        host.loadProgram(compileProgram([esqlRule(query)], {}, fields).bytes);
        const out = host.filter(Buffer.from(docText), CONFORMANCE_HOST_TIME_MS);
        const actual = out.verdict === 'tagged' ? (JSON.parse(out.output.toString()) as { kql_edge: { alerts: { esql?: Record<string, unknown> }[] } }).kql_edge.alerts.map((a) => a.esql ?? {}) : [];
        run++;
        rows += expected.length;
        expect(actual, `${query}\n${docText}`).toEqual(expected);
      }),
      { numRuns: TYPED_PAIRS, seed: SEED },
    );
    console.log(`ES|QL typed pipelines: ${run} through both evaluators (${rows} rows), ${refused} refused by the module:\n` + [...reasons].sort((a, b) => b[1] - a[1]).map(([r, n]) => `  ${n} ${r}`).join('\n'));
    expect(run).toBeGreaterThan(TYPED_PAIRS * 0.5);
    expect(rows).toBeGreaterThan(run * 0.3);
  }, 900_000);
});
