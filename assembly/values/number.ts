// Numbers as Elasticsearch's numeric fields read them (docs/semantics.md, "numeric"): a JSON number,
// or a string in the number syntax N (surrounding characters <= U+0020 trimmed, optional sign,
// `5.`, `.5`, exponent); then truncated and range-checked for integer types, rounded to single or half
// precision for float types. Exact for the common case (<= 15 significant digits, small exponents);
// other inputs go through the standard library's parser, which allocates, but only for such values.
import { NumericKind } from '../program/format';

const POW10: StaticArray<f64> = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];

/** Parses syntax N in [p, p+n); NaN when it is not exactly one number. */
export function parseNumber(p: usize, n: usize): f64 {
  // Trim characters <= U+0020 (Java's String.trim).
  while (n > 0 && load<u8>(p) <= 0x20) { p++; n--; }
  while (n > 0 && load<u8>(p + n - 1) <= 0x20) n--;
  if (n == 0) return NaN;
  let i: usize = 0;
  let negative = false;
  const sign = load<u8>(p);
  if (sign == 0x2d || sign == 0x2b) {
    negative = sign == 0x2d;
    i = 1;
  }
  let mantissa: u64 = 0;
  let digits: i32 = 0; // significant digits kept in the mantissa
  let exp10: i32 = 0;
  let intDigits = 0;
  while (i < n) {
    const c = <u32>load<u8>(p + i) - 48;
    if (c >= 10) break;
    intDigits++;
    if (digits < 19) {
      mantissa = mantissa * 10 + c;
      if (mantissa != 0) digits++;
    } else exp10++;
    i++;
  }
  let fracDigits = 0;
  if (i < n && load<u8>(p + i) == 0x2e) {
    i++;
    while (i < n) {
      const c = <u32>load<u8>(p + i) - 48;
      if (c >= 10) break;
      fracDigits++;
      if (digits < 19) {
        mantissa = mantissa * 10 + c;
        if (mantissa != 0) digits++;
        exp10--;
      }
      i++;
    }
  }
  if (intDigits == 0 && fracDigits == 0) return NaN;
  if (i < n && (load<u8>(p + i) | 0x20) == 0x65) {
    i++;
    let expNegative = false;
    if (i < n && (load<u8>(p + i) == 0x2b || load<u8>(p + i) == 0x2d)) {
      expNegative = load<u8>(p + i) == 0x2d;
      i++;
    }
    let e: i32 = 0;
    let expDigits = false;
    while (i < n) {
      const c = <u32>load<u8>(p + i) - 48;
      if (c >= 10) break;
      expDigits = true;
      if (e < 100000) e = e * 10 + <i32>c;
      i++;
    }
    if (!expDigits) return NaN;
    exp10 += expNegative ? -e : e;
  }
  if (i != n) return NaN;
  let v: f64;
  if (mantissa == 0) v = 0;
  else if (digits <= 15 && exp10 >= -22 && exp10 <= 22) {
    v = <f64>mantissa;
    v = exp10 >= 0 ? v * unchecked(POW10[exp10]) : v / unchecked(POW10[-exp10]);
  } else {
    const start = sign == 0x2b || sign == 0x2d ? p + 1 : p;
    v = parseFloat(String.UTF8.decodeUnsafe(start, p + n - start));
  }
  return negative ? -v : v;
}

/** Rounds to the nearest IEEE half-precision value (ties to even), as a double; infinite beyond range. */
export function roundToHalf(x: f64): f64 {
  if (!isFinite(x) || x == 0) return x;
  const sign: f64 = x < 0 ? -1 : 1;
  const a = Math.abs(x);
  if (a >= 65520) return sign * Infinity;
  let e = <i32>Math.floor(Math.log2(a));
  while (Math.pow(2, e) > a) e--;
  while (Math.pow(2, e + 1) <= a) e++;
  if (e < -14) e = -14;
  const quantum = Math.pow(2, e - 10);
  const q = a / quantum;
  const floor = Math.floor(q);
  const diff = q - floor;
  const rounded = diff > 0.5 ? floor + 1 : diff < 0.5 ? floor : (floor % 2 == 0 ? floor : floor + 1);
  return sign * rounded * quantum;
}

/** The value a numeric field of `kind` indexes for a parsed number, or NaN (not indexed). */
export function toFieldPrecision(kind: u32, v: f64): f64 {
  if (!isFinite(v)) return NaN;
  if (kind >= NumericKind.Long) {
    const t = Math.trunc(v) + 0.0;
    let lo: f64 = 0;
    let hi: f64 = 0;
    if (kind == NumericKind.Byte) { lo = -128; hi = 128; }
    else if (kind == NumericKind.Short) { lo = -32768; hi = 32768; }
    else if (kind == NumericKind.Integer) { lo = -2147483648; hi = 2147483648; }
    else if (kind == NumericKind.Long) { lo = -9223372036854775808.0; hi = 9223372036854775808.0; }
    else { lo = 0; hi = 18446744073709551616.0; }
    return t >= lo && t < hi ? t : NaN;
  }
  if (kind == NumericKind.Float) {
    const f = <f64><f32>v;
    return isFinite(f) ? f : NaN;
  }
  if (kind == NumericKind.HalfFloat) {
    const h = roundToHalf(<f64><f32>v);
    return isFinite(h) ? h : NaN;
  }
  return v;
}
