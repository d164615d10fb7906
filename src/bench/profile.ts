// Where the evaluator's time goes: the seed proxy module built with function names (`--debug`),
// translated to C (wasm2c + gcc), run under callgrind with 1 and with more passes; the difference
// per function, divided by the extra records, is each function's own instructions per record.
// Native instructions, not the interpreter's: the shares are what matters.
import { rm, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { buildNative } from '../engines/native.js';
import { configured, type ProxyConfig } from './modules.js';
import { runTool } from './child-process.js';

export interface ProfileEntry {
  function: string;
  /** Own (exclusive) instructions per record. */
  instructionsPerRecord: number;
  share: number;
}

const run = runTool;

/** Exclusive instructions per function from callgrind_annotate's listing. */
async function selfCost(exe: string, outFile: string): Promise<Map<string, number>> {
  const r = await run('valgrind', ['--tool=callgrind', `--callgrind-out-file=${outFile}`, exe, '--call', 'bench_run']);
  if (r.code !== 0) throw new Error(`callgrind of ${exe} failed: ${r.stderr.slice(-1000)}`);
  const annotated = await run('callgrind_annotate', ['--threshold=100', outFile]);
  const costs = new Map<string, number>();
  for (const line of annotated.stdout.split('\n')) {
    const m = /^\s*([\d,]+)\s+\([^)]*\)\s+\S*?:([^\s[]+)/.exec(line);
    if (!m || line.includes('PROGRAM TOTALS')) continue;
    const name = m[2]!.replace(/^w2c_/, '').replace(/^Z_moduleZ_/, '');
    costs.set(name, (costs.get(name) ?? 0) + Number(m[1]!.replace(/,/g, '')));
  }
  return costs;
}

/** The `top` functions by own instructions per record. */
export async function profileModule(debugModule: Uint8Array, records: number, workDir: string, config: Omit<ProxyConfig, 'passes'> = {}, top = 12): Promise<ProfileEntry[]> {
  await mkdir(workDir, { recursive: true });
  const passes = 4;
  const costs: Map<string, number>[] = [];
  for (const p of [1, passes]) {
    const wasm = path.join(workDir, `profile-${config.program ?? 0}-${p}.wasm`);
    await writeFile(wasm, configured(debugModule, { ...config, passes: p }));
    const exe = await buildNative(wasm, workDir);
    costs.push(await selfCost(exe, path.join(workDir, `profile-${p}.callgrind`)));
    await rm(path.join(workDir, `profile-${p}.callgrind`), { force: true });
  }
  const [one, many] = costs as [Map<string, number>, Map<string, number>];
  const perRecord = new Map<string, number>();
  for (const [fn, cost] of many) {
    const d = (cost - (one.get(fn) ?? 0)) / ((passes - 1) * records);
    if (d > 0) perRecord.set(fn, d);
  }
  const total = [...perRecord.values()].reduce((a, b) => a + b, 0);
  return [...perRecord.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([fn, ir]) => ({ function: fn, instructionsPerRecord: ir, share: ir / total }));
}
