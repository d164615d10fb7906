// Analysed text (the `text` field type): the value is split into lower-cased tokens and compared
// token by token. The tokenizer is an approximation of Lucene's standard analyzer, documented in
// docs/semantics.md; the reference evaluator uses the same rules.
// Query data is pre-analysed by the compiler: a list of tokens (u32 length + bytes each).
import { bytesEqual } from '../json/strings';
import { globMatch } from '../eval/glob';

@inline function isWordByte(c: u32): bool {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c == 95 || c >= 0x80;
}

let tokStart: usize = 0;
let tokLen: usize = 0;

/** Finds the next token at or after `from` in [p, p+n); sets tokStart/tokLen; returns the position after it or n+1 when none. */
function nextToken(p: usize, n: usize, from: usize): usize {
  let i = from;
  while (i < n && !isWordByte(<u32>load<u8>(p + i))) i++;
  if (i >= n) return n + 1;
  const s = i;
  while (i < n && isWordByte(<u32>load<u8>(p + i))) i++;
  tokStart = p + s;
  tokLen = i - s;
  return i;
}

/** Case-insensitive (ASCII) comparison of a document token with a lower-cased query token. */
function tokenEquals(t: usize, tn: usize, q: usize, qn: usize): bool {
  if (tn != qn) return false;
  for (let i: usize = 0; i < tn; i++) {
    let c = <u32>load<u8>(t + i);
    if (c >= 65 && c <= 90) c += 32;
    if (c != <u32>load<u8>(q + i)) return false;
  }
  return true;
}

/** Does any query token equal any token of the value (`match` with the OR operator)? */
export function textAny(p: usize, n: usize, data: usize, dataLen: usize, count: u32): bool {
  let pos: usize = 0;
  while (true) {
    pos = nextToken(p, n, pos);
    if (pos > n) return false;
    let q = data;
    for (let k: u32 = 0; k < count; k++) {
      if (q + 4 > data + dataLen) return false;
      const qn = <usize>load<u32>(q);
      if (tokenEquals(tokStart, tokLen, q + 4, qn)) return true;
      q += 4 + qn;
    }
  }
}

/** Do the query tokens appear consecutively in the value (`match_phrase`)? */
export function textPhrase(p: usize, n: usize, data: usize, dataLen: usize, count: u32): bool {
  if (count == 0) return false;
  let start: usize = 0;
  while (true) {
    start = nextToken(p, n, start);
    if (start > n) return false;
    // Try the phrase from this token.
    let pos = start;
    let q = data;
    let ok = true;
    let ts = tokStart;
    let tl = tokLen;
    for (let k: u32 = 0; k < count; k++) {
      if (k > 0) {
        pos = nextToken(p, n, pos);
        if (pos > n) return false;
        ts = tokStart;
        tl = tokLen;
      }
      if (q + 4 > data + dataLen) return false;
      const qn = <usize>load<u32>(q);
      if (!tokenEquals(ts, tl, q + 4, qn)) {
        ok = false;
        break;
      }
      q += 4 + qn;
    }
    if (ok) return true;
  }
}

const lowerRegionPtr = memory.data(1024);

/** Does some token (lower-cased) match the lower-cased glob? Tokens over 1024 bytes never match. */
export function textGlob(p: usize, n: usize, data: usize, dataLen: usize, parts: u32): bool {
  let pos: usize = 0;
  while (true) {
    pos = nextToken(p, n, pos);
    if (pos > n) return false;
    if (tokLen > 1024) continue;
    for (let i: usize = 0; i < tokLen; i++) {
      let c = load<u8>(tokStart + i);
      if (c >= 65 && c <= 90) c += 32;
      store<u8>(lowerRegionPtr + i, c);
    }
    if (globMatch(lowerRegionPtr, tokLen, data, dataLen, parts)) return true;
  }
}
