// Rules in, rule program out: parse each rule's KQL, resolve fields to slots, compile leaves and the
// boolean structure, find the literals every match requires, render the tag pieces.
import { createHash } from 'node:crypto';
import type { Node, FieldRef } from '../kql/ast.js';
import { parseKql } from '../kql/parser.js';
import type { Rule } from '../rules/types.js';
import { parseHistoryWindow } from '../rules/history-window.js';
import type { FieldTable } from '../fields/table.js';
import { ExprOp, OutputMode, Op, Probe, TypeSig } from './format.js';
import type { ProgramIR, RuleIR, ExprIR, LeafIR, BuildOptions } from './ir.js';
import { SlotTable, TYPE_SIG_ES_TYPE, typeSigOf } from './slots.js';
import { concat, u32, lengthPrefixed } from './operands.js';
import { globParts } from '../fields/glob.js';
import { isLeaf, rangeLeaf, unboundedRange } from './leaves.js';
import { appearsVerbatim, AUDIT_CONSTANTS, constantOf } from './ecs-sources.js';
import { requiredLiterals, leafLiterals } from './prefilter.js';
import { ruleFragments, threatEntries, SEVERITY_NUMBER } from './tags.js';
import { parseEql } from '../eql/parser.js';
import { EqlLoweringError, prefilterTree, type Lowered } from '../eql/lower.js';
import { lowerEql } from '../eql/support.js';
import { EqlUnsupportedError } from '../eql/errors.js';
import { parseEsql } from '../esql/parser.js';
import { EsqlLoweringError } from '../esql/lower.js';
import { lowerEsql } from '../esql/support.js';
import { statsIR } from './esql-stats-serialize.js';
import { EsqlUnsupportedError } from '../esql/errors.js';
import type { Cond } from '../esql/pipeline.js';
import { SlotType } from './format.js';
import { utf8 } from './operands.js';
import type { SequenceIR, EsqlIR, EsqlCondIR, EsqlStepIR } from './ir.js';

/** Deepest boolean nesting accepted: the evaluator recurses once per level, on a small stack in Fluent Bit. */
export const MAX_EXPR_DEPTH = 48;
/** Nested paths one program may query (the id lives in 8 bits of a trie node). */
export const MAX_NESTED_PATHS = 255;

export const DEFAULT_OPTIONS: BuildOptions = {
  outputMode: OutputMode.Tag,
  newTermsBudgetBytes: 16 * 1024 * 1024,
  learningMs: 0,
  includeDescription: false,
  kibanaFields: false,
  stateFile: '',
  snapshotEveryRecords: 100_000,
  snapshotEverySeconds: 300,
  statsEveryRecords: 0,
  sequenceBudgetBytes: 4 * 1024 * 1024,
  windowBudgetBytes: 32 * 1024 * 1024,
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

  add(leaf: LeafIR, node: Node | undefined): number {
    if (node) this.ofNode.set(node, leaf);
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
        return allOf(node.children.map((c) => compileNode(c, prefix, depth + 1, rule)));
      case 'or':
        return anyOf(node.children.map((c) => compileNode(c, prefix, depth + 1, rule)));
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
        if (!node.field || node.field.pattern) {
          if (prefix) throw new CompileError('field-less values and wildcard field names inside a nested query are not supported', rule.ruleId, node.pos);
          return anyField(node);
        }
        const name = fieldName(prefix, node.field);
        const slot = slots.slotOf(name);
        const spec =
          node.kind === 'is'
            ? isLeaf(slots.slots[slot], node.value)
            : node.isNull
              ? unboundedRange(slots.slots[slot])
              : rangeLeaf(slots.slots[slot], node.op, node.value);
        const leaf: LeafIR = { slot, ...spec, text: `${name} ${spec.text}` };
        const own: ExprIR = { op: ExprOp.Leaf, leaf: leaves.add(leaf, node) };
        if (node.kind !== 'is' || node.value.type !== 'exists' || !objectExists) return own;
        return { op: ExprOp.Or, children: [own, existsBelow(name)] };
      }
    }
  };

  /**
   * An `and`: leaves on a field every audit view holds as a constant (`data_stream.dataset`, which
   * most rules test first) go last, so the usual record, which fails on another leaf, never tests it.
   * Order inside an `and` does not change its value.
   */
  const allOf = (children: ExprIR[]): ExprIR => {
    const constant = (c: ExprIR) => c.op === ExprOp.Leaf && constantOf(slots.slots[leaves.leaves[c.leaf]!.slot]!.name) !== undefined;
    return { op: ExprOp.And, children: [...children.filter((c) => !constant(c)), ...children.filter(constant)] };
  };

  /**
   * An `or`: its equality leaves on one keyword field (`verb:(create or patch)`, EQL's `verb in (...)`,
   * also among other children) become one leaf testing each value once against every term, not one
   * leaf per term. Order inside an `or` does not change its value.
   */
  const anyOf = (children: ExprIR[]): ExprIR => {
    const eqOf = (c: ExprIR): LeafIR | undefined => {
      if (c.op !== ExprOp.Leaf) return undefined;
      const l = leaves.leaves[c.leaf]!;
      return l.op === Op.KwEq && l.flags === 0 ? l : undefined;
    };
    const out: ExprIR[] = [];
    const merged = new Set<number>();
    for (const c of children) {
      const eq = eqOf(c);
      if (!eq) {
        out.push(c);
        continue;
      }
      if (merged.has(eq.slot)) continue;
      const same = children.map(eqOf).filter((l): l is LeafIR => l !== undefined && l.slot === eq.slot);
      if (same.length < 2) {
        out.push(c);
        continue;
      }
      merged.add(eq.slot);
      const terms = same.map((l) => l.data);
      const data = concat(terms.flatMap((t) => [u32(t.length), t]));
      const leaf: LeafIR = { slot: eq.slot, op: Op.KwIn, flags: 0, data, aux: terms.length, text: `${slots.slots[eq.slot]!.name} in ${same.map((l) => l.text.replace(/^.* == /, '')).join(', ')}` };
      out.push({ op: ExprOp.Leaf, leaf: leaves.add(leaf, undefined) });
    }
    return out.length === 1 ? out[0]! : { op: ExprOp.Or, children: out };
  };

  /**
   * `f:*` also holds when f is an object with an indexed value below it (Elasticsearch's exists on an
   * object field, docs/semantics.md 5): the scalars the view has below `f.`, each under its own type.
   * The scanner records only the scalars under f's sources (presenceSources), not the whole record.
   */
  const existsBelow = (name: string): ExprIR => {
    const subLeaves: number[] = [];
    for (let sig = 0; sig < TypeSig.Count; sig++) {
      const slot = slots.typeSlot(sig);
      subLeaves.push(leaves.add({ slot, ...isLeaf(slots.slots[slot], { type: 'exists' }), text: `(${TYPE_SIG_ES_TYPE[sig as TypeSig]}) exists` }, undefined));
    }
    if (!presence.includes(name)) presence.push(name);
    const pattern = [`${name}.`, ''];
    const data = concat([...subLeaves.map((l) => u32(l)), lengthPrefixed(pattern)]);
    const leaf: LeafIR = { slot: Probe.AllLeaves, op: Op.AnyField, flags: 0, data, aux: pattern.length, text: `${name}.* exists (below an object)` };
    return { op: ExprOp.Leaf, leaf: leaves.add(leaf, undefined) };
  };
  /** View fields read with `f:*`: their object form needs the scalars below them (see existsBelow). */
  const presence: string[] = [];
  /** ES|QL's IS NULL reads the field's own values only (an object is not a column). */
  let objectExists = true;

  /** A field-less value or wildcard field name: one sub-leaf per type signature, chosen per leaf of the view. */
  const anyField = (node: Extract<Node, { kind: 'is' | 'range' }>): ExprIR => {
    const pattern = node.field?.pattern ?? null;
    const isExists = node.kind === 'is' && node.value.type === 'exists';
    // `*` alone, and `*:*`, match every document (Kibana's match_all).
    if (isExists && (!node.field || (pattern !== null && pattern.every((p) => p === '')))) return { op: ExprOp.True };
    const subLeaves: number[] = [];
    for (let sig = 0; sig < TypeSig.Count; sig++) {
      const slot = slots.typeSlot(sig);
      const spec = node.kind === 'is' ? isLeaf(slots.slots[slot], node.value) : node.isNull ? unboundedRange(slots.slots[slot]) : rangeLeaf(slots.slots[slot], node.op, node.value);
      subLeaves.push(leaves.add({ slot, ...spec, text: `(${TYPE_SIG_ES_TYPE[sig as TypeSig]}) ${spec.text}` }, undefined));
    }
    allLeaves = true;
    const data = concat([...subLeaves.map((l) => u32(l)), pattern ? lengthPrefixed(pattern) : new Uint8Array(0)]);
    const leaf: LeafIR = { slot: Probe.AllLeaves, op: Op.AnyField, flags: 0, data, aux: pattern ? pattern.length : 0xffffffff, text: `${pattern ? pattern.join('*') : '(any field)'} any of sub-leaves ${subLeaves.join(',')}` };
    return { op: ExprOp.Leaf, leaf: leaves.add(leaf, node) };
  };
  let allLeaves = false;

  /** An EQL condition, lowered (src/eql/lower.ts): KQL nodes compile as KQL, EQL wildcards get their own leaf. */
  const compileLowered = (l: Lowered, depth: number, rule: Rule): ExprIR => {
    if (depth > MAX_EXPR_DEPTH) throw new CompileError(`query nests deeper than ${MAX_EXPR_DEPTH} levels`, rule.ruleId);
    switch (l.kind) {
      case 'kql':
        return compileNode(l.node, '', depth, rule);
      case 'const':
        return { op: l.value ? ExprOp.True : ExprOp.False };
      case 'and':
        return allOf(l.children.map((c) => compileLowered(c, depth + 1, rule)));
      case 'or':
        return anyOf(l.children.map((c) => compileLowered(c, depth + 1, rule)));
      case 'not':
        return { op: ExprOp.Not, child: compileLowered(l.child, depth + 1, rule) };
      case 'wildcard': {
        const slot = slots.slotOf(l.field);
        if (slots.slots[slot].type !== SlotType.Keyword) throw new CompileError(`EQL wildcard on field ${l.field}, which is not a keyword field`, rule.ruleId, l.pos);
        const leaf: LeafIR = { slot, op: Op.KwWildcard, flags: 0, data: utf8(l.pattern), aux: 0, text: `${l.field} wildcard ${JSON.stringify(l.pattern)}` };
        return { op: ExprOp.Leaf, leaf: leaves.add(leaf, undefined) };
      }
      case 'single': {
        const slot = slots.slotOf(l.field);
        const leaf: LeafIR = { slot, op: Op.SingleValued, flags: 0, data: new Uint8Array(0), aux: 0, text: `${l.field} single-valued` };
        return { op: ExprOp.Leaf, leaf: leaves.add(leaf, undefined) };
      }
    }
  };

  /**
   * An ES|QL per-event rule: the leading WHERE conditions lowered three-valued (src/esql/lower.ts)
   * as the rule's expression; the rest (EVAL, GROK, later WHERE) as a pipeline (src/esql/pipeline.ts).
   */
  const compileEsql = (rule: Rule): { expr: ExprIR; tree: Node; esql?: EsqlIR } => {
    objectExists = false;
    try {
      return compileEsqlRule(rule);
    } finally {
      objectExists = true;
    }
  };
  const compileEsqlRule = (rule: Rule): { expr: ExprIR; tree: Node; esql?: EsqlIR } => {
    let pipeline;
    try {
      pipeline = lowerEsql(parseEsql(rule.query), (f) => fields.typeOf(f));
    } catch (e) {
      if (e instanceof EsqlLoweringError) throw new CompileError(e.reason, rule.ruleId, e.pos);
      if (e instanceof EsqlUnsupportedError) throw new CompileError(e.reason, rule.ruleId, { line: e.line, column: e.column });
      throw e;
    }
    const gate = pipeline.gate;
    const expr: ExprIR = gate ? compileLowered(gate, 0, rule) : { op: ExprOp.True };
    const tree: Node = gate ? prefilterTree(gate) : { kind: 'all' };
    if (pipeline.steps.length === 0 && pipeline.outputs.length === 0 && !pipeline.stats) return { expr, tree };
    const cond = (c: Cond): EsqlCondIR => {
      switch (c.k) {
        case 'tf':
          return { k: 'tf', t: compileLowered(c.t, 1, rule), f: compileLowered(c.f, 1, rule) };
        case 'and':
        case 'or':
          return { k: c.k, a: cond(c.a), b: cond(c.b) };
        case 'not':
          return { k: 'not', a: cond(c.a) };
        default:
          return c;
      }
    };
    const steps = pipeline.steps.map((s): EsqlStepIR => {
      switch (s.op) {
        case 'field':
        case 'field_int':
        case 'field_ip_text':
          return { op: s.op, dst: s.dst, slot: slots.slotOf(s.field) };
        case 'field_date':
          return { op: 'field_date', dst: s.dst, slot: slots.slotOf(s.field), eventTimeFallback: s.eventTimeFallback };
        case 'case':
          return { ...s, arms: s.arms.map((a) => ({ cond: cond(a.cond), value: a.value })) };
        case 'where':
          return { op: 'where', cond: cond(s.cond) };
        default:
          return s;
      }
    });
    const esql: EsqlIR = { steps, registers: pipeline.registers, outputs: pipeline.outputs, dfas: pipeline.dfas.map((d) => d.table), pikes: pipeline.pikes.map((p) => p.program) };
    if (pipeline.stats) esql.stats = statsIR(pipeline.stats, rule, (f) => slots.slotOf(f));
    return { expr, tree, esql };
  };

  /** An EQL rule: its expression (for a sequence, "some stage matches"), prefilter tree and sequence. */
  const compileEql = (rule: Rule): { expr: ExprIR; tree: Node; sequence?: SequenceIR } => {
    let lowered;
    try {
      lowered = lowerEql(parseEql(rule.query), (f) => fields.typeOf(f));
    } catch (e) {
      if (e instanceof EqlLoweringError) throw new CompileError(e.reason, rule.ruleId, e.pos);
      if (e instanceof EqlUnsupportedError) throw new CompileError(e.reason, rule.ruleId, { line: e.line, column: e.column });
      throw e;
    }
    if (lowered.kind === 'event') return { expr: compileLowered(lowered.condition, 0, rule), tree: prefilterTree(lowered.condition) };
    const stages = lowered.stages.map((s) => ({ expr: compileLowered(s.condition, 1, rule), keySlots: s.keys.map((k) => slots.slotOf(k)), keys: s.keys }));
    const until = lowered.until ? { expr: compileLowered(lowered.until.condition, 1, rule), keySlots: lowered.until.keys.map((k) => slots.slotOf(k)), keys: lowered.until.keys } : undefined;
    // The rule's root is "some stage or the until condition matches": no other record changes its state.
    const all = [...lowered.stages, ...(lowered.until ? [lowered.until] : [])];
    const expr: ExprIR = { op: ExprOp.Or, children: [...stages, ...(until ? [until] : [])].map((s) => s.expr) };
    const tree: Node = { kind: 'or', children: all.map((s) => prefilterTree(s.condition)) };
    const parsed = parseEql(rule.query);
    return { expr, tree, sequence: { stages, ...(until ? { until } : {}), maxspanMs: lowered.maxspanMs, maxspanText: parsed.kind === 'sequence' ? parsed.maxspanText : undefined, idSlot: slots.slotOf('kubernetes.audit.auditID') } };
  };

  const compiled: RuleIR[] = sorted.map((rule) => {
    if (rule.type !== 'query' && rule.type !== 'new_terms' && rule.type !== 'eql' && rule.type !== 'esql') throw new CompileError(`rule type ${rule.type} is not supported`, rule.ruleId);
    let ast: Node;
    let expr: ExprIR;
    let sequence: SequenceIR | undefined;
    let esql: EsqlIR | undefined;
    if (rule.type === 'eql') {
      const eql = compileEql(rule);
      ({ expr, sequence } = eql);
      ast = eql.tree;
    } else if (rule.type === 'esql') {
      ({ expr, tree: ast, esql } = compileEsql(rule));
    } else {
      ast = parseKql(rule.query);
      expr = compileNode(ast, '', 0, rule);
    }
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
      type: rule.type as RuleIR['type'],
      version: rule.version,
      expr,
      ...(sequence ? { sequence } : {}),
      ...(esql ? { esql } : {}),
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

  // kibana.alert.reason names the event's source.ip and user.name.
  const reasonSlots = opts.kibanaFields ? { sourceIp: slots.slotOf('source.ip'), userName: slots.slotOf('user.name') } : undefined;
  // Field-less values see the constants of the audit views too: give each of them a slot.
  if (allLeaves || presence.length > 0) for (const name of Object.keys(AUDIT_CONSTANTS)) slots.slotOf(name);
  return {
    slots: slots.slots,
    nested,
    sources: slots.sources,
    consts: slots.consts,
    leaves: leaves.leaves,
    rules: compiled,
    options: opts,
    allLeaves,
    presence,
    fieldTypes: allLeaves || presence.length > 0 ? fieldTypeEntries(fields) : [],
    reasonSlots,
  };
}

/** The field table as the evaluator reads it: exact names first, then the globs in order. */
function fieldTypeEntries(fields: FieldTable): ProgramIR['fieldTypes'] {
  const data = fields.toData() as { fields: Record<string, string> };
  const entries = Object.entries(data.fields);
  const exact = entries.filter(([name]) => !name.includes('*')).map(([name, type]) => ({ glob: null, name, sig: typeSigOf(type) }));
  const globs = fields.globPatterns().map((pattern) => ({ glob: globParts(pattern), name: pattern, sig: typeSigOf(fields.globType(pattern) ?? 'keyword') }));
  return [...exact, ...globs];
}
