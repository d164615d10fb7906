// Anchored `*` globs on bytes (the only wildcard KQL has): the pattern is its literal parts
// (u32 length + bytes each); the value must start with the first part, end with the last,
// and hold the middle parts in order. Leftmost matching of each middle part is enough for `*`-only
// patterns, so no backtracking is needed.
import { bytesEqual } from '../json/strings';

/** Finds needle in [p, p+n) starting at from; returns its offset or -1. */
export function indexOfBytes(p: usize, n: usize, from: usize, needle: usize, m: usize): isize {
  if (m == 0) return <isize>from;
  if (m > n) return -1;
  const first = load<u8>(needle);
  const last = n - m;
  for (let i = from; i <= last; i++) {
    if (load<u8>(p + i) == first && bytesEqual(p + i, needle, m)) return <isize>i;
  }
  return -1;
}

export function containsBytes(p: usize, n: usize, needle: usize, m: usize): bool {
  return indexOfBytes(p, n, 0, needle, m) >= 0;
}

/** Matches [p, p+n) against `parts` glob parts encoded at data (see above). */
export function globMatch(p: usize, n: usize, data: usize, dataLen: usize, parts: u32): bool {
  if (parts == 0) return false;
  let q = data;
  const dataEnd = data + dataLen;
  let lo: usize = 0; // next unmatched position in the value
  let hi: usize = n; // end of the region still available
  for (let i: u32 = 0; i < parts; i++) {
    if (q + 4 > dataEnd) return false;
    const m = <usize>load<u32>(q);
    const part = q + 4;
    if (part + m > dataEnd) return false;
    q = part + m;
    if (i == 0) {
      if (m > n || !bytesEqual(p, part, m)) return false;
      lo = m;
      if (parts == 1) return lo == n; // no star at all: exact
      continue;
    }
    if (i == parts - 1) {
      if (m > hi - lo) return false;
      return bytesEqual(p + n - m, part, m);
    }
    const at = indexOfBytes(p, hi, lo, part, m);
    if (at < 0) return false;
    lo = <usize>at + m;
  }
  return true;
}

/** Bytes of the UTF-8 sequence a lead byte starts (1 for a stray continuation byte). */
@inline function utf8Width(b: u32): usize {
  return b < 0xc0 ? 1 : b < 0xe0 ? 2 : b < 0xf0 ? 3 : 4;
}

/**
 * EQL wildcard (`like`, `:` with a pattern): [p, p+n) against the pattern bytes, `*` any sequence,
 * `?` exactly one character (one UTF-8 sequence); anchored; no escapes. Greedy with one backtrack
 * point (the last star), which is exact for these two wildcards.
 */
export function eqlWildcardMatch(p: usize, n: usize, pat: usize, m: usize): bool {
  let ti: usize = 0;
  let pi: usize = 0;
  let starP: isize = -1;
  let starT: usize = 0;
  while (ti < n) {
    if (pi < m) {
      const c = <u32>load<u8>(pat + pi);
      if (c == 0x3f) {
        ti += utf8Width(<u32>load<u8>(p + ti));
        if (ti > n) ti = n;
        pi++;
        continue;
      }
      if (c == 0x2a) {
        starP = <isize>pi;
        pi++;
        starT = ti;
        continue;
      }
      if (c == <u32>load<u8>(p + ti)) {
        ti++;
        pi++;
        continue;
      }
    }
    if (starP < 0) return false;
    pi = <usize>starP + 1;
    starT += utf8Width(<u32>load<u8>(p + starT));
    if (starT > n) return false;
    ti = starT;
  }
  while (pi < m && load<u8>(pat + pi) == 0x2a) pi++;
  return pi == m;
}
