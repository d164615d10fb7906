// Where evaluated batches go: an HTTP endpoint (Vector's `http_server` source, Fluent Bit's `http`
// input, a SIEM's HTTP intake) in the framing the batch came in, or standard output as NDJSON.
// A batch counts as delivered only when the downstream answered 2xx (or stdout took the bytes).
import http from 'node:http';
import https from 'node:https';
import { CONTENT_TYPES, splitJsonArray } from './framing.js';
import type { EvaluatedBatch } from './retry-cache.js';

export type ForwardFailure = 'status' | 'network' | 'timeout';

export type ForwardResult = { ok: true } | { ok: false; reason: ForwardFailure; detail: string };

export interface Forwarder {
  readonly description: string;
  /** Sends a batch; `requestBody` is forwarded as is when every record passed through unchanged. */
  send(batch: EvaluatedBatch, requestBody: Buffer): Promise<ForwardResult>;
  close(): void;
}

/**
 * How long a connection to the downstream may stay idle before kql-edge closes it. Below the idle
 * timeouts of the usual receivers (Fluent Bit's http input ends idle connections after 10 s and logs
 * an error for each), so the close comes from our side, cleanly.
 */
export const IDLE_CONNECTION_MS = 4_000;

export class HttpForwarder implements Forwarder {
  private readonly url: URL;
  private readonly agent: http.Agent;

  constructor(
    url: string,
    private readonly timeoutMs: number,
  ) {
    this.url = new URL(url);
    if (this.url.protocol !== 'http:' && this.url.protocol !== 'https:') throw new Error(`--forward must be an http(s) URL or -, not ${url}`);
    const Agent = this.url.protocol === 'https:' ? https.Agent : http.Agent;
    this.agent = new Agent({ keepAlive: true });
    // A socket back in the free pool gets the idle limit; the agent destroys a free socket that times
    // out. (A request sets its own timeout when it takes the socket again.) Runs after the agent's own
    // 'free' handler, which resets the timeout.
    this.agent.on('free', (socket) => socket.setTimeout(IDLE_CONNECTION_MS));
  }

  get description(): string {
    return this.url.toString();
  }

  send(batch: EvaluatedBatch, requestBody: Buffer): Promise<ForwardResult> {
    const body = batch.output ?? requestBody;
    const request = this.url.protocol === 'https:' ? https.request : http.request;
    return new Promise((resolve) => {
      let settled = false;
      const done = (result: ForwardResult) => {
        if (settled) return;
        settled = true;
        resolve(result);
      };
      const req = request(this.url, {
        method: 'POST',
        agent: this.agent,
        headers: { 'content-type': CONTENT_TYPES[batch.framing], 'content-length': body.length },
      });
      req.setTimeout(this.timeoutMs, () => {
        done({ ok: false, reason: 'timeout', detail: `no answer within ${this.timeoutMs} ms` });
        req.destroy();
      });
      req.on('error', (err) => done({ ok: false, reason: 'network', detail: err.message }));
      req.on('response', (res) => {
        const status = res.statusCode ?? 0;
        res.resume(); // the answer's body is not needed; reading it frees the connection for reuse
        res.on('end', () => {
          if (status >= 200 && status < 300) done({ ok: true });
          else done({ ok: false, reason: 'status', detail: `downstream answered ${status}` });
        });
        res.on('error', (err) => done({ ok: false, reason: 'network', detail: err.message }));
      });
      req.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** Standard output as NDJSON (one record per line, whatever the framing received), for piping. */
export class StdoutForwarder implements Forwarder {
  readonly description = 'standard output (NDJSON)';

  constructor(private readonly write: (chunk: Uint8Array) => void | Promise<void>) {}

  async send(batch: EvaluatedBatch, requestBody: Buffer): Promise<ForwardResult> {
    try {
      await this.write(toNdjson(batch, requestBody));
      return { ok: true };
    } catch (err) {
      return { ok: false, reason: 'network', detail: (err as Error).message };
    }
  }

  close(): void {}
}

function toNdjson(batch: EvaluatedBatch, requestBody: Buffer): Buffer {
  const body = batch.output ?? requestBody;
  if (batch.framing === 'json-array') {
    const records = splitJsonArray(body);
    return Buffer.concat(records.flatMap((r) => [r, NEWLINE]));
  }
  // Batches are concatenated on one stream: the last line must end before the next batch starts.
  return body.length > 0 && body[body.length - 1] !== 0x0a ? Buffer.concat([body, NEWLINE]) : body;
}

const NEWLINE = Buffer.from('\n');
