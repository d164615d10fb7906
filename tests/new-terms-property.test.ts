// The module's bounded New Terms state against the brute-force reference of the normative definition
// (new-terms.md: an event alerts for x iff no earlier-arrived event with x has event time >= t - window),
// on generated streams: 1-3 fields, multi-valued and missing fields, over-long values, random and
// out-of-order times. fast-check shrinks a failure to a minimal stream.
import { describe, it, expect, beforeAll } from 'vitest';
import fc from 'fast-check';
import { compileProgram } from '../src/compiler/index.js';
import { genericFilterModule } from '../src/build/evaluator.js';
import { FluentBitHost } from '../src/host/fluent-bit-host.js';
import { newTermsBruteForce } from '../src/reference/new-terms.js';
import type { Rule } from '../src/rules/types.js';
import { queryRule } from './helpers/wasm-case.js';

const DAY = 86_400_000;
const T0 = Date.parse('2026-03-01T00:00:00Z');
/** ECS field of the view -> the raw audit event key it comes from. */
const FIELDS: [string, string][] = [
  ['user.name', 'username'],
  ['user_agent.original', 'userAgent'],
  ['event.action', 'verb'],
];
const LONG = 'x'.repeat(1025);

const valueArb = fc.constantFrom('a', 'b', 'c', 'd', LONG);
const fieldValueArb = fc.oneof(
  { weight: 6, arbitrary: valueArb },
  { weight: 2, arbitrary: fc.array(valueArb, { minLength: 1, maxLength: 3 }) },
  { weight: 1, arbitrary: fc.constant(undefined) },
);
const eventArb = fc.record({
  hours: fc.integer({ min: -240, max: 240 }),
  username: fieldValueArb,
  userAgent: fieldValueArb,
  verb: fieldValueArb,
});

function rawEvent(e: { hours: number; username: unknown; userAgent: unknown; verb: unknown }): Record<string, unknown> {
  const ev: Record<string, unknown> = {
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    auditID: 'x',
    stageTimestamp: new Date(T0 + e.hours * 3_600_000).toISOString(),
    user: e.username === undefined ? {} : { username: e.username },
  };
  if (e.userAgent !== undefined) ev.userAgent = e.userAgent;
  if (e.verb !== undefined) ev.verb = e.verb;
  return ev;
}

let module: WebAssembly.Module;
beforeAll(async () => {
  module = await genericFilterModule();
});

function newTermsRule(fields: string[]): Rule {
  return { ...queryRule('event.dataset:"kubernetes.audit_logs"', 'nt-rule'), type: 'new_terms', newTerms: { fields, historyWindowStart: 'now-7d' } };
}

/** The new combinations the module reported per event ([] when not tagged). */
function moduleAlerts(host: FluentBitHost, record: Record<string, unknown>): string[][] {
  const out = host.filter(Buffer.from(JSON.stringify(record)), 0);
  if (out.verdict !== 'tagged') return [];
  const values = JSON.parse(out.output.toString()).kql_edge.alerts[0].new_terms.values as unknown[];
  // One combination: ["v1", ...]; several: [["v1", ...], ...].
  return Array.isArray(values[0]) ? (values as string[][]) : [values as string[]];
}

describe('new terms: module == brute-force definition', () => {
  it('generated streams (1-3 fields, arrays, missing, over-long, out of order)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 3 }), fc.array(eventArb, { minLength: 1, maxLength: 40 }), async (fieldCount, events) => {
        const fields = FIELDS.slice(0, fieldCount);
        const program = compileProgram([newTermsRule(fields.map(([ecs]) => ecs))]);
        const host = await FluentBitHost.create(module, program.bytes);
        const actual = events.map((e) => moduleAlerts(host, rawEvent(e)));
        const expected = newTermsBruteForce(
          events.map((e) => ({
            time: T0 + e.hours * 3_600_000,
            values: fields.map(([, raw]) => {
              const v = (e as Record<string, unknown>)[raw];
              return v === undefined ? [] : Array.isArray(v) ? v : [v];
            }) as string[][],
          })),
          7 * DAY,
        );
        expect(actual).toEqual(expected);
      }),
      { numRuns: 400, seed: 20261128 },
    );
  }, 300_000);
});
