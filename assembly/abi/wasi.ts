// The WASI preview1 calls the module uses, declared by hand: AssemblyScript's own WASI layer would
// pull in more imports and allocations than the evaluator needs. Fluent Bit provides WASI to every
// module; its stdout/stderr are Fluent Bit's own, its preopened folders are `Accessible_Paths`.

@external('wasi_snapshot_preview1', 'fd_read')
export declare function fd_read(fd: u32, iovs: usize, iovsLen: u32, nread: usize): u16;

@external('wasi_snapshot_preview1', 'fd_write')
export declare function fd_write(fd: u32, iovs: usize, iovsLen: u32, nwritten: usize): u16;

@external('wasi_snapshot_preview1', 'fd_close')
export declare function fd_close(fd: u32): u16;

@external('wasi_snapshot_preview1', 'fd_prestat_get')
export declare function fd_prestat_get(fd: u32, buf: usize): u16;

@external('wasi_snapshot_preview1', 'fd_prestat_dir_name')
export declare function fd_prestat_dir_name(fd: u32, path: usize, len: u32): u16;

@external('wasi_snapshot_preview1', 'path_open')
export declare function path_open(fd: u32, dirflags: u32, path: usize, pathLen: u32, oflags: u16, rightsBase: u64, rightsInheriting: u64, fdflags: u16, openedFd: usize): u16;

@external('wasi_snapshot_preview1', 'path_rename')
export declare function path_rename(fd: u32, oldPath: usize, oldLen: u32, newFd: u32, newPath: usize, newLen: u32): u16;

@external('wasi_snapshot_preview1', 'clock_time_get')
export declare function clock_time_get(clockId: u32, precision: u64, time: usize): u16;

@external('wasi_snapshot_preview1', 'proc_exit')
export declare function proc_exit(code: u32): void;

export const OFLAG_CREAT: u16 = 1;
export const OFLAG_TRUNC: u16 = 8;
/** fd_read, fd_seek, fd_sync, fd_tell, fd_write, fd_filestat_get: what a plain file needs (hosts refuse unknown rights). */
export const FILE_RIGHTS: u64 = (1 << 1) | (1 << 2) | (1 << 4) | (1 << 5) | (1 << 6) | (1 << 21);

const iov = memory.data(16);
const count = memory.data(8);

/** Writes all of [p, p+n) to fd; false on error. */
export function writeAll(fd: u32, p: usize, n: usize): bool {
  while (n > 0) {
    store<u32>(iov, <u32>p);
    store<u32>(iov, <u32>n, 4);
    if (fd_write(fd, iov, 1, count) != 0) return false;
    const written = <usize>load<u32>(count);
    if (written == 0) return false;
    p += written;
    n -= written;
  }
  return true;
}

/** Reads up to n bytes into p; returns the count (0 at end of input), or -1 on error. */
export function readSome(fd: u32, p: usize, n: usize): isize {
  store<u32>(iov, <u32>p);
  store<u32>(iov, <u32>n, 4);
  if (fd_read(fd, iov, 1, count) != 0) return -1;
  return <isize>load<u32>(count);
}

/** Wall-clock time in milliseconds (only the WASI command uses it, as the host's record time). */
export function realtimeMs(): i64 {
  const t = memory.data(8);
  if (clock_time_get(0, 1000000, t) != 0) return 0;
  return <i64>(load<u64>(t) / 1000000);
}

/** Writes an ASCII message line to stderr (fd 2). */
export function logLine(message: string): void {
  const bytes = String.UTF8.encode(message + '\n');
  writeAll(2, changetype<usize>(bytes), <usize>bytes.byteLength);
}
