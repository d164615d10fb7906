// Stateful rules allocate nothing per record once their state is at its working size: STATS windows
// keep freed values, entry buffers, indexes and group objects for reuse (docs/semantics.md,
// "Budget"), and the group and sequence indexes only grow. The evaluator built with AssemblyScript's
// allocation tracing counts every allocation made while `filter` runs; the events are fed twice, the
// second time later in time (as a live stream continues), and the second pass must make none.
// A replay at the same times would not do: every record would be late, nothing would expire, and
// the windows would rightly grow.
import { describe, it, expect, beforeAll } from 'vitest';
import { compileProgram } from '../src/compiler/index.js';
import { genericFilterModule } from '../src/build/evaluator.js';
import { FluentBitHost } from '../src/host/fluent-bit-host.js';
import { loadFieldTable } from '../src/fields/table.js';
import { loadRules } from '../src/rules/load.js';
import type { Rule } from '../src/rules/types.js';
import { countAllocations } from '../src/bench/allocations.js';
import { tracedEvaluatorModule } from '../src/bench/modules.js';
import { benchRecords, benchRecordsLater } from '../src/bench/records.js';
import { queryRule } from './helpers/wasm-case.js';
import { hasShared, PACK } from './helpers/evaluator.js';

const EVENTS = 1500;
const HOST_TIME = Date.UTC(2024, 4, 20);
const fields = loadFieldTable();
const statsRule = (id: string, query: string, from: string): Rule => ({ ...queryRule(query, id), type: 'esql', language: 'esql', from });

// Never alerting (so every record passes), every event feeds them: groups come and go with users
// and addresses, values churn inside groups.
const STATS_RULES: Rule[] = [
  statsRule('uris-by-user-and-ip', 'FROM logs-*\n| STATS n = COUNT(*), d = COUNT_DISTINCT(kubernetes.audit.requestURI), v = VALUES(kubernetes.audit.objectRef.resource) BY user.name, source.ip\n| WHERE n > 1000000', 'now-10m'),
  statsRule('verbs-by-resource', 'FROM logs-*\n| STATS n = COUNT(*), v = VALUES(kubernetes.audit.verb), d = COUNT_DISTINCT(user.name) BY kubernetes.audit.objectRef.resource\n| WHERE n > 1000000', 'now-1h'),
];

let traced: WebAssembly.Module;
let filterModule: WebAssembly.Module;
const warm = benchRecords(EVENTS).buffers;
const later = benchRecordsLater(EVENTS, EVENTS);

beforeAll(async () => {
  traced = await WebAssembly.compile((await tracedEvaluatorModule()).bytes as Uint8Array<ArrayBuffer>);
  filterModule = await genericFilterModule();
}, 120_000);

describe('steady-state allocations of stateful rules', () => {
  it('the later events are the same events with only their timestamps moved', () => {
    const stamp = /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g;
    expect(later.map((b) => b.toString().replace(stamp, 'T'))).toEqual(warm.map((b) => b.toString().replace(stamp, 'T')));
    expect(later[0]!.toString()).not.toEqual(warm[0]!.toString());
  });

  it('STATS windows whose groups come and go: no allocation in the second pass', async () => {
    const program = compileProgram(STATS_RULES, {}, fields).bytes;
    // The rules do keep state: groups are created and expire in both passes.
    const host = await FluentBitHost.create(filterModule, program);
    for (const record of [...warm, ...later]) expect(host.filter(record, HOST_TIME).verdict).toBe('pass');
    for (const r of host.stats()!.rules) {
      expect(r.window_expirations!, r.id).toBeGreaterThan(100);
      // What they keep for reuse stays within its bound.
      expect(r.window_pooled_bytes!, r.id).toBeGreaterThan(0);
      expect(r.window_pooled_bytes!, r.id).toBeLessThanOrEqual(r.window_capacity_bytes! / 8);
    }

    const count = countAllocations(traced, program, warm, later, HOST_TIME);
    expect(count.passedRecords).toBe(EVENTS);
    expect(count.perPassedRecord).toBe(0);
  }, 120_000);

  it('the same rules replayed at the same times grow their windows, which the count sees', () => {
    // The counter can fail: here nothing expires, so the second pass must allocate.
    const count = countAllocations(traced, compileProgram(STATS_RULES, {}, fields).bytes, warm, warm, HOST_TIME);
    expect(count.perPassedRecord).toBeGreaterThan(0);
  }, 120_000);

  it.skipIf(!hasShared)("the whole Kubernetes pack (requires ../shared): no allocation per passed record in the second pass", async () => {
    const rules = (await loadRules([PACK])).rules;
    const count = countAllocations(traced, compileProgram(rules, {}, fields).bytes, warm, later, HOST_TIME);
    expect(count.passedRecords).toBeGreaterThan(EVENTS * 0.9);
    expect(count.perPassedRecord).toBe(0);
  }, 120_000);
});
