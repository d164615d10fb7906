// ES|QL per-event pipelines (docs/semantics.md, "ES|QL"): after a rule's condition holds, its steps
// run on registers (null, a string, an integer or a date): URL_DECODE, REPLACE of a literal, CASE,
// TO_STRING, LOCATE, DATE_TRUNC, NOW, GROK (a Pike VM: leftmost-first captures, linear time), WHERE
// with three-valued conditions (RLIKE as a DFA table, LIKE, ==, integer comparisons, IS NULL,
// conditions on fields through the rule's expressions). The kept columns are rendered at once as
// the alert's `esql` object (the registers do not outlive the rule).
import { dataPtr } from '../program/program';
import { ESQL_PIPE_SIZE, ESQL_OUTPUT_SIZE, ESQL_DFA_SIZE, ESQL_PIKE_SIZE } from '../program/format';
import { esqlPipes, esqlOutputs, esqlDfas, esqlPikes } from '../program/esql-sections';
import { singleValue, singleNumber, singleDate, hasIndexedValue, eventTimeMs } from './predicates';
import { parseIp } from '../values/ip';
import { BAD_DATE, civilFromDays } from '../values/date';
import { valuePtr, valueLen, NONE } from './values';
import { evalExpr } from './expr';
import { eqlWildcardMatch } from './glob';
import { Region, ByteWriter } from '../util/buffer';
import { bytesEqual } from '../json/strings';

const NULL_LEN: i32 = -1;
const NO_REG: u32 = 0xffffffff;

/** Register file: per register (arena offset, length or -1 for null). */
const regs = new Region();
/** Per register its type: a string, or an i64 (8 bytes at its offset) that is an integer or a date (ms). */
const regTypes = new Region();
const T_STRING: u8 = 0;
const T_INT: u8 = 1;
const T_DATE: u8 = 2;
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
@inline function regType(r: u32): u8 {
  return load<u8>(regTypes.ptr + <usize>r);
}
@inline function setReg(r: u32, off: usize, len: i32, type: u8 = T_STRING): void {
  store<u32>(regs.ptr + <usize>r * 8, <u32>off);
  store<i32>(regs.ptr + <usize>r * 8, len, 4);
  store<u8>(regTypes.ptr + <usize>r, type);
}
@inline function regI64(r: u32): i64 {
  return load<i64>(arena.ptr + regOff(r));
}
@inline function setNull(r: u32): void {
  setReg(r, 0, NULL_LEN);
}

/** Room for n more arena bytes (false: out of memory). */
function reserve(n: usize): bool {
  return arena.ensure(arenaLen + n + 8);
}

/** An integer or a date into the arena (8 bytes, aligned); false: out of memory. */
function setI64(r: u32, v: i64, type: u8): bool {
  arenaLen = (arenaLen + 7) & ~<usize>7;
  if (!reserve(8)) return false;
  store<i64>(arena.ptr + arenaLen, v);
  setReg(r, arenaLen, 8, type);
  arenaLen += 8;
  return true;
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
  if (!regs.ensure(<usize>nregs * 8 + 8) || !regTypes.ensure(<usize>nregs + 8)) return -1;
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
      else setReg(w(at + 1), regOff(chosen), regLen(chosen), regType(chosen));
      at += 4 + 2 * n;
    } else if (op >= 8) {
      if (!typedStep(op, at)) return -1;
      at += typedStepWords(op);
    } else {
      // WHERE: only TRUE keeps the row.
      if (cond(w(at + 1)) != 1) return 0;
      at += 2;
    }
  }
  return render(r, pipe) ? 1 : -1;
}

/** Words of a typed step (opcodes 8-15, src/compiler/esql-serialize.ts). */
export function typedStepWords(op: u32): u32 {
  if (op == 12) return 2; // NOW dst
  if (op == 9 || op == 11) return 4; // FIELD_DATE dst slot fallback, CONST_INT dst lo hi
  if (op == 13 || op == 14 || op == 16) return 5; // DATE_TRUNC dst src lo hi, LOCATE dst s sub start, DATE_ADD dst src lo hi
  return 3; // FIELD_INT, FIELD_IP_TEXT dst slot; TO_STRING dst src
}

/** Steps on typed values; false: out of memory. */
function typedStep(op: u32, at: u32): bool {
  const dst = w(at + 1);
  if (op == 8) {
    // FIELD_INT dst slot: the single value of an integer field (null: none, several, not a number).
    const x = singleNumber(w(at + 2));
    if (isNaN(x)) {
      setNull(dst);
      return true;
    }
    return setI64(dst, <i64>x, T_INT);
  }
  if (op == 9) {
    // FIELD_DATE dst slot: the single date; @timestamp without a value is the event time.
    const slot = w(at + 2);
    const t = singleDate(slot);
    if (t != BAD_DATE) return setI64(dst, t, T_DATE);
    if (w(at + 3) != 0 && !hasIndexedValue(slot)) return setI64(dst, eventTimeMs, T_DATE);
    setNull(dst);
    return true;
  }
  if (op == 10) return ipText(dst, w(at + 2));
  if (op == 11) return setI64(dst, <i64>(<u64>w(at + 2) | (<u64>w(at + 3) << 32)), T_INT);
  if (op == 12) return setI64(dst, eventTimeMs, T_DATE);
  if (op == 13) {
    // DATE_TRUNC dst src span: floor to a multiple of the span from the epoch.
    const src = w(at + 2);
    if (regLen(src) == NULL_LEN) {
      setNull(dst);
      return true;
    }
    const span = <i64>(<u64>w(at + 3) | (<u64>w(at + 4) << 32));
    const t = regI64(src);
    let q = t / span;
    if (t % span != 0 && t < 0) q--;
    return setI64(dst, q * span, T_DATE);
  }
  if (op == 14) return locate(dst, w(at + 2), w(at + 3), w(at + 4));
  if (op == 16) {
    // DATE_ADD dst src delta: a date plus a fixed span (wrapping like Java's long arithmetic).
    const src = w(at + 2);
    if (regLen(src) == NULL_LEN) {
      setNull(dst);
      return true;
    }
    return setI64(dst, regI64(src) + <i64>(<u64>w(at + 3) | (<u64>w(at + 4) << 32)), T_DATE);
  }
  return toText(dst, w(at + 2));
}

/** LOCATE(s, sub[, start]): the 1-based code point position of sub in s from start, 0 when absent. */
function locate(dst: u32, s: u32, sub: u32, start: u32): bool {
  if (regLen(s) == NULL_LEN || regLen(sub) == NULL_LEN || start != NO_REG && regLen(start) == NULL_LEN) {
    setNull(dst);
    return true;
  }
  const p = arena.ptr + regOff(s);
  const n = <usize>regLen(s);
  const q = arena.ptr + regOff(sub);
  const m = <usize>regLen(sub);
  const from: i64 = start == NO_REG ? 0 : max<i64>(0, regI64(start) - 1);
  // Byte offset of code point `from` (UTF-8 continuation bytes are not code point starts).
  let i: usize = 0;
  let cp: i64 = 0;
  while (i < n && cp < from) {
    i++;
    while (i < n && (load<u8>(p + i) & 0xc0) == 0x80) i++;
    cp++;
  }
  if (cp < from) return setI64(dst, 0, T_INT);
  for (; i + m <= n; ) {
    if (bytesEqual(p + i, q, m)) return setI64(dst, cp + 1, T_INT);
    i++;
    while (i < n && (load<u8>(p + i) & 0xc0) == 0x80) i++;
    cp++;
  }
  return setI64(dst, 0, T_INT);
}

const ipBytes = memory.data(16);

/** TO_STRING of an ip field's single value: dotted IPv4 (also IPv4-mapped), compressed IPv6. */
function ipText(dst: u32, slot: u32): bool {
  const v = singleValue(slot);
  if (v == NONE || !parseIp(valuePtr(v), <usize>valueLen(v), ipBytes)) {
    setNull(dst);
    return true;
  }
  if (!reserve(48)) return false;
  const out = arena.ptr + arenaLen;
  let o: usize = 0;
  let mapped = load<u8>(ipBytes + 10) == 0xff && load<u8>(ipBytes + 11) == 0xff;
  for (let k: usize = 0; k < 10; k++) if (load<u8>(ipBytes + k) != 0) mapped = false;
  if (mapped) {
    for (let k: usize = 12; k < 16; k++) {
      if (k > 12) store<u8>(out + o++, 0x2e);
      o += writeUint(out + o, <u64>load<u8>(ipBytes + k), 10);
    }
  } else {
    // The longest run (the first when tied) of two or more zero words becomes `::`.
    let best: i32 = -1;
    let bestLen: i32 = 0;
    for (let i: i32 = 0; i < 8; ) {
      if (ipWord(i) != 0) {
        i++;
        continue;
      }
      let j = i;
      while (j < 8 && ipWord(j) == 0) j++;
      if (j - i > bestLen && j - i >= 2) {
        best = i;
        bestLen = j - i;
      }
      i = j;
    }
    for (let i: i32 = 0; i < 8; i++) {
      if (i == best) {
        store<u8>(out + o++, 0x3a);
        store<u8>(out + o++, 0x3a);
        i += bestLen - 1;
        continue;
      }
      if (i > 0 && i != best + bestLen) store<u8>(out + o++, 0x3a);
      o += writeUint(out + o, <u64>ipWord(i), 16);
    }
  }
  setReg(dst, arenaLen, <i32>o);
  arenaLen += o;
  return true;
}

@inline function ipWord(i: i32): u32 {
  return (<u32>load<u8>(ipBytes + <usize>(2 * i)) << 8) | <u32>load<u8>(ipBytes + <usize>(2 * i + 1));
}

/** Writes v in the base (10 or 16, lower-case) at p; returns the digit count. */
function writeUint(p: usize, v: u64, base: u64): usize {
  let digits: usize = 1;
  for (let t = v; t >= base; t /= base) digits++;
  for (let k = digits; k > 0; k--) {
    const d = <u32>(v % base);
    store<u8>(p + k - 1, <u8>(d < 10 ? 48 + d : 87 + d));
    v /= base;
  }
  return digits;
}

/** Writes a signed integer in decimal at p; returns its length. */
function writeInt(p: usize, v: i64): usize {
  if (v >= 0) return writeUint(p, <u64>v, 10);
  store<u8>(p, 0x2d);
  return 1 + writeUint(p + 1, <u64>(-(v + 1)) + 1, 10);
}

/** A date as ES|QL prints it: ISO 8601, UTC, milliseconds (2026-03-01T10:02:00.000Z). */
function writeDate(p: usize, t: i64): usize {
  let days = t / 86400000;
  let ms = t % 86400000;
  if (ms < 0) {
    ms += 86400000;
    days--;
  }
  civilFromDays(days, dateScratch);
  const y = load<i64>(dateScratch);
  let o: usize = 0;
  if (y < 0 || y > 9999) {
    // Outside four digits: a sign and six digits, as JavaScript's toISOString writes it.
    store<u8>(p + o++, y < 0 ? 0x2d : 0x2b);
    o += pad(p + o, y < 0 ? -y : y, 6);
  } else o += pad(p + o, y, 4);
  store<u8>(p + o++, 0x2d);
  o += pad(p + o, load<i64>(dateScratch, 8), 2);
  store<u8>(p + o++, 0x2d);
  o += pad(p + o, load<i64>(dateScratch, 16), 2);
  store<u8>(p + o++, 0x54);
  o += pad(p + o, ms / 3600000, 2);
  store<u8>(p + o++, 0x3a);
  o += pad(p + o, (ms / 60000) % 60, 2);
  store<u8>(p + o++, 0x3a);
  o += pad(p + o, (ms / 1000) % 60, 2);
  store<u8>(p + o++, 0x2e);
  o += pad(p + o, ms % 1000, 3);
  store<u8>(p + o++, 0x5a);
  return o;
}
const dateScratch = memory.data(24);

function pad(p: usize, v: i64, width: usize): usize {
  for (let k = width; k > 0; k--) {
    store<u8>(p + k - 1, <u8>(48 + v % 10));
    v /= 10;
  }
  return width;
}

/** TO_STRING: a string as is, an integer in decimal, a date in ISO 8601. */
function toText(dst: u32, src: u32): bool {
  if (regLen(src) == NULL_LEN || regType(src) == T_STRING) {
    setReg(dst, regOff(src), regLen(src), T_STRING);
    return true;
  }
  if (!reserve(32)) return false;
  const v = regI64(src);
  const n = regType(src) == T_INT ? writeInt(arena.ptr + arenaLen, v) : writeDate(arena.ptr + arenaLen, v);
  setReg(dst, arenaLen, <i32>n);
  arenaLen += n;
  return true;
}

/** Three-valued: 1 true, 0 false, 2 null. */
function cond(k: u32): u32 {
  const kind = w(k);
  if (kind == 10 || kind == 11) {
    // NUMCMP reg op value: an integer or date register against a constant; REGCMP a op b: two registers.
    const reg = w(k + 1);
    if (regLen(reg) == NULL_LEN || kind == 11 && regLen(w(k + 3)) == NULL_LEN) return 2;
    const x = regI64(reg);
    const y = kind == 11 ? regI64(w(k + 3)) : <i64>(<u64>w(k + 3) | (<u64>w(k + 4) << 32));
    const op = w(k + 2);
    const holds = op == 0 ? x == y : op == 1 ? x != y : op == 2 ? x < y : op == 3 ? x <= y : op == 4 ? x > y : x >= y;
    return holds ? 1 : 0;
  }
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

const numberScratch = new Region();

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
    else if (regType(reg) != T_STRING) {
      // Numbers as JSON numbers, dates as ISO text.
      if (!numberScratch.ensure(40)) return false;
      const isDate = regType(reg) == T_DATE;
      const len = isDate ? writeDate(numberScratch.ptr, regI64(reg)) : writeInt(numberScratch.ptr, regI64(reg));
      if (isDate) rendered.byte(0x22);
      rendered.bytes(numberScratch.ptr, len);
      if (isDate) rendered.byte(0x22);
    } else {
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
