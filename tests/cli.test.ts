// The kql-edge command line, run in-process: commands, exit codes, messages.
import { describe, it, expect } from 'vitest';
import { mkdtempSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { main } from '../src/cli/main.js';
import { DEFAULT_RULES, rawEvent, hasShared, PACK } from './helpers/evaluator.js';

async function cli(args: string[], stdin = ''): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(['node', 'kql-edge', ...args], {
    out: (c) => void (out += typeof c === 'string' ? c : Buffer.from(c).toString()),
    err: (l) => void (err += l + '\n'),
    stdin: Readable.from([Buffer.from(stdin)]),
  });
  return { code, out, err };
}

const dir = mkdtempSync(path.join(tmpdir(), 'kqe-cli-'));
const ruleText = readFileSync(path.join(DEFAULT_RULES, 'discovery_denied_service_account_request.toml'), 'utf8');

describe('kql-edge run', () => {
  it('tags matching lines, passes others exactly, keeps non-JSON lines, skips blank ones, handles CRLF', async () => {
    const match = JSON.stringify(rawEvent({ userAgent: 'cli-test/1' }));
    const allow = JSON.stringify(rawEvent({ annotations: { 'authorization.k8s.io/decision': 'allow' } }));
    const r = await cli(['run'], `${match}\r\n\n${allow}\nnot json\n{"kind": 0}`);
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    expect(lines.length).toBe(5); // four records and the final newline
    expect(JSON.parse(lines[0]).kql_edge.alerts[0].new_terms.values).toEqual(['cli-test/1']);
    expect(lines[1]).toBe(allow);
    expect(lines[2]).toBe('not json');
    expect(lines[3]).toBe('{"kind": 0}');
    expect(r.err).toMatch(/4 records .* 1 tagged, 3 passed through/);
    expect(r.err).toMatch(/1 alerts\s+1 query matches\s+63c056a0/);
  });

  it('reads a file argument', async () => {
    const file = path.join(dir, 'in.ndjson');
    writeFileSync(file, JSON.stringify(rawEvent({ userAgent: 'from-file' })) + '\n');
    const r = await cli(['run', '--no-summary', file]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).kql_edge.alerts.length).toBe(1);
    expect(r.err).toBe('');
  });
});

describe('kql-edge build and inspect', () => {
  it('writes a filter module and its WASI sibling; inspect lists what is inside', async () => {
    const out = path.join(dir, 'seed.wasm');
    const r = await cli(['build', '--rules', DEFAULT_RULES, '-o', out]);
    expect(r.code).toBe(0);
    expect(existsSync(out)).toBe(true);
    expect(existsSync(path.join(dir, 'seed.wasi.wasm'))).toBe(true);
    const imports = WebAssembly.Module.imports(new WebAssembly.Module(readFileSync(out)));
    expect(imports.filter((i) => i.module === 'env').map((i) => i.name).sort()).toEqual(['memchr', 'strlen', 'strstr']);
    const wasi = WebAssembly.Module.imports(new WebAssembly.Module(readFileSync(path.join(dir, 'seed.wasi.wasm'))));
    expect(wasi.filter((i) => i.module !== 'wasi_snapshot_preview1')).toEqual([]);
    const i = await cli(['inspect', out]);
    for (const name of ['memchr', 'strlen', 'strstr']) expect(i.out).toMatch(new RegExp(`imports: .*env\\.${name}`));
    expect(i.code).toBe(0);
    expect(i.out).toMatch(/ABI version 2, program format version 1/);
    expect(i.out).toMatch(/63c056a0-339a-11ed-a261-0242ac120002\s+new_terms/);
    expect(i.out).toMatch(/new terms on kubernetes.audit.userAgent, history now-7d/);
  }, 120_000);

  it('-o is required', async () => {
    expect((await cli(['build', '--rules', DEFAULT_RULES])).code).toBe(2);
  });
});

describe('errors and exit codes', () => {
  it('a KQL syntax error names file, line and column; exit 2', async () => {
    const bad = path.join(dir, 'bad.toml');
    writeFileSync(bad, ruleText.replace('kubernetes.audit.userAgent:(*', 'kubernetes.audit.userAgent:(* and not ('));
    const r = await cli(['check', '--rules', bad]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(new RegExp(`${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: expected`));
  });

  it('an unknown field is a warning with the closest known name, not an error', async () => {
    const typo = path.join(dir, 'typo.toml');
    writeFileSync(typo, ruleText.replace('kubernetes.audit.userAgent:(*', 'kubernetes.audit.userAgnt:(*'));
    const r = await cli(['check', '--rules', typo]);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/unknown field kubernetes.audit.userAgnt .*did you mean kubernetes.audit.userAgent\?/);
  });

  it('a missing rules path is exit 2; an unknown option is exit 2', async () => {
    expect((await cli(['run', '--rules', path.join(dir, 'nope')])).code).toBe(2);
    expect((await cli(['run', '--bogus'])).code).toBe(2);
  });

  it.skipIf(!hasShared)('check on the Kubernetes pack (requires ../shared): exit 0, every rule loaded, listed by name and type', async () => {
    const r = await cli(['check', '--rules', PACK]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/45 loaded, 0 skipped/);
    expect(r.out).toMatch(/loaded\s+\S+\s+esql\s+/);
    expect(r.out).toMatch(/loaded\s+\S+\s+eql\s+/);
    expect(r.out).not.toMatch(/skipped\s+\S+\s+eql\s+/);
  });

  it('--help works on every command', async () => {
    for (const cmd of ['build', 'run', 'check', 'inspect', 'fluent-bit-config', 'demo', 'serve', 'vector-config']) {
      const r = await cli([cmd, '--help']);
      expect(r.code, cmd).toBe(0);
      expect(r.out, cmd).toMatch(/Usage: kql-edge/);
    }
  });
});

describe('kql-edge fluent-bit-config', () => {
  it('prints classic and YAML sections with Event_Format json, Wasm_Stack_Size 1M and the minimum version', async () => {
    const r = await cli(['fluent-bit-config', '--wasm', '/etc/fluent-bit/filter.wasm']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/\[FILTER\][\s\S]*Name\s+wasm[\s\S]*WASM_Path\s+\/etc\/fluent-bit\/filter.wasm[\s\S]*Function_Name\s+filter[\s\S]*Event_Format\s+json[\s\S]*Wasm_Stack_Size\s+1M/);
    expect(r.out).toMatch(/event_format: json/);
    expect(r.out).toMatch(/4\.2\.0/);
  });
});

describe('the installed command (bin/kql-edge.js, needs dist/ from npm run build)', () => {
  it('takes --wasm FILE with a space (the compiler package must not read our arguments)', async () => {
    const { execFileSync } = await import('node:child_process');
    const bin = path.resolve(__dirname, '../bin/kql-edge.js');
    const out = execFileSync(process.execPath, [bin, 'fluent-bit-config', '--wasm', '/opt/kql-edge/filter.wasm'], { encoding: 'utf8' });
    expect(out).toMatch(/WASM_Path\s+\/opt\/kql-edge\/filter.wasm/);
  });
});
