// When the module frees what the host left: the host copies each record in with __new + __pin and
// unpins it after the call; the minimal runtime frees it at the next __collect(). A collection costs
// about as much as evaluating a record, so it runs every 64 calls, or sooner after large records
// (memory stays bounded by about 1 MiB of records plus 64 of them).
let calls: u32 = 0;
let bytes: usize = 0;

export function collectSometimes(recordBytes: usize): void {
  bytes += recordBytes;
  if (++calls >= 64 || bytes >= 1 << 20) {
    __collect();
    calls = 0;
    bytes = 0;
  }
}
