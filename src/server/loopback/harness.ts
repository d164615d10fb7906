// Starting a transform server on an ephemeral loopback port with the defaults, its log kept in memory
// (the benchmark and the tests).
import http from 'node:http';
import type { FluentBitHost } from '../../host/fluent-bit-host.js';
import { HttpForwarder } from '../forwarder.js';
import { SERVER_DEFAULTS, TransformServer, type ServerOptions } from '../server.js';

export interface LoopbackServer {
  server: TransformServer;
  logs: string[];
}

export async function startOnLoopback(host: FluentBitHost, forwardUrl: string, overrides: Partial<ServerOptions> = {}): Promise<LoopbackServer> {
  const logs: string[] = [];
  const server = await TransformServer.start(host, {
    listen: { host: '127.0.0.1', port: 0 },
    forwarder: new HttpForwarder(forwardUrl, SERVER_DEFAULTS.forwardTimeoutMs),
    ...SERVER_DEFAULTS,
    log: (line) => logs.push(line),
    ...overrides,
  });
  return { server, logs };
}

/**
 * Parses the Prometheus text format into `name{labels}` -> value (a check that the output is well formed).
 * prom-client writes NaN as `Nan`; Prometheus reads floats case-insensitively, so it is accepted.
 */
export function parsePrometheusText(text: string): Map<string, number> {
  const values = new Map<string, number>();
  const typed = new Set<string>();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const meta = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)$/.exec(line);
    if (meta) {
      if (meta[1] === 'TYPE') {
        if (!['counter', 'gauge', 'histogram', 'summary', 'untyped'].includes(meta[3]!)) throw new Error(`bad TYPE line: ${line}`);
        typed.add(meta[2]!);
      }
      continue;
    }
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*",?)*\})? (-?[0-9.e+-]+|[Nn]a[Nn]|[+-]Inf)( \d+)?$/.exec(line);
    if (!sample) throw new Error(`not a Prometheus sample line: ${line}`);
    const name = sample[1]!;
    const family = name.replace(/_(bucket|sum|count|total|created)$/, '');
    if (!typed.has(name) && !typed.has(family)) throw new Error(`sample without a TYPE line: ${line}`);
    values.set(name + (sample[2] ?? ''), Number(sample[3]));
  }
  return values;
}

export interface Answer {
  status: number;
  body: string;
  retryAfter?: string;
  connection?: string;
}

/** One POST on a fresh connection. */
export function post(url: string, body: string | Buffer, headers: http.OutgoingHttpHeaders = { 'content-type': 'application/x-ndjson' }): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          body: Buffer.concat(chunks).toString('utf8'),
          retryAfter: res.headers['retry-after'],
          connection: res.headers.connection,
        }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** One scrape of `url`'s /metrics on a fresh connection, parsed (parsePrometheusText). */
export function scrapeMetrics(url: string): Promise<Map<string, number>> {
  return new Promise((resolve, reject) => {
    http.get(url + '/metrics', { agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        try {
          resolve(parsePrometheusText(Buffer.concat(chunks).toString('utf8')));
        } catch (e) {
          reject(e);
        }
      });
    }).on('error', reject);
  });
}

/** Waits (bounded) until a condition holds. */
export async function until(cond: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** The value of the one sample whose `name{labels}` starts with `prefix` (labels in prom-client's order). */
export function sample(metrics: Map<string, number>, prefix: string): number | undefined {
  const keys = [...metrics.keys()].filter((k) => k.startsWith(prefix));
  if (keys.length > 1) throw new Error(`several samples start with ${prefix}: ${keys.join(', ')}`);
  return keys.length ? metrics.get(keys[0]!) : undefined;
}
