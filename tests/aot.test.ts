// kql-edge build --aot: NAME.aot written by WAMR's wamrc (when it is on PATH), a clear error when it
// is not, and fluent-bit-config pointing WASM_Path at the AOT file.
import { describe, it, expect } from 'vitest';
import { mkdtempSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { main } from '../src/cli/main.js';
import { findOnPath, aotPathOf, wamrcArgs } from '../src/build/aot.js';
import { DEFAULT_RULES } from './helpers/evaluator.js';

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(['node', 'kql-edge', ...args], {
    out: (c) => void (out += typeof c === 'string' ? c : Buffer.from(c).toString()),
    err: (l) => void (err += l + '\n'),
    stdin: Readable.from([]),
  });
  return { code, out, err };
}

const dir = mkdtempSync(path.join(tmpdir(), 'kqe-aot-'));
const hasWamrc = findOnPath('wamrc') !== undefined;

describe('AOT paths and wamrc arguments', () => {
  it('NAME.wasm -> NAME.aot; portable x86-64-v2 by default, overridable', () => {
    expect(aotPathOf('/x/seed.wasm')).toBe('/x/seed.aot');
    expect(aotPathOf('/x/seed')).toBe('/x/seed.aot');
    expect(wamrcArgs('m.wasm', 'm.aot')).toEqual(['--target=x86_64', '--cpu=x86-64-v2', '-o', 'm.aot', 'm.wasm']);
    expect(wamrcArgs('m.wasm', 'm.aot', { target: 'aarch64', cpu: 'cortex-a72' })).toEqual(['--target=aarch64', '--cpu=cortex-a72', '-o', 'm.aot', 'm.wasm']);
  });

  it('fluent-bit-config --aot prints the AOT file as WASM_Path', async () => {
    const r = await cli(['fluent-bit-config', '--wasm', '/etc/kql-edge/seed.wasm', '--aot']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/WASM_Path\s+\/etc\/kql-edge\/seed\.aot\n/);
    expect(r.out).toMatch(/wasm_path: \/etc\/kql-edge\/seed\.aot\n/);
  });

  it('build --aot without wamrc on PATH fails with a clear error and writes nothing', async () => {
    const saved = process.env.PATH;
    process.env.PATH = dir; // a folder without wamrc
    try {
      const out = path.join(dir, 'none.wasm');
      const r = await cli(['build', '--rules', DEFAULT_RULES, '-o', out, '--aot']);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/wamrc not found on PATH/);
      expect(existsSync(out)).toBe(false);
    } finally {
      process.env.PATH = saved;
    }
  });
});

describe.skipIf(!hasWamrc)('build --aot with wamrc (skipped when wamrc is not on PATH)', () => {
  it('writes NAME.aot next to the module', async () => {
    const out = path.join(dir, 'seed.wasm');
    const r = await cli(['build', '--rules', DEFAULT_RULES, '-o', out, '--aot']);
    expect(r.code).toBe(0);
    const aot = readFileSync(path.join(dir, 'seed.aot'));
    expect(aot.subarray(0, 4).toString('latin1')).toBe('\0aot'); // WAMR's AOT magic
    expect(r.err).toMatch(/--target=x86_64 --cpu=x86-64-v2/);
  }, 120_000);
});
