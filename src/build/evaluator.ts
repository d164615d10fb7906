// The generic evaluator module (build/evaluator.wasm): it takes its rule program from the host at run
// time. It is rebuilt whenever the AssemblyScript sources changed since it was built (their hash is
// kept next to it), so a fresh checkout or an edited evaluator never runs a stale module.
import { promises as fs } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { buildModule, PACKAGE_ROOT } from './module.js';

export const GENERIC_FILTER = path.join(PACKAGE_ROOT, 'build', 'evaluator.wasm');
const HASH_FILE = GENERIC_FILTER + '.sources';

let compiled: Promise<WebAssembly.Module> | undefined;

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true });
  const files = await Promise.all(
    entries.map((e) => (e.isDirectory() ? sourceFiles(path.join(dir, e.name)) : Promise.resolve(e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []))),
  );
  return files.flat().sort();
}

/** Hash of everything the evaluator is compiled from. */
export async function evaluatorSourceHash(): Promise<string> {
  const hash = createHash('sha256');
  for (const file of await sourceFiles(path.join(PACKAGE_ROOT, 'assembly'))) {
    if (file.includes(`${path.sep}bench${path.sep}`)) continue;
    hash.update(path.relative(PACKAGE_ROOT, file)).update(await fs.readFile(file));
  }
  return hash.digest('hex');
}

/** The generic module's bytes, rebuilt when stale. */
export async function ensureGenericFilter(): Promise<Uint8Array> {
  const want = await evaluatorSourceHash();
  const have = await fs.readFile(HASH_FILE, 'utf8').catch(() => '');
  if (have === want) {
    const bytes = await fs.readFile(GENERIC_FILTER).catch(() => undefined);
    if (bytes) return bytes;
  }
  const bytes = await buildModule({ entry: 'filter' });
  await fs.mkdir(path.dirname(GENERIC_FILTER), { recursive: true });
  await fs.writeFile(GENERIC_FILTER, bytes);
  await fs.writeFile(HASH_FILE, want);
  return bytes;
}

/** The generic filter module, compiled once per process. */
export function genericFilterModule(): Promise<WebAssembly.Module> {
  compiled ??= ensureGenericFilter().then((b) => WebAssembly.compile(b as Uint8Array<ArrayBuffer>));
  return compiled;
}
