// Tests for the KQL parser, its errors, the canonical printer and the AST walkers.
// Expected ASTs are written with small builders and compared without positions; positions and
// error locations have their own tests.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { parse as parseToml } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import type { FieldRef, Node, Value } from '../src/kql/ast.js';
import { formatKqlError, KqlSyntaxError } from '../src/kql/errors.js';
import { MAX_NESTING, parseKql } from '../src/kql/parser.js';
import { printKql } from '../src/kql/print.js';
import { fieldsOf, joinFieldRef, visitKql } from '../src/kql/walk.js';

// ---- builders ------------------------------------------------------------------------------------

type Bare = unknown;
type FieldSpec = string | { name: string; pattern: string[] | null } | null;

const pat = (...parts: string[]) => ({ name: parts.join('*'), pattern: parts });
const toField = (field: FieldSpec) => (typeof field === 'string' ? { name: field, pattern: null } : field);
const u = (value: string): Value => ({ type: 'string', value, quoted: false });
const q = (value: string): Value => ({ type: 'string', value, quoted: true });
const wc = (...parts: string[]): Value => ({ type: 'wildcard', parts });
const EXISTS: Value = { type: 'exists' };
const TRUE: Value = { type: 'boolean', value: true };
const FALSE: Value = { type: 'boolean', value: false };
const NULL: Value = { type: 'null' };
const is = (field: FieldSpec, value: Value | string): Bare => ({
  kind: 'is',
  field: toField(field),
  value: typeof value === 'string' ? u(value) : value,
});
const and = (...children: Bare[]): Bare => ({ kind: 'and', children });
const or = (...children: Bare[]): Bare => ({ kind: 'or', children });
const not = (child: Bare): Bare => ({ kind: 'not', child });
const range = (field: FieldSpec, op: string, value: string, extra: Record<string, unknown> = {}): Bare => ({
  kind: 'range',
  field: toField(field),
  op,
  value,
  quoted: false,
  ...extra,
});
const nested = (pathField: FieldSpec, query: Bare): Bare => ({ kind: 'nested', path: toField(pathField), query });
const ALL: Bare = { kind: 'all' };

/** The AST without `pos` fields (deep). */
function bare(node: unknown): unknown {
  return JSON.parse(JSON.stringify(node, (key, value) => (key === 'pos' ? undefined : value)));
}

const parsed = (text: string) => bare(parseKql(text));

// ---- valid queries ---------------------------------------------------------------------------------

const VALID: Array<[string, string, Bare]> = [
  // structure and precedence
  ['single field:value', 'a:1', is('a', '1')],
  ['and', 'a:1 and b:2', and(is('a', '1'), is('b', '2'))],
  ['or', 'a:1 or b:2', or(is('a', '1'), is('b', '2'))],
  ['and is n-ary', 'a:1 and b:2 and c:3', and(is('a', '1'), is('b', '2'), is('c', '3'))],
  ['or is n-ary', 'a:1 or b:2 or c:3', or(is('a', '1'), is('b', '2'), is('c', '3'))],
  ['and binds tighter than or', 'a:1 or b:2 and c:3', or(is('a', '1'), and(is('b', '2'), is('c', '3')))],
  ['and before or on the left', 'a:1 and b:2 or c:3', or(and(is('a', '1'), is('b', '2')), is('c', '3'))],
  ['parentheses group', '(a:1 or b:2) and c:3', and(or(is('a', '1'), is('b', '2')), is('c', '3'))],
  ['groups are not flattened', '(a:1 and b:2) and c:3', and(and(is('a', '1'), is('b', '2')), is('c', '3'))],
  ['upper-case AND', 'a:1 AND b:2', and(is('a', '1'), is('b', '2'))],
  ['mixed-case Or', 'a:1 Or b:2', or(is('a', '1'), is('b', '2'))],
  ['tab and newline are spaces', 'a:1\tand\nb:2', and(is('a', '1'), is('b', '2'))],
  ['no-break space is a space', 'a:1\u00a0and\u00a0b:2', and(is('a', '1'), is('b', '2'))],
  ['several spaces around a keyword', 'a:1   and   b:2', and(is('a', '1'), is('b', '2'))],
  ['CRLF between clauses', 'a:1 and\r\nb:2', and(is('a', '1'), is('b', '2'))],
  ['double parentheses', '((a:1))', is('a', '1')],
  ['spaces inside parentheses', ' ( a:1 ) ', is('a', '1')],
  ['deep grouping', 'a:1 and (b:2 or (c:3 and not d:4))', and(is('a', '1'), or(is('b', '2'), and(is('c', '3'), not(is('d', '4')))))],
  ['keyword-like field after or', 'a:1 or or b:2', or(is('a', '1'), is('or b', '2'))],
  // not
  ['not', 'not a:1', not(is('a', '1'))],
  ['NOT upper case', 'NOT a:1', not(is('a', '1'))],
  ['nOt mixed case', 'nOt a:1', not(is('a', '1'))],
  ['NOT before a group', 'NOT (a:1)', not(is('a', '1'))],
  ['not with several spaces', 'not  (a:1 or b:2)', not(or(is('a', '1'), is('b', '2')))],
  ['not binds tighter than and', 'not a:1 and b:2', and(not(is('a', '1')), is('b', '2'))],
  ['not on both sides of or', 'not a:1 or not b:2', or(not(is('a', '1')), not(is('b', '2')))],
  ['not inside a group', '(not a:1)', not(is('a', '1'))],
  ['not of not via a group', 'not (not a:1)', not(not(is('a', '1')))],
  ['not of a nested query', 'not p:{a:1}', not(nested('p', is('a', '1')))],
  ['the word not alone is a value', 'not', is(null, 'not')],
  ['trailing not is a value', 'a:1 and not', and(is('a', '1'), is(null, 'not'))],
  ['field named not', 'not:1', is('not', '1')],
  ['field starting with not', 'nothing:1', is('nothing', '1')],
  ['value starting with not', 'notice', is(null, 'notice')],
  // value lists
  ['single-value list', 'f:(a)', is('f', 'a')],
  ['or list', 'f:(a or b)', or(is('f', 'a'), is('f', 'b'))],
  ['and list', 'f:(a and b)', and(is('f', 'a'), is('f', 'b'))],
  ['list distributes its structure', 'f:(a or b and not c)', or(is('f', 'a'), and(is('f', 'b'), not(is('f', 'c'))))],
  ['not in a list', 'f:(not a)', not(is('f', 'a'))],
  ['nested list parentheses', 'f:(a or (b and c))', or(is('f', 'a'), and(is('f', 'b'), is('f', 'c')))],
  ['grouped list on the left', 'f:((a or b) and c)', and(or(is('f', 'a'), is('f', 'b')), is('f', 'c'))],
  ['spaces inside a list', 'f:( a or b )', or(is('f', 'a'), is('f', 'b'))],
  ['spaces around colon and list', 'f : ( a )', is('f', 'a')],
  ['upper-case keywords in a list', 'f:(NOT a AND b)', and(not(is('f', 'a')), is('f', 'b'))],
  ['multi-word list value', 'f:(a b or c)', or(is('f', 'a b'), is('f', 'c'))],
  ['double not in a list via group', 'f:(not (not a))', not(not(is('f', 'a')))],
  ['quoted and wildcard in a list', 'f:("a" or b*)', or(is('f', q('a')), is('f', wc('b', '')))],
  ['exists and not in a list', 'f:(* and not x)', and(is('f', EXISTS), not(is('f', 'x')))],
  ['not * in a list', 'f:("a" or not *)', or(is('f', q('a')), not(is('f', EXISTS)))],
  ['or without list makes a field-less query', 'f:x or y', or(is('f', 'x'), is(null, 'y'))],
  ['and without list', 'f:x and y:z', and(is('f', 'x'), is('y', 'z'))],
  ['multi-line list', 'f:(\n  a or\n  b\n)', or(is('f', 'a'), is('f', 'b'))],
  // field-less values
  ['field-less word', 'foo', is(null, 'foo')],
  ['field-less words keep inner spaces', 'foo bar', is(null, 'foo bar')],
  ['field-less quoted', '"foo bar"', is(null, q('foo bar'))],
  ['field-less wildcard', 'foo*', is(null, wc('foo', ''))],
  ['field-less star', '*', is(null, EXISTS)],
  ['field-less and', 'a and b', and(is(null, 'a'), is(null, 'b'))],
  ['field-less true', 'true', is(null, TRUE)],
  ['unquoted null field means all fields', 'null:x', is(null, 'x')],
  ['quoted null field is a name', '"null":x', is('null', 'x')],
  ['true as a field name', 'true:x', is('true', 'x')],
  // unquoted values: trimming, inner spaces, keyword lookahead
  ['inner spaces kept', 'f:foo bar', is('f', 'foo bar')],
  ['value trimmed', 'f:  foo  ', is('f', 'foo')],
  ['several inner spaces kept', 'f:foo   bar', is('f', 'foo   bar')],
  ['dangling or is part of the value', 'f:b or', is('f', 'b or')],
  ['dangling and is part of the value', 'f:b and', is('f', 'b and')],
  ['dangling or inside a list', 'f:(b or)', is('f', 'b or')],
  ['or needs whitespace on both sides', 'f:orange or apple', or(is('f', 'orange'), is(null, 'apple'))],
  ['orx is not a keyword', 'f:a orx', is('f', 'a orx')],
  ['no-break space before or', 'f:a or\u00a0b', or(is('f', 'a'), is(null, 'b'))],
  ['em space is not a separator', 'f:a\u2003b', is('f', 'a\u2003b')],
  ['trim removes any JS whitespace', 'f:\u2003a\u2003', is('f', 'a')],
  ['not without a following space stays', 'f:cannot', is('f', 'cannot')],
  ['knot', 'f:knot', is('f', 'knot')],
  ['trailing not in a value', 'f:a not', is('f', 'a not')],
  ['numbers are strings', 'f:42', is('f', '42')],
  ['float-like string', 'f:-1.5e3', is('f', '-1.5e3')],
  ['CIDR', 'source.ip:10.0.0.0/8', is('source.ip', '10.0.0.0/8')],
  ['punctuation is literal', "f:a-b/c.d@e$f%g#h,i;j'k=l+m!n&o|p~q^r[s]t?u", is('f', "a-b/c.d@e$f%g#h,i;j'k=l+m!n&o|p~q^r[s]t?u")],
  ['Lucene range is text', 'f:[1 TO 2]', is('f', '[1 TO 2]')],
  ['fuzzy is text', 'f:x~', is('f', 'x~')],
  ['regex is text', 'f:/re/', is('f', '/re/')],
  ['? is not a wildcard', 'f:a?b', is('f', 'a?b')],
  ['$ and / in a value', 'f:kubernetes/$Format', is('f', 'kubernetes/$Format')],
  // true / false / null
  ['true', 'f:true', is('f', TRUE)],
  ['false', 'f:false', is('f', FALSE)],
  ['null', 'f:null', is('f', NULL)],
  ['True is a string', 'f:True', is('f', 'True')],
  ['NULL is a string', 'f:NULL', is('f', 'NULL')],
  ['quoted true is a string', 'f:"true"', is('f', q('true'))],
  ['true after trimming', 'f: true ', is('f', TRUE)],
  ['true* is a wildcard', 'f:true*', is('f', wc('true', ''))],
  ['decoded escapes spelling true', 'f:\\u0074rue', is('f', TRUE)],
  ['truex is a string', 'f:truex', is('f', 'truex')],
  // wildcards
  ['star alone is exists', 'f:*', is('f', EXISTS)],
  ['star with spaces is exists', 'f: * ', is('f', EXISTS)],
  ['two stars are a wildcard', 'f:**', is('f', wc('', '', ''))],
  ['trailing star', 'f:a*', is('f', wc('a', ''))],
  ['leading star', 'f:*a', is('f', wc('', 'a'))],
  ['inner stars', 'f:a*b*c', is('f', wc('a', 'b', 'c'))],
  ['escaped star is literal', 'f:a\\*', is('f', 'a*')],
  ['escaped star alone', 'f:\\*', is('f', '*')],
  ['escaped and real star', 'f:a\\**', is('f', wc('a*', ''))],
  ['quoted star is literal', 'f:"*"', is('f', q('*'))],
  ['quoted star in text', 'f:"a*"', is('f', q('a*'))],
  ['spaces inside a wildcard are kept', 'f:a * b', is('f', wc('a ', ' b'))],
  ['escaped colons before a wildcard', 'f:system\\:serviceaccount\\:*', is('f', wc('system:serviceaccount:', ''))],
  // unquoted escapes
  ['every escaped special character', 'f:\\\\\\(\\)\\:\\<\\>\\"\\*\\{\\}', is('f', '\\():<>"*{}')],
  ['escaped tab', 'f:a\\tb', is('f', 'a\tb')],
  ['escaped carriage return', 'f:a\\rb', is('f', 'a\rb')],
  ['escaped newline', 'f:a\\nb', is('f', 'a\nb')],
  ['unicode escapes', 'f:\\u0041\\u00e9\\u00E9', is('f', 'Aéé')],
  ['surrogate pair escapes', 'f:\\ud83d\\ude00', is('f', '😀')],
  ['escaped or', 'f:\\or', is('f', 'or')],
  ['escaped OR keeps its case', 'f:\\OR', is('f', 'OR')],
  ['escaped and', 'f:\\and', is('f', 'and')],
  ['escaped AnD', 'f:\\AnD', is('f', 'AnD')],
  ['escaped NOT', 'f:\\NOT', is('f', 'NOT')],
  ['escaped Not', 'f:\\Not', is('f', 'Not')],
  // Kibana tries \n before \not: lower-case `\not` is LF + "ot" (trimmed at the start).
  ['\\not reads as newline + ot', 'f:\\not', is('f', 'ot')],
  ['\\not inside a value', 'f:x\\not', is('f', 'x\not')],
  ['escaped keyword keeps the words together', 'f:a \\or b', is('f', 'a or b')],
  ['escaped and between words', 'f:a \\and b', is('f', 'a and b')],
  ['escaped keyword prefix', 'f:\\orange', is('f', 'orange')],
  ['escaped tab alone trims to empty', 'f:\\t', is('f', '')],
  ['escaped whitespace is trimmed', 'f:\\tx\\t', is('f', 'x')],
  ['escaped space via unicode is trimmed', 'f:\\u0020x', is('f', 'x')],
  // quoted strings
  ['quoted with space', 'f:"a b"', is('f', q('a b'))],
  ['escaped quote', 'f:"a\\"b"', is('f', q('a"b'))],
  ['escaped backslash', 'f:"a\\\\b"', is('f', q('a\\b'))],
  ['other backslashes stay', 'f:"a\\:b"', is('f', q('a\\:b'))],
  ['quoted whitespace escapes', 'f:"\\t\\r\\n"', is('f', q('\t\r\n'))],
  ['quoted unicode escape', 'f:"\\u0041"', is('f', q('A'))],
  ['short unicode escape stays literal', 'f:"\\u12"', is('f', q('\\u12'))],
  ['unknown quoted escapes stay literal', 'f:"\\x\\-\\*"', is('f', q('\\x\\-\\*'))],
  ['keywords inside quotes', 'f:"a or b and not c"', is('f', q('a or b and not c'))],
  ['raw newline inside quotes', 'f:"line1\nline2"', is('f', q('line1\nline2'))],
  ['empty quoted string', 'f:""', is('f', q(''))],
  ['quoted field name', '"a b":x', is('a b', 'x')],
  ['quoted star in a field is literal', '"a*":x', is('a*', 'x')],
  ['quoted specials', 'f:"(x)"', is('f', q('(x)'))],
  ['quoted value with outer spaces', 'f: "a" ', is('f', q('a'))],
  ['quoted spaces are kept', 'f:"  a  "', is('f', q('  a  '))],
  // fields
  ['wildcard field', 'kubernetes.audit.annotations.*:x', is(pat('kubernetes.audit.annotations.', ''), 'x')],
  ['star field', '*:x', is(pat('', ''), 'x')],
  ['several stars in a field', 'a*b*c:1', is(pat('a', 'b', 'c'), '1')],
  ['escaped star in a field', 'a\\*b:1', is('a*b', '1')],
  ['escaped colon in a field', 'a\\:b:c', is('a:b', 'c')],
  ['slash in a field', 'kubernetes.audit.annotations.authorization_k8s_io/decision:"forbid"', is('kubernetes.audit.annotations.authorization_k8s_io/decision', q('forbid'))],
  ['space before colon', 'f :x', is('f', 'x')],
  ['spaces around colon', 'f : x', is('f', 'x')],
  ['field with inner space', 'foo bar:x', is('foo bar', 'x')],
  ['@ and - in fields', '@timestamp:x and user-agent.original:y', and(is('@timestamp', 'x'), is('user-agent.original', 'y'))],
  ['outer whitespace of the query', '  f:x  ', is('f', 'x')],
  // ranges
  ['less than', 'f<5', range('f', 'lt', '5')],
  ['less or equal', 'f <= 5', range('f', 'lte', '5')],
  ['greater than', 'f>5', range('f', 'gt', '5')],
  ['greater or equal', 'f >= 5', range('f', 'gte', '5')],
  ['quoted bound', 'f < "5"', range('f', 'lt', '5', { quoted: true })],
  ['null bound', 'f < null', range('f', 'lt', 'null', { isNull: true })],
  ['quoted null bound is text', 'f < "null"', range('f', 'lt', 'null', { quoted: true })],
  ['true bound is text', 'f < true', range('f', 'lt', 'true')],
  ['star in a bound', 'f < a*', range('f', 'lt', 'a*')],
  ['escaped star in a bound', 'f < a\\*', range('f', 'lt', 'a*')],
  ['date math', '@timestamp >= now-5m', range('@timestamp', 'gte', 'now-5m')],
  ['two ranges', 'f >= 1 and f < 10', and(range('f', 'gte', '1'), range('f', 'lt', '10'))],
  ['bound with a space', 'f < 5 6', range('f', 'lt', '5 6')],
  ['= belongs to the field', 'f=<5', range('f=', 'lt', '5')],
  ['range on a wildcard field', 'a*.code >= 400', range(pat('a', '.code'), 'gte', '400')],
  ['range with unquoted null field name', 'null < 5', range('null', 'lt', '5')],
  // nested
  ['nested', 'p:{a:1}', nested('p', is('a', '1'))],
  ['nested with a list', 'p:{ a:1 and b:(x or y) }', nested('p', and(is('a', '1'), or(is('b', 'x'), is('b', 'y'))))],
  ['spaces around nested braces', 'p : { a:1 }', nested('p', is('a', '1'))],
  ['nested in nested', 'p:{q:{a:1}}', nested('p', nested('q', is('a', '1')))],
  ['range in nested', 'p:{a < 3}', nested('p', range('a', 'lt', '3'))],
  ['wildcard nested path', 'p*:{a:1}', nested(pat('p', ''), is('a', '1'))],
  ['field-less value in nested', 'p:{x}', nested('p', is(null, 'x'))],
  ['nested and more', 'p:{a:1} and b:2', and(nested('p', is('a', '1')), is('b', '2'))],
  // empty query
  ['empty query', '', ALL],
  ['only whitespace', '   \n\t ', ALL],
  ['only a no-break space', '\u00a0', ALL],
];

describe('parseKql: valid queries', () => {
  it.each(VALID)('%s: %j', (_name, text, expected) => {
    expect(parsed(text)).toEqual(expected);
  });
});

// ---- syntax errors ---------------------------------------------------------------------------------

const ESCAPE = 'an escape after "\\" (one of \\\\ \\( \\) \\: \\< \\> \\" \\* \\{ \\} \\t \\r \\n \\uXXXX \\or \\and \\not)';

const INVALID: Array<[string, string, number, string[], string]> = [
  // [name, query, column (line 1), some expected labels, found]
  ['not( needs whitespace', 'not(a:1)', 4, ['whitespace after not'], '('],
  ['not not', 'not not a:1', 5, ['"("', 'a field name', 'a value'], 'not'],
  ['not after a colon', 'f: not x', 4, ['"("', 'a value'], 'not'],
  ['not not in a list', 'f:(not not a)', 8, ['"("', 'a value'], 'not'],
  ['not inside a word', 'f:cannot connect', 6, ['"and"', '"or"', 'end of query'], 'not'],
  ['not between words', 'f:a not b', 5, ['end of query'], 'not'],
  ['not followed by nothing', 'not ', 5, ['"("', 'a field name', 'a value'], 'end of input'],
  ['escaped minus', 'f:a\\-b', 5, [ESCAPE], '-b'],
  ['escaped slash', 'f:a\\/b', 5, [ESCAPE], '/b'],
  ['escaped space', 'f:a\\ b', 5, [ESCAPE], ' '],
  ['escaped x at the start', 'f:\\x', 4, [ESCAPE], 'x'],
  ['backslash at the end', 'f:a\\', 5, [ESCAPE], 'end of input'],
  ['short unicode escape', 'f:\\u12', 5, ['four hex digits after "\\u"'], '12'],
  ['upper-case U escape', 'f:\\U0041', 4, [ESCAPE], 'U0041'],
  ['escaped dot in a field', 'a\\.b:1', 3, [ESCAPE], '.b'],
  ['unterminated quote', 'f:"abc', 7, ['a closing quote (")'], 'end of input'],
  ['escaped closing quote', 'f:"a\\"', 7, ['a closing quote (")'], 'end of input'],
  ['two expressions without operator', 'a:1 b:2', 6, ['end of query'], ':'],
  ['unclosed group', '(a:1', 5, ['")"', '"and"', '"or"'], 'end of input'],
  ['unclosed list', 'f:(a or b', 10, ['")"'], 'end of input'],
  ['empty list', 'f:()', 4, ['a value'], ')'],
  ['empty group', '()', 2, ['a field name', 'a value'], ')'],
  ['missing value', 'f:', 3, ['"("', 'a value'], 'end of input'],
  ['missing field', ':x', 1, ['a field name', 'end of query'], ':'],
  ['dangling and with space', 'a:1 and ', 9, ['a field name', 'a value', '"not"'], 'end of input'],
  ['dangling or with space', 'f:b or ', 8, ['a field name', 'a value', '"not"', '"("'], 'end of input'],
  ['dangling or after a group', 'a:(1) or', 9, ['whitespace after "or"'], 'end of input'],
  ['dangling and after a quote', 'a:"1" and', 10, ['whitespace after "and"'], 'end of input'],
  ['empty nested query', 'p:{}', 4, ['a field name', 'a value'], '}'],
  ['unclosed nested query', 'p:{a:1', 7, ['"}"'], 'end of input'],
  ['stray parenthesis', 'f:a)', 4, ['end of query'], ')'],
  ['range after colon', 'f:<5', 3, ['a value'], '<'],
  ['range without bound', 'f<', 3, ['a value'], 'end of input'],
  ['text after a quoted value', '"a" b', 5, ['end of query'], 'b'],
  ['quote right after a value', 'f:a"b"', 4, ['end of query'], '"'],
  ['or) is a value then )', 'f:b or)', 7, ['end of query'], ')'],
  ['or without whitespace before (', 'a or(b)', 5, ['end of query'], '('],
  ['and glued to a quote', 'f:"a"and b', 6, ['"and"', '"or"', 'end of query'], 'and'],
  ['brace value', 'f:{a}x', 6, ['end of query'], 'x'],
];

describe('parseKql: syntax errors', () => {
  it.each(INVALID)('%s: %j', (_name, text, column, expected, found) => {
    let error: unknown;
    try {
      parseKql(text);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(KqlSyntaxError);
    const err = error as KqlSyntaxError;
    expect({ line: err.line, column: err.column, offset: err.offset }).toEqual({ line: 1, column, offset: column - 1 });
    expect(err.expected).toEqual(expect.arrayContaining(expected));
    expect(err.found).toBe(found);
    expect(err.message).toMatch(new RegExp(`^line 1, column ${column}: expected .+ but found `));
  });

  it('reports line and column on multi-line input', () => {
    const text = 'event.dataset:x and\n  user.name:(a or b) and\n  kubernetes.audit.verb: not get';
    const err = catchError(text);
    expect(err.line).toBe(3);
    expect(err.column).toBe(26);
    expect(err.offset).toBe(text.indexOf('not get'));
    expect(err.expected).toEqual(['"("', '"{"', 'a value']);
    expect(err.found).toBe('not');
    expect(err.message).toBe('line 3, column 26: expected "(", "{" or a value but found "not"');
  });

  it('reports an unclosed list at the end of a multi-line query', () => {
    const err = catchError('a:1 and\nb:(x or\n   y');
    expect([err.line, err.column]).toEqual([3, 5]);
    expect(err.expected).toEqual(['"and"', '"or"', '")"']);
    expect(err.message).toBe('line 3, column 5: expected "and", "or" or ")" but found end of input');
  });

  it('reports a bad escape on a later line', () => {
    const err = catchError('a:1 and\n\tb:x\\-y');
    expect([err.line, err.column, err.found]).toEqual([2, 6, '-y']);
  });

  it('formats an error against the file position with a caret excerpt', () => {
    const err = catchError('a:1 and\n  b:(x or\n  y');
    expect(formatKqlError(err, { file: 'rules/r.toml', queryLine: 40 })).toBe(
      'rules/r.toml:42:4: expected "and", "or" or ")" but found end of input\n    y\n     ^',
    );
  });

  it('offsets the column on the first query line by queryColumn', () => {
    const err = catchError('a:(1');
    expect(formatKqlError(err, { file: 'x.toml', queryLine: 3, queryColumn: 10 })).toBe(
      'x.toml:3:14: expected "and", "or" or ")" but found end of input\n  a:(1\n      ^',
    );
  });

  it('carries the query text and the message without position', () => {
    const err = catchError('a:1 )');
    expect(err.source).toBe('a:1 )');
    expect(err.reason).toBe('expected "and", "or" or end of query but found ")"');
    expect(err.message).toBe(`line 1, column 5: ${err.reason}`);
    expect(err.name).toBe('KqlSyntaxError');
  });

  it(`refuses more than ${MAX_NESTING} nested groups with a syntax error`, () => {
    const deep = (open: string, close: string, depth: number) => `${open.repeat(depth)}a:1${close.repeat(depth)}`;
    expect(() => parseKql(deep('(', ')', MAX_NESTING))).not.toThrow();
    const err = catchError(deep('(', ')', MAX_NESTING + 1));
    expect([err.column, err.expected]).toEqual([MAX_NESTING + 1, [`at most ${MAX_NESTING} nested groups`]]);
    expect(catchError(deep('p:{', '}', 5000))).toBeInstanceOf(KqlSyntaxError);
    expect(catchError(`f:${'('.repeat(5000)}a`)).toBeInstanceOf(KqlSyntaxError);
  });

  it('keeps tabs in the caret padding', () => {
    const err = catchError('\ta:(1');
    expect(formatKqlError(err, { file: 'f', queryLine: 1 }).split('\n')[2]).toBe('  \t    ^');
  });

  it('only ever throws KqlSyntaxError, whatever the input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (text) => {
        try {
          parseKql(text);
        } catch (e) {
          expect(e).toBeInstanceOf(KqlSyntaxError);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

function catchError(text: string): KqlSyntaxError {
  try {
    parseKql(text);
  } catch (e) {
    if (e instanceof KqlSyntaxError) return e;
    throw e;
  }
  throw new Error(`expected a syntax error for ${JSON.stringify(text)}`);
}

// ---- positions ---------------------------------------------------------------------------------------

describe('parseKql: positions', () => {
  it('puts positions on fields and values, 1-based lines and columns', () => {
    const ast = parseKql('a:1 and\n  bb:(x or y)') as Extract<Node, { kind: 'and' }>;
    const [first, list] = ast.children as [Extract<Node, { kind: 'is' }>, Extract<Node, { kind: 'or' }>];
    expect(first.field!.pos).toEqual({ offset: 0, line: 1, column: 1 });
    expect(first.pos).toEqual({ offset: 2, line: 1, column: 3 });
    const [x, y] = list.children as Array<Extract<Node, { kind: 'is' }>>;
    expect(x.field!.pos).toEqual({ offset: 10, line: 2, column: 3 });
    expect(y.field!.pos).toEqual({ offset: 10, line: 2, column: 3 });
    expect(x.pos).toEqual({ offset: 14, line: 2, column: 7 });
    expect(y.pos).toEqual({ offset: 19, line: 2, column: 12 });
    expect(x.field).not.toBe(y.field); // distributed fields are separate objects
  });

  it('places range nodes at their bound and nested nodes at their path', () => {
    const ast = parseKql('p:{\n f >= "2"}') as Extract<Node, { kind: 'nested' }>;
    expect(ast.pos).toEqual({ offset: 0, line: 1, column: 1 });
    expect(ast.path.pos).toEqual(ast.pos);
    const inner = ast.query as Extract<Node, { kind: 'range' }>;
    expect(inner.field.pos).toEqual({ offset: 5, line: 2, column: 2 });
    expect(inner.pos).toEqual({ offset: 10, line: 2, column: 7 });
  });

  it('positions field-less values at the value', () => {
    const ast = parseKql('  "x"') as Extract<Node, { kind: 'is' }>;
    expect(ast.field).toBeNull();
    expect(ast.pos).toEqual({ offset: 2, line: 1, column: 3 });
  });
});

// ---- printKql ------------------------------------------------------------------------------------------

describe('printKql', () => {
  it.each(VALID)('round-trips %s: %j', (_name, text) => {
    const ast = parseKql(text);
    const printed = printKql(ast);
    expect(bare(parseKql(printed))).toEqual(bare(ast));
    expect(printKql(parseKql(printed))).toBe(printed);
  });

  it.each([
    ['f:(a or b and not c)', '(f:a or (f:b and (not f:c)))'],
    ['not not_x:1', '(not not_x:1)'],
    ['f:foo bar', 'f:foo bar'],
    ['f:b or', 'f:b \\or'],
    ['f:"a\\:b"', 'f:"a\\\\:b"'],
    ['f:a\\*b*', 'f:a\\*b*'],
    ['f:\\NOT x', 'f:\\NOT x'],
    ['f:x \\u006eot y', 'f:x \\u006eot y'],
    ['f:\\t', 'f:\\t'],
    ['f < null', 'f < null'],
    ['"null":x', '"null":x'],
    ['p:{a:1 and b:2}', 'p:{(a:1 and b:2)}'],
    ['not (not a:1)', '(not (not a:1))'],
    ['f:"tab\there"', 'f:"tab\\there"'],
    ['f:a\\u00a0b', 'f:a\\u00a0b'],
    ['', ''],
  ])('prints %j as %j', (text, expected) => {
    expect(printKql(parseKql(text))).toBe(expected);
  });

  it('refuses ASTs that have no KQL text', () => {
    expect(() => printKql({ kind: 'and', children: [{ kind: 'all' }, { kind: 'all' }] })).toThrow(/whole query/);
    expect(() => printKql({ kind: 'or', children: [] })).toThrow(/empty/);
  });

  // Query text assembled from pieces chosen to hit the tricky spots (keywords, escapes, spaces).
  const PIECES = [
    'f', 'a', 'b', 'x.y', ':', ' ', '  ', '\t', '\n', '\u00a0', '(', ')', '{', '}', '<', '>=', '*', '"', '"q q"', '"\\"\\\\"',
    ' or ', ' and ', 'not ', 'NOT ', 'or', 'and', 'not', 'cannot', '\\*', '\\:', '\\t', '\\n', '\\not', '\\NOT', '\\or', '\\AND',
    '\\u0041', '\\u00a0', '\\u0020', 'true', 'false', 'null', '-', '/', '\u2003', '😀',
  ];
  const queryText = fc.array(fc.constantFrom(...PIECES), { maxLength: 14 }).map((pieces) => pieces.join(''));

  it('round-trips every query assembled from tricky pieces that parses', () => {
    let parsedCount = 0;
    fc.assert(
      fc.property(queryText, (text) => {
        let ast: Node;
        try {
          ast = parseKql(text);
        } catch {
          return;
        }
        parsedCount++;
        const printed = printKql(ast);
        expect(bare(parseKql(printed))).toEqual(bare(ast));
      }),
      { numRuns: 5000 },
    );
    expect(parsedCount).toBeGreaterThan(500);
  });

  it('round-trips generated ASTs', () => {
    fc.assert(
      fc.property(astArbitrary, (ast) => {
        expect(bare(parseKql(printKql(ast)))).toEqual(bare(ast));
      }),
      { numRuns: 1500 },
    );
  });
});

// Generators for ASTs the parser can produce: unquoted text is trimmed and never a reserved word.
const NOWHERE = { offset: 0, line: 1, column: 1 };
const textChar = fc.constantFrom(
  'a', 'b', 'n', 'o', 't', 'r', 'd', 'N', 'O', 'R', ' ', '\t', '\n', '\u00a0', '\\', '*', '(', ')', ':', '"', '<', '>', '{', '}',
  '-', '.', '/', '\u2003', '\u0000', '\ud800', 'é',
);
const anyText = fc.array(textChar, { maxLength: 8 }).map((chars) => chars.join(''));
const trimmedText = anyText.map((text) => text.trim());
const unquotedText = trimmedText.filter((text) => !['null', 'true', 'false'].includes(text));
const wildcardParts = fc
  .array(anyText, { minLength: 2, maxLength: 4 })
  .map((parts) => {
    const out = [...parts];
    out[0] = out[0]!.trimStart();
    out[out.length - 1] = out[out.length - 1]!.trimEnd();
    return out;
  })
  .filter((parts) => !(parts.length === 2 && parts[0] === '' && parts[1] === ''));
const valueArbitrary: fc.Arbitrary<Value> = fc.oneof(
  unquotedText.map((value): Value => ({ type: 'string', value, quoted: false })),
  anyText.map((value): Value => ({ type: 'string', value, quoted: true })),
  wildcardParts.map((parts): Value => ({ type: 'wildcard', parts })),
  fc.constant<Value>({ type: 'exists' }),
  fc.boolean().map((value): Value => ({ type: 'boolean', value })),
  fc.constant<Value>({ type: 'null' }),
);
const fieldArbitrary: fc.Arbitrary<FieldRef> = fc.oneof(
  anyText.map((name): FieldRef => ({ name, pattern: null, pos: NOWHERE })),
  wildcardParts.map((parts): FieldRef => ({ name: parts.join('*'), pattern: parts, pos: NOWHERE })),
);
const leafArbitrary: fc.Arbitrary<Node> = fc.oneof(
  fc.record({ field: fc.option(fieldArbitrary), value: valueArbitrary }).map(({ field, value }): Node => ({ kind: 'is', field, value, pos: NOWHERE })),
  fc
    .record({
      field: fieldArbitrary,
      op: fc.constantFrom('lt' as const, 'lte' as const, 'gt' as const, 'gte' as const),
      bound: fc.oneof(
        anyText.map((value) => ({ value, quoted: true })),
        unquotedText.filter((value) => value !== 'null').map((value) => ({ value, quoted: false })),
        fc.constant({ value: 'null', quoted: false, isNull: true as const }),
      ),
    })
    .map(({ field, op, bound }): Node => ({ kind: 'range', field, op, ...bound, pos: NOWHERE })),
);
const { tree: queryArbitrary } = fc.letrec<{ tree: Node }>((tie) => ({
  tree: fc.oneof(
    { maxDepth: 3, depthIdentifier: 'kql' },
    leafArbitrary,
    fc.array(tie('tree'), { minLength: 2, maxLength: 3 }).map((children): Node => ({ kind: 'and', children })),
    fc.array(tie('tree'), { minLength: 2, maxLength: 3 }).map((children): Node => ({ kind: 'or', children })),
    tie('tree').map((child): Node => ({ kind: 'not', child })),
    fc.record({ path: fieldArbitrary, query: tie('tree') }).map(({ path: p, query }): Node => ({ kind: 'nested', path: p, query, pos: NOWHERE })),
  ),
}));
const astArbitrary = queryArbitrary;

// ---- walk -----------------------------------------------------------------------------------------------

describe('walk', () => {
  it('lists every field with nested paths joined, in document order', () => {
    const ast = parseKql('a:1 and p:{b:(x or y) and q:{c < 3}} and z and d:*');
    expect(fieldsOf(ast).map((f) => f.name)).toEqual(['a', 'p', 'p.b', 'p.b', 'p.q', 'p.q.c', 'd']);
  });

  it('keeps the position of the name as written', () => {
    const [, inner] = fieldsOf(parseKql('p:{\n  b:1}'));
    expect(inner).toEqual({ name: 'p.b', pattern: null, pos: { offset: 6, line: 2, column: 3 } });
  });

  it('joins wildcard paths part-wise', () => {
    const refs = fieldsOf(parseKql('a*:{b:1 and c*d:2}'));
    expect(refs.map((f) => [f.name, f.pattern])).toEqual([
      ['a*', ['a', '']],
      ['a*.b', ['a', '.b']],
      ['a*.c*d', ['a', '.c', 'd']],
    ]);
    const joined = joinFieldRef([{ name: 'p', pattern: null, pos: NOWHERE }], { name: 'x*', pattern: ['x', ''], pos: NOWHERE });
    expect(joined.pattern).toEqual(['p.x', '']);
  });

  it('has no fields for field-less and empty queries', () => {
    expect(fieldsOf(parseKql('foo or "bar"'))).toEqual([]);
    expect(fieldsOf(parseKql(''))).toEqual([]);
  });

  it('visits in pre-order with nesting context and can skip subtrees', () => {
    const seen: string[] = [];
    visitKql(parseKql('a:1 and not p:{b:2} and (c:3 or d:4)'), (node, ctx) => {
      const label = node.kind === 'is' ? `is ${node.field?.name}` : node.kind;
      seen.push(`${ctx.depth}:${label}${ctx.nestedPath.length ? `@${ctx.nestedPath.map((p) => p.name).join('.')}` : ''}`);
      return node.kind === 'or' ? 'skip' : undefined;
    });
    expect(seen).toEqual(['0:and', '1:is a', '1:not', '2:nested', '3:is b@p', '1:or']);
  });
});

// ---- the rule pack ------------------------------------------------------------------------------------

const sharedDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../shared');
const hasShared = existsSync(path.join(sharedDir, 'rules'));

function kueryRules(dir: string): Array<[string, string]> {
  const full = path.join(sharedDir, 'rules', dir);
  if (!existsSync(full)) return [];
  return readdirSync(full)
    .filter((file) => file.endsWith('.toml'))
    .sort()
    .flatMap((file): Array<[string, string]> => {
      const doc = parseToml(readFileSync(path.join(full, file), 'utf8')) as { rule?: { language?: string; query?: string } };
      return doc.rule?.language === 'kuery' && typeof doc.rule.query === 'string' ? [[`${dir}/${file}`, doc.rule.query]] : [];
    });
}

describe.skipIf(!hasShared)('rule pack queries (requires ../shared)', () => {
  const rules = hasShared ? [...kueryRules('elastic-kubernetes'), ...kueryRules('seed')] : [];

  it('finds the kuery rules', () => {
    expect(rules.length).toBeGreaterThanOrEqual(20);
  });

  it.each(rules)('parses and round-trips %s', (_file, query) => {
    const ast = parseKql(query);
    expect(ast.kind).not.toBe('all');
    expect(fieldsOf(ast).length).toBeGreaterThan(0);
    expect(bare(parseKql(printKql(ast)))).toEqual(bare(ast));
  });

  it('reads the seed rule (version 10) as the worked example in kql.md describes', () => {
    const [[, query]] = kueryRules('seed') as [[string, string]];
    const userAgent = 'kubernetes.audit.userAgent';
    expect(parsed(query)).toEqual(
      and(
        is('event.dataset', q('kubernetes.audit_logs')),
        is('kubernetes.audit.user.username', wc('system:serviceaccount:', '')),
        is('kubernetes.audit.annotations.authorization_k8s_io/decision', q('forbid')),
        and(
          is(userAgent, EXISTS),
          not(
            or(
              is(userAgent, wc('', 'kubernetes/$Format')),
              is(userAgent, 'karpenter'),
              is(userAgent, wc('csi-secrets-store', '')),
              is(userAgent, wc('OpenAPI-Generator', '')),
              is(userAgent, wc('Prometheus', '')),
              is(userAgent, wc('dashboard', '')),
              is(userAgent, wc('cilium-agent', '')),
            ),
          ),
        ),
      ),
    );
  });

  it('reads the field with a space before the colon in the secret-read rule', () => {
    const entry = rules.find(([file]) => file.includes('secret_read_by_node_or_pod_service_account'));
    expect(entry).toBeDefined();
    const names = fieldsOf(parseKql(entry![1])).map((f) => f.name);
    expect(names).toContain('kubernetes.audit.user.extra.authentication.kubernetes.io/pod-name');
  });

  it('reads `not *` inside a value list', () => {
    const entry = rules.find(([file]) => file.includes('initial_access_anonymous_request_authorized'));
    expect(entry).toBeDefined();
    const printed = printKql(parseKql(entry![1]));
    expect(printed).toContain(
      '(kubernetes.audit.user.username:"system:anonymous" or kubernetes.audit.user.username:"system:unauthenticated" or (not kubernetes.audit.user.username:*))',
    );
  });
});
