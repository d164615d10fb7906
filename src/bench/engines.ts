// The same WASI command module (what `writeArtifacts` writes as NAME.wasi.wasm) run natively
// (wasm2c + gcc) and under node:wasi (V8), fed the same records on stdin. Start-up (process, module
// compile, program install) is measured with a one-record input and subtracted.
import { spawnSync } from 'node:child_process';
import { buildNative, nativeEngineUnavailableReason, runNative } from '../engines/native.js';
import { runNodeWasi } from '../engines/node-wasi.js';
import type { EngineResult, EngineRunOptions } from '../engines/types.js';
import { median, nowNs } from './measure.js';
import type { BenchRecords } from './records.js';

export interface EngineTiming {
  engine: 'native (wasm2c + gcc -O2)' | 'node:wasi (V8)';
  nsPerRecord: number;
  recordsPerSecond: number;
  mbPerSecond: number;
  startupMs: number;
  /** Peak resident memory of the process (native only: node:wasi runs inside this process). */
  maxRssBytes?: number;
}

export interface EngineComparison {
  records: number;
  bytes: number;
  timings: EngineTiming[];
  /** Both engines wrote the same bytes to stdout. */
  outputsAgree: boolean;
  note?: string;
}

async function timed(run: () => Promise<EngineResult>): Promise<{ ns: number; result: EngineResult }> {
  const t0 = nowNs();
  const result = await run();
  return { ns: nowNs() - t0, result };
}

/** Peak RSS of one native run, via GNU time (undefined when it is not there). */
function nativeMaxRss(exe: string, stdin: Buffer): number | undefined {
  const r = spawnSync('/usr/bin/time', ['-f', 'maxrss=%M', exe, '--'], { input: stdin, maxBuffer: 1 << 30 });
  const m = /maxrss=(\d+)/.exec(r.stderr?.toString() ?? '');
  return m ? Number(m[1]) * 1024 : undefined;
}

export async function compareEngines(commandPath: string, records: BenchRecords, outDir: string, repetitions: number): Promise<EngineComparison> {
  const stdin = Buffer.from(records.texts.join('\n') + '\n');
  const one = Buffer.from(records.texts[0] + '\n');
  const base = { records: records.buffers.length, bytes: records.totalBytes };
  const reason = nativeEngineUnavailableReason();
  const runners: [EngineTiming['engine'], (o: EngineRunOptions) => Promise<EngineResult>][] = [['node:wasi (V8)', (o) => runNodeWasi(commandPath, o)]];
  let note: string | undefined;
  let exe: string | undefined;
  if (reason) note = `native engine skipped: ${reason}`;
  else {
    exe = await buildNative(commandPath, outDir);
    const built = exe;
    runners.unshift(['native (wasm2c + gcc -O2)', (o) => runNative(built, o)]);
  }
  const outputs: Buffer[] = [];
  const timings: EngineTiming[] = [];
  for (const [engine, runner] of runners) {
    const full: number[] = [];
    const start: number[] = [];
    for (let rep = 0; rep < repetitions; rep++) {
      const s = await timed(() => runner({ stdin: one }));
      start.push(s.ns);
      const f = await timed(() => runner({ stdin }));
      if (f.result.code !== 0) throw new Error(`${engine}: the command exited with ${f.result.code}: ${f.result.stderr.toString().slice(-500)}`);
      full.push(f.ns);
      if (rep === 0) outputs.push(f.result.stdout);
    }
    const perRecord = Math.max(1, median(full) - median(start)) / base.records;
    timings.push({
      engine, nsPerRecord: perRecord, recordsPerSecond: 1e9 / perRecord, mbPerSecond: (base.bytes / base.records / perRecord) * 1e9 / 1e6,
      startupMs: median(start) / 1e6,
      maxRssBytes: engine.startsWith('native') && exe ? nativeMaxRss(exe, stdin) : undefined,
    });
  }
  const outputsAgree = outputs.length < 2 || outputs[0]!.equals(outputs[1]!);
  return { ...base, timings, outputsAgree, note };
}
