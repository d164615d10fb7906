// The real-host benchmark's KQL row takes exactly the pack's KQL rules (query + new_terms in kuery or
// lucene) and names their count; EQL and ES|QL rules stay out of it.
import { describe, expect, it } from 'vitest';
import { packKqlSet } from '../src/bench/real-host/run.js';
import type { RuleSet } from '../src/bench/rules.js';
import type { Rule } from '../src/rules/types.js';
import { queryRule } from './helpers/wasm-case.js';

const set = (rules: Rule[]): RuleSet => ({ name: 'pack', rules, ir: undefined as never, program: new Uint8Array() });

describe("real-host benchmark: the pack's KQL rules", () => {
  it('selects query and new_terms rules in KQL, not EQL or ES|QL, and names the count', () => {
    const rules: Rule[] = [
      queryRule('kubernetes.audit.verb : "get"', 'q1'),
      { ...queryRule('any where kubernetes.audit.verb == "get"', 'e1'), type: 'eql', language: 'eql' },
      queryRule('kubernetes.audit.verb : "list"', 'q2'),
      { ...queryRule('from logs-* | where kubernetes.audit.verb == "get"', 's1'), type: 'esql', language: 'esql' },
      { ...queryRule('kubernetes.audit.verb : "create"', 'q3'), language: undefined },
    ];
    const kql = packKqlSet(set(rules))!;
    expect(kql.rules.map((r) => r.ruleId)).toEqual(['q1', 'q2', 'q3']);
    expect(kql.name).toBe("pack's KQL rules (3: query + new_terms)");
    expect(kql.program.length).toBeGreaterThan(0);
  });

  it('gives no row when the pack has no KQL rule', () => {
    expect(packKqlSet(set([{ ...queryRule('any where true', 'e1'), type: 'eql', language: 'eql' }]))).toBeUndefined();
  });
});
