// How much the benchmark measures: `--short` (CI, under two minutes on two cores) or the full run.
export interface BenchConfig {
  mode: 'short' | 'full';
  /** Records timed in V8 through the Fluent Bit sequence. */
  records: number;
  warmupPasses: number;
  repetitions: number;
  /** The naive evaluator is 10-1000x slower: it gets the first N records. */
  naiveSeedRecords: number;
  naivePackRecords: number;
  /** Records built into the proxy modules (interpreter, module-only V8). */
  proxyRecords: number;
  /** Passes of the longer interpreter run (the shorter one makes 1). */
  interpreterPasses: number;
  /** The interpreter runs the pack on every Nth proxy record (it is slow under callgrind). */
  interpreterPackStride: number;
  /** Distinct terms up to 10^termsMaxPower. */
  termsMaxPower: number;
  /** Records piped through the WASI command (native vs node:wasi), repeated `engineCopies` times. */
  engineRecords: number;
  engineCopies: number;
  engineRepetitions: number;
  /** Function profiles of the evaluator (wasm2c + callgrind). */
  profile: boolean;
  /** Events through the real Fluent Bit, and rotated rounds. */
  realHostEvents: number;
  realHostRounds: number;
  /** Resident-size growth of Fluent Bit from 10^5 to 10^6 records through the pack (full run only: minutes). */
  realHostMemory: boolean;
}

export const SHORT: BenchConfig = {
  mode: 'short', records: 3000, warmupPasses: 1, repetitions: 7, naiveSeedRecords: 1000, naivePackRecords: 100,
  proxyRecords: 100, interpreterPasses: 2, interpreterPackStride: 10,
  termsMaxPower: 5, engineRecords: 3000, engineCopies: 4, engineRepetitions: 3, profile: false,
  realHostEvents: 20_000, realHostRounds: 3, realHostMemory: false,
};

export const FULL: BenchConfig = {
  mode: 'full', records: 20000, warmupPasses: 2, repetitions: 11, naiveSeedRecords: 5000, naivePackRecords: 500,
  proxyRecords: 500, interpreterPasses: 3, interpreterPackStride: 5,
  termsMaxPower: 7, engineRecords: 20000, engineCopies: 5, engineRepetitions: 5, profile: true,
  realHostEvents: 200_000, realHostRounds: 3, realHostMemory: true,
};
