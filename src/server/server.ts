// kql-edge as an HTTP transform server: batches come in as an HTTP sender posts them (Vector's `http`
// sink, Fluent Bit's `http` output), are evaluated by the one module instance, and go on to the
// downstream; the sender gets 2xx only once the downstream accepted the batch.
//
// Memory is bounded: a batch is refused 413 above --max-body, and 429 (Retry-After) when the
// batches or bytes already accepted and not yet answered reach their limits, before its body is read.
// Routes: POST|PUT any path = a batch; GET /healthz; GET /metrics; HEAD any path = 200 (Vector's http
// sink health check).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FluentBitHost } from '../host/fluent-bit-host.js';
import { BodyError, SenderGone, readBody } from './body.js';
import { Delivery, type DeliveryOutcome } from './delivery.js';
import { BatchEvaluator } from './evaluator.js';
import { FramingError } from './framing.js';
import type { Forwarder } from './forwarder.js';
import { ServerLog, type LogSink } from './log.js';
import { ServerMetrics, type RejectReason } from './metrics.js';
import { onShutdown as defaultOnShutdown, type ShutdownHook } from './shutdown.js';

export interface ListenAddress {
  host: string;
  port: number;
}

export interface ServerOptions {
  listen: ListenAddress;
  /** A second listener serving only /healthz and /metrics (probes and scrapes from outside the pod). */
  metricsListen?: ListenAddress;
  forwarder: Forwarder;
  /** Largest accepted body, after decompression (413 above). */
  maxBodyBytes: number;
  /** Batches accepted and not yet answered: reading, waiting for the evaluator, forwarding (429 above). */
  maxPendingBatches: number;
  /** Bytes those batches may hold (429 above). */
  maxPendingBytes: number;
  retryCacheEntries: number;
  retryCacheBytes: number;
  /** Seconds in Retry-After on 429 and 503. */
  retryAfterSeconds: number;
  /** How long shutdown waits for in-flight batches before closing their connections. */
  shutdownTimeoutMs: number;
  /** The module's state file (for the shutdown hook's messages). */
  stateFile?: string;
  onShutdown?: ShutdownHook;
  log?: LogSink;
  /** Rule names by rule_id, for metric labels. */
  ruleNames?: ReadonlyMap<string, string>;
}

export const SERVER_DEFAULTS = {
  maxBodyBytes: 10 * 1024 * 1024,
  maxPendingBatches: 64,
  maxPendingBytes: 256 * 1024 * 1024,
  retryCacheEntries: 1024,
  retryCacheBytes: 64 * 1024 * 1024,
  retryAfterSeconds: 1,
  shutdownTimeoutMs: 30_000,
  forwardTimeoutMs: 30_000,
} as const;

/** What the server held at most since it started (for tests and the benchmark). */
export interface HighWater {
  pendingBatches: number;
  /** Request bodies held. */
  pendingBytes: number;
  /** Evaluated outputs held while being forwarded. */
  outputBytes: number;
}

export class TransformServer {
  readonly metrics: ServerMetrics;
  readonly log: ServerLog;
  private readonly evaluator: BatchEvaluator;
  private readonly delivery: Delivery;
  private readonly http: http.Server;
  private metricsHttp?: http.Server;
  private pendingBatches = 0;
  private pendingBytes = 0;
  private outputBytes = 0;
  private readonly inFlight = new Set<Promise<void>>();
  private closing?: Promise<void>;
  readonly highWater: HighWater = { pendingBatches: 0, pendingBytes: 0, outputBytes: 0 };

  private constructor(
    readonly host: FluentBitHost,
    private readonly options: ServerOptions,
  ) {
    this.log = new ServerLog(options.log ?? ((line) => process.stderr.write(line + '\n')));
    this.evaluator = new BatchEvaluator(host, (err) => this.log.warnLimited('evaluate', `the module failed on a record, forwarded unchanged: ${(err as Error).message}`));
    this.metrics = new ServerMetrics({
      moduleStats: () => host.stats(),
      ruleName: (id) => options.ruleNames?.get(id) ?? '',
      pending: () => ({ batches: this.pendingBatches, bytes: this.pendingBytes, outputBytes: this.outputBytes, waiting: this.evaluator.waiting }),
      retryCache: () => ({ entries: this.delivery.cache.size, bytes: this.delivery.cache.bytes }),
      wasmMemoryBytes: () => host.memoryBytes,
    });
    this.delivery = new Delivery(
      this.evaluator,
      options.forwarder,
      this.metrics,
      this.log,
      { retryCacheEntries: options.retryCacheEntries, retryCacheBytes: options.retryCacheBytes, rememberedHashes: 10_000 },
      (bytes) => {
        this.holdOutput(bytes);
        return () => this.holdOutput(-bytes);
      },
    );
    this.http = http.createServer((req, res) => this.route(req, res, true));
    // Vector's http sink keeps connections open; a request must still be able to take its time.
    this.http.keepAliveTimeout = 65_000;
    this.http.requestTimeout = 120_000;
  }

  /** Starts listening; resolves once both listeners are bound. */
  static async start(host: FluentBitHost, options: ServerOptions): Promise<TransformServer> {
    const server = new TransformServer(host, options);
    await listen(server.http, options.listen);
    server.address = server.http.address() as AddressInfo;
    if (options.metricsListen) {
      server.metricsHttp = http.createServer((req, res) => server.route(req, res, false));
      try {
        await listen(server.metricsHttp, options.metricsListen);
      } catch (err) {
        server.http.close();
        throw err;
      }
      server.metricsAddress = server.metricsHttp.address() as AddressInfo;
    }
    server.log.info(`listening on ${server.url}, forwarding to ${options.forwarder.description}`);
    return server;
  }

  /** The bound addresses (kept after shutdown, when the listeners no longer have one). */
  address!: AddressInfo;
  metricsAddress?: AddressInfo;

  get url(): string {
    const a = this.address;
    return `http://${a.family === 'IPv6' ? `[${a.address}]` : a.address}:${a.port}`;
  }

  get shuttingDown(): boolean {
    return this.closing !== undefined;
  }

  /**
   * Graceful stop: no new batches (new connections refused, new requests on open connections answered
   * 503 with Retry-After), every in-flight batch finished (evaluated, forwarded, answered), then the
   * shutdown hook (the new-terms snapshot) runs and the listeners close.
   */
  shutdown(): Promise<void> {
    this.closing ??= this.stop();
    return this.closing;
  }

  private async stop(): Promise<void> {
    this.log.info(`shutting down: finishing ${this.inFlight.size} in-flight batches`);
    const closed = new Promise<void>((resolve) => this.http.close(() => resolve()));
    this.http.closeIdleConnections();
    const finished = Promise.allSettled([...this.inFlight]);
    const timedOut = await Promise.race([
      finished.then(() => false),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(true), this.options.shutdownTimeoutMs).unref()),
    ]);
    if (timedOut) this.log.warn(`shutdown: ${this.inFlight.size} batches still in flight after ${this.options.shutdownTimeoutMs} ms; closing their connections (their senders will retry)`);
    try {
      await (this.options.onShutdown ?? defaultOnShutdown)({
        host: this.host,
        stateFile: this.options.stateFile,
        awaitingRetry: this.delivery.awaitingRetry(),
        log: this.log,
      });
    } catch (err) {
      this.log.warn(`shutdown hook failed: ${(err as Error).message}`);
    }
    this.http.closeAllConnections();
    await closed;
    if (this.metricsHttp) {
      const m = this.metricsHttp;
      await new Promise<void>((resolve) => {
        m.close(() => resolve());
        m.closeAllConnections();
      });
    }
    this.options.forwarder.close();
    this.log.info('stopped');
  }

  private route(req: http.IncomingMessage, res: http.ServerResponse, ingest: boolean): void {
    const path = (req.url ?? '/').split('?')[0];
    // While stopping, no connection is kept for another request.
    if (this.shuttingDown) res.setHeader('connection', 'close');
    if (path === '/healthz' && (req.method === 'GET' || req.method === 'HEAD')) {
      if (this.shuttingDown) return void reply(res, 503, { status: 'shutting down' });
      return void reply(res, 200, { status: 'ok' });
    }
    if (path === '/metrics' && req.method === 'GET') return void this.serveMetrics(res);
    if (!ingest) return void reply(res, 404, { error: 'not found' });
    if (req.method === 'HEAD') return void res.writeHead(this.shuttingDown ? 503 : 200).end();
    if (req.method === 'POST' || req.method === 'PUT') return void this.track(this.ingest(req, res));
    res.setHeader('allow', 'POST, PUT, HEAD, GET');
    reply(res, 405, { error: 'batches are sent with POST or PUT' });
  }

  private async serveMetrics(res: http.ServerResponse): Promise<void> {
    try {
      const text = await this.metrics.registry.metrics();
      res.writeHead(200, { 'content-type': this.metrics.registry.contentType }).end(text);
    } catch (err) {
      reply(res, 500, { error: (err as Error).message });
    }
  }

  private track(work: Promise<void>): void {
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }

  private async ingest(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const started = process.hrtime.bigint();
    const receivedAt = Date.now();
    const status = await this.answer(req, res, receivedAt);
    this.metrics.requestDuration.observe({ code: String(status) }, Number(process.hrtime.bigint() - started) / 1e9);
  }

  /** Handles one batch request; returns the status answered. */
  private async answer(req: http.IncomingMessage, res: http.ServerResponse, receivedAt: number): Promise<number> {
    const retryAfter = String(this.options.retryAfterSeconds);
    if (this.shuttingDown) return this.refuse(req, res, 503, 'shutting_down', 'the server is shutting down', retryAfter);
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > this.options.maxBodyBytes) {
      return this.refuse(req, res, 413, 'too_large', `body of ${declared} bytes is over the limit of ${this.options.maxBodyBytes}`);
    }
    if (this.pendingBatches >= this.options.maxPendingBatches || (Number.isFinite(declared) && this.heldBytes + declared > this.options.maxPendingBytes)) {
      return this.refuse(req, res, 429, 'overload', 'too many batches waiting; retry later', retryAfter);
    }
    this.pendingBatches++;
    this.highWater.pendingBatches = Math.max(this.highWater.pendingBatches, this.pendingBatches);
    let reserved = 0;
    try {
      const body = await readBody(req, {
        maxBytes: this.options.maxBodyBytes,
        reserve: (n) => {
          if (this.heldBytes + n > this.options.maxPendingBytes) return false;
          reserved += n;
          this.holdBytes(n);
          return true;
        },
      });
      const outcome = await this.delivery.deliver(body, header(req, 'content-type'), receivedAt);
      return this.replyOutcome(res, outcome, retryAfter);
    } catch (err) {
      if (err instanceof BodyError) return this.refuse(req, res, err.status, err.reason, err.message, err.status === 429 ? retryAfter : undefined);
      if (err instanceof FramingError) return this.refuse(req, res, 400, 'malformed', err.message);
      if (err instanceof SenderGone || req.destroyed || res.destroyed) return 499; // the sender went away; it will retry the batch
      this.log.warn(`unexpected error on a batch: ${(err as Error).stack ?? err}`);
      return this.refuse(req, res, 500, 'malformed', 'internal error', retryAfter);
    } finally {
      this.pendingBatches--;
      this.holdBytes(-reserved);
    }
  }

  private replyOutcome(res: http.ServerResponse, outcome: DeliveryOutcome, retryAfter: string): number {
    const { batch } = outcome;
    if (outcome.delivered) {
      reply(res, 200, { records: batch.received, forwarded: batch.forwarded, tagged: batch.tagged, replayed: outcome.replayed });
      return 200;
    }
    res.setHeader('retry-after', retryAfter);
    reply(res, 503, { error: `downstream did not accept the batch: ${outcome.detail}` });
    return 503;
  }

  /**
   * Answers a refused request. When its body was not read to the end the connection is closed after
   * the answer, so the unread bytes are never buffered.
   */
  private refuse(req: http.IncomingMessage, res: http.ServerResponse, status: number, reason: RejectReason | 'unsupported_encoding', message: string, retryAfter?: string): number {
    if (status !== 500) this.metrics.countReject(reason);
    if (status === 400 || status === 413 || status === 415) this.log.warnLimited(`refused-${status}`, `refused a batch with ${status}: ${message}`);
    if (res.headersSent || res.destroyed) return status;
    if (retryAfter !== undefined) res.setHeader('retry-after', retryAfter);
    if (!req.complete) {
      res.setHeader('connection', 'close');
      res.once('finish', () => {
        // Give the answer a moment to reach the sender before the unread rest of the body is cut off.
        setTimeout(() => req.socket.destroy(), 1000).unref();
      });
    }
    reply(res, status, { error: message });
    return status;
  }

  /**
   * Bytes held: request bodies plus the outputs being forwarded. New bodies are admitted only while
   * this stays within --max-pending-bytes; an output (the body plus its tags) is never refused, so the
   * total can pass the budget by the outputs of batches already admitted.
   */
  private get heldBytes(): number {
    return this.pendingBytes + this.outputBytes;
  }

  private holdBytes(delta: number): void {
    this.pendingBytes += delta;
    this.highWater.pendingBytes = Math.max(this.highWater.pendingBytes, this.pendingBytes);
  }

  private holdOutput(delta: number): void {
    this.outputBytes += delta;
    this.highWater.outputBytes = Math.max(this.highWater.outputBytes, this.outputBytes);
  }
}

function reply(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body) + '\n';
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }).end(text);
}

function header(req: http.IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function listen(server: http.Server, address: ListenAddress): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(address.port, address.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** `HOST:PORT` or `[IPv6]:PORT` (port 0 picks a free one). */
export function parseListen(text: string): ListenAddress {
  const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d+)$/.exec(text.trim());
  const port = m ? Number(m[3]) : NaN;
  if (!m || port > 65535) throw new Error(`not a listen address: ${text} (expected HOST:PORT, e.g. 127.0.0.1:8687)`);
  return { host: m[1] ?? m[2]!, port };
}
