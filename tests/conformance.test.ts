// The conformance table against the reference evaluator (the WASM evaluator runs the same table
// through runConformance with its own EvaluateCase).

import { describe, expect, it } from 'vitest';
import { CONFORMANCE_CASES } from './conformance/cases.js';
import { describeFailures, referenceEvaluateCase, runConformance } from './conformance/runner.js';

describe('conformance table', () => {
  it('has at least 300 cases with unique ids, each tied to a spec statement', () => {
    expect(CONFORMANCE_CASES.length).toBeGreaterThanOrEqual(300);
    const ids = CONFORMANCE_CASES.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const c of CONFORMANCE_CASES) expect(c.spec, c.id).toMatch(/^(kql|audit-to-ecs|new-terms|semantics)\.md: \S/);
  });
  it('has both verdicts in every group', () => {
    const groups = new Map<string, Set<boolean>>();
    for (const c of CONFORMANCE_CASES) {
      const group = c.id.split('-')[0];
      groups.set(group, (groups.get(group) ?? new Set()).add(c.expected));
    }
    for (const [group, verdicts] of groups) expect(verdicts.size, group).toBe(2);
  });
  it('the reference evaluator gives every expected verdict', () => {
    const results = runConformance(CONFORMANCE_CASES, referenceEvaluateCase);
    expect(describeFailures(results)).toBe('');
  });
});
