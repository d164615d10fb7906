// Splitting an NDJSON byte stream into records: LF or CRLF endings, blank lines skipped, bytes kept
// exactly as read (no decoding, so invalid UTF-8 passes through untouched).
import type { Readable } from 'node:stream';

export async function* readLines(input: Readable): AsyncGenerator<Buffer> {
  let pending: Buffer = Buffer.alloc(0);
  for await (const chunk of input) {
    const buf: Buffer = pending.length ? Buffer.concat([pending, chunk as Buffer]) : (chunk as Buffer);
    let start = 0;
    for (;;) {
      const nl = buf.indexOf(10, start);
      if (nl < 0) break;
      const line = trimLine(buf.subarray(start, nl));
      if (line) yield line;
      start = nl + 1;
    }
    pending = Buffer.from(buf.subarray(start));
  }
  const last = trimLine(pending);
  if (last) yield last;
}

/** Drops a trailing CR; undefined for a blank line. */
function trimLine(line: Buffer): Buffer | undefined {
  let end = line.length;
  if (end > 0 && line[end - 1] === 13) end--;
  const body = line.subarray(0, end);
  for (let i = 0; i < body.length; i++) if (body[i] !== 32 && body[i] !== 9) return body;
  return undefined;
}
