// Dates as Elasticsearch's default date format reads them (strict_date_optional_time||epoch_millis),
// to milliseconds since the epoch (UTC). Digits past the millisecond are dropped.

export const BAD_DATE: i64 = i64.MIN_VALUE;

/** Days from 1970-01-01 to the given civil date (proleptic Gregorian). */
export function daysFromCivil(y: i64, m: i64, d: i64): i64 {
  y -= m <= 2 ? 1 : 0;
  const era = (y >= 0 ? y : y - 399) / 400;
  const yoe = y - era * 400;
  const doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

/** The civil year, month (1-12) and day of a day count since 1970-01-01 (the inverse of
 *  daysFromCivil), stored as three i64 at out, out+8, out+16. */
export function civilFromDays(days: i64, out: usize): void {
  const z = days + 719468;
  const era = (z >= 0 ? z : z - 146096) / 146097;
  const doe = z - era * 146097;
  const yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const mp = (5 * doy + 2) / 153;
  const d = doy - (153 * mp + 2) / 5 + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  store<i64>(out, yoe + era * 400 + (m <= 2 ? 1 : 0));
  store<i64>(out, m, 8);
  store<i64>(out, d, 16);
}

@inline function digitAt(p: usize, i: usize): i32 {
  return <i32>load<u8>(p + i) - 48;
}

/** Reads exactly `count` digits at p+i; -1 when they are not all digits. */
function digits(p: usize, n: usize, i: usize, count: usize): i64 {
  if (i + count > n) return -1;
  let v: i64 = 0;
  for (let k: usize = 0; k < count; k++) {
    const d = digitAt(p, i + k);
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

@inline function isLeap(y: i64): bool {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

function daysInMonth(y: i64, m: i64): i64 {
  if (m == 2) return isLeap(y) ? 29 : 28;
  return m == 4 || m == 6 || m == 9 || m == 11 ? 30 : 31;
}

/** Parses an ISO 8601 date-time (strict_date_optional_time) or, for an all-digit value, epoch millis. */
export function parseDate(p: usize, n: usize, isNumberToken: bool): i64 {
  if (n == 0) return BAD_DATE;
  const iso = parseIso(p, n);
  if (iso != BAD_DATE) return iso;
  return parseEpochMillis(p, n);
}

/** yyyy[-MM[-dd]][T[HH[:mm[:ss[(.|,)F]]]][Z|+-HH|+-HH:mm|+-HHmm]] — the offset only after T. */
function parseIso(p: usize, n: usize): i64 {
  const y = digits(p, n, 0, 4);
  if (y < 0) return BAD_DATE;
  let i: usize = 4;
  let mo: i64 = 1;
  let d: i64 = 1;
  let h: i64 = 0;
  let mi: i64 = 0;
  let s: i64 = 0;
  let ms: i64 = 0;
  let offsetMinutes: i64 = 0;
  if (i < n && load<u8>(p + i) == 0x2d) {
    mo = digits(p, n, i + 1, 2);
    if (mo < 1 || mo > 12) return BAD_DATE;
    i += 3;
    if (i < n && load<u8>(p + i) == 0x2d) {
      d = digits(p, n, i + 1, 2);
      if (d < 1) return BAD_DATE;
      i += 3;
    }
  }
  if (d > daysInMonth(y, mo)) return BAD_DATE;
  if (i < n && load<u8>(p + i) == 0x54) {
    i++;
    if (i < n && isDigitAt(p, i)) {
      h = digits(p, n, i, 2);
      if (h < 0 || h > 23) return BAD_DATE;
      i += 2;
      if (i < n && load<u8>(p + i) == 0x3a) {
        mi = digits(p, n, i + 1, 2);
        if (mi < 0 || mi > 59) return BAD_DATE;
        i += 3;
        if (i < n && load<u8>(p + i) == 0x3a) {
          s = digits(p, n, i + 1, 2);
          if (s < 0 || s > 59) return BAD_DATE;
          i += 3;
          if (i < n && (load<u8>(p + i) == 0x2e || load<u8>(p + i) == 0x2c)) {
            i++;
            let fracDigits: i32 = 0;
            while (i < n && isDigitAt(p, i)) {
              if (fracDigits < 3) ms = ms * 10 + digitAt(p, i);
              fracDigits++;
              i++;
            }
            if (fracDigits == 0 || fracDigits > 9) return BAD_DATE;
            for (let k = fracDigits; k < 3; k++) ms *= 10;
          }
        }
      }
    }
    if (i < n) {
      const c = load<u8>(p + i);
      if (c == 0x5a) i++;
      else if (c == 0x2b || c == 0x2d) {
        const oh = digits(p, n, i + 1, 2);
        if (oh < 0) return BAD_DATE;
        i += 3;
        let om: i64 = 0;
        if (i < n && load<u8>(p + i) == 0x3a) {
          om = digits(p, n, i + 1, 2);
          i += 3;
        } else if (i < n) {
          om = digits(p, n, i, 2);
          i += 2;
        }
        if (om < 0 || om > 59) return BAD_DATE;
        const total = oh * 60 + om;
        if (total > 18 * 60) return BAD_DATE;
        offsetMinutes = c == 0x2d ? -total : total;
      }
    }
  }
  if (i != n) return BAD_DATE;
  const days = daysFromCivil(y, mo, d);
  return ((days * 24 + h) * 60 + mi) * 60000 + s * 1000 + ms - offsetMinutes * 60000;
}

@inline function isDigitAt(p: usize, i: usize): bool {
  const c = digitAt(p, i);
  return c >= 0 && c <= 9;
}

const MAX_SAFE: i64 = 9007199254740991;

/** Epoch milliseconds: -?digits{1,19}(.digits{1,6})?, a safe integer; the fraction is dropped. */
function parseEpochMillis(p: usize, n: usize): i64 {
  let i: usize = 0;
  let negative = false;
  if (load<u8>(p) == 0x2d) {
    negative = true;
    i = 1;
  }
  let v: i64 = 0;
  let count = 0;
  while (i < n) {
    const c = digitAt(p, i);
    if (c < 0 || c > 9) break;
    if (v <= MAX_SAFE) v = v * 10 + c;
    count++;
    i++;
  }
  if (count == 0 || count > 19) return BAD_DATE;
  if (i < n && load<u8>(p + i) == 0x2e) {
    i++;
    let frac = 0;
    while (i < n && digitAt(p, i) >= 0 && digitAt(p, i) <= 9) { i++; frac++; }
    if (frac == 0 || frac > 6) return BAD_DATE;
  }
  if (i != n || v > MAX_SAFE) return BAD_DATE;
  return negative ? -v : v;
}
