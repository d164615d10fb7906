// The transform server under pressure and bad input, over real HTTP on loopback: overload is answered
// with back-pressure (429 + Retry-After) within fixed memory bounds, oversized bodies with 413 without
// being read into memory, malformed bodies with 400 without disturbing other batches.
import { afterEach, describe, expect, it } from 'vitest';
import http from 'node:http';
import { gzipSync } from 'node:zlib';
import { hostFor, DEFAULT_RULES } from './helpers/evaluator.js';
import { startOnLoopback, parsePrometheusText, post, until } from '../src/server/loopback/harness.js';
import { CaptureDownstream } from '../src/server/loopback/downstream.js';
import { VectorLikeSender } from '../src/server/loopback/sender.js';
import { syntheticAuditLines } from '../src/server/loopback/synthetic.js';
import type { ServerOptions } from '../src/server/server.js';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

async function setup(options: Partial<ServerOptions> = {}) {
  const downstream = await CaptureDownstream.start();
  const { server, logs } = await startOnLoopback(await hostFor([DEFAULT_RULES]), downstream.url, { retryAfterSeconds: 0, ...options });
  cleanup.push(() => downstream.close(), () => server.shutdown());
  return { downstream, server, logs, metrics: async () => parsePrometheusText(await server.metrics.registry.metrics()) };
}

const BATCH = syntheticAuditLines({ count: 20, agents: 3 }).join('\n') + '\n';

describe('server back-pressure', () => {
  it('answers 429 with Retry-After once the pending-batch limit is reached, and never holds more', async () => {
    const { downstream, server, metrics } = await setup({ maxPendingBatches: 2, retryAfterSeconds: 2 });
    downstream.hold();
    const held = [post(server.url, BATCH), post(server.url, syntheticAuditLines({ count: 3, startMs: 0 }).join('\n'))];
    await until(() => downstream.requests === 2);
    const refused = await Promise.all([1, 2, 3, 4].map((i) => post(server.url, syntheticAuditLines({ count: 2, startMs: i * 1e9 }).join('\n'))));
    expect(refused.map((a) => a.status)).toEqual([429, 429, 429, 429]);
    expect(refused.every((a) => a.retryAfter === '2')).toBe(true);
    downstream.release();
    expect((await Promise.all(held)).map((a) => a.status)).toEqual([200, 200]);
    expect(server.highWater.pendingBatches).toBe(2);
    expect((await metrics()).get('kqledge_rejected_requests_total{reason="overload"}')).toBe(4);
    expect(downstream.requests).toBe(2);
  });

  it('a byte budget: a batch that would exceed --max-pending-bytes waits its turn', async () => {
    const big = syntheticAuditLines({ count: 60 }).join('\n');
    const { downstream, server } = await setup({ maxPendingBytes: Math.floor(big.length * 1.5) });
    downstream.hold();
    const first = post(server.url, big);
    await until(() => downstream.requests === 1);
    const second = await post(server.url, syntheticAuditLines({ count: 60, startMs: 1e12 }).join('\n'));
    expect(second.status).toBe(429);
    downstream.release();
    expect((await first).status).toBe(200);
    expect(server.highWater.pendingBytes).toBeLessThanOrEqual(Math.floor(big.length * 1.5));
  });

  it('many concurrent senders against a slow downstream: everything delivered through retries, memory stays within the bounds', async () => {
    const maxPendingBytes = 256 * 1024;
    const { downstream, server, metrics } = await setup({ maxPendingBatches: 3, maxPendingBytes });
    downstream.delayMs = 15;
    const lines = syntheticAuditLines({ count: 1200, agents: 40 });
    // Retry-After is 0 here, so a refused batch retries at once: the attempt count is bounded by the
    // deadline rather than by Vector's default of 20 attempts, which a loaded machine can use up.
    const sender = new VectorLikeSender({ url: server.url, maxEvents: 40, concurrency: 10, initialBackoffMs: 5, maxAttempts: 10_000, deadlineMs: 30_000 });
    cleanup.push(() => sender.close());
    const heapBefore = process.memoryUsage().heapUsed;
    const report = await sender.send(lines);
    expect(report.failed).toBe(0);
    expect(report.statuses['429']).toBeGreaterThan(0);
    expect(new Set(downstream.records()).size).toBe(1200);
    expect(server.highWater.pendingBatches).toBeLessThanOrEqual(3);
    expect(server.highWater.pendingBytes).toBeLessThanOrEqual(maxPendingBytes);
    const m = await metrics();
    expect(m.get('kqledge_pending_batches')).toBe(0);
    expect(m.get('kqledge_pending_bytes')).toBe(0);
    // Far below what queueing all 30 batches' bodies and outputs would take (a loose guard: GC timing varies).
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(64 * 1024 * 1024);
  });
});

describe('server request limits', () => {
  it('413 for a body whose Content-Length is over --max-body, without reading it', async () => {
    const { server, downstream, metrics } = await setup({ maxBodyBytes: 64 * 1024 });
    const answer = await rawPost(server.url, Buffer.alloc(2 * 1024 * 1024, 0x20), { 'content-type': 'application/x-ndjson' });
    expect(answer.status).toBe(413);
    expect(answer.connection).toBe('close');
    expect(server.highWater.pendingBytes).toBe(0);
    expect(downstream.requests).toBe(0);
    expect((await metrics()).get('kqledge_rejected_requests_total{reason="too_large"}')).toBe(1);
    expect((await post(server.url, BATCH)).status).toBe(200);
  });

  it('413 for a chunked body that grows over --max-body, holding at most the limit', async () => {
    const limit = 64 * 1024;
    const { server } = await setup({ maxBodyBytes: limit });
    const status = await streamUntilAnswered(server.url, 16 * 1024, 4 * 1024 * 1024);
    expect(status).toBe(413);
    expect(server.highWater.pendingBytes).toBeLessThanOrEqual(limit);
    expect((await post(server.url, BATCH)).status).toBe(200);
  });

  it('413 for a gzip body that inflates over --max-body', async () => {
    const { server } = await setup({ maxBodyBytes: 256 * 1024 });
    const bomb = gzipSync(Buffer.from(('{"a":"' + 'x'.repeat(1000) + '"}\n').repeat(2000)));
    expect(bomb.length).toBeLessThan(256 * 1024);
    const answer = await rawPost(server.url, bomb, { 'content-type': 'application/x-ndjson', 'content-encoding': 'gzip' });
    expect(answer.status).toBe(413);
  });

  it('400 for a JSON-array body that is not valid JSON, 400 for a body that is neither framing, 400 for an empty body, 415 for an unknown encoding', async () => {
    const { server, downstream, metrics } = await setup();
    const good = post(server.url, BATCH);
    const bad = await Promise.all([
      post(server.url, '[{"kind":"Event"},{"kind":', { 'content-type': 'application/json' }),
      post(server.url, 'plain text log line\nanother one\n', { 'content-type': 'text/plain' }),
      post(server.url, '  \n\n'),
      rawPost(server.url, Buffer.from(BATCH), { 'content-type': 'application/x-ndjson', 'content-encoding': 'br' }),
    ]);
    expect(bad.map((a) => a.status)).toEqual([400, 400, 400, 415]);
    expect(JSON.parse(bad[0]!.body).error).toMatch(/invalid JSON array/);
    expect((await good).status).toBe(200);
    expect(downstream.requests).toBe(1);
    expect(downstream.records().length).toBe(20);
    const m = await metrics();
    expect(m.get('kqledge_rejected_requests_total{reason="malformed"}')).toBe(3);
    expect(m.get('kqledge_rejected_requests_total{reason="unsupported_encoding"}')).toBe(1);
  });

  it('NDJSON lines that are not JSON objects are forwarded unchanged, in place', async () => {
    const { server, downstream } = await setup();
    const events = syntheticAuditLines({ count: 4, agents: 1 });
    const body = [events[0], 'not json at all', '[1,2,3]', '{"broken":', '"a string"', events[1]].join('\r\n');
    expect((await post(server.url, body)).status).toBe(200);
    const got = downstream.records();
    expect(got.slice(1, 5)).toEqual(['not json at all', '[1,2,3]', '{"broken":', '"a string"']);
    expect(got[0]).toContain('"kql_edge":');
    expect(got[5]).toBe(events[1]);
  });

  it('a batch in which nothing matched is forwarded byte for byte as received', async () => {
    const { server, downstream } = await setup();
    const quiet = syntheticAuditLines({ count: 12 }).filter((_, i) => i % 4 !== 0);
    const body = quiet.join('\r\n\r\n') + '\r\n';
    expect((await post(server.url, body)).status).toBe(200);
    expect(downstream.accepted[0]!.body.toString()).toBe(body);
  });
});

/** A POST that reports the answer even if the server closes the connection while the body is still being sent. */
function rawPost(url: string, body: Buffer, headers: http.OutgoingHttpHeaders): Promise<{ status: number; body: string; connection?: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', headers: { ...headers, 'content-length': body.length }, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString(), connection: res.headers.connection }));
    });
    req.on('error', (err) => (req.res ? undefined : reject(err)));
    req.end(body);
  });
}

/** Streams a chunked body until the server answers (or `max` bytes were sent); returns the status. */
function streamUntilAnswered(url: string, chunkBytes: number, max: number): Promise<number> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = http.request(url, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, agent: false }, (res) => {
      answered = true;
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', (err) => (answered ? undefined : reject(err)));
    const line = Buffer.from('{"pad":"' + 'x'.repeat(chunkBytes - 12) + '"}\n');
    let sent = 0;
    const pump = () => {
      while (!answered && sent < max) {
        sent += line.length;
        if (!req.write(line)) return void req.once('drain', pump);
      }
      if (!answered) req.end();
    };
    pump();
  });
}
