// One pipeline run in the real Fluent Bit: in_tail (json parser) -> filter -> out_null (or a file),
// under /usr/bin/time for the CPU (user + sys) and peak resident size of the whole process.
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { findOnPath } from '../../build/aot.js';

export type FilterSpec =
  | { kind: 'none' }
  | { kind: 'wasm'; path: string }
  | { kind: 'lua'; script: string; call: string };

export interface RunSpec {
  /** Working folder (config, parsers, state files). */
  dir: string;
  events: string;
  filter: FilterSpec;
  /** Write the records here (one JSON object per line) instead of dropping them. */
  outFile?: string;
  /** in_tail's Mem_Buf_Limit (the input pauses instead of queueing records in memory). */
  memBufLimit?: string;
  /** Bound on the run's wall time. */
  timeoutMs: number;
}

export interface RunCost {
  userSeconds: number;
  sysSeconds: number;
  cpuSeconds: number;
  maxRssBytes: number;
  wallSeconds: number;
}

const TIME = '/usr/bin/time';

/** Why the real-host benchmark cannot run here, or undefined. */
export function realHostUnavailableReason(): string | undefined {
  if (!findOnPath('fluent-bit')) return 'fluent-bit not on PATH';
  if (!findOnPath('time', '/usr/bin')) return '/usr/bin/time not found';
  return undefined;
}

function filterSection(filter: FilterSpec, dir: string): string[] {
  if (filter.kind === 'none') return [];
  if (filter.kind === 'lua') return ['[FILTER]', '    Name lua', '    Match *', `    Script ${filter.script}`, `    Call ${filter.call}`];
  return ['[FILTER]', '    Name wasm', '    Match *', `    WASM_Path ${filter.path}`, '    Function_Name filter', `    Accessible_Paths ${dir}`, '    Wasm_Stack_Size 1M'];
}

export function pipelineConfig(spec: RunSpec, parsers: string): string {
  const output = spec.outFile
    ? ['[OUTPUT]', '    Name file', '    Match *', `    Path ${path.dirname(spec.outFile)}`, `    File ${path.basename(spec.outFile)}`, '    Format plain']
    : ['[OUTPUT]', '    Name null', '    Match *'];
  return [
    '[SERVICE]', '    Flush 0.2', '    Grace 2', '    Log_Level warn', `    Parsers_File ${parsers}`,
    '[INPUT]', '    Name tail', `    Path ${spec.events}`, '    Parser json', '    Read_from_Head On', '    Exit_On_Eof On',
    '    Buffer_Chunk_Size 64k', '    Buffer_Max_Size 1M', ...(spec.memBufLimit ? [`    Mem_Buf_Limit ${spec.memBufLimit}`] : []),
    ...filterSection(spec.filter, spec.dir),
    ...output,
    '',
  ].join('\n');
}

let runs = 0;

/** Runs Fluent Bit once over the events; throws when it fails or takes too long. */
export async function runPipeline(spec: RunSpec): Promise<RunCost> {
  const id = `run-${process.pid}-${runs++}`;
  const parsers = path.join(spec.dir, 'parsers.conf');
  await fs.writeFile(parsers, '[PARSER]\n    Name json\n    Format json\n');
  const conf = path.join(spec.dir, `${id}.conf`);
  const timeFile = path.join(spec.dir, `${id}.time`);
  await fs.writeFile(conf, pipelineConfig(spec, parsers));
  const started = process.hrtime.bigint();
  const { code, log } = await new Promise<{ code: number; log: string }>((resolve, reject) => {
    const child = spawn(TIME, ['-f', '%U %S %M', '-o', timeFile, 'fluent-bit', '-c', conf], { stdio: ['ignore', 'pipe', 'pipe'], cwd: spec.dir });
    let log = '';
    const keep = (d: Buffer) => { if (log.length < 20000) log += d.toString(); };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const timer = setTimeout(() => child.kill('SIGKILL'), spec.timeoutMs);
    child.on('error', (e) => { clearTimeout(timer); reject(e); });
    child.on('close', (c) => { clearTimeout(timer); resolve({ code: c ?? -1, log }); });
  });
  const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (code !== 0) throw new Error(`fluent-bit exited with ${code} after ${wallSeconds.toFixed(1)} s: ${log.trim().split('\n').slice(-3).join(' / ')}`);
  const errors = log.split('\n').filter((l) => l.includes('[error]'));
  if (errors.length) throw new Error(`fluent-bit logged an error: ${errors[0]}`);
  const fields = (await fs.readFile(timeFile, 'utf8')).trim().split('\n').pop()!.split(/\s+/).map(Number);
  await fs.rm(conf, { force: true });
  await fs.rm(timeFile, { force: true });
  const [user, sys, rssKb] = fields as [number, number, number];
  return { userSeconds: user, sysSeconds: sys, cpuSeconds: user + sys, maxRssBytes: rssKb * 1024, wallSeconds };
}
