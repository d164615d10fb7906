// Pending EQL sequences in the state file (docs/state-format.md, section kind 3; docs/semantics.md
// §14): a sequence started before a restart or a reload completes after it, whether the pending stage
// reached the snapshot or only the journal; what ended before the restart (completed, expired, ended
// by `until`, evicted) stays ended; damaged sections and older files are handled; the budget holds.
import { describe, it, expect, beforeAll } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, readFileSync, writeFileSync, existsSync, openSync, mkdirSync, copyFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { rulesFrom, DEFAULT_RULES, rawEvent, line, ROOT } from './helpers/evaluator.js';
import { queryRule } from './helpers/wasm-case.js';
import { compileProgram, type BuildOptions } from '../src/compiler/index.js';
import { genericFilterModule } from '../src/build/evaluator.js';
import { FluentBitHost } from '../src/host/fluent-bit-host.js';
import type { Rule } from '../src/rules/types.js';

const SEQ = 'sequence by user.name with maxspan=1m [any where event.action == "a"] [any where event.action == "b"]';
const UNTIL = 'sequence by user.name with maxspan=1m [any where event.action == "a"] [any where event.action == "b"] [any where event.action == "c"] until [any where event.action == "x"]';
const FORMAT1 = path.join(ROOT, 'tests/fixtures/state/format1-seed-agents-0-9.snapshot');
const SNAPSHOT = 'seq.snapshot';

const sequenceRule = (query: string): Rule => ({ ...queryRule(query, 'seq-rule'), type: 'eql', language: 'eql' });
const doc = (user: string, action: string, second: number, id: string) =>
  line({ '@timestamp': new Date(Date.UTC(2026, 2, 1, 10, 0, 0) + second * 1000).toISOString(), event: { action }, user: { name: user }, kubernetes: { audit: { auditID: id } } });

let filterModule: WebAssembly.Module;
beforeAll(async () => {
  filterModule = await genericFilterModule();
});

interface Instance {
  host: FluentBitHost;
  stderr: () => string[];
  /** Per record: the auditIDs of the completed sequence, or null. */
  feed: (records: Buffer[]) => (string[] | null)[];
  seqStats: () => { sequences: number; sequence_capacity: number; sequence_evictions_in_window: number; sequence_expirations: number; sequence_completions: number };
}

function stateDir(): string {
  const dir = path.join(mkdtempSync(path.join(tmpdir(), 'kqe-seqstate-')), 'state');
  mkdirSync(dir);
  return dir;
}

async function instance(dir: string, rules: Rule[], options: Partial<BuildOptions> = {}): Promise<Instance> {
  const errFile = path.join(dir, '..', `stderr-${Math.random().toString(36).slice(2)}.log`);
  const fd = openSync(errFile, 'w');
  const program = compileProgram(rules, { stateFile: `/state/${SNAPSHOT}`, ...options });
  const host = await FluentBitHost.create(filterModule, program.bytes, { preopens: { '/state': dir }, stderrFd: fd });
  const feed = (records: Buffer[]) =>
    records.map((r) => {
      const out = host.filter(r, 0);
      if (out.verdict !== 'tagged') return null;
      const alerts = (JSON.parse(out.output.toString()) as { kql_edge: { alerts: { rule_id: string; sequence?: { auditID: string | null }[] }[] } }).kql_edge.alerts;
      const a = alerts.find((x) => x.rule_id === 'seq-rule');
      return a?.sequence ? a.sequence.map((s) => s.auditID ?? '') : null;
    });
  const seqStats = () => host.stats()!.rules.find((s) => s.id === 'seq-rule') as unknown as ReturnType<Instance['seqStats']>;
  return { host, feed, seqStats, stderr: () => readFileSync(errFile, 'utf8').split('\n').filter(Boolean) };
}

const journalSize = (dir: string) => statSync(path.join(dir, `${SNAPSHOT}.journal`)).size;

describe('a sequence started before a restart completes after it', () => {
  it('via the snapshot', async () => {
    const dir = stateDir();
    const first = await instance(dir, [sequenceRule(SEQ)]);
    expect(first.feed([doc('alice', 'a', 0, 'a0'), doc('bob', 'a', 1, 'a1')])).toEqual([null, null]);
    expect(first.host.snapshot()).toBe(true);
    expect(journalSize(dir)).toBe(8); // the snapshot holds them: the journal was emptied
    const second = await instance(dir, [sequenceRule(SEQ)]);
    expect(second.feed([doc('alice', 'b', 30, 'b0'), doc('bob', 'b', 31, 'b1')])).toEqual([['a0', 'b0'], ['a1', 'b1']]);
    expect(second.stderr()).toEqual([expect.stringMatching(/snapshot restored: sequences for 1 of 1 rules \(2 pending\)$/)]);
  });

  it('via the journal: no snapshot was written, the first instance was never told it stops', async () => {
    const dir = stateDir();
    const first = await instance(dir, [sequenceRule(SEQ)]);
    first.feed([doc('alice', 'a', 0, 'a0')]);
    expect(existsSync(path.join(dir, SNAPSHOT))).toBe(false);
    expect(journalSize(dir)).toBeGreaterThan(8);
    const second = await instance(dir, [sequenceRule(SEQ)]);
    expect(second.feed([doc('alice', 'b', 30, 'b0')])).toEqual([['a0', 'b0']]);
    // Two entries: the pending stage, and the start of the learning period (the module entry).
    expect(second.stderr()).toEqual([expect.stringMatching(/snapshot none found; journal: 2 entries replayed$/)]);
  });

  it('three stages across two restarts (stage 2 only in the journal, on top of a snapshot holding stage 1)', async () => {
    const dir = stateDir();
    const a = await instance(dir, [sequenceRule(UNTIL)]);
    a.feed([doc('u', 'a', 0, 'a0')]);
    a.host.snapshot();
    const b = await instance(dir, [sequenceRule(UNTIL)]);
    b.feed([doc('u', 'b', 1, 'b0')]);
    const c = await instance(dir, [sequenceRule(UNTIL)]);
    expect(c.feed([doc('u', 'c', 2, 'c0')])).toEqual([['a0', 'b0', 'c0']]);
  });
});

describe('what ended before a restart stays ended', () => {
  for (const via of ['journal', 'snapshot'] as const) {
    it(`a completed sequence does not alert again (${via})`, async () => {
      const dir = stateDir();
      const first = await instance(dir, [sequenceRule(SEQ)]);
      expect(first.feed([doc('u', 'a', 0, 'a0'), doc('u', 'b', 1, 'b0')])).toEqual([null, ['a0', 'b0']]);
      if (via === 'snapshot') first.host.snapshot();
      const second = await instance(dir, [sequenceRule(SEQ)]);
      expect(second.feed([doc('u', 'b', 2, 'b1')])).toEqual([null]);
    });

    it(`an expired stage is not resurrected (${via})`, async () => {
      const dir = stateDir();
      const first = await instance(dir, [sequenceRule(SEQ)]);
      // b at 61 s finds a0 past maxspan: a0 is dropped as expired.
      first.feed([doc('u', 'a', 0, 'a0'), doc('v', 'a', 0, 'a1'), doc('u', 'b', 61, 'b0')]);
      expect(first.seqStats().sequence_expirations).toBe(1);
      if (via === 'snapshot') first.host.snapshot();
      const second = await instance(dir, [sequenceRule(SEQ)]);
      // A late b (at 30 s) would pair with a0 had it come back; v's pending stage past maxspan does not complete either.
      expect(second.feed([doc('u', 'b', 30, 'b1'), doc('v', 'b', 75, 'b2')])).toEqual([null, null]);
      expect(second.seqStats().sequence_expirations).toBe(1);
    });

    it(`a sequence ended by until stays ended (${via})`, async () => {
      const dir = stateDir();
      const first = await instance(dir, [sequenceRule(UNTIL)]);
      first.feed([doc('u', 'a', 0, 'a0'), doc('u', 'b', 1, 'b0'), doc('u', 'x', 2, 'x0')]);
      if (via === 'snapshot') first.host.snapshot();
      const second = await instance(dir, [sequenceRule(UNTIL)]);
      expect(second.feed([doc('u', 'c', 3, 'c0')])).toEqual([null]);
    });
  }

  it('an evicted pending sequence is not brought back by the journal replay', async () => {
    const dir = stateDir();
    const first = await instance(dir, [sequenceRule(SEQ)], { sequenceBudgetBytes: 1 }); // 16 pending at most
    first.feed(Array.from({ length: 20 }, (_, u) => doc(`u${u}`, 'a', u, `a${u}`)));
    expect(first.seqStats().sequence_evictions_in_window).toBe(4);
    const second = await instance(dir, [sequenceRule(SEQ)], { sequenceBudgetBytes: 1 });
    second.host.filter(line({ unrelated: true }), 0); // the first record restores the state
    expect(second.seqStats().sequence_evictions_in_window).toBe(0); // the replay evicted nothing: the removals were journaled
    expect(second.seqStats().sequences).toBe(16);
    const done = second.feed(Array.from({ length: 20 }, (_, u) => doc(`u${u}`, 'b', 30, `b${u}`)));
    expect(done.map((d, u) => (d ? u : -1)).filter((u) => u >= 0)).toEqual(Array.from({ length: 16 }, (_, k) => 4 + k));
  });
});

describe('verdicts across restarts equal those of one uninterrupted run', () => {
  // 30 users, stages interleaved, some past maxspan, some evicted (room for 16), until on three stages.
  function stream(): Buffer[] {
    const out: Buffer[] = [];
    let x = 12345;
    const rnd = () => ((x = (x * 1103515245 + 12345) % 2147483648) / 2147483648);
    for (let i = 0; i < 600; i++) {
      const action = 'abcx'[Math.floor(rnd() * 4)]!;
      out.push(doc(`u${Math.floor(rnd() * 30)}`, action, Math.floor(i / 2) + Math.floor(rnd() * 20), `id${i}`));
    }
    return out;
  }
  for (const [name, query] of [['two stages', SEQ], ['three stages with until', UNTIL]] as const) {
    for (const mode of ['journal only', 'with snapshots'] as const) {
      it(`${name}, ${mode}`, async () => {
        const records = stream();
        const options: Partial<BuildOptions> = { sequenceBudgetBytes: 1, ...(mode === 'with snapshots' ? { snapshotEveryRecords: 37 } : { snapshotEveryRecords: 0, snapshotEverySeconds: 0 }) };
        const whole = await instance(stateDir(), [sequenceRule(query)], options);
        const expected = whole.feed(records);
        expect(expected.filter(Boolean).length).toBeGreaterThan(5);
        expect(whole.seqStats().sequence_evictions_in_window).toBeGreaterThan(0);
        const dir = stateDir();
        const got: (string[] | null)[] = [];
        for (let start = 0; start < records.length; start += 83) {
          const inst = await instance(dir, [sequenceRule(query)], options);
          got.push(...inst.feed(records.slice(start, start + 83)));
        }
        expect(got).toEqual(expected);
        if (mode === 'with snapshots') expect(existsSync(path.join(dir, SNAPSHOT))).toBe(true);
      });
    }
  }
});

describe('property: restarts and snapshots at random points never change a verdict', () => {
  it('random streams, budgets, restart and snapshot points (two and three stages)', async () => {
    const record = fc.record({ user: fc.integer({ min: 0, max: 19 }), action: fc.constantFrom('a', 'b', 'c', 'x', 'other'), dt: fc.integer({ min: -5, max: 30 }) });
    await fc.assert(
      fc.asyncProperty(
        fc.array(record, { minLength: 1, maxLength: 120 }),
        fc.array(fc.integer({ min: 0, max: 119 }), { maxLength: 6 }),
        fc.array(fc.integer({ min: 0, max: 119 }), { maxLength: 6 }),
        fc.constantFrom(SEQ, UNTIL),
        fc.constantFrom(1, 1 << 20),
        async (steps, restarts, snapshots, query, budget) => {
          let t = 0;
          const records = steps.map((s, i) => {
            t = Math.max(0, t + s.dt);
            return doc(`u${s.user}`, s.action, t, `id${i}`);
          });
          const options: Partial<BuildOptions> = { sequenceBudgetBytes: budget, snapshotEveryRecords: 0, snapshotEverySeconds: 0 };
          const expected = (await instance(stateDir(), [sequenceRule(query)], options)).feed(records);
          const dir = stateDir();
          let inst = await instance(dir, [sequenceRule(query)], options);
          const got: (string[] | null)[] = [];
          for (let i = 0; i < records.length; i++) {
            if (restarts.includes(i)) inst = await instance(dir, [sequenceRule(query)], options);
            got.push(...inst.feed([records[i]!]));
            if (snapshots.includes(i)) expect(inst.host.snapshot()).toBe(true);
          }
          expect(got).toEqual(expected);
        },
      ),
      { numRuns: 40, seed: 20 },
    );
  }, 60_000);
});

/** The state file's checksum (assembly/util/hash.ts, hashBytes), for crafting damaged sections. */
function hashBytes(bytes: Buffer, seed: bigint): bigint {
  const M = (1n << 64n) - 1n;
  const [M1, M2, M3, M4, M5] = [0x9e3779b97f4a7c15n, 0xc2b2ae3d27d4eb4fn, 0x165667b19e3779f9n, 0xbf58476d1ce4e5b9n, 0x94d049bb133111ebn];
  const rotl = (v: bigint, r: bigint) => ((v << r) | (v >> (64n - r))) & M;
  const premix = (w: bigint) => (rotl((w * M2) & M, 31n) * M1) & M;
  const fold = (s: bigint, w: bigint) => (rotl(s ^ premix(w), 27n) * M3 + M4) & M;
  const len = BigInt(bytes.length);
  let state = (((seed ^ M5) * M1) + len * M2) & M;
  const whole = bytes.length & ~7;
  for (let i = 0; i < whole; i += 8) state = fold(state, bytes.readBigUInt64LE(i));
  const rest = bytes.length & 7;
  if (rest >= 4) state = fold(state, BigInt(bytes.readUInt32LE(whole)) | (BigInt(bytes.readUInt32LE(whole + rest - 4)) << 32n));
  else if (rest > 0) state = fold(state, BigInt(bytes[whole]!) | (BigInt(bytes[whole + (rest >> 1)]!) << 8n) | (BigInt(bytes[whole + rest - 1]!) << 16n));
  let x = state ^ len;
  x ^= x >> 30n; x = (x * M4) & M; x ^= x >> 27n; x = (x * M5) & M; x ^= x >> 31n;
  return x;
}

/** The sections of a format-2 snapshot: [kind, offset of the section, payload length]. */
function sections(file: Buffer): [number, number, number][] {
  const out: [number, number, number][] = [];
  let at = 16;
  for (let i = 0; i < file.readUInt32LE(8); i++) {
    out.push([file.readUInt32LE(at), at, file.readUInt32LE(at + 4)]);
    at += 16 + file.readUInt32LE(at + 4);
  }
  return out;
}

function resealed(file: Buffer): Buffer {
  const body = file.subarray(0, file.length - 8);
  const sum = Buffer.alloc(8);
  sum.writeBigUInt64LE(hashBytes(body, 0x736e617073686f74n));
  return Buffer.concat([body, sum]);
}

describe('the sequence section in the state file', () => {
  let rules: Rule[];
  beforeAll(async () => {
    rules = [...(await rulesFrom([DEFAULT_RULES])), sequenceRule(SEQ)];
  });
  const agent = (name: string, i: number) => line(rawEvent({ userAgent: name, stageTimestamp: new Date(Date.UTC(2026, 2, 1, 10, 0, i)).toISOString(), auditID: `nt${i}` }));

  it('the checksum port agrees with the module (an untouched resealed snapshot restores)', async () => {
    const dir = stateDir();
    const first = await instance(dir, rules);
    first.feed([doc('u', 'a', 0, 'a0'), agent('agent-1', 0)]);
    first.host.snapshot();
    const file = readFileSync(path.join(dir, SNAPSHOT));
    expect(resealed(file).equals(file)).toBe(true);
    expect(sections(file).map((s) => s[0])).toEqual([1, 2, 3]);
  });

  const damages: [string, (file: Buffer, at: number) => void][] = [
    ['another stage count', (f, at) => f.writeUInt32LE(5, at + 16)],
    ['a stage number out of range', (f, at) => f.writeUInt32LE(2, at + 16 + 8 + 8)],
    ['an item count past the end', (f, at) => f.writeUInt32LE(9, at + 20)],
    ['an identity longer than kept', (f, at) => f.writeUInt8(200, at + 16 + 8 + 16 + 8)],
  ];
  for (const [name, damage] of damages) {
    it(`a damaged sequence section (${name}) is ignored with one line; New Terms state is still restored`, async () => {
      const dir = stateDir();
      const first = await instance(dir, rules);
      first.feed([doc('u', 'a', 0, 'a0'), agent('agent-1', 0)]);
      first.host.snapshot();
      const file = readFileSync(path.join(dir, SNAPSHOT));
      const [, at] = sections(file).find((s) => s[0] === 3)!;
      damage(file, at);
      writeFileSync(path.join(dir, SNAPSHOT), resealed(file));
      const second = await instance(dir, rules);
      const outs = [doc('u', 'b', 10, 'b0'), agent('agent-1', 11), agent('agent-2', 12)].map((r) => second.host.filter(r, 0));
      expect(outs.map((o) => o.verdict)).toEqual(['pass', 'pass', 'tagged']); // no sequence state; agent-1 known
      for (const o of outs) JSON.parse(o.output.toString());
      expect(second.stderr()).toEqual([expect.stringMatching(/restored for 1 of 1 rules, sequences for 0 of 1 rules \(0 pending\), 1 damaged sequence section ignored$/)]);
      expect(second.host.stats()!.errors).toBe(0);
      // The filter goes on: a new sequence completes.
      expect(second.feed([doc('u', 'a', 20, 'a1'), doc('u', 'b', 21, 'b1')])).toEqual([null, ['a1', 'b1']]);
    });
  }

  it('a format-2 file without a sequence section (written before sequences were kept) is read', async () => {
    const dir = stateDir();
    const ntOnly = await instance(dir, rules.slice(0, -1));
    ntOnly.feed([agent('agent-1', 0)]);
    ntOnly.host.snapshot();
    expect(sections(readFileSync(path.join(dir, SNAPSHOT))).map((s) => s[0])).toEqual([1, 2]);
    const both = await instance(dir, rules);
    expect(both.feed([agent('agent-1', 5), doc('u', 'a', 6, 'a0'), doc('u', 'b', 7, 'b0')])).toEqual([null, null, ['a0', 'b0']]);
    expect(both.host.filter(agent('agent-1', 8), 0).verdict).toBe('pass');
    expect(both.stderr()).toEqual([expect.stringMatching(/restored for 1 of 1 rules$/)]);
  });

  it('a format-1 file is still read beside a sequence rule; the next snapshot holds both', async () => {
    const dir = stateDir();
    copyFileSync(FORMAT1, path.join(dir, SNAPSHOT));
    const inst = await instance(dir, rules);
    expect(inst.host.filter(agent('agent-3', 20), 0).verdict).toBe('pass');
    inst.feed([doc('u', 'a', 21, 'a0')]);
    expect(inst.stderr()).toEqual([expect.stringMatching(/restored for 1 of 1 rules \(format 1\)$/)]);
    expect(inst.host.snapshot()).toBe(true);
    const again = await instance(dir, rules);
    expect(again.host.filter(agent('agent-3', 30), 0).verdict).toBe('pass');
    expect(again.feed([doc('u', 'b', 31, 'b0')])).toEqual([['a0', 'b0']]);
  });

  it('a section of a rule no longer built in is skipped; the rule under another query starts empty', async () => {
    const dir = stateDir();
    const first = await instance(dir, [sequenceRule(SEQ)]);
    first.feed([doc('u', 'a', 0, 'a0')]);
    first.host.snapshot();
    const changed = sequenceRule(SEQ.replace('maxspan=1m', 'maxspan=2m'));
    const second = await instance(dir, [changed]);
    expect(second.feed([doc('u', 'b', 1, 'b0')])).toEqual([null]);
    expect(second.stderr()).toEqual([expect.stringMatching(/sequences for 0 of 1 rules \(0 pending\)$/)]);
  });
});

describe('the budget holds on restore', () => {
  it('a state file from a larger budget is trimmed to the most recent pending sequences, the rest counted as evictions', async () => {
    const dir = stateDir();
    const big = await instance(dir, [sequenceRule(SEQ)]);
    big.feed(Array.from({ length: 40 }, (_, u) => doc(`u${u}`, 'a', u, `a${u}`)));
    expect(big.seqStats().sequences).toBe(40);
    big.host.snapshot();
    const small = await instance(dir, [sequenceRule(SEQ)], { sequenceBudgetBytes: 1 });
    small.host.filter(line({ unrelated: true }), 0); // the first record restores the state
    expect(small.seqStats()).toMatchObject({ sequences: 16, sequence_capacity: 16, sequence_evictions_in_window: 24 });
    expect(small.stderr()).toEqual([expect.stringMatching(/sequences for 1 of 1 rules \(16 pending\)$/)]);
    const done = small.feed(Array.from({ length: 40 }, (_, u) => doc(`u${u}`, 'b', 45, `b${u}`)));
    expect(done.map((d, u) => (d ? u : -1)).filter((u) => u >= 0)).toEqual(Array.from({ length: 16 }, (_, k) => 24 + k));
  });

  it('a pending sequence past maxspan when trimmed is counted as expired, not as a live eviction', async () => {
    const dir = stateDir();
    const big = await instance(dir, [sequenceRule(SEQ)]);
    big.feed([doc('old', 'a', 0, 'old'), ...Array.from({ length: 16 }, (_, u) => doc(`u${u}`, 'a', 100 + u, `a${u}`))]);
    big.host.snapshot();
    const small = await instance(dir, [sequenceRule(SEQ)], { sequenceBudgetBytes: 1 });
    small.host.filter(line({ unrelated: true }), 0);
    expect(small.seqStats()).toMatchObject({ sequences: 16, sequence_evictions_in_window: 0, sequence_expirations: 1 });
  });
});

describe('snapshot cadence with sequence rules only', () => {
  it('sequence changes make the periodic snapshot due (and it empties the journal)', async () => {
    const dir = stateDir();
    const inst = await instance(dir, [sequenceRule(SEQ)], { snapshotEveryRecords: 3 });
    inst.feed([doc('u', 'a', 0, 'a0'), doc('v', 'a', 1, 'a1'), doc('w', 'a', 2, 'a2')]);
    expect(existsSync(path.join(dir, SNAPSHOT))).toBe(true);
    expect(journalSize(dir)).toBe(8);
    const next = await instance(dir, [sequenceRule(SEQ)]);
    expect(next.feed([doc('w', 'b', 3, 'b2')])).toEqual([['a2', 'b2']]);
  });

  it('records that touch no sequence write nothing to the journal', async () => {
    const dir = stateDir();
    const inst = await instance(dir, [sequenceRule(SEQ)]);
    inst.feed(Array.from({ length: 50 }, (_, i) => doc('u', 'other', i, `o${i}`)));
    expect(journalSize(dir)).toBe(8);
    // A second stage with no pending sequence of its user changes nothing either.
    inst.feed([doc('u', 'b', 60, 'b0')]);
    expect(journalSize(dir)).toBe(8);
    inst.feed([doc('u', 'a', 61, '0b6c4f2e-7d1a-4c3b-9e8f-123456789abc')]); // an auditID of 36 characters
    expect(journalSize(dir)).toBe(8 + 32 + 93); // the learning-period start, then the started sequence
    inst.feed([doc('u', 'b', 62, 'b1')]);
    expect(journalSize(dir)).toBe(8 + 32 + 93 + 48); // completed: removed
  });
});
