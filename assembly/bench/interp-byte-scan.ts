// Interpreter proxy of the byte-scan baseline: the same loop, every byte read once.
// The abort handler the build flags name (--use abort=assembly/abi/abort/onAbort).
import '../abi/abort';
import { byteScanRecord } from './kernels';
import { runAll } from './loop';

function byteScanOne(p: usize, n: usize): i32 {
  return <i32>byteScanRecord(p, n);
}

export function bench_run(): i32 {
  return runAll(byteScanOne);
}
