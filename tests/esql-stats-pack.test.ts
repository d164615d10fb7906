// The pack's ES|QL STATS rules the module runs, each compiled alone, on generated streams of raw
// audit events drawn from the users, verbs, resources and decisions they count (fast-check, fixed
// seed): per record, the module's alert rows equal the reference's (src/reference/esql.ts), and
// each rule alerts somewhere in the generated streams (so the comparison has teeth).
import { describe, it, expect, beforeAll } from 'vitest';
import fc from 'fast-check';
import path from 'node:path';
import { parseEsql } from '../src/esql/parser.js';
import { esqlStream, esqlEvents } from '../src/reference/esql.js';
import { compileProgram } from '../src/compiler/index.js';
import { lookbackOf } from '../src/compiler/esql-stats-serialize.js';
import { genericFilterModule } from '../src/build/evaluator.js';
import { FluentBitHost } from '../src/host/fluent-bit-host.js';
import { loadFieldTable } from '../src/fields/table.js';
import { loadRules } from '../src/rules/load.js';
import type { Rule } from '../src/rules/types.js';
import { hasShared, PACK } from './helpers/evaluator.js';
import { packStatsStreamArb } from './gen/esql-stats-arbitraries.js';
import { moduleRows } from './helpers/stats-rows.js';

const RUNS = Number(process.env.KQL_EDGE_ESQL_STATS_PACK_RUNS ?? 200);
const SEED = Number(process.env.KQL_EDGE_PROPERTY_SEED ?? 20261207);
const HOST_TIME = Date.UTC(2026, 2, 1, 12);
const fields = loadFieldTable();

/** Each rule with the user most of its generated events come from. */
const STATS_RULES: [string, string][] = [
  ['credential_access_azure_arc_proxy_secret_configmap_access', 'system:serviceaccount:azure-arc:guard'],
  ['credential_access_kubernetes_multiple_secret_retrieval_burst', 'alice'],
  ['discovery_endpoint_permission_enumeration_by_anonymous_user', 'system:anonymous'],
  ['discovery_endpoint_permission_enumeration_by_user_and_srcip', 'alice'],
  ['discovery_kubernetes_multi_resource_setup_recon', 'alice'],
];

let host: FluentBitHost;
let rules: Rule[] = [];
beforeAll(async () => {
  host = await FluentBitHost.create(await genericFilterModule());
  if (hasShared) rules = (await loadRules([PACK])).rules;
});

describe.skipIf(!hasShared)("the pack's STATS rules on generated streams (requires ../shared): module rows == reference rows", () => {
  for (const [stem, focus] of STATS_RULES) {
    it(stem, () => {
      const rule = rules.find((r) => path.basename(r.source.file) === `${stem}.toml`);
      expect(rule, `${stem} loads (not skipped)`).toBeDefined();
      host.loadProgram(compileProgram([rule!], {}, fields).bytes);
      const query = parseEsql(rule!.query);
      let alerts = 0;
      fc.assert(
        fc.property(packStatsStreamArb(focus), (stream) => {
          // Each stream starts from empty state: a fresh program load forgets the windows.
          host.loadProgram(compileProgram([rule!], {}, fields).bytes);
          const events = esqlEvents(stream.map((e) => JSON.parse(e)), { hostTimeMs: HOST_TIME, timestampOverride: rule!.timestampOverride });
          const expected = esqlStream(query, events, { fields, lookbackMs: lookbackOf(rule!.from) });
          for (let i = 0; i < stream.length; i++) {
            alerts += expected[i].length;
            expect({ i, rows: moduleRows(host, stream[i], HOST_TIME) }).toEqual({ i, rows: expected[i] });
          }
        }),
        { numRuns: RUNS, seed: SEED },
      );
      console.log(`${stem}: ${alerts} alert rows over ${RUNS} generated streams`);
      expect(alerts).toBeGreaterThan(0);
    }, 600_000);
  }
});
