// fast-check arbitraries for ES|QL per-event queries: WHERE conditions over the same field universe
// and value pools as the KQL and EQL generators, so verdicts of every kind (true, false, null) are common.
import fc from 'fast-check';
import { FIELD_UNIVERSE, QUERY_PATTERNS, STRING_POOL, comparisonText } from './arbitraries.js';

/** An ES|QL string literal for any text: "..." with \\ \" \n \r \t escaped. */
export function esqlString(s: string): string {
  let out = '"';
  for (const ch of s) {
    if (ch === '"' || ch === '\\') out += '\\' + ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else out += ch;
  }
  return out + '"';
}

const name = (f: string): string => f.split('.').map((p) => (/^[A-Za-z][A-Za-z0-9_@]*$/.test(p) || /^[_@]+[A-Za-z0-9][A-Za-z0-9_]*$/.test(p) ? p : `\`${p}\``)).join('.');

const FIELDS = [
  ...FIELD_UNIVERSE.keyword,
  ...FIELD_UNIVERSE.constant_keyword,
  ...FIELD_UNIVERSE.integer,
  ...FIELD_UNIVERSE.boolean,
  ...FIELD_UNIVERSE.ip,
  'kubernetes.audit.user.username',
  'kubernetes.audit.objectRef.resource',
];
const STRINGS = STRING_POOL.filter((s) => s.length < 100 && !s.includes('\\'));
const PATTERNS = QUERY_PATTERNS;
const NUMBERS = ['403', '200', '0', '-1', '403.0', '1e3'];
const IPS = ['"127.0.0.1"', '"::1"', '"10.0.0.1"', '"::ffff:127.0.0.1"', '"0:0:0:0:0:0:0:1"', '"192.168.1.10"'];

const literal = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...STRINGS).map(esqlString) },
  { weight: 2, arbitrary: fc.constantFrom(...NUMBERS) },
  { weight: 2, arbitrary: fc.constantFrom(...IPS) },
  { weight: 1, arbitrary: fc.constantFrom('true', 'false') },
);

const leaf: fc.Arbitrary<string> = fc.tuple(fc.constantFrom(...FIELDS), fc.nat(20)).chain(([f, kind]) => {
  const fld = name(f);
  switch (kind % 10) {
    case 0:
    case 1:
      return comparisonText(fld, ['==', '!='], literal);
    case 2:
      return comparisonText(fld, ['<', '<=', '>', '>='], literal);
    case 3:
      return fc.constantFrom(`${fld} IS NULL`, `${fld} is not null`, `${fld} == null`);
    case 4:
      return fc.tuple(fc.constantFrom('IN', 'NOT IN', 'in'), fc.array(fc.oneof(literal, fc.constant('null')), { minLength: 1, maxLength: 4 })).map(([op, vs]) => `${fld} ${op} (${vs.join(', ')})`);
    case 5:
    case 6:
      return fc.tuple(fc.constantFrom('LIKE', 'like', 'NOT LIKE'), fc.constantFrom(...PATTERNS, ...STRINGS.slice(0, 12))).map(([op, p]) => `${fld} ${op} ${esqlString(p)}`);
    case 7:
      return fc.constantFrom(...STRINGS.slice(0, 20), 'system:', 'a', '').map((p) => `STARTS_WITH(${fld}, ${esqlString(p)})`);
    case 8:
      return fc.tuple(fc.constantFrom(...FIELD_UNIVERSE.ip), fc.array(fc.constantFrom(...IPS, '"localhost"'), { minLength: 1, maxLength: 3 }), fc.boolean()).map(
        ([ip, vs, neg]) => `${neg ? 'not ' : ''}to_string(${name(ip)}) in (${vs.join(', ')})`,
      );
    default:
      return fc.constantFrom(...STRINGS.slice(0, 10)).map((v) => `KQL("""${fld.replace(/`/g, '')}:${JSON.stringify(v)}""")`);
  }
});

export const esqlConditionArb: fc.Arbitrary<string> = fc.letrec<{ cond: string }>((tie) => ({
  cond: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { weight: 5, arbitrary: leaf },
    { weight: 1, arbitrary: tie('cond').map((c) => `NOT (${c})`) },
    { weight: 1, arbitrary: fc.tuple(tie('cond'), tie('cond')).map(([a, b]) => `(${a}) AND (${b})`) },
    { weight: 1, arbitrary: fc.tuple(tie('cond'), tie('cond')).map(([a, b]) => `(${a}) OR (${b})`) },
  ),
})).cond;

/** A whole per-event query: FROM, one or two WHERE, and sometimes KEEP. */
export const esqlQueryArb: fc.Arbitrary<string> = fc
  .tuple(esqlConditionArb, fc.option(esqlConditionArb, { nil: undefined }), fc.boolean())
  .map(([a, b, keep]) => `FROM logs-* METADATA _id\n| WHERE ${a}${b ? `\n| where ${b}` : ''}${keep ? '\n| KEEP user.name' : ''}`);

// ---- typed EVAL pipelines: integer, date and string columns, compared by their rows

const INT_LITERALS = ['0', '1', '3', '200', '403', '404', '500'];
const SPANS = ['1 second', '10 seconds', '1 minute', '5 minutes', '1 hour', '1 day'];

/** Expressions of one ES|QL type, over fields, constants, earlier columns and the functions the module types. */
const typedExprs = (cols: string[]) =>
  fc.letrec<{ int: string; date: string; str: string; cond: string }>((tie) => ({
    int: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      { weight: 3, arbitrary: fc.constantFrom(...FIELD_UNIVERSE.integer.map(name), ...INT_LITERALS) },
      { weight: 1, arbitrary: fc.tuple(tie('str'), fc.constantFrom(...STRINGS.slice(0, 12), 'a', '', 'system:'), fc.option(fc.constantFrom('0', '1', '2', '5', '40'), { nil: undefined })).map(([s, sub, start]) => `LOCATE(${s}, ${esqlString(sub)}${start ? `, ${start}` : ''})`) },
      { weight: 1, arbitrary: fc.tuple(tie('cond'), tie('int'), tie('int')).map(([c, a, b]) => `CASE(${c}, ${a}, ${b})`) },
    ),
    date: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      { weight: 3, arbitrary: fc.constantFrom(...FIELD_UNIVERSE.date.map(name), 'NOW()') },
      { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...SPANS), tie('date')).map(([s, d]) => `DATE_TRUNC(${s}, ${d})`) },
      { weight: 1, arbitrary: fc.tuple(tie('date'), fc.constantFrom('+', '-'), fc.constantFrom(...SPANS, '9 minutes')).map(([d, op, s]) => `${d} ${op} ${s}`) },
    ),
    str: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      { weight: 3, arbitrary: fc.constantFrom(...FIELD_UNIVERSE.keyword.map(name), ...STRINGS.slice(0, 12).map(esqlString), ...cols) },
      { weight: 2, arbitrary: fc.oneof(tie('int'), tie('date'), fc.constantFrom(...FIELD_UNIVERSE.ip.map(name))).map((x) => `TO_STRING(${x})`) },
      { weight: 1, arbitrary: tie('str').map((x) => `URL_DECODE(${x})`) },
    ),
    cond: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      { weight: 2, arbitrary: fc.tuple(tie('int'), fc.constantFrom('==', '!=', '<', '<=', '>', '>='), fc.constantFrom(...INT_LITERALS)).map(([a, op, b]) => `${a} ${op} ${b}`) },
      { weight: 1, arbitrary: fc.tuple(tie('int'), fc.array(fc.constantFrom(...INT_LITERALS, 'null'), { minLength: 1, maxLength: 3 })).map(([a, vs]) => `${a} IN (${vs.join(', ')})`) },
      { weight: 1, arbitrary: fc.tuple(tie('date'), fc.constantFrom('<', '>=', '=='), fc.constantFrom('"2017-09-11T19:55:00.000Z"', '"2025-01-01T00:00:00.000Z"')).map(([a, op, b]) => `${a} ${op} ${b}`) },
      { weight: 1, arbitrary: fc.tuple(tie('date'), fc.constantFrom('<', '>=', '==', '!='), tie('date')).map(([a, op, b]) => `${a} ${op} ${b}`) },
      { weight: 1, arbitrary: fc.tuple(tie('int'), fc.constantFrom('<', '<=', '>', '=='), tie('int')).map(([a, op, b]) => `${a} ${op} ${b}`) },
      { weight: 1, arbitrary: fc.tuple(fc.oneof(tie('int'), tie('str'), tie('date')), fc.boolean()).map(([x, neg]) => `${x} IS ${neg ? 'NOT ' : ''}NULL`) },
      { weight: 1, arbitrary: fc.tuple(tie('str'), fc.constantFrom(...STRINGS.slice(0, 12), '403', '10.0.0.1', '::1')).map(([s, v]) => `${s} == ${esqlString(v)}`) },
      { weight: 1, arbitrary: tie('cond').map((c) => `NOT (${c})`) },
    ),
  }));

/**
 * `FROM | EVAL a = <int>, b = <date>, c = <string over a and b> | [WHERE <cond>] | KEEP a, b, c`:
 * the kept row is compared column by column (JSON numbers, ISO dates, strings, nulls).
 */
const topInt = fc.oneof(
  typedExprs([]).int.filter((x) => !FIELD_UNIVERSE.integer.includes(x)),
  fc.tuple(typedExprs([]).str, fc.constantFrom('a', '.', '/', ':')).map(([s, sub]) => `LOCATE(${s}, "${sub}")`),
);
const topDate = fc.oneof(fc.constant('NOW()'), fc.tuple(fc.constantFrom(...SPANS), typedExprs([]).date).map(([s, d]) => `DATE_TRUNC(${s}, ${d})`));
const topStr = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('TO_STRING(a)', 'TO_STRING(b)', 'URL_DECODE(TO_STRING(a))') },
  { weight: 2, arbitrary: typedExprs(['a', 'b']).str },
);

export const esqlTypedPipelineArb: fc.Arbitrary<string> = fc
  .tuple(topInt, topDate, topStr, fc.option(typedExprs(['a', 'b', 'c']).cond, { nil: undefined }))
  .map(([a, b, c, where]) => `FROM logs-*\n| EVAL a = ${a}, b = ${b}\n| EVAL c = ${c}${where ? `\n| WHERE ${where}` : ''}\n| KEEP a, b, c`);
