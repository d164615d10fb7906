// The durable state as a whole (New Terms, EQL sequences): restored once from snapshot + journal,
// saved as a snapshot that then empties the journal. Without a configured state file every call here returns at once.
import { logLine } from '../abi/wasi';
import { stateFileConfigured, resolveStatePaths, dirFd, reportWriteError } from './files';
import { restoreSnapshot, writeSnapshot } from './snapshot';
import { replayJournal, resetJournal, reopenJournalForAppend, noteFirstEventTimeSaved, journalBytes } from './journal';
import { JOURNAL_HEADER } from './format';
import { sequencesSaved } from '../eval/sequence';
import { windowsSaved } from '../eval/esql-stats';

export { stateFileConfigured } from './files';

/** Restores the state at start, says what it found in one line, and opens the journal. */
export function restoreState(): void {
  if (!stateFileConfigured()) return;
  if (!resolveStatePaths()) {
    logLine('kql-edge: new-terms snapshot: no accessible folder holds the configured path (Accessible_Paths); state will not be saved');
    return;
  }
  const snapshot = restoreSnapshot();
  const journal = replayJournal();
  let line = 'kql-edge: new-terms snapshot ';
  if (snapshot.length == 0 && journal.length == 0) line += 'none found, starting with empty state';
  else line += (snapshot.length > 0 ? snapshot : 'none found') + (journal.length > 0 ? '; ' + journal : '');
  logLine(line);
  // What the journal held goes into a fresh snapshot, which empties the journal (a damaged tail
  // with it). When that snapshot cannot be written, entries keep being appended to the journal.
  if (journalBytes > JOURNAL_HEADER) {
    if (!saveState()) reopenJournalForAppend();
  } else {
    resetJournal();
  }
}

/** Writes the snapshot, then starts the journal over. False when it could not be written. */
export function saveState(): bool {
  if (dirFd < 0) return false;
  const result = writeSnapshot();
  if (result != 0) {
    reportWriteError(result >> 16, result & 0xffff);
    return false;
  }
  noteFirstEventTimeSaved();
  sequencesSaved();
  windowsSaved();
  resetJournal();
  return true;
}
