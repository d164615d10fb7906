// A module built with --output-mode alerts-only in a real Fluent Bit: exactly the records `kql-edge run`
// tags come out (the module drops the others by returning an empty string), each equal to its tagged form.
import { describe, it, expect, afterAll } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../helpers/evaluator.js';
import { generateEvents } from '../../src/bench/generator.js';
import { buildModule, configAroundPrinted, errorLines, fluentBitSkip, hasFluentBit, kqlEdgeRun, readRecords, runFluentBit, workDir, removeWorkDirs } from './runner.js';

afterAll(removeWorkDirs);

describe.skipIf(!hasFluentBit)(`real Fluent Bit: --output-mode alerts-only${fluentBitSkip}`, () => {
  it('exactly the tagged records come out', async () => {
    const dir = workDir('alerts-only');
    const input = path.join(dir, 'input.ndjson');
    writeFileSync(input, readFileSync(path.join(ROOT, 'samples/audit.ndjson'), 'utf8') + generateEvents({ seed: 31, count: 5_000, startTime: Date.UTC(2024, 6, 1) }).join('\n') + '\n');
    const tagged = (await kqlEdgeRun(input)).map((l) => JSON.parse(l)).filter((r) => r.kql_edge !== undefined);
    expect(tagged.length).toBeGreaterThan(5);
    const wasm = await buildModule(dir, 'alerts-only', ['--output-mode', 'alerts-only']);
    const out = path.join(dir, 'out.ndjson');
    const config = await configAroundPrinted({ dir, wasm, format: 'classic', input: { path: input, parser: 'json' }, outputs: { 'kube.audit*': out } });
    // Waits for the tagged count, then a little longer for any record that should not be there.
    const run = await runFluentBit({ dir, config, expect: { [out]: tagged.length }, timeoutMs: 40_000, settleMs: 3_000 });
    expect(run.exitedEarly).toBe(false);
    expect(errorLines(run.stdout + run.stderr)).toEqual([]);
    expect(readRecords(out)).toEqual(tagged);
  }, 90_000);
});
