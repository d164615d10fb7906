// Byte-level helpers for JSON strings in linear memory: finding their end without decoding,
// decoding escapes into UTF-8, comparing byte ranges. None of these can read outside [ptr, end).

/** Bytes equal? */
export function bytesEqual(a: usize, b: usize, n: usize): bool {
  let i: usize = 0;
  while (i + 8 <= n) {
    if (load<u64>(a + i) != load<u64>(b + i)) return false;
    i += 8;
  }
  while (i < n) {
    if (load<u8>(a + i) != load<u8>(b + i)) return false;
    i++;
  }
  return true;
}

/** Lexicographic comparison of byte strings (UTF-8 byte order = code point order): <0, 0, >0. */
export function bytesCompare(a: usize, an: usize, b: usize, bn: usize): i32 {
  const n = an < bn ? an : bn;
  for (let i: usize = 0; i < n; i++) {
    const x = <i32>load<u8>(a + i);
    const y = <i32>load<u8>(b + i);
    if (x != y) return x - y;
  }
  return an < bn ? -1 : an > bn ? 1 : 0;
}

@inline export function hexValue(c: u32): i32 {
  if (c >= 48 && c <= 57) return <i32>c - 48;
  if (c >= 97 && c <= 102) return <i32>c - 87;
  if (c >= 65 && c <= 70) return <i32>c - 55;
  return -1;
}

/** Word with each byte set to b. */
@inline function splat(b: u64): u64 {
  return b * 0x0101010101010101;
}

const ONES: u64 = 0x0101010101010101;
const HIGHS: u64 = 0x8080808080808080;

/**
 * High bit of each byte of w that is a quote, a backslash or below 0x20. Only the lowest flagged byte
 * is exact (a borrow can flag bytes above it), which is all a scan needs: ctz finds it in one step
 * instead of a byte loop over the rest of the word.
 */
@inline function specialBytes(w: u64): u64 {
  const q = w ^ splat(0x22);
  const b = w ^ splat(0x5c);
  return (((q - ONES) & ~q) | ((b - ONES) & ~b) | ((w - splat(0x20)) & ~w)) & HIGHS;
}

export let stringHasEscapes: bool = false;

/**
 * Scans a JSON string whose opening quote is at `pos - 1`; returns the position of the closing quote,
 * or 0 when the string is invalid or unterminated. Sets `stringHasEscapes`.
 * Eight bytes per load, up to the first quote, backslash or control byte.
 */
export function scanString(pos: usize, end: usize): usize {
  stringHasEscapes = false;
  while (true) {
    while (pos + 8 <= end) {
      const special = specialBytes(load<u64>(pos));
      if (special != 0) {
        pos += <usize>(ctz(special) >> 3);
        break;
      }
      pos += 8;
    }
    if (pos >= end) return 0;
    const c = <u32>load<u8>(pos);
    if (c == 0x22) return pos;
    if (c < 0x20) return 0;
    if (c == 0x5c) {
      stringHasEscapes = true;
      if (pos + 1 >= end) return 0;
      const e = <u32>load<u8>(pos + 1);
      if (e == 0x75) {
        if (pos + 6 > end) return 0;
        for (let k: usize = 2; k < 6; k++) if (hexValue(<u32>load<u8>(pos + k)) < 0) return 0;
        pos += 6;
        continue;
      }
      if (e == 0x22 || e == 0x5c || e == 0x2f || e == 0x62 || e == 0x66 || e == 0x6e || e == 0x72 || e == 0x74) {
        pos += 2;
        continue;
      }
      return 0;
    }
    pos++;
  }
  return 0; // not reached
}

@inline function hex4(p: usize): u32 {
  return <u32>((hexValue(load<u8>(p)) << 12) | (hexValue(load<u8>(p + 1)) << 8) | (hexValue(load<u8>(p + 2)) << 4) | hexValue(load<u8>(p + 3)));
}

/**
 * Decodes the content of an already-validated JSON string [src, srcEnd) into UTF-8 at dst; returns the
 * decoded length (never more than srcEnd - src). Lone surrogates are written as 3-byte sequences
 * (WTF-8), as a JavaScript string would keep them.
 */
export function decodeString(src: usize, srcEnd: usize, dst: usize): usize {
  let o = dst;
  let p = src;
  while (p < srcEnd) {
    const c = <u32>load<u8>(p);
    if (c != 0x5c) {
      store<u8>(o++, <u8>c);
      p++;
      continue;
    }
    const e = <u32>load<u8>(p + 1);
    p += 2;
    if (e == 0x6e) store<u8>(o++, 10);
    else if (e == 0x74) store<u8>(o++, 9);
    else if (e == 0x72) store<u8>(o++, 13);
    else if (e == 0x62) store<u8>(o++, 8);
    else if (e == 0x66) store<u8>(o++, 12);
    else if (e != 0x75) store<u8>(o++, <u8>e); // \" \\ \/
    else {
      let cp = hex4(p);
      p += 4;
      if (cp >= 0xd800 && cp < 0xdc00 && p + 6 <= srcEnd && load<u8>(p) == 0x5c && load<u8>(p + 1) == 0x75) {
        const lo = hex4(p + 2);
        if (lo >= 0xdc00 && lo < 0xe000) {
          cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
          p += 6;
        }
      }
      o = writeUtf8(o, cp);
    }
  }
  return o - dst;
}

export function writeUtf8(o: usize, cp: u32): usize {
  if (cp < 0x80) {
    store<u8>(o, <u8>cp);
    return o + 1;
  }
  if (cp < 0x800) {
    store<u8>(o, <u8>(0xc0 | (cp >> 6)));
    store<u8>(o + 1, <u8>(0x80 | (cp & 63)));
    return o + 2;
  }
  if (cp < 0x10000) {
    store<u8>(o, <u8>(0xe0 | (cp >> 12)));
    store<u8>(o + 1, <u8>(0x80 | ((cp >> 6) & 63)));
    store<u8>(o + 2, <u8>(0x80 | (cp & 63)));
    return o + 3;
  }
  store<u8>(o, <u8>(0xf0 | (cp >> 18)));
  store<u8>(o + 1, <u8>(0x80 | ((cp >> 12) & 63)));
  store<u8>(o + 2, <u8>(0x80 | ((cp >> 6) & 63)));
  store<u8>(o + 3, <u8>(0x80 | (cp & 63)));
  return o + 4;
}

/** Number of UTF-16 code units of a UTF-8 byte string (Elasticsearch counts ignore_above in these). */
export function utf16Length(p: usize, n: usize): u32 {
  let units: u32 = 0;
  for (let i: usize = 0; i < n; i++) {
    const c = <u32>load<u8>(p + i);
    if ((c & 0xc0) != 0x80) units++;
    if (c >= 0xf0) units++; // a 4-byte sequence is a surrogate pair
  }
  return units;
}
