// What the module does for the real Fluent Bit (5.1.1) that the Node host cannot show: numbers Fluent
// Bit cannot read back, WAMR's reactor warning on stdout, New Terms state across a restart and a hot
// reload with the default snapshot cadence, a pending EQL sequence across a restart, a STATS window across a hot
// reload. Skipped, by name, when `fluent-bit` is not on PATH.
// Each run is bounded: Fluent Bit is stopped as soon as the expected records are out, or after 20 s.
import { describe, it, expect, beforeAll } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, existsSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { rawEvent, ROOT, SEED_ID } from '../helpers/evaluator.js';

const hasFluentBit = spawnSync('fluent-bit', ['--version'], { timeout: 10_000 }).status === 0;
const suite = hasFluentBit ? describe : describe.skip;
const NAME = hasFluentBit ? 'module in the real Fluent Bit' : 'module in the real Fluent Bit (skipped: fluent-bit is not on PATH)';

const T0 = Date.parse('2026-03-01T10:00:00Z');
const event = (agent: string, i: number) => JSON.stringify(rawEvent({ userAgent: agent, stageTimestamp: new Date(T0 + i * 1000).toISOString(), auditID: `${agent}-${i}` }));

let work: string;
let stateDir: string;
let wasm: string;

beforeAll(() => {
  if (!hasFluentBit) return;
  work = mkdtempSync(path.join(tmpdir(), 'kqe-fb-module-'));
  stateDir = path.join(work, 'state');
  mkdirSync(stateDir);
  wasm = path.join(work, 'filter.wasm');
  const built = spawnSync(process.execPath, [path.join(ROOT, 'bin/kql-edge.js'), 'build', '-o', wasm, '--state-file', path.join(stateDir, 'terms.snapshot')], { timeout: 120_000, encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`kql-edge build failed: ${built.stderr}`);
  writeFileSync(path.join(work, 'parsers.conf'), '[PARSER]\n    Name json\n    Format json\n');
}, 180_000);

/** A rule file in the pack's TOML layout: `fields` are the [rule] lines besides the common ones and the query. */
function ruleToml(fields: Record<string, string>, query: string): string {
  const lines = Object.entries({ author: '["kql-edge tests"]', license: '"Elastic License v2"', risk_score: '21', severity: '"low"', ...fields }).map(([k, v]) => `${k} = ${v}`);
  return ['[metadata]', 'creation_date = "2026/03/01"', 'maturity = "production"', 'updated_date = "2026/03/01"', '', '[rule]', ...lines, "query = '''", query, "'''", ''].join('\n');
}

/** A two-stage EQL sequence rule (the pack's rule has the same shape, on RBAC and workload events). */
const SEQUENCE_RULE = ruleToml(
  { description: '"A user does a, then b, within a minute."', language: '"eql"', name: '"Test sequence a then b"', rule_id: '"test-sequence-a-b"', type: '"eql"' },
  'sequence by user.name with maxspan=1m [any where event.action == "a"] [any where event.action == "b"]',
);

/** A windowed ES|QL STATS rule: a user's third event within ten minutes. */
const STATS_RULE = ruleToml(
  { description: '"A user\'s third event within ten minutes."', from: '"now-10m"', interval: '"5m"', language: '"esql"', name: '"Test third event of a user"', rule_id: '"test-stats-third-event"', type: '"esql"' },
  'FROM logs-*\n| STATS n = COUNT(*) BY user.name\n| WHERE n >= 3',
);

function config(name: string, input: string, extraService = '', module = wasm): string {
  const file = path.join(work, `${name}.conf`);
  writeFileSync(file, `[SERVICE]
    Flush 0.2
    Grace 1
    Log_Level info
    Parsers_File ${path.join(work, 'parsers.conf')}
${extraService}
[INPUT]
    Name tail
    Path ${input}
    Read_From_Head On
    DB ${input}.db
    Refresh_Interval 1
    Parser json
[FILTER]
    Name wasm
    Match *
    WASM_Path ${module}
    Function_Name filter
    Accessible_Paths ${stateDir}
    Wasm_Stack_Size 1M
[OUTPUT]
    Name stdout
    Match *
    Format json_lines
`);
  return file;
}

interface Run {
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  /** Output records (the lines of stdout that are JSON objects). */
  records: () => Record<string, unknown>[];
}

/** Starts Fluent Bit; `step(stdout, stderr, proc)` is polled until it returns true, then Fluent Bit is stopped. */
function runFluentBit(conf: string, step: (out: string, err: string, pid: number) => boolean, limitMs = 20_000): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn('fluent-bit', ['-c', conf], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const started = Date.now();
    const timer = setInterval(() => {
      if (step(stdout, stderr, child.pid!) || Date.now() - started > limitMs) {
        clearInterval(timer);
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 8_000).unref();
      }
    }, 100);
    child.on('exit', (code, signal) => {
      clearInterval(timer);
      const records = () => stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
      resolve({ code, signal, stdout, stderr, records });
    });
  });
}

const recordLines = (out: string) => out.split('\n').filter((l) => l.startsWith('{')).length;
const taggedAgents = (run: Run) => run.records().filter((r) => r.kql_edge).map((r) => r.userAgent);

suite(NAME, () => {
  it('a chunk with the largest doubles survives: every record out, valid JSON, no error, no reactor warning', async () => {
    const input = path.join(work, 'numbers.ndjson');
    const lines = [
      '{"a":1}',
      '{"n":1.7976931348623157e308}',
      '{"n":-1.7976931348623157e308,"s":"1.797693134862316e+308"}',
      '{"n":1.7976931348623155e308}',
      event('agent-with-big-number', 1).replace('"auditID"', '"big":1.7976931348623157e308,"auditID"'),
      '{"z":2}',
    ];
    writeFileSync(input, lines.join('\n') + '\n');
    const run = await runFluentBit(config('numbers', input), (out) => recordLines(out) >= lines.length);
    expect(run.signal).toBeNull();
    expect(run.code).toBe(0);
    expect(run.stderr).not.toMatch(/invalid JSON|\[error\]/);
    expect(run.stdout).not.toMatch(/reactor/);
    const records = run.records();
    expect(records.length).toBe(lines.length);
    // Fluent Bit's own JSON output prints the largest double as "%.16g" again (JavaScript reads that as
    // Infinity): what matters here is that the records came through.
    const huge = (v: unknown) => (typeof v === 'number' && Math.abs(v) >= Number.MAX_VALUE ? Math.sign(v) : null);
    expect(records.map((r) => huge(r.n))).toEqual([null, 1, -1, 1, null, null]);
    expect(records[2]!.s).toBe('1.797693134862316e+308');
    const tagged = records[4]!;
    expect((tagged.kql_edge as { alerts: { rule_id: string }[] }).alerts[0]!.rule_id).toBe(SEED_ID);
    expect(huge(tagged.big)).toBe(1);
  }, 60_000);

  it('no term learned before a restart alerts again after it (default cadence, no shutdown call)', async () => {
    const first = path.join(work, 'restart-1.ndjson');
    writeFileSync(first, Array.from({ length: 30 }, (_, i) => event(`restart-agent-${i}`, i)).join('\n') + '\n');
    const a = await runFluentBit(config('restart-1', first), (out) => recordLines(out) >= 30);
    expect(taggedAgents(a).length).toBe(30);
    const second = path.join(work, 'restart-2.ndjson');
    const again = Array.from({ length: 30 }, (_, i) => event(`restart-agent-${i}`, 100 + i));
    writeFileSync(second, [...again, event('restart-new-1', 200), event('restart-new-2', 201)].join('\n') + '\n');
    const b = await runFluentBit(config('restart-2', second), (out) => recordLines(out) >= 32);
    expect(b.records().length).toBe(32);
    expect(taggedAgents(b)).toEqual(['restart-new-1', 'restart-new-2']);
    expect(b.stderr).toMatch(/kql-edge: new-terms snapshot .*journal: \d+ entries replayed/);
  }, 60_000);

  it('no term learned before a hot reload (SIGHUP) alerts again after it', async () => {
    const input = path.join(work, 'reload.ndjson');
    writeFileSync(input, Array.from({ length: 12 }, (_, i) => event(`reload-agent-${i}`, i)).join('\n') + '\n');
    let phase = 0;
    const run = await runFluentBit(config('reload', input, '    Hot_Reload On'), (out, err, pid) => {
      if (phase === 0 && recordLines(out) >= 12) {
        process.kill(pid, 'SIGHUP');
        phase = 1;
      } else if (phase === 1 && /successful reload done/.test(err)) {
        appendFileSync(input, [...Array.from({ length: 12 }, (_, i) => event(`reload-agent-${i}`, 100 + i)), event('reload-new', 200)].join('\n') + '\n');
        phase = 2;
      }
      return phase === 2 && recordLines(out) >= 25;
    }, 30_000);
    expect(phase).toBe(2);
    expect(run.records().length).toBe(25);
    const agents = taggedAgents(run);
    expect(agents.slice(0, 12)).toEqual(Array.from({ length: 12 }, (_, i) => `reload-agent-${i}`));
    expect(agents.slice(12)).toEqual(['reload-new']);
  }, 60_000);

  it('a sequence whose first stage passed before a restart completes after it (default cadence, no shutdown call)', async () => {
    const rules = path.join(work, 'sequence-rules');
    mkdirSync(rules, { recursive: true });
    writeFileSync(path.join(rules, 'sequence.toml'), SEQUENCE_RULE);
    const seqWasm = path.join(work, 'sequence.wasm');
    const seqState = path.join(stateDir, 'sequences.snapshot');
    const built = spawnSync(process.execPath, [path.join(ROOT, 'bin/kql-edge.js'), 'build', '--rules', rules, '-o', seqWasm, '--state-file', seqState], { timeout: 120_000, encoding: 'utf8' });
    expect(built.status, built.stderr).toBe(0);
    const stage = (user: string, action: string, second: number) => JSON.stringify({ '@timestamp': new Date(T0 + second * 1000).toISOString(), event: { action }, user: { name: user }, kubernetes: { audit: { auditID: `${user}-${action}-${second}` } } });
    const first = path.join(work, 'seq-1.ndjson');
    writeFileSync(first, [stage('alice', 'a', 0), stage('bob', 'a', 1), stage('bob', 'b', 2)].join('\n') + '\n');
    const a = await runFluentBit(config('seq-1', first, '', seqWasm), (out) => recordLines(out) >= 3);
    expect(a.records().map((r) => Boolean(r.kql_edge))).toEqual([false, false, true]);
    const second = path.join(work, 'seq-2.ndjson');
    writeFileSync(second, [stage('bob', 'b', 20), stage('alice', 'b', 30)].join('\n') + '\n');
    const b = await runFluentBit(config('seq-2', second, '', seqWasm), (out) => recordLines(out) >= 2);
    const alerts = b.records().map((r) => (r.kql_edge as { alerts: { sequence: { auditID: string }[] }[] } | undefined)?.alerts[0]!.sequence.map((x) => x.auditID) ?? null);
    // bob's sequence completed before the restart and does not alert again; alice's completes.
    expect(alerts).toEqual([null, ['alice-a-0', 'alice-b-30']]);
    expect(b.stderr).toMatch(/kql-edge: new-terms snapshot none found; journal: \d+ entries replayed/);
  }, 60_000);

  it('a STATS window survives a hot reload (SIGHUP): the third event of a user after it alerts with the count of all three', async () => {
    const rules = path.join(work, 'stats-rules');
    mkdirSync(rules, { recursive: true });
    writeFileSync(path.join(rules, 'stats.toml'), STATS_RULE);
    const statsWasm = path.join(work, 'stats.wasm');
    // Windows are saved with snapshots only (not journaled): one after every record makes the test exact.
    const built = spawnSync(process.execPath, [path.join(ROOT, 'bin/kql-edge.js'), 'build', '--rules', rules, '-o', statsWasm, '--state-file', path.join(stateDir, 'windows.snapshot'), '--snapshot-every-records', '1'], { timeout: 120_000, encoding: 'utf8' });
    expect(built.status, built.stderr).toBe(0);
    const hit = (user: string, second: number) => JSON.stringify({ '@timestamp': new Date(T0 + second * 1000).toISOString(), user: { name: user }, kubernetes: { audit: { auditID: `${user}-${second}` } } });
    const input = path.join(work, 'stats-reload.ndjson');
    writeFileSync(input, [hit('alice', 0), hit('bob', 1), hit('alice', 2)].join('\n') + '\n');
    let phase = 0;
    const run = await runFluentBit(config('stats-reload', input, '    Hot_Reload On', statsWasm), (out, err, pid) => {
      if (phase === 0 && recordLines(out) >= 3) {
        process.kill(pid, 'SIGHUP');
        phase = 1;
      } else if (phase === 1 && /successful reload done/.test(err)) {
        appendFileSync(input, [hit('bob', 3), hit('alice', 4)].join('\n') + '\n');
        phase = 2;
      }
      return phase === 2 && recordLines(out) >= 5;
    }, 30_000);
    expect(phase).toBe(2);
    const records = run.records();
    expect(records.length).toBe(5);
    const rows = records.map((r) => (r.kql_edge as { alerts: { esql: Record<string, unknown> }[] } | undefined)?.alerts[0]!.esql ?? null);
    expect(rows).toEqual([null, null, null, null, { n: 3, 'user.name': 'alice' }]);
    expect(run.stderr).not.toMatch(/\[error\]/);
  }, 60_000);

  it('the state folder holds the snapshot and its journal', () => {
    expect(existsSync(path.join(stateDir, 'terms.snapshot.journal'))).toBe(true);
    expect(readFileSync(path.join(stateDir, 'terms.snapshot.journal')).subarray(0, 4).toString()).toBe('KQEJ');
  });
});
