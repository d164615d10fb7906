// ES|QL STATS … BY in the module against the reference (src/reference/esql.ts esqlStream, each
// window recomputed from scratch) on generated streams (fast-check, fixed seed): generated STATS
// queries (COUNT, COUNT_DISTINCT, VALUES, SUM, MIN, MAX; BY one or two fields, multi-valued ones
// included; conditions after STATS, NOW() included; KEEP) over generated streams of raw audit events
// (few users, IPs and verbs so groups recur; event times that mostly advance, sometimes step back
// up to 50 s, and cross window edges; with and without a learning period). Per record, the module's
// alert rows equal the reference's.
import { describe, it, expect, beforeAll } from 'vitest';
import fc from 'fast-check';
import { parseEsql } from '../src/esql/parser.js';
import { esqlSkipReason } from '../src/esql/support.js';
import { esqlStream, esqlEvents } from '../src/reference/esql.js';
import { compileProgram } from '../src/compiler/index.js';
import { lookbackOf } from '../src/compiler/esql-stats-serialize.js';
import { genericFilterModule } from '../src/build/evaluator.js';
import { FluentBitHost } from '../src/host/fluent-bit-host.js';
import { loadFieldTable } from '../src/fields/table.js';
import { queryRule } from './helpers/wasm-case.js';
import { statsQueryArb, statsStreamArb } from './gen/esql-stats-arbitraries.js';
import { moduleRows } from './helpers/stats-rows.js';

const RUNS = Number(process.env.KQL_EDGE_ESQL_STATS_RUNS ?? 1000);
const SEED = Number(process.env.KQL_EDGE_PROPERTY_SEED ?? 20261207);
const HOST_TIME = Date.UTC(2026, 2, 1, 12);
const fields = loadFieldTable();

const statsRule = (query: string, from: string, id = 'stats-rule') => ({ ...queryRule(query, id), type: 'esql', language: 'esql', from });

let host: FluentBitHost;
beforeAll(async () => {
  host = await FluentBitHost.create(await genericFilterModule());
});

describe('generated STATS queries over generated streams: module rows == reference rows', () => {
  it(`${RUNS} (query, stream) pairs`, () => {
    let refused = 0;
    let run = 0;
    let alerts = 0;
    let late = 0;
    fc.assert(
      fc.property(statsQueryArb, statsStreamArb, fc.constantFrom(0, 0, 0, 90_000), ({ query, from }, stream, learningMs) => {
        const reason = esqlSkipReason(query, (f) => fields.typeOf(f));
        if (reason) {
          refused++;
          return;
        }
        const records = stream.map((e) => JSON.parse(e));
        const events = esqlEvents(records, { hostTimeMs: HOST_TIME });
        const expected = esqlStream(parseEsql(query), events, { fields, lookbackMs: lookbackOf(from), learningMs });
        host.loadProgram(compileProgram([statsRule(query, from)], { learningMs }, fields).bytes);
        run++;
        for (let i = 0; i < stream.length; i++) {
          if (i > 0 && events[i].time < events[i - 1].time) late++;
          alerts += expected[i].length;
          expect({ query, i, rows: moduleRows(host, stream[i], HOST_TIME) }).toEqual({ query, i, rows: expected[i] });
        }
      }),
      { numRuns: RUNS, seed: SEED },
    );
    console.log(`STATS streams: ${run} run (${refused} refused), ${alerts} alert rows, ${late} late records`);
    expect(run).toBeGreaterThan(RUNS * 0.8);
    expect(alerts).toBeGreaterThan(RUNS);
    expect(late).toBeGreaterThan(RUNS);
  }, 900_000);
});
