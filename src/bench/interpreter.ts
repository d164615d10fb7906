// The interpreter proxy for Fluent Bit's default WAMR interpreter: import-free modules with the
// records built in run under wabt's wasm-interp inside callgrind, which counts the instructions the
// interpreter executes (repeatable on a noisy machine). Each module runs twice, with 1 and with
// more passes over its records; the difference, divided by the extra records, is the cost of one
// record without start-up (loading the module, installing the program).
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { configured, type ProxyConfig } from './modules.js';
import { runTool } from './child-process.js';

let unavailable: string | undefined | null = null;

/** Why the interpreter proxy cannot run here, or undefined when it can. */
export function interpreterProxyUnavailableReason(): string | undefined {
  if (unavailable !== null) return unavailable;
  const ok = (cmd: string, args: string[]) => spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;
  if (!ok('wasm-interp', ['--version'])) unavailable = 'wasm-interp not found (install the Debian package "wabt")';
  else if (!ok('valgrind', ['--version'])) unavailable = 'valgrind not found (install the Debian package "valgrind")';
  else unavailable = undefined;
  return unavailable;
}

export interface InstructionCount {
  instructions: number;
  /** What bench_run returned (a checksum: the same in every configuration of one module). */
  result: string;
}

const run = runTool;

/** Instructions executed by `wasm-interp FILE --run-all-exports` (callgrind's "Collected"). */
export async function countInstructions(wasmFile: string): Promise<InstructionCount> {
  const out = wasmFile + '.callgrind';
  const r = await run('valgrind', ['--tool=callgrind', `--callgrind-out-file=${out}`, 'wasm-interp', wasmFile, '--run-all-exports']);
  await rm(out, { force: true });
  const collected = /Collected\s*:\s*(\d+)/.exec(r.stderr);
  const result = /bench_run\(\) => (.*)/.exec(r.stdout);
  if (r.code !== 0 || !collected || !result) {
    throw new Error(`wasm-interp under callgrind failed (exit ${r.code}) for ${wasmFile}:\n${r.stdout}\n${r.stderr.slice(-2000)}`);
  }
  if (/error|trap/i.test(result[1]!)) throw new Error(`bench_run trapped in wasm-interp: ${result[1]}`);
  return { instructions: Number(collected[1]), result: result[1]!.trim() };
}

export interface InterpreterCost {
  name: string;
  records: number;
  bytes: number;
  /** Interpreter instructions per record (start-up excluded). */
  instructionsPerRecord: number;
  instructionsPerByte: number;
  /** Instructions of the run with one pass (start-up included). */
  onePass: number;
}

/** Per-record instruction count of a proxy module: runs with 1 and `passes` passes (in parallel). */
export async function interpreterCost(name: string, module: Uint8Array, records: number, bytes: number, passes: number, config: Omit<ProxyConfig, 'passes'> = {}): Promise<InterpreterCost> {
  const dir = await mkdtemp(path.join(tmpdir(), 'kql-edge-interp-'));
  try {
    const one = path.join(dir, `${name.replace(/\W+/g, '_')}-1.wasm`);
    const more = path.join(dir, `${name.replace(/\W+/g, '_')}-${passes}.wasm`);
    await writeFile(one, configured(module, { ...config, passes: 1 }));
    await writeFile(more, configured(module, { ...config, passes }));
    const [a, b] = await Promise.all([countInstructions(one), countInstructions(more)]);
    const perRecord = (b.instructions - a.instructions) / ((passes - 1) * records);
    return { name, records, bytes, instructionsPerRecord: perRecord, instructionsPerByte: (perRecord * records) / bytes, onePass: a.instructions };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
