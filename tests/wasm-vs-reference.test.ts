// The WebAssembly evaluator gives the reference evaluator's verdict: on the hand-written conformance
// table and on generated (query, record) pairs (fast-check, shrinking to a minimal counterexample).
import { describe, it, expect, beforeAll } from 'vitest';
import fc from 'fast-check';
import { CONFORMANCE_CASES } from './conformance/cases.js';
import { runConformance, describeFailures, tableFor, CONFORMANCE_HOST_TIME_MS } from './conformance/runner.js';
import { WasmCaseEvaluator, unsupportedConstruct } from './helpers/wasm-case.js';
import { parseKql } from '../src/kql/parser.js';
import { printKql } from '../src/kql/print.js';
import { evaluateRecord } from '../src/reference/record.js';
import { stringifyJson } from '../src/reference/json.js';
import { queryArb, recordArb } from './gen/arbitraries.js';

/** Pairs per CI run (the issue asks for at least 100 000). */
const PAIRS = Number(process.env.KQL_EDGE_PROPERTY_PAIRS ?? 100_000);

/**
 * Cases where the WASM evaluator knowingly differs from the reference (listed in docs/semantics.md,
 * "Where the WebAssembly evaluator differs"): exists on an object field, and the AKS wrapper's
 * aks_metadata fields.
 */
const KNOWN_WASM_DIFFERENCES = new Set(['miss-exists-object-with-field', 'miss-exists-object-dotted', 'shape-aks-metadata']);

let wasm: WasmCaseEvaluator;
beforeAll(async () => {
  wasm = await WasmCaseEvaluator.create();
});

describe('conformance table through the WebAssembly evaluator', () => {
  it('gives every expected verdict on the cases it supports', () => {
    const supported = CONFORMANCE_CASES.filter((c) => !unsupportedConstruct(parseKql(c.query)) && !KNOWN_WASM_DIFFERENCES.has(c.id));
    const unsupported = CONFORMANCE_CASES.length - supported.length;
    console.log(`conformance: ${supported.length} cases through WASM; ${unsupported} use field-less values or wildcard field names inside a nested query, which the WASM evaluator does not implement`);
    const results = runConformance(supported, (query, _doc, fields, docText) => wasm.matches(query, docText, fields, CONFORMANCE_HOST_TIME_MS));
    expect(describeFailures(results)).toBe('');
    expect(supported.length).toBeGreaterThan(250);
  });
});

describe('generated queries and records: WASM verdict == reference verdict', () => {
  it(`${PAIRS} pairs`, () => {
    const fields = tableFor('default');
    const textFields = tableFor('text');
    let checked = 0;
    fc.assert(
      fc.property(
        queryArb().filter((q) => !unsupportedConstruct(q)),
        recordArb,
        fc.boolean(),
        (query, record, useTextTable) => {
          const table = useTextTable ? textFields : fields;
          const text = printKql(query);
          const docText = stringifyJson(record);
          const expected = evaluateRecord(parseKql(text), JSON.parse(docText), { fields: table, hostTimeMs: CONFORMANCE_HOST_TIME_MS });
          const actual = wasm.matches(text, docText, table, CONFORMANCE_HOST_TIME_MS);
          checked++;
          return actual === expected;
        },
      ),
      // A fixed seed keeps CI reproducible; set KQL_EDGE_PROPERTY_SEED to explore others.
      { numRuns: PAIRS, seed: Number(process.env.KQL_EDGE_PROPERTY_SEED ?? 20261128) },
    );
    expect(checked).toBeGreaterThanOrEqual(PAIRS);
  }, 900_000);
});

describe('many rules in one program (one scan, shared fields, the multi-literal prefilter)', () => {
  it(`${Math.ceil(PAIRS / 10)} records against 8 to 12 generated rules each`, () => {
    const fields = tableFor('default');
    fc.assert(
      fc.property(fc.array(queryArb().filter((q) => !unsupportedConstruct(q)), { minLength: 8, maxLength: 12 }), recordArb, (queries, record) => {
        const texts = queries.map(printKql);
        const docText = stringifyJson(record);
        const parsed = JSON.parse(docText);
        const expected = texts
          .map((t, i) => (evaluateRecord(parseKql(t), parsed, { fields, hostTimeMs: CONFORMANCE_HOST_TIME_MS }) ? `rule-${String(i).padStart(2, '0')}` : undefined))
          .filter((x): x is string => x !== undefined);
        const actual = wasm.matchingRules(texts, docText, fields, CONFORMANCE_HOST_TIME_MS);
        expect(actual).toEqual(expected);
      }),
      { numRuns: Math.ceil(PAIRS / 10), seed: Number(process.env.KQL_EDGE_PROPERTY_SEED ?? 20261128) },
    );
  }, 900_000);
});
