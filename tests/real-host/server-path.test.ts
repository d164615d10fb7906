// Fluent Bit as a real client of `kql-edge serve --forward`: an upstream Fluent Bit (tail -> http output)
// -> kql-edge serve -> a downstream Fluent Bit (http input -> files), run from deploy/fluent-bit/'s
// upstream.conf, downstream.conf and parsers.conf with this test's paths and ports in their @SET lines.
// The downstream is stopped and restarted mid-stream: the upstream retries, every record arrives once,
// tagged as `kql-edge run` tags it, no alert twice; in normal operation (and across an idle pause longer
// than the http input's 10 s timeout) neither Fluent Bit logs an error.
import { describe, it, expect, afterAll } from 'vitest';
import { EventEmitter } from 'node:events';
import { appendFileSync, copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { Command } from 'commander';
import { ROOT } from '../helpers/evaluator.js';
import { registerServe } from '../../src/cli/commands/serve.js';
import type { TransformServer } from '../../src/server/server.js';
import type { CliIO } from '../../src/cli/io.js';
import { generateEvents } from '../../src/bench/generator.js';
import {
  FluentBitProcess, countLines, errorLines, fluentBitSkip, freePort, hasFluentBit, kqlEdgeRun, readRecords, sleep, splitLines, workDir, removeWorkDirs,
} from './runner.js';

afterAll(removeWorkDirs);

const DEPLOY = path.join(ROOT, 'deploy/fluent-bit');

/** A deploy config with its @SET lines replaced. */
function fillIn(file: string, values: Record<string, string>): string {
  let text = readFileSync(path.join(DEPLOY, file), 'utf8');
  for (const [key, value] of Object.entries(values)) {
    const line = new RegExp(`^@SET ${key}=.*$`, 'm');
    if (!line.test(text)) throw new Error(`${file} has no @SET ${key}`);
    text = text.replace(line, `@SET ${key}=${value}`);
  }
  return text;
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function until(check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await sleep(100);
  }
  return check();
}

/** kql-edge serve in this process (the command's own code), stopped by the returned function. */
async function serve(args: string[], log: string[]): Promise<{ server: TransformServer; stop: () => Promise<void> }> {
  const io: CliIO = { out: () => {}, err: (l) => void log.push(l), stdin: new PassThrough() };
  const signals = new EventEmitter();
  let server: TransformServer | undefined;
  const program = new Command('kql-edge').exitOverride();
  registerServe(program, io, signals, (s) => (server = s));
  const running = program.parseAsync(['node', 'kql-edge', 'serve', ...args]);
  running.catch(() => {});
  if (!(await until(() => server !== undefined, 30_000))) throw new Error(`kql-edge serve did not start:\n${log.join('\n')}`);
  return {
    server: server!,
    stop: async () => {
      signals.emit('SIGTERM');
      await running;
    },
  };
}

interface Alert {
  rule_id: string;
  new_terms?: { values: unknown[] };
}

/** Each alert as "rule id + new-term values": which terms alerted, whatever record carried them. */
function alertKeys(records: Record<string, unknown>[]): string[] {
  return records
    .flatMap((r) => ((r.kql_edge as { alerts?: Alert[] } | undefined)?.alerts ?? []).map((a) => `${a.rule_id} ${JSON.stringify(a.new_terms?.values ?? r.auditID)}`))
    .sort();
}

describe.skipIf(!hasFluentBit)(`real Fluent Bit -> kql-edge serve -> Fluent Bit${fluentBitSkip}`, () => {
  it('the downstream restarts mid-stream: every record arrives once, tagged once, no error line in normal operation', async () => {
    const dir = workDir('server-path');
    for (const sub of ['up', 'down', 'out']) mkdirSync(path.join(dir, sub));
    copyFileSync(path.join(DEPLOY, 'parsers.conf'), path.join(dir, 'parsers.conf'));
    const auditLog = path.join(dir, 'audit.log');
    writeFileSync(auditLog, '');
    const [serverPort, downstreamPort] = [await freePort(), await freePort()];
    const upstreamConfig = path.join(dir, 'upstream.conf');
    const downstreamConfig = path.join(dir, 'downstream.conf');
    writeFileSync(upstreamConfig, fillIn('upstream.conf', { AUDIT_LOG: auditLog, STATE_DIR: path.join(dir, 'up'), KQL_EDGE_PORT: String(serverPort) }));
    writeFileSync(downstreamConfig, fillIn('downstream.conf', { LISTEN_PORT: String(downstreamPort), STATE_DIR: path.join(dir, 'down'), OUTPUT_DIR: path.join(dir, 'out') }));
    const delivered = path.join(dir, 'out/audit.ndjson');
    const alertsFile = path.join(dir, 'out/alerts.ndjson');

    const lines = [
      ...splitLines(readFileSync(path.join(ROOT, 'samples/audit.ndjson'))),
      ...generateEvents({ seed: 404, count: 2_000, startTime: Date.UTC(2024, 5, 1) }),
    ];
    const slices: string[][] = [];
    for (let i = 0; i < lines.length; i += 200) slices.push(lines.slice(i, i + 200));

    const serverLog: string[] = [];
    const processes: FluentBitProcess[] = [];
    let stopServer: (() => Promise<void>) | undefined;
    try {
      let downstream = new FluentBitProcess(dir, downstreamConfig, 'downstream1');
      processes.push(downstream);
      expect(await until(() => portOpen(downstreamPort), 20_000)).toBe(true);
      const served = await serve(['--listen', `127.0.0.1:${serverPort}`, '--forward', `http://127.0.0.1:${downstreamPort}/`], serverLog);
      stopServer = served.stop;
      const upstream = new FluentBitProcess(dir, upstreamConfig, 'upstream');
      processes.push(upstream);

      // Normal operation: a few slices, then an idle pause longer than the http input's 10 s timeout.
      let written = 0;
      for (const slice of slices.slice(0, 3)) {
        appendFileSync(auditLog, slice.join('\n') + '\n');
        written += slice.length;
        await sleep(300);
      }
      expect(await until(() => countLines(delivered) >= written, 30_000)).toBe(true);
      await sleep(12_000);
      expect(errorLines(upstream.log()), 'upstream log').toEqual([]);
      expect(errorLines(downstream.log()), 'downstream log').toEqual([]);

      // The downstream goes away while records keep coming, and comes back.
      await downstream.stop();
      for (const slice of slices.slice(3, 6)) {
        appendFileSync(auditLog, slice.join('\n') + '\n');
        await sleep(500);
      }
      await sleep(2_000);
      downstream = new FluentBitProcess(dir, downstreamConfig, 'downstream2');
      processes.push(downstream);
      for (const slice of slices.slice(6)) {
        appendFileSync(auditLog, slice.join('\n') + '\n');
        await sleep(200);
      }
      expect(await until(() => countLines(delivered) >= lines.length, 90_000), `${countLines(delivered)} of ${lines.length} delivered`).toBe(true);
      const expectedRun = (await kqlEdgeRun(auditLog)).map((l) => JSON.parse(l) as Record<string, unknown>);
      const expectedTagged = expectedRun.filter((r) => r.kql_edge !== undefined).length;
      await until(() => countLines(alertsFile) >= expectedTagged, 10_000);
      await sleep(2_000);

      const records = readRecords(delivered);
      // Every record once.
      const ids = records.map((r) => String(r.auditID));
      expect(ids.length).toBe(lines.length);
      expect(new Set(ids).size).toBe(lines.length);
      expect([...ids].sort()).toEqual(lines.map((l) => String(JSON.parse(l).auditID)).sort());
      // Tagged as kql-edge run tags the same log: the same terms alert, each once.
      const tagged = records.filter((r) => r.kql_edge !== undefined);
      expect(tagged.length).toBe(expectedTagged);
      expect(alertKeys(records)).toEqual(alertKeys(expectedRun));
      // The downstream's rewrite_tag routes exactly the tagged records to the alert tag.
      expect(readRecords(alertsFile).map((r) => r.auditID).sort()).toEqual(tagged.map((r) => r.auditID).sort());

      const runs = [];
      for (const p of processes) runs.push(await p.stop());
      // The upstream logs only the refused attempts while the downstream was away; the downstreams nothing.
      const upstreamErrors = errorLines(runs[1].stdout + runs[1].stderr);
      for (const line of upstreamErrors) expect(line).toMatch(/HTTP status=503/);
      // The outage was real: some batch was refused and delivered on a retry.
      expect(upstreamErrors.length).toBeGreaterThan(0);
      expect(runs[1].stderr + runs[1].stdout).toMatch(/succeeded at retry/);
      expect(errorLines(runs[0].stdout + runs[0].stderr), 'first downstream').toEqual([]);
      expect(errorLines(runs[2].stdout + runs[2].stderr), 'restarted downstream').toEqual([]);
    } finally {
      for (const p of processes) await p.stop();
      await stopServer?.();
    }
  }, 240_000);
});
