// The journal: every newly learned term is appended beside the snapshot before the host gets the
// record back, so nothing learned is lost when Fluent Bit stops or reloads (it never tells the module).
// The entries of one record go out in one write. The snapshot compacts it: once a snapshot is
// written the journal starts over. Replay merges (a term keeps its larger lastSeen), so replaying an
// entry already in the snapshot changes nothing. Layout: state/format.ts, docs/state-format.md.
import { Region } from '../util/buffer';
import { hashBytes } from '../util/hash';
import { firstEventTime } from '../eval/record';
import { OFLAG_CREAT, OFLAG_TRUNC } from '../abi/wasi';
import { JOURNAL_MAGIC, JOURNAL_VERSION, JOURNAL_HEADER, JOURNAL_CHECKSUM_SEED, SECTION_HEADER, ENTRY_CHECKSUM, Kind, MODULE_PAYLOAD } from './format';
import { journalPath, journalPathLen, readWholeFile, openFile, closeFile, writeFully, reportWriteError, OP_JOURNAL_OPEN, OP_JOURNAL_WRITE, FDFLAG_APPEND, errnoText } from './files';
import { applySection, ruleKey } from './snapshot';

/** Past this size the journal asks for a snapshot (which empties it). */
export const JOURNAL_COMPACT_BYTES: usize = 8 << 20;
const MAX_JOURNAL: usize = 1 << 30;
const NEW_TERM_PAYLOAD: u32 = 4 + 16;
const NEW_TERM_ENTRY: usize = SECTION_HEADER + <usize>NEW_TERM_PAYLOAD + ENTRY_CHECKSUM;

let fd: i32 = -1;
/** Bytes in the journal file (as far as this instance wrote or read it). */
export let journalBytes: usize = 0;
export let journalFailures: u64 = 0;
const pending = new Region();
let pendingLen: usize = 0;
/** firstEventTime as last journaled or snapshotted. */
let recordedFirstEventTime: i64 = i64.MIN_VALUE;

export function journalOpen(): bool {
  return fd >= 0;
}

/** Remembers that the snapshot holds firstEventTime (no entry needed for it). */
export function noteFirstEventTimeSaved(): void {
  recordedFirstEventTime = firstEventTime;
}

/** Queues a newly learned term of rule r (written by flushJournal at the end of the record). */
export function noteLearnedTerm(r: u32, hash: u64, t: i64): void {
  if (fd < 0) return;
  if (!pending.ensure(pendingLen + NEW_TERM_ENTRY)) return;
  const e = pending.ptr + pendingLen;
  store<u32>(e, Kind.NewTerms);
  store<u32>(e, NEW_TERM_PAYLOAD, 4);
  store<u64>(e, ruleKey(r), 8);
  store<u32>(e, 1, SECTION_HEADER);
  store<u64>(e, hash, SECTION_HEADER + 4);
  store<i64>(e, t, SECTION_HEADER + 12);
  store<u64>(e + SECTION_HEADER + <usize>NEW_TERM_PAYLOAD, hashBytes(e, SECTION_HEADER + <usize>NEW_TERM_PAYLOAD, JOURNAL_CHECKSUM_SEED));
  pendingLen += NEW_TERM_ENTRY;
}

/**
 * Room for one entry of any kind (EQL sequences, and the rule types to come), written with the
 * record's other entries by flushJournal: returns where its `payloadLength` bytes go, or 0 when
 * there is no journal or no memory. The caller fills the payload, then calls commitEntry().
 */
export function beginEntry(kind: u32, key: u64, payloadLength: usize): usize {
  if (fd < 0) return 0;
  if (!pending.ensure(pendingLen + SECTION_HEADER + payloadLength + ENTRY_CHECKSUM)) return 0;
  const e = pending.ptr + pendingLen;
  store<u32>(e, kind);
  store<u32>(e, <u32>payloadLength, 4);
  store<u64>(e, key, 8);
  return e + SECTION_HEADER;
}

/** Seals the entry begun by beginEntry (its checksum) and queues it. */
export function commitEntry(): void {
  const e = pending.ptr + pendingLen;
  const body = SECTION_HEADER + <usize>load<u32>(e, 4);
  store<u64>(e + body, hashBytes(e, body, JOURNAL_CHECKSUM_SEED));
  pendingLen += body + ENTRY_CHECKSUM;
}

export function journalPending(): bool {
  return pendingLen > 0;
}

/** Writes the queued entries in one write (and firstEventTime when it changed). */
export function flushJournal(): void {
  if (pendingLen == 0) return;
  if (firstEventTime != recordedFirstEventTime) addModuleEntry();
  const e = writeFully(fd, pending.ptr, pendingLen);
  if (e == 0) {
    journalBytes += pendingLen;
    recordedFirstEventTime = firstEventTime;
  } else {
    journalFailures++;
    reportWriteError(OP_JOURNAL_WRITE, e);
  }
  pendingLen = 0;
}

function addModuleEntry(): void {
  const size = SECTION_HEADER + <usize>MODULE_PAYLOAD + ENTRY_CHECKSUM;
  if (!pending.ensure(pendingLen + size)) return;
  const e = pending.ptr + pendingLen;
  store<u32>(e, Kind.Module);
  store<u32>(e, MODULE_PAYLOAD, 4);
  store<u64>(e, 0, 8);
  store<i64>(e, firstEventTime, SECTION_HEADER);
  store<u64>(e + SECTION_HEADER + <usize>MODULE_PAYLOAD, hashBytes(e, SECTION_HEADER + <usize>MODULE_PAYLOAD, JOURNAL_CHECKSUM_SEED));
  pendingLen += size;
}

/** Starts the journal over (after a snapshot): truncated to its header and kept open for appends. */
export function resetJournal(): bool {
  closeFile(fd);
  fd = -1;
  pendingLen = 0;
  const opened = openFile(journalPath.ptr, journalPathLen, OFLAG_CREAT | OFLAG_TRUNC, FDFLAG_APPEND);
  if (opened < 0) {
    journalFailures++;
    reportWriteError(OP_JOURNAL_OPEN, <u32>-opened);
    return false;
  }
  fd = opened;
  const header = memory.data(8);
  store<u32>(header, JOURNAL_MAGIC);
  store<u32>(header, JOURNAL_VERSION, 4);
  const e = writeFully(fd, header, JOURNAL_HEADER);
  if (e != 0) {
    journalFailures++;
    reportWriteError(OP_JOURNAL_WRITE, e);
  }
  journalBytes = JOURNAL_HEADER;
  return true;
}

/** Keeps appending to the journal as it is (when it could not be compacted at start). */
export function reopenJournalForAppend(): void {
  closeFile(fd);
  const opened = openFile(journalPath.ptr, journalPathLen, OFLAG_CREAT, FDFLAG_APPEND);
  if (opened < 0) {
    fd = -1;
    journalFailures++;
    reportWriteError(OP_JOURNAL_OPEN, <u32>-opened);
    return;
  }
  fd = opened;
  if (journalBytes == 0) {
    const header = memory.data(8);
    store<u32>(header, JOURNAL_MAGIC);
    store<u32>(header, JOURNAL_VERSION, 4);
    if (writeFully(fd, header, JOURNAL_HEADER) == 0) journalBytes = JOURNAL_HEADER;
  }
}

/** What the replay found. */
export let replayedEntries: u32 = 0;
export let skippedEntries: u32 = 0; // valid, but for a rule or kind this module does not have
export let damagedBytes: usize = 0;

const buffer = new Region();

/**
 * Replays the journal into the state. Returns "" when there is none (or only its header), else a
 * phrase for the start-up line. Damaged stretches (a torn last write, garbage) are skipped: the
 * replay looks for the next entry whose checksum holds.
 */
export function replayJournal(): string {
  replayedEntries = 0;
  skippedEntries = 0;
  damagedBytes = 0;
  const len = readWholeFile(journalPath.ptr, journalPathLen, buffer, MAX_JOURNAL);
  if (len == -44) {
    journalBytes = 0;
    return '';
  }
  if (len < 0) return 'journal could not be read (' + errnoText(<u32>-len) + '), ignored';
  const p = buffer.ptr;
  const n = <usize>len;
  journalBytes = n;
  if (n == 0) return '';
  if (n < JOURNAL_HEADER || load<u32>(p) != JOURNAL_MAGIC) return 'journal ignored: not a kql-edge journal';
  if (load<u32>(p, 4) != JOURNAL_VERSION) return 'journal ignored: made by another version (format ' + load<u32>(p, 4).toString() + ')';
  let at = JOURNAL_HEADER;
  while (at < n) {
    const size = entryAt(p, n, at);
    if (size == 0) {
      damagedBytes++;
      at++;
      continue;
    }
    const kind = load<u32>(p + at);
    if (applySection(kind, load<u64>(p + at, 8), p + at + SECTION_HEADER, <usize>load<u32>(p + at, 4), false)) replayedEntries++;
    else skippedEntries++;
    at += size;
  }
  if (replayedEntries == 0 && skippedEntries == 0 && damagedBytes == 0) return '';
  let s = 'journal: ' + replayedEntries.toString() + ' entries replayed';
  if (skippedEntries > 0) s += ', ' + skippedEntries.toString() + ' for rules no longer built in';
  if (damagedBytes > 0) s += ', ' + damagedBytes.toString() + ' damaged bytes ignored';
  return s;
}

/** Size of the valid entry at offset `at`, or 0 when there is none there. */
function entryAt(p: usize, n: usize, at: usize): usize {
  if (at + SECTION_HEADER + ENTRY_CHECKSUM > n) return 0;
  const kind = load<u32>(p + at);
  if (kind == 0 || kind > 0xffff) return 0;
  const length = <usize>load<u32>(p + at, 4);
  if (length > n - at - SECTION_HEADER - ENTRY_CHECKSUM) return 0;
  const body = SECTION_HEADER + length;
  if (hashBytes(p + at, body, JOURNAL_CHECKSUM_SEED) != load<u64>(p + at + body)) return 0;
  return body + ENTRY_CHECKSUM;
}
