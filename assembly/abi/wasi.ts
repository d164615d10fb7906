// The few WASI preview1 calls the module uses, declared by hand: AssemblyScript's own WASI layer
// would pull in more imports and allocations than the evaluator needs.

@external('wasi_snapshot_preview1', 'fd_read')
export declare function fd_read(fd: u32, iovs: usize, iovsLen: u32, nread: usize): u16;

@external('wasi_snapshot_preview1', 'fd_write')
export declare function fd_write(fd: u32, iovs: usize, iovsLen: u32, nwritten: usize): u16;

@external('wasi_snapshot_preview1', 'clock_time_get')
export declare function clock_time_get(clockId: u32, precision: u64, time: usize): u16;

@external('wasi_snapshot_preview1', 'proc_exit')
export declare function proc_exit(code: u32): void;

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
