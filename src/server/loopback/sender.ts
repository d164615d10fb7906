// A batch sender that behaves like Vector's `http` sink, for the benchmark and the tests on loopback:
// records grouped into batches (max events / max bytes), NDJSON or a JSON array body with the content
// type Vector sends, optional gzip, several batches in flight (request.concurrency), and retries of
// 408, 429, 5xx (not 501) and connection errors with backoff, honouring Retry-After. Retries are
// bounded in count and time, so a test can never loop forever.
import http from 'node:http';
import { gzipSync } from 'node:zlib';
import { CONTENT_TYPES, encodeBatch, type Framing } from '../framing.js';

export interface SenderOptions {
  url: string;
  framing?: Framing;
  maxEvents?: number;
  maxBytes?: number;
  concurrency?: number;
  gzip?: boolean;
  /** Attempts per batch, the first included. */
  maxAttempts?: number;
  /** Backoff without Retry-After: initial, doubled each retry, capped. */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** Retry-After is honoured up to this (a bound, like any sane client). */
  maxRetryAfterMs?: number;
  /** Time one request may take. */
  requestTimeoutMs?: number;
  /** The whole send gives up (remaining batches fail) after this. */
  deadlineMs?: number;
  /** Pretend the answer to this 2xx was lost (as after a timeout): the batch is sent again. */
  loseAnswer?: (batchIndex: number, attempt: number) => boolean;
}

export interface BatchReport {
  index: number;
  records: number;
  attempts: number;
  statuses: number[];
  /** Total time waited between attempts. */
  waitedMs: number;
  delivered: boolean;
}

export interface SendReport {
  batches: BatchReport[];
  statuses: Record<string, number>;
  delivered: number;
  failed: number;
  /** Latency of each request that was answered 2xx, ms. */
  latenciesMs: number[];
}

const RETRYABLE = (status: number) => status === 408 || status === 429 || (status >= 500 && status !== 501);

export class VectorLikeSender {
  private readonly agent = new http.Agent({ keepAlive: true });
  private readonly o: Required<Omit<SenderOptions, 'loseAnswer'>> & Pick<SenderOptions, 'loseAnswer'>;

  constructor(options: SenderOptions) {
    this.o = {
      framing: 'ndjson',
      maxEvents: 1000,
      maxBytes: 10_000_000,
      concurrency: 1,
      gzip: false,
      maxAttempts: 20,
      initialBackoffMs: 20,
      maxBackoffMs: 1000,
      maxRetryAfterMs: 2000,
      requestTimeoutMs: 10_000,
      deadlineMs: 60_000,
      ...options,
    };
  }

  /** Groups records into batches as the sink would. */
  batch(records: readonly (string | Buffer)[]): Buffer[][] {
    const batches: Buffer[][] = [];
    let current: Buffer[] = [];
    let bytes = 0;
    for (const r of records) {
      const b = Buffer.isBuffer(r) ? r : Buffer.from(r);
      if (current.length > 0 && (current.length >= this.o.maxEvents || bytes + b.length + 1 > this.o.maxBytes)) {
        batches.push(current);
        current = [];
        bytes = 0;
      }
      current.push(b);
      bytes += b.length + 1;
    }
    if (current.length > 0) batches.push(current);
    return batches;
  }

  /** Sends all records; resolves when every batch is delivered or given up. */
  async send(records: readonly (string | Buffer)[]): Promise<SendReport> {
    const batches = this.batch(records);
    const deadline = Date.now() + this.o.deadlineMs;
    const reports: BatchReport[] = new Array(batches.length);
    const latencies: number[] = [];
    let next = 0;
    const worker = async () => {
      while (next < batches.length) {
        const index = next++;
        reports[index] = await this.sendBatch(index, batches[index]!, deadline, latencies);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.o.concurrency, batches.length) }, worker));
    const statuses: Record<string, number> = {};
    for (const r of reports) for (const s of r.statuses) statuses[s] = (statuses[s] ?? 0) + 1;
    const delivered = reports.filter((r) => r.delivered).length;
    return { batches: reports, statuses, delivered, failed: reports.length - delivered, latenciesMs: latencies };
  }

  close(): void {
    this.agent.destroy();
  }

  private async sendBatch(index: number, records: Buffer[], deadline: number, latencies: number[]): Promise<BatchReport> {
    const plain = encodeBatch(this.o.framing, records);
    const body = this.o.gzip ? gzipSync(plain) : plain;
    const report: BatchReport = { index, records: records.length, attempts: 0, statuses: [], waitedMs: 0, delivered: false };
    let backoff = this.o.initialBackoffMs;
    while (report.attempts < this.o.maxAttempts && Date.now() < deadline) {
      report.attempts++;
      const started = performance.now();
      const answer = await this.post(body);
      report.statuses.push(answer.status);
      if (answer.status >= 200 && answer.status < 300) {
        latencies.push(performance.now() - started);
        if (!this.o.loseAnswer?.(index, report.attempts)) {
          report.delivered = true;
          return report;
        }
      } else if (answer.status !== 0 && !RETRYABLE(answer.status)) {
        return report; // 4xx: the sink drops the batch, as Vector does
      }
      let wait = backoff;
      if (answer.retryAfterMs !== undefined) wait = Math.min(answer.retryAfterMs, this.o.maxRetryAfterMs);
      else backoff = Math.min(backoff * 2, this.o.maxBackoffMs);
      wait = Math.min(wait, Math.max(0, deadline - Date.now()));
      report.waitedMs += wait;
      await new Promise((r) => setTimeout(r, wait));
    }
    return report;
  }

  /** One POST; status 0 for a connection error or timeout. */
  private post(body: Buffer): Promise<{ status: number; retryAfterMs?: number }> {
    return new Promise((resolve) => {
      const headers: http.OutgoingHttpHeaders = { 'content-type': CONTENT_TYPES[this.o.framing], 'content-length': body.length };
      if (this.o.gzip) headers['content-encoding'] = 'gzip';
      const req = http.request(this.o.url, { method: 'POST', agent: this.agent, headers });
      req.setTimeout(this.o.requestTimeoutMs, () => req.destroy(new Error('timeout')));
      req.on('error', () => resolve({ status: 0 }));
      req.on('response', (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, retryAfterMs: parseRetryAfter(res.headers['retry-after']) }));
        res.on('error', () => resolve({ status: 0 }));
      });
      req.end(body);
    });
  }
}

/** Retry-After as delta-seconds or an HTTP date, in ms. */
export function parseRetryAfter(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}
