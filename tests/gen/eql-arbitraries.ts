// fast-check arbitraries for EQL: condition texts over the same field universe and value pools as
// the KQL generators (tests/gen/arbitraries.ts), so verdicts of both kinds are common; and streams of
// small ECS records for sequences (few users, few actions, close event times).
import fc from 'fast-check';
import { FIELD_UNIVERSE, QUERY_PATTERNS, STRING_POOL, comparisonText } from './arbitraries.js';

/** An EQL string literal for any text: "..." with \\ \" \n \r \t escaped and other controls as \u{..}. */
export function eqlString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += '\\' + ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (cp < 0x20) out += `\\u{${cp.toString(16).padStart(2, '0')}}`;
    else out += ch;
  }
  return out + '"';
}

const name = (f: string): string => (/^[A-Za-z_@][A-Za-z0-9_@]*(\.[A-Za-z_@][A-Za-z0-9_@]*)*$/.test(f) ? f : `\`${f}\``);

const FIELDS = [
  ...FIELD_UNIVERSE.keyword,
  ...FIELD_UNIVERSE.constant_keyword,
  ...FIELD_UNIVERSE.integer,
  ...FIELD_UNIVERSE.boolean,
  ...FIELD_UNIVERSE.ip,
  ...FIELD_UNIVERSE.text,
  ...FIELD_UNIVERSE.date,
  'kubernetes.audit.user.username',
  'kubernetes.audit.objectRef.resource',
];
const STRINGS = STRING_POOL.filter((s) => s.length < 100);
const PATTERNS = QUERY_PATTERNS;
const NUMBERS = ['403', '200', '0', '-1', '403.0', '403.5', '1e3'];

const literal = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...STRINGS).map(eqlString) },
  { weight: 2, arbitrary: fc.constantFrom(...NUMBERS) },
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
      return fc.constantFrom(`${fld} == null`, `${fld} != null`, `null == ${fld}`);
    case 4:
      return fc.tuple(fc.constantFrom('in', 'not in', 'in~'), fc.array(fc.oneof(literal, fc.constant('null')), { minLength: 1, maxLength: 4 })).map(([op, vs]) => `${fld} ${op} (${vs.join(', ')})`);
    case 5:
    case 6:
      return fc.tuple(fc.constantFrom('like', 'like', 'like~', ':'), fc.array(fc.constantFrom(...PATTERNS, ...STRINGS.slice(0, 12)).map(eqlString), { minLength: 1, maxLength: 3 }))
        .map(([op, ps]) => (ps.length === 1 && op !== 'like~' ? `${fld} ${op} ${ps[0]}` : `${fld} ${op} (${ps.join(', ')})`));
    case 7:
      return fc.constantFrom(fld, 'true', 'false');
    case 8:
      return literal.map((v) => `${v} == ${fld}`);
    default:
      return fc.constantFrom(...STRINGS.slice(0, 20)).map((s) => `${fld} : ${eqlString(s)}`);
  }
});

/** An EQL condition text (and/or/not over the leaves above, with parentheses). */
export const eqlConditionArb: fc.Arbitrary<string> = fc.letrec<{ cond: string }>((tie) => ({
  cond: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { weight: 4, arbitrary: leaf },
    { weight: 1, arbitrary: tie('cond').map((c) => `not ${c.startsWith('(') ? c : `(${c})`}`) },
    { weight: 1, arbitrary: fc.tuple(tie('cond'), tie('cond')).map(([a, b]) => `(${a} and ${b})`) },
    { weight: 1, arbitrary: fc.tuple(tie('cond'), tie('cond')).map(([a, b]) => `(${a} or ${b})`) },
    { weight: 1, arbitrary: fc.tuple(tie('cond'), tie('cond'), tie('cond')).map(([a, b, c]) => `${a} and ${b} or not ${c}`) },
  ),
})).cond;

/** `any where` or a category. */
export const eqlQueryArb: fc.Arbitrary<string> = fc.tuple(fc.constantFrom('any', 'any', 'any', 'process'), eqlConditionArb).map(([c, cond]) => `${c} where ${cond}`);

// ---- sequences

const USERS = ['u1', 'u1', 'u2', 'u2', ['u1', 'u2'], undefined];
const ACTIONS = ['a', 'b', 'c', 'a', 'b', ['a', 'b'], ['b', 'c'], 'x'];

/** A stream of small ECS records (user.name, event.action, @timestamp, auditID). */
export const sequenceStreamArb: fc.Arbitrary<Record<string, unknown>[]> = fc
  .array(fc.tuple(fc.constantFrom(...USERS), fc.constantFrom(...ACTIONS), fc.integer({ min: 0, max: 14 }), fc.nat(5)), { minLength: 1, maxLength: 20 })
  .map((items) =>
    items.map(([user, action, second, hostTime], i) => ({
      // One record in six has no time of its own (it takes the host's).
      ...(hostTime === 0 ? {} : { '@timestamp': new Date(Date.UTC(2026, 2, 1, 10, 0, second)).toISOString() }),
      event: { action },
      ...(user === undefined ? {} : { user: { name: user } }),
      kubernetes: { audit: { auditID: `r${i}` } },
    })),
  );

/** A sequence query over those records: 2 or 3 stages, with or without maxspan and join key. */
export const sequenceQueryArb: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom('sequence by user.name', 'sequence', 'sequence by user.name with maxspan=10s', 'sequence with maxspan=5s by user.name', 'sequence by user.name with maxspan=1000ms'), fc.integer({ min: 2, max: 3 }), fc.boolean(), fc.nat(3))
  .map(([head, stages, stageKeys, until]) => {
    const parts = ['a', 'b', 'c'].slice(0, stages).map((a) => `[any where event.action == "${a}"]`);
    // One query in four ends with `until` on the action x (or c, which is also a stage of three).
    const untilPart = until === 0 ? ` until [any where event.action ${stages === 3 ? '== "c" and false or event.action' : ''} == "x"]` : until === 1 ? ' until [any where event.action == "c"]' : '';
    if (stageKeys && head === 'sequence') return `${head} ${parts.map((p) => `${p} by user.name`).join(' ')}${untilPart ? `${untilPart} by user.name` : ''}`;
    return `${head} ${parts.join(' ')}${untilPart}`;
  });
