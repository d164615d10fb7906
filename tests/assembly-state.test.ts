// The bounded New Terms state (assembly/state/) and the term hash (assembly/util/hash.ts),
// compiled with the product's flags through tests/assembly/state-entry.ts and run in Node.
import { beforeAll, describe, expect, it } from 'vitest';
import asc from 'assemblyscript/asc';
import fc from 'fast-check';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ENTRY = 'tests/assembly/state-entry.ts';
const BUILD_FLAGS = [
  '--runtime', 'minimal', '--exportRuntime', '--noAssert', '-O3',
  '--use', 'abort=tests/assembly/state-entry/abortNoop',
];
const TERM_ABSENT = -(2n ** 63n);
const U64 = 2n ** 64n - 1n;

interface StateExports {
  memory: WebAssembly.Memory;
  createTable(capacity: number): number;
  createTableForBudget(budgetBytes: bigint): number;
  observe(hash: bigint, t: bigint, windowMs: bigint): number;
  expire(now: bigint, windowMs: bigint): number;
  lastSeenOf(hash: bigint): bigint;
  oldestLastSeen(): bigint;
  size(): number;
  capacity(): number;
  inserts(): bigint;
  evictionsInWindow(): bigint;
  expirations(): bigint;
  checkInvariants(): number;
  clear(): void;
  serializedSize(): number;
  serialize(dst: number): number;
  restore(src: number, len: number): number;
  bytesPerTerm(): bigint;
  blockBytes(capacity: number): bigint;
  minTermsPerRule(): number;
  shareBytes(totalBytes: bigint, ruleCount: number): bigint;
  termCapacity(totalBytes: bigint, ruleCount: number): number;
  scratch(len: number): number;
  hashMany(bytes: number, offsets: number, count: number, seed: bigint, out: number): void;
  observeDistinctTerms(count: number, firstTerm: bigint, t0: bigint, stepMs: bigint, windowMs: bigint): number;
  hashBytes(ptr: number, len: number, seed: bigint): bigint;
  hashCombine(acc: bigint, value: bigint): bigint;
}

let wasmModule: WebAssembly.Module;
let wasmText: string;

async function compileEntry(): Promise<{ binary: Uint8Array<ArrayBuffer>; text: string }> {
  const outputs = new Map<string, Uint8Array | string>();
  const errors: string[] = [];
  const { error } = await asc.main(
    [ENTRY, '--baseDir', repoRoot, '--outFile', 'state.wasm', '--textFile', 'state.wat', ...BUILD_FLAGS],
    {
      // The repo's asconfig.json configures the product build; this test sets its own flags.
      readFile: async (name, baseDir) => {
        if (name === 'asconfig.json') return null;
        return readFile(path.resolve(baseDir, name), 'utf8').catch(() => null);
      },
      writeFile: (name, contents) => { outputs.set(path.basename(name), contents); },
      stdout: asc.createMemoryStream(),
      stderr: asc.createMemoryStream((chunk) => { errors.push(String(chunk)); }),
    },
  );
  if (error) throw new Error(`asc failed: ${error.message}\n${errors.join('')}`);
  const binary = outputs.get('state.wasm');
  const text = outputs.get('state.wat');
  if (!(binary instanceof Uint8Array) || typeof text !== 'string') throw new Error('asc wrote no module');
  return { binary: new Uint8Array(binary), text };
}

function instantiate(): StateExports {
  return new WebAssembly.Instance(wasmModule, {}).exports as unknown as StateExports;
}

const u64 = (value: bigint): bigint => BigInt.asUintN(64, value);

/** Copies bytes into the module's scratch buffer; returns the pointer. */
function put(ex: StateExports, bytes: Uint8Array): number {
  const ptr = ex.scratch(Math.max(bytes.length, 1));
  new Uint8Array(ex.memory.buffer, ptr, bytes.length).set(bytes);
  return ptr;
}

function hashOf(ex: StateExports, bytes: Uint8Array, seed = 0n): bigint {
  return u64(ex.hashBytes(put(ex, bytes), bytes.length, seed));
}

const ascii = (text: string): Uint8Array => new TextEncoder().encode(text);

function snapshotOf(ex: StateExports): Uint8Array {
  const size = ex.serializedSize();
  const ptr = ex.scratch(size);
  expect(ex.serialize(ptr)).toBe(size);
  return new Uint8Array(ex.memory.buffer, ptr, size).slice();
}

function restoreFrom(ex: StateExports, bytes: Uint8Array): boolean {
  return ex.restore(put(ex, bytes), bytes.length) === 1;
}

function snapshotBytes(entries: Array<[bigint, bigint]>, count = entries.length): Uint8Array {
  const view = new DataView(new ArrayBuffer(4 + 16 * entries.length));
  view.setUint32(0, count, true);
  entries.forEach(([hash, lastSeen], i) => {
    view.setBigUint64(4 + 16 * i, hash, true);
    view.setBigInt64(12 + 16 * i, lastSeen, true);
  });
  return new Uint8Array(view.buffer);
}

beforeAll(async () => {
  const { binary, text } = await compileEntry();
  wasmModule = new WebAssembly.Module(binary);
  wasmText = text;
}, 120_000);

describe('state module build', () => {
  it('imports nothing (abort routed to the entry) and exports the runtime Fluent Bit needs', () => {
    expect(WebAssembly.Module.imports(wasmModule)).toEqual([]);
    const names = WebAssembly.Module.exports(wasmModule).map((e) => e.name);
    for (const name of ['__new', '__pin', '__unpin', '__collect', 'memory']) expect(names).toContain(name);
  });

  it('lookups, expiry and snapshots neither allocate nor contain a trap', () => {
    // Function bodies of the text output, with the functions each one calls.
    const bodies = new Map<string, string>();
    const parts = wasmText.split(/\n(?= \(func \$)/);
    for (const part of parts.slice(1)) {
      const name = /^ \(func \$(\S+)/.exec(part)?.[1];
      if (name) bodies.set(name, part);
    }
    const roots = ['observe', 'expire', 'lastSeenOf', 'oldestLastSeen', 'serializedSize', 'serialize',
      'restore', 'hashBytes', 'hashCombine', 'observeDistinctTerms'];
    const reached = new Set<string>();
    const pending = roots.map((root) => [...bodies.keys()].find((n) => n.endsWith(`/${root}`)) ?? root);
    while (pending.length > 0) {
      const name = pending.pop()!;
      if (reached.has(name)) continue;
      const body = bodies.get(name);
      expect(body, `function ${name} in the text output`).toBeDefined();
      reached.add(name);
      for (const match of body!.matchAll(/\bcall \$(\S+)/g)) pending.push(match[1]!);
    }
    expect(reached.size).toBeGreaterThanOrEqual(roots.length);
    for (const name of reached) {
      expect(name, 'reaches the runtime/allocator').not.toMatch(/^~lib\/rt\//);
      const body = bodies.get(name)!;
      expect(body, `${name} contains a trap`).not.toMatch(/\bunreachable\b/);
      expect(body, `${name} grows memory`).not.toMatch(/\bmemory\.grow\b/);
      expect(body, `${name} calls indirectly`).not.toMatch(/\bcall_indirect\b/);
    }
  });
});

describe('TermsTable.observe: the streaming New Terms definition', () => {
  const WINDOW = 7n * 86_400_000n;
  const DAY = 86_400_000n;

  it('a first sighting is new, a repeat within the window is not', () => {
    const ex = instantiate();
    ex.createTable(100);
    expect(ex.observe(11n, 1_000n, WINDOW)).toBe(1);
    expect(ex.observe(11n, 2_000n, WINDOW)).toBe(0);
    expect(ex.observe(11n, 2_000n + WINDOW, WINDOW)).toBe(0);
    expect(ex.observe(12n, 2_000n, WINDOW)).toBe(1);
    expect(ex.lastSeenOf(11n)).toBe(2_000n + WINDOW);
    expect(ex.size()).toBe(2);
    expect(ex.inserts()).toBe(2n);
  });

  it('new iff lastSeen < t - window: the exact boundary is not new, one ms later is', () => {
    const ex = instantiate();
    ex.createTable(100);
    expect(ex.observe(5n, 1_000n, 100n)).toBe(1);
    expect(ex.observe(5n, 1_100n, 100n)).toBe(0); // lastSeen 1000 == 1100 - 100
    expect(ex.observe(6n, 1_000n, 100n)).toBe(1);
    expect(ex.observe(6n, 1_101n, 100n)).toBe(1); // lastSeen 1000 < 1101 - 100
    expect(ex.lastSeenOf(6n)).toBe(1_101n);
    // Window 0: new only when strictly later than every earlier sighting's time.
    expect(ex.observe(7n, 50n, 0n)).toBe(1);
    expect(ex.observe(7n, 50n, 0n)).toBe(0);
    expect(ex.observe(7n, 51n, 0n)).toBe(1);
  });

  it('a term seen every day is never new again; unseen longer than the window it is', () => {
    const ex = instantiate();
    ex.createTable(100);
    expect(ex.observe(42n, 0n, WINDOW)).toBe(1);
    for (let day = 1n; day <= 60n; day++) expect(ex.observe(42n, day * DAY, WINDOW)).toBe(0);
    expect(ex.observe(42n, 60n * DAY + WINDOW + 1n, WINDOW)).toBe(1);
  });

  it('a late (out-of-order) event is never new and never lowers lastSeen', () => {
    const ex = instantiate();
    ex.createTable(100);
    expect(ex.observe(9n, 100n * DAY, WINDOW)).toBe(1);
    expect(ex.observe(9n, 1n * DAY, WINDOW)).toBe(0);
    expect(ex.observe(9n, -50n * DAY, WINDOW)).toBe(0);
    expect(ex.lastSeenOf(9n)).toBe(100n * DAY);
    // An in-window event after the late ones still measures from the largest time.
    expect(ex.observe(9n, 100n * DAY + WINDOW, WINDOW)).toBe(0);
  });

  it('hash 0 is an ordinary term; extreme times and windows do not wrap around', () => {
    const ex = instantiate();
    ex.createTable(100);
    expect(ex.observe(0n, 10n, 5n)).toBe(1);
    expect(ex.observe(1n, 10n, 5n)).toBe(1);
    expect(ex.observe(0n, 12n, 5n)).toBe(0);
    expect(ex.lastSeenOf(0n)).toBe(12n);
    const min = -(2n ** 63n) + 1n;
    const maxWindow = 2n ** 63n - 1n;
    expect(ex.observe(77n, min, maxWindow)).toBe(1);
    expect(ex.observe(77n, min + 1n, maxWindow)).toBe(0); // t - window would wrap: saturates
    expect(ex.observe(77n, 2n ** 63n - 1n, 1n)).toBe(1);
    expect(ex.observe(78n, 0n, -5n)).toBe(1); // a negative window counts as 0
    expect(ex.observe(78n, 0n, -5n)).toBe(0);
    expect(ex.checkInvariants()).toBe(1);
  });
});

describe('TermsTable capacity and eviction', () => {
  it('a full table evicts the smallest lastSeen first and counts in-window evictions vs expirations', () => {
    const ex = instantiate();
    expect(ex.createTable(4)).toBe(4);
    for (const [hash, t] of [[1n, 30n], [2n, 10n], [3n, 40n], [4n, 20n]] as const) {
      expect(ex.observe(hash, t, 1_000n)).toBe(1);
    }
    expect(ex.oldestLastSeen()).toBe(10n);
    // Refreshing term 2 makes term 4 (20) the oldest.
    expect(ex.observe(2n, 45n, 1_000n)).toBe(0);
    expect(ex.observe(5n, 50n, 1_000n)).toBe(1);
    expect(ex.lastSeenOf(4n)).toBe(TERM_ABSENT);
    expect(ex.evictionsInWindow()).toBe(1n);
    expect(ex.expirations()).toBe(0n);
    // Next oldest is term 1 (30); with a window of 15 at t = 60 it has expired (30 < 45).
    expect(ex.observe(6n, 60n, 15n)).toBe(1);
    expect(ex.lastSeenOf(1n)).toBe(TERM_ABSENT);
    expect(ex.evictionsInWindow()).toBe(1n);
    expect(ex.expirations()).toBe(1n);
    // The evicted term is new again (it may re-alert: that is what the counter warns about).
    expect(ex.observe(4n, 61n, 1_000n)).toBe(1);
    expect(ex.lastSeenOf(3n)).toBe(TERM_ABSENT); // 40 was the oldest left
    expect(ex.size()).toBe(4);
    expect(ex.inserts()).toBe(7n);
    for (const [hash, t] of [[2n, 45n], [5n, 50n], [6n, 60n], [4n, 61n]] as const) {
      expect(ex.lastSeenOf(hash)).toBe(t);
    }
    expect(ex.checkInvariants()).toBe(1);
  });

  it('expire() removes what left the window, counts it, and is a no-op otherwise', () => {
    const ex = instantiate();
    ex.createTable(100);
    for (let i = 0n; i < 50n; i++) ex.observe(1_000n + i, i * 10n, 100n); // lastSeen 0, 10, ..., 490
    expect(ex.expire(500n, 100n)).toBe(40); // 0..390 are before 400
    expect(ex.size()).toBe(10);
    expect(ex.expirations()).toBe(40n);
    expect(ex.oldestLastSeen()).toBe(400n);
    expect(ex.expire(500n, 100n)).toBe(0);
    expect(ex.expire(600n, 100n)).toBe(10);
    expect(ex.size()).toBe(0);
    expect(ex.oldestLastSeen()).toBe(TERM_ABSENT);
    expect(ex.expire(10_000n, 1n)).toBe(0);
    expect(ex.expirations()).toBe(50n);
    expect(ex.checkInvariants()).toBe(1);
  });

  it('1 million distinct terms into 1000 slots: capacity holds, memory never grows, the newest stay', () => {
    const ex = instantiate();
    expect(ex.createTable(1_000)).toBe(1_000);
    const bytesAfterConstruction = ex.memory.buffer.byteLength;
    // 1 ms apart, window 10 s: every eviction hits a term still inside its window.
    expect(ex.observeDistinctTerms(1_000_000, 0n, 0n, 1n, 10_000n)).toBe(1_000_000);
    expect(ex.memory.buffer.byteLength).toBe(bytesAfterConstruction);
    expect(ex.size()).toBe(1_000);
    expect(ex.inserts()).toBe(1_000_000n);
    expect(ex.evictionsInWindow()).toBe(999_000n);
    expect(ex.expirations()).toBe(0n);
    expect(ex.oldestLastSeen()).toBe(999_000n);
    expect(ex.checkInvariants()).toBe(1);
    // The last 1000 terms are the ones kept: seeing them again is not new.
    expect(ex.observeDistinctTerms(1_000, 999_000n, 1_000_000n, 0n, 10_000n)).toBe(0);
    // Window 500 ms: the evicted oldest entries are already outside it.
    ex.observeDistinctTerms(1_000_000, 5_000_000n, 2_000_000n, 1n, 500n);
    expect(ex.memory.buffer.byteLength).toBe(bytesAfterConstruction);
    expect(ex.evictionsInWindow()).toBe(999_000n);
    expect(ex.expirations()).toBe(1_000_000n);
    expect(ex.size()).toBe(1_000);
  });
});

describe('budget: bytes per term and the split between rules', () => {
  it('a table costs at most 30 bytes per term and its capacity follows the byte budget', () => {
    const ex = instantiate();
    expect(ex.bytesPerTerm()).toBe(30n);
    for (const capacity of [1, 2, 3, 64, 1_000, 1_001, 65_536]) {
      const bytes = ex.blockBytes(capacity);
      expect(bytes).toBeLessThanOrEqual(capacity === 1 ? 36n : 30n * BigInt(capacity));
      expect(bytes).toBeGreaterThanOrEqual(30n * BigInt(capacity) - 6n);
    }
    const budget = 3n * 1024n * 1024n;
    const before = ex.memory.buffer.byteLength;
    const capacity = ex.createTableForBudget(budget);
    expect(capacity).toBe(Number(budget / 30n));
    // The allocation is the table's block (memory grows in 64 KiB pages, by about the budget).
    const grown = ex.memory.buffer.byteLength - before;
    expect(grown).toBeGreaterThanOrEqual(Number(ex.blockBytes(capacity)) - 65_536);
    expect(grown).toBeLessThanOrEqual(Number(budget) + 2 * 65_536);
    expect(ex.createTableForBudget(0n)).toBe(1);
  });

  it('rules get equal shares, floor(share / 30) terms each, never fewer than the minimum', () => {
    const ex = instantiate();
    const total = 64n * 1024n * 1024n;
    expect(ex.shareBytes(total, 7)).toBe(total / 7n);
    expect(ex.termCapacity(total, 7)).toBe(Number(total / 7n / 30n));
    expect(ex.termCapacity(total, 1)).toBe(Number(total / 30n));
    expect(ex.termCapacity(1000n, 3)).toBe(ex.minTermsPerRule());
    expect(ex.minTermsPerRule()).toBeGreaterThan(0);
    expect(ex.shareBytes(total, 0)).toBe(0n);
    expect(ex.termCapacity(2n ** 62n, 1)).toBe(1 << 25);
  });
});

describe('snapshot: serialize / restore', () => {
  it('round trip: a restored table gives the same verdicts as the original afterwards', () => {
    const original = instantiate();
    const restored = instantiate();
    original.createTable(300);
    restored.createTable(300);
    let seed = 12345;
    const rand = (n: number): number => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed % n; };
    for (let i = 0; i < 1_000; i++) original.observe(BigInt(rand(400)), BigInt(rand(100_000)), 20_000n);
    const bytes = snapshotOf(original);
    expect(bytes.length).toBe(4 + 16 * original.size());
    expect(new DataView(bytes.buffer).getUint32(0, true)).toBe(original.size());
    expect(restoreFrom(restored, bytes)).toBe(true);
    expect(restored.size()).toBe(original.size());
    expect(restored.checkInvariants()).toBe(1);
    for (let term = 0n; term < 400n; term++) expect(restored.lastSeenOf(term)).toBe(original.lastSeenOf(term));
    for (let i = 0; i < 2_000; i++) {
      const term = BigInt(rand(500));
      const t = BigInt(50_000 + rand(100_000));
      expect(restored.observe(term, t, 20_000n)).toBe(original.observe(term, t, 20_000n));
    }
    expect(snapshotOf(restored).length).toBe(snapshotOf(original).length);
  });

  it('more entries than capacity: the most recent are kept; duplicates keep the larger lastSeen', () => {
    const ex = instantiate();
    ex.createTable(10);
    const entries: Array<[bigint, bigint]> = [];
    for (let i = 0n; i < 40n; i++) entries.push([100n + i, (i * 7919n) % 40n]); // a permutation of 0..39
    entries.push([100n, 1_000n], [101n, -5n]);
    expect(restoreFrom(ex, snapshotBytes(entries))).toBe(true);
    expect(ex.size()).toBe(10);
    expect(ex.checkInvariants()).toBe(1);
    expect(ex.lastSeenOf(100n)).toBe(1_000n);
    const kept = entries.slice(0, 40).filter(([hash]) => ex.lastSeenOf(hash) !== TERM_ABSENT);
    expect(kept.map(([h]) => ex.lastSeenOf(h)).sort((a, b) => Number(a - b)))
      .toEqual([31n, 32n, 33n, 34n, 35n, 36n, 37n, 38n, 39n, 1_000n]);
    expect(ex.inserts()).toBe(0n); // restoring counts nothing
  });

  it('truncated, padded or garbage snapshots return false, leave the table empty and never trap', () => {
    const ex = instantiate();
    ex.createTable(50);
    for (let i = 0n; i < 30n; i++) ex.observe(i * 977n, i, 1_000n);
    const good = snapshotOf(ex);
    for (let cut = 0; cut < good.length; cut++) {
      ex.observe(1n, 5n, 1_000n);
      expect(restoreFrom(ex, good.subarray(0, cut))).toBe(false);
      expect(ex.size()).toBe(0);
    }
    const padded = new Uint8Array(good.length + 1);
    padded.set(good);
    expect(restoreFrom(ex, padded)).toBe(false);
    expect(restoreFrom(ex, snapshotBytes([[1n, 1n]], 0xffff_ffff))).toBe(false);
    expect(restoreFrom(ex, snapshotBytes([]))).toBe(true);
    expect(ex.size()).toBe(0);
    // A range that runs past the end of memory is refused before any read.
    const end = ex.memory.buffer.byteLength;
    expect(ex.restore(end - 4, 4 + 16 * 1_000)).toBe(0);
    expect(ex.restore(0xffff_fff0, 0x20)).toBe(0);
    expect(ex.serialize(end - 2)).toBe(0);
    expect(restoreFrom(ex, good)).toBe(true);
    expect(ex.size()).toBe(30);

    fc.assert(fc.property(fc.uint8Array({ maxLength: 600 }), fc.boolean(), (bytes, fixCount) => {
      if (fixCount && bytes.length >= 4) {
        new DataView(bytes.buffer, bytes.byteOffset).setUint32(0, Math.floor((bytes.length - 4) / 16), true);
      }
      const ok = restoreFrom(ex, bytes);
      expect(ok).toBe(bytes.length >= 4 && (bytes.length - 4) % 16 === 0 &&
        new DataView(bytes.buffer, bytes.byteOffset).getUint32(0, true) === (bytes.length - 4) / 16);
      if (!ok) expect(ex.size()).toBe(0);
      expect(ex.size()).toBeLessThanOrEqual(ex.capacity());
      expect(ex.checkInvariants()).toBe(1);
    }), { numRuns: 500 });
  });
});

describe('TermsTable against a model (fast-check)', () => {
  type Step = { kind: 'observe'; term: number; t: number } | { kind: 'expire'; now: number };
  const step: fc.Arbitrary<Step> = fc.oneof(
    { weight: 9, arbitrary: fc.record({ kind: fc.constant('observe' as const), term: fc.nat(200), t: fc.integer({ min: -1_000, max: 10_000 }) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('expire' as const), now: fc.integer({ min: -1_000, max: 12_000 }) }) },
  );
  const termHashes = fc.uniqueArray(fc.bigInt({ min: 0n, max: U64 }), { minLength: 1, maxLength: 40 });

  it('below capacity, observe and expire match a Map of term -> lastSeen', () => {
    const ex = instantiate();
    fc.assert(fc.property(termHashes, fc.array(step, { maxLength: 300 }), fc.integer({ min: 0, max: 3_000 }),
      (hashes, steps, window) => {
        ex.createTable(64); // more than 40 terms: never full
        const model = new Map<bigint, number>();
        for (const s of steps) {
          if (s.kind === 'expire') {
            let expected = 0;
            for (const [h, last] of model) if (last < s.now - window) { model.delete(h); expected++; }
            expect(ex.expire(BigInt(s.now), BigInt(window))).toBe(expected);
            continue;
          }
          const hash = hashes[s.term % hashes.length]!;
          const last = model.get(hash);
          const expected = last === undefined || last < s.t - window;
          model.set(hash, last === undefined ? s.t : Math.max(last, s.t));
          expect(ex.observe(u64ToSigned(hash), BigInt(s.t), BigInt(window)) === 1).toBe(expected);
        }
        expect(ex.size()).toBe(model.size);
        for (const hash of hashes) {
          const last = model.get(hash);
          expect(ex.lastSeenOf(u64ToSigned(hash))).toBe(last === undefined ? TERM_ABSENT : BigInt(last));
        }
        expect(ex.evictionsInWindow()).toBe(0n);
        expect(ex.checkInvariants()).toBe(1);
      }), { numRuns: 300 });
  });

  it('at capacity, each eviction removes a term with the smallest lastSeen and is counted right', () => {
    const ex = instantiate();
    fc.assert(fc.property(fc.integer({ min: 1, max: 8 }), fc.array(step, { maxLength: 200 }),
      fc.integer({ min: 0, max: 3_000 }), (capacity, steps, window) => {
        expect(ex.createTable(capacity)).toBe(capacity);
        const model = new Map<bigint, number>();
        let inWindow = 0n;
        let expired = 0n;
        for (const s of steps) {
          if (s.kind === 'expire') {
            for (const [h, last] of model) if (last < s.now - window) { model.delete(h); expired++; }
            ex.expire(BigInt(s.now), BigInt(window));
            continue;
          }
          const hash = BigInt(s.term % 20);
          const last = model.get(hash);
          const expected = last === undefined || last < s.t - window;
          expect(ex.observe(hash, BigInt(s.t), BigInt(window)) === 1).toBe(expected);
          if (last === undefined && model.size === capacity) {
            const oldest = Math.min(...model.values());
            const evicted = [...model.keys()].filter((h) => ex.lastSeenOf(h) === TERM_ABSENT);
            expect(evicted).toHaveLength(1);
            expect(model.get(evicted[0]!)).toBe(oldest);
            model.delete(evicted[0]!);
            if (oldest >= s.t - window) inWindow++; else expired++;
          }
          model.set(hash, last === undefined ? s.t : Math.max(last, s.t));
          expect(ex.size()).toBe(model.size);
          expect(ex.size()).toBeLessThanOrEqual(capacity);
        }
        for (const [h, last] of model) expect(ex.lastSeenOf(h)).toBe(BigInt(last));
        expect(ex.evictionsInWindow()).toBe(inWindow);
        expect(ex.expirations()).toBe(expired);
        expect(ex.checkInvariants()).toBe(1);
      }), { numRuns: 300 });
  });
});

/** u64 values go into i64 parameters; V8 wraps BigInts modulo 2^64 anyway, this keeps it explicit. */
function u64ToSigned(value: bigint): bigint {
  return BigInt.asIntN(64, value);
}

describe('hashBytes / hashCombine', () => {
  it('is deterministic, seeded, and reads nothing outside its range', () => {
    const ex = instantiate();
    const text = ascii('system:serviceaccount:kube-system:replicaset-controller');
    expect(hashOf(ex, text)).toBe(hashOf(ex, text.slice()));
    expect(hashOf(ex, text, 1n)).not.toBe(hashOf(ex, text));
    expect(hashOf(ex, new Uint8Array(0))).not.toBe(hashOf(ex, new Uint8Array(1)));
    const end = ex.memory.buffer.byteLength;
    const memoryBytes = new Uint8Array(ex.memory.buffer);
    for (let len = 0; len <= 40; len++) {
      const bytes = text.subarray(0, len);
      const expected = hashOf(ex, bytes);
      // At the very end of memory: a read past the range would trap.
      memoryBytes.set(bytes, end - len);
      expect(u64(ex.hashBytes(end - len, len, 0n))).toBe(expected);
      // Followed by different bytes: they must not matter.
      const ptr = ex.scratch(64);
      const view = new Uint8Array(ex.memory.buffer, ptr, 64);
      view.fill(0xa5);
      view.set(bytes);
      expect(u64(ex.hashBytes(ptr, len, 0n))).toBe(expected);
    }
  });

  it('hashCombine keeps field boundaries and field order', () => {
    const ex = instantiate();
    const h = (s: string): bigint => hashOf(ex, ascii(s));
    const combine = (...fields: string[]): bigint =>
      fields.slice(1).reduce((acc, f) => u64(ex.hashCombine(acc, h(f))), h(fields[0]!));
    expect(combine('ab', 'c')).not.toBe(combine('a', 'bc'));
    expect(combine('a', 'b')).not.toBe(combine('b', 'a'));
    expect(combine('a', '')).not.toBe(h('a'));
    expect(combine('', 'a')).not.toBe(combine('a', ''));
    expect(combine('x', 'y', 'z')).not.toBe(combine('x', 'yz'));
    // No collisions among 300k (user, verb) pairs, structured like real audit fields.
    const seen = new Set<bigint>();
    const users = Array.from({ length: 1_000 }, (_, i) => h(`system:serviceaccount:ns${i % 37}:sa-${i}`));
    const verbs = Array.from({ length: 300 }, (_, i) => h(`verb-${i}`));
    for (const user of users) for (const verb of verbs) seen.add(u64(ex.hashCombine(user, verb)));
    expect(seen.size).toBe(users.length * verbs.length);
  });

  it('flipping any input bit flips each output bit with probability close to 1/2', () => {
    const ex = instantiate();
    const samples = 5_000;
    let state = 0x1234_5678;
    const nextByte = (): number => { state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0; return state >>> 24; };
    for (const len of [3, 8, 13, 40]) {
      // One batch per sample: the base input, then one copy per flipped bit.
      const variants = 1 + len * 8;
      const batch = new TermBatch(variants, variants * len + 1_024);
      const flips = new Float64Array(len * 8 * 64);
      const base = new Uint8Array(len);
      for (let s = 0; s < samples; s++) {
        for (let i = 0; i < len; i++) base[i] = nextByte();
        for (let v = 0; v < variants; v++) {
          const flipped = v - 1;
          for (let i = 0; i < len; i++) batch.byte(flipped >> 3 === i ? base[i]! ^ (1 << (flipped & 7)) : base[i]!);
          batch.end();
        }
        const halves = batch.hashHalves(ex);
        for (let bit = 0; bit < len * 8; bit++) {
          for (let half = 0; half < 2; half++) {
            let diff = (halves[2 + 2 * bit + half]! ^ halves[half]!) >>> 0;
            while (diff !== 0) {
              const lowest = diff & -diff;
              flips[bit * 64 + half * 32 + 31 - Math.clz32(lowest)]!++;
              diff = (diff ^ lowest) >>> 0;
            }
          }
        }
      }
      let worst = 0;
      for (const count of flips) worst = Math.max(worst, Math.abs(count / samples - 0.5));
      // Binomial(5000, 1/2): sd 0.0071; the worst of up to 20k cells stays under ~4.5 sd (0.032).
      expect(worst, `avalanche bias for ${len}-byte inputs`).toBeLessThan(0.045);
    }
  });

  it('no collisions among 4.1 million distinct structured terms; 32-bit halves collide like random', () => {
    const ex = instantiate();
    const families = termFamilies();
    const total = families.reduce((sum, f) => sum + f.count, 0);
    const hashes = new BigUint64Array(total);
    const batch = new TermBatch(1 << 16, 4 << 20);
    let index = 0;
    for (const family of families) {
      for (let i = 0; i < family.count; i++) {
        family.write(batch, i);
        batch.end();
        if (batch.full()) index = batch.flush(ex, hashes, index);
      }
    }
    index = batch.flush(ex, hashes, index);
    expect(index).toBe(total);
    expect(total).toBeGreaterThan(4_000_000);

    const sorted = hashes.slice().sort();
    const duplicates = new Set<bigint>();
    for (let i = 1; i < total; i++) if (sorted[i] === sorted[i - 1]) duplicates.add(sorted[i]!);
    // Equal hashes are only acceptable for equal inputs (the families are meant to be disjoint).
    const collisions: string[] = [];
    if (duplicates.size > 0) {
      const owners = new Map<bigint, string[]>();
      let at = 0;
      for (const family of families) {
        for (let i = 0; i < family.count; i++, at++) {
          if (!duplicates.has(hashes[at]!)) continue;
          const one = new TermBatch(1, 1 << 16);
          family.write(one, i);
          const text = Buffer.from(one.bytes.subarray(0, one.length)).toString('hex');
          owners.set(hashes[at]!, [...(owners.get(hashes[at]!) ?? []), text]);
        }
      }
      for (const [hash, inputs] of owners) if (new Set(inputs).size > 1) collisions.push(`${hash}: ${inputs.join(' ')}`);
    }
    expect(collisions).toEqual([]);

    // Birthday bound for n keys in 2^32 values: about n^2 / 2^33 colliding pairs each half.
    const expected = (total * total) / 2 ** 33;
    const words = new Uint32Array(sorted.buffer); // little-endian: low half, then high half
    const high = countAdjacentEqual(words.filter((_, i) => (i & 1) === 1));
    const low = countAdjacentEqual(words.filter((_, i) => (i & 1) === 0).sort());
    for (const count of [high, low]) {
      expect(Math.abs(count - expected)).toBeLessThan(6 * Math.sqrt(expected) + 10);
    }
  }, 120_000);
});

function countAdjacentEqual(sortedValues: Uint32Array): number {
  let count = 0;
  for (let i = 1; i < sortedValues.length; i++) if (sortedValues[i] === sortedValues[i - 1]) count++;
  return count;
}

/** Term bytes laid out back to back with u32 offsets, hashed in the module a batch at a time. */
class TermBatch {
  bytes: Uint8Array;
  offsets: Uint32Array;
  length = 0;
  count = 0;

  constructor(readonly maxTerms: number, maxBytes: number) {
    this.bytes = new Uint8Array(maxBytes);
    this.offsets = new Uint32Array(maxTerms + 1);
  }

  byte(value: number): void { this.bytes[this.length++] = value; }
  text(value: string): void { for (let i = 0; i < value.length; i++) this.byte(value.charCodeAt(i) & 0xff); }
  end(): void { this.offsets[++this.count] = this.length; }
  full(): boolean { return this.count === this.maxTerms || this.length > this.bytes.length - 1_024; }

  flush(ex: StateExports, into: BigUint64Array, at: number): number {
    if (this.count === 0) return at;
    const count = this.count;
    into.set(new BigUint64Array(this.hashHalves(ex).buffer), at);
    return at + count;
  }

  /** Hashes the batch in the module and empties it; returns the hashes as (low, high) u32 pairs. */
  hashHalves(ex: StateExports): Uint32Array {
    const bytesPtr = ex.scratch(this.length + (this.count + 1) * 4 + this.count * 8 + 16);
    const offsetsPtr = (bytesPtr + this.length + 3) & ~3;
    const outPtr = (offsetsPtr + (this.count + 1) * 4 + 7) & ~7;
    new Uint8Array(ex.memory.buffer, bytesPtr, this.length).set(this.bytes.subarray(0, this.length));
    new Uint32Array(ex.memory.buffer, offsetsPtr, this.count + 1).set(this.offsets.subarray(0, this.count + 1));
    ex.hashMany(bytesPtr, offsetsPtr, this.count, 0n, outPtr);
    const halves = new Uint32Array(ex.memory.buffer, outPtr, this.count * 2).slice();
    this.length = 0;
    this.count = 0;
    return halves;
  }
}

interface TermFamily { count: number; write(batch: TermBatch, i: number): void }

/** Disjoint families of inputs that are hard for weak hashes: counters, shared prefixes, zeros, single bits. */
function termFamilies(): TermFamily[] {
  const hex = (n: number): string => n.toString(16).padStart(8, '0');
  return [
    { count: 1_000_000, write: (b, i) => b.text(String(i)) }, // decimal counters
    { count: 1_000_000, write: (b, i) => b.text(`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`) },
    { count: 1_000_000, write: (b, i) => { let v = i + 1; for (let k = 0; k < 8; k++) { b.byte(v & 255); v = Math.floor(v / 256); } } },
    { count: 500_000, write: (b, i) => b.text(`kubectl/v1.${i % 40}.${i % 7} (linux/amd64) kubernetes/${hex(i)}`) },
    { count: 500_000, write: (b, i) => b.text(`system:serviceaccount:namespace-${i % 1_000}:service-account-${i}`) },
    { count: 4_096, write: (b, i) => { for (let k = 0; k < i; k++) b.byte(0); } }, // all-zero, every length
    { count: 512, write: (b, i) => { for (let k = 0; k < 64; k++) b.byte(k === i >> 3 ? 1 << (i & 7) : 0); b.byte(1); } },
    { // two bits set in 64 bytes (plus a marker byte keeping the family apart)
      count: (512 * 511) / 2,
      write: (b, i) => {
        let first = 0;
        let rest = i;
        while (rest >= 511 - first) { rest -= 511 - first; first++; }
        const second = first + 1 + rest;
        for (let k = 0; k < 64; k++) {
          let v = 0;
          if (k === first >> 3) v |= 1 << (first & 7);
          if (k === second >> 3) v |= 1 << (second & 7);
          b.byte(v);
        }
        b.byte(2);
      },
    },
    { count: 64 * 256, write: (b, i) => { b.text('g'.repeat(1 + (i >> 8))); b.byte(i & 255); } }, // last byte differs
  ];
}
