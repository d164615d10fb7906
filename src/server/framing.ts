// The two batch framings an HTTP sender uses for JSON events, and how a batch is written back in the
// framing it came in:
// - NDJSON (Vector's `http` sink with `framing.method = "newline_delimited"`, Fluent Bit's `http`
//   output with `Format json_lines`): one record per line;
// - a JSON array (Vector's `http` sink with the json codec and no framing, Fluent Bit's
//   `Format json`): `[rec,rec,...]`.
// Records are kept as the exact bytes received (no decoding), like the filter sees them in Fluent Bit.

export type Framing = 'ndjson' | 'json-array';

export const CONTENT_TYPES: Record<Framing, string> = {
  ndjson: 'application/x-ndjson',
  'json-array': 'application/json',
};

export interface DecodedBatch {
  framing: Framing;
  records: Buffer[];
}

/** A body that is not a batch in either framing (answered 400). */
export class FramingError extends Error {}

const NDJSON_TYPES = ['application/x-ndjson', 'application/ndjson', 'application/jsonlines', 'application/x-jsonlines', 'application/json-seq'];

/**
 * Splits a request body into records. The Content-Type decides when it names NDJSON; otherwise a body
 * whose first non-blank byte is `[` is a JSON array and anything else is NDJSON.
 */
export function decodeBatch(body: Buffer, contentType: string | undefined): DecodedBatch {
  const first = firstNonBlank(body, 0);
  if (first < 0) throw new FramingError('empty batch');
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (!NDJSON_TYPES.includes(type) && body[first] === 0x5b /* [ */) {
    return { framing: 'json-array', records: splitJsonArray(body) };
  }
  return { framing: 'ndjson', records: splitNdjson(body) };
}

/** Writes records back in a framing. */
export function encodeBatch(framing: Framing, records: readonly Buffer[]): Buffer {
  if (framing === 'ndjson') {
    const parts: Buffer[] = [];
    for (const r of records) parts.push(r, NEWLINE);
    return Buffer.concat(parts);
  }
  const parts: Buffer[] = [OPEN];
  records.forEach((r, i) => {
    if (i > 0) parts.push(COMMA);
    parts.push(r);
  });
  parts.push(CLOSE);
  return Buffer.concat(parts);
}

const NEWLINE = Buffer.from('\n');
const OPEN = Buffer.from('[');
const CLOSE = Buffer.from(']');
const COMMA = Buffer.from(',');

/**
 * NDJSON lines (LF or CRLF, blank lines skipped). Lines that are not JSON objects stay records (the
 * filter passes them through unchanged), but a body with no line that even starts like an object is
 * not a batch of JSON events (e.g. a text-codec sender) and is refused.
 */
export function splitNdjson(body: Buffer): Buffer[] {
  const records: Buffer[] = [];
  let objects = 0;
  let start = 0;
  while (start < body.length) {
    let nl = body.indexOf(0x0a, start);
    if (nl < 0) nl = body.length;
    let end = nl;
    if (end > start && body[end - 1] === 0x0d) end--;
    const first = firstNonBlank(body, start, end);
    if (first >= 0) {
      records.push(body.subarray(start, end));
      if (body[first] === 0x7b /* { */) objects++;
    }
    start = nl + 1;
  }
  if (objects === 0) throw new FramingError('neither a JSON array nor NDJSON: no line holds a JSON object');
  return records;
}

/**
 * The elements of a JSON array body, as the bytes of each element (surrounding whitespace removed).
 * The whole body must be valid JSON; the scan then only has to follow strings and nesting.
 */
export function splitJsonArray(body: Buffer): Buffer[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch (err) {
    throw new FramingError(`invalid JSON array body: ${(err as Error).message}`);
  }
  if (!Array.isArray(parsed)) throw new FramingError('body starts with [ but is not a JSON array');
  const records: Buffer[] = [];
  let depth = 0;
  let inString = false;
  let elementStart = -1;
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) inString = false;
      continue;
    }
    if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      depth++;
      if (depth === 1) {
        elementStart = i + 1;
        continue;
      }
    } else if (c === 0x5d /* ] */ || c === 0x7d /* } */) {
      depth--;
      if (depth === 0) {
        pushTrimmed(records, body, elementStart, i);
        break;
      }
    } else if (c === 0x2c /* , */ && depth === 1) {
      pushTrimmed(records, body, elementStart, i);
      elementStart = i + 1;
    }
  }
  if (records.length !== parsed.length) throw new FramingError('JSON array body could not be split into its elements');
  return records;
}

function pushTrimmed(out: Buffer[], body: Buffer, start: number, end: number): void {
  while (start < end && isBlank(body[start]!)) start++;
  while (end > start && isBlank(body[end - 1]!)) end--;
  if (end > start) out.push(body.subarray(start, end));
}

function isBlank(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

function firstNonBlank(body: Buffer, start: number, end = body.length): number {
  for (let i = start; i < end; i++) if (!isBlank(body[i]!)) return i;
  return -1;
}
