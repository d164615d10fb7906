// Date math relative to the record's event time (`now-5m`, `now/d`, `now-1M/M`): the compiler folds
// fixed-length offsets into milliseconds; calendar months and the rounding unit come in a spec word:
// bits 0-7 rounding unit (0 none, 1 s, 2 m, 3 h, 4 d, 5 w, 6 M, 7 y), bit 8 round up,
// bits 16-31 a signed month offset applied before rounding.
import { daysFromCivil, civilFromDays } from './date';

const MS_DAY: i64 = 86400000;

function floorDiv(a: i64, b: i64): i64 {
  const q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

const ymd = memory.data(24);

function addMonths(t: i64, months: i64): i64 {
  const days = floorDiv(t, MS_DAY);
  const msOfDay = t - days * MS_DAY;
  civilFromDays(days, ymd);
  let y = load<i64>(ymd);
  let m = load<i64>(ymd, 8) - 1 + months;
  let d = load<i64>(ymd, 16);
  y += floorDiv(m, 12);
  m = m - floorDiv(m, 12) * 12 + 1;
  const dim = daysFromCivil(m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1, 1) - daysFromCivil(y, m, 1);
  if (d > dim) d = dim;
  return daysFromCivil(y, m, d) * MS_DAY + msOfDay;
}

export function applyDateMath(t: i64, spec: u32): i64 {
  const months = <i64><i16>(spec >> 16);
  if (months != 0) t = addMonths(t, months);
  const unit = spec & 0xff;
  if (unit == 0) return t;
  const up = (spec & 0x100) != 0;
  let start: i64 = t;
  let next: i64 = t;
  if (unit <= 4) {
    const size: i64 = unit == 1 ? 1000 : unit == 2 ? 60000 : unit == 3 ? 3600000 : MS_DAY;
    start = floorDiv(t, size) * size;
    next = start + size;
  } else if (unit == 5) {
    // Weeks start on Monday; 1970-01-01 was a Thursday.
    const days = floorDiv(t, MS_DAY);
    const monday = days - ((days + 3) - floorDiv(days + 3, 7) * 7);
    start = monday * MS_DAY;
    next = start + 7 * MS_DAY;
  } else {
    civilFromDays(floorDiv(t, MS_DAY), ymd);
    const y = load<i64>(ymd);
    const m = load<i64>(ymd, 8);
    if (unit == 6) {
      start = daysFromCivil(y, m, 1) * MS_DAY;
      next = daysFromCivil(m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1, 1) * MS_DAY;
    } else {
      start = daysFromCivil(y, 1, 1) * MS_DAY;
      next = daysFromCivil(y + 1, 1, 1) * MS_DAY;
    }
  }
  return up ? next - 1 : start;
}
