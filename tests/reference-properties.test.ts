// Property tests of the reference evaluator over generated queries and records (tests/gen).

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Node } from '../src/kql/ast.js';
import { parseKql } from '../src/kql/parser.js';
import { printKql } from '../src/kql/print.js';
import { evaluate } from '../src/reference/evaluate.js';
import { evaluateRecord } from '../src/reference/record.js';
import { toEcsView } from '../src/reference/ecs-view.js';
import { parseJson, stringifyJson } from '../src/reference/json.js';
import { loadFieldTable, TEXT_FIELD_TABLE_FILE } from '../src/fields/table.js';
import { newTermsBruteForce, termCombinations, termKey, type NewTermsEvent } from '../src/reference/new-terms.js';
import { ecsDocArb, queryArb, rawEventArb, recordArb } from './gen/arbitraries.js';

const fields = loadFieldTable();
const textFields = loadFieldTable(TEXT_FIELD_TABLE_FILE);
const HOST = Date.UTC(2025, 2, 4, 6, 25);
const NOW = Date.UTC(2025, 2, 4, 6, 22, 30);
const ev = (q: Node, doc: Record<string, unknown>) => evaluate(q, doc, { fields, now: NOW });
const RUNS = { numRuns: 400 };

/** Strip positions so ASTs compare structurally. */
function shape(node: unknown): unknown {
  return JSON.parse(JSON.stringify(node, (k, v) => (k === 'pos' ? undefined : v)));
}

describe('generated inputs', () => {
  it('produce both verdicts often', () => {
    let trues = 0;
    let total = 0;
    fc.assert(
      fc.property(queryArb(), recordArb, (q, record) => {
        total++;
        if (evaluateRecord(q, record, { fields, hostTimeMs: HOST })) trues++;
      }),
      { numRuns: 1000 },
    );
    expect(trues / total).toBeGreaterThan(0.15);
    expect(trues / total).toBeLessThan(0.85);
  });
});

describe('printKql round trip', () => {
  it('parseKql(printKql(ast)) is the same AST', () => {
    fc.assert(
      fc.property(queryArb(), (q) => {
        expect(shape(parseKql(printKql(q)))).toEqual(shape(q));
      }),
      RUNS,
    );
  });
});

describe('evaluator invariants', () => {
  it('not(not q) = q; and(q, all) = q; or(q, not q) is true; and(q, not q) is false', () => {
    fc.assert(
      fc.property(queryArb(), ecsDocArb, (q, doc) => {
        const v = ev(q, doc);
        expect(ev({ kind: 'not', child: { kind: 'not', child: q } }, doc)).toBe(v);
        expect(ev({ kind: 'and', children: [q, { kind: 'all' }] }, doc)).toBe(v);
        expect(ev({ kind: 'or', children: [q, { kind: 'not', child: q }] }, doc)).toBe(true);
        expect(ev({ kind: 'and', children: [q, { kind: 'not', child: q }] }, doc)).toBe(false);
      }),
      RUNS,
    );
  });
  it('De Morgan', () => {
    fc.assert(
      fc.property(queryArb({ maxDepth: 2 }), queryArb({ maxDepth: 2 }), ecsDocArb, (a, b, doc) => {
        const lhs = ev({ kind: 'not', child: { kind: 'and', children: [a, b] } }, doc);
        const rhs = ev({ kind: 'or', children: [{ kind: 'not', child: a }, { kind: 'not', child: b }] }, doc);
        expect(lhs).toBe(rhs);
      }),
      RUNS,
    );
  });
  it('writing nested objects as dotted keys does not change verdicts (queries without nested)', () => {
    const flatten = (value: unknown, prefix: string, out: Record<string, unknown>) => {
      if (typeof value === 'object' && value !== null && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype && Object.keys(value).length > 0) {
        for (const [k, v] of Object.entries(value)) flatten(v, prefix === '' ? k : `${prefix}.${k}`, out);
      } else if (prefix !== '') {
        // Two spellings of one path: keep both values (arrays are transparent).
        out[prefix] = prefix in out ? [out[prefix], value] : value;
      }
      return out;
    };
    fc.assert(
      fc.property(queryArb({ nested: false }), ecsDocArb, (q, doc) => {
        const flat = flatten(doc, '', {});
        expect(ev(q, flat)).toBe(ev(q, doc));
      }),
      RUNS,
    );
  });
  it('an audit event embedded in log/message/AKS gives the same verdict as the raw event', () => {
    fc.assert(
      fc.property(queryArb(), rawEventArb, (q, event) => {
        const opts = { fields, hostTimeMs: HOST };
        const direct = evaluateRecord(q, event, opts);
        expect(evaluateRecord(q, { log: stringifyJson(event) }, opts)).toBe(direct);
        expect(evaluateRecord(q, { message: stringifyJson(event), host: 'h' }, opts)).toBe(direct);
      }),
      RUNS,
    );
  });
  it('the view of a raw event is stable: viewing it again as ECS gives the same document', () => {
    fc.assert(
      fc.property(rawEventArb, (event) => {
        const view = toEcsView(event)!;
        expect(view.shape).toBe('raw');
        const again = toEcsView(view.doc)!;
        expect(again.shape).toBe('ecs');
        expect(stringifyJson(again.doc)).toBe(stringifyJson(view.doc));
      }),
      RUNS,
    );
  });
  it('serialising a record with stringifyJson and parsing it back does not change verdicts', () => {
    fc.assert(
      fc.property(queryArb(), recordArb, fc.boolean(), (q, record, text) => {
        const opts = { fields: text ? textFields : fields, hostTimeMs: HOST };
        expect(evaluateRecord(q, parseJson(stringifyJson(record)), opts)).toBe(evaluateRecord(q, record, opts));
      }),
      RUNS,
    );
  });
});

describe('New Terms: the last-seen streaming implementation equals the brute-force definition', () => {
  const eventArb: fc.Arbitrary<NewTermsEvent> = fc.record({
    time: fc.integer({ min: 0, max: 40 }).map((d) => d * 3_600_000 * 6),
    values: fc.tuple(
      fc.array(fc.constantFrom('ua1', 'ua2', 'ua3', null, 'x'.repeat(1025)), { maxLength: 2 }),
      fc.array(fc.constantFrom('10.0.0.1', '10.0.0.2'), { maxLength: 2 }),
    ),
  });
  it('for random arrival orders and windows', () => {
    fc.assert(
      fc.property(fc.array(eventArb, { maxLength: 25 }), fc.constantFrom(86_400_000, 3 * 86_400_000, 'now-1d', 'now-2d'), (events, window) => {
        const windowMs = typeof window === 'number' ? window : Number(window.slice(4, -1)) * 86_400_000;
        const lastSeen = new Map<string, number>();
        const streamed = events.map((e) => {
          const alerts = termCombinations(e.values).filter((combo) => {
            const seen = lastSeen.get(termKey(combo));
            return seen === undefined || seen < e.time - windowMs;
          });
          for (const combo of termCombinations(e.values)) lastSeen.set(termKey(combo), Math.max(lastSeen.get(termKey(combo)) ?? -Infinity, e.time));
          return alerts;
        });
        expect(streamed).toEqual(newTermsBruteForce(events, window));
      }),
      RUNS,
    );
  });
});
