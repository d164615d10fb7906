// Growable byte regions in linear memory, outside the garbage collector.
// The evaluator keeps every per-record structure in a few of these regions, reset
// (not freed) between records, so a non-matching record costs no allocation and
// memory stays bounded by the largest record seen.

/** A region that is at least `cap` bytes; growing keeps the content. */
export class Region {
  ptr: usize = 0;
  cap: usize = 0;

  /** Makes room for `size` bytes; returns false when memory cannot be had (the caller passes the record through). */
  ensure(size: usize): bool {
    if (size <= this.cap) return true;
    let want = this.cap < 256 ? <usize>256 : this.cap;
    while (want < size) {
      want <<= 1;
    }
    if (want > MAX_REGION) {
      if (size > MAX_REGION) return false;
      want = MAX_REGION;
    }
    this.ptr = this.ptr == 0 ? heap.alloc(want) : heap.realloc(this.ptr, want);
    this.cap = want;
    return true;
  }
}

/** The largest region we allow: beyond it a record is passed through instead of risking a failed
 *  memory.grow inside the allocator (which would trap). */
export const MAX_REGION: usize = 256 << 20;

/** An append-only byte writer on top of a Region (used for the tagged output and JSON fragments). */
export class ByteWriter {
  region: Region = new Region();
  len: usize = 0;
  failed: bool = false;

  reset(): void {
    this.len = 0;
    this.failed = false;
  }

  @inline reserve(n: usize): bool {
    if (this.failed) return false;
    if (this.len + n > this.region.cap) {
      if (!this.region.ensure(this.len + n)) {
        this.failed = true;
        return false;
      }
    }
    return true;
  }

  bytes(src: usize, n: usize): void {
    if (!this.reserve(n)) return;
    memory.copy(this.region.ptr + this.len, src, n);
    this.len += n;
  }

  byte(b: u8): void {
    if (!this.reserve(1)) return;
    store<u8>(this.region.ptr + this.len, b);
    this.len += 1;
  }

  /** Writes an ASCII string constant (only for short literal punctuation and keys). */
  ascii(s: string): void {
    const n = <usize>s.length;
    if (!this.reserve(n)) return;
    for (let i: usize = 0; i < n; i++) store<u8>(this.region.ptr + this.len + i, <u8>s.charCodeAt(<i32>i));
    this.len += n;
  }

  /** Writes a non-negative integer in decimal. */
  uint(v: u64): void {
    if (!this.reserve(20)) return;
    let tmp = v;
    let digits: usize = 1;
    while (tmp >= 10) {
      tmp /= 10;
      digits++;
    }
    let p = this.region.ptr + this.len + digits;
    do {
      p--;
      store<u8>(p, <u8>(48 + v % 10));
      v /= 10;
    } while (v != 0);
    this.len += digits;
  }

  /**
   * Writes bytes as the content of a JSON string (no quotes), escaping what JSON requires. Output is
   * always valid UTF-8: a surrogate kept from a lone `\uD8xx` escape is written as that escape again,
   * and any other byte that is not part of a valid UTF-8 sequence becomes U+FFFD.
   */
  jsonStringContent(src: usize, n: usize): void {
    let i: usize = 0;
    while (i < n) {
      // A run of bytes that need no escape (printable ASCII but '"' and '\\') is copied at once: a
      // call per byte cost more than the rest of rendering a value in an interpreter.
      const run = plainAsciiRun(src + i, n - i);
      if (run > 0) {
        this.bytes(src + i, run);
        i += run;
        if (i >= n) break;
      }
      const c = <u32>load<u8>(src + i);
      if (c < 0x80) {
        if (c == 0x22 || c == 0x5c) {
          this.byte(0x5c);
          this.byte(<u8>c);
        } else if (c < 0x20) {
          this.unicodeEscape(c);
        } else {
          this.byte(<u8>c);
        }
        i++;
        continue;
      }
      const len = utf8SequenceLength(src + i, n - i);
      if (len > 0) {
        this.bytes(src + i, len);
        i += len;
      } else if (c == 0xed && i + 2 < n && (load<u8>(src + i + 1) & 0xe0) == 0xa0 && (load<u8>(src + i + 2) & 0xc0) == 0x80) {
        this.unicodeEscape(0xd000 | ((<u32>load<u8>(src + i + 1) & 0x3f) << 6) | (<u32>load<u8>(src + i + 2) & 0x3f));
        i += 3;
      } else {
        this.ascii('\\ufffd');
        i++;
      }
    }
  }

  private unicodeEscape(cp: u32): void {
    this.ascii('\\u');
    this.byte(hexDigit(<u8>((cp >> 12) & 15)));
    this.byte(hexDigit(<u8>((cp >> 8) & 15)));
    this.byte(hexDigit(<u8>((cp >> 4) & 15)));
    this.byte(hexDigit(<u8>(cp & 15)));
  }
}

const ONES: u64 = 0x0101010101010101;
const HIGHS: u64 = 0x8080808080808080;

/** Length of the prefix of [p, p+n) that JSON writes as is: bytes 0x20..0x7f but '"' and '\\'. */
export function plainAsciiRun(p: usize, n: usize): usize {
  let i: usize = 0;
  while (i + 8 <= n) {
    const w = load<u64>(p + i);
    const q = w ^ 0x2222222222222222;
    const b = w ^ 0x5c5c5c5c5c5c5c5c;
    // Exact "any byte is ..." tests (a borrow only ever flags bytes above a true one).
    if (((w | ((q - ONES) & ~q) | ((b - ONES) & ~b) | ((w - 0x2020202020202020) & ~w)) & HIGHS) != 0) break;
    i += 8;
  }
  while (i < n) {
    const c = <u32>load<u8>(p + i);
    if (c < 0x20 || c >= 0x80 || c == 0x22 || c == 0x5c) break;
    i++;
  }
  return i;
}

/** Length of the valid (non-surrogate, shortest-form) UTF-8 sequence at p, or 0. */
function utf8SequenceLength(p: usize, avail: usize): usize {
  const c = <u32>load<u8>(p);
  let len: usize;
  let min: u32;
  let cp: u32;
  if ((c & 0xe0) == 0xc0) { len = 2; min = 0x80; cp = c & 0x1f; }
  else if ((c & 0xf0) == 0xe0) { len = 3; min = 0x800; cp = c & 0x0f; }
  else if ((c & 0xf8) == 0xf0) { len = 4; min = 0x10000; cp = c & 0x07; }
  else return 0;
  if (len > avail) return 0;
  for (let k: usize = 1; k < len; k++) {
    const b = <u32>load<u8>(p + k);
    if ((b & 0xc0) != 0x80) return 0;
    cp = (cp << 6) | (b & 0x3f);
  }
  if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp < 0xe000)) return 0;
  return len;
}

@inline function hexDigit(v: u8): u8 {
  return v < 10 ? 48 + v : 87 + v;
}
