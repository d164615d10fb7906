// The per-record work of the two baselines the benchmark compares the evaluator with.
// Both return the input pointer (Fluent Bit's cheapest "pass through").

/** Folded into a global so the optimiser cannot drop the byte scan. */
export let checksum: u32 = 0;

/** The floor: nothing but the call itself. */
export function floorRecord(p: usize, n: usize): usize {
  return p;
}

/** The byte-scan baseline: reads every byte of the record once. */
export function byteScanRecord(p: usize, n: usize): usize {
  let sum: u32 = 0;
  for (let i: usize = 0; i < n; i++) sum += <u32>load<u8>(p + i);
  checksum += sum;
  return p;
}
