// Interpreter proxy: the evaluator with its program built in, run over the built-in records by an
// exported `bench_run()` (no parameters, no imports: wabt's wasm-interp can call it).
// The abort handler the build flags name (--use abort=assembly/abi/abort/onAbort).
import '../abi/abort';
import { EMBEDDED_PROGRAM, EMBEDDED_PROGRAM_LENGTH } from '../embedded/program';
import { installProgram, processRecord } from '../abi/engine';
import { HOST_TIME_MS } from './records';
import { runAll } from './loop';

if (EMBEDDED_PROGRAM_LENGTH > 0) installProgram(EMBEDDED_PROGRAM, EMBEDDED_PROGRAM_LENGTH);

function evaluateOne(p: usize, n: usize): i32 {
  return processRecord(p, n, HOST_TIME_MS);
}

export function bench_run(): i32 {
  return runAll(evaluateOne);
}
