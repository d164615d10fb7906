// Test-only reactor module for tests/engines-native.test.ts: `() -> i32`
// exports for the engines' `call` (benchmark) mode.

@external("wasi_snapshot_preview1", "fd_fdstat_set_flags")
declare function fd_fdstat_set_flags(fd: i32, flags: i32): i32;

let calls: i32 = 0;

/** Sum of i * i for i < 1000, mixed with a call counter so it is not folded away. */
export function answer(): i32 {
  calls++;
  let sum: i32 = 0;
  for (let i: i32 = 0; i < 1000 + calls - 1; i++) sum += i * i;
  return sum;
}

/** Executes `unreachable`: both engines must report a trap. */
export function trapped(): i32 {
  unreachable();
  return 0;
}

/** Recurses without end: stack exhaustion must also surface as a trap. */
export function bottomless(): i32 {
  return deeper(0);
}

// The memory access after the call keeps compilers from turning this into a loop.
const ring: usize = memory.data(1024, 4);
function deeper(depth: i32): i32 {
  const slot = ring + (<usize>(depth & 255) << 2);
  store<i32>(slot, depth);
  return deeper(depth + 1) ^ load<i32>(slot);
}

/** A WASI call the native host does not implement: answered by its ENOSYS fallback. */
export function unimplemented(): i32 {
  return fd_fdstat_set_flags(1, 0);
}

/** Throws: AssemblyScript calls the imported env.abort, which both engines supply. */
export function failing(): i32 {
  if (calls == 0) throw new Error("boom");
  return calls;
}
