#!/usr/bin/env node
// What the pack's ES|QL rules cost in the real host: Fluent Bit (filter_wasm, WAMR's default
// interpreter) runs the same generated audit events through no filter, the floor module (returns its
// input), the pack without its ES|QL rules, the pack without its STATS rules, and the whole pack. CPU time (user + system) per run;
// variants rotated within each round, ratios taken inside one round. Then the same rule sets in V8
// (the module alone, Fluent Bit calling sequence in Node).
//
// node dist/bench/esql-cost.js [--records N] [--rounds N]   (needs ../shared; fluent-bit on PATH for the first part)
import path from 'node:path';
import { loadRules } from '../rules/load.js';
import { compileProgram } from '../compiler/index.js';
import { benchRecords } from './records.js';
import { BENCH_DIR, cachedModule, floorModule } from './modules.js';
import { PACK_DIR } from './rules.js';
import { fluentBitAvailable, fluentBitRounds, fluentBitVersion, numberArg, spread, v8PassMs, writeFluentBitInputs } from './host-cost.js';

const DIR = path.join(BENCH_DIR, 'esql-cost');

async function main(): Promise<void> {
  const count = numberArg('--records', 20000);
  const rounds = numberArg('--rounds', 5);
  const pack = (await loadRules([PACK_DIR])).rules;
  const noEsql = pack.filter((r) => r.type !== 'esql');
  const noStats = pack.filter((r) => !(r.type === 'esql' && /\|\s*stats\b/i.test(r.query)));
  const sets = { [`pack without ES|QL (${noEsql.length} rules)`]: noEsql, [`pack without STATS (${noStats.length} rules)`]: noStats, [`pack (${pack.length} rules)`]: pack };
  const records = benchRecords(count);

  // V8: the module alone.
  const setNames = Object.keys(sets);
  const ms = await v8PassMs(sets, records.buffers, rounds);
  process.stdout.write(`V8, module alone, ${count} records, ${rounds} rounds after a warm-up, ms per pass, median [min, max]:\n${setNames.map((n) => `  ${n.padEnd(34)} ${spread(ms[n]!, 0)}`).join('\n')}\n`);

  if (!fluentBitAvailable()) {
    process.stdout.write('esql-cost: Fluent Bit part skipped: fluent-bit is not on PATH\n');
    return;
  }
  const recordsFile = writeFluentBitInputs(DIR, records.texts);
  const wasmFiles: Record<string, string | undefined> = { 'no filter': undefined, floor: (await floorModule()).path };
  for (const [i, n] of setNames.entries()) wasmFiles[n] = (await cachedModule(`esql-cost-${i}`, { entry: 'filter', program: compileProgram(sets[n]!).bytes })).path;
  const names = Object.keys(wasmFiles);
  const perRound = fluentBitRounds('esql-cost', DIR, wasmFiles, recordsFile, rounds);
  const times = Object.fromEntries(names.map((n) => [n, perRound.map((t) => t[n]!)]));
  const added: number[] = [];
  const statsAdded: number[] = [];
  const packOverFloor: number[] = [];
  for (const t of perRound) {
    const floorOwn = t['floor']! - t['no filter']!;
    added.push((t[setNames[2]!]! - t[setNames[0]!]!) / floorOwn);
    statsAdded.push((t[setNames[2]!]! - t[setNames[1]!]!) / floorOwn);
    packOverFloor.push((t[setNames[2]!]! - t['no filter']!) / floorOwn);
  }
  process.stdout.write([
    `${fluentBitVersion()}, filter_wasm (WAMR interpreter), ${count} records of mean ${Math.round(records.meanBytes)} B, ${rounds} rounds, CPU seconds (user+system), median [min, max]:`,
    ...names.map((n) => `  ${n.padEnd(34)} ${spread(times[n]!, 3)}`),
    `  ES|QL rules' added cost / floor's own cost (floor = floor run - no-filter run): ${spread(added, 3)}`,
    `  STATS rules' added cost / floor's own cost: ${spread(statsAdded, 3)}`,
    `  whole pack's cost / floor's own cost (both minus the no-filter run): ${spread(packOverFloor, 2)} (goal <= 2)`,
  ].join('\n') + '\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`esql-cost: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
