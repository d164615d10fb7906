// Analysed text (the `text` field type): values are split into lower-cased tokens with the word
// boundary rules of Unicode UAX#29 that Lucene's standard tokenizer follows (docs/semantics.md §7).
// Character classes are exact for ASCII and Latin-1 and cover combining marks, general punctuation,
// emoji, Han, Hiragana and Katakana by block; any other non-ASCII character counts as a letter, and
// only ASCII and Latin-1 letters are lower-cased (the reference knows the full Unicode tables — a
// documented difference). Query data is pre-analysed by the compiler: lower-cased tokens as u32
// length + bytes.
import { Region } from '../util/buffer';
import { globMatch } from '../eval/glob';
import { keywordInRange } from '../eval/predicates';

const OTHER: u8 = 0;
const LETTER: u8 = 1;
const DIGIT: u8 = 2;
const MID_LETTER: u8 = 3; // :
const MID_NUM: u8 = 4; // , ;
const MID_NUM_LET: u8 = 5; // .
const SINGLE_QUOTE: u8 = 6; // '
const EXTEND_NUM_LET: u8 = 7; // _
const EXTEND: u8 = 8; // combining marks, format characters, variation selectors
const EMOJI: u8 = 9; // a token of its own
const IDEOGRAPHIC: u8 = 10; // Han, Hiragana: a token of their own
const KATAKANA: u8 = 11;

const units = new Region(); // per unit: u32 start, u32 length, u32 class
const tokens = new Region(); // per token: u32 start, u32 length
let unitCount: u32 = 0;
let tokenCount: u32 = 0;
const lowered = new Region();

/** Decodes the code point of the UTF-8 sequence at p (len bytes); invalid sequences give U+FFFD. */
function codePoint(p: usize, len: usize): u32 {
  const c = <u32>load<u8>(p);
  if (len == 1) return c;
  let cp: u32 = len == 2 ? c & 0x1f : len == 3 ? c & 0x0f : c & 0x07;
  for (let k: usize = 1; k < len; k++) {
    const b = <u32>load<u8>(p + k);
    if ((b & 0xc0) != 0x80) return 0xfffd;
    cp = (cp << 6) | (b & 0x3f);
  }
  return cp;
}

function classOfNonAscii(c: u32): u8 {
  if (c < 0x100) {
    if (c == 0xaa || c == 0xb5 || c == 0xba || (c >= 0xc0 && c != 0xd7 && c != 0xf7)) return LETTER;
    if (c == 0xb7) return MID_LETTER;
    if (c == 0xad) return EXTEND;
    return OTHER;
  }
  if (c >= 0x300 && c <= 0x36f) return EXTEND;
  if (c == 0x200b) return OTHER;
  if (c == 0x200c || c == 0x200d || (c >= 0x2060 && c <= 0x2064) || (c >= 0xfe00 && c <= 0xfe0f) || (c >= 0x1f3fb && c <= 0x1f3ff)) return EXTEND;
  if (c == 0x2018 || c == 0x2019 || c == 0x2024) return MID_NUM_LET;
  if (c == 0x2027) return MID_LETTER;
  if (c == 0x2044) return MID_NUM;
  if (c == 0x202f) return EXTEND_NUM_LET;
  if (c >= 0x2000 && c <= 0x206f) return OTHER;
  if ((c >= 0x1f300 && c <= 0x1f5ff) || (c >= 0x1f600 && c <= 0x1f64f) || (c >= 0x1f680 && c <= 0x1f6ff) || (c >= 0x1f900 && c <= 0x1f9ff) || (c >= 0x1fa70 && c <= 0x1faff)) return EMOJI;
  if ((c >= 0x3040 && c <= 0x309f) || (c >= 0x3400 && c <= 0x4dbf) || (c >= 0x4e00 && c <= 0x9fff)) return IDEOGRAPHIC;
  if ((c >= 0x30a0 && c <= 0x30ff) || (c >= 0x31f0 && c <= 0x31ff)) return KATAKANA;
  return LETTER;
}

function classOf(c: u32): u8 {
  if (c >= 0x80) return classOfNonAscii(c);
  if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90)) return LETTER;
  if (c >= 48 && c <= 57) return DIGIT;
  if (c == 0x3a) return MID_LETTER;
  if (c == 0x2c || c == 0x3b) return MID_NUM;
  if (c == 0x2e) return MID_NUM_LET;
  if (c == 0x27) return SINGLE_QUOTE;
  if (c == 0x5f) return EXTEND_NUM_LET;
  return OTHER;
}

@inline function cls(i: i32): u8 {
  return i < 0 || <u32>i >= unitCount ? OTHER : <u8>load<u32>(units.ptr + <usize>i * 12, 8);
}

@inline function isLetter(c: u8): bool { return c == LETTER; }
@inline function isMidLetterish(c: u8): bool { return c == MID_LETTER || c == MID_NUM_LET || c == SINGLE_QUOTE; }
@inline function isMidNumish(c: u8): bool { return c == MID_NUM || c == MID_NUM_LET || c == SINGLE_QUOTE; }

/** No word boundary between unit i and unit i+1? */
function joins(i: i32): bool {
  const a = cls(i);
  const b = cls(i + 1);
  if (isLetter(a) && isLetter(b)) return true; // WB5
  if (isLetter(a) && isMidLetterish(b) && isLetter(cls(i + 2))) return true; // WB6
  if (isMidLetterish(a) && isLetter(b) && isLetter(cls(i - 1))) return true; // WB7
  if (a == DIGIT && b == DIGIT) return true; // WB8
  if (isLetter(a) && b == DIGIT) return true; // WB9
  if (a == DIGIT && isLetter(b)) return true; // WB10
  if (isMidNumish(a) && b == DIGIT && cls(i - 1) == DIGIT) return true; // WB11
  if (a == DIGIT && isMidNumish(b) && cls(i + 2) == DIGIT) return true; // WB12
  if ((isLetter(a) || a == DIGIT || a == EXTEND_NUM_LET) && b == EXTEND_NUM_LET) return true; // WB13a
  if (a == EXTEND_NUM_LET && (isLetter(b) || b == DIGIT || b == KATAKANA)) return true; // WB13b
  if (a == KATAKANA && b == KATAKANA) return true; // WB13
  if (a == KATAKANA && b == EXTEND_NUM_LET) return true; // WB13a
  return false;
}

/** Splits [p, p+n) into tokens (start, length pairs in `tokens`). False when memory is short. */
function analyze(p: usize, n: usize): bool {
  unitCount = 0;
  tokenCount = 0;
  if (!units.ensure((n + 1) * 12) || !tokens.ensure((n + 1) * 8)) return false;
  let i: usize = 0;
  while (i < n) {
    const c = <u32>load<u8>(p + i);
    let len: usize = 1;
    if (c >= 0xf0) len = 4;
    else if (c >= 0xe0) len = 3;
    else if (c >= 0xc0) len = 2;
    if (i + len > n) len = n - i;
    let k = classOf(len == 1 ? c : codePoint(p + i, len));
    // WB4: a combining mark joins the character before it and takes its class.
    if (k == EXTEND && unitCount > 0) {
      const prev = units.ptr + <usize>(unitCount - 1) * 12;
      const pc = <u32>load<u8>(p + <usize>load<u32>(prev));
      if (pc != 10 && pc != 13) {
        store<u32>(prev, load<u32>(prev, 4) + <u32>len, 4);
        i += len;
        continue;
      }
    }
    if (k == EXTEND) k = OTHER;
    const u = units.ptr + <usize>unitCount * 12;
    store<u32>(u, <u32>i);
    store<u32>(u, <u32>len, 4);
    store<u32>(u, k, 8);
    unitCount++;
    i += len;
  }
  let start: i32 = 0;
  for (let k: i32 = 0; k < <i32>unitCount; k++) {
    if (k + 1 < <i32>unitCount && joins(k)) continue;
    // Segment [start, k]: a token when it holds a letter or a digit.
    let word = false;
    for (let m = start; m <= k; m++) {
      const c = cls(m);
      if (c == LETTER || c == DIGIT || c == EMOJI || c == IDEOGRAPHIC || c == KATAKANA) { word = true; break; }
    }
    if (word) {
      const s = load<u32>(units.ptr + <usize>start * 12);
      const e = load<u32>(units.ptr + <usize>k * 12) + load<u32>(units.ptr + <usize>k * 12, 4);
      store<u32>(tokens.ptr + <usize>tokenCount * 8, s);
      store<u32>(tokens.ptr + <usize>tokenCount * 8, e - s, 4);
      tokenCount++;
    }
    start = k + 1;
  }
  return true;
}

/** Lower-cases a token into `lowered` (ASCII and Latin-1 letters; same length); false when memory is short. */
function lowerInto(t: usize, n: usize): bool {
  if (!lowered.ensure(n + 1)) return false;
  for (let i: usize = 0; i < n; i++) {
    let c = load<u8>(t + i);
    if (c >= 65 && c <= 90) c += 32;
    else if (c == 0xc3 && i + 1 < n) {
      // U+00C0..U+00DE (not U+00D7) -> +0x20
      const d = load<u8>(t + i + 1);
      store<u8>(lowered.ptr + i, c);
      store<u8>(lowered.ptr + i + 1, d >= 0x80 && d <= 0x9e && d != 0x97 ? d + 0x20 : d);
      i++;
      continue;
    }
    store<u8>(lowered.ptr + i, c);
  }
  return true;
}

/** Comparison of a document token (lower-cased here) with a lower-cased query token. */
function tokenEquals(t: usize, tn: usize, q: usize, qn: usize): bool {
  if (tn != qn || !lowerInto(t, tn)) return false;
  for (let i: usize = 0; i < tn; i++) if (load<u8>(lowered.ptr + i) != load<u8>(q + i)) return false;
  return true;
}

@inline function tokenStart(p: usize, k: u32): usize { return p + <usize>load<u32>(tokens.ptr + <usize>k * 8); }
@inline function tokenLength(k: u32): usize { return <usize>load<u32>(tokens.ptr + <usize>k * 8, 4); }

/** Does any query token equal any token of the value (`match`, OR)? */
export function textAny(p: usize, n: usize, data: usize, dataLen: usize, count: u32): bool {
  if (!analyze(p, n)) return false;
  for (let k: u32 = 0; k < tokenCount; k++) {
    let q = data;
    for (let j: u32 = 0; j < count; j++) {
      if (q + 4 > data + dataLen) return false;
      const qn = <usize>load<u32>(q);
      if (tokenEquals(tokenStart(p, k), tokenLength(k), q + 4, qn)) return true;
      q += 4 + qn;
    }
  }
  return false;
}

/** Do the query tokens appear consecutively in the value's tokens (`match_phrase`)? */
export function textPhrase(p: usize, n: usize, data: usize, dataLen: usize, count: u32): bool {
  if (count == 0 || !analyze(p, n)) return false;
  for (let k: u32 = 0; k + count <= tokenCount; k++) {
    let q = data;
    let ok = true;
    for (let j: u32 = 0; j < count; j++) {
      if (q + 4 > data + dataLen) return false;
      const qn = <usize>load<u32>(q);
      if (!tokenEquals(tokenStart(p, k + j), tokenLength(k + j), q + 4, qn)) {
        ok = false;
        break;
      }
      q += 4 + qn;
    }
    if (ok) return true;
  }
  return false;
}

/** Does some token, lower-cased, match the lower-cased glob as a whole? */
export function textGlob(p: usize, n: usize, data: usize, dataLen: usize, parts: u32): bool {
  if (!analyze(p, n)) return false;
  for (let k: u32 = 0; k < tokenCount; k++) {
    const len = tokenLength(k);
    if (!lowerInto(tokenStart(p, k), len)) return false;
    if (globMatch(lowered.ptr, len, data, dataLen, parts)) return true;
  }
  return false;
}

/** Is some token (lower-cased) inside the range (literal as written, UTF-8 order)? */
export function textRange(p: usize, n: usize, flags: u32, data: usize, dataLen: usize): bool {
  if (!analyze(p, n)) return false;
  for (let k: u32 = 0; k < tokenCount; k++) {
    const len = tokenLength(k);
    if (!lowerInto(tokenStart(p, k), len)) return false;
    if (keywordInRange(lowered.ptr, len, flags, data, dataLen)) return true;
  }
  return false;
}
