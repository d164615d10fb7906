// Rules in, rule program out: parse each rule's KQL, resolve fields to slots, compile leaves and the
// boolean structure, find the literals every match requires, render the tag pieces.
import { createHash } from 'node:crypto';
import type { Node, FieldRef } from '../kql/ast.js';
import { parseKql } from '../kql/parser.js';
import type { Rule } from '../rules/types.js';
import { parseHistoryWindow } from '../rules/history-window.js';
import type { FieldTable } from '../fields/table.js';
import { ExprOp, OutputMode } from './format.js';
import type { ProgramIR, RuleIR, ExprIR, LeafIR, BuildOptions } from './ir.js';
import { SlotTable } from './slots.js';
import { isLeaf, rangeLeaf, unboundedRange } from './leaves.js';
import { appearsVerbatim } from './ecs-sources.js';
import { requiredLiterals, leafLiterals } from './prefilter.js';
import { ruleFragments, threatEntries, SEVERITY_NUMBER } from './tags.js';

/** Deepest boolean nesting accepted: the evaluator recurses once per level, on a small stack in Fluent Bit. */
export const MAX_EXPR_DEPTH = 48;
/** Nested paths one program may query (the id lives in 8 bits of a trie node). */
export const MAX_NESTED_PATHS = 255;

export const DEFAULT_OPTIONS: BuildOptions = {
  outputMode: OutputMode.Tag,
  newTermsBudgetBytes: 16 * 1024 * 1024,
  learningMs: 0,
  includeDescription: false,
  stateFile: '',
  snapshotEveryRecords: 100_000,
  snapshotEverySeconds: 300,
  statsEveryRecords: 0,
};

export class CompileError extends Error {
  constructor(
    message: string,
    readonly ruleId?: string,
    readonly pos?: { line: number; column: number },
  ) {
    super(message);
  }
}

class LeafTable {
  readonly leaves: LeafIR[] = [];
  private readonly index = new Map<string, number>();
  /** Leaves by the AST node they came from (for the prefilter). */
  readonly ofNode = new Map<Node, LeafIR>();

  add(leaf: LeafIR, node: Node): number {
    this.ofNode.set(node, leaf);
    const key = `${leaf.slot}|${leaf.op}|${leaf.flags}|${leaf.aux}|${Buffer.from(leaf.data).toString('hex')}`;
    const known = this.index.get(key);
    if (known !== undefined) return known;
    this.leaves.push(leaf);
    this.index.set(key, this.leaves.length - 1);
    return this.leaves.length - 1;
  }
}

function fieldName(prefix: string, f: FieldRef): string {
  return prefix ? `${prefix}.${f.name}` : f.name;
}

export function compileRules(rules: Rule[], fields: FieldTable, options: Partial<BuildOptions> = {}): ProgramIR {
  const opts = { ...DEFAULT_OPTIONS, ...options };
  const slots = new SlotTable(fields);
  const leaves = new LeafTable();
  const nested: string[] = [];
  const sorted = [...rules].sort((a, b) => (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0));

  const compileNode = (node: Node, prefix: string, depth: number, rule: Rule): ExprIR => {
    if (depth > MAX_EXPR_DEPTH) throw new CompileError(`query nests deeper than ${MAX_EXPR_DEPTH} levels`, rule.ruleId);
    switch (node.kind) {
      case 'all':
        return { op: ExprOp.True };
      case 'and':
      case 'or':
        return { op: node.kind === 'and' ? ExprOp.And : ExprOp.Or, children: node.children.map((c) => compileNode(c, prefix, depth + 1, rule)) };
      case 'not':
        return { op: ExprOp.Not, child: compileNode(node.child, prefix, depth + 1, rule) };
      case 'nested': {
        if (node.path.pattern) return { op: ExprOp.False }; // a wildcard nested path matches nothing
        const path = fieldName(prefix, node.path);
        let id = nested.indexOf(path);
        if (id < 0) {
          if (nested.length >= MAX_NESTED_PATHS) throw new CompileError(`more than ${MAX_NESTED_PATHS} nested paths`, rule.ruleId, node.pos);
          id = nested.push(path) - 1;
        }
        return { op: ExprOp.Nested, child: compileNode(node.query, path, depth + 1, rule), nested: id };
      }
      case 'is':
      case 'range': {
        if (!node.field) throw new CompileError('field-less values (searching every field) are not supported by the evaluator yet', rule.ruleId, node.pos);
        if (node.field.pattern) throw new CompileError(`wildcard field names (${node.field.name}) are not supported by the evaluator yet`, rule.ruleId, node.field.pos);
        const name = fieldName(prefix, node.field);
        const slot = slots.slotOf(name);
        const spec =
          node.kind === 'is'
            ? isLeaf(slots.slots[slot], node.value)
            : node.isNull
              ? unboundedRange(slots.slots[slot])
              : rangeLeaf(slots.slots[slot], node.op, node.value);
        const leaf: LeafIR = { slot, ...spec, text: `${name} ${spec.text}` };
        return { op: ExprOp.Leaf, leaf: leaves.add(leaf, node) };
      }
    }
  };

  const compiled: RuleIR[] = sorted.map((rule) => {
    if (rule.type !== 'query' && rule.type !== 'new_terms') throw new CompileError(`rule type ${rule.type} is not supported`, rule.ruleId);
    const ast = parseKql(rule.query);
    const expr = compileNode(ast, '', 0, rule);
    const prefilter = requiredLiterals(ast, (n) => {
      const leaf = leaves.ofNode.get(n);
      return leaf ? leafLiterals(leaf, appearsVerbatim(slots.slots[leaf.slot].name)) : [];
    });
    const ruleset = opts.ruleset ?? rule.ruleset;
    let newTerms: RuleIR['newTerms'];
    if (rule.type === 'new_terms') {
      if (!rule.newTerms) throw new CompileError('new_terms rule without new-terms fields', rule.ruleId);
      newTerms = {
        fields: rule.newTerms.fields,
        slots: rule.newTerms.fields.map((f) => slots.slotOf(f)),
        windowMs: parseHistoryWindow(rule.newTerms.historyWindowStart),
        historyWindowStart: rule.newTerms.historyWindowStart,
      };
    }
    const stateKey = BigInt(
      '0x' +
        createHash('sha256')
          .update(JSON.stringify([rule.ruleId, rule.query, rule.newTerms?.fields ?? [], newTerms?.windowMs ?? 0]))
          .digest('hex')
          .slice(0, 16),
    );
    return {
      ruleId: rule.ruleId,
      name: rule.name,
      type: rule.type,
      version: rule.version,
      expr,
      prefilter,
      newTerms,
      timeSlot: rule.timestampOverride ? slots.slotOf(rule.timestampOverride) : undefined,
      severity: SEVERITY_NUMBER[rule.severity] ?? 21,
      riskScore: rule.riskScore,
      frags: ruleFragments(rule, ruleset),
      threats: threatEntries(rule),
      stateKey,
    };
  });

  return { slots: slots.slots, nested, sources: slots.sources, consts: slots.consts, leaves: leaves.leaves, rules: compiled, options: opts };
}
