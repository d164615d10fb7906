// New Terms state in a real Fluent Bit, built with --state-file inside Accessible_Paths and the default
// snapshot cadence: a term learned before a restart or a hot reload (SIGHUP, POST /api/v2/reload) does
// not alert again after it. A truncated or garbage state file is ignored with one log line and every
// record still passes.
import { describe, it, expect, afterAll } from 'vitest';
import { appendFileSync, existsSync, mkdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT, rawEvent } from '../helpers/evaluator.js';
import {
  buildModule, configAroundPrinted, countLines, errorLines, fluentBitSkip, freePort, hasFluentBit, kqlEdgeRun, readRecords,
  runFluentBit, sleep, startFluentBit, workDir, removeWorkDirs,
} from './runner.js';

afterAll(removeWorkDirs);

const T0 = Date.UTC(2026, 2, 1, 8, 0, 0);

/** Denied service-account requests, one a minute (so the default 300 s snapshot trigger fires between them). */
function phase(name: string, agents: string[], startMinute: number): string {
  return agents
    .map((agent, i) => JSON.stringify(rawEvent({
      auditID: `${name}-${agent}`,
      userAgent: agent,
      requestReceivedTimestamp: new Date(T0 + (startMinute + i) * 60_000).toISOString(),
      stageTimestamp: new Date(T0 + (startMinute + i) * 60_000 + 1).toISOString(),
    })) + '\n')
    .join('');
}

const agents = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${i}/1.0`);
const OLD = agents('learned', 30);

function taggedAgents(file: string, phaseName: string): string[] {
  return readRecords(file)
    .filter((r) => String(r.auditID).startsWith(`${phaseName}-`) && r.kql_edge !== undefined)
    .map((r) => String(r.userAgent));
}

async function stateModule(dir: string): Promise<{ wasm: string; stateDir: string; stateFile: string }> {
  const stateDir = path.join(dir, 'state');
  mkdirSync(stateDir, { recursive: true });
  const stateFile = path.join(stateDir, 'new-terms.state');
  const wasm = await buildModule(dir, 'seed-state', ['--state-file', stateFile]);
  return { wasm, stateDir, stateFile };
}

describe.skipIf(!hasFluentBit)(`real Fluent Bit: New Terms state across restarts and reloads${fluentBitSkip}`, () => {
  it('a restart: no learned term alerts again', async () => {
    const dir = workDir('state-restart');
    const { wasm, stateDir } = await stateModule(dir);
    const first = path.join(dir, 'first.ndjson');
    const second = path.join(dir, 'second.ndjson');
    writeFileSync(first, phase('first', OLD, 0));
    const NEW = agents('new', 5);
    writeFileSync(second, phase('second', [...OLD, ...NEW], 60));
    const outputs = [path.join(dir, 'out1.ndjson'), path.join(dir, 'out2.ndjson')];
    for (const [i, input] of [first, second].entries()) {
      const config = await configAroundPrinted({ dir, wasm, stateDir, format: 'classic', input: { path: input, parser: 'json' }, outputs: { 'kube.audit*': outputs[i] } });
      const run = await runFluentBit({ dir, config, name: `run${i + 1}`, expect: { [outputs[i]]: i === 0 ? 30 : 35 }, timeoutMs: 30_000 });
      expect(run.exitedEarly).toBe(false);
      expect(errorLines(run.stderr + run.stdout)).toEqual([]);
    }
    expect(taggedAgents(outputs[0], 'first')).toEqual(OLD);
    expect(countLines(outputs[1])).toBe(35);
    expect(taggedAgents(outputs[1], 'second')).toEqual(NEW);
  }, 120_000);

  it('hot reloads (SIGHUP, then POST /api/v2/reload): no learned term alerts again', async () => {
    const dir = workDir('state-reload');
    const { wasm, stateDir } = await stateModule(dir);
    const input = path.join(dir, 'growing.ndjson');
    const out = path.join(dir, 'out.ndjson');
    const port = await freePort();
    writeFileSync(input, phase('first', OLD, 0));
    const config = await configAroundPrinted({
      dir, wasm, stateDir, format: 'classic',
      input: { path: input, parser: 'json', db: path.join(dir, 'tail.db') },
      outputs: { 'kube.audit*': out },
      service: { Hot_Reload: 'On', HTTP_Server: 'On', HTTP_Listen: '127.0.0.1', HTTP_Port: String(port) },
    });
    const fb = startFluentBit(dir, config);
    try {
      expect(await fb.waitFor(() => countLines(out) >= 30, 30_000)).toBe(true);
      fb.signal('SIGHUP');
      expect(await fb.waitForLog(/successful reload done/, 30_000)).toBe(true);

      const SECOND = agents('second', 5);
      appendFileSync(input, phase('second', [...OLD, ...SECOND], 60));
      expect(await fb.waitFor(() => countLines(out) >= 65, 30_000)).toBe(true);
      const answer = await fetch(`http://127.0.0.1:${port}/api/v2/reload`, { method: 'POST', body: '' });
      expect(answer.status).toBe(200);
      expect(await fb.waitForLog(/successful reload done/, 30_000, 2)).toBe(true);

      const THIRD = agents('third', 3);
      appendFileSync(input, phase('third', [...OLD, ...SECOND, ...THIRD], 120));
      expect(await fb.waitFor(() => countLines(out) >= 103, 30_000)).toBe(true);
      await sleep(1_500);
      const run = await fb.stop();
      expect(run.exitedEarly).toBe(false);
      expect(errorLines(run.stderr + run.stdout)).toEqual([]);
      expect(countLines(out)).toBe(103);
      expect(taggedAgents(out, 'first')).toEqual(OLD);
      expect(taggedAgents(out, 'second')).toEqual(SECOND);
      expect(taggedAgents(out, 'third')).toEqual(THIRD);
    } finally {
      await fb.stop();
    }
  }, 150_000);

  it('a truncated or garbage state file is ignored with one log line; every record passes', async () => {
    const dir = workDir('state-bad');
    const { wasm, stateDir, stateFile } = await stateModule(dir);
    const sample = path.join(ROOT, 'samples/audit.ndjson');
    const fresh = (await kqlEdgeRun(sample)).filter((l) => l.includes('"kql_edge"')).length;
    const runOnce = async (name: string) => {
      const out = path.join(dir, `${name}.ndjson`);
      const config = await configAroundPrinted({ dir, wasm, stateDir, format: 'classic', input: { path: sample, parser: 'json' }, outputs: { 'kube.audit*': out } });
      const run = await runFluentBit({ dir, config, name, expect: { [out]: 400 }, timeoutMs: 30_000 });
      expect(run.exitedEarly).toBe(false);
      expect(errorLines(run.stderr + run.stdout)).toEqual([]);
      const records = readRecords(out);
      expect(records.length).toBe(400);
      return { log: run.stderr + run.stdout, tagged: records.filter((r) => r.kql_edge !== undefined).length };
    };
    // A first run writes a real state file (the sample spans hours of event time).
    const good = await runOnce('good');
    expect(good.tagged).toBe(fresh);
    expect(existsSync(stateFile)).toBe(true);
    const size = statSync(stateFile).size;
    expect(size).toBeGreaterThan(16);

    truncateSync(stateFile, Math.floor(size / 2));
    const truncated = await runOnce('truncated');
    expect(truncated.tagged).toBe(fresh);
    expect(truncated.log.split('\n').filter((l) => /kql-edge/.test(l) && /ignored/.test(l)).length).toBe(1);

    writeFileSync(stateFile, Buffer.from(readFileSync(sample).subarray(0, 5000)));
    const garbage = await runOnce('garbage');
    expect(garbage.tagged).toBe(fresh);
    expect(garbage.log.split('\n').filter((l) => /kql-edge/.test(l) && /ignored/.test(l)).length).toBe(1);
  }, 150_000);
});
