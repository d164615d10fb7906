#!/usr/bin/env node
// What the pack's ES|QL rules cost in the real host: Fluent Bit (filter_wasm, WAMR's default
// interpreter) runs the same generated audit events through no filter, the floor module (returns its
// input), the pack without its ES|QL rules, and the whole pack. CPU time (user + system) per run;
// variants rotated within each round, ratios taken inside one round. Then the same rule sets in V8
// (the module alone, Fluent Bit calling sequence in Node).
//
// node dist/bench/esql-cost.js [--records N] [--rounds N]   (needs ../shared; fluent-bit on PATH for the first part)
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadRules } from '../rules/load.js';
import { compileProgram } from '../compiler/index.js';
import { benchRecords } from './records.js';
import { BENCH_DIR, cachedModule, floorModule } from './modules.js';
import { PACK_DIR } from './rules.js';
import { genericFilterModule } from '../build/evaluator.js';
import { FluentBitHost } from '../host/fluent-bit-host.js';

const DIR = path.join(BENCH_DIR, 'esql-cost');

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

function config(wasm: string | undefined, records: string): string {
  return [
    '[SERVICE]', '    Flush 1', '    Grace 0', '    Log_Level error', `    Parsers_File ${path.join(DIR, 'parsers.conf')}`,
    '[INPUT]', '    Name tail', `    Path ${records}`, '    Read_from_Head On', '    Exit_On_Eof On', '    Parser json',
    '    Buffer_Chunk_Size 1M', '    Buffer_Max_Size 4M',
    ...(wasm ? ['[FILTER]', '    Name wasm', '    Match *', `    WASM_Path ${wasm}`, '    Function_Name filter', '    Event_Format json', '    Wasm_Stack_Size 1M'] : []),
    '[OUTPUT]', '    Name null', '    Match *', '',
  ].join('\n');
}

/** CPU seconds (user + system) of one Fluent Bit run, read with the shell's `times`. */
function cpuSeconds(conf: string): number {
  const out = execFileSync('bash', ['-c', `fluent-bit -c '${conf}' >/dev/null 2>&1; times`], { encoding: 'utf8' });
  const child = out.trim().split('\n').at(-1)!.split(/\s+/);
  const secs = (t: string) => {
    const m = /^(\d+)m([\d.]+)s$/.exec(t);
    if (!m) throw new Error(`cannot read times output: ${out}`);
    return Number(m[1]) * 60 + Number(m[2]);
  };
  return secs(child[0]!) + secs(child[1]!);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const spread = (xs: number[], digits: number) => `${median(xs).toFixed(digits)} [${Math.min(...xs).toFixed(digits)}, ${Math.max(...xs).toFixed(digits)}]`;

async function main(): Promise<void> {
  const count = arg('--records', 20000);
  const rounds = arg('--rounds', 5);
  const pack = (await loadRules([PACK_DIR])).rules;
  const noEsql = pack.filter((r) => r.type !== 'esql');
  const sets = { [`pack without ES|QL (${noEsql.length} rules)`]: noEsql, [`pack (${pack.length} rules)`]: pack };
  const records = benchRecords(count);

  // V8: the module alone.
  const module = await genericFilterModule();
  const hostTime = Date.parse('2026-03-01T12:00:00Z');
  const setNames = Object.keys(sets);
  const hosts = Object.fromEntries(await Promise.all(setNames.map(async (n) => [n, await FluentBitHost.create(module, compileProgram(sets[n]!).bytes)] as const)));
  const ms: Record<string, number[]> = Object.fromEntries(setNames.map((n) => [n, []]));
  for (let round = 0; round < rounds + 1; round++) {
    for (let i = 0; i < setNames.length; i++) {
      const n = setNames[(i + round) % setNames.length]!;
      const t0 = process.hrtime.bigint();
      for (const b of records.buffers) hosts[n]!.filter(b, hostTime);
      if (round > 0) ms[n]!.push(Number(process.hrtime.bigint() - t0) / 1e6); // round 0 warms up
    }
  }
  process.stdout.write(`V8, module alone, ${count} records, ${rounds} rounds after a warm-up, ms per pass, median [min, max]:\n${setNames.map((n) => `  ${n.padEnd(34)} ${spread(ms[n]!, 0)}`).join('\n')}\n`);

  if (spawnSync('fluent-bit', ['--version']).status !== 0) {
    process.stdout.write('esql-cost: Fluent Bit part skipped: fluent-bit is not on PATH\n');
    return;
  }
  mkdirSync(DIR, { recursive: true });
  writeFileSync(path.join(DIR, 'parsers.conf'), '[PARSER]\n    Name json\n    Format json\n');
  const recordsFile = path.join(DIR, 'records.ndjson');
  writeFileSync(recordsFile, records.texts.join('\n') + '\n');
  const wasmFiles: Record<string, string | undefined> = { 'no filter': undefined, floor: (await floorModule()).path };
  for (const [i, n] of setNames.entries()) wasmFiles[n] = (await cachedModule(`esql-cost-${i}`, { entry: 'filter', program: compileProgram(sets[n]!).bytes })).path;
  const names = Object.keys(wasmFiles);
  const confs = Object.fromEntries(names.map((n, i) => {
    const file = path.join(DIR, `v${i}.conf`);
    writeFileSync(file, config(wasmFiles[n], recordsFile));
    return [n, file];
  }));
  const times: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  const added: number[] = [];
  const packOverFloor: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const t: Record<string, number> = {};
    for (const n of names.map((_, i) => names[(i + round) % names.length]!)) t[n] = cpuSeconds(confs[n]!);
    for (const n of names) times[n]!.push(t[n]!);
    const floorOwn = t['floor']! - t['no filter']!;
    added.push((t[setNames[1]!]! - t[setNames[0]!]!) / floorOwn);
    packOverFloor.push((t[setNames[1]!]! - t['no filter']!) / floorOwn);
    process.stderr.write(`esql-cost: round ${round + 1}/${rounds}: ${names.map((n) => `${n} ${t[n]!.toFixed(3)} s`).join(', ')}\n`);
  }
  process.stdout.write([
    `${execFileSync('fluent-bit', ['--version'], { encoding: 'utf8' }).split('\n')[0]}, filter_wasm (WAMR interpreter), ${count} records of mean ${Math.round(records.meanBytes)} B, ${rounds} rounds, CPU seconds (user+system), median [min, max]:`,
    ...names.map((n) => `  ${n.padEnd(34)} ${spread(times[n]!, 3)}`),
    `  ES|QL rules' added cost / floor's own cost (floor = floor run - no-filter run): ${spread(added, 3)}`,
    `  whole pack's cost / floor's own cost (both minus the no-filter run): ${spread(packOverFloor, 2)} (goal <= 2)`,
  ].join('\n') + '\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`esql-cost: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
