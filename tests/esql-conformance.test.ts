// The ES|QL conformance table (tests/conformance/esql-cases.ts) through the reference evaluator and,
// for the queries the module supports, through the WebAssembly evaluator. A query the module does
// not support must be refused with a reason when rules are loaded (never run with another meaning).
import { describe, it, expect, beforeAll } from 'vitest';
import { ESQL_CASES, type EsqlCase } from './conformance/esql-cases.js';
import { parseEsql } from '../src/esql/parser.js';
import { esqlSkipReason } from '../src/esql/support.js';
import { esqlStream, esqlEvents } from '../src/reference/esql.js';
import { stringifyJson, parseJson } from '../src/reference/json.js';
import { compileProgram } from '../src/compiler/index.js';
import { genericFilterModule } from '../src/build/evaluator.js';
import { FluentBitHost } from '../src/host/fluent-bit-host.js';
import { tableFor, CONFORMANCE_HOST_TIME_MS } from './conformance/runner.js';
import { queryRule } from './helpers/wasm-case.js';

const fields = tableFor('default');

function queryOf(c: EsqlCase): string {
  if (c.kind === 'where') return `FROM logs-*\n| WHERE ${c.cond}`;
  if (c.kind === 'value') return `FROM logs-*\n| EVAL x = ${c.expr}\n| KEEP x`;
  return c.query;
}
const docsOf = (c: EsqlCase): object[] => (c.kind === 'query' ? c.docs : [c.doc]);

/** The rows the last record alerts with (reference). */
function reference(c: EsqlCase): Record<string, unknown>[] {
  const records = docsOf(c).map((doc) => parseJson(stringifyJson(doc)));
  const rows = esqlStream(parseEsql(queryOf(c)), esqlEvents(records, { hostTimeMs: CONFORMANCE_HOST_TIME_MS }), { fields, lookbackMs: c.kind === 'query' ? (c.lookbackMs ?? 0) : 0 });
  return rows[rows.length - 1];
}

function expectedRows(c: EsqlCase): Record<string, unknown>[] {
  if (c.kind === 'where') return c.expected ? [{}] : [];
  if (c.kind === 'value') return [{ x: c.expected }];
  return c.expected;
}

const unsupported = (c: EsqlCase) => esqlSkipReason(queryOf(c), (f) => fields.typeOf(f));

describe('ES|QL conformance table', () => {
  it('has at least 200 cases with unique ids, each tied to a statement of the ES|QL reference or the spec', () => {
    expect(ESQL_CASES.length).toBeGreaterThanOrEqual(200);
    const ids = ESQL_CASES.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const c of ESQL_CASES) expect(c.spec, c.id).toMatch(/^(ES\|QL reference|eql-esql\.md|semantics\.md|Lucene RegExp|java\.net\.URLDecoder|Oniguruma|grok)\b.*\S/);
    // Both verdicts in every group of condition cases.
    const groups = new Map<string, Set<boolean>>();
    for (const c of ESQL_CASES) if (c.kind === 'where') groups.set(c.id.split('-')[0], (groups.get(c.id.split('-')[0]) ?? new Set()).add(c.expected));
    for (const [group, verdicts] of groups) expect(verdicts.size, group).toBe(2);
  });

  it('the reference evaluator gives every expected result (a refused GROK pattern is an error)', () => {
    const failures: string[] = [];
    for (const c of ESQL_CASES) {
      if (c.id === 'grok-8') {
        expect(() => reference(c)).toThrow(/WORD/);
        continue;
      }
      try {
        const got = reference(c);
        if (JSON.stringify(got) !== JSON.stringify(expectedRows(c))) failures.push(`${c.id}: got ${JSON.stringify(got)}, expected ${JSON.stringify(expectedRows(c))} — ${queryOf(c)}`);
      } catch (e) {
        failures.push(`${c.id}: ${(e as Error).message}`);
      }
    }
    expect(failures).toEqual([]);
  });
});

describe('ES|QL conformance table through the WebAssembly evaluator', () => {
  let host: FluentBitHost;
  beforeAll(async () => {
    host = await FluentBitHost.create(await genericFilterModule());
  });

  it('gives every expected result on the supported cases; the others are refused for a named construct', () => {
    const supported = ESQL_CASES.filter((c) => !unsupported(c));
    const refused = ESQL_CASES.filter((c) => unsupported(c));
    console.log(`ES|QL conformance: ${supported.length} cases through WASM, ${refused.length} refused by the module:\n` + refused.map((c) => `  ${c.id}: ${unsupported(c)}`).join('\n'));
    const failures: string[] = [];
    for (const c of supported) {
      host.loadProgram(compileProgram([{ ...queryRule(queryOf(c), 'esql-case'), type: 'esql', language: 'esql' }], {}, fields).bytes);
      let rows: Record<string, unknown>[] = [];
      for (const doc of docsOf(c)) {
        const out = host.filter(Buffer.from(stringifyJson(doc)), CONFORMANCE_HOST_TIME_MS);
        rows = out.verdict === 'tagged' ? (JSON.parse(out.output.toString()) as { kql_edge: { alerts: { esql?: Record<string, unknown> }[] } }).kql_edge.alerts.map((a) => a.esql ?? {}) : [];
      }
      if (JSON.stringify(rows) !== JSON.stringify(expectedRows(c))) failures.push(`${c.id}: got ${JSON.stringify(rows)}, expected ${JSON.stringify(expectedRows(c))}`);
    }
    expect(failures).toEqual([]);
    for (const c of refused) expect(unsupported(c)).toMatch(/not supported|ES\|QL/);
    expect(supported.length).toBeGreaterThan(150);
  });
});
