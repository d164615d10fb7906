// Resident size of Fluent Bit while the pack runs over 10^6 records: the peak of a run over 10^5
// records and of a run over 10^6 (in_tail with a memory limit, so the input waits for the filter
// instead of queueing the events). The difference, beyond the configured new-terms budget, is what
// the module (or the host) keeps as records go by.
import { createWriteStream, existsSync, promises as fs } from 'node:fs';
import { once } from 'node:events';
import path from 'node:path';
import { generateEvents } from '../generator.js';
import { BENCH_SEED } from '../records.js';
import { runPipeline } from './fluent-bit.js';

export interface MemoryGrowth {
  firstRecords: number;
  lastRecords: number;
  peakRssFirstBytes: number;
  peakRssLastBytes: number;
  growthBytes: number;
  /** The pack's configured new-terms budget. */
  stateBudgetBytes: number;
  /** growth <= budget + 16 MiB */
  withinTarget: boolean;
  seconds: number;
}

/** A file of `count` distinct events, generated in batches (own seed and hour each) so they never all sit in memory. */
async function streamedEvents(dir: string, count: number): Promise<string> {
  const file = path.join(dir, `stream-${BENCH_SEED}-${count}.ndjson`);
  if (existsSync(file)) return file;
  const out = createWriteStream(file + '.tmp');
  const batch = 50_000;
  for (let k = 0, sent = 0; sent < count; k++) {
    const n = Math.min(batch, count - sent);
    const lines = generateEvents({ seed: BENCH_SEED + 1 + k, count: n, startTime: Date.UTC(2024, 4, 13) + k * 3_600_000, spanMs: 3_600_000 });
    if (!out.write(lines.join('\n') + '\n')) await once(out, 'drain');
    sent += n;
  }
  out.end();
  await once(out, 'finish');
  await fs.rename(file + '.tmp', file);
  return file;
}

export async function memoryGrowth(module: string, dir: string, stateBudgetBytes: number, first = 100_000, last = 1_000_000): Promise<MemoryGrowth> {
  const started = Date.now();
  const run = async (count: number) => {
    const events = await streamedEvents(dir, count);
    try {
      return await runPipeline({ dir, events, filter: { kind: 'wasm', path: module }, memBufLimit: '4M', timeoutMs: Math.max(300_000, count * 2) });
    } finally {
      await fs.rm(events, { force: true }); // 1.6 GB for 10^6 events
    }
  };
  const a = await run(first);
  const b = await run(last);
  const growth = b.maxRssBytes - a.maxRssBytes;
  return {
    firstRecords: first, lastRecords: last, peakRssFirstBytes: a.maxRssBytes, peakRssLastBytes: b.maxRssBytes, growthBytes: growth,
    stateBudgetBytes, withinTarget: growth <= stateBudgetBytes + 16 * 1048576, seconds: (Date.now() - started) / 1000,
  };
}
