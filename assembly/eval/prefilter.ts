// Early rejection: every rule carries groups of literals, one of each group must occur in the
// record's bytes for the rule to be able to match (e.g. `"forbid` for the seed rule, which 97% of
// audit events lack).
// A record holding `\u` or `\/` escapes (at any level of escaping) could spell a literal differently:
// then no rule is rejected.
import { Region } from '../util/buffer';
import { rules, ruleCount, prefGroups, prefLits, prefLitCount, prefMembers, dataPtr } from '../program/program';
import { bytesEqual } from '../json/strings';
import { RULE_SIZE, PREF_GROUP_SIZE, PREF_LIT_SIZE } from '../program/format';

// Two ways to search, chosen per program:
// - few literals (the seed rule): each literal on first need, Horspool with a skip table, so a long
//   literal like `"system:serviceaccount:` skips ~20 bytes per step and a rejected rule stops the rest;
// - many literals (a rule pack): all of them in ONE pass (a multi-pattern Horspool over 2-byte blocks):
//   the window is as long as the shortest literal; a table gives, for the block at the window's end,
//   how far the window may move; where it may not, the literals ending their window with that block
//   are compared. The record is read once however many rules and literals there are.
const SEPARATE_SEARCH_MAX_LITERALS: u32 = 6;
let separate = true;
const skipTables = new Region(); // separate search: 256 bytes per literal
const shiftTable = new Region(); // 65536 u8: shift for each 2-byte block
const bucketHeads = new Region(); // 65536 u32: first literal (index + 1) whose window ends in the block
const bucketNext = new Region(); // per literal: next literal (index + 1) in the same bucket
const litState = new Region(); // per literal: 1 absent, 2 present (after the pass)
let window: usize = 0; // length of the shortest literal
let recordPtr: usize = 0;
let recordLen: usize = 0;
let escapesUnsafe = false;
let searched = false;

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
  if (separate) return prepareSkipTables();
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
  if (!skipTables.ensure(<usize>prefLitCount * 256 + 1)) return false;
  for (let i: u32 = 0; i < prefLitCount; i++) {
    const t = skipTables.ptr + <usize>i * 256;
    const lit = litPtr(i);
    const m = litLen(i);
    memory.fill(t, <u8>(m > 255 ? 255 : m), 256);
    for (let k: usize = 0; k + 1 < m; k++) {
      const d = m - 1 - k;
      store<u8>(t + <usize>load<u8>(lit + k), <u8>(d > 255 ? 255 : d));
    }
  }
  return true;
}

/** Separate search: is literal i in the record? (Horspool) */
function horspool(i: u32): bool {
  const lit = litPtr(i);
  const m = litLen(i);
  const p = recordPtr;
  const n = recordLen;
  if (m > n) return false;
  const table = skipTables.ptr + <usize>i * 256;
  const lastChar = load<u8>(lit + m - 1);
  let at: usize = 0;
  const limit = n - m;
  while (at <= limit) {
    const c = load<u8>(p + at + m - 1);
    if (c == lastChar && bytesEqual(p + at, lit, m - 1)) return true;
    at += <usize>load<u8>(table + <usize>c);
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

/** Starts a record: literals are searched on first need; escapes that could hide a literal are checked now. */
export function beginRecord(p: usize, n: usize): void {
  recordPtr = p;
  recordLen = n;
  searched = false;
  if (separate) memory.fill(litState.ptr, 0, <usize>prefLitCount);
  escapesUnsafe = hasHidingEscape(p, n);
}

/** True when a backslash is followed by `u` or `/` somewhere (8 bytes per load while none is in sight). */
function hasHidingEscape(p: usize, n: usize): bool {
  let i: usize = 0;
  while (true) {
    // 16 bytes per step while no backslash is in sight (the common case: most records have none).
    while (i + 16 <= n) {
      const a = load<u64>(p + i) ^ 0x5c5c5c5c5c5c5c5c;
      const b = load<u64>(p + i + 8) ^ 0x5c5c5c5c5c5c5c5c;
      if ((((a - 0x0101010101010101) & ~a) | ((b - 0x0101010101010101) & ~b)) & 0x8080808080808080) break;
      i += 16;
    }
    while (i + 8 <= n) {
      const w = load<u64>(p + i) ^ 0x5c5c5c5c5c5c5c5c;
      if (((w - 0x0101010101010101) & ~w & 0x8080808080808080) != 0) break;
      i += 8;
    }
    if (i >= n) return false;
    if (load<u8>(p + i) == 0x5c) {
      // Look past a run of backslashes: `\\u0066` inside a `log` string is `\u0066` in the event it carries.
      let j = i + 1;
      while (j < n && load<u8>(p + j) == 0x5c) j++;
      if (j < n) {
        const c = load<u8>(p + j);
        if (c == 0x75 || c == 0x2f) return true;
      }
      i = j;
      continue;
    }
    i++;
  }
  return false; // not reached
}

function literalPresent(i: u32): bool {
  if (separate) {
    // 0 not searched yet, 1 absent, 2 present.
    const s = litState.ptr + <usize>i;
    let known = load<u8>(s);
    if (known == 0) {
      known = horspool(i) ? 2 : 1;
      store<u8>(s, known);
    }
    return known == 2;
  }
  if (!searched) searchAll();
  return load<u8>(litState.ptr + <usize>i) == 2;
}

/** Can rule r match this record, as far as its required literals tell? */
export function ruleMayMatch(r: u32): bool {
  if (escapesUnsafe) return true;
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
    if (!any) return false;
  }
  return true;
}
