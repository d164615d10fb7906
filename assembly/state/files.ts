// Where the state file lives and how it is read and written through WASI (in Fluent Bit its folder
// must be one of `Accessible_Paths`). Three files share the configured path P: the snapshot P, its
// temporary P.tmp (written, then renamed over P) and the journal P.journal (docs/state-format.md).
// Write errors go to stderr once per distinct (operation, errno), then are only counted.
import { Region } from '../util/buffer';
import { options, dataPtr } from '../program/program';
import { fd_prestat_get, fd_prestat_dir_name, path_open, path_rename, fd_close, fd_write, fd_read, logLine, FILE_RIGHTS } from '../abi/wasi';

export const FDFLAG_APPEND: u16 = 1;
/** Not a WASI errno: a write that reported 0 bytes written. */
export const ERR_NOTHING_WRITTEN: u32 = 1000;
/** Not a WASI errno: the file is larger than the state file may be. */
export const ERR_TOO_LARGE: u32 = 1001;

/** The configured path, or 0 when the module was built without a state file. */
export function configuredPath(): usize {
  return load<u32>(options, 24) > 0 ? dataPtr + <usize>load<u32>(options, 20) : 0;
}

export function configuredPathLength(): usize {
  return <usize>load<u32>(options, 24);
}

export function stateFileConfigured(): bool {
  return load<u32>(options, 24) > 0;
}

/** Preopened folder holding the state files (-1: not resolved or none). */
export let dirFd: i32 = -1;
/** Path of the snapshot relative to dirFd, and of the temporary file and the journal. */
export const snapshotPath = new Region();
export let snapshotPathLen: usize = 0;
export const tmpPath = new Region();
export let tmpPathLen: usize = 0;
export const journalPath = new Region();
export let journalPathLen: usize = 0;

const names = new Region();
const prestat = memory.data(8);
const fdOut = memory.data(8);
const iov = memory.data(8);
const count = memory.data(8);

/**
 * Finds the preopened folder holding the configured path (the longest preopen name that is a
 * prefix of it, or "." for a relative path) and the three paths relative to it. False when none.
 */
export function resolveStatePaths(): bool {
  const p = configuredPath();
  const n = configuredPathLength();
  if (p == 0) return false;
  dirFd = -1;
  let best: usize = 0;
  for (let fd: u32 = 3; fd < 128; fd++) {
    if (fd_prestat_get(fd, prestat) != 0) break;
    if (load<u8>(prestat) != 0) continue;
    const len = <usize>load<u32>(prestat, 4);
    if (!names.ensure(len + 1)) return false;
    if (fd_prestat_dir_name(fd, names.ptr, <u32>len) != 0) continue;
    let nameLen = len;
    while (nameLen > 0 && load<u8>(names.ptr + nameLen - 1) == 0) nameLen--; // some hosts NUL-terminate
    while (nameLen > 1 && load<u8>(names.ptr + nameLen - 1) == 0x2f) nameLen--; // "dir/" -> "dir"
    let matchLen: usize = 0;
    const isDot = nameLen == 1 && load<u8>(names.ptr) == 0x2e;
    if (isDot) {
      if (load<u8>(p) == 0x2f) continue;
      matchLen = 0;
    } else {
      if (nameLen >= n || load<u8>(p + nameLen) != 0x2f) continue;
      let same = true;
      for (let k: usize = 0; k < nameLen; k++) if (load<u8>(p + k) != load<u8>(names.ptr + k)) { same = false; break; }
      if (!same) continue;
      matchLen = nameLen + 1;
    }
    if (dirFd < 0 || matchLen > best) {
      dirFd = <i32>fd;
      best = matchLen;
    }
  }
  if (dirFd < 0 || n <= best) {
    dirFd = -1;
    return false;
  }
  const rel = p + best;
  const relLen = n - best;
  if (!snapshotPath.ensure(relLen) || !tmpPath.ensure(relLen + 4) || !journalPath.ensure(relLen + 8)) {
    dirFd = -1;
    return false;
  }
  memory.copy(snapshotPath.ptr, rel, relLen);
  snapshotPathLen = relLen;
  memory.copy(tmpPath.ptr, rel, relLen);
  store<u32>(tmpPath.ptr + relLen, 0x706d742e); // ".tmp"
  tmpPathLen = relLen + 4;
  memory.copy(journalPath.ptr, rel, relLen);
  store<u64>(journalPath.ptr + relLen, 0x6c616e72756f6a2e); // ".journal"
  journalPathLen = relLen + 8;
  return true;
}

/** Opens a file below dirFd; returns the fd, or -(errno) (never 0: fds 0-2 are stdio). */
export function openFile(path: usize, pathLen: usize, oflags: u16, fdflags: u16): i32 {
  const e = path_open(<u32>dirFd, 0, path, <u32>pathLen, oflags, FILE_RIGHTS, FILE_RIGHTS, fdflags, fdOut);
  if (e != 0) return -<i32>e;
  return <i32>load<u32>(fdOut);
}

export function closeFile(fd: i32): void {
  if (fd >= 0) fd_close(<u32>fd);
}

/** Writes all of [p, p+n) to fd; 0 or an errno (ERR_NOTHING_WRITTEN when the host wrote nothing). */
export function writeFully(fd: i32, p: usize, n: usize): u32 {
  while (n > 0) {
    store<u32>(iov, <u32>p);
    store<u32>(iov, <u32>n, 4);
    const e = fd_write(<u32>fd, iov, 1, count);
    if (e != 0) return <u32>e;
    const written = <usize>load<u32>(count);
    if (written == 0) return ERR_NOTHING_WRITTEN;
    p += written;
    n -= written;
  }
  return 0;
}

/**
 * Reads the whole file at `path` into `into` (from offset 0). Returns its length, or -(errno) when it
 * cannot be opened (-44: it does not exist), or -ERR_TOO_LARGE.
 */
export function readWholeFile(path: usize, pathLen: usize, into: Region, maxBytes: usize): isize {
  const fd = openFile(path, pathLen, 0, 0);
  if (fd < 0) return <isize>fd;
  let len: usize = 0;
  let result: isize = 0;
  while (true) {
    if (len > maxBytes) { result = -<isize>ERR_TOO_LARGE; break; }
    if (!into.ensure(len + 65536)) { result = -<isize>ERR_TOO_LARGE; break; }
    store<u32>(iov, <u32>(into.ptr + len));
    store<u32>(iov, 65536, 4);
    const e = fd_read(<u32>fd, iov, 1, count);
    if (e != 0) { result = -<isize>e; break; }
    const got = <usize>load<u32>(count);
    if (got == 0) { result = <isize>len; break; }
    len += got;
  }
  fd_close(<u32>fd);
  return result;
}

/** Renames the temporary file over the snapshot; 0 or an errno. */
export function renameTmpOverSnapshot(): u32 {
  return <u32>path_rename(<u32>dirFd, tmpPath.ptr, <u32>tmpPathLen, <u32>dirFd, snapshotPath.ptr, <u32>snapshotPathLen);
}

// ---- errors: said once per distinct (operation, errno), then counted ----------------------

export const OP_SNAPSHOT_OPEN: u32 = 1;
export const OP_SNAPSHOT_WRITE: u32 = 2;
export const OP_SNAPSHOT_RENAME: u32 = 3;
export const OP_JOURNAL_OPEN: u32 = 4;
export const OP_JOURNAL_WRITE: u32 = 5;
export const OP_NO_MEMORY: u32 = 6;

const reported = new Region(); // u32 (op << 16 | errno) already said
let reportedCount: u32 = 0;
const MAX_REPORTED: u32 = 64;

/** Says a state write error on stderr, unless this (operation, errno) was already said. */
export function reportWriteError(op: u32, errno: u32): void {
  const key = (op << 16) | (errno & 0xffff);
  for (let i: u32 = 0; i < reportedCount; i++) if (load<u32>(reported.ptr + <usize>i * 4) == key) return;
  if (reportedCount >= MAX_REPORTED || !reported.ensure(<usize>(reportedCount + 1) * 4)) return;
  store<u32>(reported.ptr + <usize>reportedCount * 4, key);
  reportedCount++;
  let what: string;
  let path: string;
  if (op == OP_SNAPSHOT_OPEN) { what = 'could not create'; path = pathText(tmpPath.ptr, tmpPathLen); }
  else if (op == OP_SNAPSHOT_WRITE) { what = 'could not write'; path = pathText(tmpPath.ptr, tmpPathLen); }
  else if (op == OP_SNAPSHOT_RENAME) { what = 'could not rename the new snapshot over'; path = pathText(snapshotPath.ptr, snapshotPathLen); }
  else if (op == OP_JOURNAL_OPEN) { what = 'could not open the journal'; path = pathText(journalPath.ptr, journalPathLen); }
  else if (op == OP_JOURNAL_WRITE) { what = 'could not append to the journal'; path = pathText(journalPath.ptr, journalPathLen); }
  else { what = 'out of memory while writing'; path = pathText(snapshotPath.ptr, snapshotPathLen); }
  const counter = op == OP_JOURNAL_OPEN || op == OP_JOURNAL_WRITE ? 'journal_failures' : 'snapshot_failures';
  logLine('kql-edge: new-terms state: ' + what + ' ' + path + ': ' + errnoText(errno) +
    '; the same error again is only counted (' + counter + ')');
}

function pathText(p: usize, n: usize): string {
  return n == 0 ? '(no path)' : String.UTF8.decodeUnsafe(p, n);
}

/** A WASI errno as words (the common ones) and its number. */
export function errnoText(e: u32): string {
  let name = '';
  if (e == 2) name = 'permission denied';
  else if (e == 8) name = 'bad file descriptor';
  else if (e == 19) name = 'disk quota exceeded';
  else if (e == 20) name = 'file exists';
  else if (e == 22) name = 'file too large';
  else if (e == 28) name = 'invalid argument';
  else if (e == 29) name = 'I/O error';
  else if (e == 31) name = 'is a directory';
  else if (e == 44) name = 'no such file or directory';
  else if (e == 51) name = 'no space left on device';
  else if (e == 54) name = 'not a directory';
  else if (e == 55) name = 'directory not empty';
  else if (e == 63) name = 'operation not permitted';
  else if (e == 69) name = 'read-only file system';
  else if (e == 76) name = 'not permitted by the host (capabilities)';
  else if (e == ERR_NOTHING_WRITTEN) return 'the host wrote nothing (disk full?)';
  else if (e == ERR_TOO_LARGE) return 'too large';
  return name.length > 0 ? name + ' (errno ' + e.toString() + ')' : 'errno ' + e.toString();
}
