// Ten million distinct terms through the module: the state stays within its budget, linear memory stays
// flat, and every eviction of a term still inside its window is counted.
import { describe, it, expect } from 'vitest';
import { hostFor, DEFAULT_RULES } from './helpers/evaluator.js';

const TERMS = Number(process.env.KQL_EDGE_SCALE_TERMS ?? 10_000_000);
const BUDGET = 1 << 20;

describe('new terms at scale', () => {
  it(`${TERMS} distinct user agents with a ${BUDGET}-byte budget`, async () => {
    // A learning period longer than the stream: terms are stored (and evicted) but no record is tagged,
    // so the test measures the state, not the tagging.
    const host = await hostFor([DEFAULT_RULES], { newTermsBudgetBytes: BUDGET, learningMs: 365 * 86_400_000 });
    const ex = host.exports;
    const template = Buffer.from(
      '{"kind":"Event","apiVersion":"audit.k8s.io/v1","user":{"username":"system:serviceaccount:ns:sa"},' +
        '"annotations":{"authorization.k8s.io/decision":"forbid"},"stageTimestamp":"2026-03-01T00:00:00Z","userAgent":"agent-0000000000"}',
    );
    // The record is copied in once (as Fluent Bit would for each call) and its counter rewritten in place.
    const ptr = ex.__new(template.length + 1, 0);
    ex.__pin(ptr);
    const digitsAt = ptr + template.indexOf('0000000000');
    const write = (i: number) => {
      const mem = new Uint8Array(ex.memory.buffer);
      mem.set(template, ptr);
      mem[ptr + template.length] = 0;
      let v = i;
      for (let k = 9; k >= 0; k--) {
        mem[digitsAt + k] = 48 + (v % 10);
        v = Math.floor(v / 10);
      }
    };
    const capacity = host.stats()!.rules[0].capacity!;
    expect(capacity * 30).toBeLessThanOrEqual(BUDGET);
    let warm = 0;
    let notPassedThrough = 0;
    for (let i = 0; i < TERMS; i++) {
      write(i);
      if (ex.filter(0, 0, 0, 0, ptr, template.length) !== ptr) notPassedThrough++;
      if (i === capacity * 2) warm = host.memoryBytes;
    }
    expect(notPassedThrough).toBe(0);
    const s = host.stats()!;
    expect(host.memoryBytes).toBe(warm);
    expect(s.rules[0].terms).toBe(capacity);
    expect(s.rules[0].evictions_in_window).toBe(TERMS - capacity);
    expect(s.records).toBe(TERMS);
  }, 600_000);
});
