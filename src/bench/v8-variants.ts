// What the benchmark times in V8: modules through the Fluent Bit calling sequence (FluentBitHost),
// the naive alternative (JSON.parse + the reference evaluator), and the proxy modules alone
// (records built in, no host: the module's own work).
import { FluentBitHost } from '../host/fluent-bit-host.js';
import { parseKql } from '../kql/parser.js';
import { parseEql } from '../eql/parser.js';
import { loadFieldTable, type FieldTable } from '../fields/table.js';
import { evaluate } from '../reference/evaluate.js';
import { evaluateEqlEvent } from '../reference/eql.js';
import { parseEsql } from '../esql/parser.js';
import { esqlStream } from '../reference/esql.js';
import { toEcsView } from '../reference/ecs-view.js';
import { eventTime } from '../reference/event-time.js';
import type { Rule } from '../rules/types.js';
import type { BenchRecords } from './records.js';
import type { Variant } from './measure.js';
import { configured } from './modules.js';
import { DEFAULT_START_TIME } from './generator.js';

/** Host time given with every record (the records carry their own event time). */
export const HOST_TIME_MS = DEFAULT_START_TIME;

/** A module (with `program` loaded when it is the generic evaluator) called as Fluent Bit calls it. */
export async function hostVariant(name: string, module: WebAssembly.Module | Uint8Array, records: BenchRecords, program?: Uint8Array): Promise<Variant & { host: FluentBitHost }> {
  const host = await FluentBitHost.create(module, program);
  return { ...hostPass(name, host, records), host };
}

/** Passes of an existing host (its state carries on) over other records. */
export function hostPass(name: string, host: FluentBitHost, records: BenchRecords): Variant {
  const buffers = records.buffers;
  return {
    name, records: buffers.length, bytes: records.totalBytes,
    pass: () => {
      for (let i = 0; i < buffers.length; i++) host.filter(buffers[i]!, HOST_TIME_MS);
    },
    memoryBytes: () => host.memoryBytes,
  };
}

/** The naive alternative: JSON.parse every record, build its ECS view, evaluate each rule's query. */
export function naiveVariant(name: string, rules: readonly Rule[], records: BenchRecords): Variant & { matches: () => number } {
  const fields = loadFieldTable();
  const matchers = rules.map((r) => naiveMatcher(r, fields));
  const buffers = records.buffers;
  let matches = 0;
  return {
    name, records: buffers.length, bytes: records.totalBytes,
    pass: () => {
      for (let i = 0; i < buffers.length; i++) {
        const record: unknown = JSON.parse(buffers[i]!.toString('utf8'));
        const view = toEcsView(record);
        if (view === null) continue;
        for (const m of matchers) {
          const now = eventTime(record, view, m.timestampOverride, HOST_TIME_MS);
          if (m.matches(view.doc, now)) matches++;
        }
      }
    },
    matches: () => matches,
  };
}

/** One rule's per-record test in its own language (KQL, EQL, ES|QL); a sequence counts a record that any stage matches
 *  (the per-record work a naive sequence evaluator does before it looks at any state). */
function naiveMatcher(rule: Rule, fields: FieldTable): { timestampOverride?: string; matches: (doc: Record<string, unknown>, now: number) => boolean } {
  const timestampOverride = rule.timestampOverride;
  if (rule.type === 'esql') {
    // Per-event pipelines only: the pack's STATS rules do not load into the module, so never reach here.
    const q = parseEsql(rule.query);
    return { timestampOverride, matches: (doc, now) => esqlStream(q, [{ doc, time: now }], { fields, lookbackMs: 0 })[0]!.length > 0 };
  }
  if (rule.type !== 'eql') {
    const ast = parseKql(rule.query);
    return { timestampOverride, matches: (doc, now) => evaluate(ast, doc, { fields, now }) };
  }
  const q = parseEql(rule.query);
  const events = q.kind === 'sequence' ? q.stages.map((s) => s.query) : [q];
  return { timestampOverride, matches: (doc, now) => events.some((e) => evaluateEqlEvent(e, doc, { fields, now })) };
}

interface ProxyExports {
  memory: WebAssembly.Memory;
  bench_run(): number;
}

/** A proxy module (records built in) run in V8 with no host: the module's own work per record. */
export function proxyVariant(name: string, module: Uint8Array, recordCount: number, recordBytes: number, collect = true, program = 0): Variant {
  const instance = new WebAssembly.Instance(new WebAssembly.Module(configured(module, { passes: 1, collect, program }) as Uint8Array<ArrayBuffer>), {});
  const ex = instance.exports as unknown as ProxyExports;
  return {
    name, records: recordCount, bytes: recordBytes,
    pass: () => {
      ex.bench_run();
    },
    memoryBytes: () => ex.memory.buffer.byteLength,
  };
}
