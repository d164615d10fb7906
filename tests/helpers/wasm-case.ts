// The WebAssembly evaluator behind the conformance runner's EvaluateCase signature: the query is
// compiled into a one-rule program, loaded into one generic module instance, and the record's JSON
// text is filtered with the Fluent Bit calling sequence; "tagged" means the query matched.
import type { FieldTable } from '../../src/fields/table.js';
import { compileProgram } from '../../src/compiler/index.js';
import { genericFilterModule } from '../../src/build/evaluator.js';
import { FluentBitHost } from '../../src/host/fluent-bit-host.js';
import type { Rule } from '../../src/rules/types.js';
import type { Node } from '../../src/kql/ast.js';
import { visitKql } from '../../src/kql/walk.js';

export function queryRule(query: string, ruleId = 'property-rule'): Rule {
  return {
    ruleId,
    name: 'property rule',
    type: 'query',
    language: 'kuery',
    query,
    version: '1',
    severity: 'low',
    riskScore: 21,
    author: [],
    references: [],
    tags: [],
    threat: [],
    enabled: true,
    exceptionsList: [],
    index: [],
    ruleset: 'test',
    source: { file: 'property' },
  };
}

export class WasmCaseEvaluator {
  private constructor(private readonly host: FluentBitHost) {}

  /** `trustedInput`: the module skips what no rule reads without validating it (its default in Fluent Bit). */
  static async create(trustedInput = false): Promise<WasmCaseEvaluator> {
    return new WasmCaseEvaluator(await FluentBitHost.create(await genericFilterModule(), undefined, { trustedInput }));
  }

  /** Does `query` match the record `docText`? */
  matches(query: string, docText: string, fields: FieldTable, hostTimeMs: number): boolean {
    const program = compileProgram([queryRule(query)], {}, fields);
    this.host.loadProgram(program.bytes);
    return this.host.filter(Buffer.from(docText), hostTimeMs).verdict === 'tagged';
  }

  /** Which of the queries (compiled together into one program) match the record? */
  matchingRules(queries: string[], docText: string, fields: FieldTable, hostTimeMs: number): string[] {
    const rules = queries.map((q, i) => queryRule(q, `rule-${String(i).padStart(2, '0')}`));
    this.host.loadProgram(compileProgram(rules, {}, fields).bytes);
    const out = this.host.filter(Buffer.from(docText), hostTimeMs);
    if (out.verdict !== 'tagged') return [];
    return (JSON.parse(out.output.toString()).kql_edge.alerts as { rule_id: string }[]).map((a) => a.rule_id);
  }

  get memoryBytes(): number {
    return this.host.memoryBytes;
  }
}

/** Constructs the WASM evaluator does not implement: field-less values or wildcard field names inside a nested query. */
export function unsupportedConstruct(query: Node): string | undefined {
  let found: string | undefined;
  visitKql(query, (node, context) => {
    if (found) return 'skip';
    if ((node.kind === 'is' || node.kind === 'range') && (!node.field || node.field.pattern) && context.nestedPath.length > 0) found = 'field-less value or wildcard field name inside nested';
  });
  return found;
}
