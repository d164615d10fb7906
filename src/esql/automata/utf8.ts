// Code point ranges as UTF-8 byte-range sequences: [lo, hi] becomes a few sequences of byte ranges,
// each matching exactly the encodings of a sub-range (the classic split at encoding-length and
// continuation-byte boundaries). Surrogates (D800-DFFF) have no UTF-8 encoding and match nothing.

export type ByteRange = [number, number];

const MAX_BY_LENGTH = [0x7f, 0x7ff, 0xffff, 0x10ffff];

export function encodeUtf8(cp: number): number[] {
  if (cp < 0x80) return [cp];
  if (cp < 0x800) return [0xc0 | (cp >> 6), 0x80 | (cp & 0x3f)];
  if (cp < 0x10000) return [0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f)];
  return [0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3f), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f)];
}

/** The byte-range sequences matching the UTF-8 encodings of the code points lo..hi. */
export function utf8Sequences(lo: number, hi: number): ByteRange[][] {
  const out: ByteRange[][] = [];
  const pieces: [number, number][] = [];
  // Drop the surrogates.
  if (lo <= 0xd7ff) pieces.push([lo, Math.min(hi, 0xd7ff)]);
  if (hi >= 0xe000) pieces.push([Math.max(lo, 0xe000), hi]);
  for (const [a, b] of pieces) if (a <= b) splitByLength(a, b, out);
  return out;
}

function splitByLength(lo: number, hi: number, out: ByteRange[][]): void {
  let start = 0;
  for (let n = 0; n < 4; n++) {
    const top = MAX_BY_LENGTH[n];
    const a = Math.max(lo, start);
    const b = Math.min(hi, top);
    if (a <= b) split(a, b, n + 1, out);
    start = top + 1;
  }
}

function split(lo: number, hi: number, n: number, out: ByteRange[][]): void {
  if (n > 1) {
    for (let i = 1; i < n; i++) {
      const m = (1 << (6 * i)) - 1;
      if ((lo & ~m) !== (hi & ~m)) {
        if ((lo & m) !== 0) {
          split(lo, lo | m, n, out);
          split((lo | m) + 1, hi, n, out);
          return;
        }
        if ((hi & m) !== m) {
          split(lo, (hi & ~m) - 1, n, out);
          split(hi & ~m, hi, n, out);
          return;
        }
      }
    }
  }
  const a = encodeUtf8(lo);
  const b = encodeUtf8(hi);
  out.push(a.map((x, i) => [x, b[i]]));
}
