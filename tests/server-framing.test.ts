// Batch framings of the transform server (NDJSON and JSON array), and its retry cache.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeBatch, encodeBatch, splitJsonArray, FramingError } from '../src/server/framing.js';
import { RetryCache, HashMemory, type EvaluatedBatch } from '../src/server/retry-cache.js';
import { parseListen } from '../src/server/server.js';
import { parseRetryAfter } from '../src/server/loopback/sender.js';

const texts = (records: Buffer[]) => records.map((r) => r.toString('utf8'));

describe('batch framing', () => {
  it('NDJSON: LF and CRLF, blank lines skipped, bytes kept, no final newline needed', () => {
    const body = Buffer.from('{"a":1}\r\n\r\n  \n{"b":"x\\ny"}\nnot json\n{"c":[1,2]}');
    const batch = decodeBatch(body, 'application/x-ndjson');
    expect(batch.framing).toBe('ndjson');
    expect(texts(batch.records)).toEqual(['{"a":1}', '{"b":"x\\ny"}', 'not json', '{"c":[1,2]}']);
  });

  it('a JSON array body: elements as their exact bytes, whitespace around them dropped', () => {
    const body = Buffer.from(' [ {"a":"],[{}\\"","n":[1,{"x":2}]} ,\n{"b":12345678901234567890}, "s", 3, null, [] ] ');
    const batch = decodeBatch(body, 'application/json');
    expect(batch.framing).toBe('json-array');
    expect(texts(batch.records)).toEqual(['{"a":"],[{}\\"","n":[1,{"x":2}]}', '{"b":12345678901234567890}', '"s"', '3', 'null', '[]']);
    expect(decodeBatch(Buffer.from('[]'), undefined).records).toEqual([]);
  });

  it('the framing follows the Content-Type when it names NDJSON, else the first byte', () => {
    expect(decodeBatch(Buffer.from('[1,2]\n{"a":1}\n'), 'application/x-ndjson').framing).toBe('ndjson');
    expect(decodeBatch(Buffer.from('[{"a":1}]'), 'application/json; charset=utf-8').framing).toBe('json-array');
    expect(decodeBatch(Buffer.from('[{"a":1}]'), undefined).framing).toBe('json-array');
    expect(decodeBatch(Buffer.from('{"a":1}\n{"b":2}\n'), 'application/json').framing).toBe('ndjson');
  });

  it('refuses what is neither framing', () => {
    expect(() => decodeBatch(Buffer.from(''), undefined)).toThrow(FramingError);
    expect(() => decodeBatch(Buffer.from(' \r\n\n'), 'application/x-ndjson')).toThrow(/empty/);
    expect(() => decodeBatch(Buffer.from('[{"a":1},'), 'application/json')).toThrow(/invalid JSON array/);
    expect(() => decodeBatch(Buffer.from('[{"a":1}] [2]'), 'application/json')).toThrow(/invalid JSON array/);
    expect(() => decodeBatch(Buffer.from('plain text\nmore text'), 'text/plain')).toThrow(/neither/);
  });

  it('encode writes records back in the framing they came in', () => {
    const records = [Buffer.from('{"a":1}'), Buffer.from('x y')];
    expect(encodeBatch('ndjson', records).toString()).toBe('{"a":1}\nx y\n');
    expect(encodeBatch('json-array', [Buffer.from('{"a":1}'), Buffer.from('2')]).toString()).toBe('[{"a":1},2]');
    expect(encodeBatch('json-array', []).toString()).toBe('[]');
  });

  it('property: any JSON array splits into its elements, and encoding them gives equal JSON', () => {
    fc.assert(
      fc.property(fc.array(fc.jsonValue(), { maxLength: 12 }), fc.constantFrom('', ' ', '\n', ' \t\r\n'), (values, ws) => {
        const body = Buffer.from('[' + ws + values.map((v) => JSON.stringify(v)).join(ws + ',' + ws) + ws + ']');
        const records = splitJsonArray(body);
        expect(records.map((r) => JSON.parse(r.toString()))).toEqual(JSON.parse(body.toString()));
        expect(JSON.parse(encodeBatch('json-array', records).toString())).toEqual(JSON.parse(body.toString()));
      }),
      { numRuns: 300 },
    );
  });

  it('property: NDJSON of JSON objects splits into the exact lines', () => {
    fc.assert(
      fc.property(fc.array(fc.dictionary(fc.string(), fc.jsonValue()), { minLength: 1, maxLength: 10 }), fc.boolean(), (objects, crlf) => {
        const lines = objects.map((o) => JSON.stringify(o));
        const records = decodeBatch(Buffer.from(lines.join(crlf ? '\r\n' : '\n')), 'application/x-ndjson').records;
        expect(texts(records)).toEqual(lines);
      }),
      { numRuns: 200 },
    );
  });
});

describe('retry cache', () => {
  const batch = (bytes: number, tagged = 1): EvaluatedBatch => ({ framing: 'ndjson', output: Buffer.alloc(bytes), received: 1, forwarded: 1, tagged, bytes });

  it('is bounded by entries: the oldest entry goes first', () => {
    const cache = new RetryCache(2, 1 << 20);
    expect(cache.put('a', batch(10))).toEqual([]);
    expect(cache.put('b', batch(10))).toEqual([]);
    expect(cache.put('c', batch(10)).map((e) => e.hash)).toEqual(['a']);
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('c')?.bytes).toBe(10);
    expect(cache.size).toBe(2);
  });

  it('is bounded by bytes (output plus a fixed overhead per entry); an entry larger than the bound is not kept', () => {
    const cache = new RetryCache(100, 1000);
    expect(cache.put('a', batch(300))).toEqual([]);
    expect(cache.put('b', batch(300))).toEqual([]);
    expect(cache.bytes).toBe(2 * (300 + 128));
    expect(cache.put('c', batch(300)).map((e) => e.hash)).toEqual(['a']);
    expect(cache.put('huge', batch(5000)).map((e) => e.hash)).toEqual(['b', 'c', 'huge']);
    expect(cache.size).toBe(0);
    expect(cache.bytes).toBe(0);
  });

  it('storing a hash again replaces it and makes it the newest; tagged records are summed', () => {
    const cache = new RetryCache(2, 1 << 20);
    cache.put('a', batch(10, 2));
    cache.put('b', batch(10, 3));
    cache.put('a', batch(20, 4));
    expect(cache.taggedRecords()).toBe(7);
    expect(cache.put('c', batch(10)).map((e) => e.hash)).toEqual(['b']);
    cache.delete('a');
    expect(cache.size).toBe(1);
  });

  it('a hash memory forgets the oldest beyond its capacity', () => {
    const seen = new HashMemory(2);
    seen.add('a');
    seen.add('b');
    seen.add('a');
    seen.add('c');
    expect([seen.has('a'), seen.has('b'), seen.has('c')]).toEqual([true, false, true]);
  });
});

describe('small parsers', () => {
  it('listen addresses', () => {
    expect(parseListen('127.0.0.1:8687')).toEqual({ host: '127.0.0.1', port: 8687 });
    expect(parseListen('[::1]:0')).toEqual({ host: '::1', port: 0 });
    expect(() => parseListen('8687')).toThrow(/HOST:PORT/);
    expect(() => parseListen('127.0.0.1:70000')).toThrow();
  });

  it('Retry-After as seconds or an HTTP date', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    expect(parseRetryAfter(undefined)).toBeUndefined();
    const inTwoSeconds = new Date(Date.now() + 2000).toUTCString();
    expect(parseRetryAfter(inTwoSeconds)).toBeGreaterThan(500);
    expect(parseRetryAfter('soon')).toBeUndefined();
  });
});
