// The same WASI command module (what `writeArtifacts` writes as NAME.wasi.wasm) run natively
// (wasm2c + gcc, via buildNative) and under node:wasi (V8), fed the same records on stdin.
// Timing reads stdin from a file and writes stdout to a file: through pipes (runNative) or a temp
// copy of stdin (runNodeWasi) the transport, not the module, would dominate. Start-up (process,
// module instantiation, program install) is measured with a one-record input and subtracted; the
// V8 compile happens once, outside the timing. runNative and runNodeWasi check that both engines
// write the same output.
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { WASI } from 'node:wasi';
import { buildNative, nativeEngineUnavailableReason, runNative } from '../engines/native.js';
import { runNodeWasi } from '../engines/node-wasi.js';
import { median, nowNs } from './measure.js';
import type { BenchRecords } from './records.js';

export interface EngineTiming {
  engine: string;
  nsPerRecord: number;
  recordsPerSecond: number;
  mbPerSecond: number;
  startupMs: number;
  /** Peak resident memory of the process (native only: node:wasi runs inside the benchmark's process). */
  maxRssBytes?: number;
}

export interface EngineComparison {
  records: number;
  bytes: number;
  timings: EngineTiming[];
  /** runNative and runNodeWasi wrote the same bytes to stdout (checked on up to 2000 records). */
  outputsAgree?: boolean;
  /** node:wasi compile time of the module, ms (not in the timings). */
  v8CompileMs: number;
  note?: string;
}

/** Runs a WASI command in this process with stdin/stdout/stderr on files; returns the exit code. */
function runInV8(module: WebAssembly.Module, name: string, stdinFile: string, stdoutFile: string): number {
  const fds = [openSync(stdinFile, 'r'), openSync(stdoutFile, 'w'), openSync(stdoutFile + '.err', 'w')];
  try {
    const wasi = new WASI({ version: 'preview1', args: [name], env: {}, stdin: fds[0], stdout: fds[1], stderr: fds[2], returnOnExit: true });
    // Plain wrappers: Node 20's node:wasi imported directly can write into a stale view after memory grows.
    const raw = wasi.getImportObject() as Record<string, Record<string, (...a: number[]) => number>>;
    const wrapped: Record<string, (...a: number[]) => number> = {};
    for (const [k, fn] of Object.entries(raw.wasi_snapshot_preview1!)) wrapped[k] = (...a: number[]) => fn(...a);
    const instance = new WebAssembly.Instance(module, { wasi_snapshot_preview1: wrapped });
    return wasi.start(instance);
  } finally {
    for (const fd of fds) closeSync(fd);
  }
}

function runNativeFromFile(exe: string, stdinFile: string, stdoutFile: string): number {
  const fds = [openSync(stdinFile, 'r'), openSync(stdoutFile, 'w')];
  try {
    const r = spawnSync(exe, ['--'], { stdio: [fds[0], fds[1], 'pipe'] });
    return r.status ?? -1;
  } finally {
    for (const fd of fds) closeSync(fd);
  }
}

function nativeMaxRss(exe: string, stdinFile: string): number | undefined {
  const fd = openSync(stdinFile, 'r');
  try {
    const r = spawnSync('/usr/bin/time', ['-f', 'maxrss=%M', exe, '--'], { stdio: [fd, 'ignore', 'pipe'] });
    const m = /maxrss=(\d+)/.exec(r.stderr?.toString() ?? '');
    return m ? Number(m[1]) * 1024 : undefined;
  } finally {
    closeSync(fd);
  }
}

export async function compareEngines(commandPath: string, records: BenchRecords, copies: number, outDir: string, repetitions: number): Promise<EngineComparison> {
  const dir = mkdtempSync(path.join(tmpdir(), 'kql-edge-engines-'));
  try {
    const lines = records.texts.join('\n') + '\n';
    const full = path.join(dir, 'records.ndjson');
    const one = path.join(dir, 'one.ndjson');
    writeFileSync(full, lines.repeat(copies));
    writeFileSync(one, records.texts[0] + '\n');
    const count = records.texts.length * copies;
    const bytes = records.totalBytes * copies;
    const out = path.join(dir, 'out');
    const t0 = nowNs();
    const module = await WebAssembly.compile(await readFile(commandPath));
    const v8CompileMs = (nowNs() - t0) / 1e6;
    const name = path.basename(commandPath);

    const engines: { engine: string; run: (input: string) => number; rss?: () => number | undefined }[] = [];
    const reason = nativeEngineUnavailableReason();
    let exe: string | undefined;
    if (!reason) {
      exe = await buildNative(commandPath, outDir);
      const built = exe;
      engines.push({ engine: 'native (wasm2c + gcc -O2)', run: (input) => runNativeFromFile(built, input, out), rss: () => nativeMaxRss(built, full) });
    }
    engines.push({ engine: 'node:wasi (V8)', run: (input) => runInV8(module, name, input, out) });

    const timings: EngineTiming[] = [];
    for (const e of engines) {
      const fullNs: number[] = [];
      const startNs: number[] = [];
      e.run(one); // warm caches (files, native binary)
      for (let rep = 0; rep < repetitions; rep++) {
        let t = nowNs();
        e.run(one);
        startNs.push(nowNs() - t);
        t = nowNs();
        const code = e.run(full);
        fullNs.push(nowNs() - t);
        if (code !== 0) throw new Error(`${e.engine}: the command exited with ${code}: ${readFileSync(out + '.err', 'utf8').slice(-500)}`);
      }
      const perRecord = Math.max(0, median(fullNs) - median(startNs)) / count;
      timings.push({
        engine: e.engine, nsPerRecord: perRecord, recordsPerSecond: 1e9 / perRecord, mbPerSecond: (bytes / count / perRecord) * 1e9 / 1e6,
        startupMs: median(startNs) / 1e6, maxRssBytes: e.rss?.(),
      });
    }

    let outputsAgree: boolean | undefined;
    if (exe) {
      const sample = records.texts.slice(0, 2000).join('\n') + '\n';
      const [a, b] = [await runNative(exe, { stdin: sample }), await runNodeWasi(commandPath, { stdin: sample })];
      outputsAgree = a.code === b.code && a.stdout.equals(b.stdout);
    }
    return { records: count, bytes, timings, outputsAgree, v8CompileMs, note: reason ? `native engine skipped: ${reason}` : undefined };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
