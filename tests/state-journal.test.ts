// The state file is durable as terms are learned (docs/state-format.md): a journal beside the snapshot
// takes every new term before the host gets the record back, so a restart or a reload (a new instance
// on the same files, with no call telling the old one it stops) never forgets a learned term.
import { describe, it, expect } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync, existsSync, openSync, mkdirSync, copyFileSync, statSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { rulesFrom, DEFAULT_RULES, rawEvent, line, ROOT } from './helpers/evaluator.js';
import { compileProgram, type BuildOptions } from '../src/compiler/index.js';
import { genericFilterModule } from '../src/build/evaluator.js';
import { FluentBitHost } from '../src/host/fluent-bit-host.js';

const T0 = Date.parse('2026-03-01T10:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();
/** Events one second apart: with the default cadence (100,000 records or 300 s) no snapshot is due. */
const event = (agent: string, i: number) => line(rawEvent({ userAgent: agent, stageTimestamp: iso(T0 + i * 1000), auditID: String(i) }));
const FORMAT1 = path.join(ROOT, 'tests/fixtures/state/format1-seed-agents-0-9.snapshot');

interface Instance {
  host: FluentBitHost;
  stderr: () => string[];
}

async function instance(dir: string, options: Partial<BuildOptions> = {}): Promise<Instance> {
  const errFile = path.join(dir, `..`, `stderr-${Math.random().toString(36).slice(2)}.log`);
  const fd = openSync(errFile, 'w');
  const rules = await rulesFrom([DEFAULT_RULES]);
  const program = compileProgram(rules, { stateFile: '/state/terms.snapshot', ...options });
  const host = await FluentBitHost.create(await genericFilterModule(), program.bytes, { preopens: { '/state': dir }, stderrFd: fd });
  return { host, stderr: () => readFileSync(errFile, 'utf8').split('\n').filter(Boolean) };
}

function stateDir(): string {
  const root = mkdtempSync(path.join(tmpdir(), 'kqe-journal-'));
  const dir = path.join(root, 'state');
  mkdirSync(dir);
  return dir;
}

const tagged = (inst: Instance, records: Buffer[]) => records.map((r) => inst.host.filter(r, 0).verdict).filter((v) => v === 'tagged').length;

describe('durable new-terms state', () => {
  it('no term learned before a restart alerts after it, with the default cadence and no shutdown call', async () => {
    const dir = stateDir();
    const first = await instance(dir);
    expect(tagged(first, Array.from({ length: 30 }, (_, i) => event(`agent-${i}`, i)))).toBe(30);
    expect(existsSync(path.join(dir, 'terms.snapshot'))).toBe(false); // no snapshot was due
    expect(existsSync(path.join(dir, 'terms.snapshot.journal'))).toBe(true);
    // "Restart": a new instance on the same files; the first one was never told.
    const second = await instance(dir);
    expect(tagged(second, Array.from({ length: 30 }, (_, i) => event(`agent-${i}`, 100 + i)))).toBe(0);
    expect(tagged(second, [event('agent-new', 200)])).toBe(1);
    expect(second.stderr()).toEqual([expect.stringMatching(/snapshot none found; journal: 31 entries replayed/)]);
    // The journal was compacted into a snapshot at start.
    expect(existsSync(path.join(dir, 'terms.snapshot'))).toBe(true);
  });

  it('hot-reload style: instances in sequence, each learning more, none re-alerting', async () => {
    const dir = stateDir();
    let agent = 0;
    for (let round = 0; round < 4; round++) {
      const inst = await instance(dir);
      // Everything learned by the earlier instances is known...
      expect(tagged(inst, Array.from({ length: agent }, (_, i) => event(`agent-${i}`, 1000 * round + i)))).toBe(0);
      // ...and 7 new agents are learned by this one, then it is replaced without notice.
      expect(tagged(inst, Array.from({ length: 7 }, (_, i) => event(`agent-${agent + i}`, 1000 * round + 500 + i)))).toBe(7);
      agent += 7;
    }
  });

  it('verdicts across a restart equal those of one uninterrupted run', async () => {
    const stream = Array.from({ length: 400 }, (_, i) => event(`agent-${(i * 13) % 97}`, i * 7));
    const whole = (await instance(stateDir())).host;
    const expected = stream.map((r) => whole.filter(r, 0).verdict);
    const dir = stateDir();
    const a = await instance(dir);
    const got = stream.slice(0, 170).map((r) => a.host.filter(r, 0).verdict);
    const b = await instance(dir);
    got.push(...stream.slice(170).map((r) => b.host.filter(r, 0).verdict));
    expect(got).toEqual(expected);
  });

  it('restores a state file of the previous format (1): an upgrade keeps what was learned', async () => {
    const dir = stateDir();
    copyFileSync(FORMAT1, path.join(dir, 'terms.snapshot'));
    const inst = await instance(dir);
    expect(tagged(inst, Array.from({ length: 10 }, (_, i) => event(`agent-${i}`, 20 + i)))).toBe(0);
    expect(tagged(inst, [event('agent-10', 40)])).toBe(1);
    expect(inst.stderr()).toEqual([expect.stringMatching(/restored for 1 of 1 rules \(format 1\)/)]);
    // The next snapshot is written in the current format.
    expect(inst.host.snapshot()).toBe(true);
    expect(readFileSync(path.join(dir, 'terms.snapshot')).readUInt32LE(4)).toBe(2);
    const again = await instance(dir);
    expect(tagged(again, Array.from({ length: 11 }, (_, i) => event(`agent-${i}`, 60 + i)))).toBe(0);
  });

  it('snapshot plus journal: terms from both are known', async () => {
    const dir = stateDir();
    const first = await instance(dir);
    tagged(first, Array.from({ length: 10 }, (_, i) => event(`agent-${i}`, i)));
    expect(first.host.snapshot()).toBe(true);
    expect(statSync(path.join(dir, 'terms.snapshot.journal')).size).toBe(8); // emptied by the snapshot
    tagged(first, Array.from({ length: 10 }, (_, i) => event(`agent-${10 + i}`, 20 + i)));
    const second = await instance(dir);
    expect(tagged(second, Array.from({ length: 20 }, (_, i) => event(`agent-${i}`, 100 + i)))).toBe(0);
    expect(second.stderr()).toEqual([expect.stringMatching(/restored for 1 of 1 rules; journal: 10 entries replayed/)]);
  });

  it('replaying a journal twice changes nothing (idempotent)', async () => {
    const dir = stateDir();
    const first = await instance(dir);
    tagged(first, Array.from({ length: 25 }, (_, i) => event(`agent-${i % 20}`, i)));
    const journal = readFileSync(path.join(dir, 'terms.snapshot.journal'));
    const second = await instance(dir); // replays, then compacts into the snapshot
    tagged(second, [event('agent-0', 50)]);
    const terms = second.host.stats()!.rules[0]!.terms;
    writeFileSync(path.join(dir, 'terms.snapshot.journal'), journal); // the same entries again, beside a snapshot holding them
    const third = await instance(dir);
    tagged(third, [event('agent-0', 51)]);
    expect(third.host.stats()!.rules[0]!.terms).toBe(terms);
    expect(terms).toBe(20);
    expect(tagged(third, Array.from({ length: 20 }, (_, i) => event(`agent-${i}`, 60 + i)))).toBe(0);
  });

  it('a journal cut inside its last entry: the complete entries count, one line says what was ignored', async () => {
    const dir = stateDir();
    const first = await instance(dir);
    tagged(first, Array.from({ length: 12 }, (_, i) => event(`agent-${i}`, i)));
    const file = path.join(dir, 'terms.snapshot.journal');
    truncateSync(file, statSync(file).size - 10);
    const second = await instance(dir);
    const verdicts = Array.from({ length: 12 }, (_, i) => second.host.filter(event(`agent-${i}`, 100 + i), 0).verdict);
    expect(verdicts.slice(0, 11)).toEqual(Array(11).fill('pass'));
    expect(verdicts[11]).toBe('tagged'); // its entry was torn
    const lines = second.stderr();
    expect(lines.length).toBe(1);
    expect(lines[0]).toMatch(/damaged bytes ignored/);
  });

  const spoilt: [string, (dir: string) => void, RegExp][] = [
    ['garbage journal', (d) => writeFileSync(path.join(d, 'terms.snapshot.journal'), Buffer.from('garbage, not a journal at all\n'.repeat(20))), /journal ignored: not a kql-edge journal/],
    ['garbage snapshot', (d) => writeFileSync(path.join(d, 'terms.snapshot'), Buffer.from('garbage'.repeat(50))), /snapshot ignored: not a kql-edge snapshot/],
    ['truncated snapshot', (d) => { const f = path.join(d, 'terms.snapshot'); truncateSync(f, statSync(f).size - 5); }, /snapshot ignored: corrupt/],
    ['journal with garbage in the middle', (d) => {
      const f = path.join(d, 'terms.snapshot.journal');
      const j = readFileSync(f);
      writeFileSync(f, Buffer.concat([j.subarray(0, 8 + 44 * 3), Buffer.from('#'.repeat(100)), j.subarray(8 + 44 * 3)]));
    }, /100 damaged bytes ignored/],
  ];
  for (const [name, spoil, message] of spoilt) {
    it(`${name}: one log line, every record passes, the rest of the state is used`, async () => {
      const dir = stateDir();
      const first = await instance(dir);
      tagged(first, Array.from({ length: 6 }, (_, i) => event(`agent-${i}`, i)));
      first.host.snapshot(); // agents 0-5 in the snapshot
      tagged(first, Array.from({ length: 6 }, (_, i) => event(`agent-${6 + i}`, 10 + i))); // 6-11 in the journal
      spoil(dir);
      const second = await instance(dir);
      const records = Array.from({ length: 40 }, (_, i) => event(`agent-${i % 14}`, 100 + i));
      const outs = records.map((r) => second.host.filter(r, 0));
      for (const o of outs) {
        expect(['pass', 'tagged']).toContain(o.verdict);
        JSON.parse(o.output.toString());
      }
      const lines = second.stderr();
      expect(lines.length).toBe(1);
      expect(lines[0]).toMatch(message);
      expect(second.host.stats()!.errors).toBe(0);
      // agents 12 and 13 were never seen: they alert whatever was spoilt
      expect(outs[12]!.verdict).toBe('tagged');
      expect(outs[13]!.verdict).toBe('tagged');
    });
  }

  it('a snapshot that cannot be written is said on stderr once per distinct error, then counted', async () => {
    const dir = stateDir();
    mkdirSync(path.join(dir, 'terms.snapshot')); // the path is a directory
    const inst = await instance(dir);
    tagged(inst, [event('agent-1', 1)]);
    expect(inst.host.snapshot()).toBe(false);
    expect(inst.host.snapshot()).toBe(false);
    expect(inst.host.snapshot()).toBe(false);
    const lines = inst.stderr().filter((l) => /state: could not/.test(l));
    expect(lines.length).toBe(1);
    expect(lines[0]).toMatch(/could not rename the new snapshot over terms\.snapshot: .*errno/);
    expect(inst.host.stats()!.snapshot_failures).toBe(3);
    // Terms still reach the journal, so nothing is lost.
    const next = await instance(dir);
    expect(tagged(next, [event('agent-1', 5)])).toBe(0);
  });

  it('a journal that cannot be opened is said once; the filter goes on', async () => {
    const dir = stateDir();
    mkdirSync(path.join(dir, 'terms.snapshot.journal'));
    const inst = await instance(dir);
    expect(tagged(inst, Array.from({ length: 5 }, (_, i) => event(`agent-${i}`, i)))).toBe(5);
    const lines = inst.stderr().filter((l) => /state: could not/.test(l));
    expect(lines.length).toBe(1);
    expect(lines[0]).toMatch(/could not open the journal terms\.snapshot\.journal/);
    expect(inst.host.stats()!.journal_failures).toBeGreaterThan(0);
  });

  it('kqe_snapshot returns 0 without a state file, 1 when written (docs/abi.md)', async () => {
    const rules = await rulesFrom([DEFAULT_RULES]);
    const none = await FluentBitHost.create(await genericFilterModule(), compileProgram(rules).bytes);
    none.filter(event('agent-1', 1), 0);
    expect(none.exports.kqe_snapshot!()).toBe(0);
    const dir = stateDir();
    const inst = await instance(dir);
    inst.host.filter(event('agent-1', 1), 0);
    expect(inst.host.exports.kqe_snapshot!()).toBe(1);
  });
});
