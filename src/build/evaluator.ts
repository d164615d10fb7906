// The generic evaluator module (build/evaluator.wasm): it takes its rule program from the host at run
// time. The package ships it prebuilt (`npm pack` runs `prepare`, which builds it). In a source
// checkout it is rebuilt whenever the AssemblyScript sources changed since it was built (their hash
// is kept next to it), so an edited evaluator never runs a stale module. An installed package is
// never written to: its shipped module is used as it is (the install may be read-only, e.g. a
// root-owned global install or a container running as an unprivileged user).
import { promises as fs, constants as fsConstants } from 'node:fs';
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

async function exists(file: string, mode = fsConstants.F_OK): Promise<boolean> {
  return fs.access(file, mode).then(
    () => true,
    () => false,
  );
}

/**
 * A source checkout (git clone, source archive) holds the TypeScript sources, which the package
 * does not ship: only there are the evaluator sources checked for changes.
 */
function isCheckout(): Promise<boolean> {
  return exists(path.join(PACKAGE_ROOT, 'src'));
}

async function isWritable(): Promise<boolean> {
  const buildDir = path.dirname(GENERIC_FILTER);
  return (await exists(buildDir)) ? exists(buildDir, fsConstants.W_OK) : exists(PACKAGE_ROOT, fsConstants.W_OK);
}

/** Writes through a temporary file, so a concurrent reader never sees half a module. */
async function writeAtomically(file: string, data: Uint8Array | string): Promise<void> {
  const temp = `${file}.${process.pid}.tmp`;
  await fs.writeFile(temp, data);
  await fs.rename(temp, file);
}

/**
 * Builds the module into build/ when its sources changed (or it is missing) and returns its bytes.
 * For the package's own build (`npm run build`) and the test setup, in a source checkout.
 */
export async function ensureGenericFilter(): Promise<Uint8Array> {
  const want = await evaluatorSourceHash();
  const have = await fs.readFile(HASH_FILE, 'utf8').catch(() => '');
  if (have === want) {
    const bytes = await fs.readFile(GENERIC_FILTER).catch(() => undefined);
    if (bytes) return bytes;
  }
  const bytes = await buildModule({ entry: 'filter' });
  await fs.mkdir(path.dirname(GENERIC_FILTER), { recursive: true });
  await writeAtomically(GENERIC_FILTER, bytes);
  await writeAtomically(HASH_FILE, want);
  return bytes;
}

/**
 * The module's bytes for running. An installed package: the shipped module (or, if the package
 * lacks it, one compiled in memory from the package's own sources). A checkout: rebuilt when
 * stale, written to build/ only if that is writable.
 */
export async function loadGenericFilter(): Promise<Uint8Array> {
  if (!(await isCheckout())) {
    const shipped = await fs.readFile(GENERIC_FILTER).catch(() => undefined);
    return shipped ?? buildModule({ entry: 'filter' });
  }
  if (await isWritable()) return ensureGenericFilter();
  const fresh = (await fs.readFile(HASH_FILE, 'utf8').catch(() => '')) === (await evaluatorSourceHash());
  const built = fresh ? await fs.readFile(GENERIC_FILTER).catch(() => undefined) : undefined;
  return built ?? buildModule({ entry: 'filter' });
}

/** The generic filter module, compiled once per process. */
export function genericFilterModule(): Promise<WebAssembly.Module> {
  compiled ??= loadGenericFilter().then((b) => WebAssembly.compile(b as Uint8Array<ArrayBuffer>));
  return compiled;
}
