// The string scan and the trusted-input subtree skip of assembly/json/ (word steps) and the JSON
// string writer's plain-run copy, against plain JavaScript references: escaped quotes, runs of
// backslashes before a quote, quotes at word edges, deep nesting.
import { beforeAll, describe, expect, it } from 'vitest';
import asc from 'assemblyscript/asc';
import fc from 'fast-check';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ENTRY = 'tests/assembly/json-entry.ts';
const BUILD_FLAGS = ['--runtime', 'minimal', '--exportRuntime', '--noAssert', '-O3', '--use', 'abort=tests/assembly/json-entry/abortNoop'];

interface JsonExports {
  memory: WebAssembly.Memory;
  scratch(): number;
  scanValidating(pos: number, end: number): number;
  hadEscapes(): number;
  skipValue(pos: number, end: number): number;
  writeJsonContent(src: number, n: number): number;
  written(): number;
}

async function compileEntry(): Promise<Uint8Array<ArrayBuffer>> {
  const outputs = new Map<string, Uint8Array | string>();
  const errors: string[] = [];
  const { error } = await asc.main([ENTRY, '--baseDir', repoRoot, '--outFile', 'json.wasm', ...BUILD_FLAGS], {
    readFile: async (name, baseDir) => {
      if (name === 'asconfig.json') return null;
      return readFile(path.resolve(baseDir, name), 'utf8').catch(() => null);
    },
    writeFile: (name, contents) => {
      outputs.set(path.basename(name), contents);
    },
    stdout: asc.createMemoryStream(),
    stderr: asc.createMemoryStream((chunk) => {
      errors.push(String(chunk));
    }),
  });
  if (error) throw new Error(`asc failed: ${error.message}\n${errors.join('')}`);
  const binary = outputs.get('json.wasm');
  if (!(binary instanceof Uint8Array)) throw new Error('asc wrote no module');
  return new Uint8Array(binary);
}

function instantiate(binary: Uint8Array<ArrayBuffer>): JsonExports {
  return new WebAssembly.Instance(new WebAssembly.Module(binary), {}).exports as unknown as JsonExports;
}

const enc = new TextEncoder();

/** Writes text at the scratch buffer (after `pad` filler bytes, to move word edges); returns its start. */
function put(ex: JsonExports, text: string | Uint8Array, pad = 0): { at: number; end: number } {
  const bytes = typeof text === 'string' ? enc.encode(text) : text;
  const base = ex.scratch();
  const m = new Uint8Array(ex.memory.buffer, base, pad + bytes.length + 16);
  m.fill(0x41, 0, pad); // 'A'
  m.set(bytes, pad);
  m.fill(0, pad + bytes.length); // a NUL after the end, as Fluent Bit's copy has
  return { at: base + pad, end: base + pad + bytes.length };
}

/** Index of the closing quote of the JSON string whose content starts at 0, or -1 (the reference). */
function closingQuote(b: Uint8Array): number {
  for (let i = 0; i < b.length; i++) {
    if (b[i] === 0x5c) i++;
    else if (b[i] === 0x22) return i;
  }
  return -1;
}

/** A JSON string's content rich in what the skips must get right: quotes, backslash runs, brackets. */
const trickyContent = fc
  .array(fc.oneof(fc.constantFrom('\\"', '\\\\', '\\\\\\"', '\\\\\\\\', '\\u0022', '\\n', '{', '}', '[', ']', ',', ':', 'é', '\\/'), fc.string({ maxLength: 12 }).map((s) => s.replace(/["\\]/g, 'x'))), { maxLength: 40 });

describe('JSON string scan, trusted subtree skip, string writer', () => {
  let ex: JsonExports;
  beforeAll(async () => {
    ex = instantiate(await compileEntry());
  }, 120_000);

  it('finds the closing quote after backslash runs, at every length and word offset', () => {
    for (let pad = 0; pad < 8; pad++) {
      for (let len = 0; len < 48; len++) {
        for (let run = 0; run <= 5; run++) {
          // `len` plain bytes, `run` backslashes, then a quote (escaped when run is odd), then more.
          const content = 'x'.repeat(len) + '\\'.repeat(run) + '"' + 'y'.repeat(run % 2 ? 3 : 0) + (run % 2 ? '"' : '') + ',"k":1}';
          const b = enc.encode(content);
          const { at, end } = put(ex, b, pad);
          const expected = closingQuote(b);
          expect(ex.scanValidating(at, end) - at).toBe(expected);
          expect(ex.hadEscapes()).toBe(run > 0 ? 1 : 0);
        }
      }
    }
  });

  it('reports an unterminated string as 0, up to the record end', () => {
    for (const content of ['', 'abc', 'x'.repeat(40), 'x'.repeat(40) + '\\"', 'x'.repeat(30) + '\\', '\\"'.repeat(20)]) {
      const { at, end } = put(ex, content + '"tail', 3);
      expect(ex.scanValidating(at, end - 5)).toBe(0);
    }
  });

  it('agrees with the reference on generated strings', () => {
    fc.assert(
      fc.property(trickyContent, fc.nat(7), (parts, pad) => {
        const json = JSON.stringify(parts.join('')).slice(1) + ',"next":"v"}'; // content, closing quote, more
        const b = enc.encode(json);
        const { at, end } = put(ex, b, pad);
        const expected = closingQuote(b);
        expect(ex.scanValidating(at, end) - at).toBe(expected);
      }),
      { numRuns: 400 },
    );
  });

  it('skips whole values by their brackets: strings with brackets and quotes inside, deep nesting', () => {
    const tricky = fc.oneof(trickyContent.map((p) => p.join('')), fc.string());
    const value = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, tricky, fc.integer(), fc.constant(null), fc.array(tie('node'), { maxLength: 5 }), fc.dictionary(tricky, tie('node'), { maxKeys: 5 })),
    })).node;
    fc.assert(
      fc.property(fc.oneof(fc.array(value, { maxLength: 6 }), fc.dictionary(fc.string(), value, { maxKeys: 6 })), fc.nat(7), (v, pad) => {
        const text = JSON.stringify(v);
        const { at, end } = put(ex, text + ',"after":{"x":"]"}}', pad);
        expect(ex.skipValue(at, end) - at).toBe(enc.encode(text).length);
      }),
      { numRuns: 300 },
    );
    const deep = '['.repeat(5000) + '"]\\"[' + 'x'.repeat(100) + '"' + ']'.repeat(5000);
    const { at, end } = put(ex, deep + ']', 1);
    expect(ex.skipValue(at, end) - at).toBe(deep.length);
  });

  it('writes JSON string content exactly as JSON.stringify escapes it (valid UTF-8)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 80 }), trickyContent.map((p) => p.join(''))), fc.nat(7), (s, pad) => {
        const b = enc.encode(s);
        const { at } = put(ex, b, pad);
        const n = ex.writeJsonContent(at, b.length);
        const out = Buffer.from(new Uint8Array(ex.memory.buffer, ex.written(), n)).toString('utf8');
        expect(JSON.parse('"' + out + '"')).toBe(new TextDecoder().decode(b)); // what the bytes say
      }),
      { numRuns: 400 },
    );
  });
});
