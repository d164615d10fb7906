// ES|QL pipeline tables of a program (sections 23-26, docs/program-format.md): located when the
// program loads and checked in full, so evaluating them can never read outside the program,
// loop, or recurse without bound.
import { dataPtr, dataLen, slotCount, exprCount, rules, ruleCount } from './program';
import { Section, RULE_SIZE, RULE_FLAG_ESQL, ESQL_PIPE_SIZE, ESQL_OUTPUT_SIZE, ESQL_DFA_SIZE, ESQL_PIKE_SIZE } from './format';

export let esqlPipes: usize = 0;
export let esqlPipeCount: u32 = 0;
export let esqlOutputs: usize = 0;
export let esqlOutputCount: u32 = 0;
export let esqlDfas: usize = 0;
export let esqlDfaCount: u32 = 0;
export let esqlPikes: usize = 0;
export let esqlPikeCount: u32 = 0;

/** Bounds the module enforces (the compiler stays within them). */
export const MAX_ESQL_REGISTERS: u32 = 1024;
export const MAX_PIKE_INSTS: u32 = 1024;
export const MAX_PIKE_SLOTS: u32 = 64;

export function resetEsqlSections(): void {
  esqlPipes = 0; esqlPipeCount = 0;
  esqlOutputs = 0; esqlOutputCount = 0;
  esqlDfas = 0; esqlDfaCount = 0;
  esqlPikes = 0; esqlPikeCount = 0;
}

/** Records an ES|QL section; 0 when `id` is not one, 7 for a torn table, else 1. */
export function setEsqlSection(id: u32, p: usize, n: u32): i32 {
  if (id == Section.EsqlPipes) { if (n % ESQL_PIPE_SIZE) return 7; esqlPipes = p; esqlPipeCount = n / ESQL_PIPE_SIZE; return 1; }
  if (id == Section.EsqlOutputs) { if (n % ESQL_OUTPUT_SIZE) return 7; esqlOutputs = p; esqlOutputCount = n / ESQL_OUTPUT_SIZE; return 1; }
  if (id == Section.EsqlDfas) { if (n % ESQL_DFA_SIZE) return 7; esqlDfas = p; esqlDfaCount = n / ESQL_DFA_SIZE; return 1; }
  if (id == Section.EsqlPikes) { if (n % ESQL_PIKE_SIZE) return 7; esqlPikes = p; esqlPikeCount = n / ESQL_PIKE_SIZE; return 1; }
  return 0;
}

@inline function inData(off: u32, len: u64): bool {
  return <u64>off + len <= <u64>dataLen;
}

const ERR: i32 = 42;

export function validateEsql(): i32 {
  for (let i: u32 = 0; i < ruleCount; i++) {
    const r = rules + <usize>i * RULE_SIZE;
    if ((load<u32>(r, 12) & RULE_FLAG_ESQL) && load<u32>(r, 76) >= esqlPipeCount) return ERR;
  }
  for (let i: u32 = 0; i < esqlDfaCount; i++) {
    const d = esqlDfas + <usize>i * ESQL_DFA_SIZE;
    const states = load<u32>(d);
    const classes = load<u32>(d, 4);
    if (states == 0 || states > 0xffff || classes == 0 || classes > 256 || load<u32>(d, 8) >= states) return ERR;
    if (!inData(load<u32>(d, 12), 256) || !inData(load<u32>(d, 16), <u64>states * classes * 2) || !inData(load<u32>(d, 20), states)) return ERR;
    const classOf = dataPtr + <usize>load<u32>(d, 12);
    for (let b: u32 = 0; b < 256; b++) if (<u32>load<u8>(classOf + b) >= classes) return ERR;
    const next = dataPtr + <usize>load<u32>(d, 16);
    for (let k: u32 = 0; k < states * classes; k++) if (<u32>load<u16>(next + <usize>k * 2) >= states) return ERR;
  }
  for (let i: u32 = 0; i < esqlPikeCount; i++) {
    const p = esqlPikes + <usize>i * ESQL_PIKE_SIZE;
    const count = load<u32>(p, 4);
    const slots = load<u32>(p, 8);
    if (count == 0 || count > MAX_PIKE_INSTS || slots < 2 || slots > MAX_PIKE_SLOTS || !inData(load<u32>(p), <u64>count * 12)) return ERR;
    const insts = dataPtr + <usize>load<u32>(p);
    for (let k: u32 = 0; k < count; k++) {
      const inst = insts + <usize>k * 12;
      const op = load<u32>(inst);
      const a = load<u32>(inst, 4);
      const b = load<u32>(inst, 8);
      if (op == 0 && (a > 0xffff || b >= count)) return ERR;
      if (op == 1 && (a >= count || b >= count)) return ERR;
      if (op == 2 && a >= count) return ERR;
      if (op == 3 && (a >= slots || b >= count)) return ERR;
      if (op > 4) return ERR;
    }
  }
  for (let i: u32 = 0; i < esqlOutputCount; i++) {
    const o = esqlOutputs + <usize>i * ESQL_OUTPUT_SIZE;
    if (!inData(load<u32>(o), load<u32>(o, 4))) return ERR;
  }
  for (let i: u32 = 0; i < esqlPipeCount; i++) {
    const e = validatePipe(esqlPipes + <usize>i * ESQL_PIPE_SIZE);
    if (e != 0) return e;
  }
  return 0;
}

let vcode: usize = 0;
@inline function w(k: u32): u32 {
  return load<u32>(vcode + <usize>k * 4);
}

function validatePipe(pipe: usize): i32 {
  const codeOff = load<u32>(pipe);
  const words = load<u32>(pipe, 4);
  const regs = load<u32>(pipe, 8);
  if (regs > MAX_ESQL_REGISTERS || !inData(codeOff, <u64>words * 4) || words == 0) return ERR;
  if (<u64>load<u32>(pipe, 12) + <u64>load<u32>(pipe, 16) > <u64>esqlOutputCount) return ERR;
  for (let k: u32 = 0; k < load<u32>(pipe, 16); k++) if (load<u32>(esqlOutputs + <usize>(load<u32>(pipe, 12) + k) * ESQL_OUTPUT_SIZE, 8) >= regs) return ERR;
  vcode = dataPtr + <usize>codeOff;
  // Steps: each fully inside the code, registers and references in range; End reached.
  const refs = new Array<u32>(); // word offsets that must be condition node starts
  let at: u32 = 0;
  let end: u32 = 0;
  while (true) {
    if (at >= words) return ERR;
    const op = w(at);
    if (op == 0) {
      end = at + 1;
      break;
    }
    let len: u32 = 0;
    if (op == 1) len = 3;
    else if (op == 2) len = 4;
    else if (op == 3) len = 3;
    else if (op == 4) {
      if (at + 3 >= words || w(at + 3) > MAX_ESQL_REGISTERS) return ERR;
      len = 4 + 2 * w(at + 3);
    } else if (op == 5) len = 7;
    else if (op == 6) {
      if (at + 2 >= words || w(at + 2) > words) return ERR;
      len = 4 + 2 * w(at + 2);
    } else if (op == 7) len = 2;
    else if (op == 12) len = 2;
    else if (op == 9 || op == 11) len = 4;
    else if (op == 13 || op == 14 || op == 16) len = 5;
    else if (op == 8 || op == 10 || op == 15) len = 3;
    else return ERR;
    if (<u64>at + <u64>len > <u64>words) return ERR;
    if (op == 1 && (w(at + 1) >= regs || w(at + 2) >= slotCount)) return ERR;
    if (op == 2 && (w(at + 1) >= regs || !inData(w(at + 2), w(at + 3)))) return ERR;
    if (op == 3 && (w(at + 1) >= regs || w(at + 2) >= regs)) return ERR;
    if (op == 4) {
      if (w(at + 1) >= regs || w(at + 2) >= esqlPikeCount) return ERR;
      const slots = load<u32>(esqlPikes + <usize>w(at + 2) * ESQL_PIKE_SIZE, 8);
      for (let k: u32 = 0; k < w(at + 3); k++) if (w(at + 4 + 2 * k) >= regs || <u64>2 * <u64>w(at + 5 + 2 * k) + 1 >= <u64>slots) return ERR;
    }
    if (op == 5 && (w(at + 1) >= regs || w(at + 2) >= regs || !inData(w(at + 3), w(at + 4)) || w(at + 4) == 0 || !inData(w(at + 5), w(at + 6)))) return ERR;
    if (op == 6) {
      if (w(at + 1) >= regs) return ERR;
      const n = w(at + 2);
      for (let k: u32 = 0; k < n; k++) {
        refs.push(w(at + 3 + 2 * k));
        if (w(at + 4 + 2 * k) >= regs) return ERR;
      }
      const other = w(at + 3 + 2 * n);
      if (other != 0xffffffff && other >= regs) return ERR;
    }
    if (op == 7) refs.push(w(at + 1));
    // Typed steps: a destination register, then slots or source registers.
    if (op >= 8 && w(at + 1) >= regs) return ERR;
    if ((op == 8 || op == 9 || op == 10) && w(at + 2) >= slotCount) return ERR;
    if ((op == 13 || op == 15 || op == 16) && w(at + 2) >= regs) return ERR;
    if (op == 13 && (w(at + 3) == 0 && w(at + 4) == 0 || (w(at + 4) & 0x80000000) != 0)) return ERR; // a span must be positive (no division trap)
    if (op == 14 && (w(at + 2) >= regs || w(at + 3) >= regs || w(at + 4) != 0xffffffff && w(at + 4) >= regs)) return ERR;
    at += len;
  }
  // Condition nodes: after the steps; children are earlier node starts (no cycles, bounded depth).
  const starts = new Uint8Array(<i32>words);
  for (let k: u32 = end; k < words; ) {
    const kind = w(k);
    let len: u32 = 0;
    if (kind == 1 || kind == 2 || kind == 5 || kind == 6 || kind == 9) len = 3;
    else if (kind == 3 || kind == 4) len = 4;
    else if (kind == 7 || kind == 8) len = 2;
    else if (kind == 10) len = 5;
    else if (kind == 11) len = 4;
    else return ERR;
    if (<u64>k + <u64>len > <u64>words) return ERR;
    if ((kind == 1 || kind == 2 || kind == 3 || kind == 4) && w(k + 1) >= regs) return ERR;
    if (kind == 2 && w(k + 2) >= esqlDfaCount) return ERR;
    if ((kind == 3 || kind == 4) && !inData(w(k + 2), w(k + 3))) return ERR;
    if ((kind == 5 || kind == 6) && (w(k + 1) >= k || w(k + 2) >= k || starts[w(k + 1)] == 0 || starts[w(k + 2)] == 0)) return ERR;
    if (kind == 7 && (w(k + 1) >= k || starts[w(k + 1)] == 0)) return ERR;
    if (kind == 8 && w(k + 1) > 2) return ERR;
    if (kind == 10 && (w(k + 1) >= regs || w(k + 2) > 5)) return ERR;
    if (kind == 11 && (w(k + 1) >= regs || w(k + 2) > 5 || w(k + 3) >= regs)) return ERR;
    if (kind == 9 && (w(k + 1) >= exprCount || w(k + 2) >= exprCount)) return ERR;
    starts[k] = 1;
    k += len;
  }
  for (let i = 0; i < refs.length; i++) if (refs[i] >= words || starts[refs[i]] == 0) return ERR;
  return 0;
}
