// A downstream HTTP endpoint for the benchmark and the tests on loopback (standing in for Vector's
// http_server source or a SIEM intake): it keeps every batch it accepts and can be told to fail.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { splitJsonArray, splitNdjson } from '../framing.js';

/**
 * How one request is answered:
 * - `accept`: kept, 200;
 * - `reject`: not kept, 503 (an outage);
 * - `accept-then-fail`: kept, but answered 500 (the answer is a lie: the batch was taken);
 * - `reset`: connection destroyed without an answer.
 */
export type DownstreamBehaviour = 'accept' | 'reject' | 'accept-then-fail' | 'reset';

export interface ReceivedBatch {
  contentType: string;
  body: Buffer;
}

export class CaptureDownstream {
  readonly accepted: ReceivedBatch[] = [];
  requests = 0;
  /** False: accepted batches are counted, not kept (long benchmark runs). */
  keepBodies = true;
  acceptedBatches = 0;
  acceptedBytes = 0;
  /** Decides each request's fate; request numbers start at 1. */
  behaviour: (request: number, body: Buffer) => DownstreamBehaviour = () => 'accept';
  /** Delay before answering, ms. */
  delayMs = 0;
  /** Set while a request is being held (tests of in-flight batches). */
  private gate?: Promise<void>;
  private openGate?: () => void;

  private constructor(private readonly server: http.Server) {}

  static async start(): Promise<CaptureDownstream> {
    let self!: CaptureDownstream;
    const server = http.createServer((req, res) => void self.handle(req, res));
    self = new CaptureDownstream(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return self;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
  }

  /** Holds every answer until release() (the batches are still read). */
  hold(): void {
    this.gate = new Promise((resolve) => (this.openGate = resolve));
  }

  release(): void {
    this.openGate?.();
    this.gate = undefined;
  }

  /** Every record accepted, in arrival order, as strings. */
  records(): string[] {
    return this.accepted.flatMap((b) => {
      const records = b.contentType.includes('ndjson') ? splitNdjson(b.body) : splitJsonArray(b.body);
      return records.map((r) => r.toString('utf8'));
    });
  }

  async close(): Promise<void> {
    this.release();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const n = ++this.requests;
    const behaviour = this.behaviour(n, body);
    if (behaviour === 'accept' || behaviour === 'accept-then-fail') {
      this.acceptedBatches++;
      this.acceptedBytes += body.length;
      if (this.keepBodies) this.accepted.push({ contentType: String(req.headers['content-type'] ?? ''), body });
    }
    if (this.gate) await this.gate;
    if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
    if (behaviour === 'reset') return void req.socket.destroy();
    const status = behaviour === 'accept' ? 200 : behaviour === 'reject' ? 503 : 500;
    res.writeHead(status, { 'content-type': 'text/plain' }).end(status === 200 ? 'ok\n' : 'failed\n');
  }
}
