// Interpreter proxy of the filter's check for numbers Fluent Bit cannot read back (abi/host-numbers.ts),
// alone: what it adds to every record.
// The abort handler the build flags name (--use abort=assembly/abi/abort/onAbort).
import '../abi/abort';
import { fixUnreadableNumbers } from '../abi/host-numbers';
import { runAll } from './loop';

function checkOne(p: usize, n: usize): i32 {
  return <i32>fixUnreadableNumbers(p, n);
}

export function bench_run(): i32 {
  return runAll(checkOne);
}
