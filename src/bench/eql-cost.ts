#!/usr/bin/env node
// What the pack's EQL rules cost in the real host: Fluent Bit (filter_wasm, WAMR's default
// interpreter) runs the same generated audit events through the floor module (returns its input),
// the pack without its EQL rules, and the whole pack, plus a pipeline without the filter. CPU time
// (user + system) of each Fluent Bit run is measured; variants are rotated within each round and
// every ratio is taken inside one round. The target: the EQL rules add at most 0.1x the
// floor's own cost (floor = floor run minus the pipeline without a filter).
//
// Adding rules changes which records the literal prefilter lets through and the order rules are tried
// in (weakest prefilter first), so "pack minus pack without EQL" mixes the EQL rules' own evaluation
// with prefilter effects. A third program isolates them: the whole pack with each EQL rule's
// condition replaced by `false` (same prefilter literals and order, same fields extracted, nothing
// of EQL evaluated, no sequence state). The EQL rules' own cost is the whole pack minus that program.
//
// Then the same in V8 (the module alone, through the Fluent Bit calling sequence in Node), with the
// event rules and the sequence rule added separately, to see which of them moves the cost.
//
// node dist/bench/eql-cost.js [--records N] [--rounds N]   (needs ../shared; fluent-bit on PATH for the first part)
import path from 'node:path';
import { loadRules } from '../rules/load.js';
import { compileProgram, compileRules, serializeProgram } from '../compiler/index.js';
import { ExprOp } from '../compiler/format.js';
import { loadFieldTable } from '../fields/table.js';
import type { Rule } from '../rules/types.js';
import { benchRecords } from './records.js';
import { BENCH_DIR, cachedModule, floorModule } from './modules.js';
import { PACK_DIR } from './rules.js';
import { fluentBitAvailable, fluentBitRounds, fluentBitVersion, median, numberArg, v8PassMs, writeFluentBitInputs } from './host-cost.js';

const DIR = path.join(BENCH_DIR, 'eql-cost');

/** The rules' program with the EQL rules' conditions replaced by `false`: their prefilter stays, their evaluation goes. */
function eqlAsPrefilterOnly(rules: Rule[]): Uint8Array {
  const eql = new Set(rules.filter((r) => r.type === 'eql').map((r) => r.ruleId));
  const ir = compileRules(rules, loadFieldTable());
  ir.rules = ir.rules.map((r) => (eql.has(r.ruleId) ? { ...r, expr: { op: ExprOp.False }, sequence: undefined } : r));
  return serializeProgram(ir);
}

async function main(): Promise<void> {
  const count = numberArg('--records', 20000);
  const rounds = numberArg('--rounds', 5);
  const loadedPack = await loadRules([PACK_DIR]);
  const noEql = loadedPack.rules.filter((r) => r.type !== 'eql');
  const sequenceRules = loadedPack.rules.filter((r) => r.type === 'eql' && r.query.trimStart().startsWith('sequence'));
  const eventRules = loadedPack.rules.filter((r) => r.type === 'eql' && !sequenceRules.includes(r));
  const ms = await v8PassMs(
    {
      [`pack without EQL (${noEql.length} rules)`]: noEql,
      [`+ the ${eventRules.length} EQL event rules`]: [...noEql, ...eventRules],
      [`+ the ${sequenceRules.length} EQL sequence rule(s)`]: [...noEql, ...sequenceRules],
      [`pack, EQL conditions false`]: eqlAsPrefilterOnly(loadedPack.rules),
      [`pack (${loadedPack.rules.length} rules)`]: loadedPack.rules,
    },
    benchRecords(count).buffers,
    rounds,
  );
  const v8 = Object.keys(ms).map((n) => `  ${n.padEnd(34)} ${median(ms[n]!).toFixed(0)} ms [${Math.min(...ms[n]!).toFixed(0)}, ${Math.max(...ms[n]!).toFixed(0)}]`);
  process.stdout.write(`V8, module alone (Fluent Bit calling sequence in Node), ${count} records, ${rounds} rounds after a warm-up, ms per pass, median [min, max]:\n${v8.join('\n')}\n`);
  if (!fluentBitAvailable()) {
    process.stdout.write('eql-cost: Fluent Bit part skipped: fluent-bit is not on PATH\n');
    return;
  }
  const records = benchRecords(count);
  const recordsFile = writeFluentBitInputs(DIR, records.texts);

  const loaded = loadedPack;
  const withoutEql = noEql;
  const noEqlName = `pack without EQL (${withoutEql.length} rules)`;
  const placeholderName = 'pack, EQL conditions false';
  const packName = `pack (${loaded.rules.length} rules)`;
  const programs = { [noEqlName]: compileProgram(withoutEql).bytes, [placeholderName]: eqlAsPrefilterOnly(loaded.rules), [packName]: compileProgram(loaded.rules).bytes };
  const cacheNames: Record<string, string> = { [noEqlName]: 'pack-no-eql', [placeholderName]: 'pack-eql-false', [packName]: 'pack' };
  const wasmFiles: Record<string, string | undefined> = { 'no filter': undefined };
  const floor = await floorModule();
  wasmFiles['floor'] = floor.path;
  for (const [name, program] of Object.entries(programs)) {
    const m = await cachedModule(`eql-cost-${cacheNames[name]}`, { entry: 'filter', program });
    wasmFiles[name] = m.path;
  }
  const names = Object.keys(wasmFiles);
  const perRound = fluentBitRounds('eql-cost', DIR, wasmFiles, recordsFile, rounds);
  const times = Object.fromEntries(names.map((n) => [n, perRound.map((t) => t[n]!)]));
  const perFloor = (from: string, to: string) => perRound.map((t) => (t[to]! - t[from]!) / (t['floor']! - t['no filter']!));
  const ratio = (xs: number[]) => `median ${median(xs).toFixed(3)} [${Math.min(...xs).toFixed(3)}, ${Math.max(...xs).toFixed(3)}]`;
  const lines = [
    `${fluentBitVersion()}, filter_wasm (WAMR interpreter), ${count} records of mean ${Math.round(records.meanBytes)} B, ${rounds} rounds, CPU seconds (user+system), median [min, max]:`,
    ...names.map((n) => `  ${n.padEnd(34)} ${median(times[n]!).toFixed(3)} [${Math.min(...times[n]!).toFixed(3)}, ${Math.max(...times[n]!).toFixed(3)}]`),
    `Per round, over the floor's own cost (floor run - no-filter run):`,
    `  EQL rules' own evaluation (pack - pack with EQL conditions false): ${ratio(perFloor(placeholderName, packName))} (target <= 0.1)`,
    `  their prefilter literals and fields (pack with EQL conditions false - pack without EQL): ${ratio(perFloor(noEqlName, placeholderName))}`,
    `  together (pack - pack without EQL): ${ratio(perFloor(noEqlName, packName))}`,
  ];
  process.stdout.write(lines.join('\n') + '\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`eql-cost: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
