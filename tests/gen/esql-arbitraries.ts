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
