// The new-terms state on disk, through WASI (in Fluent Bit the folder must be one of
// `Accessible_Paths`): written atomically (temporary file, then rename) and restored at start.
// A missing, truncated, corrupt or other-version file is ignored with one message on stderr;
// state is restored per rule, matched by the rule's state key (rule id, query, fields, window), so
// the rules that did not change keep their state across a rule-pack update.
//
// Layout (little-endian): "KQES" u32 version u32 ruleCount i64 firstEventTime, then per rule
// u64 stateKey u32 byteLength bytes (terms-table snapshot), then u64 checksum of all before it.
import { Region } from '../util/buffer';
import { hashBytes } from '../util/hash';
import { rules, ruleCount, options, dataPtr } from '../program/program';
import { RULE_SIZE } from '../program/format';
import { tableOf, firstEventTime, setFirstEventTime } from '../eval/record';
import { fd_prestat_get, fd_prestat_dir_name, path_open, path_rename, fd_close, readSome, writeAll, logLine, OFLAG_CREAT, OFLAG_TRUNC, FILE_RIGHTS } from '../abi/wasi';

const MAGIC: u32 = 0x5345514b; // "KQES"
const VERSION: u32 = 1;
const HEADER: usize = 20;
const MAX_FILE: usize = 1 << 30;
const CHECKSUM_SEED: u64 = 0x736e617073686f74;

const buffer = new Region();
const pathScratch = new Region();
const names = new Region();
const fdOut = memory.data(8);
const prestat = memory.data(8);

/** The snapshot path from the program options, if one was configured. */
function configuredPath(): usize {
  return load<u32>(options, 24) > 0 ? dataPtr + <usize>load<u32>(options, 20) : 0;
}

let dirFd: i32 = -1;
let relPtr: usize = 0;
let relLen: usize = 0;

/**
 * Finds the preopened folder holding the snapshot path (the longest preopen name that is a prefix
 * of it, or "." for a relative path) and the path relative to it. False when there is none.
 */
function resolve(): bool {
  const p = configuredPath();
  const n = <usize>load<u32>(options, 24);
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
  if (dirFd < 0) return false;
  relPtr = p + best;
  relLen = n - best;
  return relLen > 0;
}

/** Restores the state from the snapshot file, if configured and valid. */
export function restoreSnapshot(): void {
  if (configuredPath() == 0) return;
  if (!resolve()) {
    logLine('kql-edge: new-terms snapshot: no accessible folder holds the configured path (Accessible_Paths); state will not be saved');
    return;
  }
  if (path_open(<u32>dirFd, 0, relPtr, <u32>relLen, 0, FILE_RIGHTS, FILE_RIGHTS, 0, fdOut) != 0) {
    logLine('kql-edge: new-terms snapshot: none found, starting with empty state');
    return;
  }
  const fd = load<u32>(fdOut);
  let len: usize = 0;
  let ok = true;
  while (true) {
    if (!buffer.ensure(len + 65536)) { ok = false; break; }
    const got = readSome(fd, buffer.ptr + len, 65536);
    if (got < 0) { ok = false; break; }
    if (got == 0) break;
    len += <usize>got;
    if (len > MAX_FILE) { ok = false; break; }
  }
  fd_close(fd);
  if (!ok) {
    logLine('kql-edge: new-terms snapshot: could not be read, ignored');
    return;
  }
  const problem = validate(buffer.ptr, len);
  if (problem != null) {
    logLine('kql-edge: new-terms snapshot ignored: ' + problem);
    return;
  }
  let restored: u32 = 0;
  const count = load<u32>(buffer.ptr, 8);
  let at = buffer.ptr + HEADER;
  for (let i: u32 = 0; i < count; i++) {
    const key = load<u64>(at);
    const n = <usize>load<u32>(at, 8);
    const r = ruleWithKey(key);
    if (r >= 0) {
      const t = tableOf(<u32>r);
      if (t !== null && t.restore(at + 12, n)) restored++;
    }
    at += 12 + n;
  }
  setFirstEventTime(load<i64>(buffer.ptr, 12));
  logLine('kql-edge: new-terms snapshot restored for ' + restored.toString() + ' of ' + count.toString() + ' rules');
}

function ruleWithKey(key: u64): i32 {
  for (let r: u32 = 0; r < ruleCount; r++) if (load<u64>(rules + <usize>r * RULE_SIZE, 64) == key) return <i32>r;
  return -1;
}

/** Null when [p, p+n) is a complete snapshot of this format version, else the reason. */
function validate(p: usize, n: usize): string | null {
  if (n < HEADER + 8) return 'truncated';
  if (load<u32>(p) != MAGIC) return 'not a kql-edge snapshot';
  if (load<u32>(p, 4) != VERSION) return 'made by another version (format ' + load<u32>(p, 4).toString() + ')';
  if (hashBytes(p, n - 8, CHECKSUM_SEED) != load<u64>(p + n - 8)) return 'corrupt (checksum mismatch) or truncated';
  const count = load<u32>(p, 8);
  let at: usize = HEADER;
  for (let i: u32 = 0; i < count; i++) {
    if (at + 12 > n - 8) return 'corrupt (entries overrun)';
    at += 12 + <usize>load<u32>(p + at, 8);
  }
  if (at != n - 8) return 'corrupt (length mismatch)';
  return null;
}

/** Writes the snapshot atomically: a temporary file next to it, then a rename. False on failure. */
export function writeSnapshot(): bool {
  if (configuredPath() == 0) return true;
  if (dirFd < 0 && !resolve()) return false;
  let size: usize = HEADER + 8;
  let nt: u32 = 0;
  for (let r: u32 = 0; r < ruleCount; r++) {
    const t = tableOf(r);
    if (t === null) continue;
    size += 12 + t.serializedSize();
    nt++;
  }
  if (!buffer.ensure(size)) return false;
  const p = buffer.ptr;
  store<u32>(p, MAGIC);
  store<u32>(p, VERSION, 4);
  store<u32>(p, nt, 8);
  store<i64>(p, firstEventTime, 12);
  let at = p + HEADER;
  for (let r: u32 = 0; r < ruleCount; r++) {
    const t = tableOf(r);
    if (t === null) continue;
    const n = t.serialize(at + 12);
    store<u64>(at, load<u64>(rules + <usize>r * RULE_SIZE, 64));
    store<u32>(at, <u32>n, 8);
    at += 12 + n;
  }
  store<u64>(at, hashBytes(p, at - p, CHECKSUM_SEED));
  at += 8;
  // Temporary name: the path with ".tmp" appended.
  if (!pathScratch.ensure(relLen + 4)) return false;
  memory.copy(pathScratch.ptr, relPtr, relLen);
  store<u32>(pathScratch.ptr + relLen, 0x706d742e); // ".tmp"
  if (path_open(<u32>dirFd, 0, pathScratch.ptr, <u32>(relLen + 4), OFLAG_CREAT | OFLAG_TRUNC, FILE_RIGHTS, FILE_RIGHTS, 0, fdOut) != 0) return false;
  const fd = load<u32>(fdOut);
  const written = writeAll(fd, p, at - p);
  fd_close(fd);
  if (!written) return false;
  return path_rename(<u32>dirFd, pathScratch.ptr, <u32>(relLen + 4), <u32>dirFd, relPtr, <u32>relLen) == 0;
}
