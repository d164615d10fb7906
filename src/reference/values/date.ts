// date fields (milliseconds since the epoch, UTC). Parsing follows the default mapping format
// `strict_date_optional_time||epoch_millis`; query values also take date math (`now-5m/d`,
// `2024-01-01||+1d`). Rounding follows Elasticsearch: when a bound "rounds up" (lte, gt, and the
// upper end of an equality), missing components are filled with month 01, day 01, hour 23,
// minute 59, second 59, fraction .999 (sic: the month and day are NOT the last ones), and `/unit`
// goes to the last millisecond of the unit. Equality on a date is the range [round down, round up].

import type { RangeOp, Value } from '../../kql/ast.js';
import { numberText, type JsonLeaf } from '../json.js';

const MS_PER_SECOND = 1000;
const MS_PER_MINUTE = 60 * MS_PER_SECOND;
const MS_PER_HOUR = 60 * MS_PER_MINUTE;
const MS_PER_DAY = 24 * MS_PER_HOUR;

/** Days from 1970-01-01 to a proleptic Gregorian date (month 1-12). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** The calendar date of a day number (inverse of daysFromCivil). */
export function civilFromDays(days: number): { year: number; month: number; day: number } {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  return [31, isLeapYear(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
}

// strict_date_optional_time, as a regular expression over the whole text:
//   yyyy [-MM [-dd]] [T [HH [:mm [:ss [(.|,)fraction(1-9 digits)]]]] [offset]]
//   offset = Z | (+|-)HH | (+|-)HH:mm | (+|-)HHmm
const ISO_DATE = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:T(?:(\d{2})(?::(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/;
const EPOCH_MILLIS = /^(-?\d{1,19})(?:\.(\d{1,6}))?$/;
const MAX_OFFSET_MINUTES = 18 * 60;

/**
 * Parse a date as `strict_date_optional_time||epoch_millis`. `roundUp` fills missing components
 * the way Elasticsearch's round-up parser does (see the file comment). Returns ms or undefined.
 */
export function parseDate(text: string, roundUp = false): number | undefined {
  const iso = ISO_DATE.exec(text);
  if (iso) return isoToMillis(iso, roundUp);
  const epoch = EPOCH_MILLIS.exec(text);
  if (epoch) {
    const ms = Number(epoch[1]);
    return Number.isSafeInteger(ms) ? ms : undefined;
  }
  return undefined;
}

function isoToMillis(m: RegExpExecArray, roundUp: boolean): number | undefined {
  const year = Number(m[1]);
  const month = m[2] !== undefined ? Number(m[2]) : 1;
  const day = m[3] !== undefined ? Number(m[3]) : 1;
  const hour = m[4] !== undefined ? Number(m[4]) : roundUp ? 23 : 0;
  const minute = m[5] !== undefined ? Number(m[5]) : roundUp ? 59 : 0;
  const second = m[6] !== undefined ? Number(m[6]) : roundUp ? 59 : 0;
  // Sub-millisecond digits are dropped (a date field stores ms). A missing fraction rounds up to
  // .999 even when the seconds are given.
  const fraction = m[7] !== undefined ? Number(m[7].padEnd(3, '0').slice(0, 3)) : roundUp ? 999 : 0;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  let offsetMinutes = 0;
  const zone = m[8];
  if (zone !== undefined && zone !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const oh = Number(digits.slice(0, 2));
    const om = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
    if (om > 59 || oh * 60 + om > MAX_OFFSET_MINUTES) return undefined;
    offsetMinutes = sign * (oh * 60 + om);
  }
  return daysFromCivil(year, month, day) * MS_PER_DAY + hour * MS_PER_HOUR + minute * MS_PER_MINUTE + second * MS_PER_SECOND + fraction - offsetMinutes * MS_PER_MINUTE;
}

type Unit = 'y' | 'M' | 'w' | 'd' | 'h' | 'H' | 'm' | 's';
const UNITS = new Set(['y', 'M', 'w', 'd', 'h', 'H', 'm', 's']);

/** Add n calendar months, clamping the day to the target month's length (Java plusMonths). */
function addMonths(ms: number, n: number): number {
  const days = Math.floor(ms / MS_PER_DAY);
  const timeOfDay = ms - days * MS_PER_DAY;
  const { year, month, day } = civilFromDays(days);
  const total = year * 12 + (month - 1) + n;
  const newYear = Math.floor(total / 12);
  const newMonth = total - newYear * 12 + 1;
  const newDay = Math.min(day, daysInMonth(newYear, newMonth));
  return daysFromCivil(newYear, newMonth, newDay) * MS_PER_DAY + timeOfDay;
}

function addUnits(ms: number, n: number, unit: Unit): number {
  switch (unit) {
    case 'y':
      return addMonths(ms, 12 * n);
    case 'M':
      return addMonths(ms, n);
    case 'w':
      return ms + 7 * n * MS_PER_DAY;
    case 'd':
      return ms + n * MS_PER_DAY;
    case 'h':
    case 'H':
      return ms + n * MS_PER_HOUR;
    case 'm':
      return ms + n * MS_PER_MINUTE;
    case 's':
      return ms + n * MS_PER_SECOND;
  }
}

/** Start of the unit containing ms (weeks start on Monday). */
function floorTo(ms: number, unit: Unit): number {
  const days = Math.floor(ms / MS_PER_DAY);
  switch (unit) {
    case 'y': {
      const { year } = civilFromDays(days);
      return daysFromCivil(year, 1, 1) * MS_PER_DAY;
    }
    case 'M': {
      const { year, month } = civilFromDays(days);
      return daysFromCivil(year, month, 1) * MS_PER_DAY;
    }
    case 'w': {
      const weekday = (((days + 3) % 7) + 7) % 7; // 1970-01-01 was a Thursday; Monday = 0
      return (days - weekday) * MS_PER_DAY;
    }
    case 'd':
      return days * MS_PER_DAY;
    case 'h':
    case 'H':
      return Math.floor(ms / MS_PER_HOUR) * MS_PER_HOUR;
    case 'm':
      return Math.floor(ms / MS_PER_MINUTE) * MS_PER_MINUTE;
    case 's':
      return Math.floor(ms / MS_PER_SECOND) * MS_PER_SECOND;
  }
}

/**
 * Evaluate a date-math expression: `now` or a date, optionally followed (after `||` for a date)
 * by operations `+N<unit>`, `-N<unit>` (N defaults to 1) and `/<unit>` (round), left to right.
 * Units: y M w d h H m s. `roundUp` makes `/unit` go to the unit's last millisecond, and (for a
 * date without `||`) fills missing components as parseDate does. Returns ms or undefined.
 */
export function parseDateMath(text: string, now: number, roundUp: boolean): number | undefined {
  let time: number | undefined;
  let ops: string;
  if (text.startsWith('now')) {
    time = now;
    ops = text.slice(3);
  } else {
    const bar = text.indexOf('||');
    if (bar < 0) return parseDate(text, roundUp);
    time = parseDate(text.slice(0, bar), false);
    ops = text.slice(bar + 2);
  }
  if (time === undefined) return undefined;
  let i = 0;
  while (i < ops.length) {
    const c = ops[i++];
    if (c === '/') {
      const unit = ops[i++];
      if (unit === undefined || !UNITS.has(unit)) return undefined;
      time = floorTo(time, unit as Unit);
      if (roundUp) time = addUnits(time, 1, unit as Unit) - 1;
    } else if (c === '+' || c === '-') {
      let digits = '';
      while (i < ops.length && ops[i] >= '0' && ops[i] <= '9') digits += ops[i++];
      const unit = ops[i++];
      if (unit === undefined || !UNITS.has(unit)) return undefined;
      const n = digits === '' ? 1 : Number(digits);
      time = addUnits(time, c === '+' ? n : -n, unit as Unit);
    } else {
      return undefined;
    }
  }
  return time;
}

/** The millisecond a date field indexes for one JSON value (numbers are read as their text). */
export function dateDocValue(leaf: JsonLeaf): number | undefined {
  if (typeof leaf === 'string') return parseDate(leaf);
  if (typeof leaf === 'number' || (typeof leaf === 'object' && leaf !== null)) return parseDate(numberText(leaf));
  return undefined;
}

/** Equality: the literal's whole precision, [rounded down, rounded up]. */
export function dateIs(docValues: number[], value: Value, now: number): boolean {
  if (value.type !== 'string') return false;
  const low = parseDateMath(value.value, now, false);
  const high = parseDateMath(value.value, now, true);
  if (low === undefined || high === undefined) return false;
  return docValues.some((d) => d >= low && d <= high);
}

/** gt and lte round the bound up; gte and lt round it down. */
export function dateRange(docValues: number[], op: RangeOp, literal: string, now: number): boolean {
  const bound = parseDateMath(literal, now, op === 'gt' || op === 'lte');
  if (bound === undefined) return false;
  return docValues.some((d) => (op === 'gt' ? d > bound : op === 'gte' ? d >= bound : op === 'lt' ? d < bound : d <= bound));
}
