// Early rejection: every rule carries groups of literals, one of each group must occur in the
// record's bytes for the rule to be able to match (e.g. `"forbid` for the seed rule, which 97% of
// audit events lack).
// A record holding `\u` or `\/` escapes (at any level of escaping) could spell a literal differently:
// then no rule is rejected. Escapes are looked for only when a rule is about to be rejected.
import { Region } from '../util/buffer';
import { rules, ruleCount, prefGroups, prefLits, prefLitCount, prefMembers, dataPtr } from '../program/program';
import { bytesEqual } from '../json/strings';
import { RULE_SIZE, PREF_GROUP_SIZE, PREF_LIT_SIZE } from '../program/format';

// Two ways to search:
// - the first few literals a record needs (all of them for the seed rule): each on first need, Horspool
//   with a skip table, so a long literal like `"system:serviceaccount:` skips ~20 bytes per step, a
//   rejected rule stops the rest and a found literal stops its own search;
// - past those, in a program with many literals (a rule pack): all of them in ONE pass (a multi-pattern Horspool over 2-byte blocks):
//   the window is as long as the shortest literal; a table gives, for the block at the window's end,
//   how far the window may move; where it may not, the literals ending their window with that block
//   are compared. The record is read once however many rules and literals there are.
const SEPARATE_SEARCH_MAX_LITERALS: u32 = 6;
let separate = true;
const skipTables = new Region(); // separate search: 256 bytes per literal (0 at the literal's last byte)
const lastShifts = new Region(); // separate search: per literal, the shift after a failed comparison
const shiftTable = new Region(); // 65536 u8: shift for each 2-byte block
const bucketHeads = new Region(); // 65536 u32: first literal (index + 1) whose window ends in the block
const bucketNext = new Region(); // per literal: next literal (index + 1) in the same bucket
const litState = new Region(); // per literal: 1 absent, 2 present (after the pass)
let window: usize = 0; // length of the shortest literal
let recordPtr: usize = 0;
let recordLen: usize = 0;
// Escapes are only looked for when a rule is about to be rejected: 0 not checked yet, 1 none, 2 some.
let escapeState: u8 = 0;
let searched = false;
let separateSearches: u32 = 0;

@inline function litPtr(i: u32): usize {
  return dataPtr + <usize>load<u32>(prefLits + <usize>i * PREF_LIT_SIZE);
}
@inline function litLen(i: u32): usize {
  return <usize>load<u32>(prefLits + <usize>i * PREF_LIT_SIZE, 4);
}

/** Builds the tables once per program. */
export function preparePrefilter(): bool {
  if (!litState.ensure(<usize>prefLitCount + 1) || !bucketNext.ensure(<usize>prefLitCount * 4 + 4)) return false;
  if (prefLitCount == 0) return true;
  separate = prefLitCount <= SEPARATE_SEARCH_MAX_LITERALS;
  if (!prepareSkipTables()) return false;
  if (separate) return true;
  if (!shiftTable.ensure(65536) || !bucketHeads.ensure(65536 * 4)) return false;
  window = 0xffffffff;
  for (let i: u32 = 0; i < prefLitCount; i++) if (litLen(i) < window) window = litLen(i);
  if (window < 2) window = 2; // the compiler never emits shorter literals; keep the blocks inside the window
  memory.fill(shiftTable.ptr, <u8>(window - 1 > 255 ? 255 : window - 1), 65536);
  memory.fill(bucketHeads.ptr, 0, 65536 * 4);
  for (let i: u32 = 0; i < prefLitCount; i++) {
    const lit = litPtr(i);
    // Blocks of the literal's first `window` bytes: the one ending at offset q may shift window - 1 - q.
    for (let q: usize = 1; q < window; q++) {
      const block = <usize>load<u16>(lit + q - 1);
      const shift = window - 1 - q;
      if (<usize>load<u8>(shiftTable.ptr + block) > shift) store<u8>(shiftTable.ptr + block, <u8>shift);
    }
    const last = <usize>load<u16>(lit + window - 2);
    store<u32>(bucketNext.ptr + <usize>i * 4, load<u32>(bucketHeads.ptr + last * 4));
    store<u32>(bucketHeads.ptr + last * 4, i + 1);
  }
  return true;
}

function prepareSkipTables(): bool {
  if (!skipTables.ensure(<usize>prefLitCount * 256 + 1) || !lastShifts.ensure(<usize>prefLitCount + 1)) return false;
  for (let i: u32 = 0; i < prefLitCount; i++) {
    const t = skipTables.ptr + <usize>i * 256;
    const lit = litPtr(i);
    const m = litLen(i);
    memory.fill(t, <u8>(m > 255 ? 255 : m), 256);
    for (let k: usize = 0; k + 1 < m; k++) {
      const d = m - 1 - k;
      store<u8>(t + <usize>load<u8>(lit + k), <u8>(d > 255 ? 255 : d));
    }
    // A zero at the last byte folds "compare here?" into the shift lookup of the search loop.
    const last = t + <usize>load<u8>(lit + m - 1);
    store<u8>(lastShifts.ptr + <usize>i, load<u8>(last));
    store<u8>(last, 0);
  }
  return true;
}

/** Separate search: is literal i in the record? (Horspool, one table lookup per step) */
function horspool(i: u32): bool {
  const lit = litPtr(i);
  const m = litLen(i);
  if (m == 0 || m > recordLen) return m == 0;
  const table = skipTables.ptr + <usize>i * 256;
  const afterMismatch = <usize>load<u8>(lastShifts.ptr + <usize>i);
  const end = recordPtr + recordLen;
  let last = recordPtr + m - 1; // the window's last byte
  while (last < end) {
    const shift = <usize>load<u8>(table + <usize>load<u8>(last));
    if (shift != 0) {
      last += shift;
      continue;
    }
    if (bytesEqual(last + 1 - m, lit, m - 1)) return true;
    last += afterMismatch;
  }
  return false;
}

/** Finds every literal present in the record (one pass); the rest are absent. */
function searchAll(): void {
  searched = true;
  memory.fill(litState.ptr, 1, <usize>prefLitCount);
  if (prefLitCount == 0 || recordLen < window) return;
  const p = recordPtr;
  const n = recordLen;
  const shifts = shiftTable.ptr;
  let end = window - 1; // the window is [end - window + 1, end]
  while (end < n) {
    const block = <usize>load<u16>(p + end - 1);
    const shift = <usize>load<u8>(shifts + block);
    if (shift != 0) {
      end += shift;
      continue;
    }
    const start = end + 1 - window;
    for (let k = load<u32>(bucketHeads.ptr + block * 4); k != 0; k = load<u32>(bucketNext.ptr + <usize>(k - 1) * 4)) {
      const i = k - 1;
      const m = litLen(i);
      if (start + m <= n && bytesEqual(p + start, litPtr(i), m)) store<u8>(litState.ptr + <usize>i, 2);
    }
    end++;
  }
}

/** Starts a record: literals are searched on first need, escapes only when a rule would be rejected. */
export function beginRecord(p: usize, n: usize): void {
  recordPtr = p;
  recordLen = n;
  searched = false;
  separateSearches = 0;
  escapeState = 0;
  memory.fill(litState.ptr, 0, <usize>prefLitCount);
}

const BACKSLASHES: u64 = 0x5c5c5c5c5c5c5c5c;
const ONES: u64 = 0x0101010101010101;
const HIGHS: u64 = 0x8080808080808080;

/** True when a backslash is followed by `u` or `/` somewhere. */
function hasHidingEscape(p: usize, n: usize): bool {
  const end = p + n;
  let at = nextBackslash(p, end);
  while (at < end) {
    // Look past a run of backslashes: `\\u0066` inside a `log` string is `\u0066` in the event it carries.
    let j = at + 1;
    while (j < end && load<u8>(j) == 0x5c) j++;
    if (j < end) {
      const c = load<u8>(j);
      if (c == 0x75 || c == 0x2f) return true;
    }
    at = nextBackslash(j, end);
  }
  return false;
}

/**
 * The first backslash in [at, end), or end. 32 bytes per step while none is in sight: the loose test
 * `(w ^ 0x5c..) - 0x01..` sets a high bit at every backslash (and also at bytes >= 0x80 and after a
 * borrow); a block it flags is looked at byte by byte. Fewer interpreter instructions per byte than
 * the exact test, which matters because this runs over every record a rule is rejected on.
 */
function nextBackslash(at: usize, end: usize): usize {
  while (at + 32 <= end) {
    const a = (load<u64>(at) ^ BACKSLASHES) - ONES;
    const b = (load<u64>(at, 8) ^ BACKSLASHES) - ONES;
    const c = (load<u64>(at, 16) ^ BACKSLASHES) - ONES;
    const d = (load<u64>(at, 24) ^ BACKSLASHES) - ONES;
    if (((a | b | c | d) & HIGHS) != 0) {
      for (let k: usize = 0; k < 32; k++) if (load<u8>(at + k) == 0x5c) return at + k;
    }
    at += 32;
  }
  while (at < end && load<u8>(at) != 0x5c) at++;
  return at;
}

/** Can a backslash in this record spell a literal differently? (checked once per record, on first need) */
function escapesUnsafe(): bool {
  if (escapeState == 0) escapeState = hasHidingEscape(recordPtr, recordLen) ? 2 : 1;
  return escapeState == 2;
}

function literalPresent(i: u32): bool {
  // 0 not searched yet, 1 absent, 2 present. The first literals are searched one by one (a search stops
  // where it finds one, and the weakest rules come first); past a few, one pass finds them all.
  const s = litState.ptr + <usize>i;
  let known = load<u8>(s);
  if (known == 0) {
    if (separate || separateSearches < SEPARATE_SEARCH_MAX_LITERALS) {
      separateSearches++;
      known = horspool(i) ? 2 : 1;
      store<u8>(s, known);
    } else {
      if (!searched) searchAll();
      known = load<u8>(s);
    }
  }
  return known == 2;
}

/** Can rule r match this record, as far as its required literals tell? */
export function ruleMayMatch(r: u32): bool {
  const rule = rules + <usize>r * RULE_SIZE;
  const first = load<u32>(rule, 4);
  const count = load<u32>(rule, 8);
  for (let g: u32 = 0; g < count; g++) {
    const group = prefGroups + <usize>(first + g) * PREF_GROUP_SIZE;
    const ms = load<u32>(group);
    const mc = load<u32>(group, 4);
    let any = false;
    for (let k: u32 = 0; k < mc; k++) {
      if (literalPresent(load<u32>(prefMembers + <usize>(ms + k) * 4))) {
        any = true;
        break;
      }
    }
    if (!any) return escapesUnsafe();
  }
  return true;
}
