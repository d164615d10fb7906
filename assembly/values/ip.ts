// IP addresses as Elasticsearch's ip type reads them: IPv4 and IPv6 (with ::, and an embedded IPv4
// tail), normalised to 16 bytes (IPv4 as IPv4-mapped IPv6), so one comparison serves both.

/** Parses the address in [p, p+n) into 16 bytes at out. */
export function parseIp(p: usize, n: usize, out: usize): bool {
  if (n == 0 || n > 45) return false;
  let hasColon = false;
  for (let i: usize = 0; i < n; i++) if (load<u8>(p + i) == 0x3a) { hasColon = true; break; }
  if (!hasColon) {
    memory.fill(out, 0, 10);
    store<u8>(out + 10, 0xff);
    store<u8>(out + 11, 0xff);
    return parseIpv4(p, n, out + 12);
  }
  return parseIpv6(p, n, out);
}

function parseIpv4(p: usize, n: usize, out: usize): bool {
  let part: u32 = 0;
  let value: u32 = 0;
  let digits: u32 = 0;
  for (let i: usize = 0; i <= n; i++) {
    const c = i < n ? <u32>load<u8>(p + i) : 0x2e;
    if (c == 0x2e) {
      if (digits == 0 || part > 3) return false;
      store<u8>(out + part, <u8>value);
      part++;
      value = 0;
      digits = 0;
      continue;
    }
    if (c < 48 || c > 57) return false;
    if (digits > 0 && value == 0) return false; // no leading zeros
    value = value * 10 + (c - 48);
    digits++;
    if (value > 255) return false;
  }
  return part == 4;
}

@inline function hexDigit(c: u32): i32 {
  if (c >= 48 && c <= 57) return <i32>c - 48;
  if (c >= 97 && c <= 102) return <i32>c - 87;
  if (c >= 65 && c <= 70) return <i32>c - 55;
  return -1;
}

function parseIpv6(p: usize, n: usize, out: usize): bool {
  // Groups before and after "::" are collected separately, then the gap is zero-filled.
  const groups = memory.data(16); // up to 8 u16 groups
  let count: i32 = 0;
  let gapAt: i32 = -1;
  let i: usize = 0;
  if (n >= 2 && load<u8>(p) == 0x3a) {
    if (load<u8>(p + 1) != 0x3a) return false;
    gapAt = 0;
    i = 2;
    if (i == n) {
      memory.fill(out, 0, 16);
      return true;
    }
  }
  while (i < n) {
    // An IPv4 tail takes the last two groups.
    let j = i;
    let isV4 = false;
    while (j < n && load<u8>(p + j) != 0x3a) {
      if (load<u8>(p + j) == 0x2e) isV4 = true;
      j++;
    }
    if (isV4) {
      if (j != n || count > 6) return false;
      const v4 = memory.data(4);
      if (!parseIpv4(p + i, j - i, v4)) return false;
      store<u16>(groups + <usize>count * 2, (<u16>load<u8>(v4) << 8) | load<u8>(v4, 1));
      store<u16>(groups + <usize>(count + 1) * 2, (<u16>load<u8>(v4, 2) << 8) | load<u8>(v4, 3));
      count += 2;
      i = n;
      break;
    }
    if (j == i || j - i > 4 || count >= 8) return false;
    let v: u32 = 0;
    for (let k = i; k < j; k++) {
      const h = hexDigit(<u32>load<u8>(p + k));
      if (h < 0) return false;
      v = (v << 4) | <u32>h;
    }
    store<u16>(groups + <usize>count * 2, <u16>v);
    count++;
    if (j == n) { i = n; break; }
    // j is at ':'
    if (j + 1 < n && load<u8>(p + j + 1) == 0x3a) {
      if (gapAt >= 0) return false;
      gapAt = count;
      i = j + 2;
      if (i == n) break;
    } else {
      i = j + 1;
      if (i == n) return false;
    }
  }
  if (gapAt < 0 && count != 8) return false;
  if (gapAt >= 0 && count > 7) return false;
  memory.fill(out, 0, 16);
  const tail = gapAt < 0 ? 0 : count - gapAt;
  const head = gapAt < 0 ? count : gapAt;
  for (let g = 0; g < head; g++) {
    const v = load<u16>(groups + <usize>g * 2);
    store<u8>(out + <usize>g * 2, <u8>(v >> 8));
    store<u8>(out + <usize>g * 2 + 1, <u8>v);
  }
  for (let g = 0; g < tail; g++) {
    const v = load<u16>(groups + <usize>(head + g) * 2);
    const at = 8 - tail + g;
    store<u8>(out + <usize>at * 2, <u8>(v >> 8));
    store<u8>(out + <usize>at * 2 + 1, <u8>v);
  }
  return true;
}

/** Compares two 16-byte addresses: <0, 0, >0. */
export function compareIp(a: usize, b: usize): i32 {
  for (let i: usize = 0; i < 16; i++) {
    const x = <i32>load<u8>(a + i);
    const y = <i32>load<u8>(b + i);
    if (x != y) return x - y;
  }
  return 0;
}
