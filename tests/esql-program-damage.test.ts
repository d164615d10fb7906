// A damaged ES|QL pipeline never makes the module trap or lose a record: every word of the pipeline
// code and of its table entry (a pipeline using the typed steps: integer and date registers, LOCATE,
// DATE_TRUNC, NOW, date minus a span, TO_STRING of an ip, integer comparisons) is overwritten with edge values one at a
// time; the module either refuses the program when it loads (its checks, error 42 for ES|QL tables)
// or runs it and forwards every record as valid JSON. Pre-rendered JSON pieces (output column keys,
// STATS row keys) are checked by the loader's JSON grammar: a damaged key is refused (error 44).
import { describe, it, expect, beforeAll } from 'vitest';
import { compileProgram } from '../src/compiler/index.js';
import { genericFilterModule } from '../src/build/evaluator.js';
import { FluentBitHost, HostError } from '../src/host/fluent-bit-host.js';
import { tableFor, CONFORMANCE_HOST_TIME_MS } from './conformance/runner.js';
import { queryRule } from './helpers/wasm-case.js';
import { rawEvent } from './helpers/evaluator.js';

const fields = tableFor('default');
const QUERY = `FROM logs-*
| EVAL c = kubernetes.audit.responseStatus.code, t = DATE_TRUNC(1 minute, @timestamp), n = NOW()
| EVAL o = CASE(c IN (401, 403), "denied", c >= 500, "error", c IS NULL, "unknown", "ok"), p = LOCATE(user.name, ":", 2)
| WHERE NOT TO_STRING(source.ip) IN ("127.0.0.1", "::1") AND t <= "2030-01-01T00:00:00.000Z" AND t >= n - 9 minutes AND p < c
| EVAL s = TO_STRING(t), q = TO_STRING(p)
| KEEP o, p, t, n, s, q`;

const RECORDS = [
  rawEvent(),
  rawEvent({ sourceIPs: ['::1'], responseStatus: { code: 500 } }),
  rawEvent({ user: { username: 'system:serviceaccount:a:b' }, responseStatus: { code: [401, 403] } }),
].map((r) => Buffer.from(JSON.stringify(r)));

let host: FluentBitHost;
beforeAll(async () => {
  host = await FluentBitHost.create(await genericFilterModule());
});

describe('damaged ES|QL programs', () => {
  it('the undamaged program alerts with typed columns', () => {
    const bytes = compileProgram([{ ...queryRule(QUERY, 'esql-damage'), type: 'esql', language: 'esql' }], {}, fields).bytes;
    host.loadProgram(bytes);
    const out = JSON.parse(host.filter(RECORDS[0], CONFORMANCE_HOST_TIME_MS).output.toString()) as { kql_edge: { alerts: { esql: Record<string, unknown> }[] } };
    expect(out.kql_edge.alerts[0].esql).toEqual({ o: 'denied', p: 7, t: '2026-03-01T10:00:00.000Z', n: '2026-03-01T10:00:00.001Z', s: '2026-03-01T10:00:00.000Z', q: '7' });
  });

  it('every word overwritten with edge values: refused at load, or every record forwarded as JSON', () => {
    const bytes = compileProgram([{ ...queryRule(QUERY, 'esql-damage'), type: 'esql', language: 'esql' }], {}, fields).bytes;
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    // Section table (docs/program-format.md): the Data section (1) and the pipeline table (23).
    const sections = new Map<number, { offset: number; length: number }>();
    for (let i = 0; i < view.getUint32(12, true); i++) sections.set(view.getUint32(16 + 12 * i, true), { offset: view.getUint32(20 + 12 * i, true), length: view.getUint32(24 + 12 * i, true) });
    const data = sections.get(1)!.offset;
    const pipes = sections.get(23)!;
    expect(pipes.length).toBe(20);
    const codeAt = data + view.getUint32(pipes.offset, true);
    const codeWords = view.getUint32(pipes.offset + 4, true);
    const offsets = [...Array.from({ length: codeWords }, (_, k) => codeAt + 4 * k), ...Array.from({ length: 5 }, (_, k) => pipes.offset + 4 * k)];
    let loaded = 0;
    let refused = 0;
    for (const off of offsets) {
      const orig = view.getUint32(off, true);
      for (const v of [0, 1, 7, 0xffffffff, 0x80000000, (orig + 1) >>> 0, (orig ^ 0xff) >>> 0]) {
        if (v === orig) continue;
        const damaged = bytes.slice();
        new DataView(damaged.buffer).setUint32(off, v, true);
        try {
          host.loadProgram(damaged);
        } catch (e) {
          if (!(e instanceof HostError)) throw e;
          refused++;
          continue;
        }
        loaded++;
        for (const r of RECORDS) {
          const res = host.filter(r, CONFORMANCE_HOST_TIME_MS);
          expect(() => JSON.parse(res.output.toString()), `word at ${off} = ${v}`).not.toThrow();
        }
      }
    }
    console.log(`damaged ES|QL pipeline (${codeWords} code words): ${loaded} programs loaded and ran, ${refused} refused`);
    expect(refused).toBeGreaterThan(0);
    expect(loaded).toBeGreaterThan(0);
  }, 600_000);

  /** The Data section's offset and the offset of each section. */
  function sectionsOf(bytes: Uint8Array) {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const at = new Map<number, number>();
    for (let i = 0; i < view.getUint32(12, true); i++) at.set(view.getUint32(16 + 12 * i, true), view.getUint32(20 + 12 * i, true));
    return { view, data: at.get(1)!, at };
  }

  it('an output column key that is no longer a JSON string is refused at load (error 44)', () => {
    const bytes = compileProgram([{ ...queryRule(QUERY, 'esql-damage'), type: 'esql', language: 'esql' }], {}, fields).bytes.slice();
    const { view, data, at } = sectionsOf(bytes);
    const key = data + view.getUint32(at.get(24)!, true); // the first output's key (section 24, 12 B entries)
    expect(bytes[key]).toBe(0x22);
    host.loadProgram(bytes.slice());
    bytes[key + 1] = 0x22; // an unescaped quote inside the key
    expect(() => host.loadProgram(bytes)).toThrow(/refused the program \(error 44\)/);
  });

  it('a STATS row key cut to its opening quote is refused at load (error 44)', () => {
    const q = 'FROM logs-*\n| STATS n = COUNT(*) BY user.name\n| WHERE n >= 2';
    const bytes = compileProgram([{ ...queryRule(q, 'stats-damage'), type: 'esql', language: 'esql', from: 'now-6m' }], {}, fields).bytes.slice();
    const { view, data, at } = sectionsOf(bytes);
    const code = data + view.getUint32(at.get(27)! + 4, true); // section 27 entry: pipeline, code offset, words, ...
    const word = (k: number) => view.getUint32(code + 4 * k, true);
    const firstOutput = 4 + word(0) * 4 + word(1) * 3; // after the aggregates and the BY columns
    expect(word(2)).toBeGreaterThan(0);
    host.loadProgram(bytes.slice());
    view.setUint32(code + 4 * (firstOutput + 1), 1, true); // the key's length: its opening quote only
    expect(() => host.loadProgram(bytes)).toThrow(/refused the program \(error 44\)/);
  });
});
