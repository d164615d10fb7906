import { describe, expect, it } from 'vitest';
import { newTermsBruteForce, newTermsValues, termCombinations, windowStart, type NewTermsEvent } from '../src/reference/new-terms.js';
import { jsonNumber } from '../src/reference/json.js';

const DAY = 86_400_000;
const ev = (time: number, ...values: unknown[][]): NewTermsEvent => ({ time, values: values as NewTermsEvent['values'] });

describe('term combinations', () => {
  it('cartesian product in field order, distinct terms in document order', () => {
    expect(termCombinations([['a', 'b', 'a'], ['x', 'y']])).toEqual([['a', 'x'], ['a', 'y'], ['b', 'x'], ['b', 'y']]);
    expect(termCombinations([['u']])).toEqual([['u']]);
  });
  it('no term when a field is missing or null; long values are not terms', () => {
    expect(termCombinations([['a'], []])).toEqual([]);
    expect(termCombinations([['a'], [null]])).toEqual([]);
    expect(termCombinations([['x'.repeat(1025)]])).toEqual([]);
    expect(termCombinations([['x'.repeat(1025), 'ok']])).toEqual([['ok']]);
    expect(termCombinations([['x'.repeat(1024)]])).toEqual([['x'.repeat(1024)]]);
    expect(termCombinations([])).toEqual([]);
  });
  it('numbers and booleans are keyword terms', () => {
    expect(termCombinations([[403, jsonNumber('1.0'), true]])).toEqual([['403'], ['1.0'], ['true']]);
  });
  it('reads values from a document', () => {
    expect(newTermsValues({ user: { name: 'u' }, 'source.ip': ['1.1.1.1'] }, ['user.name', 'source.ip'])).toEqual([['u'], ['1.1.1.1']]);
  });
});

describe('window start', () => {
  it('is t - window or date math with now = t', () => {
    expect(windowStart(7 * DAY, 10 * DAY)).toBe(3 * DAY);
    expect(windowStart('now-7d', 10 * DAY)).toBe(3 * DAY);
    expect(windowStart('now-10d', 10 * DAY)).toBe(0);
    expect(() => windowStart('7d', 0)).toThrow();
  });
});

describe('brute-force definition', () => {
  it('a term seen within the window is not new; unseen for longer than the window it is new again', () => {
    const events = [ev(0, ['ua1']), ev(1 * DAY, ['ua1']), ev(9 * DAY, ['ua1']), ev(9 * DAY + 1, ['ua2'])];
    expect(newTermsBruteForce(events, 'now-7d')).toEqual([[['ua1']], [], [['ua1']], [['ua2']]]);
  });
  it('the window boundary is inclusive (>= t - window)', () => {
    expect(newTermsBruteForce([ev(0, ['a']), ev(7 * DAY, ['a'])], 7 * DAY)).toEqual([[['a']], []]);
    expect(newTermsBruteForce([ev(0, ['a']), ev(7 * DAY + 1, ['a'])], 7 * DAY)).toEqual([[['a']], [['a']]]);
  });
  it('a term seen every day is never new again; a late event is never new', () => {
    const daily = Array.from({ length: 30 }, (_, d) => ev(d * DAY, ['x']));
    expect(newTermsBruteForce(daily, 7 * DAY).filter((a) => a.length > 0).length).toBe(1);
    expect(newTermsBruteForce([ev(10 * DAY, ['x']), ev(5 * DAY, ['x'])], 7 * DAY)).toEqual([[['x']], []]);
  });
  it('one event can alert for several combinations; only new ones are listed', () => {
    const events = [ev(0, ['u1'], ['ip1']), ev(1, ['u1', 'u2'], ['ip1', 'ip2'])];
    expect(newTermsBruteForce(events, 7 * DAY)).toEqual([[['u1', 'ip1']], [['u1', 'ip2'], ['u2', 'ip1'], ['u2', 'ip2']]]);
  });
  it('events without terms neither alert nor count as history', () => {
    expect(newTermsBruteForce([ev(0, [null]), ev(1, ['a'])], 7 * DAY)).toEqual([[], [['a']]]);
  });
});
