// The pack's per-event ES|QL rules in the real Fluent Bit (5.1.1, filter_wasm, WAMR interpreter):
// the module built from the whole pack tags the ES|QL fixtures' events that must alert, with the
// `esql` columns the reference computes, and no others. Skipped, by name, without `fluent-bit` on
// PATH or without ../shared. Fluent Bit is stopped once every record is out, or after 30 s.
import { describe, it, expect, beforeAll } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT, hasShared, PACK } from '../helpers/evaluator.js';
import { loadRules } from '../../src/rules/load.js';
import { parseEsql } from '../../src/esql/parser.js';
import { esqlStream, esqlEvents } from '../../src/reference/esql.js';
import { loadFieldTable } from '../../src/fields/table.js';

const hasFluentBit = spawnSync('fluent-bit', ['--version'], { timeout: 10_000 }).status === 0;
const runnable = hasFluentBit && hasShared;
const NAME = runnable ? 'ES|QL rules in the real Fluent Bit' : `ES|QL rules in the real Fluent Bit (skipped: ${hasFluentBit ? '../shared is absent' : 'fluent-bit is not on PATH'})`;

interface Fixture {
  rule_file: string;
  rule_id: string;
  match: { event: Record<string, unknown> }[];
  no_match: { event: Record<string, unknown> }[];
}

let work: string;
let wasm: string;
beforeAll(() => {
  if (!runnable) return;
  work = mkdtempSync(path.join(tmpdir(), 'kqe-fb-esql-'));
  wasm = path.join(work, 'filter.wasm');
  const built = spawnSync(process.execPath, [path.join(ROOT, 'bin/kql-edge.js'), 'build', '--rules', PACK, '-o', wasm], { timeout: 180_000, encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`kql-edge build failed: ${built.stderr}`);
  writeFileSync(path.join(work, 'parsers.conf'), '[PARSER]\n    Name json\n    Format json\n');
}, 240_000);

function runFluentBit(input: string, expected: number): Promise<Record<string, unknown>[]> {
  const conf = path.join(work, 'esql.conf');
  writeFileSync(conf, `[SERVICE]\n    Flush 0.2\n    Grace 1\n    Log_Level warn\n    Parsers_File ${path.join(work, 'parsers.conf')}\n[INPUT]\n    Name tail\n    Path ${input}\n    Read_From_Head On\n    Parser json\n[FILTER]\n    Name wasm\n    Match *\n    WASM_Path ${wasm}\n    Function_Name filter\n    Wasm_Stack_Size 1M\n[OUTPUT]\n    Name stdout\n    Match *\n    Format json_lines\n`);
  return new Promise((resolve) => {
    const child = spawn('fluent-bit', ['-c', conf], { stdio: ['ignore', 'pipe', 'ignore'] });
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    const lines = () => stdout.split('\n').filter((l) => l.startsWith('{'));
    const started = Date.now();
    const timer = setInterval(() => {
      if (lines().length >= expected || Date.now() - started > 30_000) {
        clearInterval(timer);
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 8_000).unref();
      }
    }, 100);
    child.on('exit', () => {
      clearInterval(timer);
      resolve(lines().map((l) => JSON.parse(l) as Record<string, unknown>));
    });
  });
}

(runnable ? describe : describe.skip)(NAME, () => {
  it('tags exactly the events that must alert, with the reference\'s esql columns', async () => {
    const fields = loadFieldTable();
    const pack = new Map((await loadRules([PACK])).rules.map((r) => [r.ruleId, r]));
    const dir = path.join(ROOT, 'tests/fixtures/pack');
    const fixtures = readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .map((f) => JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as Fixture)
      .filter((f) => pack.get(f.rule_id)?.type === 'esql');
    expect(fixtures).toHaveLength(6);
    const cases = fixtures.flatMap((f) => [...f.match.map((c) => ({ f, event: c.event, alert: true })), ...f.no_match.map((c) => ({ f, event: c.event, alert: false }))]);
    const input = path.join(work, 'events.ndjson');
    writeFileSync(input, cases.map((c) => JSON.stringify(c.event)).join('\n') + '\n');
    const out = await runFluentBit(input, cases.length);
    expect(out).toHaveLength(cases.length);
    const byId = new Map(out.map((r) => [r.auditID as string, r]));
    for (const c of cases) {
      const record = byId.get(c.event.auditID as string)!;
      const alerts = ((record.kql_edge as { alerts?: { rule_id: string; esql?: Record<string, unknown> }[] } | undefined)?.alerts ?? []).filter((a) => a.rule_id === c.f.rule_id);
      expect([c.event.auditID, alerts.length]).toEqual([c.event.auditID, c.alert ? 1 : 0]);
      if (!c.alert) continue;
      const rule = pack.get(c.f.rule_id)!;
      const [row] = esqlStream(parseEsql(rule.query), esqlEvents([c.event], { hostTimeMs: 0 }), { fields, lookbackMs: 0 })[0];
      expect(alerts[0].esql ?? {}).toEqual(row);
    }
  }, 120_000);
});
