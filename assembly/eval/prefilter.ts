// Early rejection: every rule carries groups of literals, one of each group must occur in the
// record's bytes for the rule to be able to match (e.g. `"forbid` for the seed rule, which 97% of
// audit events lack).
// A `\u` or `\/` escape could spell a literal differently: a rule is only rejected when the record's
// escapes spell none of its absent literals' characters (escapes.ts), looked at on first need.
import { Region } from '../util/buffer';
import { rules, ruleCount, prefGroups, prefGroupCount, prefLits, prefLitCount, prefMembers, dataPtr } from '../program/program';
import { bytesEqual } from '../json/strings';
import { noteEscapes, noEscapes, escapesMaySpell } from './escapes';
import { RULE_SIZE, PREF_GROUP_SIZE, PREF_LIT_SIZE } from '../program/format';
import { HAS_NATIVE_SEARCH, nativeStrstr, nativeStrlen, nativeMemchr } from '../util/native';
import { startsAsRawAudit } from './raw-audit-start';

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
// Per group: the characters of its literals (u64 for 0..63, u64 for 64..127, u8 "some non-ASCII byte",
// u8 "some character Fluent Bit's JSON writer escapes").
const groupChars = new Region();
const GROUP_CHARS_SIZE: usize = 24;
let searched = false;
let separateSearches: u32 = 0;
// Native search (filter modules in WAMR: env.strstr runs as machine code, dozens of times faster than
// any search the interpreter runs). It needs NUL-terminated strings: the literals are copied with a
// NUL once per program; the record is used natively only when its NUL-terminated length is exactly
// its length (Fluent Bit passes it so), checked once per record on first need; otherwise Horspool.
// strstr looks for the needle's first two bytes, then compares: a needle starting with a pair that is
// everywhere in audit JSON (`"f` of every managedFields key) makes it crawl. So each literal is searched
// by an anchor, its suffix from its rarest pair on, and the bytes before the anchor are compared after.
const cLiterals = new Region(); // each literal's anchor + NUL
const cLiteralAt = new Region(); // per literal: u32 offset of its anchor in cLiterals (0xffffffff: holds a NUL), u32 anchor offset in the literal
const MAX_FALSE_ANCHORS = 4; // then Horspool: every strstr call re-reads the record up to its NUL
let recordNative: i32 = -1; // -1 not checked yet, 0 no, 1 yes
// A rule's groups are tried most-rejecting first, learnt from the records themselves (a group that just
// rejected a record moves one place up when it has rejected more than the group before it): for the
// seed rule `"forbid` (absent from 97% of audit events) comes before `"system:serviceaccount:` (in most),
// which saves a search per record. The groups are ANDed: their order changes no verdict.
const groupOrder = new Region(); // per rule's group slot: the group index tried there (u32)
const groupRejects = new Region(); // per group: records it rejected (u32, halved when large)

@inline function litPtr(i: u32): usize {
  return dataPtr + <usize>load<u32>(prefLits + <usize>i * PREF_LIT_SIZE);
}
@inline function litLen(i: u32): usize {
  return <usize>load<u32>(prefLits + <usize>i * PREF_LIT_SIZE, 4);
}

/** Builds the tables once per program. */
export function preparePrefilter(): bool {
  if (!litState.ensure(<usize>prefLitCount + 8) || !bucketNext.ensure(<usize>prefLitCount * 4 + 4)) return false;
  if (prefLitCount == 0) return true;
  if (!prepareGroupChars()) return false;
  if (!groupOrder.ensure(<usize>prefGroupCount * 4 + 4) || !groupRejects.ensure(<usize>prefGroupCount * 4 + 4)) return false;
  for (let g: u32 = 0; g < prefGroupCount; g++) {
    store<u32>(groupOrder.ptr + <usize>g * 4, g);
    store<u32>(groupRejects.ptr + <usize>g * 4, 0);
  }
  separate = prefLitCount <= SEPARATE_SEARCH_MAX_LITERALS;
  if (!prepareSkipTables()) return false;
  if (HAS_NATIVE_SEARCH && !prepareCLiterals()) return false;
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
    let writerEscapes: u8 = 0;
    for (let k: u32 = 0; k < mc; k++) {
      const i = load<u32>(prefMembers + <usize>(ms + k) * 4);
      const lit = litPtr(i);
      for (let j: usize = 0; j < litLen(i); j++) {
        const c = load<u8>(lit + j);
        if (writerMaySpell(c, j)) writerEscapes = 1;
        if (c >= 0x80) nonAscii = 1;
        else if (c < 64) low |= <u64>1 << c;
        else high |= <u64>1 << (c - 64);
      }
    }
    const summary = groupChars.ptr + <usize>g * GROUP_CHARS_SIZE;
    store<u64>(summary, low);
    store<u64>(summary, high, 8);
    store<u8>(summary, nonAscii, 16);
    store<u8>(summary, writerEscapes, 17);
  }
  return true;
}

/**
 * Could an escape in Fluent Bit's own serialisation spell byte c at offset j of a literal? Its JSON
 * writer (flb_utils_write_str) escapes only '"', '\\', control characters, DEL and non-ASCII text; a
 * literal's leading quote is a value's opening quote, written as is. '/' counts too: Fluent Bit never
 * writes `\/`, but other JSON writers do, and the check for it is cheap (only literals holding a '/').
 */
function writerMaySpell(c: u8, j: usize): bool {
  return c < 0x20 || c >= 0x7f || c == 0x5c || c == 0x2f || (c == 0x22 && j > 0);
}

function prepareCLiterals(): bool {
  let total: usize = 0;
  for (let i: u32 = 0; i < prefLitCount; i++) total += litLen(i) + 1;
  if (!cLiterals.ensure(total + 1) || !cLiteralAt.ensure(<usize>prefLitCount * 8 + 8)) return false;
  let at: usize = 0;
  for (let i: u32 = 0; i < prefLitCount; i++) {
    const lit = litPtr(i);
    const m = litLen(i);
    let hasNul = m == 0;
    for (let k: usize = 0; k < m; k++) if (load<u8>(lit + k) == 0) hasNul = true;
    const k = anchorOffset(lit, m);
    store<u32>(cLiteralAt.ptr + <usize>i * 8, hasNul ? 0xffffffff : <u32>at);
    store<u32>(cLiteralAt.ptr + <usize>i * 8, <u32>k, 4);
    memory.copy(cLiterals.ptr + at, lit + k, m - k);
    store<u8>(cLiterals.ptr + at + m - k, 0);
    at += m - k + 1;
  }
  return true;
}

/** How common a byte is in audit JSON, roughly: structure, lower-case vowels and frequent consonants first. */
function byteCommonness(c: u32): u32 {
  if (c == 0x22 || c == 0x3a || c == 0x2c || c == 0x2d || c == 0x2f || c == 0x2e) return 4; // " : , - / .
  if (c == 0x65 || c == 0x61 || c == 0x6f || c == 0x69 || c == 0x74 || c == 0x6e || c == 0x73 || c == 0x72) return 3; // e a o i t n s r
  if (c >= 0x61 && c <= 0x7a) return c == 0x6a || c == 0x71 || c == 0x78 || c == 0x7a || c == 0x62 || c == 0x77 || c == 0x79 ? 1 : 2;
  if (c >= 0x30 && c <= 0x39) return 2;
  return 1;
}

/** Where the anchor starts: the literal's rarest pair of bytes (the earliest among equals), keeping at least 2 bytes. */
function anchorOffset(lit: usize, m: usize): usize {
  if (m < 3) return 0;
  let best: usize = 0;
  let bestScore: u32 = 0xffffffff;
  for (let k: usize = 0; k + 2 <= m; k++) {
    const score = byteCommonness(load<u8>(lit + k)) * byteCommonness(load<u8>(lit + k + 1));
    if (score < bestScore) {
      bestScore = score;
      best = k;
    }
  }
  return best;
}

/** Is the record a C string (its NUL right after it, none inside), so native string functions may read it? Checked once per record. */
function recordIsCString(): bool {
  if (recordNative < 0) {
    // Trusted input (Fluent Bit's own JSON) holds no NUL byte: the one after it is enough.
    const end = recordPtr + recordLen;
    recordNative = end < (<usize>memory.size() << 16) && load<u8>(end) == 0 && (recordTrusted || nativeStrlen(recordPtr) == recordLen) ? 1 : 0;
  }
  return recordNative != 0;
}

/** Native search for literal i when it and the record allow it: 2 present, 1 absent, 0 not possible. */
function nativeSearch(i: u32): u8 {
  if (!HAS_NATIVE_SEARCH) return 0;
  const at = load<u32>(cLiteralAt.ptr + <usize>i * 8);
  if (at == 0xffffffff || recordLen < 2) return 0;
  if (!recordIsCString()) return 0;
  if (litLen(i) > recordLen) return 1;
  const k = <usize>load<u32>(cLiteralAt.ptr + <usize>i * 8, 4);
  const anchor = cLiterals.ptr + <usize>at;
  const lit = litPtr(i);
  let from = recordPtr + k;
  for (let tries = 0; tries < MAX_FALSE_ANCHORS; tries++) {
    const hit = nativeStrstr(from, anchor);
    if (hit == 0) return 1;
    if (bytesEqual(hit - k, lit, k)) return 2;
    from = hit + 1;
  }
  return 0;
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
let recordTrusted = false;
let rawAuditStart: i32 = -1; // -1 not checked yet, 0 no, 1 the record starts as Fluent Bit writes a raw audit event
export function beginRecord(p: usize, n: usize, trusted: bool = false): void {
  recordTrusted = trusted;
  recordPtr = p;
  recordLen = n;
  searched = false;
  separateSearches = 0;
  escapesNoted = false;
  recordNative = -1;
  rawAuditStart = -1;
  // A few literals (a rule or two): one store, not a bulk fill (an interpreter pays for its call).
  if (prefLitCount <= 8) store<u64>(litState.ptr, 0);
  else memory.fill(litState.ptr, 0, <usize>prefLitCount);
}

/** Can a record's escapes spell a character of group g's literals? (escapes noted once per record, on first need) */
function escapesMaySpellGroup(g: u32): bool {
  const summary = groupChars.ptr + <usize>g * GROUP_CHARS_SIZE;
  // Fluent Bit's own serialisation of a raw audit event: the rules read the record itself (no document
  // embedded in a string), whose writer escapes none of this group's characters (docs/abi.md, "Trusted
  // input"). So the literals would be there as they are: no need to look at escapes.
  if (recordTrusted && load<u8>(summary, 17) == 0) {
    if (rawAuditStart < 0) rawAuditStart = startsAsRawAudit(recordPtr, recordLen) ? 1 : 0;
    if (rawAuditStart != 0) return false;
  }
  if (!escapesNoted) noteRecordEscapes();
  if (slashesFrom != 0 && (load<u64>(summary) & SLASH_BIT) != 0) {
    // This group holds a '/': does the tail hold a `\/`? (natively, once per record)
    if (nativeStrstr(slashesFrom, ESCAPED_SLASH) != 0) noteEscapes(recordPtr, recordLen, slashesFrom);
    slashesFrom = 0;
  }
  return escapesMaySpell(load<u64>(summary), load<u64>(summary, 8), load<u8>(summary, 16) != 0);
}

// Escapes spell characters only through `\u` (any character, at any level of a document embedded in
// a string: a deeper `\u` is written with a `\u` one level up, `\\u` or `\u005cu`) and `\/` (only
// '/', whatever the backslashes before it). With natives, a record is looked at in three steps, each
// done only when the one before leaves the question open: `memchr` for its first backslash (none in
// many records), `strstr` for a `\u` from there (WAMR checks a string argument by walking it to its
// NUL: from the first backslash that is the record's tail, not all of it), and, only for a group
// holding a '/', `strstr` for a `\/`. A `\u` makes the interpreted pass note every escape (escapes.ts).
const ESCAPED_U = memory.data<u8>([0x5c, 0x75, 0]);
const ESCAPED_SLASH = memory.data<u8>([0x5c, 0x2f, 0]);
const SLASH_BIT: u64 = <u64>1 << 0x2f;
let slashesFrom: usize = 0; // the first backslash while `\/` escapes are not looked for yet, else 0

function noteRecordEscapes(): void {
  escapesNoted = true;
  slashesFrom = 0;
  if (!HAS_NATIVE_SEARCH || !recordIsCString()) {
    noteEscapes(recordPtr, recordLen);
    return;
  }
  const first = nativeMemchr(recordPtr, 0x5c, recordLen);
  noEscapes();
  if (first == 0) return;
  if (nativeStrstr(first, ESCAPED_U) != 0) noteEscapes(recordPtr, recordLen, first);
  else slashesFrom = first;
}

function literalPresent(i: u32): bool {
  // 0 not searched yet, 1 absent, 2 present. The first literals are searched one by one (a search stops
  // where it finds one, and the weakest rules come first); past a few, one pass finds them all.
  const s = litState.ptr + <usize>i;
  let known = load<u8>(s);
  if (known == 0) {
    if (separate || separateSearches < SEPARATE_SEARCH_MAX_LITERALS) {
      separateSearches++;
      known = nativeSearch(i);
      if (known == 0) known = horspool(i) ? 2 : 1;
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
  for (let k: u32 = 0; k < count; k++) {
    const slot = groupOrder.ptr + <usize>(first + k) * 4;
    const g = load<u32>(slot) - first;
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
    if (!any) {
      noteRejection(slot, k);
      return escapesMaySpellGroup(first + g);
    }
  }
  return true;
}

/** The group in `slot` (the k-th tried) rejected a record: count it, and move it up past a group that rejects less. */
function noteRejection(slot: usize, k: u32): void {
  const g = load<u32>(slot);
  const counter = groupRejects.ptr + <usize>g * 4;
  let n = load<u32>(counter) + 1;
  if (n >= 0x40000000) n >>= 1;
  store<u32>(counter, n);
  if (k == 0) return;
  const before = load<u32>(slot - 4);
  if (n > load<u32>(groupRejects.ptr + <usize>before * 4)) {
    store<u32>(slot - 4, g);
    store<u32>(slot, before);
  }
}
