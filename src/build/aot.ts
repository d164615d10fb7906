// Ahead-of-time compilation of a filter module with WAMR's `wamrc`, for Fluent Bit's AOT loader.
// An AOT file is tied to the WAMR version that made it (2.4.1 for Fluent Bit 5.1.x) and to the
// target it was compiled for; the default target is a portable x86-64 (x86-64-v2: SSE4.2, POPCNT).
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import path from 'node:path';

export const DEFAULT_AOT_TARGET = 'x86_64';
export const DEFAULT_AOT_CPU = 'x86-64-v2';

export class AotError extends Error {}

/** The full path of an executable on PATH, or undefined. */
export function findOnPath(name: string, envPath = process.env.PATH ?? ''): string | undefined {
  for (const dir of envPath.split(path.delimiter)) {
    if (!dir) continue;
    const full = path.join(dir, name);
    try {
      accessSync(full, constants.X_OK);
      return full;
    } catch {
      // not here
    }
  }
  return undefined;
}

export interface AotOptions {
  /** wamrc --target (default x86_64). */
  target?: string;
  /** wamrc --cpu (default x86-64-v2); wamrc refuses --cpu without --target. */
  cpu?: string;
  /** The wamrc to run (default: `wamrc` on PATH). */
  wamrc?: string;
}

/** Where `build --aot` writes the AOT file of a module: NAME.wasm -> NAME.aot. */
export function aotPathOf(wasmPath: string): string {
  return wasmPath.endsWith('.wasm') ? wasmPath.slice(0, -'.wasm'.length) + '.aot' : wasmPath + '.aot';
}

/** The arguments wamrc is run with. */
export function wamrcArgs(wasmPath: string, aotPath: string, options: AotOptions = {}): string[] {
  return [`--target=${options.target ?? DEFAULT_AOT_TARGET}`, `--cpu=${options.cpu ?? DEFAULT_AOT_CPU}`, '-o', aotPath, wasmPath];
}

/** Compiles `wasmPath` into `aotPath`; throws AotError with wamrc's own message when it fails. */
export async function compileAot(wasmPath: string, aotPath: string, options: AotOptions = {}): Promise<void> {
  const wamrc = options.wamrc ?? findOnPath('wamrc');
  if (!wamrc) throw new AotError('wamrc not found on PATH: install WAMR 2.4.1\'s wamrc (see README, "AOT") or build without --aot');
  const args = wamrcArgs(wasmPath, aotPath, options);
  const { code, output } = await new Promise<{ code: number; output: string }>((resolve, reject) => {
    const child = spawn(wamrc, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('close', (c) => resolve({ code: c ?? -1, output }));
  });
  // wamrc prints "Compile success" and exits 0; some failures exit 0 too, so both are checked.
  if (code !== 0 || !/Compile success/i.test(output)) {
    throw new AotError(`wamrc ${args.join(' ')} failed (exit ${code}): ${output.trim().split('\n').slice(-3).join(' / ')}`);
  }
}
