// Operating the transform server: health, metrics in the Prometheus text format, graceful shutdown that
// finishes an in-flight batch, the `serve` command (stdout mode, signals, state file) and the shipped
// Vector config.
import { afterEach, describe, expect, it } from 'vitest';
import http from 'node:http';
import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { hostFor, DEFAULT_RULES, SEED_ID, ROOT } from './helpers/evaluator.js';
import { startOnLoopback, parsePrometheusText, post, sample, until } from '../src/server/loopback/harness.js';
import { CaptureDownstream } from '../src/server/loopback/downstream.js';
import { VectorLikeSender } from '../src/server/loopback/sender.js';
import { syntheticAuditLines } from '../src/server/loopback/synthetic.js';
import { registerServe } from '../src/cli/commands/serve.js';
import { registerVectorConfig } from '../src/cli/commands/vector-config.js';
import { vectorConfig } from '../src/server/vector-config.js';
import type { TransformServer } from '../src/server/server.js';
import type { ShutdownContext } from '../src/server/shutdown.js';
import type { CliIO } from '../src/cli/io.js';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

function get(url: string, method = 'GET'): Promise<{ status: number; body: string; type?: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString(), type: res.headers['content-type'] }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('server operations', () => {
  it('/healthz, HEAD for the sink health check, 405 for other methods', async () => {
    const downstream = await CaptureDownstream.start();
    const { server } = await startOnLoopback(await hostFor([DEFAULT_RULES]), downstream.url);
    cleanup.push(() => downstream.close(), () => server.shutdown());
    expect(await get(server.url + '/healthz')).toMatchObject({ status: 200, body: '{"status":"ok"}\n' });
    expect((await get(server.url + '/', 'HEAD')).status).toBe(200);
    expect((await get(server.url + '/', 'DELETE')).status).toBe(405);
  });

  it('/metrics parses as Prometheus text and counts records, alerts per rule, pass-throughs, new terms and latency', async () => {
    const downstream = await CaptureDownstream.start();
    downstream.behaviour = (n) => (n === 2 ? 'reject' : 'accept');
    const ruleNames = new Map([[SEED_ID, 'Denied SA request via unusual UA']]);
    const { server } = await startOnLoopback(await hostFor([DEFAULT_RULES]), downstream.url, { retryAfterSeconds: 0, ruleNames });
    const sender = new VectorLikeSender({ url: server.url, maxEvents: 25, initialBackoffMs: 5 });
    cleanup.push(() => downstream.close(), () => server.shutdown(), () => sender.close());
    const lines = syntheticAuditLines({ count: 100, agents: 10 });
    expect((await sender.send(lines)).failed).toBe(0);

    const res = await get(server.url + '/metrics');
    expect(res.status).toBe(200);
    expect(res.type).toMatch(/^text\/plain; version=0\.0\.4/);
    const m = parsePrometheusText(res.body);
    const rule = `{rule_id="${SEED_ID}",rule_name="Denied SA request via unusual UA"}`;
    expect(m.get('kqledge_records_received_total')).toBe(100);
    expect(m.get('kqledge_records_forwarded_total')).toBe(100);
    expect(m.get('kqledge_batches_delivered_total')).toBe(4);
    expect(m.get(`kqledge_rule_alerts_total${rule}`)).toBe(10);
    expect(m.get(`kqledge_rule_matches_total${rule}`)).toBe(25);
    expect(m.get(`kqledge_new_terms_stored${rule}`)).toBe(10);
    expect(m.get(`kqledge_new_terms_capacity${rule}`)).toBeGreaterThan(1000);
    expect(m.get('kqledge_passthrough_records_total')).toBe(90);
    expect(m.get('kqledge_module_records_total{result="tagged"}')).toBe(10);
    expect(m.get('kqledge_downstream_errors_total{reason="status"}')).toBe(1);
    expect(m.get('kqledge_retry_cache_replays_total')).toBe(1);
    expect(m.get('kqledge_duplicate_batches_total{when="after_delivery"}') ?? 0).toBe(0);
    expect(m.get('kqledge_wasm_memory_bytes')).toBeGreaterThan(0);
    expect(m.get('kqledge_process_resident_memory_bytes')).toBeGreaterThan(0);
    // The latency histogram: 5 requests (one answered 503), cumulative buckets ending at +Inf = count.
    expect(m.get('kqledge_request_duration_seconds_count{code="200"}')).toBe(4);
    expect(m.get('kqledge_request_duration_seconds_count{code="503"}')).toBe(1);
    const buckets = [...m.entries()].filter(([k]) => k.startsWith('kqledge_request_duration_seconds_bucket{le=') && k.endsWith('code="200"}')).map(([, v]) => v);
    expect(buckets.length).toBe(15);
    expect(buckets).toEqual([...buckets].sort((a, b) => a - b));
    expect(m.get('kqledge_request_duration_seconds_bucket{le="+Inf",code="200"}')).toBe(4);
  });

  it('--metrics-listen serves /healthz and /metrics on a second address and refuses batches there', async () => {
    const downstream = await CaptureDownstream.start();
    const { server } = await startOnLoopback(await hostFor([DEFAULT_RULES]), downstream.url, { metricsListen: { host: '127.0.0.1', port: 0 } });
    cleanup.push(() => downstream.close(), () => server.shutdown());
    const ops = `http://127.0.0.1:${server.metricsAddress!.port}`;
    expect((await get(ops + '/healthz')).status).toBe(200);
    expect(sample(parsePrometheusText((await get(ops + '/metrics')).body), 'kqledge_records_received_total')).toBe(0);
    expect((await post(ops + '/', syntheticAuditLines({ count: 2 }).join('\n'))).status).toBe(404);
  });

  it('graceful shutdown: stops accepting, finishes the in-flight batch, then runs the shutdown hook', async () => {
    const downstream = await CaptureDownstream.start();
    const events: string[] = [];
    let seen: ShutdownContext | undefined;
    const { server } = await startOnLoopback(await hostFor([DEFAULT_RULES]), downstream.url, {
      onShutdown: (ctx) => {
        seen = ctx;
        events.push(`hook: delivered=${downstream.accepted.length}`);
      },
    });
    cleanup.push(() => downstream.close());
    downstream.hold();
    const inFlight = post(server.url, syntheticAuditLines({ count: 10, agents: 2 }).join('\n')).then((a) => {
      events.push(`answered ${a.status}`);
      return a;
    });
    await until(() => downstream.requests === 1);
    const stopped = server.shutdown().then(() => events.push('stopped'));
    await until(() => server.shuttingDown);
    // No new connections once shutting down.
    await expect(post(server.url, syntheticAuditLines({ count: 1 }).join('\n'))).rejects.toThrow(/ECONNREFUSED/);
    expect(events).toEqual([]);
    downstream.release();
    const answer = await inFlight;
    await stopped;
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ records: 10, tagged: 2 });
    expect(events).toContain('hook: delivered=1');
    expect(events.indexOf('hook: delivered=1')).toBeLessThan(events.indexOf('stopped'));
    expect(seen?.awaitingRetry).toEqual({ batches: 0, taggedRecords: 0 });
    expect(seen?.host.stats()?.records).toBe(10);
  });
});

describe('kql-edge serve (the command)', () => {
  function cli() {
    const out: Buffer[] = [];
    const err: string[] = [];
    const io: CliIO = { out: (c) => void out.push(Buffer.from(c)), err: (l) => void err.push(l), stdin: new PassThrough() };
    const signals = new EventEmitter();
    let server: TransformServer | undefined;
    const program = new Command('kql-edge').exitOverride();
    registerServe(program, io, signals, (s) => (server = s));
    registerVectorConfig(program, io);
    return { program, signals, out, err, io, server: () => server };
  }

  it('--forward - writes the evaluated records to stdout as NDJSON; SIGTERM stops it after writing the snapshot', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kqe-serve-'));
    const stateFile = path.join(dir, 'new-terms.snapshot');
    const c = cli();
    const running = c.program.parseAsync(['node', 'kql-edge', 'serve', '--rules', DEFAULT_RULES, '--listen', '127.0.0.1:0', '--forward', '-', '--state-file', stateFile]);
    await until(() => c.server() !== undefined, 20_000);
    const lines = syntheticAuditLines({ count: 8, agents: 2 });
    // A JSON-array batch comes out as NDJSON too.
    expect((await post(c.server()!.url, lines.slice(0, 4).join('\n'))).status).toBe(200);
    expect((await post(c.server()!.url, '[' + lines.slice(4).join(',') + ']', { 'content-type': 'application/json' })).status).toBe(200);
    c.signals.emit('SIGTERM');
    await running;
    const printed = Buffer.concat(c.out).toString().trimEnd().split('\n');
    expect(printed.length).toBe(8);
    expect(printed.filter((l) => l.includes('"kql_edge":')).length).toBe(2);
    expect(printed[1]).toBe(lines[1]);
    expect(existsSync(stateFile)).toBe(true);
    expect(c.err.join('\n')).toMatch(/new-terms snapshot written/);
    expect(c.err.join('\n')).toMatch(/stopped/);
  });

  it('refuses the generic evaluator given with --wasm and no rules', async () => {
    const c = cli();
    await expect(c.program.parseAsync(['node', 'kql-edge', 'serve', '--wasm', path.join(ROOT, 'build/evaluator.wasm'), '--forward', '-'])).rejects.toThrow(/no rules built in/);
  });

  it('vector-config prints the shipped deploy/vector/vector.yaml, and its options change it', async () => {
    const c = cli();
    await c.program.parseAsync(['node', 'kql-edge', 'vector-config']);
    const shipped = readFileSync(path.join(ROOT, 'deploy/vector/vector.yaml'), 'utf8');
    expect(Buffer.concat(c.out).toString()).toBe(shipped);
    expect(shipped).toBe(vectorConfig());
    const custom = vectorConfig({ kqlEdgeListen: '127.0.0.1:9001', returnListen: '127.0.0.1:9002', maxBodyBytes: 1_000_000 });
    expect(custom).toContain('uri: http://127.0.0.1:9001/');
    expect(custom).toContain('address: 127.0.0.1:9002');
    expect(custom).toContain('max_bytes: 900000');
    expect(custom).toContain('--listen 127.0.0.1:9001 --forward http://127.0.0.1:9002/');
  });

  it('the Kubernetes manifest for Vector embeds the same Vector config', () => {
    const manifest = readFileSync(path.join(ROOT, 'deploy/kubernetes/vector-kql-edge.yaml'), 'utf8');
    const start = manifest.indexOf('  vector.yaml: |\n') + '  vector.yaml: |\n'.length;
    const block = manifest.slice(start).split('\n');
    const embedded: string[] = [];
    for (const l of block) {
      if (l !== '' && !l.startsWith('    ')) break;
      embedded.push(l.slice(4));
    }
    expect(embedded.join('\n').trimEnd() + '\n').toBe(vectorConfig());
  });
});

// The real command in its own process (bin/kql-edge.js runs dist/, which `npm test` builds first).
const hasDist = existsSync(path.join(ROOT, 'dist/cli/main.js'));

describe.skipIf(!hasDist)('kql-edge serve as a process (requires dist/: npm run build)', () => {
  it('SIGTERM while a batch is in flight: the batch is answered 200, then the process exits 0', async () => {
    const downstream = await CaptureDownstream.start();
    cleanup.push(() => downstream.close());
    const proc = spawn(process.execPath, [path.join(ROOT, 'bin/kql-edge.js'), 'serve', '--listen', '127.0.0.1:0', '--forward', downstream.url], { stdio: ['ignore', 'ignore', 'pipe'] });
    cleanup.push(() => void proc.kill('SIGKILL'));
    let stderr = '';
    proc.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
    await until(() => /listening on http:\/\/127\.0\.0\.1:\d+/.test(stderr), 30_000);
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stderr)![1]!;
    downstream.hold();
    const answer = post(url, syntheticAuditLines({ count: 6, agents: 2 }).join('\n'));
    await until(() => downstream.requests === 1);
    proc.kill('SIGTERM');
    await until(() => stderr.includes('shutting down'));
    downstream.release();
    expect((await answer).status).toBe(200);
    expect(await exited).toBe(0);
    expect(stderr).toMatch(/stopped/);
    expect(downstream.records().length).toBe(6);
  });
});
