// The filter sections `kql-edge fluent-bit-config` prints, run verbatim inside a real Fluent Bit (classic
// and YAML), wrapped in this test's own tail input and file outputs: every record comes out, the tagged
// ones are those `kql-edge run` tags, and the printed rewrite_tag route delivers exactly them to the
// alert tag.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import path from 'node:path';
import { ROOT } from '../helpers/evaluator.js';
import {
  buildModule, configAroundPrinted, errorLines, fluentBitSkip, hasFluentBit, kqlEdgeRun, readRecords, runFluentBit, workDir, removeWorkDirs,
} from './runner.js';

afterAll(removeWorkDirs);

const SAMPLE = path.join(ROOT, 'samples/audit.ndjson');

describe.skipIf(!hasFluentBit)(`real Fluent Bit: the printed filter config${fluentBitSkip}`, () => {
  const dir = workDir('printed');
  let wasm: string;
  let expectedTagged: unknown[];

  beforeAll(async () => {
    wasm = await buildModule(dir, 'seed');
    const ran = await kqlEdgeRun(SAMPLE);
    expectedTagged = ran.map((l) => JSON.parse(l)).filter((r) => r.kql_edge !== undefined);
    expect(ran.length).toBe(400);
    expect(expectedTagged.length).toBeGreaterThan(0);
  }, 60_000);

  for (const format of ['classic', 'yaml'] as const) {
    it(`${format}: every record out, the tagged ones routed to kql_edge.alerts`, async () => {
      const out = path.join(dir, `${format}-all.ndjson`);
      const alerts = path.join(dir, `${format}-alerts.ndjson`);
      const config = await configAroundPrinted({
        dir,
        wasm,
        format,
        input: { path: SAMPLE, parser: 'json' },
        outputs: { 'kube.audit*': out, 'kql_edge.alerts': alerts },
      });
      expect(config).toContain(`$event['kind'] ^alert$ kql_edge.alerts true`);
      const run = await runFluentBit({ dir, config, format, name: format, expect: { [out]: 400, [alerts]: expectedTagged.length }, timeoutMs: 40_000 });
      expect(run.exitedEarly, run.stderr + run.stdout).toBe(false);
      expect(errorLines(run.stdout + run.stderr)).toEqual([]);
      const all = readRecords(out);
      expect(all.length).toBe(400);
      const tagged = all.filter((r) => r.kql_edge !== undefined);
      expect(tagged).toEqual(expectedTagged);
      // The alert route: exactly the tagged records, in order, under the second tag.
      expect(readRecords(alerts)).toEqual(tagged);
    }, 60_000);
  }
});
