// User errors on the command line: one line saying what went wrong and what to do, the documented
// exit code, and a stack trace only with --debug or KQL_EDGE_DEBUG=1.
import { describe, it, expect, afterEach } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { main } from '../src/cli/main.js';
import { describeFailure, withoutDebugFlag } from '../src/cli/failure.js';
import { EXIT_USAGE, EXIT_INTERNAL } from '../src/cli/exit.js';
import { ModuleBuildError } from '../src/build/module.js';

async function cli(args: string[]): Promise<{ code: number; out: string; err: string[] }> {
  let out = '';
  const err: string[] = [];
  const code = await main(['node', 'kql-edge', ...args], {
    out: (c) => void (out += typeof c === 'string' ? c : Buffer.from(c).toString()),
    err: (l) => void err.push(...l.replace(/\n$/, '').split('\n')),
    stdin: Readable.from([]),
  });
  return { code, out, err };
}

const dir = mkdtempSync(path.join(tmpdir(), 'kqe-cli-errors-'));
const STACK_LINE = /^\s+at /;

function expectOneLine(r: { code: number; err: string[] }, pattern: RegExp): void {
  expect(r.code).toBe(EXIT_USAGE);
  expect(r.err, r.err.join('\n')).toHaveLength(1);
  expect(r.err[0]).toMatch(pattern);
}

describe('user errors: one line, exit 2, no stack', () => {
  it('run: an input file that does not exist, or is a folder', async () => {
    expectOneLine(await cli(['run', path.join(dir, 'missing.ndjson')]), /^kql-edge: cannot read input .*missing\.ndjson: no such file or folder \(check the path/);
    expectOneLine(await cli(['run', dir]), /^kql-edge: cannot read input .*: it is a folder, not a file$/);
  });

  it('build: an output folder that does not exist, or an output that is a folder (checked before compiling)', async () => {
    const started = Date.now();
    expectOneLine(await cli(['build', '-o', path.join(dir, 'no-such-folder', 'x.wasm')]), /^kql-edge: cannot write .*x\.wasm: the folder .*no-such-folder does not exist/);
    expectOneLine(await cli(['build', '-o', dir]), /^kql-edge: cannot write .*: it is a folder \(give a file name/);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('demo: an input that does not exist', async () => {
    expectOneLine(await cli(['demo', '--input', path.join(dir, 'nope.ndjson')]), /^kql-edge: cannot read input .*nope\.ndjson: no such file/);
  });

  it('inspect: a missing file, and a file that is not a kql-edge module', async () => {
    expectOneLine(await cli(['inspect', path.join(dir, 'none.wasm')]), /^kql-edge: cannot read .*none\.wasm: no such file/);
    const text = path.join(dir, 'text.wasm');
    writeFileSync(text, 'not a module');
    expectOneLine(await cli(['inspect', text]), /^kql-edge: .*text\.wasm is not a module built by kql-edge build/);
    // A module whose kql-edge section does not hold a manifest.
    const name = Buffer.from('kql-edge');
    const payload = Buffer.from('{not json');
    const section = Buffer.concat([Buffer.from([name.length]), name, payload]);
    const broken = path.join(dir, 'broken.wasm');
    writeFileSync(broken, Buffer.concat([Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 0, section.length]), section]));
    expectOneLine(await cli(['inspect', broken]), /broken\.wasm is not a module built by kql-edge build \(.*JSON/);
  });

  it('a field table that cannot be read', async () => {
    expectOneLine(await cli(['check', '--field-types', path.join(dir, 'fields.json')]), /^kql-edge: --field-types .*fields\.json: cannot read field table/);
  });

  it('serve: a state file in a folder that does not exist', async () => {
    expectOneLine(
      await cli(['serve', '--forward', '-', '--listen', '127.0.0.1:0', '--state-file', path.join(dir, 'gone', 'state.snap')]),
      /^kql-edge: cannot write .*state\.snap: the folder .*gone does not exist/,
    );
  });

  it('a rules folder without rules is a warning naming it', async () => {
    const empty = mkdtempSync(path.join(dir, 'empty-'));
    const r = await cli(['check', '--rules', empty]);
    expect(r.code).toBe(0);
    expect(r.err).toEqual([expect.stringMatching(/^warning: no rules found in .*empty-/)]);
  });

  it('a bad option: commander says which, then where the options are listed', async () => {
    const r = await cli(['build', '--no-such-option', '-o', 'x.wasm']);
    expect(r.code).toBe(EXIT_USAGE);
    expect(r.err).toEqual(["error: unknown option '--no-such-option'", '(kql-edge build --help lists its options)']);
  });
});

describe('--debug and KQL_EDGE_DEBUG', () => {
  const saved = process.env.KQL_EDGE_DEBUG;
  afterEach(() => {
    if (saved === undefined) delete process.env.KQL_EDGE_DEBUG;
    else process.env.KQL_EDGE_DEBUG = saved;
  });

  it('--debug anywhere in the arguments adds the stack trace (with its cause)', async () => {
    delete process.env.KQL_EDGE_DEBUG;
    const missing = path.join(dir, 'missing.ndjson');
    for (const args of [['--debug', 'run', missing], ['run', missing, '--debug']]) {
      const r = await cli(args);
      expect(r.code).toBe(EXIT_USAGE);
      expect(r.err[0]).toMatch(/^kql-edge: cannot read input/);
      expect(r.err.some((l) => STACK_LINE.test(l))).toBe(true);
      expect(r.err.some((l) => l.startsWith('caused by: Error: ENOENT'))).toBe(true);
    }
  });

  it('KQL_EDGE_DEBUG=1 does the same; 0 does not', async () => {
    const missing = path.join(dir, 'missing.ndjson');
    process.env.KQL_EDGE_DEBUG = '1';
    expect((await cli(['run', missing])).err.some((l) => STACK_LINE.test(l))).toBe(true);
    process.env.KQL_EDGE_DEBUG = '0';
    expect((await cli(['run', missing])).err).toHaveLength(1);
  });

  it('--debug after `--` belongs to the command, not to kql-edge', () => {
    expect(withoutDebugFlag(['node', 'kql-edge', 'run', '--debug', '--', '--debug'])).toEqual(['node', 'kql-edge', 'run', '--', '--debug']);
  });
});

describe('failures that are not the user\'s', () => {
  it('an unexpected error is an internal error: one line asking for a report, exit 3', () => {
    const f = describeFailure(new TypeError("Cannot read properties of undefined (reading 'x')\n    at somewhere"));
    expect(f.exitCode).toBe(EXIT_INTERNAL);
    expect(f.message).not.toContain('\n');
    expect(f.message).toMatch(/^kql-edge: internal error: Cannot read properties .*please report it .*--debug/);
  });

  it('an evaluator that cannot be compiled says the package is damaged', () => {
    const f = describeFailure(new ModuleBuildError("compiling the evaluator failed: 1 parse error(s)\nERROR TS6054: File 'assembly/index.ts' not found.\n"));
    expect(f.exitCode).toBe(EXIT_INTERNAL);
    expect(f.message).toMatch(/TS6054.*reinstall kql-edge/);
    expect(f.message).not.toContain('\n');
  });

  it('a file error no command checked for is still one line, exit 2', () => {
    const err = Object.assign(new Error("EROFS: read-only file system, open '/ro/x.wasm'"), { code: 'EROFS', syscall: 'open', path: '/ro/x.wasm' });
    expect(describeFailure(err)).toEqual({ message: 'kql-edge: cannot open /ro/x.wasm: the file system is read-only (choose another path)', exitCode: EXIT_USAGE });
  });
});
