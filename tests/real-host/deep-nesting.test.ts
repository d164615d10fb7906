// Records nested deeper than 1,000 levels in a part no rule reads are evaluated like any other. Fluent
// Bit's own json parser turns lines nested deeper than ~60 into {"log": "<line>"} and crashes at
// 100,000 levels, so the deep events travel as the `log` string of a tail input without a parser;
// the module evaluates the audit event inside `log`.
import { describe, it, expect, afterAll } from 'vitest';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { rawEvent } from '../helpers/evaluator.js';
import { buildModule, configAroundPrinted, errorLines, fluentBitSkip, hasFluentBit, readRecords, runFluentBit, workDir, removeWorkDirs } from './runner.js';

afterAll(removeWorkDirs);

function deepEvent(agent: string, depth: number, open: string, close: string): string {
  return JSON.stringify(rawEvent({ auditID: agent, userAgent: agent, requestObject: 'DEEP' })).replace('"DEEP"', open.repeat(depth) + '1' + close.repeat(depth));
}

describe.skipIf(!hasFluentBit)(`real Fluent Bit: deep records are evaluated${fluentBitSkip}`, () => {
  it('events nested 1,000 and 100,000 deep in an unread member are tagged like shallow ones', async () => {
    const dir = workDir('deep');
    const input = path.join(dir, 'raw.log');
    const lines = [
      deepEvent('deep-objects-1000', 1000, '{"a":', '}'),
      deepEvent('deep-arrays-1000', 1000, '[', ']'),
      deepEvent('deep-objects-100000', 100_000, '{"a":', '}'),
      deepEvent('deep-arrays-100000', 100_000, '[', ']'),
      deepEvent('shallow', 3, '[', ']'),
    ];
    writeFileSync(input, lines.join('\n') + '\n');
    const wasm = await buildModule(dir, 'seed');
    const out = path.join(dir, 'out.ndjson');
    const config = await configAroundPrinted({ dir, wasm, format: 'classic', input: { path: input, bufferMax: '4M' }, outputs: { 'kube.audit*': out } });
    const run = await runFluentBit({ dir, config, expect: { [out]: lines.length }, timeoutMs: 60_000 });
    expect(run.exitedEarly, run.stderr.slice(-2000)).toBe(false);
    expect(errorLines(run.stdout + run.stderr)).toEqual([]);
    const records = readRecords(out);
    expect(records.length).toBe(lines.length);
    const tagged = records.filter((r) => r.kql_edge !== undefined).map((r) => JSON.parse(String(r.log)).auditID);
    expect(tagged).toEqual(['deep-objects-1000', 'deep-arrays-1000', 'deep-objects-100000', 'deep-arrays-100000', 'shallow']);
  }, 120_000);
});
