// The WebAssembly evaluator gives the EQL reference evaluator's verdict on generated (query, record)
// pairs, and the same alerts on generated record streams for sequences (fast-check, fixed seeds).
// Queries the module refuses are left out (they are skipped with a reason when loaded); the share
// that runs is checked so the property keeps its teeth.
import { describe, it, expect, beforeAll } from 'vitest';
import fc from 'fast-check';
import { parseEql } from '../src/eql/parser.js';
import { eqlSkipReason } from '../src/eql/support.js';
import { evaluateEqlEvent } from '../src/reference/eql.js';
import { eqlSequenceStream } from '../src/reference/eql-sequence.js';
import { toEcsView } from '../src/reference/ecs-view.js';
import { eventTime } from '../src/reference/event-time.js';
import { parseJson, stringifyJson } from '../src/reference/json.js';
import { compileProgram } from '../src/compiler/index.js';
import { genericFilterModule } from '../src/build/evaluator.js';
import { FluentBitHost } from '../src/host/fluent-bit-host.js';
import { tableFor, CONFORMANCE_HOST_TIME_MS } from './conformance/runner.js';
import { queryRule } from './helpers/wasm-case.js';
import { recordArb } from './gen/arbitraries.js';
import { eqlQueryArb, sequenceQueryArb, sequenceStreamArb } from './gen/eql-arbitraries.js';

const PAIRS = Number(process.env.KQL_EDGE_EQL_PAIRS ?? 20_000);
const STREAMS = Math.ceil(PAIRS / 10);
const SEED = Number(process.env.KQL_EDGE_PROPERTY_SEED ?? 20261207);
const fields = tableFor('default');
const eqlRule = (query: string) => ({ ...queryRule(query, 'eql-rule'), type: 'eql', language: 'eql' });

let host: FluentBitHost;
beforeAll(async () => {
  host = await FluentBitHost.create(await genericFilterModule());
});

function reference(query: string, docText: string): boolean {
  const q = parseEql(query);
  if (q.kind !== 'event') throw new Error('not an event query');
  const record = parseJson(docText);
  const view = toEcsView(record);
  if (view === null) return false;
  return evaluateEqlEvent(q, view.doc, { fields, now: eventTime(record, view, undefined, CONFORMANCE_HOST_TIME_MS) });
}

describe('generated EQL queries and records: WASM verdict == reference verdict', () => {
  it(`${PAIRS} pairs`, () => {
    let run = 0;
    let refused = 0;
    let matched = 0;
    fc.assert(
      fc.property(eqlQueryArb, recordArb, (query, record) => {
        if (eqlSkipReason(query, (f) => fields.typeOf(f))) {
          refused++;
          return true;
        }
        const docText = stringifyJson(record);
        const expected = reference(query, docText);
        host.loadProgram(compileProgram([eqlRule(query)], {}, fields).bytes);
        const actual = host.filter(Buffer.from(docText), CONFORMANCE_HOST_TIME_MS).verdict === 'tagged';
        run++;
        if (expected) matched++;
        return actual === expected;
      }),
      { numRuns: PAIRS, seed: SEED },
    );
    console.log(`EQL pairs: ${run} through both evaluators (${matched} matching), ${refused} refused by the module`);
    expect(run).toBeGreaterThan(PAIRS * 0.3);
    expect(matched).toBeGreaterThan(run * 0.05);
  }, 900_000);
});

describe('generated sequence queries and record streams: WASM alerts == reference alerts', () => {
  it(`${STREAMS} streams`, async () => {
    let alerts = 0;
    const module = await genericFilterModule();
    await fc.assert(
      fc.asyncProperty(sequenceQueryArb, sequenceStreamArb, fc.constantFrom(0, 0, 15_000), async (query, records, learningMs) => {
        expect(eqlSkipReason(query, (f) => fields.typeOf(f))).toBeUndefined();
        const q = parseEql(query);
        if (q.kind !== 'sequence') throw new Error('not a sequence');
        const texts = records.map((r) => stringifyJson(r));
        // Records without @timestamp take the host time: one per record, a second apart.
        const hostTimes = records.map((_, i) => Date.UTC(2026, 2, 1, 10, 0, 0) + i * 1000);
        const ref = eqlSequenceStream(q, texts.map((t) => parseJson(t)), { fields, hostTimeMs: (i) => hostTimes[i]!, learningMs }).map((hits) => (hits ? hits.map((h) => h.auditID!) : null));
        const h = await FluentBitHost.create(module, compileProgram([eqlRule(query)], { learningMs }, fields).bytes);
        const got = texts.map((t, i) => {
          const out = h.filter(Buffer.from(t), hostTimes[i]);
          if (out.verdict !== 'tagged') return null;
          const a = (JSON.parse(out.output.toString()) as { kql_edge: { alerts: { sequence: { auditID: string }[] }[] } }).kql_edge.alerts[0];
          return a.sequence.map((s) => s.auditID);
        });
        alerts += got.filter(Boolean).length;
        expect(got).toEqual(ref);
      }),
      { numRuns: STREAMS, seed: SEED },
    );
    expect(alerts).toBeGreaterThan(STREAMS * 0.05);
  }, 900_000);
});
