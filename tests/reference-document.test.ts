import { describe, expect, it } from 'vitest';
import { leafPaths, nodesAt, objectsAt, valuesAt } from '../src/reference/document.js';
import { JsonNumber, jsonNumber, parseJson, stringifyJson } from '../src/reference/json.js';

describe('parseJson', () => {
  it('keeps number text and otherwise equals JSON.parse', () => {
    const doc = parseJson('{"a": 1.0, "b": [1e3, -0, 2], "c": "x", "d": null, "e": true}') as Record<string, unknown>;
    expect((doc.a as JsonNumber).text).toBe('1.0');
    expect(((doc.b as unknown[])[0] as JsonNumber).text).toBe('1e3');
    expect(JSON.stringify(doc)).toBe(JSON.stringify(JSON.parse('{"a": 1.0, "b": [1e3, -0, 2], "c": "x", "d": null, "e": true}')));
  });
  it('last duplicate key wins and __proto__ is an own key', () => {
    const doc = parseJson('{"a":1,"a":2,"__proto__":{"x":1}}') as Record<string, unknown>;
    expect((doc.a as JsonNumber).text).toBe('2');
    expect(Object.keys(doc)).toEqual(['a', '__proto__']);
    expect(Object.getPrototypeOf(doc)).toBe(Object.prototype);
  });
  it('rejects what JSON.parse rejects', () => {
    for (const bad of ['{', '[1,]', '01', '{"a":1}x', "'a'", 'NaN']) expect(() => parseJson(bad)).toThrow();
  });
  it('stringifyJson writes number text verbatim', () => {
    expect(stringifyJson({ a: jsonNumber('1.0'), b: [jsonNumber('1e3'), 'x', null] })).toBe('{"a":1.0,"b":[1e3,"x",null]}');
    expect(stringifyJson(parseJson('{"k":[1.50,{"z":-2E+2}]}'))).toBe('{"k":[1.50,{"z":-2E+2}]}');
  });
});

describe('valuesAt', () => {
  it('treats dotted keys as nesting, at any level and mixed', () => {
    expect(valuesAt({ 'a.b': 1 }, 'a.b')).toEqual([1]);
    expect(valuesAt({ a: { b: 1 } }, 'a.b')).toEqual([1]);
    expect(valuesAt({ a: { 'b.c': 1 } }, 'a.b.c')).toEqual([1]);
    expect(valuesAt({ 'a.b': { c: 1 } }, 'a.b.c')).toEqual([1]);
    expect(valuesAt({ 'a.b': 1, a: { b: 2 } }, 'a.b')).toEqual([1, 2]);
    expect(valuesAt({ ab: 1 }, 'a.b')).toEqual([]);
    expect(valuesAt({ 'a.': { b: 1 } }, 'a.b')).toEqual([]);
  });
  it('flattens arrays at any depth, including arrays of objects', () => {
    expect(valuesAt({ a: [1, [2, [3]]] }, 'a')).toEqual([1, 2, 3]);
    expect(valuesAt({ a: [{ b: 1 }, { b: [2, 3] }, { c: 4 }] }, 'a.b')).toEqual([1, 2, 3]);
    expect(valuesAt({ a: [[{ 'b.c': 'x' }]] }, 'a.b.c')).toEqual(['x']);
  });
  it('returns scalars only (null kept), objects through nodesAt/objectsAt', () => {
    expect(valuesAt({ a: [null, 'x', {}] }, 'a')).toEqual([null, 'x']);
    expect(nodesAt({ a: [{ b: 1 }, 2] }, 'a')).toEqual([{ b: 1 }, 2]);
    expect(objectsAt({ a: [{ b: 1 }, 2, [{ c: 3 }]] }, 'a')).toEqual([{ b: 1 }, { c: 3 }]);
    expect(valuesAt('not an object', 'a')).toEqual([]);
  });
  it('handles field names with / @ - and empty segments', () => {
    expect(valuesAt({ annotations: { 'authorization_k8s_io/decision': 'forbid' } }, 'annotations.authorization_k8s_io/decision')).toEqual(['forbid']);
    expect(valuesAt({ user: { extra: { 'authentication.kubernetes.io/pod-name': ['p'] } } }, 'user.extra.authentication.kubernetes.io/pod-name')).toEqual(['p']);
    expect(valuesAt({ '@timestamp': 't' }, '@timestamp')).toEqual(['t']);
    expect(valuesAt({ a: { '': 1 } }, 'a.')).toEqual([1]);
  });
});

describe('leafPaths', () => {
  it('lists distinct joined paths of non-null scalars in first-appearance order', () => {
    expect(leafPaths({ a: { b: 1, c: [null] }, 'a.b': 2, d: [{ e: 'x' }, { f: [] }], g: null, h: '' })).toEqual(['a.b', 'd.e', 'h']);
  });
});
