#!/usr/bin/env node
// What the pack's EQL rules cost in the real host: Fluent Bit (filter_wasm, WAMR's default
// interpreter) runs the same generated audit events through the floor module (returns its input),
// the pack without its EQL rules, and the whole pack, plus a pipeline without the filter. CPU time
// (user + system) of each Fluent Bit run is measured; variants are rotated within each round and
// every ratio is taken inside one round. The issue's target: the EQL rules add at most 0.1x the
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
// Last, the interpreter proxy of the main benchmark (wabt's wasm-interp under callgrind: instructions
// counted, repeatable on a noisy machine) for the same programs on the first --proxy-records events:
// the Fluent Bit spread is about as large as the 0.1x target, the instruction counts are exact.
//
// node dist/bench/eql-cost.js [--records N] [--rounds N] [--proxy-records N]   (needs ../shared; fluent-bit on PATH for the Fluent Bit part)
import path from 'node:path';
import { loadRules } from '../rules/load.js';
import { compileProgram, compileRules, serializeProgram } from '../compiler/index.js';
import { ExprOp } from '../compiler/format.js';
import { loadFieldTable } from '../fields/table.js';
import type { Rule } from '../rules/types.js';
import { benchRecords } from './records.js';
import { BENCH_DIR, cachedModule, floorModule, proxyModule } from './modules.js';
import { interpreterCost, interpreterProxyUnavailableReason } from './interpreter.js';
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
  let host: HostShares | undefined;
  if (!fluentBitAvailable()) process.stdout.write('eql-cost: Fluent Bit part skipped: fluent-bit is not on PATH\n');
  else host = await fluentBitPart(count, rounds, loadedPack.rules, noEql);
  await interpreterPart(numberArg('--proxy-records', 200), loadedPack.rules, noEql, host);
}

/** From the Fluent Bit part: the pack's cost above the floor run, in floors' own costs (medians). */
interface HostShares {
  packOverFloor: number;
}

/** Instructions per record in wabt's interpreter (under callgrind) for the floor and the three programs. */
async function interpreterPart(count: number, pack: Rule[], noEql: Rule[], host: HostShares | undefined): Promise<void> {
  const why = interpreterProxyUnavailableReason();
  if (why) {
    process.stdout.write(`eql-cost: interpreter part skipped: ${why}\n`);
    return;
  }
  const records = benchRecords(count);
  const time = Date.parse('2026-03-01T12:00:00Z');
  const programs = [compileProgram(noEql).bytes, eqlAsPrefilterOnly(pack), compileProgram(pack).bytes];
  const names = [`pack without EQL (${noEql.length} rules)`, 'pack, EQL conditions false', `pack (${pack.length} rules)`];
  const floor = await proxyModule(`eql-cost-floor-${count}`, 'floor', records.buffers, time);
  const evaluator = await proxyModule(`eql-cost-evaluator-${count}`, 'evaluator', records.buffers, time, programs);
  const rows = [await interpreterCost('floor', floor.bytes, records.buffers.length, records.totalBytes, 3)];
  for (let i = 0; i < programs.length; i++) rows.push(await interpreterCost(names[i]!, evaluator.bytes, records.buffers.length, records.totalBytes, 3, { program: i }));
  const per = rows.map((r) => r.instructionsPerRecord);
  const [floorCall, noEqlCost, falseCost, packCost] = per as [number, number, number, number];
  // The proxy's floor is the call alone, not Fluent Bit's per-record work: shares of the pack's own
  // instructions are what carries over; with the Fluent Bit part, they are put in host floors.
  const packOwn = packCost - floorCall;
  const share = (x: number) => `${((100 * x) / packOwn).toFixed(2)}% of the pack's instructions${host ? ` = ${((x / packOwn) * host.packOverFloor).toFixed(3)} of the host floor's own cost` : ''}`;
  const lines = [
    `Interpreter proxy (wabt wasm-interp under callgrind), ${count} of the events, instructions per record (start-up excluded):`,
    ...rows.map((r) => `  ${r.name.padEnd(34)} ${r.instructionsPerRecord.toFixed(0)}`),
    `  EQL rules' own evaluation (pack - pack with EQL conditions false): ${(packCost - falseCost).toFixed(0)}, ${share(packCost - falseCost)}${host ? ' (target <= 0.1)' : ''}`,
    `  their prefilter literals and fields (pack with EQL conditions false - pack without EQL): ${(falseCost - noEqlCost).toFixed(0)}, ${share(falseCost - noEqlCost)}`,
    `  together (pack - pack without EQL): ${(packCost - noEqlCost).toFixed(0)}, ${share(packCost - noEqlCost)}`,
  ];
  process.stdout.write(lines.join('\n') + '\n');
}

/** Fluent Bit runs: no filter, the floor, and the three programs, rotated within each round. */
async function fluentBitPart(count: number, rounds: number, packRules: Rule[], withoutEql: Rule[]): Promise<HostShares> {
  const records = benchRecords(count);
  const recordsFile = writeFluentBitInputs(DIR, records.texts);

  const loaded = { rules: packRules };
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
  return { packOverFloor: median(perFloor('floor', packName)) };
}

main().catch((err: unknown) => {
  process.stderr.write(`eql-cost: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
