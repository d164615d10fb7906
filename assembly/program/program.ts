// The loaded rule program: where each section lives in linear memory and how many entries it has.
// A program is loaded once (from the module's own data or from the host) and then only read.
import {
  PROGRAM_MAGIC, PROGRAM_VERSION, HEADER_SIZE, Section, SLOT_SIZE, PLAN_SIZE, NODE_SIZE, EDGE_SIZE, REF_SIZE,
  CONST_SIZE, LEAF_SIZE, EXPR_SIZE, RULE_SIZE, PREF_GROUP_SIZE, PREF_LIT_SIZE, FRAG_SIZE, THREAT_SIZE,
  OPTIONS_SIZE, Probe, Frag, VIEW_RULE_SIZE, FIELD_TYPE_SIZE, TYPE_SIG_COUNT, SEQUENCE_SIZE, SEQ_STAGE_SIZE, RULE_FLAG_SEQUENCE,
} from './format';
import { setEsqlSection, validateEsql, resetEsqlSections } from './esql-sections';
import { validateJsonPieces } from './json-pieces';
import { setStatsSection, validateStats, resetStatsSection } from './stats-section';

export let loaded: bool = false;
export let base: usize = 0; // the program's bytes (owned copy)
export let total: u32 = 0;

export let dataPtr: usize = 0;
export let dataLen: u32 = 0;
export let slots: usize = 0;
export let slotCount: u32 = 0;
export let plans: usize = 0;
export let planCount: u32 = 0;
export let nodes: usize = 0;
export let nodeCount: u32 = 0;
export let edges: usize = 0;
export let edgeCount: u32 = 0;
export let refs: usize = 0;
export let refCount: u32 = 0;
export let consts: usize = 0;
export let constCount: u32 = 0;
export let leaves: usize = 0;
export let leafCount: u32 = 0;
export let exprs: usize = 0;
export let exprCount: u32 = 0;
export let exprKids: usize = 0;
export let exprKidCount: u32 = 0;
export let rules: usize = 0;
export let ruleCount: u32 = 0;
export let prefGroups: usize = 0;
export let prefGroupCount: u32 = 0;
export let prefLits: usize = 0;
export let prefLitCount: u32 = 0;
export let prefMembers: usize = 0;
export let prefMemberCount: u32 = 0;
export let frags: usize = 0;
export let fragCount: u32 = 0;
export let threats: usize = 0;
export let threatCount: u32 = 0;
export let options: usize = 0;
export let prefilterOrder: usize = 0; // rule indexes, weakest prefilter first
export let prefilterOrderCount: u32 = 0;
export let viewRules: usize = 0;
export let viewRuleCount: u32 = 0;
export let fieldTypes: usize = 0;
export let fieldTypeCount: u32 = 0;

/** Load a program from `len` bytes at `src` (copied). Returns 0 on success or an error code. */
export function loadProgram(src: usize, len: u32): i32 {
  loaded = false;
  if (len < HEADER_SIZE) return 1;
  if (load<u32>(src) != PROGRAM_MAGIC) return 2;
  if (<u32>load<u16>(src, 4) != PROGRAM_VERSION) return 3;
  if (load<u32>(src, 8) != len) return 4;
  // A program replaces the previous one (the generic evaluator is reloaded by tests): free its copy.
  if (base != 0) heap.free(base);
  const copy = heap.alloc(<usize>len + 8);
  memory.copy(copy, src, len);
  base = copy;
  total = len;
  resetSections();
  const sectionCount = load<u32>(copy, 12);
  if (<u64>HEADER_SIZE + <u64>sectionCount * 12 > <u64>len) return 5;
  // Every section must lie inside the program; every fixed-size table must hold whole entries.
  let sawOptions = false;
  for (let i: u32 = 0; i < sectionCount; i++) {
    const e = copy + HEADER_SIZE + i * 12;
    const id = load<u32>(e);
    const off = load<u32>(e, 4);
    const n = load<u32>(e, 8);
    if (<u64>off + <u64>n > <u64>len) return 6;
    const p = copy + off;
    if (id == Section.Data) { dataPtr = p; dataLen = n; }
    else if (id == Section.Slots) { if (n % SLOT_SIZE) return 7; slots = p; slotCount = n / SLOT_SIZE; }
    else if (id == Section.Plans) { if (n % PLAN_SIZE) return 7; plans = p; planCount = n / PLAN_SIZE; }
    else if (id == Section.Nodes) { if (n % NODE_SIZE) return 7; nodes = p; nodeCount = n / NODE_SIZE; }
    else if (id == Section.Edges) { if (n % EDGE_SIZE) return 7; edges = p; edgeCount = n / EDGE_SIZE; }
    else if (id == Section.Refs) { if (n % REF_SIZE) return 7; refs = p; refCount = n / REF_SIZE; }
    else if (id == Section.Consts) { if (n % CONST_SIZE) return 7; consts = p; constCount = n / CONST_SIZE; }
    else if (id == Section.Leaves) { if (n % LEAF_SIZE) return 7; leaves = p; leafCount = n / LEAF_SIZE; }
    else if (id == Section.Expr) { if (n % EXPR_SIZE) return 7; exprs = p; exprCount = n / EXPR_SIZE; }
    else if (id == Section.ExprKids) { if (n % 4) return 7; exprKids = p; exprKidCount = n / 4; }
    else if (id == Section.Rules) { if (n % RULE_SIZE) return 7; rules = p; ruleCount = n / RULE_SIZE; }
    else if (id == Section.PrefGroups) { if (n % PREF_GROUP_SIZE) return 7; prefGroups = p; prefGroupCount = n / PREF_GROUP_SIZE; }
    else if (id == Section.PrefLits) { if (n % PREF_LIT_SIZE) return 7; prefLits = p; prefLitCount = n / PREF_LIT_SIZE; }
    else if (id == Section.PrefMembers) { if (n % 4) return 7; prefMembers = p; prefMemberCount = n / 4; }
    else if (id == Section.PrefOrder) { if (n % 4) return 7; prefilterOrder = p; prefilterOrderCount = n / 4; }
    else if (id == Section.ViewRules) { if (n % VIEW_RULE_SIZE) return 7; viewRules = p; viewRuleCount = n / VIEW_RULE_SIZE; }
    else if (id == Section.FieldTypes) { if (n % FIELD_TYPE_SIZE) return 7; fieldTypes = p; fieldTypeCount = n / FIELD_TYPE_SIZE; }
    else if (id == Section.Frags) { if (n % FRAG_SIZE) return 7; frags = p; fragCount = n / FRAG_SIZE; }
    else if (id == Section.Threats) { if (n % THREAT_SIZE) return 7; threats = p; threatCount = n / THREAT_SIZE; }
    else if (id == Section.Sequences) { if (n % SEQUENCE_SIZE) return 7; sequences = p; sequenceCount = n / SEQUENCE_SIZE; }
    else if (id == Section.SeqStages) { if (n % SEQ_STAGE_SIZE) return 7; seqStages = p; seqStageCount = n / SEQ_STAGE_SIZE; }
    else if (id == Section.Options) { if (n < OPTIONS_SIZE) return 7; options = p; sawOptions = true; }
    else if (id == Section.EsqlStats) { if (setStatsSection(id, p, n) == 7) return 7; }
    else { const e = setEsqlSection(id, p, n); if (e == 7) return 7; }
  }
  if (!sawOptions || slotCount < Probe.Count || planCount < 4) return 8;
  const err = validateReferences();
  if (err != 0) return err;
  loaded = true;
  return 0;
}

/** Forgets the previous program's tables (a section a program leaves out is empty, not stale). */
function resetSections(): void {
  dataPtr = 0; dataLen = 0;
  slots = 0; slotCount = 0;
  plans = 0; planCount = 0;
  nodes = 0; nodeCount = 0;
  edges = 0; edgeCount = 0;
  refs = 0; refCount = 0;
  consts = 0; constCount = 0;
  leaves = 0; leafCount = 0;
  exprs = 0; exprCount = 0;
  exprKids = 0; exprKidCount = 0;
  rules = 0; ruleCount = 0;
  prefGroups = 0; prefGroupCount = 0;
  prefLits = 0; prefLitCount = 0;
  prefMembers = 0; prefMemberCount = 0;
  frags = 0; fragCount = 0;
  threats = 0; threatCount = 0;
  options = 0;
  prefilterOrder = 0; prefilterOrderCount = 0;
  viewRules = 0; viewRuleCount = 0;
  fieldTypes = 0; fieldTypeCount = 0;
  sequences = 0; sequenceCount = 0;
  resetEsqlSections();
  resetStatsSection();
  seqStages = 0; seqStageCount = 0;
}

/** A data reference (offset, length) must lie inside the data section. */
@inline function dataRefOk(off: u32, n: u32): bool {
  return <u64>off + <u64>n <= <u64>dataLen;
}

/** Checks every index and data reference once, so the hot path can read the tables without bounds checks. */
function validateReferences(): i32 {
  for (let i: u32 = 0; i < slotCount; i++) if (!dataRefOk(load<u32>(slots + i * SLOT_SIZE, 8), load<u32>(slots + i * SLOT_SIZE, 12))) return 20;
  for (let i: u32 = 0; i < planCount; i++) {
    const p = plans + i * PLAN_SIZE;
    if (load<u32>(p, 4) >= nodeCount) return 21;
    if (<u64>load<u32>(p, 8) + <u64>load<u32>(p, 12) > <u64>constCount) return 21;
  }
  for (let i: u32 = 0; i < nodeCount; i++) {
    const n = nodes + i * NODE_SIZE;
    if (<u64>load<u32>(n) + <u64>load<u16>(n, 4) > <u64>edgeCount) return 22;
    if (<u64>load<u32>(n, 8) + <u64>load<u32>(n, 12) > <u64>refCount) return 22;
  }
  for (let i: u32 = 0; i < edgeCount; i++) {
    const e = edges + i * EDGE_SIZE;
    if (!dataRefOk(load<u32>(e), load<u32>(e, 4)) || load<u32>(e, 8) >= nodeCount) return 23;
  }
  for (let i: u32 = 0; i < refCount; i++) if (<u32>load<u16>(refs + i * REF_SIZE) >= slotCount) return 24;
  for (let i: u32 = 0; i < constCount; i++) {
    const c = consts + i * CONST_SIZE;
    if (load<u32>(c) >= slotCount || !dataRefOk(load<u32>(c, 4), load<u32>(c, 8))) return 25;
  }
  for (let i: u32 = 0; i < leafCount; i++) {
    const l = leaves + i * LEAF_SIZE;
    if (<u32>load<u16>(l) >= slotCount || !dataRefOk(load<u32>(l, 4), load<u32>(l, 8))) return 26;
  }
  for (let i: u32 = 0; i < exprCount; i++) {
    const x = exprs + i * EXPR_SIZE;
    const op = <u32>load<u8>(x);
    const a = load<u32>(x, 4);
    const b = load<u32>(x, 8);
    if (op == 2 && a >= leafCount) return 27;
    if ((op == 3 || op == 4) && <u64>a + <u64>b > <u64>exprKidCount) return 27;
    // Children always come before their parent: evaluation depth is bounded and there are no cycles.
    if ((op == 5 || op == 6) && a >= i) return 27;
    if (op == 6 && b > 254) return 27;
    if (op > 6) return 27;
  }
  for (let i: u32 = 0; i < exprCount; i++) {
    const x = exprs + i * EXPR_SIZE;
    const op = <u32>load<u8>(x);
    if (op == 3 || op == 4) {
      const a = load<u32>(x, 4);
      const b = load<u32>(x, 8);
      for (let k: u32 = 0; k < b; k++) if (load<u32>(exprKids + (a + k) * 4) >= i) return 28;
    }
  }
  for (let i: u32 = 0; i < ruleCount; i++) {
    const r = rules + i * RULE_SIZE;
    if (load<u32>(r) >= exprCount) return 29;
    if (<u64>load<u32>(r, 4) + <u64>load<u32>(r, 8) > <u64>prefGroupCount) return 29;
    const nt = load<u32>(r, 16);
    if (nt > 3) return 29;
    for (let k: u32 = 0; k < nt; k++) if (load<u32>(r + 20 + <usize>k * 4) >= slotCount) return 29;
    const ts = load<u32>(r, 40);
    if (ts != 0xffffffff && ts >= slotCount) return 29;
    if (<u64>load<u32>(r, 52) + <u64>Frag.Count > <u64>fragCount) return 29;
    if (<u64>load<u32>(r, 56) + <u64>load<u32>(r, 60) > <u64>threatCount) return 29;
  }
  for (let i: u32 = 0; i < prefGroupCount; i++) {
    const g = prefGroups + i * PREF_GROUP_SIZE;
    if (<u64>load<u32>(g) + <u64>load<u32>(g, 4) > <u64>prefMemberCount) return 30;
  }
  for (let i: u32 = 0; i < prefMemberCount; i++) if (load<u32>(prefMembers + <usize>i * 4) >= prefLitCount) return 30;
  for (let i: u32 = 0; i < prefLitCount; i++) {
    const l = prefLits + i * PREF_LIT_SIZE;
    if (!dataRefOk(load<u32>(l), load<u32>(l, 4)) || load<u32>(l, 4) == 0) return 31;
  }
  for (let i: u32 = 0; i < fragCount; i++) {
    const f = frags + i * FRAG_SIZE;
    if (!dataRefOk(load<u32>(f), load<u32>(f, 4))) return 32;
  }
  for (let i: u32 = 0; i < threatCount; i++) {
    const t = threats + i * THREAT_SIZE;
    if (load<u32>(t) >= 10 || !dataRefOk(load<u32>(t, 4), load<u32>(t, 8))) return 33;
  }
  for (let i: u32 = 0; i < viewRuleCount; i++) {
    const r = viewRules + <usize>i * VIEW_RULE_SIZE;
    if (<u32>load<u8>(r) >= planCount || !dataRefOk(load<u32>(r, 4), load<u32>(r, 8)) || !dataRefOk(load<u32>(r, 12), load<u32>(r, 16))) return 35;
  }
  for (let i: u32 = 0; i < fieldTypeCount; i++) {
    const t = fieldTypes + <usize>i * FIELD_TYPE_SIZE;
    if (<u32>load<u8>(t, 1) >= TYPE_SIG_COUNT || !dataRefOk(load<u32>(t, 4), load<u32>(t, 8))) return 36;
  }
  // AnyField leaves: one sub-leaf per type signature, each an ordinary leaf.
  for (let i: u32 = 0; i < leafCount; i++) {
    const l = leaves + <usize>i * LEAF_SIZE;
    if (<u32>load<u8>(l, 2) != 16) continue;
    if (<u64>load<u32>(l, 8) < <u64>TYPE_SIG_COUNT * 4) return 37;
    const d = dataPtr + <usize>load<u32>(l, 4);
    for (let k: u32 = 0; k < TYPE_SIG_COUNT; k++) {
      const sub = load<u32>(d + <usize>k * 4);
      if (sub >= leafCount || <u32>load<u8>(leaves + <usize>sub * LEAF_SIZE, 2) == 16) return 37;
    }
  }
  const seqErr = validateSequences();
  if (seqErr != 0) return seqErr;
  const esqlErr = validateEsql();
  if (esqlErr != 0) return esqlErr;
  const statsErr = validateStats();
  if (statsErr != 0) return statsErr;
  if (prefilterOrderCount != ruleCount) return 38;
  for (let i: u32 = 0; i < prefilterOrderCount; i++) if (load<u32>(prefilterOrder + <usize>i * 4) >= ruleCount) return 38;
  for (let k: u32 = 0; k < 2; k++) {
    const slot = load<u32>(options + 40 + <usize>k * 4);
    if (slot != 0xffffffff && slot >= slotCount) return 39;
  }
  const sp = load<u32>(options, 20);
  const sl = load<u32>(options, 24);
  if (!dataRefOk(sp, sl)) return 34;
  return validateJsonPieces();
}

/** EQL sequences (sections 21, 22): their stages, expressions and join-key slots. */
export let sequences: usize = 0;
export let sequenceCount: u32 = 0;
export let seqStages: usize = 0;
export let seqStageCount: u32 = 0;
/** Most stages of one sequence (the state keeps one time and identity per stage). */
export const MAX_SEQ_STAGES: u32 = 8;

function validateSequences(): i32 {
  for (let i: u32 = 0; i < sequenceCount; i++) {
    const s = sequences + <usize>i * SEQUENCE_SIZE;
    const stages = load<u32>(s);
    const keys = load<u32>(s, 8);
    if (stages < 2 || stages > MAX_SEQ_STAGES || keys > 3) return 41;
    const withUntil = (load<u32>(s, 24) & 1) != 0 ? 1 : 0;
    if (<u64>load<u32>(s, 4) + <u64>stages + <u64>withUntil > <u64>seqStageCount) return 41;
  }
  for (let i: u32 = 0; i < seqStageCount; i++) {
    const st = seqStages + <usize>i * SEQ_STAGE_SIZE;
    if (load<u32>(st) >= exprCount) return 41;
    for (let k: u32 = 0; k < 3; k++) if (load<u32>(st + 4 + <usize>k * 4) >= slotCount) return 41;
  }
  for (let i: u32 = 0; i < sequenceCount; i++) {
    const idSlot = load<u32>(sequences + <usize>i * SEQUENCE_SIZE, 12);
    if (idSlot != 0xffffffff && idSlot >= slotCount) return 41;
  }
  for (let i: u32 = 0; i < ruleCount; i++) {
    const r = rules + <usize>i * RULE_SIZE;
    if ((load<u32>(r, 12) & RULE_FLAG_SEQUENCE) && load<u32>(r, 72) >= sequenceCount) return 41;
  }
  return 0;
}
