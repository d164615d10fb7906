#!/usr/bin/env node
// What the pack's EQL rules cost in the real host: Fluent Bit (filter_wasm, WAMR's default
// interpreter) runs the same generated audit events through the floor module (returns its input),
// the pack without its EQL rules, and the whole pack, plus a pipeline without the filter. CPU time
// (user + system) of each Fluent Bit run is measured; variants are rotated within each round and
// every ratio is taken inside one round. The issue's target: the EQL rules add at most 0.1x the
// floor's own cost (floor = floor run minus the pipeline without a filter).
//
// Then the same in V8 (the module alone, through the Fluent Bit calling sequence in Node), with the
// event rules and the sequence rule added separately, to see which of them moves the cost.
//
// node dist/bench/eql-cost.js [--records N] [--rounds N]   (needs ../shared; fluent-bit on PATH for the first part)
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
import type { Rule } from '../rules/types.js';

const DIR = path.join(BENCH_DIR, 'eql-cost');

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

/** ms per pass over the records, per rule set, rounds rotated (V8, module alone). */
async function v8Costs(sets: Record<string, Rule[]>, buffers: Buffer[], rounds: number): Promise<string[]> {
  const module = await genericFilterModule();
  const names = Object.keys(sets);
  const hosts = Object.fromEntries(await Promise.all(names.map(async (n) => [n, await FluentBitHost.create(module, compileProgram(sets[n]!).bytes)] as const)));
  const ms: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  const hostTime = Date.parse('2026-03-01T12:00:00Z');
  for (let round = 0; round < rounds + 1; round++) {
    for (let i = 0; i < names.length; i++) {
      const n = names[(i + round) % names.length]!;
      const t0 = process.hrtime.bigint();
      for (const b of buffers) hosts[n]!.filter(b, hostTime);
      // The first round warms up (and fills the New Terms state): not counted.
      if (round > 0) ms[n]!.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
  }
  return names.map((n) => `  ${n.padEnd(34)} ${median(ms[n]!).toFixed(0)} ms [${Math.min(...ms[n]!).toFixed(0)}, ${Math.max(...ms[n]!).toFixed(0)}]`);
}

async function main(): Promise<void> {
  const count = arg('--records', 20000);
  const rounds = arg('--rounds', 5);
  const loadedPack = await loadRules([PACK_DIR]);
  const noEql = loadedPack.rules.filter((r) => r.type !== 'eql');
  const sequenceRules = loadedPack.rules.filter((r) => r.type === 'eql' && r.query.trimStart().startsWith('sequence'));
  const eventRules = loadedPack.rules.filter((r) => r.type === 'eql' && !sequenceRules.includes(r));
  const v8 = await v8Costs(
    {
      [`pack without EQL (${noEql.length} rules)`]: noEql,
      [`+ the ${eventRules.length} EQL event rules`]: [...noEql, ...eventRules],
      [`+ the ${sequenceRules.length} EQL sequence rule(s)`]: [...noEql, ...sequenceRules],
      [`pack (${loadedPack.rules.length} rules)`]: loadedPack.rules,
    },
    benchRecords(count).buffers,
    rounds,
  );
  process.stdout.write(`V8, module alone (Fluent Bit calling sequence in Node), ${count} records, ${rounds} rounds after a warm-up, ms per pass, median [min, max]:\n${v8.join('\n')}\n`);
  if (spawnSync('fluent-bit', ['--version']).status !== 0) {
    process.stdout.write('eql-cost: Fluent Bit part skipped: fluent-bit is not on PATH\n');
    return;
  }
  mkdirSync(DIR, { recursive: true });
  writeFileSync(path.join(DIR, 'parsers.conf'), '[PARSER]\n    Name json\n    Format json\n');
  const recordsFile = path.join(DIR, 'records.ndjson');
  const records = benchRecords(count);
  writeFileSync(recordsFile, records.texts.join('\n') + '\n');

  const loaded = loadedPack;
  const withoutEql = noEql;
  const programs = { [`pack without EQL (${withoutEql.length} rules)`]: compileProgram(withoutEql).bytes, [`pack (${loaded.rules.length} rules)`]: compileProgram(loaded.rules).bytes };
  const wasmFiles: Record<string, string | undefined> = { 'no filter': undefined };
  const floor = await floorModule();
  wasmFiles['floor'] = floor.path;
  for (const [name, program] of Object.entries(programs)) {
    const m = await cachedModule(`eql-cost-${name.startsWith('pack (') ? 'pack' : 'pack-no-eql'}`, { entry: 'filter', program });
    wasmFiles[name] = m.path;
  }
  const names = Object.keys(wasmFiles);
  const confs = Object.fromEntries(names.map((n, i) => {
    const file = path.join(DIR, `v${i}.conf`);
    writeFileSync(file, config(wasmFiles[n], recordsFile));
    return [n, file];
  }));
  const times: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  const ratios: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const order = names.map((_, i) => names[(i + round) % names.length]!);
    const t: Record<string, number> = {};
    for (const n of order) t[n] = cpuSeconds(confs[n]!);
    for (const n of names) times[n]!.push(t[n]!);
    const [, , noEql, pack] = names;
    ratios.push((t[pack!]! - t[noEql!]!) / (t['floor']! - t['no filter']!));
    process.stderr.write(`eql-cost: round ${round + 1}/${rounds}: ${names.map((n) => `${n} ${t[n]!.toFixed(3)} s`).join(', ')}\n`);
  }
  const lines = [
    `${execFileSync('fluent-bit', ['--version'], { encoding: 'utf8' }).split('\n')[0]}, filter_wasm (WAMR interpreter), ${count} records of mean ${Math.round(records.meanBytes)} B, ${rounds} rounds, CPU seconds (user+system), median [min, max]:`,
    ...names.map((n) => `  ${n.padEnd(34)} ${median(times[n]!).toFixed(3)} [${Math.min(...times[n]!).toFixed(3)}, ${Math.max(...times[n]!).toFixed(3)}]`),
    `  EQL rules' added cost / floor's own cost (per round, floor = floor run - no-filter run): median ${median(ratios).toFixed(3)} [${Math.min(...ratios).toFixed(3)}, ${Math.max(...ratios).toFixed(3)}] (target <= 0.1)`,
  ];
  process.stdout.write(lines.join('\n') + '\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`eql-cost: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
