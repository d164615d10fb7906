// The benchmark's measuring functions on a tiny input: they run and return sane, consistent
// numbers (no assertion on absolute times: this machine's speed is not under test).
import { describe, expect, it } from 'vitest';
import { benchRecords, bucketRecords } from '../src/bench/records.js';
import { loadBenchRules } from '../src/bench/rules.js';
import { byteScanModule, configured, floorModule, genericEvaluatorModule, proxyModule } from '../src/bench/modules.js';
import { timeVariants } from '../src/bench/measure.js';
import { hostVariant, naiveVariant, proxyVariant, HOST_TIME_MS } from '../src/bench/v8-variants.js';
import { interpreterCost, interpreterProxyUnavailableReason } from '../src/bench/interpreter.js';
import { termsScaling, termRecord } from '../src/bench/terms.js';
import { evaluateTargets } from '../src/bench/targets.js';
import { toMarkdown } from '../src/bench/report.js';
import type { BenchResults } from '../src/bench/results.js';

const records = benchRecords(40);
const plan = { warmupPasses: 1, repetitions: 2 };

describe('bench measuring functions (tiny input)', () => {
  it('times the floor, the byte scan, the seed rule and the naive evaluator through the same plan', async () => {
    const sets = await loadBenchRules();
    const generic = await WebAssembly.compile((await genericEvaluatorModule()).bytes as Uint8Array<ArrayBuffer>);
    const floor = await hostVariant('floor', (await floorModule()).bytes, records);
    const scan = await hostVariant('byte scan', (await byteScanModule()).bytes, records);
    const seed = await hostVariant('seed rule', generic, records, sets.seed.program);
    const naive = naiveVariant('naive', sets.seed.rules, records);
    const timings = timeVariants([floor, scan, seed, naive], plan);
    for (const t of timings) {
      expect(t.records).toBe(40);
      expect(t.bytes).toBe(records.totalBytes);
      expect(t.samples).toHaveLength(2);
      expect(t.nsPerRecord).toBeGreaterThan(0);
      expect(t.recordsPerSecond * t.nsPerRecord).toBeCloseTo(1e9, -3);
    }
    // The floor and the byte scan pass every record through unchanged.
    expect(floor.host.filter(records.buffers[0]!, HOST_TIME_MS).verdict).toBe('pass');
    expect(scan.host.filter(records.buffers[0]!, HOST_TIME_MS).verdict).toBe('pass');
    expect(seed.memoryBytes!()).toBeGreaterThan(0);
    // Warm-up and repetitions each went over every record: the naive evaluator saw them 3 times.
    expect(naive.matches() % 3).toBe(0);
  }, 120_000);

  it('runs proxy modules (records built in) alone, and counts interpreter instructions when wabt and valgrind are there', async () => {
    const few = records.buffers.slice(0, 5);
    const bytes = few.reduce((a, b) => a + b.length, 0);
    const floor = await proxyModule('smoke-floor', 'floor', few, HOST_TIME_MS);
    const scan = await proxyModule('smoke-byte-scan', 'byte-scan', few, HOST_TIME_MS);
    const [t] = timeVariants([proxyVariant('floor', floor.bytes, 5, bytes), proxyVariant('byte scan', scan.bytes, 5, bytes)], plan);
    expect(t!.nsPerRecord).toBeGreaterThan(0);
    expect(() => configured(floor.bytes, { passes: 0 })).toThrow(RangeError);
    if (interpreterProxyUnavailableReason()) return;
    const cost = await interpreterCost('byte scan', scan.bytes, 5, bytes, 2);
    // Reading every byte costs the interpreter at least one instruction per byte.
    expect(cost.instructionsPerByte).toBeGreaterThan(1);
    expect(cost.onePass).toBeGreaterThan(cost.instructionsPerRecord);
  }, 120_000);

  it('feeds distinct terms to the seed rule and finds them stored', async () => {
    const sets = await loadBenchRules();
    const generic = await WebAssembly.compile((await genericEvaluatorModule()).bytes as Uint8Array<ArrayBuffer>);
    expect(termRecord(42).toString()).toContain('"userAgent":"scanner/0000000042 (linux/amd64)"');
    const scaling = await termsScaling(generic, sets.seed.rules, 3, records.buffers.slice(0, 10));
    expect(scaling.checkpoints).toHaveLength(1);
    expect(scaling.checkpoints[0]!.storedTerms).toBe(1000);
    expect(scaling.checkpoints[0]!.alertsInDecade).toBe(1000);
    expect(scaling.bytesPerTerm).toBeGreaterThan(0);
  }, 120_000);

  it('buckets records by size and judges targets from results', () => {
    const buckets = bucketRecords(benchRecords(300));
    expect(buckets.reduce((a, b) => a + b.records.buffers.length, 0)).toBe(300);
    const results = {
      mode: 'short', startedAt: '', machine: { node: '', cpu: '', cores: 2, platform: '' },
      records: { count: 1, meanBytes: 1500, medianBytes: 1200, forbidShare: 0.03, seed: 1 }, notes: [],
      fluentBitSequence: [], moduleOnly: [
        { name: 'seed rule', records: 1, bytes: 1500, passNs: 500, nsPerRecord: 500, recordsPerSecond: 2e6, mbPerSecond: 3000, spread: 0 },
        { name: 'Kubernetes pack (29 rules)', records: 1, bytes: 1500, passNs: 1500, nsPerRecord: 1500, recordsPerSecond: 666_667, mbPerSecond: 1000, spread: 0 },
      ],
      sizes: [], rules: [], allocations: [{ name: 'seed rule', count: { passedRecords: 10, perPassedRecord: 0, matchedRecords: 0, perMatchedRecord: 0 } }],
      processMaxRssBytes: 0, targets: [], phases: [], prefilter: { ruleSet: 'seed rule', candidateShare: 0.03, rules: [{ rule: 'x', literals: [['"forbid']], passShare: 0.03 }] },
    } as BenchResults;
    const targets = evaluateTargets(results);
    expect(targets.find((t) => t.target.includes('1M records/s'))!.met).toBe(true);
    expect(targets.find((t) => t.target.startsWith('pack <= 2x'))!.met).toBe(false);
    expect(targets.find((t) => t.target.includes('zero allocations'))!.met).toBe(true);
    results.targets = targets;
    expect(toMarkdown(results)).toContain('**not met**');
  });
});
