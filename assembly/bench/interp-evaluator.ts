// Interpreter proxy: the evaluator with rule programs and records built in; `bench_run()` (no
// parameters, no imports: wabt's wasm-interp can call it) evaluates every record in turn.
// The abort handler the build flags name (--use abort=assembly/abi/abort/onAbort).
import '../abi/abort';
import { installProgram, processRecord } from '../abi/engine';
import { fixUnreadableNumbers } from '../abi/host-numbers';
import { HOST_TIME_MS, PROGRAMS, PROGRAM_INDEX, PROGRAM_COUNT, BENCH_CONFIG, CONFIG_BIAS } from './records';
import { runAll } from './loop';

const chosen = <i32>(load<u32>(BENCH_CONFIG, 12) - CONFIG_BIAS);
if (chosen >= 0 && chosen < PROGRAM_COUNT) {
  const entry = PROGRAM_INDEX + (<usize>chosen << 3);
  installProgram(PROGRAMS + <usize>load<u32>(entry), load<u32>(entry, 4));
}

function evaluateOne(p: usize, n: usize): i32 {
  fixUnreadableNumbers(p, n); // as the filter entry does (index.ts)
  return processRecord(p, n, HOST_TIME_MS);
}

export function bench_run(): i32 {
  return runAll(evaluateOne);
}
