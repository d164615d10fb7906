// Test-only WASI command program for tests/engines-native.test.ts.
//
// It reads all of stdin, writes it upper-cased (ASCII letters only) to stdout,
// writes one summary line to stderr, and exercises the first preopened
// directory (fd 3): write a file, seek back and check, rename it, read it back,
// stat it, and create + unlink a scratch file. Any failed check writes a
// "check failed: ..." line to stderr and exits with code 3. If the first
// argument is a decimal number, that number is the exit code on success, so
// the tests can see exit codes travel through each engine.
//
// Built (with tests/assembly as --baseDir) with: --runtime minimal
//   --exportRuntime --noAssert -O3 --use abort=echo-upper/abortToStderr
//   --exportStart _start

// ---- WASI preview1 imports (declared by hand: no WASI shim library) ----

@external("wasi_snapshot_preview1", "fd_read")
declare function fd_read(fd: i32, iovs: usize, iovsLen: i32, nread: usize): i32;
@external("wasi_snapshot_preview1", "fd_write")
declare function fd_write(fd: i32, iovs: usize, iovsLen: i32, nwritten: usize): i32;
@external("wasi_snapshot_preview1", "fd_close")
declare function fd_close(fd: i32): i32;
@external("wasi_snapshot_preview1", "fd_seek")
declare function fd_seek(fd: i32, offset: i64, whence: i32, newOffset: usize): i32;
@external("wasi_snapshot_preview1", "fd_filestat_get")
declare function fd_filestat_get(fd: i32, buf: usize): i32;
@external("wasi_snapshot_preview1", "fd_prestat_get")
declare function fd_prestat_get(fd: i32, buf: usize): i32;
@external("wasi_snapshot_preview1", "fd_prestat_dir_name")
declare function fd_prestat_dir_name(fd: i32, path: usize, pathLen: i32): i32;
@external("wasi_snapshot_preview1", "path_open")
declare function path_open(
  dirFd: i32, dirFlags: i32, path: usize, pathLen: i32, oflags: i32,
  rightsBase: i64, rightsInheriting: i64, fdFlags: i32, fdOut: usize,
): i32;
@external("wasi_snapshot_preview1", "path_rename")
declare function path_rename(
  oldFd: i32, oldPath: usize, oldPathLen: i32, newFd: i32, newPath: usize, newPathLen: i32,
): i32;
@external("wasi_snapshot_preview1", "path_unlink_file")
declare function path_unlink_file(fd: i32, path: usize, pathLen: i32): i32;
@external("wasi_snapshot_preview1", "path_filestat_get")
declare function path_filestat_get(fd: i32, flags: i32, path: usize, pathLen: i32, buf: usize): i32;
@external("wasi_snapshot_preview1", "clock_time_get")
declare function clock_time_get(clockId: i32, precision: i64, time: usize): i32;
@external("wasi_snapshot_preview1", "random_get")
declare function random_get(buf: usize, len: i32): i32;
@external("wasi_snapshot_preview1", "args_sizes_get")
declare function args_sizes_get(argc: usize, argvBufSize: usize): i32;
@external("wasi_snapshot_preview1", "args_get")
declare function args_get(argv: usize, argvBuf: usize): i32;
@external("wasi_snapshot_preview1", "proc_exit")
declare function proc_exit(code: i32): void;

const PREOPEN_FD: i32 = 3;
const ERRNO_NOENT: i32 = 44;
const OFLAGS_CREAT: i32 = 1;
const OFLAGS_TRUNC: i32 = 8;
const RIGHT_FD_READ: i64 = 1 << 1;
const RIGHT_FD_SEEK: i64 = 1 << 2;
const RIGHT_FD_WRITE: i64 = 1 << 6;
const RIGHT_FD_FILESTAT_GET: i64 = 1 << 21;
const CHECK_FAILED_EXIT: i32 = 3;

// Static scratch area for iovecs and out-parameters.
const scratch: usize = memory.data(64, 8);

// ---- small byte helpers (no GC objects on the I/O path) ----

function writeAll(fd: i32, ptr: usize, len: usize): i32 {
  while (len > 0) {
    store<u32>(scratch, <u32>ptr);
    store<u32>(scratch, <u32>len, 4);
    const errno = fd_write(fd, scratch, 1, scratch + 8);
    if (errno != 0) return errno;
    const written = <usize>load<u32>(scratch + 8);
    ptr += written;
    len -= written;
  }
  return 0;
}

/** Writes an ASCII string (stored as UTF-16 by AssemblyScript) byte by byte. */
function writeAscii(fd: i32, text: string): void {
  const len = text.length;
  const buf = heap.alloc(<usize>len);
  for (let i = 0; i < len; i++) store<u8>(buf + <usize>i, <u8>text.charCodeAt(i));
  writeAll(fd, buf, <usize>len);
  heap.free(buf);
}

function fail(what: string, errno: i32): void {
  writeAscii(2, "check failed: " + what + " (errno " + errno.toString() + ")\n");
  proc_exit(CHECK_FAILED_EXIT);
}

/** Reads everything from fd into a growing heap buffer; returns [ptr, len] via globals. */
let readPtr: usize = 0;
let readLen: usize = 0;
function readAll(fd: i32): i32 {
  let cap: usize = 65536;
  let ptr = heap.alloc(cap);
  let len: usize = 0;
  while (true) {
    if (cap - len < 4096) {
      cap <<= 1;
      ptr = heap.realloc(ptr, cap);
    }
    store<u32>(scratch, <u32>(ptr + len));
    store<u32>(scratch, <u32>(cap - len), 4);
    const errno = fd_read(fd, scratch, 1, scratch + 8);
    if (errno != 0) return errno;
    const got = <usize>load<u32>(scratch + 8);
    if (got == 0) break;
    len += got;
  }
  readPtr = ptr;
  readLen = len;
  return 0;
}

function asciiBytes(text: string): usize {
  const buf = heap.alloc(<usize>text.length);
  for (let i = 0; i < text.length; i++) store<u8>(buf + <usize>i, <u8>text.charCodeAt(i));
  return buf;
}

function openAt(name: string, oflags: i32, rights: i64): i32 {
  const path = asciiBytes(name);
  const errno = path_open(PREOPEN_FD, 0, path, name.length, oflags, rights, 0, 0, scratch + 16);
  heap.free(path);
  return errno == 0 ? load<i32>(scratch + 16) : -errno;
}

function sameBytes(a: usize, b: usize, len: usize): bool {
  return memory.compare(a, b, len) == 0;
}

/** Parses argv[1] as a non-negative decimal exit code; 0 when absent or not a number. */
function requestedExitCode(): i32 {
  if (args_sizes_get(scratch, scratch + 4) != 0) return 0;
  const argc = load<u32>(scratch);
  const bufSize = load<u32>(scratch + 4);
  if (argc < 2) return 0;
  const argv = heap.alloc(<usize>argc * 4);
  const argvBuf = heap.alloc(<usize>bufSize);
  if (args_get(argv, argvBuf) != 0) return 0;
  let p = <usize>load<u32>(argv + 4);
  let code = 0;
  while (true) {
    const c = <i32>load<u8>(p++);
    if (c == 0) break;
    if (c < 48 || c > 57) return 0;
    code = code * 10 + (c - 48);
  }
  return code;
}

// ---- the program (top level = the exported _start) ----

let errno = readAll(0);
if (errno != 0) fail("fd_read stdin", errno);
const data = readPtr;
const size = readLen;

for (let i: usize = 0; i < size; i++) {
  const c = load<u8>(data + i);
  if (c >= 97 && c <= 122) store<u8>(data + i, c - 32);
}
errno = writeAll(1, data, size);
if (errno != 0) fail("fd_write stdout", errno);

// The preopen must be a directory named by the host; its guest name is non-empty.
errno = fd_prestat_get(PREOPEN_FD, scratch);
if (errno != 0) fail("fd_prestat_get", errno);
const nameLen = load<u32>(scratch + 4);
const dirName = heap.alloc(<usize>nameLen + 1);
errno = fd_prestat_dir_name(PREOPEN_FD, dirName, nameLen);
if (errno != 0 || nameLen == 0) fail("fd_prestat_dir_name", errno);

// Write the upper-cased input to a temp file, seek back and compare the head.
let fd = openAt("upper.tmp", OFLAGS_CREAT | OFLAGS_TRUNC, RIGHT_FD_READ | RIGHT_FD_WRITE | RIGHT_FD_SEEK);
if (fd < 0) fail("path_open upper.tmp", -fd);
errno = writeAll(fd, data, size);
if (errno != 0) fail("fd_write upper.tmp", errno);
errno = fd_seek(fd, 0, 0, scratch + 24);
if (errno != 0 || load<u64>(scratch + 24) != 0) fail("fd_seek", errno);
const head: usize = size < 16 ? size : 16;
const headBuf = heap.alloc(16);
store<u32>(scratch, <u32>headBuf);
store<u32>(scratch, <u32>head, 4);
errno = fd_read(fd, scratch, 1, scratch + 8);
if (errno != 0 || <usize>load<u32>(scratch + 8) != head || !sameBytes(headBuf, data, head)) {
  fail("read back after seek", errno);
}
fd_close(fd);

// Rename it, then read the renamed file back in full and stat it both ways.
const oldName = asciiBytes("upper.tmp");
const newName = asciiBytes("upper.txt");
errno = path_rename(PREOPEN_FD, oldName, 9, PREOPEN_FD, newName, 9);
if (errno != 0) fail("path_rename", errno);
errno = path_filestat_get(PREOPEN_FD, 1, newName, 9, scratch);
if (errno != 0 || load<u64>(scratch + 32) != <u64>size) fail("path_filestat_get size", errno);
fd = openAt("upper.txt", 0, RIGHT_FD_READ | RIGHT_FD_FILESTAT_GET);
if (fd < 0) fail("path_open upper.txt", -fd);
errno = fd_filestat_get(fd, scratch);
if (errno != 0 || load<u8>(scratch + 16) != 4 || load<u64>(scratch + 32) != <u64>size) {
  fail("fd_filestat_get", errno);
}
errno = readAll(fd);
if (errno != 0 || readLen != size || !sameBytes(readPtr, data, size)) fail("read back renamed file", errno);
fd_close(fd);

// A scratch file that is created, unlinked, and then must be gone.
fd = openAt("scratch.tmp", OFLAGS_CREAT, RIGHT_FD_WRITE);
if (fd < 0) fail("path_open scratch.tmp", -fd);
fd_close(fd);
const scratchName = asciiBytes("scratch.tmp");
errno = path_unlink_file(PREOPEN_FD, scratchName, 11);
if (errno != 0) fail("path_unlink_file", errno);
fd = openAt("scratch.tmp", 0, RIGHT_FD_READ);
if (fd != -ERRNO_NOENT) fail("unlinked file still opens", fd < 0 ? -fd : 0);

// Clocks and randomness only need to answer; their values differ per run.
errno = clock_time_get(0, 1000, scratch);
if (errno != 0 || load<u64>(scratch) == 0) fail("clock_time_get", errno);
errno = random_get(scratch, 32);
if (errno != 0) fail("random_get", errno);

writeAscii(2, "echo-upper: " + size.toString() + " bytes\n");
proc_exit(requestedExitCode());

/** Routed here by --use abort=...: report on stderr and exit like a trap would. */
function abortToStderr(message: string | null, fileName: string | null, line: u32, column: u32): void {
  writeAscii(2, "abort\n");
  proc_exit(134);
}
