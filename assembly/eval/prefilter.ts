// Early rejection: every rule carries groups of literals, one of each group must occur in the
// record's bytes for the rule to be able to match (e.g. `"forbid` for the seed rule, which 97% of
// audit events lack).
// A `\u` or `\/` escape could spell a literal differently: a rule is only rejected when the record's
// escapes spell none of its absent literals' characters (escapes.ts), looked at on first need.
import { Region } from '../util/buffer';
import { rules, ruleCount, prefGroups, prefGroupCount, prefLits, prefLitCount, prefMembers, dataPtr } from '../program/program';
import { bytesEqual } from '../json/strings';
import { noteEscapes, escapesMaySpell } from './escapes';
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
const SEARCH_TABLE: usize = memory.data(256); // separate search: the table of the literal being searched
const shiftTable = new Region(); // 65536 u8: shift for each 2-byte block
const bucketHeads = new Region(); // 65536 u32: first literal (index + 1) whose window ends in the block
const bucketNext = new Region(); // per literal: next literal (index + 1) in the same bucket
const litState = new Region(); // per literal: 1 absent, 2 present (after the pass)
let window: usize = 0; // length of the shortest literal
let recordPtr: usize = 0;
let recordLen: usize = 0;
// Escapes are only looked at when a rule is about to be rejected.
let escapesNoted = false;
// Per group: the characters of its literals (u64 for 0..63, u64 for 64..127, u8 "some non-ASCII byte").
const groupChars = new Region();
const GROUP_CHARS_SIZE: usize = 24;
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
  if (!prepareGroupChars()) return false;
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

function prepareGroupChars(): bool {
  if (!groupChars.ensure(<usize>prefGroupCount * GROUP_CHARS_SIZE + 1)) return false;
  for (let g: u32 = 0; g < prefGroupCount; g++) {
    const group = prefGroups + <usize>g * PREF_GROUP_SIZE;
    const ms = load<u32>(group);
    const mc = load<u32>(group, 4);
    let low: u64 = 0;
    let high: u64 = 0;
    let nonAscii: u8 = 0;
    for (let k: u32 = 0; k < mc; k++) {
      const i = load<u32>(prefMembers + <usize>(ms + k) * 4);
      const lit = litPtr(i);
      for (let j: usize = 0; j < litLen(i); j++) {
        const c = load<u8>(lit + j);
        if (c >= 0x80) nonAscii = 1;
        else if (c < 64) low |= <u64>1 << c;
        else high |= <u64>1 << (c - 64);
      }
    }
    const summary = groupChars.ptr + <usize>g * GROUP_CHARS_SIZE;
    store<u64>(summary, low);
    store<u64>(summary, high, 8);
    store<u8>(summary, nonAscii, 16);
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
  // The search reads its table at a fixed address: the address rides in the load instruction itself
  // (one interpreter instruction less per step than a table pointer in a local).
  memory.copy(SEARCH_TABLE, skipTables.ptr + <usize>i * 256, 256);
  const afterMismatch = <usize>load<u8>(lastShifts.ptr + <usize>i);
  const end = recordPtr + recordLen;
  // While three more steps (each at most m) stay inside the record, four steps run with one test:
  // a step onto the literal's last byte adds 0, so the steps after it stay put and the test sees it.
  const fastEnd = end > 3 * m ? end - 3 * m : 0;
  let last = recordPtr + m - 1; // the window's last byte
  while (true) {
    let shift: usize;
    if (last < fastEnd) {
      last += <usize>load<u8>(<usize>load<u8>(last), SEARCH_TABLE);
      last += <usize>load<u8>(<usize>load<u8>(last), SEARCH_TABLE);
      last += <usize>load<u8>(<usize>load<u8>(last), SEARCH_TABLE);
      shift = <usize>load<u8>(<usize>load<u8>(last), SEARCH_TABLE);
    } else {
      if (last >= end) return false;
      shift = <usize>load<u8>(<usize>load<u8>(last), SEARCH_TABLE);
    }
    if (shift != 0) {
      last += shift;
      continue;
    }
    if (bytesEqual(last + 1 - m, lit, m - 1)) return true;
    last += afterMismatch;
  }
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
  escapesNoted = false;
  memory.fill(litState.ptr, 0, <usize>prefLitCount);
}

/** Can a record's escapes spell a character of group g's literals? (escapes noted once per record, on first need) */
function escapesMaySpellGroup(g: u32): bool {
  if (!escapesNoted) {
    noteEscapes(recordPtr, recordLen);
    escapesNoted = true;
  }
  const summary = groupChars.ptr + <usize>g * GROUP_CHARS_SIZE;
  return escapesMaySpell(load<u64>(summary), load<u64>(summary, 8), load<u8>(summary, 16) != 0);
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
    if (!any) return escapesMaySpellGroup(first + g);
  }
  return true;
}
