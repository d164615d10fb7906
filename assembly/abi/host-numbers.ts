// Numbers Fluent Bit writes but cannot read back.
//
// Fluent Bit 5.1.1 hands the filter its records as JSON printed from msgpack, with doubles printed by
// "%.16g". The two largest doubles of each sign (1.7976931348623157e308 and the one below it) round to
// "1.797693134862316e+308", which is above the largest double: Fluent Bit's own parser (yyjson, no
// inf/nan option) rejects any JSON containing it, then frees a buffer twice and the whole chunk is
// lost, whatever the filter returned. So the filter rewrites, in the host's own copy of the record and
// before anything else reads it, every number of at least 1.7976931348623158e308 in magnitude as
// "1.7976931348623157e308" (the largest double, the same number of characters) padded with spaces,
// which JSON allows after a value. Values from 1.7976931348623158e308 up to the overflow point
// already read as the largest double, so only overflowing numbers change value.
//
// This runs on every record, so the common path is a skip search (Horspool) for the one text Fluent
// Bit prints, "1.797693134862316e+308": 22 bytes long, it moves ~18 bytes per step over audit events.
// Measured with `node dist/bench/numbers-cost.js 1000` (interpreter instructions above the floor): 3.6%
// of a loop reading every byte, 4.3 times fewer than a word-at-a-time search for '+' (the exponent's
// sign), which reads every byte 16 at a time. Only where the text appears does a second,
// exact pass walk the record to tell numbers from string content and rewrite every number with the
// exponent "e+308" at or above the threshold.

/** "1.7976931348623157e308": the largest double in 22 characters (the "%.16g" text is as long). */
const LARGEST = memory.data<u8>([49, 46, 55, 57, 55, 54, 57, 51, 49, 51, 52, 56, 54, 50, 51, 49, 53, 55, 101, 51, 48, 56]);
const LARGEST_LEN: usize = 22;
/** Significant digits from which a number with decimal exponent 308 is rewritten (1.7976931348623158e308). */
const THRESHOLD = memory.data<u8>([49, 55, 57, 55, 54, 57, 51, 49, 51, 52, 56, 54, 50, 51, 49, 53, 56]);
const THRESHOLD_LEN: u32 = 17;

/** Numbers rewritten since the start (reported with the counters). */
export let numbersRewritten: u64 = 0;
/** Numbers that overflow but are too short to rewrite in place (Fluent Bit never writes those). */
export let numbersNotRewritten: u64 = 0;

/** The text Fluent Bit 5.1.1 prints for the largest doubles of either sign: what the search looks for. */
const TRIGGER = memory.data<u8>([49, 46, 55, 57, 55, 54, 57, 51, 49, 51, 52, 56, 54, 50, 51, 49, 54, 101, 43, 51, 48, 56]); // 1.797693134862316e+308
const TRIGGER_LEN: usize = 22;
/** Horspool shifts by the byte under the window's last position; 0 for the trigger's last byte ('8'). */
const SHIFTS = memory.data(256);
let shiftsReady = false;
let shiftAfterLast: usize = 0;

function prepareShifts(): void {
  memory.fill(SHIFTS, <u8>TRIGGER_LEN, 256);
  for (let k: usize = 0; k + 1 < TRIGGER_LEN; k++) store<u8>(SHIFTS + <usize>load<u8>(TRIGGER + k), <u8>(TRIGGER_LEN - 1 - k));
  const last = SHIFTS + <usize>load<u8>(TRIGGER + TRIGGER_LEN - 1);
  shiftAfterLast = <usize>load<u8>(last);
  store<u8>(last, 0);
  shiftsReady = true;
}

/**
 * Rewrites, in place, the numbers of the JSON text [p, p+n) that Fluent Bit could not read back;
 * returns how many. The length of the text never changes.
 */
export function fixUnreadableNumbers(p: usize, n: usize): u32 {
  if (n < TRIGGER_LEN) return 0;
  if (!shiftsReady) prepareShifts();
  // Horspool: most bytes of a record (letters, quotes, punctuation) are not in the trigger and move
  // the window by its whole length. Four steps per test while they stay inside the record: a step
  // onto the trigger's last byte adds 0, so the steps after it stay put.
  const end = p + n;
  const fastEnd = end > 3 * TRIGGER_LEN ? end - 3 * TRIGGER_LEN : 0;
  let last = p + TRIGGER_LEN - 1;
  while (true) {
    let shift: usize;
    if (last < fastEnd) {
      last += <usize>load<u8>(<usize>load<u8>(last), SHIFTS);
      last += <usize>load<u8>(<usize>load<u8>(last), SHIFTS);
      last += <usize>load<u8>(<usize>load<u8>(last), SHIFTS);
      shift = <usize>load<u8>(<usize>load<u8>(last), SHIFTS);
    } else {
      if (last >= end) return 0;
      shift = <usize>load<u8>(<usize>load<u8>(last), SHIFTS);
    }
    if (shift != 0) {
      last += shift;
      continue;
    }
    if (memory.compare(last + 1 - TRIGGER_LEN, TRIGGER, TRIGGER_LEN - 1) == 0) return rewriteAll(p, end);
    last += shiftAfterLast;
  }
  return 0;
}

@inline function isDigit(c: u32): bool {
  return c - 0x30 < 10;
}

/** The exact pass: every number token outside strings whose text contains "e+308" is examined. */
function rewriteAll(p: usize, end: usize): u32 {
  let count: u32 = 0;
  let q = p;
  while (q < end) {
    const c = <u32>load<u8>(q);
    if (c == 0x22) {
      // Skip the string (escapes included).
      q++;
      while (q < end) {
        const d = load<u8>(q);
        if (d == 0x5c) q += 2;
        else if (d == 0x22) break;
        else q++;
      }
      q++;
      continue;
    }
    if (c == 0x2d || isDigit(c)) {
      let e = q + 1;
      while (e < end) {
        const d = <u32>load<u8>(e);
        if (!(isDigit(d) || d == 0x2e || d == 0x65 || d == 0x45 || d == 0x2b || d == 0x2d)) break;
        e++;
      }
      if (rewriteIfTooLarge(q, e)) count++;
      q = e;
      continue;
    }
    q++;
  }
  numbersRewritten += count;
  return count;
}

/** Rewrites the number token [s, e) when it is at least 1.7976931348623158e308 in magnitude. */
function rewriteIfTooLarge(s: usize, e: usize): bool {
  let q = s;
  const negative = load<u8>(q) == 0x2d;
  if (negative) q++;
  // Significant digits: their position gives the decimal exponent of the first one.
  let firstSig: usize = 0; // address of the first non-zero digit, 0 while none
  let digitsBeforeFirst: i32 = 0; // integer-part digits from the first significant one to the point
  let zerosAfterPoint: i32 = 0; // fraction zeros before the first significant digit
  let seenPoint = false;
  while (q < e) {
    const d = <u32>load<u8>(q);
    if (d == 0x2e) {
      seenPoint = true;
    } else if (isDigit(d)) {
      if (firstSig == 0 && d != 0x30) firstSig = q;
      if (firstSig != 0 && !seenPoint) digitsBeforeFirst++;
      if (firstSig == 0 && seenPoint) zerosAfterPoint++;
    } else break;
    q++;
  }
  if (firstSig == 0 || q + 2 >= e || (load<u8>(q) | 0x20) != 0x65 || load<u8>(q + 1) != 0x2b) return false;
  let exponent: i32 = 0;
  for (let k = q + 2; k < e; k++) {
    const d = <u32>load<u8>(k);
    if (!isDigit(d)) return false;
    if (exponent < 100000) exponent = exponent * 10 + <i32>(d - 0x30);
  }
  const decimalExponent = exponent + (digitsBeforeFirst > 0 ? digitsBeforeFirst - 1 : -1 - zerosAfterPoint);
  if (decimalExponent < 308) return false;
  if (decimalExponent == 308 && !digitsAtLeastThreshold(firstSig, q)) return false;
  const room = e - s - (negative ? 1 : 0);
  if (room < LARGEST_LEN) {
    numbersNotRewritten++;
    return false;
  }
  const dst = s + (negative ? 1 : 0);
  memory.copy(dst, LARGEST, LARGEST_LEN);
  memory.fill(dst + LARGEST_LEN, 0x20, room - LARGEST_LEN);
  return true;
}

/** Are the significant digits from `first` (up to `stop`, the point skipped) at least THRESHOLD? */
function digitsAtLeastThreshold(first: usize, stop: usize): bool {
  let k: u32 = 0;
  for (let q = first; q < stop && k < THRESHOLD_LEN; q++) {
    const d = load<u8>(q);
    if (d == 0x2e) continue;
    const t = load<u8>(THRESHOLD + <usize>k);
    if (d != t) return d > t;
    k++;
  }
  // Equal so far: shorter means missing digits are zeros, below the threshold unless all 17 matched.
  return k == THRESHOLD_LEN;
}
