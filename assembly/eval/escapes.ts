// Which characters a record's escapes could spell. A literal the prefilter looks for can occur in a
// decoded value without occurring in the raw bytes only through a `\uXXXX` or `\/` escape of one of
// its characters (other escapes spell control characters, quotes and backslashes, which literals
// never hold but for the leading quote, and that one is written as is even inside an embedded
// `\"...\"` string). So one pass over a record's escapes notes the ASCII characters they spell; a
// rule is rejected when its literals are absent and share no character with that set.
// Escapes whose meaning depends on a deeper level of escaping (a run of backslashes before the `u`,
// a `\u005c`, a `\u` without four hex digits) make every literal unsafe: that keeps exact
// the records that carry JSON inside a string (a `log` field), where `\\u0066` spells `f`.

/** Characters 0..63 and 64..127 that escapes in the record spell (one bit each). */
export let spelledLow: u64 = 0;
export let spelledHigh: u64 = 0;
/** Some escape spells a non-ASCII character. */
export let spelledNonAscii = false;
/** Some escape could spell anything. */
export let spelledAny = false;

const BACKSLASHES: u64 = 0x5c5c5c5c5c5c5c5c;
const US: u64 = 0x7575757575757575;
const SLASHES: u64 = 0x2f2f2f2f2f2f2f2f;
const ONES: u64 = 0x0101010101010101;
const HIGHS: u64 = 0x8080808080808080;

/** The summary of a record without a single backslash. */
export function noEscapes(): void {
  spelledLow = 0;
  spelledHigh = 0;
  spelledNonAscii = false;
  spelledAny = false;
}

/**
 * Fills the spelled* summary for the record [p, p + n), whose first backslash is at or after `from`
 * (a native memchr tells where: in audit events it is mostly in the last ~10%, the annotations).
 */
export function noteEscapes(p: usize, n: usize, from: usize = 0): void {
  spelledLow = 0;
  spelledHigh = 0;
  spelledNonAscii = false;
  spelledAny = false;
  const end = p + n;
  let at = from > p && from < end ? from : p;
  // 64 bytes per step in one expression (no locals: the interpreter pays for each local access).
  // `(w ^ 0x5c..) - 0x01..` sets a high bit at every backslash (and at bytes >= 0x80 and after a
  // borrow, which only costs a closer look): Fluent Bit's default interpreter runs this ~1.2 wasm
  // instructions per byte, over every record a rule is rejected on.
  while (at + 64 <= end) {
    const flagged =
      ((load<u64>(at) ^ BACKSLASHES) - ONES) |
      ((load<u64>(at, 8) ^ BACKSLASHES) - ONES) |
      ((load<u64>(at, 16) ^ BACKSLASHES) - ONES) |
      ((load<u64>(at, 24) ^ BACKSLASHES) - ONES) |
      ((load<u64>(at, 32) ^ BACKSLASHES) - ONES) |
      ((load<u64>(at, 40) ^ BACKSLASHES) - ONES) |
      ((load<u64>(at, 48) ^ BACKSLASHES) - ONES) |
      ((load<u64>(at, 56) ^ BACKSLASHES) - ONES);
    if ((flagged & HIGHS) != 0 && noteEscapesIn(at, at + 64, p, end)) return;
    at += 64;
  }
  noteEscapesIn(at, end, p, end);
}

/** Escapes starting in [at, to) of the record [start, end); true once one could spell anything. */
function noteEscapesIn(at: usize, to: usize, start: usize, end: usize): bool {
  while (at < to) {
    if (at + 9 <= end && at + 8 <= to) {
      // A backslash in these 8 bytes, and one followed by `u` or `/`? (the same loose test, then paired)
      const backslashes = ((load<u64>(at) ^ BACKSLASHES) - ONES) & HIGHS;
      if (backslashes == 0 || (backslashes & (((load<u64>(at, 1) ^ US) - ONES) | ((load<u64>(at, 1) ^ SLASHES) - ONES))) == 0) {
        at += 8;
        continue;
      }
    }
    const stop = at + 8 < to ? at + 8 : to;
    for (; at < stop; at++) {
      if (load<u8>(at) != 0x5c || at + 1 >= end) continue;
      const c = load<u8>(at, 1);
      if ((c == 0x75 || c == 0x2f) && noteEscape(at, c, start, end)) return true;
    }
  }
  return false;
}

/** The escape whose backslash is at `at` (followed by `c`, `u` or `/`); true when it could spell anything. */
function noteEscape(at: usize, c: u8, start: usize, end: usize): bool {
  if (c == 0x2f) {
    // Backslashes before it only escape one another, one level down: '/' at every level.
    spelledLow |= <u64>1 << 0x2f;
    return false;
  }
  if (at > start && load<u8>(at - 1) == 0x5c) return (spelledAny = true); // deeper escaping
  if (at + 6 > end) return (spelledAny = true);
  let code: u32 = 0;
  for (let k: usize = 2; k < 6; k++) {
    const d = hexDigit(load<u8>(at + k));
    if (d < 0) return (spelledAny = true);
    code = (code << 4) | <u32>d;
  }
  if (code >= 0x80) spelledNonAscii = true;
  else if (code == 0x5c) return (spelledAny = true); // `\u005cu0066` is `\u0066` one level down
  else if (code < 64) spelledLow |= <u64>1 << code;
  else spelledHigh |= <u64>1 << (code - 64);
  return false;
}

function hexDigit(c: u8): i32 {
  if (c >= 0x30 && c <= 0x39) return <i32>c - 0x30;
  const l = c | 0x20;
  if (l >= 0x61 && l <= 0x66) return <i32>l - 0x61 + 10;
  return -1;
}

/** Could the noted escapes spell a character of these literals (given as their character summary)? */
export function escapesMaySpell(low: u64, high: u64, nonAscii: bool): bool {
  return spelledAny || (spelledNonAscii && nonAscii) || (spelledLow & low) != 0 || (spelledHigh & high) != 0;
}
