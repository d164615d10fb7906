// The EQL conformance table (tests/conformance/eql-cases.ts) through the reference evaluator and
// through the WebAssembly evaluator. A case whose query the module does not support must be refused
// with a reason when rules are loaded (the rule is skipped: never run with another meaning).
import { describe, it, expect, beforeAll } from 'vitest';
import { EQL_CASES, type EqlCase } from './conformance/eql-cases.js';
import { parseEql } from '../src/eql/parser.js';
import { eqlSkipReason } from '../src/eql/support.js';
import { evaluateEqlEvent } from '../src/reference/eql.js';
import { toEcsView } from '../src/reference/ecs-view.js';
import { eventTime } from '../src/reference/event-time.js';
import { parseJson, stringifyJson } from '../src/reference/json.js';
import { compileProgram } from '../src/compiler/index.js';
import { genericFilterModule } from '../src/build/evaluator.js';
import { FluentBitHost } from '../src/host/fluent-bit-host.js';
import { tableFor, CONFORMANCE_HOST_TIME_MS } from './conformance/runner.js';
import { queryRule } from './helpers/wasm-case.js';

const fields = tableFor('default');

export function referenceEql(c: EqlCase): boolean {
  const q = parseEql(c.query);
  if (q.kind !== 'event') throw new Error('not an event query');
  const record = parseJson(stringifyJson(c.doc));
  const view = toEcsView(record);
  if (view === null) return false;
  const now = eventTime(record, view, undefined, CONFORMANCE_HOST_TIME_MS);
  return evaluateEqlEvent(q, view.doc, { fields, now });
}

/** Why the module refuses the case's query (undefined: it runs it). */
const unsupported = (c: EqlCase) => eqlSkipReason(c.query, (f) => fields.typeOf(f));

describe('EQL conformance table', () => {
  it('has at least 150 cases with unique ids, each tied to a spec statement, both verdicts in every group', () => {
    expect(EQL_CASES.length).toBeGreaterThanOrEqual(150);
    const ids = EQL_CASES.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const c of EQL_CASES) expect(c.spec, c.id).toMatch(/^(eql-esql|semantics|audit-to-ecs)\.md\b.*\S/);
    const groups = new Map<string, Set<boolean>>();
    for (const c of EQL_CASES) groups.set(c.id.split('-')[0], (groups.get(c.id.split('-')[0]) ?? new Set()).add(c.expected));
    for (const [group, verdicts] of groups) expect(verdicts.size, group).toBe(2);
  });

  it('the reference evaluator gives every expected verdict', () => {
    const failures = EQL_CASES.filter((c) => referenceEql(c) !== c.expected).map((c) => `${c.id}: expected ${c.expected} — ${c.query}`);
    expect(failures).toEqual([]);
  });
});

describe('EQL conformance table through the WebAssembly evaluator', () => {
  let host: FluentBitHost;
  beforeAll(async () => {
    host = await FluentBitHost.create(await genericFilterModule());
  });

  it('gives every expected verdict on the supported cases; the others are refused for a named construct', () => {
    const supported = EQL_CASES.filter((c) => !unsupported(c));
    const refused = EQL_CASES.filter((c) => unsupported(c));
    console.log(`EQL conformance: ${supported.length} cases through WASM, ${refused.length} refused by the module:\n` + refused.map((c) => `  ${c.id}: ${unsupported(c)}`).join('\n'));
    const failures: string[] = [];
    for (const c of supported) {
      host.loadProgram(compileProgram([{ ...queryRule(c.query, 'eql-case'), type: 'eql', language: 'eql' }], {}, fields).bytes);
      const verdict = host.filter(Buffer.from(stringifyJson(c.doc)), CONFORMANCE_HOST_TIME_MS).verdict === 'tagged';
      if (verdict !== c.expected) failures.push(`${c.id}: expected ${c.expected} — ${c.query}`);
    }
    expect(failures).toEqual([]);
    // Only these constructs are refused: regex, functions, arithmetic, computed comparisons, case-insensitive letters.
    for (const c of refused) expect(unsupported(c), c.id).toMatch(/regex|function|arithmetic|two fields|computed|case-insensitive/);
    expect(supported.length).toBeGreaterThanOrEqual(130);
  });
});
