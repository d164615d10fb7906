// Timing helpers: warm-up, repetitions interleaved across variants (so drift hits every variant
// alike and ratios within one run hold), medians. A full garbage collection before every sample
// keeps one variant's garbage (the naive evaluator makes plenty) from being collected on another's
// time.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let collectGarbage: (() => void) | undefined | null = null;

/** V8's gc(), made available without `--expose-gc` on the command line. */
export function gc(): void {
  if (collectGarbage === null) {
    try {
      setFlagsFromString('--expose-gc');
      collectGarbage = runInNewContext('gc') as () => void;
    } catch {
      collectGarbage = undefined;
    }
  }
  collectGarbage?.();
}
export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function nowNs(): number {
  return Number(process.hrtime.bigint());
}

/** One thing to time: `pass()` processes `records` records of `bytes` bytes in all. */
export interface Variant {
  name: string;
  records: number;
  bytes: number;
  pass: () => void;
  /** Read after the runs (e.g. module linear memory). */
  memoryBytes?: () => number | undefined;
}

export interface Timing {
  name: string;
  records: number;
  bytes: number;
  /** Median time of one pass over all records, ns. */
  passNs: number;
  nsPerRecord: number;
  recordsPerSecond: number;
  mbPerSecond: number;
  /** Every repetition's pass time, ns (for the spread). */
  samples: number[];
  memoryBytes?: number;
}

export interface TimingPlan {
  warmupPasses: number;
  repetitions: number;
  /** Passes timed together as one sample (small inputs need several for a stable clock reading). */
  passesPerSample?: number;
}

/** Times every variant: warm-up, then `repetitions` rounds, each running every variant once. */
export function timeVariants(variants: readonly Variant[], plan: TimingPlan): Timing[] {
  const perSample = plan.passesPerSample ?? 1;
  for (const v of variants) for (let i = 0; i < plan.warmupPasses; i++) v.pass();
  const samples = variants.map(() => [] as number[]);
  for (let rep = 0; rep < plan.repetitions; rep++) {
    variants.forEach((v, i) => {
      gc();
      const t0 = nowNs();
      for (let k = 0; k < perSample; k++) v.pass();
      samples[i]!.push((nowNs() - t0) / perSample);
    });
  }
  return variants.map((v, i) => timingOf(v, samples[i]!));
}

export function timingOf(v: Pick<Variant, 'name' | 'records' | 'bytes' | 'memoryBytes'>, samples: number[]): Timing {
  const passNs = median(samples);
  return {
    name: v.name,
    records: v.records,
    bytes: v.bytes,
    passNs,
    nsPerRecord: passNs / v.records,
    recordsPerSecond: (v.records / passNs) * 1e9,
    mbPerSecond: (v.bytes / passNs) * 1e9 / 1e6,
    samples,
    memoryBytes: v.memoryBytes?.(),
  };
}
