// In a real Fluent Bit, every record comes out and each one equals what `kql-edge run` prints for the same
// line (compared parsed: Fluent Bit re-serialises records), for the seed rule and the Kubernetes pack, on
// the bundled sample, generated events and non-ASCII events, with json.escape_unicode on and off.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT, PACK, SEED_ID, hasShared, rawEvent } from '../helpers/evaluator.js';
import { generateEvents } from '../../src/bench/generator.js';
import {
  buildModule, configAroundPrinted, errorLines, fluentBitSkip, hasFluentBit, kqlEdgeRun, readRecords, runFluentBit, splitLines, workDir, removeWorkDirs,
} from './runner.js';

afterAll(removeWorkDirs);

const GENERATED = 20_000;

/** The sample, generated events a month later, and matching and non-matching events with non-ASCII text. */
function inputLines(): string[] {
  const lines = splitLines(readFileSync(path.join(ROOT, 'samples/audit.ndjson')));
  lines.push(...generateEvents({ seed: 7_1805, count: GENERATED, startTime: Date.UTC(2024, 5, 20) }));
  const agents = ['curl/é-1', 'агент/2', 'büro 😀 3', 'tab\there', 'quote"and\\slash/', 'ctl\u0001x'];
  agents.forEach((agent, i) => {
    for (const decision of ['forbid', 'allow']) {
      lines.push(JSON.stringify(rawEvent({
        auditID: `u-${i}-${decision}`,
        userAgent: agent,
        annotations: { 'authorization.k8s.io/decision': decision, note: `naïve ${i}` },
        stageTimestamp: new Date(Date.UTC(2024, 6, 1, 0, i)).toISOString(),
      })));
    }
  });
  return lines;
}

/** Index and both sides of the first record that differs, or undefined when all agree. */
function firstDifference(actual: unknown[], expected: string[]): { index: number; fluentBit: string; kqlEdgeRun: string } | undefined {
  const n = Math.max(actual.length, expected.length);
  for (let i = 0; i < n; i++) {
    const a = i < actual.length ? JSON.stringify(actual[i]) : '(missing)';
    const e = i < expected.length ? JSON.stringify(JSON.parse(expected[i])) : '(missing)';
    if (a !== e) return { index: i, fluentBit: a.slice(0, 600), kqlEdgeRun: e.slice(0, 600) };
  }
  return undefined;
}

describe.skipIf(!hasFluentBit)(`real Fluent Bit: verdicts identical to kql-edge run${fluentBitSkip}`, () => {
  const dir = workDir('verdicts');
  const input = path.join(dir, 'input.ndjson');

  beforeAll(() => {
    writeFileSync(input, inputLines().join('\n') + '\n');
  });

  const suites: { name: string; rules: string[]; needsShared: boolean }[] = [
    { name: 'seed rule', rules: [], needsShared: false },
    { name: 'Kubernetes pack', rules: ['--rules', PACK], needsShared: true },
  ];
  for (const suite of suites) {
    const skip = suite.needsShared && !hasShared;
    describe.skipIf(skip)(`${suite.name}${skip ? ' (skipped: ../shared/rules not found)' : ''}`, () => {
      let wasm: string;
      let expected: string[];
      beforeAll(async () => {
        const name = suite.needsShared ? 'pack' : 'seed';
        wasm = await buildModule(dir, name, suite.rules);
        expected = await kqlEdgeRun(input, suite.rules);
      }, 120_000);

      for (const escapeUnicode of ['On', 'Off']) {
        it(`json.escape_unicode ${escapeUnicode}: every record out, each equal to kql-edge run's`, async () => {
          const tag = `${suite.needsShared ? 'pack' : 'seed'}-esc${escapeUnicode}`;
          const out = path.join(dir, `${tag}.ndjson`);
          const config = await configAroundPrinted({
            dir,
            wasm,
            format: 'classic',
            input: { path: input, parser: 'json' },
            outputs: { 'kube.audit*': out },
            service: { 'json.escape_unicode': escapeUnicode },
          });
          const run = await runFluentBit({ dir, config, name: tag, expect: { [out]: expected.length }, timeoutMs: 90_000 });
          expect(run.exitedEarly, run.stderr).toBe(false);
          expect(errorLines(run.stdout + run.stderr)).toEqual([]);
          const records = readRecords(out);
          expect(records.length).toBe(expected.length);
          expect(firstDifference(records, expected)).toBeUndefined();
          const tagged = records.filter((r) => r.kql_edge !== undefined).length;
          expect(tagged).toBeGreaterThan(5);
          // The non-ASCII events: the seed rule alerts on the denied ones (new user agents), not on the allowed ones.
          const unicode = records.filter((r) => String(r.auditID).startsWith('u-'));
          expect(unicode.length).toBe(12);
          for (const r of unicode) {
            const ids = ((r.kql_edge as { alerts?: { rule_id: string }[] } | undefined)?.alerts ?? []).map((a) => a.rule_id);
            expect(ids.includes(SEED_ID), String(r.auditID)).toBe(String(r.auditID).endsWith('forbid'));
          }
        }, 150_000);
      }
    });
  }
});
