import { describe, expect, it } from 'vitest';
import type { FieldRef, Node, Value } from '../src/kql/ast.js';
import { evaluate } from '../src/reference/evaluate.js';
import { fieldTableFromData, loadFieldTable } from '../src/fields/table.js';

// Hand-built ASTs: the evaluator is tested independently of the parser.
const pos = { offset: 0, line: 1, column: 1 };
const field = (name: string): FieldRef => ({ name, pattern: name.includes('*') ? name.split('*') : null, pos });
const str = (value: string, quoted = false): Value => ({ type: 'string', value, quoted });
const wild = (pattern: string): Value => ({ type: 'wildcard', parts: pattern.split('*') });
const exists: Value = { type: 'exists' };
const is = (f: string | null, value: Value): Node => ({ kind: 'is', field: f === null ? null : field(f), value, pos });
const range = (f: string, op: 'lt' | 'lte' | 'gt' | 'gte', value: string): Node => ({ kind: 'range', field: field(f), op, value, quoted: false, pos });
const and = (...children: Node[]): Node => ({ kind: 'and', children });
const or = (...children: Node[]): Node => ({ kind: 'or', children });
const not = (child: Node): Node => ({ kind: 'not', child });
const nested = (path: string, query: Node): Node => ({ kind: 'nested', path: field(path), query, pos });

const fields = loadFieldTable();
const now = Date.UTC(2024, 0, 1, 12);
const ev = (q: Node, doc: Record<string, unknown>) => evaluate(q, doc, { fields, now });

describe('boolean structure', () => {
  it('all, and, or, not (document-level)', () => {
    expect(ev({ kind: 'all' }, {})).toBe(true);
    expect(ev(and(), {})).toBe(true);
    expect(ev(or(), {})).toBe(false);
    expect(ev(not(is('f', str('x'))), {})).toBe(true);
    expect(ev(not(is('f', str('x'))), { f: null })).toBe(true);
    expect(ev(not(is('f', str('x'))), { f: ['y', 'x'] })).toBe(false);
    expect(ev(and(is('a', str('1')), or(is('b', str('2')), is('c', str('3')))), { a: '1', c: '3' })).toBe(true);
  });
});

describe('exists', () => {
  it('is false for missing, null, [], [null], {} and true for ""', () => {
    for (const doc of [{}, { f: null }, { f: [] }, { f: [null] }, { f: {} }]) expect(ev(is('f', exists), doc)).toBe(false);
    expect(ev(is('f', exists), { f: '' })).toBe(true);
    expect(ev(is('f', exists), { 'f.g': 1 })).toBe(true); // object with a sub-field
    expect(ev(is('f', exists), { f: { g: [null] } })).toBe(false);
  });
  it('uses the type of the field (and of sub-fields for objects)', () => {
    expect(ev(is('source.ip', exists), { source: { ip: 'nope' } })).toBe(false);
    expect(ev(is('source', exists), { source: { ip: 'nope' } })).toBe(false);
    expect(ev(is('source', exists), { source: { ip: '10.0.0.1' } })).toBe(true);
    expect(ev(is('user.name', exists), { user: { name: 'x'.repeat(1025) } })).toBe(false);
  });
});

describe('field-less values', () => {
  it('search every field under its own type, leniently', () => {
    const doc = { a: 'foo', n: { code: 403 }, kubernetes: { audit: { responseStatus: { code: 200 } } }, ip: { x: '10.0.0.1' } };
    expect(ev(is(null, str('foo')), doc)).toBe(true);
    expect(ev(is(null, str('fo')), doc)).toBe(false);
    expect(ev(is(null, wild('f*')), doc)).toBe(true);
    expect(ev(is(null, str('200')), doc)).toBe(true);
    expect(ev(is(null, str('200.0')), doc)).toBe(true); // integer field: "200.0" has no fractional part
    expect(ev(is(null, str('200.5')), doc)).toBe(false);
    expect(ev(is(null, exists), {})).toBe(true);
    expect(ev(is(null, { type: 'null' }), doc)).toBe(false);
  });
});

describe('wildcard field names', () => {
  it('OR over matching leaf paths, each with its own type', () => {
    const doc = { kubernetes: { audit: { annotations: { 'authorization_k8s_io/decision': 'forbid', other: 'x' } } } };
    expect(ev(is('kubernetes.audit.annotations.*', str('forbid')), doc)).toBe(true);
    expect(ev(is('kubernetes.audit.annotations.*', str('allow')), doc)).toBe(false);
    expect(ev(is('*.decision', exists), doc)).toBe(false);
    expect(ev(is('*decision', exists), doc)).toBe(true);
    expect(ev(is('nothing.*', exists), doc)).toBe(false);
    expect(ev(not(is('nothing.*', str('x'))), doc)).toBe(true);
    expect(ev(is('*', exists), {})).toBe(true); // *:* = match_all
    expect(ev(range('*.code', 'gte', '400'), { a: { code: 403 }, b: { code: 'x' } })).toBe(true);
  });
});

describe('nested', () => {
  const doc = { c: [{ name: 'a', privileged: true }, { name: 'b', privileged: false }] };
  it('correlates conditions on one element', () => {
    expect(ev(and(is('c.name', str('b')), is('c.privileged', str('true'))), doc)).toBe(true); // flattened
    expect(ev(nested('c', and(is('name', str('b')), is('privileged', str('true')))), doc)).toBe(false);
    expect(ev(nested('c', and(is('name', str('a')), is('privileged', str('true')))), doc)).toBe(true);
    expect(ev(nested('c', not(is('name', str('a')))), doc)).toBe(true);
    expect(ev(nested('c', not(is('name', exists))), doc)).toBe(false);
    expect(ev(nested('missing', { kind: 'all' }), doc)).toBe(false);
    expect(ev(nested('c*', { kind: 'all' }), doc)).toBe(false);
  });
  it('types inner fields by their full path', () => {
    const table = fieldTableFromData({ fields: { 'spec.containers.port': 'integer' } });
    const d = { spec: { containers: [{ port: '80' }, { port: 'x' }] } };
    expect(evaluate(nested('spec.containers', range('port', 'gt', '79')), d, { fields: table, now })).toBe(true);
    expect(evaluate(nested('spec', nested('containers', is('port', str('80.0')))), d, { fields: table, now })).toBe(true);
  });
});

describe('ranges and types', () => {
  it('dispatches on the field table', () => {
    const doc = { kubernetes: { audit: { responseStatus: { code: 403 }, stageTimestamp: '2024-01-01T11:59:00Z' } }, user: { name: 'bob' } };
    expect(ev(range('kubernetes.audit.responseStatus.code', 'gte', '400'), doc)).toBe(true);
    expect(ev(range('kubernetes.audit.stageTimestamp', 'gte', 'now-5m'), doc)).toBe(true);
    expect(ev(range('kubernetes.audit.stageTimestamp', 'gte', 'now-30s'), doc)).toBe(false);
    expect(ev(range('user.name', 'gt', 'alice'), doc)).toBe(true);
    expect(ev(is('kubernetes.audit.responseStatus.code', str('403.5')), doc)).toBe(false);
  });
});
