// A small runner for the real Fluent Bit: writes a config into a temp folder, starts `fluent-bit`,
// waits until the outputs hold what the test expects (or a deadline passes, or Fluent Bit exits),
// stops it (SIGTERM, then SIGKILL) and hands back what came out and what it logged.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  closeSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { main } from '../../src/cli/main.js';
import { ROOT } from '../helpers/evaluator.js';

/** The Fluent Bit binary: $KQL_EDGE_FLUENT_BIT, or `fluent-bit` on PATH. */
export const FLUENT_BIT = process.env.KQL_EDGE_FLUENT_BIT || 'fluent-bit';

function runs(command: string, args: string[]): boolean {
  try {
    return spawnSync(command, args, { stdio: 'ignore', timeout: 10_000 }).status === 0;
  } catch {
    return false;
  }
}

export const hasFluentBit = runs(FLUENT_BIT, ['--version']);
/** Appended to a describe title so a skipped suite says why, by name. */
export const fluentBitSkip = hasFluentBit ? '' : ` (skipped: ${FLUENT_BIT} not found: put it on PATH (../shared/hosts/install.sh) or set KQL_EDGE_FLUENT_BIT)`;

export function hasCommand(command: string, args = ['--version']): boolean {
  return runs(command, args);
}

const workDirs: string[] = [];

/** A temp folder for one test's configs, inputs and outputs (removed by removeWorkDirs). */
export function workDir(name: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), `kqe-real-${name}-`));
  workDirs.push(dir);
  return dir;
}

/** For afterAll: removes this file's temp folders, unless KQL_EDGE_KEEP_TEMP=1 (to look at a failure). */
export function removeWorkDirs(): void {
  if (process.env.KQL_EDGE_KEEP_TEMP === '1') return;
  for (const dir of workDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** The json parser the tail inputs use (this Fluent Bit installs no parsers.conf). */
export function writeParsers(dir: string): string {
  const file = path.join(dir, 'parsers.conf');
  writeFileSync(file, '[PARSER]\n    Name   json\n    Format json\n');
  return file;
}

/** A free TCP port on 127.0.0.1 (bound and released; others run tests concurrently). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

/** The kql-edge CLI in-process: the same code `npx kql-edge` runs. */
export async function cli(args: string[], stdin = ''): Promise<{ code: number; out: Buffer; err: string }> {
  const out: Buffer[] = [];
  let err = '';
  const code = await main(['node', 'kql-edge', ...args], {
    out: (c) => void out.push(typeof c === 'string' ? Buffer.from(c) : Buffer.from(c)),
    err: (l) => void (err += l + '\n'),
    stdin: Readable.from([Buffer.from(stdin)]),
  });
  return { code, out: Buffer.concat(out), err };
}

/** A hash of the sources a built module depends on (the evaluator and the compiler). */
function sourceHash(): string {
  const hash = createHash('sha256');
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.(ts|json|toml)$/.test(entry.name)) hash.update(full).update(readFileSync(full));
    }
  };
  for (const dir of ['assembly', 'src', 'fields', 'rules']) walk(path.join(ROOT, dir));
  return hash.digest('hex');
}
let sources: string | undefined;

/**
 * `kql-edge build` into dir; returns the filter module's path (its WASI command is beside it). Each
 * build compiles the evaluator, so modules are kept in a cache shared by the test files, keyed by the
 * arguments and the sources; the files run one after another.
 */
export async function buildModule(dir: string, name: string, args: string[] = []): Promise<string> {
  sources ??= sourceHash();
  const key = createHash('sha256').update(sources).update(JSON.stringify(args)).digest('hex').slice(0, 20);
  const cached = path.join(tmpdir(), 'kqe-real-host-modules', key);
  const file = path.join(dir, `${name}.wasm`);
  const command = path.join(dir, `${name}.wasi.wasm`);
  if (!existsSync(path.join(cached, 'm.wasi.wasm'))) {
    const work = mkdtempSync(path.join(tmpdir(), 'kqe-real-build-'));
    const r = await cli(['build', ...args, '-o', path.join(work, 'm.wasm')]);
    if (r.code !== 0) throw new Error(`kql-edge build failed (${r.code}):\n${r.err}`);
    mkdirSync(path.dirname(cached), { recursive: true });
    try {
      renameSync(work, cached);
    } catch {
      // built meanwhile by another run: use that one
    }
  }
  copyFileSync(path.join(cached, 'm.wasm'), file);
  copyFileSync(path.join(cached, 'm.wasi.wasm'), command);
  return file;
}

/** The output lines of `kql-edge run` on a file (the verdicts the real host must reproduce). */
export async function kqlEdgeRun(input: string, args: string[] = []): Promise<string[]> {
  const r = await cli(['run', '--no-summary', ...args, input]);
  if (r.code !== 0) throw new Error(`kql-edge run failed (${r.code}):\n${r.err}`);
  return splitLines(r.out);
}

export function splitLines(text: Buffer | string): string[] {
  const s = typeof text === 'string' ? text : text.toString('utf8');
  const lines = s.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

function countLines(file: string): number {
  if (!existsSync(file)) return 0;
  const data = readFileSync(file);
  let n = 0;
  for (let i = data.indexOf(10); i !== -1; i = data.indexOf(10, i + 1)) n++;
  return n;
}

export interface FluentBitRun {
  /** Exit code, or null when a signal ended it. */
  code: number | null;
  signal: NodeJS.Signals | null;
  /** True when Fluent Bit stopped by itself before the test stopped it (e.g. a crash). */
  exitedEarly: boolean;
  /** True when the expected outputs were complete before the deadline. */
  complete: boolean;
  /** Fluent Bit's stdout and stderr (its log). */
  stdout: string;
  stderr: string;
}

export class FluentBitProcess {
  readonly child: ChildProcess;
  private exited?: { code: number | null; signal: NodeJS.Signals | null };
  private readonly exit: Promise<void>;
  private stoppedByUs = false;

  constructor(
    readonly dir: string,
    readonly configFile: string,
    readonly name = 'fb',
  ) {
    const out = openSync(this.stdoutFile, 'a');
    const err = openSync(this.stderrFile, 'a');
    this.child = spawn(FLUENT_BIT, ['-c', configFile], { cwd: dir, stdio: ['ignore', out, err] });
    closeSync(out);
    closeSync(err);
    this.exit = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        this.exited = { code, signal };
        resolve();
      });
      this.child.once('error', () => {
        this.exited = { code: 127, signal: null };
        resolve();
      });
    });
  }

  get stdoutFile(): string {
    return path.join(this.dir, `${this.name}.stdout`);
  }

  get stderrFile(): string {
    return path.join(this.dir, `${this.name}.stderr`);
  }

  get running(): boolean {
    return this.exited === undefined;
  }

  log(): string {
    return readText(this.stdoutFile) + readText(this.stderrFile);
  }

  /** Polls until `done()` holds, Fluent Bit exits, or timeoutMs passes; true when done() held. */
  async waitFor(done: () => boolean, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (done()) return true;
      if (!this.running || Date.now() > deadline) return done();
      await sleep(100);
    }
  }

  /** Waits until `text` appears in the log (count times). */
  waitForLog(pattern: RegExp, timeoutMs: number, count = 1): Promise<boolean> {
    return this.waitFor(() => (this.log().match(new RegExp(pattern.source, 'g')) ?? []).length >= count, timeoutMs);
  }

  signal(sig: NodeJS.Signals): void {
    if (this.running) this.child.kill(sig);
  }

  /** SIGTERM, then SIGKILL after graceMs; resolves once it has exited. */
  async stop(graceMs = 8_000): Promise<FluentBitRun> {
    const exitedEarly = !this.running && !this.stoppedByUs;
    if (this.running) {
      this.stoppedByUs = true;
      this.child.kill('SIGTERM');
      const killed = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
      await this.exit;
      clearTimeout(killed);
    }
    return {
      code: this.exited!.code,
      signal: this.exited!.signal,
      exitedEarly,
      complete: false,
      stdout: readText(this.stdoutFile),
      stderr: readText(this.stderrFile),
    };
  }
}

function readText(file: string): string {
  return existsSync(file) ? readFileSync(file, 'utf8') : '';
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export interface RunOptions {
  dir: string;
  /** The whole configuration text. */
  config: string;
  format?: 'classic' | 'yaml';
  /** Output files and how many lines each must reach before Fluent Bit is stopped. */
  expect: Record<string, number>;
  /** Deadline for the expected lines (then the run stops anyway and the test's checks fail). */
  timeoutMs?: number;
  /** Extra time after the expected lines arrived, to catch records that should not be there. */
  settleMs?: number;
  name?: string;
}

/** Writes the config and starts Fluent Bit on it (the caller waits and stops it). */
export function startFluentBit(dir: string, config: string, name = 'fb', format: 'classic' | 'yaml' = 'classic'): FluentBitProcess {
  const configFile = path.join(dir, `${name}.${format === 'yaml' ? 'yaml' : 'conf'}`);
  writeFileSync(configFile, config);
  return new FluentBitProcess(dir, configFile, name);
}

/** Starts Fluent Bit on a config, waits for the expected output lines, stops it. */
export async function runFluentBit(options: RunOptions): Promise<FluentBitRun> {
  const name = options.name ?? 'fb';
  const configFile = path.join(options.dir, `${name}.${options.format === 'yaml' ? 'yaml' : 'conf'}`);
  writeFileSync(configFile, options.config);
  const fb = new FluentBitProcess(options.dir, configFile, name);
  const complete = await fb.waitFor(
    () => Object.entries(options.expect).every(([file, lines]) => countLines(file) >= lines),
    options.timeoutMs ?? 60_000,
  );
  if (complete) await sleep(options.settleMs ?? 1_500);
  const run = await fb.stop();
  return { ...run, complete };
}

/** [SERVICE] for the tests: fast flushes, short grace, info log, our parsers. */
export function classicService(dir: string, extra: Record<string, string> = {}): string {
  const keys: Record<string, string> = {
    Flush: '0.5',
    Grace: '2',
    Log_Level: 'info',
    Parsers_File: writeParsers(dir),
    ...extra,
  };
  return '[SERVICE]\n' + Object.entries(keys).map(([k, v]) => `    ${k} ${v}\n`).join('') + '\n';
}

export function yamlService(dir: string, extra: Record<string, string> = {}): string {
  const keys: Record<string, string> = {
    flush: '0.5',
    grace: '2',
    log_level: 'info',
    parsers_file: writeParsers(dir),
    ...extra,
  };
  return 'service:\n' + Object.entries(keys).map(([k, v]) => `  ${k}: ${v}\n`).join('') + '\n';
}

export interface TailInput {
  path: string;
  tag?: string;
  /** 'json' or none (then each line arrives as {"log": "<line>"}). */
  parser?: string;
  /** Largest line in bytes (in_tail skips longer ones). */
  bufferMax?: string;
  /** in_tail's offsets database: lets a hot reload continue where the old instance stopped. */
  db?: string;
}

export function classicTail(input: TailInput): string {
  return `[INPUT]
    Name              tail
    Tag               ${input.tag ?? 'kube.audit'}
    Path              ${input.path}
${input.parser ? `    Parser            ${input.parser}\n` : ''}${input.db ? `    DB                ${input.db}\n` : ''}    Read_from_Head    On
    Refresh_Interval  1
    Buffer_Chunk_Size 64k
    Buffer_Max_Size   ${input.bufferMax ?? '1M'}
    Mem_Buf_Limit     64M

`;
}

export function yamlTail(input: TailInput): string {
  return `    - name: tail
      tag: ${input.tag ?? 'kube.audit'}
      path: ${input.path}
${input.parser ? `      parser: ${input.parser}\n` : ''}${input.db ? `      db: ${input.db}\n` : ''}      read_from_head: on
      refresh_interval: 1
      buffer_chunk_size: 64k
      buffer_max_size: ${input.bufferMax ?? '1M'}
      mem_buf_limit: 64M
`;
}

/** out_file writing one JSON record per line (Format plain: the record body, no tag, no time). */
export function classicFileOutput(match: string, file: string): string {
  return `[OUTPUT]
    Name   file
    Match  ${match}
    Path   ${path.dirname(file)}
    File   ${path.basename(file)}
    Format plain

`;
}

export function yamlFileOutput(match: string, file: string): string {
  return `    - name: file
      match: '${match}'
      path: ${path.dirname(file)}
      file: ${path.basename(file)}
      format: plain
`;
}

/** The filter sections `kql-edge fluent-bit-config` prints, verbatim. */
export async function printedFilters(wasm: string, stateDir: string, format: 'classic' | 'yaml', match = 'kube.audit*'): Promise<string> {
  const r = await cli(['fluent-bit-config', '--wasm', wasm, '--state-dir', stateDir, '--match', match, '--format', format]);
  if (r.code !== 0) throw new Error(`fluent-bit-config failed: ${r.err}`);
  return r.out.toString('utf8');
}

/**
 * A whole config around the printed filter sections: the test's service, one tail input, and file
 * outputs for the main stream (`match`) and for the alert tag.
 */
export async function configAroundPrinted(options: {
  dir: string;
  wasm: string;
  stateDir?: string;
  format: 'classic' | 'yaml';
  /** One tail input, or several (e.g. one with the json parser and one without). */
  input: TailInput | TailInput[];
  outputs: Record<string, string>;
  service?: Record<string, string>;
  /** false: the same config without the printed filters (a baseline of what Fluent Bit does alone). */
  withFilters?: boolean;
}): Promise<string> {
  const inputs = Array.isArray(options.input) ? options.input : [options.input];
  const printed = options.withFilters === false
    ? options.format === 'yaml' ? 'pipeline:\n' : ''
    : await printedFilters(options.wasm, options.stateDir ?? options.dir, options.format);
  if (options.format === 'classic') {
    return (
      classicService(options.dir, options.service) +
      inputs.map(classicTail).join('') +
      printed +
      '\n' +
      Object.entries(options.outputs).map(([match, file]) => classicFileOutput(match, file)).join('')
    );
  }
  // The printed YAML ends inside `pipeline:`; inputs and outputs are added to that same mapping.
  return (
    yamlService(options.dir, options.service) +
    printed +
    '  inputs:\n' +
    inputs.map(yamlTail).join('') +
    '  outputs:\n' +
    Object.entries(options.outputs).map(([match, file]) => yamlFileOutput(match, file)).join('')
  );
}

/** Log lines Fluent Bit wrote at error level (or worse). */
export function errorLines(log: string): string[] {
  return log.split('\n').filter((l) => /\[\s*(error|fatal)\]|caught signal \((?!SIGTERM|SIGHUP)/.test(l));
}

/** Lines of a file, each parsed; throws naming the first line that is not JSON. */
export function readRecords(file: string): Record<string, unknown>[] {
  if (!existsSync(file)) return [];
  return splitLines(readFileSync(file)).map((l, i) => {
    try {
      return JSON.parse(l) as Record<string, unknown>;
    } catch {
      throw new Error(`${path.basename(file)} line ${i + 1} is not valid JSON: ${l.slice(0, 200)}`);
    }
  });
}

export function fileSize(file: string): number {
  return existsSync(file) ? statSync(file).size : 0;
}

export { countLines };
