// Reading numbers out of JSON text (a number token or a numeric string, which Elasticsearch coerces).
// Exact for the common case (up to 15 significant digits, small exponents); other inputs take the
// standard library's parser, which allocates, but only for such rare values.

const POW10: StaticArray<f64> = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];

/** Parses the JSON number grammar in [p, p+n); NaN when the bytes are not exactly one number. */
export function parseNumber(p: usize, n: usize): f64 {
  if (n == 0) return NaN;
  let i: usize = 0;
  let negative = false;
  if (load<u8>(p) == 0x2d) {
    negative = true;
    i = 1;
  }
  if (i >= n) return NaN;
  let mantissa: u64 = 0;
  let digits: i32 = 0;
  let exp10: i32 = 0;
  let sawDigit = false;
  let first = <u32>load<u8>(p + i);
  if (first == 0x30) {
    i++;
    sawDigit = true;
  } else {
    while (i < n) {
      const c = <u32>load<u8>(p + i) - 48;
      if (c >= 10) break;
      sawDigit = true;
      if (digits < 19) {
        mantissa = mantissa * 10 + c;
        if (mantissa != 0) digits++;
      } else exp10++;
      i++;
    }
  }
  if (!sawDigit) return NaN;
  if (i < n && load<u8>(p + i) == 0x2e) {
    i++;
    let fracDigits = false;
    while (i < n) {
      const c = <u32>load<u8>(p + i) - 48;
      if (c >= 10) break;
      fracDigits = true;
      if (digits < 19) {
        mantissa = mantissa * 10 + c;
        if (mantissa != 0) digits++;
        exp10--;
      }
      i++;
    }
    if (!fracDigits) return NaN;
  }
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
    v = parseFloat(String.UTF8.decodeUnsafe(p + (negative ? 1 : 0), n - (negative ? 1 : 0)));
  }
  return negative ? -v : v;
}
