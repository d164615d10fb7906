// ES|QL per-event pipelines (docs/semantics.md, "ES|QL"): after a rule's condition holds, its steps
// run on registers (a string or null): URL_DECODE, REPLACE of a literal, CASE, GROK (a Pike VM:
// leftmost-first captures, linear time), WHERE with three-valued conditions (RLIKE as a DFA table,
// LIKE, ==, IS NULL, conditions on fields through the rule's expressions). The kept columns are
// rendered at once as the alert's `esql` object (the registers do not outlive the rule).
import { dataPtr } from '../program/program';
import { ESQL_PIPE_SIZE, ESQL_OUTPUT_SIZE, ESQL_DFA_SIZE, ESQL_PIKE_SIZE } from '../program/format';
import { esqlPipes, esqlOutputs, esqlDfas, esqlPikes } from '../program/esql-sections';
import { singleValue } from './predicates';
import { valuePtr, valueLen, NONE } from './values';
import { evalExpr } from './expr';
import { eqlWildcardMatch } from './glob';
import { Region, ByteWriter } from '../util/buffer';
import { bytesEqual } from '../json/strings';

const NULL_LEN: i32 = -1;
const NO_REG: u32 = 0xffffffff;

/** Register file: per register (arena offset, length or -1 for null). */
const regs = new Region();
/** The strings registers point into (offsets: the arena may move when it grows). */
const arena = new Region();
let arenaLen: usize = 0;
let code: usize = 0;

/** Rendered `,"esql":{...}` fragments of this record, per rule: start and length in `rendered`. */
export const rendered = new ByteWriter();
const renderedAt = new Region(); // per rule: u32 start, u32 len
let renderedRules: u32 = 0;

/** Forgets the previous record's rendered columns. */
export function beginEsqlRecord(ruleCount: u32): bool {
  rendered.reset();
  if (!renderedAt.ensure(<usize>ruleCount * 8 + 8)) return false;
  renderedRules = ruleCount;
  return true;
}

@inline function w(k: u32): u32 {
  return load<u32>(code + <usize>k * 4);
}
@inline function regOff(r: u32): usize {
  return <usize>load<u32>(regs.ptr + <usize>r * 8);
}
@inline function regLen(r: u32): i32 {
  return load<i32>(regs.ptr + <usize>r * 8, 4);
}
@inline function setReg(r: u32, off: usize, len: i32): void {
  store<u32>(regs.ptr + <usize>r * 8, <u32>off);
  store<i32>(regs.ptr + <usize>r * 8, len, 4);
}
@inline function setNull(r: u32): void {
  setReg(r, 0, NULL_LEN);
}

/** Register r of the pipeline that ran last (STATS reads its columns): its bytes and length, -1 for null. */
export function registerPtr(r: u32): usize {
  return arena.ptr + regOff(r);
}
export function registerLen(r: u32): i32 {
  return regLen(r);
}

/** Room for n more arena bytes (false: out of memory). */
function reserve(n: usize): bool {
  return arena.ensure(arenaLen + n + 8);
}

/** Copies bytes into the arena; the register points at them. */
function setBytes(r: u32, p: usize, n: usize): bool {
  if (!reserve(n)) return false;
  memory.copy(arena.ptr + arenaLen, p, n);
  setReg(r, arenaLen, <i32>n);
  arenaLen += n;
  return true;
}

/**
 * Runs rule r's pipeline on the current record. 1: the row passes (its columns are rendered),
 * 0: a WHERE dropped it, -1: out of memory.
 */
export function esqlOf(r: u32, rule: usize): i32 {
  const pipe = esqlPipes + <usize>load<u32>(rule, 76) * ESQL_PIPE_SIZE;
  code = dataPtr + <usize>load<u32>(pipe);
  const nregs = load<u32>(pipe, 8);
  if (!regs.ensure(<usize>nregs * 8 + 8)) return -1;
  for (let i: u32 = 0; i < nregs; i++) setNull(i);
  arenaLen = 0;
  let at: u32 = 0;
  while (true) {
    const op = w(at);
    if (op == 0) break;
    if (op == 1) {
      // FIELD dst slot: the field's single value, null when it has none or several.
      const v = singleValue(w(at + 2));
      if (v == NONE) setNull(w(at + 1));
      else if (!setBytes(w(at + 1), valuePtr(v), <usize>valueLen(v))) return -1;
      at += 3;
    } else if (op == 2) {
      if (!setBytes(w(at + 1), dataPtr + <usize>w(at + 2), <usize>w(at + 3))) return -1;
      at += 4;
    } else if (op == 3) {
      if (!urlDecode(w(at + 1), w(at + 2))) return -1;
      at += 3;
    } else if (op == 4) {
      if (!grok(at)) return -1;
      at += 4 + 2 * w(at + 3);
    } else if (op == 5) {
      if (!replaceLiteral(w(at + 1), w(at + 2), dataPtr + <usize>w(at + 3), <usize>w(at + 4), dataPtr + <usize>w(at + 5), <usize>w(at + 6))) return -1;
      at += 7;
    } else if (op == 6) {
      const n = w(at + 2);
      let chosen = w(at + 3 + 2 * n);
      for (let k: u32 = 0; k < n; k++) {
        if (cond(w(at + 3 + 2 * k)) == 1) {
          chosen = w(at + 4 + 2 * k);
          break;
        }
      }
      if (chosen == NO_REG) setNull(w(at + 1));
      else setReg(w(at + 1), regOff(chosen), regLen(chosen));
      at += 4 + 2 * n;
    } else {
      // WHERE: only TRUE keeps the row.
      if (cond(w(at + 1)) != 1) return 0;
      at += 2;
    }
  }
  return render(r, pipe) ? 1 : -1;
}

/** Three-valued: 1 true, 0 false, 2 null. */
function cond(k: u32): u32 {
  const kind = w(k);
  if (kind == 1) {
    const isNull = regLen(w(k + 1)) == NULL_LEN;
    return (isNull != (w(k + 2) != 0)) ? 1 : 0;
  }
  if (kind == 2 || kind == 3 || kind == 4) {
    const reg = w(k + 1);
    const n = regLen(reg);
    if (n == NULL_LEN) return 2;
    const p = arena.ptr + regOff(reg);
    if (kind == 2) return dfaMatches(w(k + 2), p, <usize>n) ? 1 : 0;
    const lit = dataPtr + <usize>w(k + 2);
    const m = <usize>w(k + 3);
    if (kind == 3) return eqlWildcardMatch(p, <usize>n, lit, m) ? 1 : 0;
    return <usize>n == m && bytesEqual(p, lit, m) ? 1 : 0;
  }
  if (kind == 5) {
    const a = cond(w(k + 1));
    if (a == 0) return 0;
    const b = cond(w(k + 2));
    if (b == 0) return 0;
    return a == 1 && b == 1 ? 1 : 2;
  }
  if (kind == 6) {
    const a = cond(w(k + 1));
    if (a == 1) return 1;
    const b = cond(w(k + 2));
    if (b == 1) return 1;
    return a == 0 && b == 0 ? 0 : 2;
  }
  if (kind == 7) {
    const a = cond(w(k + 1));
    return a == 2 ? 2 : 1 - a;
  }
  if (kind == 8) return w(k + 1);
  // Conditions on fields: T and F expressions.
  if (evalExpr(w(k + 1))) return 1;
  return evalExpr(w(k + 2)) ? 0 : 2;
}

function dfaMatches(i: u32, p: usize, n: usize): bool {
  const d = esqlDfas + <usize>i * ESQL_DFA_SIZE;
  const classes = <usize>load<u32>(d, 4);
  const classOf = dataPtr + <usize>load<u32>(d, 12);
  const next = dataPtr + <usize>load<u32>(d, 16);
  let s = <usize>load<u32>(d, 8);
  for (let k: usize = 0; k < n; k++) {
    s = <usize>load<u16>(next + (s * classes + <usize>load<u8>(classOf + <usize>load<u8>(p + k))) * 2);
    if (s == 0) return false;
  }
  return load<u8>(dataPtr + <usize>load<u32>(d, 20) + s) != 0;
}

@inline function hexValue(c: u32): i32 {
  if (c >= 0x30 && c <= 0x39) return <i32>(c - 0x30);
  if (c >= 0x41 && c <= 0x46) return <i32>(c - 0x37);
  if (c >= 0x61 && c <= 0x66) return <i32>(c - 0x57);
  return -1;
}

/**
 * java.net.URLDecoder.decode(s, UTF-8): `+` is a space, runs of `%hh` are bytes decoded as UTF-8
 * (a malformed sequence becomes U+FFFD, maximal subparts as the Encoding Standard); a `%` without
 * two hex digits makes the result null.
 */
function urlDecode(dst: u32, src: u32): bool {
  const n = regLen(src);
  if (n == NULL_LEN) {
    setNull(dst);
    return true;
  }
  // The output is never longer than the input: a %hh (3 bytes) gives one byte, or 3 for U+FFFD.
  if (!reserve(<usize>n + 8)) return false;
  const p = arena.ptr + regOff(src);
  const out = arena.ptr + arenaLen;
  let o: usize = 0;
  let i: usize = 0;
  const len = <usize>n;
  while (i < len) {
    const c = <u32>load<u8>(p + i);
    if (c == 0x2b) {
      store<u8>(out + o++, 0x20);
      i++;
      continue;
    }
    if (c != 0x25) {
      store<u8>(out + o++, <u8>c);
      i++;
      continue;
    }
    // A run of %hh: decode its bytes in place at `out + o`, then validate them as UTF-8.
    const runStart = o;
    while (i < len && load<u8>(p + i) == 0x25) {
      if (i + 2 >= len) {
        setNull(dst);
        return true;
      }
      // Java reads the two characters with Integer.parseInt(.., 16): "+h" is h, "-0" is 0.
      const c1 = <u32>load<u8>(p + i + 1);
      const lo = hexValue(<u32>load<u8>(p + i + 2));
      let v: i32 = -1;
      if (lo >= 0) {
        const hi = hexValue(c1);
        if (hi >= 0) v = (hi << 4) | lo;
        else if (c1 == 0x2b) v = lo;
        else if (c1 == 0x2d && lo == 0) v = 0;
      }
      if (v < 0) {
        setNull(dst);
        return true;
      }
      store<u8>(out + o++, <u8>v);
      i += 3;
    }
    o = runStart + utf8Repair(out + runStart, o - runStart);
  }
  setReg(dst, arenaLen, <i32>o);
  arenaLen += o;
  return true;
}

/**
 * Rewrites the bytes [p, p+n) of a %hh run as valid UTF-8: each maximal subpart of an ill-formed
 * sequence becomes U+FFFD. The result may be up to 3n bytes (still within the run's 3n input
 * characters); it is built from a scratch copy. Returns the new length.
 */
const scratch = new Region();
function utf8Repair(p: usize, n: usize): usize {
  if (!scratch.ensure(n + 8)) return n;
  memory.copy(scratch.ptr, p, n);
  const s = scratch.ptr;
  let o: usize = 0;
  let i: usize = 0;
  while (i < n) {
    const b = <u32>load<u8>(s + i);
    if (b < 0x80) {
      store<u8>(p + o++, <u8>b);
      i++;
      continue;
    }
    let need: u32 = 0;
    let lower: u32 = 0x80;
    let upper: u32 = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b == 0xe0) lower = 0xa0;
      if (b == 0xed) upper = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b == 0xf0) lower = 0x90;
      if (b == 0xf4) upper = 0x8f;
    }
    let j = i + 1;
    let ok = need > 0;
    for (let k: u32 = 0; ok && k < need; k++) {
      if (j >= n) {
        ok = false;
        break;
      }
      const c = <u32>load<u8>(s + j);
      if (c < (k == 0 ? lower : 0x80) || c > (k == 0 ? upper : 0xbf)) {
        ok = false;
        break;
      }
      j++;
    }
    if (ok) {
      memory.copy(p + o, s + i, j - i);
      o += j - i;
    } else {
      store<u8>(p + o, 0xef);
      store<u8>(p + o + 1, 0xbf);
      store<u8>(p + o + 2, 0xbd);
      o += 3;
      // A lone bad lead byte is consumed alone; a truncated sequence up to the bad byte.
      if (j == i) j = i + 1;
    }
    i = j;
  }
  return o;
}

/** Java's replaceAll of a literal: non-overlapping occurrences, left to right. */
function replaceLiteral(dst: u32, src: u32, find: usize, fn: usize, by: usize, bn: usize): bool {
  const n = regLen(src);
  if (n == NULL_LEN) {
    setNull(dst);
    return true;
  }
  const len = <usize>n;
  // Worst case: every byte starts an occurrence of a 1-byte pattern.
  const most = bn > fn ? len + (len / fn + 1) * (bn - fn) : len;
  if (!reserve(most)) return false;
  const p = arena.ptr + regOff(src);
  const out = arena.ptr + arenaLen;
  let o: usize = 0;
  let i: usize = 0;
  while (i < len) {
    if (i + fn <= len && bytesEqual(p + i, find, fn)) {
      memory.copy(out + o, by, bn);
      o += bn;
      i += fn;
    } else {
      store<u8>(out + o++, load<u8>(p + i));
      i++;
    }
  }
  setReg(dst, arenaLen, <i32>o);
  arenaLen += o;
  return true;
}

// ---- GROK: Pike VM ----

const clistPc = new Region();
const nlistPc = new Region();
const clistCaps = new Region();
const nlistCaps = new Region();
const marks = new Region();
const capStack = new Region();
const matchCaps = new Region();
let gen: u32 = 0;
let insts: usize = 0;
let nslots: u32 = 0;
let listCount: u32 = 0;
let listPc: usize = 0;
let listCaps: usize = 0;

/** Adds a thread at pc (following jumps, splits in priority order, and saves) to the current list. */
function addThread(pc: u32, caps: usize, pos: i32, depth: u32): void {
  const m = marks.ptr + <usize>pc * 4;
  if (load<u32>(m) == gen) return;
  store<u32>(m, gen);
  const inst = insts + <usize>pc * 12;
  const op = load<u32>(inst);
  if (op == 2) {
    addThread(load<u32>(inst, 4), caps, pos, depth);
    return;
  }
  if (op == 1) {
    addThread(load<u32>(inst, 4), caps, pos, depth);
    addThread(load<u32>(inst, 8), caps, pos, depth);
    return;
  }
  if (op == 3) {
    const tmp = capStack.ptr + <usize>depth * <usize>nslots * 4;
    memory.copy(tmp, caps, <usize>nslots * 4);
    store<i32>(tmp + <usize>load<u32>(inst, 4) * 4, pos);
    addThread(load<u32>(inst, 8), tmp, pos, depth + 1);
    return;
  }
  store<u32>(listPc + <usize>listCount * 4, pc);
  memory.copy(listCaps + <usize>listCount * <usize>nslots * 4, caps, <usize>nslots * 4);
  listCount++;
}

/** GROK src pike n (dst group)*n at word `at`. */
function grok(at: u32): bool {
  const src = w(at + 1);
  const n = w(at + 3);
  const len = regLen(src);
  let matched = false;
  if (len != NULL_LEN) {
    const pk = esqlPikes + <usize>w(at + 2) * ESQL_PIKE_SIZE;
    insts = dataPtr + <usize>load<u32>(pk);
    const count = load<u32>(pk, 4);
    nslots = load<u32>(pk, 8);
    const capsBytes = <usize>count * <usize>nslots * 4;
    if (!clistPc.ensure(<usize>count * 4) || !nlistPc.ensure(<usize>count * 4) || !clistCaps.ensure(capsBytes) || !nlistCaps.ensure(capsBytes)) return false;
    if (!marks.ensure(<usize>count * 4) || !capStack.ensure(capsBytes + <usize>nslots * 4) || !matchCaps.ensure(<usize>nslots * 4 * 2)) return false;
    memory.fill(marks.ptr, 0, <usize>count * 4);
    gen = 0;
    // The initial captures (all unset) live past the stack's last level.
    const init = matchCaps.ptr + <usize>nslots * 4;
    memory.fill(init, 0xff, <usize>nslots * 4);
    const input = arena.ptr + regOff(src);
    let cPc = clistPc.ptr;
    let cCaps = clistCaps.ptr;
    let nPc = nlistPc.ptr;
    let nCaps = nlistCaps.ptr;
    gen++;
    listPc = cPc;
    listCaps = cCaps;
    listCount = 0;
    addThread(0, init, 0, 0);
    let cCount = listCount;
    for (let pos: i32 = 0; pos <= len; pos++) {
      if (cCount == 0) break;
      gen++;
      listPc = nPc;
      listCaps = nCaps;
      listCount = 0;
      const b = pos < len ? <u32>load<u8>(input + <usize>pos) : 0x100;
      for (let t: u32 = 0; t < cCount; t++) {
        const pc = load<u32>(cPc + <usize>t * 4);
        const inst = insts + <usize>pc * 12;
        const op = load<u32>(inst);
        const caps = cCaps + <usize>t * <usize>nslots * 4;
        if (op == 4) {
          matched = true;
          memory.copy(matchCaps.ptr, caps, <usize>nslots * 4);
          break; // lower-priority threads are cut
        }
        const range = load<u32>(inst, 4);
        if (b <= (range >> 8) && b >= (range & 0xff)) addThread(load<u32>(inst, 8), caps, pos + 1, 0);
      }
      // A match may start at the next position, with the lowest priority, until one is found.
      if (!matched && pos < len) addThread(0, init, pos + 1, 0);
      cCount = listCount;
      const tp = cPc;
      cPc = nPc;
      nPc = tp;
      const tc = cCaps;
      cCaps = nCaps;
      nCaps = tc;
    }
  }
  for (let k: u32 = 0; k < n; k++) {
    const dst = w(at + 4 + 2 * k);
    if (!matched) {
      setNull(dst);
      continue;
    }
    const g = w(at + 5 + 2 * k);
    const s = load<i32>(matchCaps.ptr + <usize>(2 * g) * 4);
    const e = load<i32>(matchCaps.ptr + <usize>(2 * g + 1) * 4);
    if (s < 0 || e < s) setNull(dst);
    else setReg(dst, regOff(src) + <usize>s, e - s);
  }
  return true;
}

/** Renders the kept columns as `,"esql":{...}` for the alert of rule r. */
function render(r: u32, pipe: usize): bool {
  if (r >= renderedRules) return false;
  const start = rendered.len;
  rendered.ascii(',"esql":{');
  const first = load<u32>(pipe, 12);
  const count = load<u32>(pipe, 16);
  for (let k: u32 = 0; k < count; k++) {
    const o = esqlOutputs + <usize>(first + k) * ESQL_OUTPUT_SIZE;
    if (k > 0) rendered.byte(0x2c);
    rendered.bytes(dataPtr + <usize>load<u32>(o), <usize>load<u32>(o, 4));
    rendered.byte(0x3a);
    const reg = load<u32>(o, 8);
    const n = regLen(reg);
    if (n == NULL_LEN) rendered.ascii('null');
    else {
      rendered.byte(0x22);
      rendered.jsonStringContent(arena.ptr + regOff(reg), <usize>n);
      rendered.byte(0x22);
    }
  }
  rendered.byte(0x7d);
  if (rendered.failed) return false;
  store<u32>(renderedAt.ptr + <usize>r * 8, <u32>start);
  store<u32>(renderedAt.ptr + <usize>r * 8, <u32>(rendered.len - start), 4);
  return true;
}

/** Writes rule r's rendered `esql` member (after its pipeline passed in this record). */
export function writeEsql(out: ByteWriter, r: u32): void {
  if (r >= renderedRules) return;
  out.bytes(rendered.region.ptr + <usize>load<u32>(renderedAt.ptr + <usize>r * 8), <usize>load<u32>(renderedAt.ptr + <usize>r * 8, 4));
}
