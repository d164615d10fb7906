// The runner shared by the per-language cost scripts (eql-cost, esql-cost): the module alone in V8
// (Fluent Bit calling sequence in Node) and real Fluent Bit runs (filter_wasm, WAMR's default
// interpreter) timed as CPU seconds (user + system). Variants are rotated within each round so every
// ratio a script takes comes from one round. Each script chooses its variants and prints its own output.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { compileProgram } from '../compiler/index.js';
import { genericFilterModule } from '../build/evaluator.js';
import { FluentBitHost } from '../host/fluent-bit-host.js';
import type { Rule } from '../rules/types.js';

/** A numeric command-line option (`--records 20000`), or the fallback when absent. */
export function numberArg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
/** `median [min, max]` with the given decimals. */
export const spread = (xs: number[], digits: number) => `${median(xs).toFixed(digits)} [${Math.min(...xs).toFixed(digits)}, ${Math.max(...xs).toFixed(digits)}]`;

/** ms per pass over the records for each rule set (or compiled program), rounds rotated, after one warm-up round (V8, module alone). */
export async function v8PassMs(sets: Record<string, Rule[] | Uint8Array>, buffers: Buffer[], rounds: number): Promise<Record<string, number[]>> {
  const module = await genericFilterModule();
  const names = Object.keys(sets);
  const programOf = (set: Rule[] | Uint8Array) => (set instanceof Uint8Array ? set : compileProgram(set).bytes);
  const hosts = Object.fromEntries(await Promise.all(names.map(async (n) => [n, await FluentBitHost.create(module, programOf(sets[n]!))] as const)));
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
  return ms;
}

export function fluentBitAvailable(): boolean {
  return spawnSync('fluent-bit', ['--version']).status === 0;
}

/** First line of `fluent-bit --version`. */
export function fluentBitVersion(): string {
  return execFileSync('fluent-bit', ['--version'], { encoding: 'utf8' }).split('\n')[0]!;
}

/** Writes the JSON parser and the records (one per line) into `dir`; returns the records file. */
export function writeFluentBitInputs(dir: string, texts: string[]): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'parsers.conf'), '[PARSER]\n    Name json\n    Format json\n');
  const recordsFile = path.join(dir, 'records.ndjson');
  writeFileSync(recordsFile, texts.join('\n') + '\n');
  return recordsFile;
}

function config(dir: string, wasm: string | undefined, records: string): string {
  return [
    '[SERVICE]', '    Flush 1', '    Grace 0', '    Log_Level error', `    Parsers_File ${path.join(dir, 'parsers.conf')}`,
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

/**
 * Runs Fluent Bit once per variant per round (`undefined` = the pipeline without a filter), variants
 * rotated within each round, and returns each round's CPU seconds by variant name. Progress goes to
 * stderr prefixed with `label`.
 */
export function fluentBitRounds(label: string, dir: string, wasmFiles: Record<string, string | undefined>, recordsFile: string, rounds: number): Record<string, number>[] {
  const names = Object.keys(wasmFiles);
  const confs = Object.fromEntries(names.map((n, i) => {
    const file = path.join(dir, `v${i}.conf`);
    writeFileSync(file, config(dir, wasmFiles[n], recordsFile));
    return [n, file];
  }));
  const perRound: Record<string, number>[] = [];
  for (let round = 0; round < rounds; round++) {
    const t: Record<string, number> = {};
    for (const n of names.map((_, i) => names[(i + round) % names.length]!)) t[n] = cpuSeconds(confs[n]!);
    perRound.push(t);
    process.stderr.write(`${label}: round ${round + 1}/${rounds}: ${names.map((n) => `${n} ${t[n]!.toFixed(3)} s`).join(', ')}\n`);
  }
  return perRound;
}
