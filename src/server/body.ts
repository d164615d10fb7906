// Reading a request body within limits: a body announced or found larger than the limit is refused
// (413) as soon as that is known, without holding more than the limit in memory; gzip and deflate
// bodies (Vector's `compression = "gzip"`, Fluent Bit's `compress gzip`) are limited after decompression.
import type { IncomingMessage } from 'node:http';
import { createGunzip, createInflate } from 'node:zlib';
import type { Readable, Transform } from 'node:stream';

/** A request refused while reading its body, with the status to answer. */
export class BodyError extends Error {
  constructor(
    readonly status: number,
    readonly reason: 'too_large' | 'overload' | 'malformed' | 'unsupported_encoding',
    message: string,
  ) {
    super(message);
  }
}

export interface BodyLimits {
  maxBytes: number;
  /** Called for every chunk kept; false refuses the request as an overload (memory budget spent). */
  reserve: (bytes: number) => boolean;
}

/** Thrown when the sender went away before its body was read. */
export class SenderGone extends Error {}

export function readBody(req: IncomingMessage, limits: BodyLimits): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limits.maxBytes) {
    return Promise.reject(new BodyError(413, 'too_large', `body of ${declared} bytes is over the limit of ${limits.maxBytes}`));
  }
  let source: Readable | Transform;
  try {
    source = decodedStream(req);
  } catch (err) {
    return Promise.reject(err);
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let raw = 0;
    let settled = false;
    const finish = (err: Error | undefined) => {
      if (settled) return;
      settled = true;
      source.off('data', onData);
      req.off('data', onRawData);
      if (err) {
        // Stop reading: the rest of the body is never buffered (the caller closes the connection).
        if (source !== req) {
          req.unpipe(source as Transform);
          source.destroy();
        }
        req.pause();
        reject(err);
      } else {
        resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
      }
    };
    const tooLarge = () => new BodyError(413, 'too_large', `body is over the limit of ${limits.maxBytes} bytes`);
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limits.maxBytes) return finish(tooLarge());
      if (!limits.reserve(chunk.length)) return finish(new BodyError(429, 'overload', 'too many bytes waiting in the server; retry later'));
      chunks.push(chunk);
    };
    // With a compressed body the compressed bytes are limited too (a stream of empty deflate blocks
    // would otherwise never end).
    const onRawData = (chunk: Buffer) => {
      raw += chunk.length;
      if (raw > limits.maxBytes) finish(tooLarge());
    };
    source.on('data', onData);
    if (source !== req) req.on('data', onRawData);
    source.once('end', () => finish(undefined));
    source.once('error', (err) => finish(new BodyError(400, 'malformed', `could not read the body: ${err.message}`)));
    req.once('error', (err) => finish(new SenderGone(err.message)));
    req.once('close', () => {
      if (!req.complete) finish(new SenderGone('the sender closed the connection before the end of the body'));
    });
  });
}

function decodedStream(req: IncomingMessage): Readable | Transform {
  const encoding = String(req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  if (encoding === 'identity' || encoding === '') return req;
  if (encoding === 'gzip' || encoding === 'x-gzip') return req.pipe(createGunzip());
  if (encoding === 'deflate') return req.pipe(createInflate());
  throw new BodyError(415, 'unsupported_encoding', `unsupported Content-Encoding: ${encoding} (use gzip, deflate or none)`);
}
