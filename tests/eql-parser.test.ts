// The EQL front end: what parses to what, which constructs are reported as unsupported (the rule is
// skipped with that reason), and syntax errors with their line and column, in the query and in the
// rule file.
import { describe, it, expect } from 'vitest';
import { mkdtempSync, writeFileSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseEql } from '../src/eql/parser.js';
import { EqlSyntaxError, EqlUnsupportedError } from '../src/eql/errors.js';
import type { Expr } from '../src/eql/ast.js';
import { loadRules } from '../src/rules/load.js';
import { hasShared, PACK } from './helpers/evaluator.js';

const cond = (text: string): Expr => {
  const q = parseEql(`any where ${text}`);
  if (q.kind !== 'event') throw new Error('not an event query');
  return q.condition;
};

/** A compact rendering of a condition, for shape assertions. */
function show(e: Expr): string {
  switch (e.kind) {
    case 'literal':
      return e.value === null ? 'null' : typeof e.value === 'string' ? JSON.stringify(e.value) : String(e.value);
    case 'field':
      return e.name;
    case 'not':
      return `not(${show(e.child)})`;
    case 'and':
    case 'or':
      return `${e.kind}(${e.children.map(show).join(', ')})`;
    case 'compare':
      return `(${show(e.left)} ${e.op} ${show(e.right)})`;
    case 'match':
      return `(${show(e.left)} ${e.op} [${e.patterns.map(show).join(', ')}])`;
    case 'in':
      return `(${show(e.left)} ${e.negated ? 'not ' : ''}in${e.insensitive ? '~' : ''} [${e.values.map(show).join(', ')}])`;
    case 'call':
      return `${e.name}${e.insensitive ? '~' : ''}(${e.args.map(show).join(', ')})`;
    case 'arith':
      return `(${show(e.left)} ${e.op} ${show(e.right)})`;
    case 'neg':
      return `-(${show(e.child)})`;
  }
}

function syntaxError(text: string): EqlSyntaxError {
  try {
    parseEql(text);
  } catch (e) {
    if (e instanceof EqlSyntaxError) return e;
    throw e;
  }
  throw new Error(`parsed: ${text}`);
}

function unsupported(text: string): EqlUnsupportedError {
  try {
    parseEql(text);
  } catch (e) {
    if (e instanceof EqlUnsupportedError) return e;
    throw e;
  }
  throw new Error(`parsed: ${text}`);
}

describe('EQL conditions', () => {
  it.each([
    ['a == "x" and b == "y" or c == "z"', 'or(and((a == "x"), (b == "y")), (c == "z"))'],
    ['a == "x" or b == "y" and c == "z"', 'or((a == "x"), and((b == "y"), (c == "z")))'],
    ['not a == "x" and b == "y"', 'and(not((a == "x")), (b == "y"))'],
    ['not (a == "x" and b == "y")', 'not(and((a == "x"), (b == "y")))'],
    ['not not a', 'not(not(a))'],
    ['a != null', '(a != null)'],
    ['a in ("x", "y")', '(a in ["x", "y"])'],
    ['a not in ("x")', '(a not in ["x"])'],
    ['a in~ ("X")', '(a in~ ["X"])'],
    ['a : "x*"', '(a : ["x*"])'],
    ['a like ("x*", "y?")', '(a like ["x*", "y?"])'],
    ['a like~ "X"', '(a like~ ["X"])'],
    ['a regex "[a-z]+"', '(a regex ["[a-z]+"])'],
    ['a regex~ "x"', '(a regex~ ["x"])'],
    ['a.b.c >= 5', '(a.b.c >= 5)'],
    ['`a/b`.c == 1', '(a/b.c == 1)'],
    ['@timestamp != null', '(@timestamp != null)'],
    ['x == -5', '(x == -5)'],
    ['x == 1.5e3', '(x == 1500)'],
    ['x == .5', '(x == 0.5)'],
    ['1 + 2 * 3 == 7', '((1 + (2 * 3)) == 7)'],
    ['(1 + 2) * 3 == 9', '(((1 + 2) * 3) == 9)'],
    ['-x == 1', '(-(x) == 1)'],
    ['startsWith~(a, "X")', 'startsWith~(a, "X")'],
    ['between(a, "(", ")", true) == "x"', '(between(a, "(", ")", true) == "x")'],
    ['concat(a, b, "c") == "abc"', '(concat(a, b, "c") == "abc")'],
    ['true and false', 'and(true, false)'],
  ])('%s', (text, shape) => {
    expect(show(cond(text))).toBe(shape);
  });

  it('strings: escapes, unicode escapes, triple quotes, comments', () => {
    expect(show(cond('x == "a\\tb\\nc\\"d\\\\e\\\'f"'))).toBe(`(x == ${JSON.stringify('a\tb\nc"d\\e\'f')})`);
    expect(show(cond('x == "\\u{e9}\\u{1F600}"'))).toBe('(x == "é😀")');
    expect(show(cond('x == """a\\n"b" """'))).toBe(`(x == ${JSON.stringify('a\\n"b" ')})`);
    expect(show(cond('x == """ends with quotes"""""'))).toBe(`(x == ${JSON.stringify('ends with quotes""')})`);
    expect(show(cond('x == "a" // comment "b"\n and /* more\n lines */ y == "c"'))).toBe('and((x == "a"), (y == "c"))');
    expect(show(cond('`we``ird` == "a"'))).toBe('(we`ird == "a")');
  });

  it('event categories: any, a name, a quoted name', () => {
    expect(parseEql('any where true')).toMatchObject({ kind: 'event', category: null });
    expect(parseEql('process where true')).toMatchObject({ kind: 'event', category: 'process' });
    expect(parseEql('"network" where true')).toMatchObject({ kind: 'event', category: 'network' });
  });
});

describe('EQL sequences', () => {
  it('by, with maxspan in either order, stage keys, until', () => {
    const q = parseEql('sequence by user.name, host.id with maxspan=5m [any where a == 1] by y [process where b == 2] by x');
    expect(q).toMatchObject({ kind: 'sequence', maxspanMs: 300_000, maxspanText: '5m' });
    if (q.kind !== 'sequence') throw new Error();
    expect(q.by.map(show)).toEqual(['user.name', 'host.id']);
    expect(q.stages).toHaveLength(2);
    expect(q.stages[1]!.query.category).toBe('process');
    expect(q.stages.map((s) => s.by.map(show))).toEqual([['y'], ['x']]);
    expect(() => parseEql('sequence with maxspan=30s by u [any where true] [any where true]')).not.toThrow();
    expect(parseEql('sequence with maxspan=250ms [any where true] [any where true]')).toMatchObject({ maxspanMs: 250 });
    expect(parseEql('sequence with maxspan=2h [any where true] [any where true]')).toMatchObject({ maxspanMs: 7_200_000 });
    expect(parseEql('sequence with maxspan=1d [any where true] [any where true]')).toMatchObject({ maxspanMs: 86_400_000 });
    const u = parseEql('sequence [any where a] [any where b] until [any where c]');
    expect(u).toMatchObject({ kind: 'sequence', until: { query: { category: null } } });
  });

  it('syntax errors: one stage, a unit missing, a bad unit, different key counts', () => {
    expect(syntaxError('sequence [any where true]').reason).toMatch(/second sequence stage/);
    expect(syntaxError('sequence with maxspan=5 [any where true] [any where true]').reason).toMatch(/time unit/);
    expect(syntaxError('sequence with maxspan=5w [any where true] [any where true]').reason).toMatch(/time unit/);
    expect(syntaxError('sequence [any where true] by a [any where true]').reason).toMatch(/same number of join keys/);
  });
});

describe('unsupported EQL (the rule is skipped with this reason)', () => {
  it.each([
    ['any where true | head 5', /pipes/],
    ['sequence [any where a] [any where b] | tail 1', /pipes/],
    ['sample by host.id [any where a] [any where b]', /sample/],
    ['join [any where a] [any where b]', /join/],
    ['sequence [any where a] with runs=3 [any where b]', /runs/],
    ['sequence [any where a] ![any where b] [any where c]', /missing events/],
    ['any where x[0] == "a"', /array indexes/],
  ])('%s', (text, reason) => {
    expect(unsupported(text).reason).toMatch(reason);
  });
});

describe('EQL syntax errors name the line and column', () => {
  it.each([
    ['any where x = "a"', 1, 13, /"=="/],
    ["any where x == 'a'", 1, 16, /double quotes/],
    ['any where x == "a\\qb"', 1, 18, /unknown escape/],
    ['any where x == "abc', 1, 16, /unterminated string/],
    ['any where\n  x == "a" AND y == "b"', 2, 12, /and, or or end of query/],
    ['any where x == "a" and', 1, 23, /a field name, a value/],
    ['any x == "a"', 1, 5, /"where"/],
    ['where x == "a"', 1, 1, /event category/],
    ['any where nosuch(x) == 1', 1, 11, /known function/],
    ['any where length(x, y) == 1', 1, 22, /1 arguments to length/],
    ['any where length~(x) == 1', 1, 11, /no case-insensitive form/],
    ['any where a < b < c', 1, 17, /do not chain/],
    ['any where x == "a" /* open', 1, 20, /unterminated comment/],
    ['any where x like y', 1, 18, /a string/],
    ['any where x in "a"', 1, 16, /"\("/],
    ['any where `x == 1', 1, 11, /unterminated quoted name/],
    ['any where x == "\\u{110000}"', 1, 17, /code point/],
  ])('%s', (text, line, column, reason) => {
    const e = syntaxError(text);
    expect([e.line, e.column]).toEqual([line, column]);
    expect(e.reason).toMatch(reason);
  });

  it('a nesting deeper than the limit is an error, not a stack overflow', () => {
    expect(syntaxError(`any where ${'('.repeat(300)}a${')'.repeat(300)}`).reason).toMatch(/levels of nesting/);
    expect(syntaxError(`any where ${'not '.repeat(300)}a`).reason).toMatch(/levels of nesting/);
  });

  it('in a rule file: file, line and column of the query text', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kqe-eql-'));
    const file = path.join(dir, 'bad.toml');
    writeFileSync(file, `[metadata]\nupdated_date = "2026/02/01"\n\n[rule]\nname = "bad"\nrule_id = "bad-eql"\ntype = "eql"\nlanguage = "eql"\nseverity = "low"\nrisk_score = 21\nquery = '''\nany where user.name == "x" and\n  kubernetes.audit.verb = "get"\n'''\n`);
    const result = await loadRules([file]);
    expect(result.rules).toEqual([]);
    expect(result.errors).toEqual([{ file, line: 13, column: 25, ruleId: 'bad-eql', message: 'rule bad-eql: EQL syntax error: expected "==" (a single = is not a comparison) but found "="' }]);
  });

  it('an unsupported construct skips the rule with the reason (and the position for what the module lacks)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kqe-eql-'));
    const rule = (id: string, query: string) => `[metadata]\nupdated_date = "2026/02/01"\n\n[rule]\nname = "${id}"\nrule_id = "${id}"\ntype = "eql"\nlanguage = "eql"\nseverity = "low"\nrisk_score = 21\nquery = '''\n${query}\n'''\n`;
    writeFileSync(path.join(dir, 'a.toml'), rule('pipe', 'any where true | head 1'));
    writeFileSync(path.join(dir, 'b.toml'), rule('regex', 'any where user.name regex "a.*"'));
    writeFileSync(path.join(dir, 'c.toml'), rule('ci', 'any where user.name : "Alice"'));
    writeFileSync(path.join(dir, 'd.toml'), rule('runs', 'sequence by user.name [any where true] with runs=2 [any where true]'));
    const result = await loadRules([dir]);
    expect(result.errors).toEqual([]);
    expect(result.skipped.map((s) => [s.rule.ruleId, s.reason])).toEqual([
      ['pipe', 'EQL pipes (| head, | tail, | filter, ...) are not supported'],
      ['regex', 'EQL regex is not supported by the kql-edge module (line 1, column 21 of the query)'],
      ['ci', 'EQL : (case-insensitive) with a pattern that has letters is not supported by the kql-edge module (line 1, column 23 of the query)'],
      ['runs', 'EQL sequence option runs is not supported'],
    ]);
  });
});

describe.skipIf(!hasShared)('the pack (requires ../shared)', () => {
  it('every EQL rule of the pack parses', () => {
    const files = readdirSync(PACK).filter((f) => f.endsWith('.toml'));
    let n = 0;
    for (const f of files) {
      const text = readFileSync(path.join(PACK, f), 'utf8');
      if (!/^type = "eql"/m.test(text)) continue;
      const query = /^query = '''\n([\s\S]*?)'''/m.exec(text)![1]!;
      expect(() => parseEql(query), f).not.toThrow();
      n++;
    }
    expect(n).toBe(5);
  });
});

describe('unknown-field warnings name EQL fields too', () => {
  it('a field the table does not know, at its line and column in the file', async () => {
    const { unknownFieldWarnings } = await import('../src/compiler/field-warnings.js');
    const { loadFieldTable } = await import('../src/fields/table.js');
    const { queryRule } = await import('./helpers/wasm-case.js');
    const rule = { ...queryRule('sequence by user.name\n  [any where kubernetes.audit.verb == "get"]\n  [any where kubernetes.audit.nosuch.field == "x"]', 'eql-w'), type: 'eql', language: 'eql', source: { file: 'r.toml', queryLine: 10 } };
    const w = unknownFieldWarnings([rule], loadFieldTable());
    expect(w.map((x) => [x.field, x.line, x.column])).toEqual([['kubernetes.audit.nosuch.field', 12, 14]]);
  });
});

describe('KQL a rule the module cannot evaluate is skipped, not failed', () => {
  it('a field-less value inside a nested query: skipped with the reason and its position', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kqe-kql-'));
    writeFileSync(path.join(dir, 'n.toml'), `[metadata]\nupdated_date = "2026/02/01"\n\n[rule]\nname = "nested"\nrule_id = "nested-fieldless"\ntype = "query"\nlanguage = "kuery"\nseverity = "low"\nrisk_score = 21\nquery = '''\nkubernetes.audit.requestObject.spec.containers:{ nginx* }\n'''\n`);
    const result = await loadRules([dir]);
    expect(result.errors).toEqual([]);
    expect(result.skipped.map((s) => s.reason)).toEqual(['field-less values and wildcard field names inside a nested query are not supported by the kql-edge module (line 1, column 50 of the query)']);
  });
});

describe('any text: a query, a syntax error or an unsupported construct, never a crash', () => {
  it('random texts built from EQL tokens and characters', async () => {
    const fc = (await import('fast-check')).default;
    const TOKENS = ['any', 'where', 'sequence', 'by', 'with', 'maxspan', '=', '5m', '[', ']', '(', ')', 'and', 'or', 'not', 'in', 'in~', 'like', 'like~', ':', '==', '!=', '<', '>=', 'null', 'true', '"a"', '"""b"""', "'c'", '`d.e`', 'x.y', '1', '-2.5e3', ',', '|', 'head', 'until', 'startsWith~', 'length', '+', '*', '/* c */', '// c\n', '\\', '"\\u{41}"', '"\\q"', '@timestamp', '!'];
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constantFrom(...TOKENS), fc.string({ maxLength: 3 })), { maxLength: 30 }), (parts) => {
        const text = parts.join(' ');
        try {
          parseEql(text);
        } catch (e) {
          if (!(e instanceof EqlSyntaxError) && !(e instanceof EqlUnsupportedError)) throw e;
          if (e instanceof EqlSyntaxError) {
            expect(e.line).toBeGreaterThanOrEqual(1);
            expect(e.column).toBeGreaterThanOrEqual(1);
          }
        }
      }),
      { numRuns: 20_000, seed: 20261207 },
    );
  });
});
