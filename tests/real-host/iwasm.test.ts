// The WASI command (NAME.wasi.wasm) under WAMR's standalone runner `iwasm` 2.4.1, the runtime inside
// Fluent Bit, both interpreted and compiled ahead of time with `wamrc`: its output is byte-identical to
// node:wasi's and to the native (wasm2c + gcc) build's, on the sample and with the Kubernetes pack.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { ROOT, PACK, hasShared } from '../helpers/evaluator.js';
import { runNodeWasi } from '../../src/engines/node-wasi.js';
import { buildNative, runNative, nativeEngineAvailable, nativeEngineUnavailableReason } from '../../src/engines/native.js';
import { generateEvents } from '../../src/bench/generator.js';
import { buildModule, hasCommand, workDir, removeWorkDirs } from './runner.js';

afterAll(removeWorkDirs);

const IWASM = process.env.KQL_EDGE_IWASM || 'iwasm';
const WAMRC = process.env.KQL_EDGE_WAMRC || 'wamrc';
const hasIwasm = hasCommand(IWASM);
const hasWamrc = hasCommand(WAMRC);
const native = nativeEngineAvailable();
const run = promisify(execFile);

/** Runs a WASI command under iwasm with stdin from a file (iwasm reads the process's stdin). */
function iwasm(module: string, stdin: Buffer): Promise<{ stdout: Buffer; stderr: Buffer; code: number }> {
  return new Promise((resolve, reject) => {
    const child = execFile(IWASM, ['--stack-size=1048576', module], { encoding: 'buffer', maxBuffer: 256 * 1024 * 1024, timeout: 120_000 }, (err, stdout, stderr) => {
      const code = err ? ((err as { code?: number }).code ?? 1) : 0;
      if (err && typeof (err as { code?: unknown }).code !== 'number') reject(err);
      else resolve({ stdout, stderr, code });
    });
    child.stdin!.end(stdin);
  });
}

function input(): Buffer {
  const sample = readFileSync(path.join(ROOT, 'samples/audit.ndjson'), 'utf8');
  const extra = [
    ...generateEvents({ seed: 18, count: 2_000, startTime: Date.UTC(2024, 6, 1) }),
    '', 'not JSON at all', '{"kind": 0}', '[1,2]', '{"userAgent":"h\\u00e9llo \\ud83d\\ude00","verb":"list"}\r', '{}',
  ];
  return Buffer.from(sample + extra.join('\n') + '\n');
}

const skipReason = !hasIwasm ? `${IWASM} not found on PATH` : !hasWamrc ? `${WAMRC} not found on PATH` : '';

describe.skipIf(!hasIwasm || !hasWamrc)(`WAMR iwasm (interpreter and AOT): same output as node:wasi and native${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  const dir = workDir('iwasm');
  const stdin = input();

  const cases = [
    { name: 'seed rule', args: [] as string[], needsShared: false },
    { name: 'Kubernetes pack', args: ['--rules', PACK], needsShared: true },
  ];
  for (const c of cases) {
    const skip = c.needsShared && !hasShared;
    describe.skipIf(skip)(`${c.name}${skip ? ' (skipped: ../shared/rules not found)' : ''}`, () => {
      let command: string;
      let reference: { stdout: Buffer; stderr: Buffer; code: number };
      beforeAll(async () => {
        const filter = await buildModule(dir, c.needsShared ? 'pack' : 'seed', c.args);
        command = filter.replace(/\.wasm$/, '.wasi.wasm');
        reference = await runNodeWasi(command, { stdin });
        expect(reference.code).toBe(0);
        expect(reference.stdout.toString()).toContain('"kql_edge"');
      }, 120_000);

      it('iwasm interpreter: byte-identical stdout and counters', async () => {
        const r = await iwasm(command, stdin);
        expect(r.code, r.stderr.toString()).toBe(0);
        expect(r.stdout.equals(reference.stdout)).toBe(true);
        expect(r.stderr.toString()).toBe(reference.stderr.toString());
      }, 120_000);

      it('iwasm AOT (wamrc): byte-identical stdout and counters', async () => {
        const aot = command.replace(/\.wasm$/, '.aot');
        await run(WAMRC, ['-o', aot, command], { timeout: 120_000 });
        const r = await iwasm(aot, stdin);
        expect(r.code, r.stderr.toString()).toBe(0);
        expect(r.stdout.equals(reference.stdout)).toBe(true);
        expect(r.stderr.toString()).toBe(reference.stderr.toString());
      }, 180_000);

      it.skipIf(!native)(`native build (wasm2c + gcc): byte-identical${native ? '' : ` (skipped: ${nativeEngineUnavailableReason()})`}`, async () => {
        const exe = await buildNative(command, path.join(dir, 'native'));
        const r = await runNative(exe, { stdin });
        expect(r.code).toBe(0);
        expect(r.stdout.equals(reference.stdout)).toBe(true);
      }, 240_000);
    });
  }
});
