// The loop every interpreter-proxy module runs: each record in turn, the way Fluent Bit's filter
// calls reach the module (free the host's earlier copies as the filter does, then the per-record work).
import { RECORDS, RECORD_INDEX, RECORD_COUNT, BENCH_CONFIG, CONFIG_BIAS } from './records';
import { collectSometimes } from '../abi/collect';

export function runAll(work: (p: usize, n: usize) => i32): i32 {
  const passes = <i32>(load<u32>(BENCH_CONFIG, 4) - CONFIG_BIAS);
  const collect = load<u32>(BENCH_CONFIG, 8) - CONFIG_BIAS != 0;
  const stride = <i32>(load<u32>(BENCH_CONFIG, 16) - CONFIG_BIAS);
  let acc: i32 = 0;
  for (let pass: i32 = 0; pass < passes; pass++) {
    for (let i: i32 = 0; i < RECORD_COUNT; i += stride) {
      const entry = RECORD_INDEX + (<usize>i << 3);
      if (collect) collectSometimes(<usize>load<u32>(entry, 4));
      acc += work(RECORDS + <usize>load<u32>(entry), <usize>load<u32>(entry, 4));
    }
  }
  return acc;
}
