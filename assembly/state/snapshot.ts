// The state snapshot (docs/state-format.md): every rule's state, one section each, written
// atomically (temporary file, then rename) and read at start. Version 1 files (the first release)
// are still read, so an upgrade keeps what was learned. State is matched per rule by its state key,
// so the rules that did not change keep their state across a rule-pack update.
import { Region } from '../util/buffer';
import { hashBytes } from '../util/hash';
import { rules, ruleCount } from '../program/program';
import { RULE_SIZE } from '../program/format';
import { tableOf, firstEventTime, setFirstEventTime } from '../eval/record';
import { sequenceTableOf, restoreSequences } from '../eval/sequence';
import { sectionSize, writeSection } from './sequence-section';
import { windowTableOf, restoreWindows } from '../eval/esql-stats';
import { windowSectionSize, writeWindowSection } from './window-section';
import { OFLAG_CREAT, OFLAG_TRUNC } from '../abi/wasi';
import {
  SNAPSHOT_MAGIC, SNAPSHOT_VERSION, SNAPSHOT_V1, SNAPSHOT_HEADER, SNAPSHOT_V1_HEADER, SNAPSHOT_CHECKSUM_SEED,
  SECTION_HEADER, Kind, MODULE_PAYLOAD,
} from './format';
import {
  snapshotPath, snapshotPathLen, tmpPath, tmpPathLen, readWholeFile, openFile, closeFile, writeFully,
  renameTmpOverSnapshot, OP_SNAPSHOT_OPEN, OP_SNAPSHOT_WRITE, OP_SNAPSHOT_RENAME, OP_NO_MEMORY, errnoText,
} from './files';

const MAX_FILE: usize = 1 << 30;
const buffer = new Region();

/** The state key of rule r (0 for none: the compiler never gives 0... but a match on 0 is harmless). */
export function ruleKey(r: u32): u64 {
  return load<u64>(rules + <usize>r * RULE_SIZE, 64);
}

export function ruleWithKey(key: u64): i32 {
  for (let r: u32 = 0; r < ruleCount; r++) if (ruleKey(r) == key) return <i32>r;
  return -1;
}

/** Set by applySection when the section was for a rule of this module but its payload was not well-formed. */
export let sectionDamaged = false;

/**
 * Applies one section or journal entry to the state; `replace` for a snapshot, merge for the journal.
 * True when it was used. A rule type with state adds its kind here and in writeSnapshot.
 */
export function applySection(kind: u32, key: u64, payload: usize, length: usize, replace: bool): bool {
  sectionDamaged = false;
  if (kind == Kind.Module) {
    if (length < <usize>MODULE_PAYLOAD) return false;
    const t = load<i64>(payload, 0);
    if (t != i64.MIN_VALUE && (firstEventTime == i64.MIN_VALUE || t < firstEventTime)) setFirstEventTime(t);
    return true;
  }
  if (kind == Kind.NewTerms) {
    const r = ruleWithKey(key);
    if (r < 0) return false;
    const table = tableOf(<u32>r);
    if (table === null) return false;
    return replace ? table.restore(payload, length) : table.merge(payload, length);
  }
  if (kind == Kind.Sequences) {
    const r = ruleWithKey(key);
    if (r < 0) return false;
    const result = restoreSequences(<u32>r, payload, length, replace);
    sectionDamaged = result < 0;
    return result > 0;
  }
  if (kind == Kind.Windows) {
    // Windows are saved in snapshots only (no journal entries).
    const r = ruleWithKey(key);
    if (r < 0 || !replace) return false;
    const result = restoreWindows(<u32>r, payload, length);
    sectionDamaged = result < 0;
    return result > 0;
  }
  return false; // a kind of a later release: skipped
}

/**
 * Reads the snapshot into the state. Returns what happened, for the one start-up line:
 * "" when there is none, else a phrase ("restored for 2 of 3 rules", "ignored: corrupt ...").
 */
export function restoreSnapshot(): string {
  const len = readWholeFile(snapshotPath.ptr, snapshotPathLen, buffer, MAX_FILE);
  if (len == -44) return '';
  if (len < 0) return 'could not be read (' + errnoText(<u32>-len) + '), ignored';
  const p = buffer.ptr;
  const n = <usize>len;
  const problem = validate(p, n);
  if (problem !== null) return 'ignored: ' + problem;
  const version = load<u32>(p, 4);
  let restored: u32 = 0;
  let ruleSections: u32 = 0;
  let seqRestored: u32 = 0;
  let seqSections: u32 = 0;
  let seqDamaged: u32 = 0;
  let winRestored: u32 = 0;
  let winSections: u32 = 0;
  let winDamaged: u32 = 0;
  if (version == SNAPSHOT_V1) {
    ruleSections = load<u32>(p, 8);
    let at = p + SNAPSHOT_V1_HEADER;
    for (let i: u32 = 0; i < ruleSections; i++) {
      const length = <usize>load<u32>(at, 8);
      if (applySection(Kind.NewTerms, load<u64>(at), at + 12, length, true)) restored++;
      at += 12 + length;
    }
    const first = load<i64>(p, 12);
    if (first != i64.MIN_VALUE) setFirstEventTime(first);
  } else {
    const count = load<u32>(p, 8);
    let at = p + SNAPSHOT_HEADER;
    for (let i: u32 = 0; i < count; i++) {
      const kind = load<u32>(at);
      const length = <usize>load<u32>(at, 4);
      const used = applySection(kind, load<u64>(at, 8), at + SECTION_HEADER, length, true);
      if (kind == Kind.NewTerms) {
        ruleSections++;
        if (used) restored++;
      } else if (kind == Kind.Sequences) {
        seqSections++;
        if (used) seqRestored++;
        else if (sectionDamaged) seqDamaged++;
      } else if (kind == Kind.Windows) {
        winSections++;
        if (used) winRestored++;
        else if (sectionDamaged) winDamaged++;
      }
      at += SECTION_HEADER + length;
    }
  }
  // "restored for 2 of 2 rules[, sequences for 1 of 1 rules (3 pending)]"; without New Terms
  // sections, "restored: sequences for ...".
  let said = ruleSections > 0 || (seqSections == 0 && winSections == 0)
    ? 'restored for ' + restored.toString() + ' of ' + ruleSections.toString() + ' rules' + (version == SNAPSHOT_V1 ? ' (format 1)' : '')
    : 'restored:';
  if (seqSections > 0) {
    said += (ruleSections > 0 ? ', ' : ' ') + 'sequences for ' + seqRestored.toString() + ' of ' + seqSections.toString() + ' rules (' + pendingSequences().toString() + ' pending)';
    if (seqDamaged > 0) said += ', ' + seqDamaged.toString() + ' damaged sequence section' + (seqDamaged > 1 ? 's' : '') + ' ignored';
  }
  if (winSections > 0) {
    said += (ruleSections > 0 || seqSections > 0 ? ', ' : ' ') + 'windows for ' + winRestored.toString() + ' of ' + winSections.toString() + ' rules (' + windowGroups().toString() + ' groups)';
    if (winDamaged > 0) said += ', ' + winDamaged.toString() + ' damaged window section' + (winDamaged > 1 ? 's' : '') + ' ignored';
  }
  return said;
}

/** Groups held by every STATS rule. */
function windowGroups(): u32 {
  let n: u32 = 0;
  for (let r: u32 = 0; r < ruleCount; r++) {
    const w = windowTableOf(r);
    if (w !== null) n += w.size;
  }
  return n;
}

/** Pending sequences held by every sequence rule. */
function pendingSequences(): u32 {
  let n: u32 = 0;
  for (let r: u32 = 0; r < ruleCount; r++) {
    const q = sequenceTableOf(r);
    if (q !== null) n += q.size;
  }
  return n;
}

/** Null when [p, p+n) is a complete snapshot of a version this module reads, else the reason. */
function validate(p: usize, n: usize): string | null {
  if (n < SNAPSHOT_HEADER + 8) return 'truncated';
  if (load<u32>(p) != SNAPSHOT_MAGIC) return 'not a kql-edge snapshot';
  const version = load<u32>(p, 4);
  if (version != SNAPSHOT_VERSION && version != SNAPSHOT_V1) return 'made by another version (format ' + version.toString() + ')';
  if (hashBytes(p, n - 8, SNAPSHOT_CHECKSUM_SEED) != load<u64>(p + n - 8)) return 'corrupt (checksum mismatch) or truncated';
  const count = load<u32>(p, 8);
  let at: usize = version == SNAPSHOT_V1 ? SNAPSHOT_V1_HEADER : SNAPSHOT_HEADER;
  const head: usize = version == SNAPSHOT_V1 ? 12 : SECTION_HEADER;
  const lengthAt: usize = version == SNAPSHOT_V1 ? 8 : 4;
  for (let i: u32 = 0; i < count; i++) {
    if (at + head > n - 8) return 'corrupt (sections overrun)';
    at += head + <usize>load<u32>(p + at + lengthAt);
  }
  if (at != n - 8) return 'corrupt (length mismatch)';
  return null;
}

/** Writes the snapshot atomically: the temporary file, then a rename. 0, or (op << 16 | errno). */
export function writeSnapshot(): u32 {
  let size: usize = SNAPSHOT_HEADER + SECTION_HEADER + <usize>MODULE_PAYLOAD + 8;
  let sections: u32 = 1;
  for (let r: u32 = 0; r < ruleCount; r++) {
    const t = tableOf(r);
    if (t === null) continue;
    size += SECTION_HEADER + t.serializedSize();
    sections++;
  }
  for (let r: u32 = 0; r < ruleCount; r++) {
    const q = sequenceTableOf(r);
    if (q === null) continue;
    size += SECTION_HEADER + sectionSize(q);
    sections++;
  }
  for (let r: u32 = 0; r < ruleCount; r++) {
    const w = windowTableOf(r);
    if (w === null) continue;
    size += SECTION_HEADER + windowSectionSize(w);
    sections++;
  }
  if (!buffer.ensure(size)) return OP_NO_MEMORY << 16;
  const p = buffer.ptr;
  store<u32>(p, SNAPSHOT_MAGIC);
  store<u32>(p, SNAPSHOT_VERSION, 4);
  store<u32>(p, sections, 8);
  store<u32>(p, 0, 12);
  let at = p + SNAPSHOT_HEADER;
  store<u32>(at, Kind.Module);
  store<u32>(at, MODULE_PAYLOAD, 4);
  store<u64>(at, 0, 8);
  store<i64>(at, firstEventTime, SECTION_HEADER);
  at += SECTION_HEADER + <usize>MODULE_PAYLOAD;
  for (let r: u32 = 0; r < ruleCount; r++) {
    const t = tableOf(r);
    if (t === null) continue;
    const n = t.serialize(at + SECTION_HEADER);
    store<u32>(at, Kind.NewTerms);
    store<u32>(at, <u32>n, 4);
    store<u64>(at, ruleKey(r), 8);
    at += SECTION_HEADER + n;
  }
  for (let r: u32 = 0; r < ruleCount; r++) {
    const q = sequenceTableOf(r);
    if (q === null) continue;
    const n = writeSection(q, at + SECTION_HEADER);
    store<u32>(at, Kind.Sequences);
    store<u32>(at, <u32>n, 4);
    store<u64>(at, ruleKey(r), 8);
    at += SECTION_HEADER + n;
  }
  for (let r: u32 = 0; r < ruleCount; r++) {
    const w = windowTableOf(r);
    if (w === null) continue;
    const n = writeWindowSection(w, at + SECTION_HEADER);
    store<u32>(at, Kind.Windows);
    store<u32>(at, <u32>n, 4);
    store<u64>(at, ruleKey(r), 8);
    at += SECTION_HEADER + n;
  }
  store<u64>(at, hashBytes(p, at - p, SNAPSHOT_CHECKSUM_SEED));
  at += 8;
  const fd = openFile(tmpPath.ptr, tmpPathLen, OFLAG_CREAT | OFLAG_TRUNC, 0);
  if (fd < 0) return (OP_SNAPSHOT_OPEN << 16) | <u32>-fd;
  const written = writeFully(fd, p, at - p);
  closeFile(fd);
  if (written != 0) return (OP_SNAPSHOT_WRITE << 16) | written;
  const renamed = renameTmpOverSnapshot();
  return renamed == 0 ? 0 : (OP_SNAPSHOT_RENAME << 16) | renamed;
}
