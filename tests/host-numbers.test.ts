// Numbers Fluent Bit prints but cannot read back ("%.16g" of the largest doubles gives
// 1.797693134862316e+308, above the largest double): the filter rewrites them in place as
// 1.7976931348623157e308 (docs/abi.md), in pass-through and tagged records alike.
import { describe, it, expect, beforeAll } from 'vitest';
import { hostFor, rawEvent, DEFAULT_RULES } from './helpers/evaluator.js';
import type { FluentBitHost } from '../src/host/fluent-bit-host.js';

const FB_MAX = '1.797693134862316e+308'; // what Fluent Bit 5.1.1 hands the filter for the largest doubles
const MAX = '1.7976931348623157e308';

let host: FluentBitHost;
beforeAll(async () => {
  host = await hostFor([DEFAULT_RULES]);
});

const run = (text: string) => host.filter(Buffer.from(text), 0);

describe('numbers Fluent Bit cannot read back', () => {
  it('the largest doubles as Fluent Bit prints them become the largest double, same length, both signs', () => {
    for (const [input, expected] of [
      [`{"n":${FB_MAX}}`, `{"n":${MAX}}`],
      [`{"n":-${FB_MAX}}`, `{"n":-${MAX}}`],
      [`{"a":[1,${FB_MAX},-${FB_MAX}],"b":{"c":${FB_MAX}}}`, `{"a":[1,${MAX},-${MAX}],"b":{"c":${MAX}}}`],
    ]) {
      const out = run(input!);
      expect(out.verdict).toBe('pass');
      expect(out.output.toString()).toBe(expected);
      expect(out.output.length).toBe(input!.length);
      expect(JSON.stringify(JSON.parse(out.output.toString()))).not.toMatch(/null/);
    }
  });

  it('wherever the text falls relative to the 16-byte steps of the search', () => {
    for (let pad = 0; pad < 40; pad++) {
      const input = `{"${'k'.repeat(pad)}":${FB_MAX}}`;
      expect(run(input).output.toString()).toBe(`{"${'k'.repeat(pad)}":${MAX}}`);
      const last = `{"${'k'.repeat(pad)}":1,"n":${FB_MAX}}`;
      expect(JSON.parse(run(last).output.toString()).n).toBe(Number.MAX_VALUE);
    }
  });

  it('string content and readable numbers are left alone', () => {
    for (const input of [
      `{"s":"${FB_MAX}"}`,
      `{"s":"x \\" ${FB_MAX}"}`,
      `{"${FB_MAX}":1}`,
      '{"n":1.797693134862315e+308}',
      '{"n":1.7976931348623157e+307}',
      '{"n":1e+308,"m":-1e+308}',
      '{"n":1.79769313486231579e+308}',
      '{"n":0.00001e+308}',
      '{"u":"Mozilla/5.0+(e+308)"}',
      // Only Fluent Bit's own spelling (exponent "e+308") is looked for; shorter ones cannot be rewritten in place.
      '{"n":2e+308}',
      '{"n":17.976931348623158e+307}',
    ]) {
      const out = run(input);
      expect(out.verdict).toBe('pass');
      expect(out.output.toString()).toBe(input);
    }
  });

  it('in a record where Fluent Bit\'s text appears, longer "e+308" spellings at or above 1.7976931348623158e308 are rewritten too, padded with spaces', () => {
    for (const alone of ['{"n":1.79769313486231580e+308}', '{"n":1.7976931348623159e+308,"z":1}', '{"n":[1.7976931348623158000000e+308]}']) {
      expect(run(alone).output.toString()).toBe(alone); // only the text Fluent Bit prints is searched for
      const input = alone.slice(0, -1) + `,"fb":${FB_MAX}}`;
      const out = run(input).output.toString();
      expect(out.length).toBe(input.length);
      expect(out).toContain(MAX + ' ');
      expect([JSON.parse(out).n].flat()[0]).toBe(Number.MAX_VALUE);
    }
  });

  it('a tagged record carries the rewritten number, and the counters count it', () => {
    const before = host.stats()!.numbers_rewritten ?? 0;
    const record = JSON.stringify(rawEvent({ userAgent: 'agent-big-number', n: 1 })).replace('"n":1', `"n":${FB_MAX},"m":-${FB_MAX}`);
    const out = run(record);
    expect(out.verdict).toBe('tagged');
    const parsed = JSON.parse(out.output.toString());
    expect(parsed.n).toBe(Number.MAX_VALUE);
    expect(parsed.m).toBe(-Number.MAX_VALUE);
    expect(out.output.toString()).not.toContain('e+308');
    expect(host.stats()!.numbers_rewritten).toBe(before + 2);
  });

  it('random records with the trigger in strings, keys and numbers: always one valid object, no infinity', () => {
    let seed = 7;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) >>> 0) % n);
    const pieces = [`${FB_MAX}`, `-${FB_MAX}`, `"${FB_MAX}"`, '"e+308"', '1e+308', '"+"', '"\\"+"', '2.5', '"a+b"'];
    for (let i = 0; i < 300; i++) {
      const members = Array.from({ length: 1 + rnd(6) }, (_, k) => `"k${k}${'x'.repeat(rnd(9))}":${pieces[rnd(pieces.length)]}`);
      const input = `{${members.join(',')}}`;
      const out = run(input).output.toString();
      expect(out.length).toBe(input.length);
      const parsed = JSON.parse(out);
      const reference = JSON.parse(input);
      for (const [k, v] of Object.entries(reference)) {
        if (v === Infinity || v === -Infinity) expect(parsed[k]).toBe(Math.sign(v as number) * Number.MAX_VALUE);
        else expect(parsed[k]).toEqual(v);
      }
    }
  });
});
