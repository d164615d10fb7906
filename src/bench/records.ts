// The records every measurement runs over: generated audit events as bytes, plus size buckets.
import { generateEvents, DEFAULT_SPAN_MS, DEFAULT_START_TIME } from './generator.js';

export interface BenchRecords {
  texts: string[];
  buffers: Buffer[];
  totalBytes: number;
  meanBytes: number;
  medianBytes: number;
}

export const BENCH_SEED = 1_500_000;

export function benchRecords(count: number, seed = BENCH_SEED): BenchRecords {
  return recordsOf(generateEvents({ seed, count }));
}

/**
 * The first `first` of benchRecords(count), generated again `first` events' time later: the same
 * events (only their timestamps differ), continuing where the first ones end, as a live stream would.
 */
export function benchRecordsLater(count: number, first: number, seed = BENCH_SEED): Buffer[] {
  const startTime = DEFAULT_START_TIME + (DEFAULT_SPAN_MS * first) / Math.max(1, count);
  return generateEvents({ seed, count, startTime }).slice(0, first).map((t) => Buffer.from(t, 'utf8'));
}

export function recordsOf(texts: string[]): BenchRecords {
  const buffers = texts.map((t) => Buffer.from(t, 'utf8'));
  const sizes = buffers.map((b) => b.length).sort((a, b) => a - b);
  const totalBytes = sizes.reduce((a, b) => a + b, 0);
  return { texts, buffers, totalBytes, meanBytes: totalBytes / Math.max(1, sizes.length), medianBytes: sizes[sizes.length >> 1] ?? 0 };
}

export interface SizeBucket {
  label: string;
  min: number;
  max: number;
}

export const SIZE_BUCKETS: SizeBucket[] = [
  { label: '<1 KB', min: 0, max: 1024 },
  { label: '1-1.5 KB', min: 1024, max: 1536 },
  { label: '1.5-2 KB', min: 1536, max: 2048 },
  { label: '2-3 KB', min: 2048, max: 3072 },
  { label: '3-4 KB', min: 3072, max: 4097 },
];

/** The records of each bucket (buckets with no record are left out). */
export function bucketRecords(records: BenchRecords): { bucket: SizeBucket; records: BenchRecords }[] {
  const out: { bucket: SizeBucket; records: BenchRecords }[] = [];
  for (const bucket of SIZE_BUCKETS) {
    const texts = records.texts.filter((_, i) => records.buffers[i]!.length >= bucket.min && records.buffers[i]!.length < bucket.max);
    if (texts.length > 0) out.push({ bucket, records: recordsOf(texts) });
  }
  return out;
}
