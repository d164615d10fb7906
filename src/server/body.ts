// Reading a request body within limits: a body announced or found larger than the limit is refused
// (413) as soon as that is known, without holding more than the limit in memory; gzip and deflate
// bodies (Vector's `compression = "gzip"`, Fluent Bit's `compress gzip`) are limited after decompression.
import type { IncomingMessage } from 'node:http';
import { createGunzip, createInflate } from 'node:zlib';
import type { Readable } from 'node:stream';

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

export async function readBody(req: IncomingMessage, limits: BodyLimits): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limits.maxBytes) {
    throw new BodyError(413, 'too_large', `body of ${declared} bytes is over the limit of ${limits.maxBytes}`);
  }
  const source = decodedStream(req);
  if (source !== req) {
    // The compressed bytes are limited too (a stream of empty deflate blocks would never end otherwise).
    let raw = 0;
    req.on('data', (chunk: Buffer) => {
      raw += chunk.length;
      if (raw > limits.maxBytes) source.destroy(new BodyError(413, 'too_large', `body is over the limit of ${limits.maxBytes} bytes`));
    });
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of source) {
      const buf = chunk as Buffer;
      size += buf.length;
      if (size > limits.maxBytes) throw new BodyError(413, 'too_large', `body is over the limit of ${limits.maxBytes} bytes`);
      if (!limits.reserve(buf.length)) throw new BodyError(429, 'overload', 'too many bytes waiting in the server');
      chunks.push(buf);
    }
  } catch (err) {
    if (source !== req) (source as Readable).destroy();
    if (err instanceof BodyError) throw err;
    if (req.destroyed || (err as NodeJS.ErrnoException).code === 'ECONNRESET') throw err;
    throw new BodyError(400, 'malformed', `could not read the body: ${(err as Error).message}`);
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
}

function decodedStream(req: IncomingMessage): Readable {
  const encoding = String(req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  if (encoding === 'identity' || encoding === '') return req;
  if (encoding === 'gzip' || encoding === 'x-gzip') return req.pipe(createGunzip());
  if (encoding === 'deflate') return req.pipe(createInflate());
  throw new BodyError(415, 'unsupported_encoding', `unsupported Content-Encoding: ${encoding} (use gzip, deflate or none)`);
}
