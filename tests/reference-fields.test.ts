import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { editDistance, fieldTableFromData, fieldTableFromJson, loadFieldTable, TEXT_FIELD_TABLE_FILE } from '../src/fields/table.js';
import { globParts, matchGlob } from '../src/fields/glob.js';

describe('glob', () => {
  it('is anchored and * spans dots and slashes', () => {
    expect(matchGlob(globParts('orchestrator.*'), 'orchestrator.resource.name')).toBe(true);
    expect(matchGlob(globParts('orchestrator.*'), 'xorchestrator.type')).toBe(false);
    expect(matchGlob(globParts('*.stageTimestamp'), 'kubernetes.audit.stageTimestamp')).toBe(true);
    expect(matchGlob(globParts('*.stageTimestamp'), 'kubernetes.audit.stageTimestampX')).toBe(false);
    expect(matchGlob(['a', 'b', 'a'], 'aba')).toBe(true);
    expect(matchGlob(['ab', 'ba'], 'aba')).toBe(false); // parts may not overlap
    expect(matchGlob(['', ''], '')).toBe(true);
    expect(matchGlob(['x'], 'x')).toBe(true);
    expect(matchGlob(['x'], 'xx')).toBe(false);
  });
});

describe('default field table', () => {
  const table = loadFieldTable();
  it('types the fields of kql.md', () => {
    expect(table.typeOf('event.dataset')).toBe('keyword');
    expect(table.typeOf('data_stream.dataset')).toBe('constant_keyword');
    expect(table.typeOf('kubernetes.audit.responseStatus.code')).toBe('integer');
    expect(table.typeOf('kubernetes.audit.sourceIPs')).toBe('ip');
    expect(table.typeOf('source.ip')).toBe('ip');
    expect(table.typeOf('kubernetes.audit.requestObject.spec.hostNetwork')).toBe('boolean');
    expect(table.typeOf('kubernetes.audit.requestObject.spec.containers.securityContext.privileged')).toBe('boolean');
    expect(table.typeOf('@timestamp')).toBe('date');
    expect(table.typeOf('kubernetes.audit.requestReceivedTimestamp')).toBe('date');
    expect(table.typeOf('x.y.stageTimestamp')).toBe('date');
    expect(table.typeOf('orchestrator.resource.name')).toBe('keyword');
    expect(table.typeOf('kubernetes.audit.user.groups')).toBe('keyword');
    expect(table.ignoreAbove).toBe(1024);
  });
  it('treats unknown fields as keyword', () => {
    expect(table.typeOf('no.such.field')).toBe('keyword');
    expect(table.covers('no.such.field')).toBe(false);
    expect(table.covers('orchestrator.anything')).toBe(true);
  });
  it('lists exact names and suggests the closest one', () => {
    expect(table.knownFields()).toContain('user_agent.original');
    expect(table.knownFields()).not.toContain('orchestrator.*');
    expect(table.closestKnown('kubernetes.audit.useragent')).toBe('kubernetes.audit.userAgent');
    expect(table.closestKnown('user_agent.orginal')).toBe('user_agent.original');
    expect(table.closestKnown('event.dataset')).toBe('event.dataset');
    expect(table.closestKnown('completely.different')).toBeUndefined();
  });
  it('serializes to a self-contained table that loads back the same', () => {
    const again = fieldTableFromJson(table.serialize());
    for (const f of ['event.dataset', 'orchestrator.x', 'a.stageTimestamp', 'source.ip', 'zzz']) expect(again.typeOf(f)).toBe(table.typeOf(f));
    expect(again.globPatterns()).toEqual(table.globPatterns());
    expect(again.ignoreAbove).toBe(1024);
  });
});

describe('text alternative table', () => {
  const table = loadFieldTable(TEXT_FIELD_TABLE_FILE);
  it('overrides three fields and keeps the rest', () => {
    expect(table.typeOf('kubernetes.audit.user.groups')).toBe('text');
    expect(table.typeOf('kubernetes.audit.sourceIPs')).toBe('text');
    expect(table.typeOf('kubernetes.audit.requestObject.spec.containers.image')).toBe('text');
    expect(table.typeOf('source.ip')).toBe('ip');
    expect(table.typeOf('orchestrator.type')).toBe('keyword');
    expect(table.ignoreAbove).toBe(1024);
  });
});

describe('table files', () => {
  it('exact names win over globs; globs are tried in file order; extending globs come first', () => {
    const base = fieldTableFromData({ fields: { 'a.*': 'long', 'a.b': 'ip', '*.c': 'date' } });
    expect(base.typeOf('a.b')).toBe('ip');
    expect(base.typeOf('a.c')).toBe('long');
    const child = fieldTableFromData({ extends: 'base', ignore_above: 10, fields: { '*.c': 'boolean', 'a.b': 'text' } }, () => base);
    expect(child.typeOf('a.b')).toBe('text');
    expect(child.typeOf('x.c')).toBe('boolean');
    expect(child.typeOf('a.c')).toBe('boolean');
    expect(child.typeOf('a.d')).toBe('long');
    expect(child.ignoreAbove).toBe(10);
  });
  it('rejects bad types and cycles', () => {
    expect(() => fieldTableFromData({ fields: { a: 'string' } })).toThrow(/unknown type/);
    expect(() => fieldTableFromData({ nope: 1 })).toThrow(/fields/);
    const dir = mkdtempSync(path.join(tmpdir(), 'kql-fields-'));
    writeFileSync(path.join(dir, 'a.json'), JSON.stringify({ extends: 'b.json', fields: {} }));
    writeFileSync(path.join(dir, 'b.json'), JSON.stringify({ extends: 'a.json', fields: {} }));
    expect(() => loadFieldTable(path.join(dir, 'a.json'))).toThrow(/cycle/);
  });
  it('edit distance', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('abc', 'abc')).toBe(0);
  });
});
