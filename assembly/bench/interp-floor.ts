// Interpreter proxy of the floor module: the same loop, nothing per record.
// The abort handler the build flags name (--use abort=assembly/abi/abort/onAbort).
import '../abi/abort';
import { floorRecord } from './kernels';
import { runAll } from './loop';

function floorOne(p: usize, n: usize): i32 {
  return <i32>floorRecord(p, n);
}

export function bench_run(): i32 {
  return runAll(floorOne);
}
