// Runs the conformance table (cases.ts) through any evaluator with the signature below, so the
// same table checks the reference evaluator and the WebAssembly one.
//
// Contract for an evaluator: evaluate `query` (KQL text) on the record `doc` the way the filter
// does (ECS view, event time, query), with the given field table. `docText` is the record's JSON
// text (written with stringifyJson: numbers keep their written form) for evaluators that work on
// bytes. Records without their own event time use CONFORMANCE_HOST_TIME_MS as the host time.

import { fileURLToPath } from 'node:url';
import { loadFieldTable, type FieldTable } from '../../src/fields/table.js';
import { parseKql } from '../../src/kql/parser.js';
import { evaluateRecord } from '../../src/reference/record.js';
import { stringifyJson } from '../../src/reference/json.js';
import type { ConformanceCase } from './cases.js';

export type EvaluateCase = (query: string, doc: object, fields: FieldTable, docText: string) => boolean;

/** Host time (ms) given to records that carry no event time of their own: 2025-01-01T00:00:00Z. */
export const CONFORMANCE_HOST_TIME_MS = Date.UTC(2025, 0, 1);

export type TableName = NonNullable<ConformanceCase['fields']>;

const TABLE_FILES: Record<TableName, string> = {
  default: fileURLToPath(new URL('../../fields/kubernetes-audit.json', import.meta.url)),
  text: fileURLToPath(new URL('../../fields/kubernetes-audit-text.json', import.meta.url)),
};

const tableCache = new Map<TableName, FieldTable>();

/** The field table a case names (default when absent). */
export function tableFor(name: TableName = 'default'): FieldTable {
  let table = tableCache.get(name);
  if (!table) {
    table = loadFieldTable(TABLE_FILES[name]);
    tableCache.set(name, table);
  }
  return table;
}

/** The reference evaluator behind the EvaluateCase signature. */
export const referenceEvaluateCase: EvaluateCase = (query, doc, fields) =>
  evaluateRecord(parseKql(query), doc, { fields, hostTimeMs: CONFORMANCE_HOST_TIME_MS });

export interface CaseResult {
  case: ConformanceCase;
  actual: boolean | undefined;
  error?: string;
  ok: boolean;
}

/** Run every case; an evaluator that throws fails the case. */
export function runConformance(cases: readonly ConformanceCase[], evaluateCase: EvaluateCase): CaseResult[] {
  return cases.map((c) => {
    try {
      const actual = evaluateCase(c.query, c.doc, tableFor(c.fields), stringifyJson(c.doc));
      return { case: c, actual, ok: actual === c.expected };
    } catch (err) {
      return { case: c, actual: undefined, error: (err as Error).message, ok: false };
    }
  });
}

/** One line per failed case, for test messages. */
export function describeFailures(results: readonly CaseResult[]): string {
  return results
    .filter((r) => !r.ok)
    .map((r) => `${r.case.id}: expected ${r.case.expected}, got ${r.error ? `error ${r.error}` : r.actual} — ${r.case.query} — ${r.case.spec}`)
    .join('\n');
}
