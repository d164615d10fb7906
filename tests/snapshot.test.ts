// The new-terms state survives restarts (spec: new-terms.md "Cold start"): written atomically through
// WASI, restored at start, bad snapshots ignored with one message, unchanged rules keep their state.
import { describe, it, expect } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync, existsSync, openSync, closeSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { rulesFrom, DEFAULT_RULES, rawEvent, line } from './helpers/evaluator.js';
import { compileProgram, type BuildOptions } from '../src/compiler/index.js';
import { genericFilterModule } from '../src/build/evaluator.js';
import { FluentBitHost } from '../src/host/fluent-bit-host.js';
import type { Rule } from '../src/rules/types.js';

const T0 = Date.parse('2026-03-01T00:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

/** A stream of forbidden service-account requests with repeating user agents over two weeks. */
const stream = Array.from({ length: 600 }, (_, i) =>
  line(rawEvent({ userAgent: `agent-${(i * 13) % 97}`, stageTimestamp: iso(T0 + i * 30 * 60_000), auditID: String(i) })),
);

interface Instance {
  host: FluentBitHost;
  stderr: () => string;
}

async function instance(dir: string, rules: Rule[], options: Partial<BuildOptions> = {}): Promise<Instance> {
  const errFile = path.join(dir, `stderr-${Math.random().toString(36).slice(2)}.log`);
  const fd = openSync(errFile, 'w');
  const program = compileProgram(rules, { stateFile: '/state/terms.snapshot', snapshotEveryRecords: 0, snapshotEverySeconds: 0, ...options });
  const host = await FluentBitHost.create(await genericFilterModule(), program.bytes, { preopens: { '/state': dir }, stderrFd: fd });
  return { host, stderr: () => readFileSync(errFile, 'utf8') };
}

const verdicts = (h: FluentBitHost, records: Buffer[]) => records.map((r) => h.filter(r, 0).verdict);

describe('new-terms snapshot', () => {
  it('half a stream, snapshot, new instance, restore, the rest: same alerts as one uninterrupted run', async () => {
    const rules = await rulesFrom([DEFAULT_RULES]);
    const whole = verdicts((await instance(mkdtempSync(path.join(tmpdir(), 'kqe-')), rules)).host, stream);

    const dir = mkdtempSync(path.join(tmpdir(), 'kqe-'));
    const first = await instance(dir, rules);
    const a = verdicts(first.host, stream.slice(0, 300));
    expect(first.host.snapshot()).toBe(true);
    expect(existsSync(path.join(dir, 'terms.snapshot'))).toBe(true);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    const second = await instance(dir, rules);
    const b = verdicts(second.host, stream.slice(300));
    expect([...a, ...b]).toEqual(whole);
    expect(whole.filter((v) => v === 'tagged').length).toBeGreaterThan(50);
    expect(second.stderr()).toMatch(/snapshot restored for 1 of 1 rules/);
  });

  it('is written periodically by record count', async () => {
    const rules = await rulesFrom([DEFAULT_RULES]);
    const dir = mkdtempSync(path.join(tmpdir(), 'kqe-'));
    const inst = await instance(dir, rules, { snapshotEveryRecords: 50 });
    verdicts(inst.host, stream.slice(0, 120));
    expect(existsSync(path.join(dir, 'terms.snapshot'))).toBe(true);
  });

  const bad: [string, (good: Buffer) => Buffer | undefined, RegExp][] = [
    ['missing', () => undefined, /none found/],
    ['truncated', (g) => g.subarray(0, g.length - 9), /corrupt|truncated/],
    ['corrupt byte', (g) => { const c = Buffer.from(g); c[c.length - 20] ^= 0xff; return c; }, /corrupt/],
    ['another version', (g) => { const c = Buffer.from(g); c.writeUInt32LE(99, 4); return c; }, /another version/],
    ['not a snapshot', () => Buffer.from('hello, not a snapshot at all'), /not a kql-edge snapshot/],
    ['empty', () => Buffer.alloc(0), /truncated/],
  ];
  for (const [name, spoil, message] of bad) {
    it(`a ${name} snapshot is ignored with one clear message and a clean state`, async () => {
      const rules = await rulesFrom([DEFAULT_RULES]);
      const dir = mkdtempSync(path.join(tmpdir(), 'kqe-'));
      const first = await instance(dir, rules);
      verdicts(first.host, stream.slice(0, 100));
      first.host.snapshot();
      const file = path.join(dir, 'terms.snapshot');
      const spoiled = spoil(readFileSync(file));
      if (spoiled === undefined) writeFileSync(file, ''), (await import('node:fs')).unlinkSync(file);
      else writeFileSync(file, spoiled);
      const fresh = await instance(dir, rules);
      // A clean state: the first sighting of an agent seen before the restart alerts again.
      expect(fresh.host.filter(stream[0], 0).verdict).toBe('tagged');
      const lines = fresh.stderr().trim().split('\n').filter(Boolean);
      expect(lines.length).toBe(1);
      expect(lines[0]).toMatch(message);
    });
  }

  it('a rule-pack update keeps the state of unchanged rules and drops that of changed ones', async () => {
    const [seed] = await rulesFrom([DEFAULT_RULES]);
    const changed: Rule = { ...seed, ruleId: 'changed-0000', query: seed.query.replace('karpenter', 'karpenter or kube-probe*'), name: 'changed' };
    const dir = mkdtempSync(path.join(tmpdir(), 'kqe-'));
    const first = await instance(dir, [seed, changed]);
    verdicts(first.host, stream.slice(0, 50));
    first.host.snapshot();
    const changedAgain: Rule = { ...changed, query: changed.query.replace('kube-probe*', 'kube-probe/*') };
    const second = await instance(dir, [seed, changedAgain]);
    const out = second.host.filter(stream[0], 0);
    const ids = JSON.parse(out.output.toString()).kql_edge.alerts.map((a: { rule_id: string }) => a.rule_id);
    expect(ids).toEqual(['changed-0000']);
    expect(second.stderr()).toMatch(/restored for 1 of 2 rules/);
  });

  it('without Accessible_Paths for the folder, says so once and keeps filtering', async () => {
    const rules = await rulesFrom([DEFAULT_RULES]);
    const dir = mkdtempSync(path.join(tmpdir(), 'kqe-'));
    const errFile = path.join(dir, 'err.log');
    const fd = openSync(errFile, 'w');
    const program = compileProgram(rules, { stateFile: '/elsewhere/terms.snapshot' });
    const host = await FluentBitHost.create(await genericFilterModule(), program.bytes, { preopens: { '/state': dir }, stderrFd: fd });
    expect(host.filter(stream[0], 0).verdict).toBe('tagged');
    closeSync(fd);
    expect(readFileSync(errFile, 'utf8')).toMatch(/no accessible folder/);
  });
});
