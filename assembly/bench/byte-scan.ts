// Benchmark baseline: a Fluent Bit filter module that reads every byte of the record once, then
// returns its input pointer (the ~16 ns/byte loop of fluent-bit-wasm.md in WAMR's interpreter).
// The abort handler the build flags name (--use abort=assembly/abi/abort/onAbort).
import '../abi/abort';
import { collectSometimes } from '../abi/collect';
import { byteScanRecord } from './kernels';
export { checksum } from './kernels';

export function filter(tagPtr: i32, tagLen: i32, timeSec: i32, timeNsec: i32, recPtr: i32, recLen: i32): i32 {
  collectSometimes(<usize><u32>recLen);
  return <i32>byteScanRecord(<usize><u32>recPtr, <usize><u32>recLen);
}
