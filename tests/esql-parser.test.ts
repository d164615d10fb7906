// The ES|QL front end: what the parser accepts and how, its errors (with line and column, also as
// rule-file positions), the reasons a rule is skipped, and the module refusing damaged ES|QL tables.
import { describe, it, expect } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseEsql } from '../src/esql/parser.js';
import { EsqlSyntaxError, EsqlUnsupportedError } from '../src/esql/errors.js';
import { esqlSkipReason } from '../src/esql/support.js';
import { parseLuceneRegex } from '../src/esql/lucene-regex.js';
import { loadRules } from '../src/rules/load.js';
import { loadFieldTable } from '../src/fields/table.js';
import { compileProgram } from '../src/compiler/index.js';
import { genericFilterModule } from '../src/build/evaluator.js';
import { FluentBitHost } from '../src/host/fluent-bit-host.js';
import { queryRule } from './helpers/wasm-case.js';
import { esqlFieldsOf } from '../src/esql/fields.js';
import { unknownFieldWarnings } from '../src/compiler/field-warnings.js';

const fields = loadFieldTable();
const skip = (q: string) => esqlSkipReason(q, (f) => fields.typeOf(f));

function syntaxError(q: string): EsqlSyntaxError {
  try {
    parseEsql(q);
  } catch (e) {
    if (e instanceof EsqlSyntaxError) return e;
    throw e;
  }
  throw new Error(`no syntax error in ${q}`);
}

describe('ES|QL parser', () => {
  it('reads FROM with index patterns and METADATA, keywords in any case', () => {
    const q = parseEsql('from logs-kubernetes.audit_logs-*, other-* METADATA _id, _index\n| Where a == 1 AnD NOT b Is Not Null\n| keep a');
    expect(q.from.indices).toEqual(['logs-kubernetes.audit_logs-*', 'other-*']);
    expect(q.from.metadata).toEqual(['_id', '_index']);
    expect(q.commands.map((c) => c.kind)).toEqual(['where', 'keep']);
  });

  it('reads backtick names, comments, escapes and triple-quoted strings', () => {
    const q = parseEsql('FROM x // c1\n/* c2 */ | WHERE `a.b/c` == "q\\"\\\\" AND d RLIKE """x\\d"y"""');
    const w = q.commands[0] as Extract<(typeof q.commands)[number], { kind: 'where' }>;
    expect(w.condition).toMatchObject({ kind: 'and', left: { kind: 'compare', left: { kind: 'field', name: 'a.b/c' }, right: { value: 'q"\\' } }, right: { kind: 'rlike', pattern: 'x\\d"y' } });
  });

  it('reads operator precedence: NOT binds tighter than AND, AND than OR; NOT IN / NOT LIKE', () => {
    const w = parseEsql('FROM x | WHERE NOT a == 1 OR b NOT IN (1, 2) AND c NOT LIKE "x*"').commands[0] as { condition: unknown };
    expect(w.condition).toMatchObject({ kind: 'or', left: { kind: 'not', child: { kind: 'compare' } }, right: { kind: 'and', left: { kind: 'in', negated: true }, right: { kind: 'like', negated: true } } });
  });

  it('reads EVAL and STATS assignments, time spans, COUNT(*)', () => {
    const q = parseEsql('FROM x | EVAL t = DATE_TRUNC(1 minute, @timestamp), n = NOW() - 9 minutes | STATS c = COUNT(*), d = count_distinct(a) BY a, t');
    const stats = q.commands[1] as Extract<(typeof q.commands)[number], { kind: 'stats' }>;
    expect(stats.aggs.map((a) => a.name)).toEqual(['c', 'd']);
    expect(stats.by.map((b) => b.name)).toEqual(['a', 't']);
    expect(stats.aggs[0].expr).toMatchObject({ kind: 'call', name: 'count', star: true });
    expect((q.commands[0] as { fields: { expr: { args: unknown[] } }[] }).fields[0].expr.args[0]).toMatchObject({ kind: 'span', ms: 60_000 });
  });

  it('reports syntax errors with line and column', () => {
    expect(syntaxError('FROM x\n| WHERE a ==')).toMatchObject({ line: 2, column: 13 });
    expect(syntaxError('FROM x\n| WHERE a == "open')).toMatchObject({ line: 2, column: 14 });
    expect(syntaxError('FROM x | WHERE a == "\\q"').reason).toMatch(/invalid escape/);
    expect(syntaxError('FROM x | FOO a')).toMatchObject({ line: 1, column: 10 });
    expect(syntaxError('WHERE a')).toMatchObject({ line: 1, column: 1 });
    expect(syntaxError('FROM x | WHERE a IN 1').reason).toMatch(/'\(' after IN/);
  });

  it('recognises commands it does not run (unsupported, with the position)', () => {
    expect(() => parseEsql('FROM x\n| SORT a')).toThrow(EsqlUnsupportedError);
    expect(skip('FROM x\n| SORT a')).toMatch(/^the ES\|QL command SORT is not supported by kql-edge \(line 2, column 3 of the query\)$/);
    expect(skip('FROM x | WHERE a::long > 1')).toMatch(/cast operator ::/);
    expect(skip('ROW a = 1')).toMatch(/source command ROW/);
  });

  it('names what the module does not run', () => {
    expect(skip('FROM x | STATS c = COUNT(*) BY user.name')).toBeUndefined();
    expect(skip('FROM x | STATS c = AVG(kubernetes.audit.responseStatus.code) BY user.name')).toMatch(/function AVG in STATS is not supported .*\(line 1, column 20 of the query\)/);
    expect(skip('FROM x | STATS c = COUNT(*) BY user.name | WHERE c > 1 | LIMIT 3')).toMatch(/LIMIT after STATS/);
    expect(skip('FROM x | STATS v = VALUES(user.name) | WHERE v == "a"')).toMatch(/on the VALUES column v after STATS/);
    expect(skip('FROM x | STATS c = COUNT(*) | STATS d = COUNT(*)')).toMatch(/a second STATS/);
    expect(skip('FROM x | EVAL a = LENGTH(user.name)')).toMatch(/function LENGTH in a computed value/);
    expect(skip('FROM x | EVAL a = REPLACE(user.name, "a+", "b")')).toMatch(/REPLACE with the regular expression "a\+"/);
    expect(skip('FROM x | GROK user.name "%{IP:a}"')).toMatch(/GROK pattern %\{IP\} is not supported/);
    expect(skip('FROM x | WHERE user.name RLIKE "a{1,5000}"')).toMatch(/RLIKE pattern/);
    expect(skip('FROM x | LIMIT 5')).toMatch(/LIMIT/);
    expect(skip('FROM x | WHERE user.name == "a" | KEEP user.name')).toBeUndefined();
  });
});

describe('Lucene regular expressions as ES|QL reads them', () => {
  it('parses operators and reads stray characters literally, as Lucene does', () => {
    expect(parseLuceneRegex('a&b')).toMatchObject({ kind: 'inter' });
    expect(parseLuceneRegex('~a')).toMatchObject({ kind: 'complement' });
    expect(parseLuceneRegex('<1-10>')).toMatchObject({ kind: 'interval', min: 1, max: 10, digits: 0 });
    // `>&|0` : after `&` the next concatenation starts with the character `|`.
    expect(parseLuceneRegex('>&|0')).toMatchObject({ kind: 'inter', right: { kind: 'concat', left: { kind: 'set', set: [[0x7c, 0x7c]] } } });
    expect(() => parseLuceneRegex('(a')).toThrow(/expected '\)'/);
  });
});

describe('fields an ES|QL query reads', () => {
  it('leaves out computed columns, metadata and what follows STATS; warns about unknown fields', () => {
    const q = parseEsql('FROM x METADATA _id | EVAL a = URL_DECODE(user.nmae) | GROK a "%{DATA:b}=" | WHERE b == "x" AND _id IS NOT NULL AND KQL("zz:1") | STATS n = COUNT(*) BY source.ip | WHERE n > 1');
    expect(esqlFieldsOf(q).map((f) => f.name)).toEqual(['user.nmae', 'source.ip']);
    const rule = { ...queryRule('FROM x | WHERE user.nmae == "a"', 'w'), type: 'esql', language: 'esql' };
    expect(unknownFieldWarnings([rule], fields).map((w) => w.field)).toEqual(['user.nmae']);
  });
});

describe('ES|QL rules in rule files', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kqe-esql-'));
  it('a syntax error names the rule file, line and column', async () => {
    const file = path.join(dir, 'bad.toml');
    writeFileSync(file, ['[metadata]', 'creation_date = "2026/01/01"', '[rule]', 'rule_id = "r1"', 'name = "bad"', 'description = "d"', 'risk_score = 21', 'severity = "low"', 'type = "esql"', 'language = "esql"', "query = '''", 'FROM logs-*', '| WHERE a == == b', "'''", ''].join('\n'));
    const r = await loadRules([file]);
    expect(r.errors, JSON.stringify(r.errors)).toHaveLength(1);
    expect(r.errors[0]).toMatchObject({ file, line: 13, column: 14 });
    expect(r.errors[0].message).toMatch(/ES\|QL syntax error/);
  });
});

describe('the module refuses damaged ES|QL tables', () => {
  it('rejects out-of-range references with an error code, never a trap', async () => {
    const query = 'FROM logs-*\n| EVAL a = URL_DECODE(user.name)\n| GROK a "%{DATA:x}=%{GREEDYDATA:y}"\n| WHERE x RLIKE "a.*"\n| KEEP *';
    const bytes = compileProgram([{ ...queryRule(query, 'e'), type: 'esql', language: 'esql' }], {}, fields).bytes;
    const host = await FluentBitHost.create(await genericFilterModule());
    host.loadProgram(bytes);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const sections = view.getUint32(12, true);
    let refused = 0;
    for (let s = 0; s < sections; s++) {
      const id = view.getUint32(16 + s * 12, true);
      if (id < 23 || id > 26) continue;
      const off = view.getUint32(16 + s * 12 + 4, true);
      const len = view.getUint32(16 + s * 12 + 8, true);
      for (let k = 0; k + 4 <= len; k += 4) {
        const damaged = bytes.slice();
        new DataView(damaged.buffer).setUint32(off + k, 0x7fffffff, true);
        try {
          host.loadProgram(damaged);
          // Accepted: it must still evaluate records without trapping.
          host.filter(Buffer.from(JSON.stringify({ 'user.name': 'ab=cd', '@timestamp': '2026-03-01T00:00:00Z' })), 0);
        } catch (e) {
          expect(String(e)).toMatch(/refused the program \(error \d+\)/);
          refused++;
        }
      }
    }
    expect(refused).toBeGreaterThan(10);
  });
});
