// A number above the largest double as Fluent Bit writes it for the filter: `1.7976931348623157e308` in a
// record reaches the filter as `1.797693134862316e+308`, which Fluent Bit's own parser then rejects in
// whatever the filter returns ("invalid JSON format"), followed by a double free that kills Fluent Bit
// and loses the whole chunk. kql-edge must hand back JSON the host accepts, so this record and its
// neighbours all come out.
import { describe, it, expect, afterAll } from 'vitest';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { rawEvent } from '../helpers/evaluator.js';
import { buildModule, configAroundPrinted, errorLines, fluentBitSkip, hasFluentBit, readRecords, runFluentBit, workDir, removeWorkDirs } from './runner.js';

afterAll(removeWorkDirs);

describe.skipIf(!hasFluentBit)(`real Fluent Bit: numbers Fluent Bit cannot re-read${fluentBitSkip}`, () => {
  it('records with the largest doubles and their neighbours in the same chunk all come out', async () => {
    const dir = workDir('big-number');
    const input = path.join(dir, 'input.ndjson');
    const lines = [
      JSON.stringify(rawEvent({ auditID: 'before', annotations: { 'authorization.k8s.io/decision': 'allow' } })),
      '{"auditID":"max","n":1.7976931348623157e308}',
      '{"auditID":"min","n":-1.7976931348623157e308,"m":[1.7976931348623157e308]}',
      JSON.stringify(rawEvent({ auditID: 'tagged-big', userAgent: 'big-number/1' })).replace('"verb"', '"n":1.7976931348623157e308,"verb"'),
      JSON.stringify(rawEvent({ auditID: 'after', annotations: { 'authorization.k8s.io/decision': 'allow' } })),
    ];
    writeFileSync(input, lines.join('\n') + '\n');
    const wasm = await buildModule(dir, 'seed');
    const out = path.join(dir, 'out.ndjson');
    const config = await configAroundPrinted({ dir, wasm, format: 'classic', input: { path: input, parser: 'json' }, outputs: { 'kube.audit*': out } });
    const run = await runFluentBit({ dir, config, expect: { [out]: lines.length }, timeoutMs: 30_000 });
    expect(run.exitedEarly, `Fluent Bit stopped by itself (${run.code}/${run.signal}):\n${run.stderr.slice(-2000)}`).toBe(false);
    expect(errorLines(run.stdout + run.stderr)).toEqual([]);
    const records = readRecords(out);
    expect(records.map((r) => r.auditID)).toEqual(['before', 'max', 'min', 'tagged-big', 'after']);
    // The module hands the value back as the largest finite double; Fluent Bit's out_file then prints
    // that double with 16 digits (1.797693134862316e+308), which rounds above it: JSON.parse reads
    // Infinity. Either way the value is the extreme one, with its sign.
    const extreme = (v: unknown) => typeof v === 'number' && Math.abs(v) >= Number.MAX_VALUE;
    expect(extreme(records[1].n)).toBe(true);
    expect(extreme(records[2].n) && (records[2].n as number) < 0).toBe(true);
    expect(extreme((records[2].m as unknown[])[0])).toBe(true);
    expect(records[3].kql_edge).toBeDefined();
    expect(extreme(records[3].n)).toBe(true);
  }, 90_000);
});
