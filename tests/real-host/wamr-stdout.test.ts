// WAMR prints "a module with WASI apis should be either a command or a reactor" on Fluent Bit's stdout when
// it loads a module that imports WASI but exports neither _start nor _initialize; records shipped with
// out_stdout then carry that line. With kql-edge's module, stdout holds only the records.
import { describe, it, expect, afterAll } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../helpers/evaluator.js';
import { buildModule, classicService, classicTail, errorLines, fluentBitSkip, hasFluentBit, printedFilters, runFluentBit, splitLines, workDir, removeWorkDirs } from './runner.js';

afterAll(removeWorkDirs);

describe.skipIf(!hasFluentBit)(`real Fluent Bit: out_stdout carries only records${fluentBitSkip}`, () => {
  it('every line Fluent Bit writes on stdout is a JSON record', async () => {
    const dir = workDir('wamr-stdout');
    const wasm = await buildModule(dir, 'seed');
    const exports = WebAssembly.Module.exports(new WebAssembly.Module(readFileSync(wasm))).map((e) => e.name);
    const config =
      classicService(dir, { Log_File: path.join(dir, 'fluent-bit.log') }) +
      classicTail({ path: path.join(ROOT, 'samples/audit.ndjson'), parser: 'json' }) +
      (await printedFilters(wasm, dir, 'classic')) +
      '\n[OUTPUT]\n    Name   stdout\n    Match  kube.audit*\n    Format json_lines\n';
    const fb = path.join(dir, 'fb.stdout');
    const run = await runFluentBit({ dir, config, expect: { [fb]: 400 }, timeoutMs: 30_000 });
    expect(run.exitedEarly).toBe(false);
    expect(errorLines(readFileSync(path.join(dir, 'fluent-bit.log'), 'utf8'))).toEqual([]);
    const lines = splitLines(run.stdout);
    const notJson = lines.filter((l) => {
      try {
        return typeof JSON.parse(l) !== 'object';
      } catch {
        return true;
      }
    });
    expect(notJson, `module exports: ${exports.join(', ')}`).toEqual([]);
    expect(lines.length).toBe(400);
  }, 90_000);
});
