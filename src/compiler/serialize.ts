// ProgramIR -> the binary program of format.ts: a header, a section table, then fixed-size tables
// and one data blob. Path tries are built here from the plans' source paths.
import {
  PROGRAM_MAGIC, PROGRAM_VERSION, HEADER_SIZE, Section, SLOT_SIZE, PLAN_SIZE, NODE_SIZE, EDGE_SIZE, REF_SIZE, CONST_SIZE,
  LEAF_SIZE, EXPR_SIZE, RULE_SIZE, PREF_GROUP_SIZE, PREF_LIT_SIZE, FRAG_SIZE, THREAT_SIZE, OPTIONS_SIZE, Plan, PLAN_DROP_EMPTY,
  NODE_DEDOT_KEYS, NODE_NESTED, NODE_RECORD_AT, NODE_RECORD_BELOW, ExprOp, Frag, NO_SLOT, NUMERIC_KIND, OPTION_DESCRIPTION, OPTION_ALL_LEAVES, OPTION_KIBANA_FIELDS,
  RULE_FLAG_NEW_TERMS, RULE_FLAG_SEQUENCE, RULE_FLAG_ESQL, RULE_FLAG_ESQL_STATS, ESQL_PIPE_SIZE, ESQL_OUTPUT_SIZE, ESQL_DFA_SIZE, ESQL_PIKE_SIZE,
} from './format.js';
import { esqlCode, wordsToBytes } from './esql-serialize.js';
import { statsCode } from './esql-stats-serialize.js';
import { sourcesOf, viewRules, presenceSources } from './ecs-sources.js';
import type { ProgramIR, ExprIR } from './ir.js';
import { utf8, lengthPrefixed } from './operands.js';
import { prefilterStrength } from './prefilter.js';

/** Growable little-endian table writer. */
class Table {
  private bytes = new Uint8Array(256);
  private view = new DataView(this.bytes.buffer);
  length = 0;

  private room(n: number): void {
    if (this.length + n <= this.bytes.length) return;
    let size = this.bytes.length * 2;
    while (size < this.length + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.bytes.subarray(0, this.length));
    this.bytes = next;
    this.view = new DataView(next.buffer);
  }
  u8(v: number) { this.room(1); this.view.setUint8(this.length, v); this.length += 1; return this; }
  u16(v: number) { this.room(2); this.view.setUint16(this.length, v, true); this.length += 2; return this; }
  u32(v: number) { this.room(4); this.view.setUint32(this.length, v >>> 0, true); this.length += 4; return this; }
  i64(v: bigint) { this.room(8); this.view.setBigInt64(this.length, v, true); this.length += 8; return this; }
  u64(v: bigint) { this.room(8); this.view.setBigUint64(this.length, v, true); this.length += 8; return this; }
  raw(b: Uint8Array) { this.room(b.length); this.bytes.set(b, this.length); this.length += b.length; return this; }
  pad(n: number) { for (let i = 0; i < n; i++) this.u8(0); return this; }
  result(): Uint8Array { return this.bytes.slice(0, this.length); }
}

/** The data blob: byte strings stored once, referenced by (offset, length). */
class Blob {
  readonly table = new Table();
  private readonly seen = new Map<string, number>();
  add(b: Uint8Array): [number, number] {
    if (b.length === 0) return [0, 0];
    const key = Buffer.from(b).toString('latin1');
    const known = this.seen.get(key);
    if (known !== undefined) return [known, b.length];
    const at = this.table.length;
    this.table.raw(b);
    this.seen.set(key, at);
    return [at, b.length];
  }
  str(s: string): [number, number] {
    return this.add(utf8(s));
  }
}

interface TrieNode {
  edges: Map<string, TrieNode>;
  refs: { slot: number; transform: number }[];
  dedot: boolean;
  /** Nested id + 1 when this node is a nested path (0: not one). */
  nested: number;
  /** NODE_RECORD_BELOW / NODE_RECORD_AT (exists on an object field). */
  record: number;
  index: number;
}

const newNode = (): TrieNode => ({ edges: new Map(), refs: [], dedot: false, nested: 0, record: 0, index: -1 });

/** The node at `path` under `root`, created as needed. */
function nodeAt(root: TrieNode, path: string[], dedotLast: boolean): TrieNode {
  let node = root;
  path.forEach((seg, i) => {
    if (i === path.length - 1 && dedotLast) node.dedot = true;
    let next = node.edges.get(seg);
    if (!next) {
      next = newNode();
      node.edges.set(seg, next);
    }
    node = next;
  });
  return node;
}

function buildTries(ir: ProgramIR): TrieNode[] {
  const roots = [newNode(), newNode(), newNode(), newNode()];
  for (const s of ir.sources) nodeAt(roots[s.plan], s.path, s.dedotLast).refs.push({ slot: s.slot, transform: s.transform });
  ir.nested.forEach((name, id) => {
    for (const s of sourcesOf(name)) nodeAt(roots[s.plan], s.path, s.dedotLast).nested = id + 1;
  });
  for (const name of ir.presence) {
    for (const s of presenceSources(name)) nodeAt(roots[s.plan], s.path, s.dedotLast).record |= s.at ? NODE_RECORD_AT : NODE_RECORD_BELOW;
  }
  return roots;
}

export function serializeProgram(ir: ProgramIR): Uint8Array {
  const blob = new Blob();
  const sections = new Map<Section, Table>();
  // Every section is present, even when empty, so a reader never keeps another program's table.
  for (const id of Object.values(Section)) if (typeof id === 'number') sections.set(id, new Table());
  const table = (s: Section) => {
    let t = sections.get(s);
    if (!t) sections.set(s, (t = new Table()));
    return t;
  };

  for (const slot of ir.slots) {
    const [off, len] = blob.str(slot.name);
    table(Section.Slots).u8(slot.type).u8(NUMERIC_KIND[slot.esType] ?? 0).u16(slot.flags).u32(slot.ignoreAbove).u32(off).u32(len);
  }

  // Tries: nodes breadth-first per plan so every node's edges are contiguous.
  const roots = buildTries(ir);
  const order: TrieNode[] = [];
  for (const root of roots) {
    const queue = [root];
    while (queue.length) {
      const n = queue.shift()!;
      n.index = order.length;
      order.push(n);
      queue.push(...n.edges.values());
    }
  }
  let edgeCount = 0;
  let refCount = 0;
  for (const n of order) {
    if (n.edges.size > 0xffff) throw new Error('too many keys under one object');
    table(Section.Nodes).u32(edgeCount).u16(n.edges.size).u16((n.dedot ? NODE_DEDOT_KEYS : 0) | n.record | (n.nested ? NODE_NESTED | ((n.nested - 1) << 8) : 0)).u32(refCount).u32(n.refs.length);
    for (const [seg, child] of n.edges) {
      const [off, len] = blob.str(seg);
      table(Section.Edges).u32(off).u32(len).u32(child.index);
      edgeCount++;
    }
    for (const r of n.refs) {
      table(Section.Refs).u16(r.slot).u16(r.transform);
      refCount++;
    }
  }
  for (let plan = 0; plan < 4; plan++) {
    const consts = ir.consts.filter((c) => c.plan === plan);
    const start = table(Section.Consts).length / CONST_SIZE;
    for (const c of consts) {
      const [off, len] = blob.str(c.value);
      table(Section.Consts).u32(c.slot).u32(off).u32(len);
    }
    table(Section.Plans).u32(plan === Plan.Ecs ? 0 : PLAN_DROP_EMPTY).u32(roots[plan].index).u32(start).u32(consts.length);
  }

  for (const leaf of ir.leaves) {
    const [off, len] = blob.add(leaf.data);
    table(Section.Leaves).u16(leaf.slot).u8(leaf.op).u8(leaf.flags).u32(off).u32(len).u32(leaf.aux);
  }

  // Expressions: children first, so an index always points backwards.
  const exprs = table(Section.Expr);
  const kids = table(Section.ExprKids);
  let exprCount = 0;
  // An and inside an and (an or inside an or) is spliced into its parent: the evaluator then orders
  // all of them together (ES|QL's WHERE chains nest ten deep) and makes fewer calls.
  const flat = (e: ExprIR & { children: ExprIR[] }): ExprIR[] => e.children.flatMap((c) => (c.op === e.op ? flat(c as ExprIR & { children: ExprIR[] }) : [c]));
  const emit = (e: ExprIR): number => {
    let a = 0;
    let b = 0;
    if (e.op === ExprOp.Leaf) a = e.leaf;
    else if (e.op === ExprOp.And || e.op === ExprOp.Or) {
      const children = flat(e).map(emit);
      a = kids.length / 4;
      b = children.length;
      for (const c of children) kids.u32(c);
    } else if (e.op === ExprOp.Not) a = emit(e.child);
    else if (e.op === ExprOp.Nested) {
      a = emit(e.child);
      b = e.nested;
    }
    exprs.u8(e.op).pad(3).u32(a).u32(b);
    return exprCount++;
  };

  const lits = new Map<string, number>();
  const litIndex = (s: string) => {
    let i = lits.get(s);
    if (i === undefined) {
      i = lits.size;
      lits.set(s, i);
      const [off, len] = blob.str(s);
      table(Section.PrefLits).u32(off).u32(len);
    }
    return i;
  };

  let fragIndex = 0;
  let threatIndex = 0;
  for (const rule of ir.rules) {
    const root = emit(rule.expr);
    const groupStart = table(Section.PrefGroups).length / PREF_GROUP_SIZE;
    for (const g of rule.prefilter) {
      const memberStart = table(Section.PrefMembers).length / 4;
      for (const lit of g) table(Section.PrefMembers).u32(litIndex(lit));
      table(Section.PrefGroups).u32(memberStart).u32(g.length);
    }
    for (let k = 0; k < Frag.Count; k++) {
      const [off, len] = blob.str(rule.frags[k] ?? '');
      table(Section.Frags).u32(off).u32(len);
    }
    for (const t of rule.threats) {
      const [off, len] = blob.str(t.json);
      table(Section.Threats).u32(t.field).u32(off).u32(len);
    }
    const nt = rule.newTerms;
    let sequenceIndex = 0;
    if (rule.sequence) {
      // Stage expressions are emitted on their own: the module evaluates each stage separately.
      const seq = rule.sequence;
      sequenceIndex = table(Section.Sequences).length / 32;
      const firstStage = table(Section.SeqStages).length / 16;
      for (const stage of [...seq.stages, ...(seq.until ? [seq.until] : [])]) {
        const e = emit(stage.expr);
        table(Section.SeqStages).u32(e);
        for (let k = 0; k < 3; k++) table(Section.SeqStages).u32(stage.keySlots[k] ?? 0);
      }
      table(Section.Sequences).u32(seq.stages.length).u32(firstStage).u32(seq.stages[0].keySlots.length).u32(seq.idSlot).i64(BigInt(seq.maxspanMs ?? -1));
      table(Section.Sequences).u32(seq.until ? 1 : 0).u32(0);
    }
    let esqlIndex = 0;
    if (rule.esql) {
      const esql = rule.esql;
      esqlIndex = table(Section.EsqlPipes).length / ESQL_PIPE_SIZE;
      const dfaBase = table(Section.EsqlDfas).length / ESQL_DFA_SIZE;
      const pikeBase = table(Section.EsqlPikes).length / ESQL_PIKE_SIZE;
      for (const d of esql.dfas) {
        const [classOff] = blob.add(d.classOf);
        const [nextOff] = blob.add(new Uint8Array(d.next.buffer, d.next.byteOffset, d.next.byteLength));
        const [acceptOff] = blob.add(d.accept);
        table(Section.EsqlDfas).u32(d.states).u32(d.classes).u32(d.start).u32(classOff).u32(nextOff).u32(acceptOff);
      }
      for (const pk of esql.pikes) {
        const words = pk.insts.flatMap((i) => [i.op, i.a, i.b]);
        const [off] = blob.add(wordsToBytes(words));
        table(Section.EsqlPikes).u32(off).u32(pk.insts.length).u32(2 * (pk.groups + 1));
      }
      const code = esqlCode(esql, { str: (s) => blob.str(s), bytes: (b) => blob.add(b), expr: emit }, dfaBase, pikeBase);
      const [codeOff] = blob.add(wordsToBytes(code));
      const outFirst = table(Section.EsqlOutputs).length / ESQL_OUTPUT_SIZE;
      for (const o of esql.outputs) {
        const [nameOff, nameLen] = blob.str(JSON.stringify(o.name));
        table(Section.EsqlOutputs).u32(nameOff).u32(nameLen).u32(o.reg);
      }
      table(Section.EsqlPipes).u32(codeOff).u32(code.length).u32(esql.registers).u32(outFirst).u32(esql.outputs.length);
      if (esql.stats) {
        const words = statsCode(esql.stats, (s) => blob.str(s));
        const [statsOff] = blob.add(wordsToBytes(words));
        table(Section.EsqlStats).u32(esqlIndex).u32(statsOff).u32(words.length).u32(0).i64(BigInt(esql.stats.lookbackMs));
      }
    }
    const r = table(Section.Rules);
    r.u32(root).u32(groupStart).u32(rule.prefilter.length).u32((nt ? RULE_FLAG_NEW_TERMS : 0) | (rule.sequence ? RULE_FLAG_SEQUENCE : 0) | (rule.esql ? RULE_FLAG_ESQL : 0) | (rule.esql?.stats ? RULE_FLAG_ESQL_STATS : 0));
    r.u32(nt ? nt.slots.length : 0);
    for (let k = 0; k < 3; k++) r.u32(nt && k < nt.slots.length ? nt.slots[k] : 0);
    r.i64(BigInt(nt ? nt.windowMs : 0));
    r.u32(rule.timeSlot ?? NO_SLOT).u32(rule.severity).u32(rule.riskScore).u32(fragIndex).u32(threatIndex).u32(rule.threats.length);
    r.u64(rule.stateKey).u32(sequenceIndex).u32(esqlIndex);
    fragIndex += Frag.Count;
    threatIndex += rule.threats.length;
  }

  // View rules (every plan) and the field table: only needed when leaves are found by path.
  if (ir.allLeaves || ir.presence.length > 0) {
    viewRules().forEach((rules, plan) => {
      for (const rule of rules) {
        const [rawOff, rawLen] = blob.str(rule.raw);
        const [viewOff, viewLen] = blob.str(rule.view);
        table(Section.ViewRules).u8(plan).u8(rule.kind).u8(rule.flags).u8(0).u32(rawOff).u32(rawLen).u32(viewOff).u32(viewLen);
      }
    });
    for (const entry of ir.fieldTypes) {
      const [off, len] = entry.glob ? blob.add(lengthPrefixed(entry.glob)) : blob.str(entry.name);
      table(Section.FieldTypes).u8(entry.glob ? 1 : 0).u8(entry.sig).u16(entry.glob ? entry.glob.length : 0).u32(off).u32(len);
    }
  }

  // The order in which the evaluator looks for one rule that may match: weakest prefilter first.
  const tryOrder = ir.rules.map((r, i) => ({ i, strength: prefilterStrength(r.prefilter) })).sort((a, b) => a.strength - b.strength || a.i - b.i);
  for (const { i } of tryOrder) table(Section.PrefOrder).u32(i);

  const o = ir.options;
  const opts = table(Section.Options);
  opts.u32(o.outputMode).u32(Math.min(o.newTermsBudgetBytes, 0xffffffff)).i64(BigInt(o.learningMs));
  const [pathOff, pathLen] = blob.str(o.stateFile);
  const flags = (o.includeDescription ? OPTION_DESCRIPTION : 0) | (ir.allLeaves ? OPTION_ALL_LEAVES : 0) | (ir.reasonSlots ? OPTION_KIBANA_FIELDS : 0);
  opts.u32(o.snapshotEveryRecords).u32(pathOff).u32(pathLen).u32(o.statsEveryRecords).u32(flags);
  opts.u32(o.snapshotEverySeconds);
  opts.u32(ir.reasonSlots?.sourceIp ?? NO_SLOT).u32(ir.reasonSlots?.userName ?? NO_SLOT);
  opts.u32(Math.min(o.sequenceBudgetBytes ?? 0, 0xffffffff));
  opts.u32(Math.min(o.windowBudgetBytes ?? 32 * 1024 * 1024, 0xffffffff));
  opts.pad(OPTIONS_SIZE - opts.length);

  sections.set(Section.Data, blob.table);
  const order2 = [...sections.entries()];
  const dir = new Table();
  let offset = HEADER_SIZE + order2.length * 12;
  const padded = order2.map(([id, t]) => {
    const bytes = t.result();
    const at = offset;
    offset += bytes.length + ((8 - (bytes.length % 8)) % 8);
    dir.u32(id).u32(at).u32(bytes.length);
    return { at, bytes };
  });
  const out = new Uint8Array(offset);
  const head = new DataView(out.buffer);
  head.setUint32(0, PROGRAM_MAGIC, true);
  head.setUint16(4, PROGRAM_VERSION, true);
  head.setUint32(8, offset, true);
  head.setUint32(12, order2.length, true);
  out.set(dir.result(), HEADER_SIZE);
  for (const p of padded) out.set(p.bytes, p.at);
  return out;
}

/** Sizes checked against format.ts at module load, so a layout change cannot go unnoticed. */
export const TABLE_SIZES = { SLOT_SIZE, PLAN_SIZE, NODE_SIZE, EDGE_SIZE, REF_SIZE, CONST_SIZE, LEAF_SIZE, EXPR_SIZE, RULE_SIZE, PREF_GROUP_SIZE, PREF_LIT_SIZE, FRAG_SIZE, THREAT_SIZE };
