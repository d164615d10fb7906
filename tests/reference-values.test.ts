import { describe, expect, it } from 'vitest';
import type { Value } from '../src/kql/ast.js';
import { compareUtf8, keywordTerm } from '../src/reference/values/keyword.js';
import { analyze, lowerCaseCodePoints, wordClass } from '../src/reference/values/analyzer.js';
import { numericDocValue, numericQueryValue, parseNumberText, roundToHalf } from '../src/reference/values/numeric.js';
import { daysFromCivil, civilFromDays, parseDate, parseDateMath } from '../src/reference/values/date.js';
import { parseCidr, parseIp } from '../src/reference/values/ip.js';
import { booleanDocValue, booleanQueryValue } from '../src/reference/values/boolean.js';
import { existsIn, matchIs, matchRange } from '../src/reference/values.js';
import { jsonNumber } from '../src/reference/json.js';

const ctx = { ignoreAbove: 1024, now: Date.UTC(2024, 4, 15, 12, 30, 45, 123) };
const s = (value: string, quoted = false): Value => ({ type: 'string', value, quoted });
const w = (pattern: string): Value => ({ type: 'wildcard', parts: pattern.split('*') });
const ms = (iso: string) => Date.parse(iso);

describe('keyword', () => {
  it('indexes strings, number text and booleans; ignore_above counts UTF-16 units', () => {
    expect(keywordTerm('x', 1024)).toBe('x');
    expect(keywordTerm(200, 1024)).toBe('200');
    expect(keywordTerm(jsonNumber('1.0'), 1024)).toBe('1.0');
    expect(keywordTerm(true, 1024)).toBe('true');
    expect(keywordTerm(null, 1024)).toBeUndefined();
    expect(keywordTerm('a'.repeat(1024), 1024)).toBe('a'.repeat(1024));
    expect(keywordTerm('a'.repeat(1025), 1024)).toBeUndefined();
    expect(keywordTerm('😀'.repeat(513), 1024)).toBeUndefined(); // 1026 units
    expect(keywordTerm('a'.repeat(1025), null)).toBe('a'.repeat(1025));
  });
  it('matches exactly, by anchored glob, case-sensitively', () => {
    expect(matchIs('keyword', ['Foo'], s('Foo'), ctx)).toBe(true);
    expect(matchIs('keyword', ['Foo'], s('foo'), ctx)).toBe(false);
    expect(matchIs('keyword', ['a/b/c'], w('a*c'), ctx)).toBe(true);
    expect(matchIs('keyword', ['xa/b/c'], w('a*c'), ctx)).toBe(false);
    expect(matchIs('keyword', ['true'], { type: 'boolean', value: true }, ctx)).toBe(true);
    expect(matchIs('keyword', [true], s('true'), ctx)).toBe(true);
    expect(matchIs('keyword', ['null'], { type: 'null' }, ctx)).toBe(false);
    expect(matchIs('keyword', ['x'.repeat(2000)], w('*'), ctx)).toBe(false);
    expect(existsIn('keyword', [''], ctx)).toBe(true);
    expect(existsIn('keyword', [null], ctx)).toBe(false);
    expect(existsIn('keyword', ['x'.repeat(1025)], ctx)).toBe(false);
  });
  it('ranges compare UTF-8 byte order', () => {
    expect(matchRange('keyword', ['9'], 'gt', '10', ctx)).toBe(true);
    expect(compareUtf8('\uffff', '😀')).toBeLessThan(0); // UTF-16 order would say the opposite
    expect(compareUtf8('😀', '\ue000')).toBeGreaterThan(0);
    expect(compareUtf8('a', 'ab')).toBeLessThan(0);
    expect(matchRange('keyword', ['b'], 'lte', 'b', ctx)).toBe(true);
    expect(matchRange('keyword', ['b'], 'lt', 'b', ctx)).toBe(false);
  });
});

describe('standard analyzer approximation', () => {
  it('splits like UAX#29 on typical audit values', () => {
    expect(analyze('system:serviceaccount:kube-system:default')).toEqual(['system:serviceaccount:kube', 'system:default']);
    expect(analyze('kubectl/v1.26.1 (linux/amd64) kubernetes/$Format')).toEqual(['kubectl', 'v1.26.1', 'linux', 'amd64', 'kubernetes', 'format']);
    expect(analyze('nginx:1.25')).toEqual(['nginx', '1.25']);
    expect(analyze('docker.elastic.co/beats/elastic-agent:8.1')).toEqual(['docker.elastic.co', 'beats', 'elastic', 'agent', '8.1']);
    expect(analyze("O'Neil's 3,000.5 foo_bar __ a..b")).toEqual(["o'neil's", '3,000.5', 'foo_bar', 'a', 'b']);
    expect(analyze('10.0.0.1 ::1 fe80::1')).toEqual(['10.0.0.1', '1', 'fe80', '1']);
    expect(analyze('')).toEqual([]);
    expect(analyze('-- // !!')).toEqual([]);
  });
  it('handles non-ASCII scripts, marks and emoji', () => {
    expect(analyze('Grüße ÉTÉ')).toEqual(['grüße', 'été']);
    expect(analyze('東京タワー')).toEqual(['東', '京', 'タワー']);
    expect(analyze('cafe\u0301 x')).toEqual(['cafe\u0301', 'x']);
    expect(analyze('I ❤️ 😀ok')).toEqual(['i', '😀', 'ok']);
    expect(analyze('İSTANBUL ΣΑΣ')).toEqual(['istanbul', 'σασ']);
    expect(wordClass(0x200b)).toBe('Other');
    expect(lowerCaseCodePoints('ABC𐐀')).toBe('abc𐐨');
  });
  it('cuts tokens at 255 UTF-16 units', () => {
    const tokens = analyze('a'.repeat(600));
    expect(tokens.map((t) => t.length)).toEqual([255, 255, 90]);
  });
  it('text matching: any token, phrase within one value, per-token wildcard', () => {
    const groups = ['system:serviceaccounts', 'system:authenticated'];
    expect(matchIs('text', groups, s('SYSTEM:AUTHENTICATED'), ctx)).toBe(true);
    expect(matchIs('text', groups, s('nothing system:authenticated'), ctx)).toBe(true);
    expect(matchIs('text', ['quick brown fox'], s('brown fox', true), ctx)).toBe(true);
    expect(matchIs('text', ['quick brown fox'], s('fox brown', true), ctx)).toBe(false);
    expect(matchIs('text', ['quick brown', 'fox jumps'], s('brown fox', true), ctx)).toBe(false);
    expect(matchIs('text', ['quick brown fox'], w('BRO*'), ctx)).toBe(true);
    expect(matchIs('text', ['quick brown fox'], w('quick b*'), ctx)).toBe(false);
    expect(matchIs('text', ['nginx:1.25'], w('nginx*'), ctx)).toBe(true);
    expect(matchIs('text', ['docker.io/nginx'], w('docker.io/*'), ctx)).toBe(false);
    expect(matchIs('text', ['x'], s('!!'), ctx)).toBe(false);
    expect(matchIs('text', [true], { type: 'boolean', value: true }, ctx)).toBe(true);
    expect(existsIn('text', ['!!'], ctx)).toBe(true);
    expect(matchRange('text', ['Beta gamma'], 'gte', 'c', ctx)).toBe(true);
  });
});

describe('numeric', () => {
  it('parses number text like Java after trimming', () => {
    expect(parseNumberText(' 200 ')).toBe(200);
    expect(parseNumberText('+1.')).toBe(1);
    expect(parseNumberText('.5e1')).toBe(5);
    expect(parseNumberText('1e')).toBeUndefined();
    expect(parseNumberText('0x10')).toBeUndefined();
    expect(parseNumberText('NaN')).toBeUndefined();
    expect(parseNumberText('')).toBeUndefined();
  });
  it('coerces document values per type', () => {
    expect(numericDocValue('integer', '200')).toBe(200);
    expect(numericDocValue('integer', 200.9)).toBe(200);
    expect(numericDocValue('integer', -1.5)).toBe(-1);
    expect(numericDocValue('integer', 2147483648)).toBeUndefined();
    expect(numericDocValue('byte', 127)).toBe(127);
    expect(numericDocValue('byte', 128)).toBeUndefined();
    expect(numericDocValue('unsigned_long', -1)).toBeUndefined();
    expect(numericDocValue('integer', true)).toBeUndefined();
    expect(numericDocValue('integer', 'abc')).toBeUndefined();
    expect(numericDocValue('integer', '')).toBeUndefined();
    expect(numericDocValue('float', 0.1)).toBe(Math.fround(0.1));
    expect(numericDocValue('double', '1e400')).toBeUndefined();
    expect(numericDocValue('long', jsonNumber('1.0e2'))).toBe(100);
  });
  it('coerces query literals: integer types reject fractions', () => {
    expect(numericQueryValue('integer', s('200'))).toBe(200);
    expect(numericQueryValue('integer', s('200.0'))).toBe(200);
    expect(numericQueryValue('integer', s('2e2'))).toBe(200);
    expect(numericQueryValue('integer', s('200.5'))).toBeUndefined();
    expect(numericQueryValue('integer', s('1e10'))).toBeUndefined();
    expect(numericQueryValue('double', s('200.5'))).toBe(200.5);
    expect(numericQueryValue('integer', { type: 'boolean', value: true })).toBeUndefined();
    expect(matchIs('integer', ['403'], s('403'), ctx)).toBe(true);
    expect(matchIs('integer', [403], s('403.5'), ctx)).toBe(false);
    expect(matchIs('float', [0.1], s('0.1'), ctx)).toBe(true);
    expect(matchIs('double', [0.1], s('0.1000000001'), ctx)).toBe(false);
  });
  it('ranges compare numerically at the type precision', () => {
    expect(matchRange('integer', [400], 'gt', '399.5', ctx)).toBe(true);
    expect(matchRange('integer', [399], 'gt', '399.5', ctx)).toBe(false);
    expect(matchRange('integer', ['10'], 'gt', '9', ctx)).toBe(true);
    expect(matchRange('float', [0.1], 'gt', '0.1', ctx)).toBe(false);
    expect(matchRange('double', [0.1], 'lt', 'x', ctx)).toBe(false);
  });
  it('rounds to half precision with ties to even', () => {
    expect(roundToHalf(1)).toBe(1);
    expect(roundToHalf(65504)).toBe(65504);
    expect(roundToHalf(65520)).toBe(Infinity);
    expect(roundToHalf(1 + 2 ** -11)).toBe(1); // tie -> even
    expect(roundToHalf(1 + 3 * 2 ** -11)).toBe(1 + 2 ** -9);
    expect(roundToHalf(2 ** -25)).toBe(0);
    expect(roundToHalf(3 * 2 ** -25)).toBe(2 ** -23);
  });
});

describe('boolean', () => {
  it('accepts true/false and their strings, "" is false', () => {
    expect(booleanDocValue('true')).toBe(true);
    expect(booleanDocValue('')).toBe(false);
    expect(booleanDocValue('TRUE')).toBeUndefined();
    expect(booleanDocValue(1)).toBeUndefined();
    expect(booleanQueryValue(s('false'))).toBe(false);
    expect(booleanQueryValue(s('yes'))).toBeUndefined();
    expect(matchIs('boolean', [true], { type: 'boolean', value: true }, ctx)).toBe(true);
    expect(matchIs('boolean', ['true'], s('true', true), ctx)).toBe(true);
    expect(matchIs('boolean', [false], { type: 'boolean', value: true }, ctx)).toBe(false);
    expect(matchRange('boolean', [true], 'gt', 'false', ctx)).toBe(true);
  });
});

describe('date', () => {
  it('converts civil dates both ways', () => {
    for (const d of [-800000, -1, 0, 1, 11016, 19723, 2932896]) {
      const c = civilFromDays(d);
      expect(daysFromCivil(c.year, c.month, c.day)).toBe(d);
    }
    expect(daysFromCivil(2000, 3, 1) * 86400000).toBe(Date.UTC(2000, 2, 1));
  });
  it('parses strict_date_optional_time||epoch_millis', () => {
    expect(parseDate('2025-03-04T06:22:18.819232Z')).toBe(ms('2025-03-04T06:22:18.819Z'));
    expect(parseDate('2024')).toBe(ms('2024-01-01T00:00:00Z'));
    expect(parseDate('2024-02')).toBe(ms('2024-02-01T00:00:00Z'));
    expect(parseDate('2024-02-29T10')).toBe(ms('2024-02-29T10:00:00Z'));
    expect(parseDate('2023-02-29')).toBeUndefined();
    expect(parseDate('2024-01-01T10:00:00+02:00')).toBe(ms('2024-01-01T08:00:00Z'));
    expect(parseDate('2024-01-01T10:00:00-0130')).toBe(ms('2024-01-01T11:30:00Z'));
    expect(parseDate('2024-01-01T10:00:00+02')).toBe(ms('2024-01-01T08:00:00Z'));
    expect(parseDate('2024-01-01T10:00:00,5Z')).toBe(ms('2024-01-01T10:00:00.500Z'));
    expect(parseDate('2024-01-01T24:00:00Z')).toBeUndefined();
    expect(parseDate('2024-01-01 10:00:00')).toBeUndefined();
    expect(parseDate('2024-01-01t10:00:00z')).toBeUndefined();
    expect(parseDate('1700000000000')).toBe(1700000000000);
    expect(parseDate('-1000')).toBe(-1000);
    expect(parseDate('12345')).toBe(12345);
    expect(parseDate('0000-01-01')).toBe(daysFromCivil(0, 1, 1) * 86400000);
  });
  it('rounds up with ES defaults for missing components', () => {
    expect(parseDate('2024-01-01', true)).toBe(ms('2024-01-01T23:59:59.999Z'));
    expect(parseDate('2024', true)).toBe(ms('2024-01-01T23:59:59.999Z'));
    expect(parseDate('2024-01-01T10', true)).toBe(ms('2024-01-01T10:59:59.999Z'));
    expect(parseDate('2024-01-01T10:00:05', true)).toBe(ms('2024-01-01T10:00:05.999Z'));
    expect(parseDate('2024-01-01T10:00:05.5', true)).toBe(ms('2024-01-01T10:00:05.500Z'));
  });
  it('evaluates date math with now = event time', () => {
    const now = ctx.now;
    expect(parseDateMath('now', now, false)).toBe(now);
    expect(parseDateMath('now-5m', now, false)).toBe(now - 300000);
    expect(parseDateMath('now/d', now, false)).toBe(ms('2024-05-15T00:00:00Z'));
    expect(parseDateMath('now/d', now, true)).toBe(ms('2024-05-15T23:59:59.999Z'));
    expect(parseDateMath('now-1d/d', now, false)).toBe(ms('2024-05-14T00:00:00Z'));
    expect(parseDateMath('now/w', now, false)).toBe(ms('2024-05-13T00:00:00Z')); // a Monday
    expect(parseDateMath('now/M', now, true)).toBe(ms('2024-05-31T23:59:59.999Z'));
    expect(parseDateMath('now+h', now, false)).toBe(now + 3600000);
    expect(parseDateMath('2024-01-31||+1M', now, false)).toBe(ms('2024-02-29T00:00:00Z'));
    expect(parseDateMath('2024-02-29||+1y', now, false)).toBe(ms('2025-02-28T00:00:00Z'));
    expect(parseDateMath('2024-01-01||+1d', now, true)).toBe(ms('2024-01-02T00:00:00Z'));
    expect(parseDateMath('2024-01-01||/y', now, true)).toBe(ms('2024-12-31T23:59:59.999Z'));
    expect(parseDateMath('now-5x', now, false)).toBeUndefined();
    expect(parseDateMath('now-', now, false)).toBeUndefined();
    expect(parseDateMath('yesterday', now, false)).toBeUndefined();
  });
  it('date equality covers the literal precision; ranges round per operator', () => {
    const day = [ms('2024-01-01T23:59:59.999Z')];
    expect(matchIs('date', ['2024-01-01T23:59:59.999Z'], s('2024-01-01'), ctx)).toBe(true);
    expect(matchIs('date', ['2024-01-02T00:00:00Z'], s('2024-01-01'), ctx)).toBe(false);
    expect(matchIs('date', ['2024-01-01T10:00:59Z'], s('2024-01-01T10:00'), ctx)).toBe(true);
    expect(matchIs('date', ['2024-01-01T10:01:00Z'], s('2024-01-01T10:00'), ctx)).toBe(false);
    expect(matchRange('date', day.map(String), 'gt', '2024-01-01', ctx)).toBe(false);
    expect(matchRange('date', ['2024-01-02T00:00:00Z'], 'gt', '2024-01-01', ctx)).toBe(true);
    expect(matchRange('date', ['2024-01-01T12:00:00Z'], 'lte', '2024-01-01', ctx)).toBe(true);
    expect(matchRange('date', ['2024-01-01T12:00:00Z'], 'lt', '2024-01-01', ctx)).toBe(false);
    expect(matchRange('date', ['2024-01-01T00:00:00Z'], 'gte', '2024-01-01', ctx)).toBe(true);
    expect(matchRange('date', ['2024-05-15T12:26:00Z'], 'gte', 'now-5m', ctx)).toBe(true);
    expect(matchRange('date', ['2024-05-15T12:25:00Z'], 'gte', 'now-5m', ctx)).toBe(false);
    expect(matchRange('date', [1715776245123], 'gte', 'now', ctx)).toBe(true);
    expect(matchIs('date', ['2024-01-01'], w('2024*'), ctx)).toBe(false);
  });
});

describe('ip', () => {
  const hex = (b: Uint8Array | undefined) => (b ? Buffer.from(b).toString('hex') : undefined);
  it('parses IPv4 (no leading zeros) and IPv6 (with :: and embedded IPv4)', () => {
    expect(hex(parseIp('10.0.0.1'))).toBe('00000000000000000000ffff0a000001');
    expect(hex(parseIp('::ffff:10.0.0.1'))).toBe('00000000000000000000ffff0a000001');
    expect(hex(parseIp('::1'))).toBe('00000000000000000000000000000001');
    expect(hex(parseIp('::'))).toBe('0'.repeat(32));
    expect(hex(parseIp('FE80::A:1'))).toBe('fe8000000000000000000000000a0001');
    expect(hex(parseIp('1:2:3:4:5:6:7:8'))).toBe('00010002000300040005000600070008');
    for (const bad of ['010.0.0.1', '256.0.0.1', '1.2.3', '1.2.3.4.5', ':::', '1::2::3', '1:2:3:4:5:6:7:8:9', '1:2:3:4::5:6:7:8', 'fe80::1%eth0', '[::1]', '12345::', 'g::1', '1.2.3.4::', ' 1.2.3.4', '']) {
      expect(parseIp(bad), bad).toBeUndefined();
    }
  });
  it('parses CIDR blocks', () => {
    expect(parseCidr('10.0.0.0/8')?.prefixBits).toBe(104);
    expect(parseCidr('::/0')?.prefixBits).toBe(0);
    expect(parseCidr('10.0.0.0/33')).toBeUndefined();
    expect(parseCidr('10.0.0.0/')).toBeUndefined();
    expect(parseCidr('2001:db8::/129')).toBeUndefined();
  });
  it('matches exact addresses, CIDR and ranges', () => {
    expect(matchIs('ip', ['10.1.2.3'], s('10.0.0.0/8'), ctx)).toBe(true);
    expect(matchIs('ip', ['11.1.2.3'], s('10.0.0.0/8'), ctx)).toBe(false);
    expect(matchIs('ip', ['10.1.2.3'], s('10.1.2.3/32'), ctx)).toBe(true);
    expect(matchIs('ip', ['10.200.2.3'], s('10.1.2.3/8'), ctx)).toBe(true);
    expect(matchIs('ip', ['10.0.0.1'], s('::ffff:10.0.0.1'), ctx)).toBe(true);
    expect(matchIs('ip', ['::ffff:10.0.0.1'], s('::ffff:0:0/96'), ctx)).toBe(true);
    expect(matchIs('ip', ['2001:db8::1'], s('2001:db8::/32'), ctx)).toBe(true);
    expect(matchIs('ip', ['2001:db9::1'], s('2001:db8::/32'), ctx)).toBe(false);
    expect(matchIs('ip', ['10.0.0.1'], s('10.0.0.01'), ctx)).toBe(false);
    expect(matchIs('ip', ['not-an-ip'], w('*'), ctx)).toBe(false);
    expect(existsIn('ip', ['not-an-ip'], ctx)).toBe(false);
    expect(matchRange('ip', ['10.0.0.5'], 'gte', '10.0.0.5', ctx)).toBe(true);
    expect(matchRange('ip', ['10.0.0.5'], 'lt', '10.0.0.10', ctx)).toBe(true);
    expect(matchRange('ip', ['::1'], 'lt', '0.0.0.0', ctx)).toBe(true);
    expect(matchRange('ip', ['10.0.0.5'], 'lt', '10.0.0.0/8', ctx)).toBe(false);
  });
});
