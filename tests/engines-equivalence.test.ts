// The WASI command artefact gives byte-identical output through two independent engines: Node's
// node:wasi and a native build made with wasm2c + gcc.
import { describe, it, expect, beforeAll } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { rulesFrom, DEFAULT_RULES, rawEvent, PACK, hasShared } from './helpers/evaluator.js';
import { compileProgram } from '../src/compiler/index.js';
import { writeArtifacts } from '../src/build/artifact.js';
import { runNodeWasi } from '../src/engines/node-wasi.js';
import { buildNative, runNative, nativeEngineAvailable, nativeEngineUnavailableReason } from '../src/engines/native.js';
import type { Rule } from '../src/rules/types.js';

const iso = (ms: number) => new Date(ms).toISOString();
const T0 = Date.parse('2026-03-01T00:00:00Z');

/** A corpus with matches, repeats, non-matches, CRLF endings, blank lines, non-JSON and escapes. */
function corpus(): string {
  const lines: string[] = [];
  for (let i = 0; i < 400; i++) {
    const decision = i % 5 === 0 ? 'forbid' : 'allow';
    const ev = rawEvent({
      auditID: `id-${i}`,
      userAgent: i % 3 === 0 ? `agent-${i % 17}` : 'kubectl/v1.29.3 (linux/amd64) kubernetes/abc1234',
      annotations: { 'authorization.k8s.io/decision': decision },
      stageTimestamp: iso(T0 + i * 60_000),
      verb: ['get', 'list', 'create', 'patch'][i % 4],
    });
    let text = JSON.stringify(ev);
    if (i % 11 === 0) text = text.replace(/[a-z]gent/g, (m) => `\\u00${m.charCodeAt(0).toString(16)}gent`);
    lines.push(text + (i % 7 === 0 ? '\r' : ''));
    if (i % 50 === 0) lines.push('', 'this line is not JSON', '{"kind": 0}', '[1,2]');
  }
  return lines.join('\n') + '\n';
}

const native = nativeEngineAvailable();

describe.skipIf(!native)(`native (wasm2c + gcc) and node:wasi agree byte for byte${native ? '' : ` (skipped: ${nativeEngineUnavailableReason()})`}`, () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kql-edge-engines-'));
  const input = corpus();

  async function commandModule(rules: Rule[], name: string): Promise<string> {
    const program = compileProgram(rules);
    const written = await writeArtifacts(program.ir, program.bytes, path.join(dir, `${name}.wasm`));
    return written.commandPath;
  }

  let seedCommand: string;
  beforeAll(async () => {
    seedCommand = await commandModule(await rulesFrom([DEFAULT_RULES]), 'seed');
  }, 180_000);

  it('seed rule: same stdout, same counters, alerts present', async () => {
    const exe = await buildNative(seedCommand, path.join(dir, 'native'));
    const [a, b] = await Promise.all([runNodeWasi(seedCommand, { stdin: input }), runNative(exe, { stdin: input })]);
    expect(a.code).toBe(0);
    expect(b.code).toBe(0);
    expect(b.stdout.equals(a.stdout)).toBe(true);
    expect(b.stderr.toString()).toBe(a.stderr.toString());
    const out = a.stdout.toString().split('\n').filter(Boolean);
    // Every non-blank input line comes out once, in order.
    const inLines = input.split('\n').map((l) => l.replace(/\r$/, '')).filter((l) => l.trim() !== '');
    expect(out.length).toBe(inLines.length);
    const tagged = out.filter((l) => l.includes('"kql_edge"'));
    expect(tagged.length).toBeGreaterThan(5);
    for (const t of tagged) expect(() => JSON.parse(t)).not.toThrow();
    const counters = JSON.parse(a.stderr.toString().trim().split('\n').pop()!);
    expect(counters.records).toBe(inLines.length);
    expect(counters.tagged).toBe(tagged.length);
  }, 180_000);

  it.skipIf(!hasShared)('the Kubernetes pack (requires ../shared): same stdout', async () => {
    const cmd = await commandModule(await rulesFrom([PACK]), 'pack');
    const exe = await buildNative(cmd, path.join(dir, 'native'));
    const [a, b] = await Promise.all([runNodeWasi(cmd, { stdin: input }), runNative(exe, { stdin: input })]);
    expect(b.stdout.equals(a.stdout)).toBe(true);
    expect(a.stdout.toString()).toContain('"kql_edge"');
  }, 240_000);
});
