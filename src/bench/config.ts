// How much the benchmark measures: `--short` (CI, under two minutes on two cores) or the full run.
export interface BenchConfig {
  mode: 'short' | 'full';
  /** Records timed in V8 (Fluent Bit sequence, naive). */
  records: number;
  warmupPasses: number;
  repetitions: number;
  /** Records built into the proxy modules (interpreter, module-only V8). */
  proxyRecords: number;
  /** Passes of the longer interpreter run (the shorter one makes 1). */
  interpreterPasses: number;
  /** Distinct terms up to 10^termsMaxPower. */
  termsMaxPower: number;
  /** Records piped through the WASI command (native vs node:wasi). */
  engineRecords: number;
  engineRepetitions: number;
  /** Function profile of the evaluator (wasm2c + callgrind). */
  profile: boolean;
}

export const SHORT: BenchConfig = {
  mode: 'short', records: 4000, warmupPasses: 1, repetitions: 5, proxyRecords: 150, interpreterPasses: 2,
  termsMaxPower: 5, engineRecords: 4000, engineRepetitions: 2, profile: false,
};

export const FULL: BenchConfig = {
  mode: 'full', records: 20000, warmupPasses: 2, repetitions: 11, proxyRecords: 500, interpreterPasses: 3,
  termsMaxPower: 7, engineRecords: 20000, engineRepetitions: 5, profile: true,
};
