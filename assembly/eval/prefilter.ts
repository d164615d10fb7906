// Early rejection: every rule carries groups of literals, one of each group must occur in the
// record's bytes for the rule to be able to match (e.g. `forbid` for the seed rule, which 97% of
// audit events lack). Literals are searched with a Horspool skip table, never byte by byte, and
// each literal is searched at most once per record however many rules share it.
// A record holding `\u` or `\/` escapes (at any level of escaping) could spell a literal differently:
// then no rule is rejected.
import { Region } from '../util/buffer';
import { rules, ruleCount, prefGroups, prefLits, prefLitCount, prefMembers, prefMemberCount, dataPtr } from '../program/program';
import { RULE_SIZE, PREF_GROUP_SIZE, PREF_LIT_SIZE } from '../program/format';

const skipTables = new Region(); // 256 bytes per literal
const litState = new Region(); // per literal: 0 unknown, 1 absent, 2 present
let recordPtr: usize = 0;
let recordLen: usize = 0;
let escapesUnsafe = false;

/** Builds the skip tables once per program. */
export function preparePrefilter(): bool {
  if (!skipTables.ensure(<usize>prefLitCount * 256 + 1)) return false;
  if (!litState.ensure(<usize>prefLitCount + 1)) return false;
  for (let i: u32 = 0; i < prefLitCount; i++) {
    const t = skipTables.ptr + <usize>i * 256;
    const lit = dataPtr + <usize>load<u32>(prefLits + <usize>i * PREF_LIT_SIZE);
    const m = <usize>load<u32>(prefLits + <usize>i * PREF_LIT_SIZE, 4);
    const skip = m > 255 ? <usize>255 : m;
    memory.fill(t, <u8>skip, 256);
    for (let k: usize = 0; k + 1 < m; k++) {
      const d = m - 1 - k;
      store<u8>(t + <usize>load<u8>(lit + k), <u8>(d > 255 ? 255 : d));
    }
  }
  return true;
}

/** Starts a record: forgets literal results and checks for escapes that could hide a literal. */
export function beginRecord(p: usize, n: usize): void {
  recordPtr = p;
  recordLen = n;
  memory.fill(litState.ptr, 0, <usize>prefLitCount);
  escapesUnsafe = hasHidingEscape(p, n);
}

/** True when a backslash is followed by `u` or `/` somewhere (8 bytes per load while none is in sight). */
function hasHidingEscape(p: usize, n: usize): bool {
  let i: usize = 0;
  while (true) {
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
  const s = litState.ptr + <usize>i;
  const known = load<u8>(s);
  if (known != 0) return known == 2;
  const lit = dataPtr + <usize>load<u32>(prefLits + <usize>i * PREF_LIT_SIZE);
  const m = <usize>load<u32>(prefLits + <usize>i * PREF_LIT_SIZE, 4);
  const found = horspool(recordPtr, recordLen, lit, m, skipTables.ptr + <usize>i * 256);
  store<u8>(s, found ? 2 : 1);
  return found;
}

function horspool(p: usize, n: usize, lit: usize, m: usize, table: usize): bool {
  if (m == 0) return true;
  if (m > n) return false;
  const lastChar = load<u8>(lit + m - 1);
  let i: usize = 0;
  const limit = n - m;
  while (i <= limit) {
    const c = load<u8>(p + i + m - 1);
    if (c == lastChar) {
      let k: usize = 0;
      while (k + 1 < m && load<u8>(p + i + k) == load<u8>(lit + k)) k++;
      if (k + 1 >= m) return true;
    }
    i += <usize>load<u8>(table + <usize>c);
  }
  return false;
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
