// Benchmark floor: a Fluent Bit filter module that returns its input pointer. Built with the same
// flags as the evaluator; frees the host's copies as the evaluator does (minimal runtime).
// The abort handler the build flags name (--use abort=assembly/abi/abort/onAbort).
import '../abi/abort';
import { collectSometimes } from '../abi/collect';
import { floorRecord } from './kernels';
export { checksum } from './kernels';

export function filter(tagPtr: i32, tagLen: i32, timeSec: i32, timeNsec: i32, recPtr: i32, recLen: i32): i32 {
  collectSometimes(<usize><u32>recLen);
  return <i32>floorRecord(<usize><u32>recPtr, <usize><u32>recLen);
}
