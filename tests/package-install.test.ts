// The package as users get it: the built project is packed (`npm pack --ignore-scripts`, so nothing
// is rebuilt under the other suites), installed into a project and globally into a prefix, made
// read-only, and every command is run from a third folder. Each must succeed and print what the
// same command prints from the clone. Run as root, the installed commands run as an unprivileged
// user, so the read-only package is really read-only to them; in every case the package's files
// are compared before and after, so any write into it fails the test.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawn, spawnSync, type SpawnOptions } from 'node:child_process';
import { promises as fs, existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CLONE_BIN = path.join(ROOT, 'bin', 'kql-edge.js');
const RULES_FIXTURE = path.join(ROOT, 'tests', 'fixtures', 'package-rules');
const RULES_NAME = path.basename(RULES_FIXTURE);
const NOBODY = 65534;
const STEP_MS = 90_000;

const npmAvailable = spawnSync('npm', ['--version'], { stdio: 'ignore' }).status === 0;
const builtAlready = existsSync(path.join(ROOT, 'dist', 'cli', 'main.js')) && existsSync(path.join(ROOT, 'build', 'evaluator.wasm'));
const runAsRoot = process.getuid?.() === 0;

interface Result {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** The environment without the npm_* variables of the `npm test` that may be running this suite. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.toLowerCase().startsWith('npm_') && k !== 'KQL_EDGE_DEBUG') env[k] = v;
  return { ...env, ...extra };
}

/** Runs a command to its end; killed (and the result says so) after `timeoutMs`. */
function exec(command: string, args: string[], options: SpawnOptions & { timeoutMs?: number; input?: string } = {}): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (c) => (stdout += c));
    child.stderr!.on('data', (c) => (stderr += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? STEP_MS);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
    // A command that fails early may close its stdin before reading it.
    child.stdin!.on('error', () => {});
    child.stdin!.end(options.input ?? '');
  });
}

function ok(r: Result, what: string): Result {
  if (r.code !== 0) throw new Error(`${what} failed (exit ${r.code}${r.signal ? `, ${r.signal}` : ''}):\n${r.stderr}${r.stdout.slice(0, 2000)}`);
  return r;
}

/** Path, size and modification time of every file under a folder: a write anywhere changes it. */
async function snapshot(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const name of await fs.readdir(dir, { recursive: true })) {
    const st = await fs.lstat(path.join(dir, name));
    out.push(`${name} ${st.isDirectory() ? 'dir' : st.size} ${st.mtimeMs} ${(st.mode & 0o777).toString(8)}`);
  }
  return out.sort();
}

/** How a command is started: the clone's bin from the clone's root, or an installed one. */
interface Runner {
  name: string;
  command: string;
  prefix: string[];
  cwd: string;
  spawn: SpawnOptions;
}

function run(runner: Runner, args: string[], input?: string): Promise<Result> {
  return exec(runner.command, [...runner.prefix, ...args], { cwd: runner.cwd, ...runner.spawn, input });
}

/** `serve --forward -`: one posted batch, then SIGTERM; the server must be gone within a bound. */
async function serveOnce(runner: Runner, args: string[], body: string): Promise<{ status: number; stdout: string; stderr: string; code: number | null }> {
  const child = spawn(runner.command, [...runner.prefix, 'serve', '--forward', '-', '--listen', '127.0.0.1:0', ...args], {
    cwd: runner.cwd,
    ...runner.spawn,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c) => (stdout += c));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  try {
    const url = await new Promise<string>((resolve, reject) => {
      child.stderr!.on('data', (c) => {
        stderr += c;
        const m = /listening on (http:\/\/[^\s,]+)/.exec(stderr);
        if (m) resolve(m[1]);
      });
      void exited.then(() => reject(new Error(`serve (${runner.name}) exited before listening:\n${stderr}`)));
    });
    const response = await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/x-ndjson' }, signal: AbortSignal.timeout(30_000) });
    await response.arrayBuffer();
    child.kill('SIGTERM');
    const stopped = await Promise.race([exited, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 15_000))]);
    if (stopped === 'timeout') throw new Error(`serve (${runner.name}) did not stop within 15 s of SIGTERM`);
    return { status: response.status, stdout, stderr, code: stopped };
  } finally {
    clearTimeout(killer);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}

describe.skipIf(!npmAvailable || !builtAlready)('package install (npm pack, local and global install, read-only, from another folder)', () => {
  let tmp = '';
  let work = '';
  let ref = '';
  let userTmp = '';
  const packageDirs: Record<string, string> = {};
  const before: Record<string, string[]> = {};
  const runners: Record<string, Runner> = {};
  let clone: Runner;
  let batch = '';
  const expected: Record<string, Result> = {};
  let expectedServe: Awaited<ReturnType<typeof serveOnce>>;

  beforeAll(async () => {
    tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'kqe-package-'));
    await fs.chmod(tmp, 0o755);
    work = path.join(tmp, 'work');
    ref = path.join(tmp, 'ref');
    userTmp = path.join(work, 'tmp');
    await fs.mkdir(userTmp, { recursive: true });
    await fs.mkdir(ref);
    // The user's folder: their own rules and audit log, given by relative paths.
    await fs.cp(RULES_FIXTURE, path.join(work, RULES_NAME), { recursive: true });
    const sample = readFileSync(path.join(ROOT, 'samples', 'audit.ndjson'), 'utf8').split('\n').slice(0, 200);
    await fs.writeFile(path.join(work, 'audit.ndjson'), sample.join('\n') + '\n');
    batch = sample.slice(0, 40).join('\n') + '\n';

    const npmEnv = cleanEnv();
    const pack = ok(await exec('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', tmp], { cwd: ROOT, env: npmEnv }), 'npm pack');
    const packed = JSON.parse(pack.stdout)[0] as { filename: string; files: { path: string }[] };
    const files = packed.files.map((f) => f.path);
    expect(files).toContain('build/evaluator.wasm');
    expect(files).toContain('dist/cli/main.js');
    expect(files.some((f) => f.startsWith('src/') || f.startsWith('tests/'))).toBe(false);
    const tarball = path.join(tmp, path.basename(packed.filename));

    const project = path.join(tmp, 'project');
    const global = path.join(tmp, 'global');
    await fs.mkdir(project);
    await fs.writeFile(path.join(project, 'package.json'), JSON.stringify({ name: 'kqe-install-check', version: '1.0.0', private: true }));
    const flags = ['--prefer-offline', '--no-audit', '--no-fund', '--loglevel', 'error'];
    // The clone's reference outputs are made while npm installs (one is CPU, the other I/O).
    clone = { name: 'clone', command: process.execPath, prefix: [CLONE_BIN], cwd: ROOT, spawn: { env: cleanEnv() } };
    const references = (async () => {
      const rules = path.relative(ROOT, RULES_FIXTURE);
      expected.demo = ok(await run(clone, ['demo', '-o', path.join(ref, 'default.wasm')]), 'clone demo');
      expected.build = ok(await run(clone, ['build', '--rules', rules, '-o', path.join(ref, 'rules.wasm')]), 'clone build');
      expected.run = ok(await run(clone, ['run', '--rules', rules, path.join(work, 'audit.ndjson')]), 'clone run');
      expected.check = ok(await run(clone, ['check', '--rules', rules]), 'clone check');
      expected.inspect = ok(await run(clone, ['inspect', path.join(ref, 'rules.wasm')]), 'clone inspect');
      expected.fluentBit = ok(await run(clone, ['fluent-bit-config', '--wasm', 'filter.wasm']), 'clone fluent-bit-config');
      expected.vector = ok(await run(clone, ['vector-config']), 'clone vector-config');
      expectedServe = await serveOnce(clone, ['--rules', rules], batch);
    })();
    references.catch(() => {}); // awaited below; a failure must not surface as unhandled meanwhile
    const [local, glob] = await Promise.all([
      exec('npm', ['install', ...flags, tarball], { cwd: project, env: npmEnv, timeoutMs: 150_000 }),
      exec('npm', ['install', '-g', '--prefix', global, ...flags, tarball], { cwd: tmp, env: npmEnv, timeoutMs: 150_000 }),
    ]);
    ok(local, 'npm install (project)');
    ok(glob, 'npm install -g');
    await references;

    packageDirs.local = path.join(project, 'node_modules', 'kql-edge');
    packageDirs.global = path.join(global, 'lib', 'node_modules', 'kql-edge');
    // As a root-owned global install or an image run by an unprivileged user has it.
    for (const dir of Object.values(packageDirs)) ok(await exec('chmod', ['-R', 'a-w', dir]), `chmod -R a-w ${dir}`);
    if (runAsRoot) ok(await exec('chown', ['-R', `${NOBODY}:${NOBODY}`, work]), 'chown work');
    const userSpawn: SpawnOptions = {
      env: cleanEnv({ HOME: work, TMPDIR: userTmp }),
      ...(runAsRoot ? { uid: NOBODY, gid: NOBODY } : {}),
    };
    runners.local = { name: 'local install (node_modules/.bin)', command: path.join(project, 'node_modules', '.bin', 'kql-edge'), prefix: [], cwd: work, spawn: userSpawn };
    runners.global = { name: 'global install', command: path.join(global, 'bin', 'kql-edge'), prefix: [], cwd: work, spawn: userSpawn };
    for (const [kind, dir] of Object.entries(packageDirs)) before[kind] = await snapshot(dir);
  }, 300_000);

  afterAll(async () => {
    if (!tmp) return;
    spawnSync('chmod', ['-R', 'u+w', tmp]);
    await fs.rm(tmp, { recursive: true, force: true });
  });

  // Every command on both installs, except that the slow ones (each build compiles the evaluator for
  // seconds) run once: demo and the default-rule build on the global install only; the local install
  // differs only in how its bin is reached, and its `build --rules` compiles from the package too.
  for (const kind of ['global', 'local'] as const) {
    describe(`${kind} install`, () => {
      if (kind === 'global')
        it('demo: the bundled rule over the bundled sample, module written outside the package', async () => {
          const r = ok(await run(runners[kind], ['demo']), `${kind} demo`);
          expect(r.stdout).toBe(expected.demo.stdout);
          expect(r.stdout).toMatch(/^ALERT /);
          const built = /built (\S+) \(/.exec(r.stderr)?.[1];
          expect(built, r.stderr).toBeDefined();
          const file = path.resolve(work, built!);
          expect(file.startsWith(userTmp + path.sep)).toBe(true);
          expect(await fs.readFile(file)).toEqual(await fs.readFile(path.join(ref, 'default.wasm')));
        }, STEP_MS);

      it(kind === 'global' ? 'build: the default rule, and a rules folder given by a relative path' : 'build: a rules folder given by a relative path', async () => {
        if (kind === 'global') {
          ok(await run(runners[kind], ['build', '-o', `${kind}-default.wasm`]), `${kind} build (default rule)`);
          expect(await fs.readFile(path.join(work, `${kind}-default.wasm`))).toEqual(await fs.readFile(path.join(ref, 'default.wasm')));
        }
        const r = ok(await run(runners[kind], ['build', '--rules', RULES_NAME, '-o', `${kind}-rules.wasm`]), `${kind} build --rules`);
        expect(r.stderr).toContain(`wrote ${kind}-rules.wasm`);
        expect(await fs.readFile(path.join(work, `${kind}-rules.wasm`))).toEqual(await fs.readFile(path.join(ref, 'rules.wasm')));
        expect(await fs.readFile(path.join(work, `${kind}-rules.wasi.wasm`))).toEqual(await fs.readFile(path.join(ref, 'rules.wasi.wasm')));
      }, 2 * STEP_MS);

      it('run on a relative input path', async () => {
        const r = ok(await run(runners[kind], ['run', '--rules', RULES_NAME, 'audit.ndjson']), `${kind} run`);
        expect(r.stdout).toBe(expected.run.stdout);
        expect(r.stdout).toContain('"kql_edge"');
        expect(r.stderr.replace(/in [\d.]+ s/, '')).toBe(expected.run.stderr.replace(/in [\d.]+ s/, ''));
      }, STEP_MS);

      it('check, inspect, fluent-bit-config, vector-config', async () => {
        const check = ok(await run(runners[kind], ['check', '--rules', RULES_NAME]), `${kind} check`);
        expect(check.stdout).toBe(expected.check.stdout);
        const inspect = ok(await run(runners[kind], ['inspect', path.join(ref, 'rules.wasm')]), `${kind} inspect`);
        expect(inspect.stdout).toBe(expected.inspect.stdout);
        const fluentBit = ok(await run(runners[kind], ['fluent-bit-config', '--wasm', 'filter.wasm']), `${kind} fluent-bit-config`);
        expect(fluentBit.stdout).toBe(expected.fluentBit.stdout);
        const vector = ok(await run(runners[kind], ['vector-config']), `${kind} vector-config`);
        expect(vector.stdout).toBe(expected.vector.stdout);
      }, STEP_MS);

      it('serve --forward -: one posted batch comes out on stdout', async () => {
        const r = await serveOnce(runners[kind], ['--rules', RULES_NAME], batch);
        expect(r.status, r.stderr).toBe(200);
        expect(r.code, r.stderr).toBe(0);
        expect(expectedServe.status).toBe(200);
        expect(r.stdout).toBe(expectedServe.stdout);
        expect(r.stdout.split('\n').length).toBe(41);
      }, STEP_MS);

      it('a user error is one line without a stack trace, and the exit code says so', async () => {
        const missing = await run(runners[kind], ['run', 'no-such-file.ndjson']);
        expect(missing.code).toBe(2);
        expect(missing.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^kql-edge: cannot read input no-such-file.ndjson: no such file/)]);
        const readOnly = await run(runners[kind], ['build', '-o', path.join(packageDirs[kind], 'inside.wasm')]);
        expect(readOnly.code).toBe(2);
        expect(readOnly.stderr).not.toMatch(/\n\s+at /);
        expect(readOnly.stderr).toMatch(/^kql-edge: cannot write .*inside\.wasm: /m);
      }, STEP_MS);

      it('nothing was written into the installed package', async () => {
        expect(await snapshot(packageDirs[kind])).toEqual(before[kind]);
      });
    });
  }

  it('the clone works from another folder too', async () => {
    const elsewhere: Runner = { ...clone, cwd: work, spawn: { env: cleanEnv() } };
    const r = ok(await run(elsewhere, ['check', '--rules', RULES_NAME]), 'clone check from another folder');
    expect(r.stdout).toBe(expected.check.stdout);
    const run2 = ok(await run(elsewhere, ['run', '--rules', RULES_NAME, 'audit.ndjson']), 'clone run from another folder');
    expect(run2.stdout).toBe(expected.run.stdout);
  }, STEP_MS);
});
