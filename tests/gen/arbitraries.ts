// fast-check arbitraries for property tests: KQL ASTs over a small universe of fields of every
// type, and records (raw audit events, wrappers, ECS documents) whose values are drawn from the
// same pools as the query values, so that both verdicts occur often. Exported for the
// WASM-vs-reference property test; tests/reference-properties.test.ts uses them too.
//
// Generated ASTs are printable: printKql(ast) parses back to the same AST (no `all` below the top,
// and/or with at least two children, unquoted strings trimmed, non-empty and not null/true/false).

import fc from 'fast-check';
import type { FieldRef, Node, Pos, RangeOp, Value } from '../../src/kql/ast.js';
import { jsonNumber, stringifyJson } from '../../src/reference/json.js';

const POS: Pos = { offset: 0, line: 1, column: 1 };

// ---------------------------------------------------------------------------------------------
// Value pools shared by queries and documents

export const STRING_POOL = [
  'alice', 'Alice', 'bob', 'get', 'list', 'create', 'forbid', 'allow', 'secrets', 'pods', 'default',
  'system:serviceaccount:default:sa', 'system:serviceaccounts:default:default', 'system:anonymous',
  'curl/8.4.0', 'karpenter', 'karpenter/v0.32.1', 'Prometheus/2.45', 'prometheus/2.45',
  'kubectl/v1.26.1 (linux/amd64) kubernetes/$Format', 'approver/v0.0.0 (linux/amd64) kubernetes/$Format/leader-election',
  'docker.elastic.co/beats/elastic-agent:8.11.0', 'nginx:1.25', 'a b', 'a*b', 'x:y', '',
  'ünïcödé', '😀', 'a😀b', '\u00e9', 'e\u0301', '403', '200', '403.0', 'true', 'false', 'null',
  '10.1.2.3', '::1', '2025-03-04', '2025-03-04T06:22:18.822Z', 'x'.repeat(1025),
];

export const NUMBER_POOL: unknown[] = [0, 1, 200, 403, 403.5, -1, 2147483648, '403', ' 403 ', '4.03e2', 'abc', jsonNumber('403.0'), jsonNumber('1e3')];
export const BOOLEAN_POOL: unknown[] = [true, false, 'true', 'false', '', 'True', 1];
export const DATE_POOL: unknown[] = [
  '2025-03-04T06:22:18.822532Z', '2025-03-04T06:22:18Z', '2025-03-04T06:17:00Z', '2025-03-03T23:59:59.999Z',
  '2025-03-04', '2024-01-01T00:00:00+02:00', '1741069338822', 1741069338822, 2025, '2025-02-30', 'yesterday',
];
export const IP_POOL: unknown[] = ['10.1.2.3', '10.200.0.1', '192.168.1.1', '127.0.0.1', '::1', '::ffff:10.1.2.3', '2001:db8::1', 'fe80::1%eth0', 'bogus', '010.1.2.3'];

const QUERY_STRINGS = ['alice', 'Alice', 'get', 'forbid', 'allow', 'secrets', 'system:serviceaccount:default:sa', 'karpenter', 'curl/8.4.0', 'a b', '403', '403.0', '403.5', '200', 'true', '10.1.2.3', '10.0.0.0/8', '::1', '::ffff:10.1.2.3', '2001:db8::/32', '2025-03-04', '2025-03-04T06:22', 'now', 'now-5m', 'now/d', '2025-03-04||+1d', 'ünïcödé', '😀', 'x:y', 'e\u0301', 'nginx'];
const QUERY_WILDCARDS = ['*kubernetes/$Format', 'system:serviceaccount:*', 'karpenter*', 'curl*', '*a*', 'a*b', 'nginx*', 'NGINX*', '*elastic-agent*', '**', '10.*', 'sys*:*', '*😀*', '*:*'];

// ---------------------------------------------------------------------------------------------
// Field universe

export type UniverseType = 'keyword' | 'constant_keyword' | 'text' | 'integer' | 'boolean' | 'date' | 'ip';

/** Fields of the default table (and the text table for `text`), by type, as full paths. */
export const FIELD_UNIVERSE: Record<UniverseType, string[]> = {
  keyword: ['user.name', 'kubernetes.audit.verb', 'kubernetes.audit.userAgent', 'user_agent.original', 'event.action', 'orchestrator.namespace', 'kubernetes.audit.annotations.authorization_k8s_io/decision', 'x.k', 'a.b.c'],
  constant_keyword: ['data_stream.dataset'],
  text: ['kubernetes.audit.user.groups', 'kubernetes.audit.requestObject.spec.containers.image'],
  integer: ['kubernetes.audit.responseStatus.code'],
  boolean: ['kubernetes.audit.requestObject.spec.hostNetwork'],
  date: ['@timestamp', 'kubernetes.audit.stageTimestamp', 'kubernetes.audit.requestReceivedTimestamp'],
  ip: ['source.ip', 'kubernetes.audit.sourceIPs'],
};

/** Wildcard field names (patterns) over that universe. */
/** Wildcard patterns (`*`, `?`) for the EQL and ES|QL query generators: edges, code points beyond the BMP, case. */
export const QUERY_PATTERNS = ['*', 'a*', '*a', '*a*', 'a?b*', '?', '??', 'system:*', 'system:serviceaccount:*:*', 'curl/?.?.?', '*/*', 'kubectl*', '*😀*', '?😀?', '4??', '1?.*', 'ALICE', 'alice', '*:*'];

/** `field OP literal` in query text, OP drawn from `ops` (EQL and ES|QL write comparisons alike). */
export const comparisonText = (fld: string, ops: string[], literal: fc.Arbitrary<string>): fc.Arbitrary<string> =>
  fc.tuple(fc.constantFrom(...ops), literal).map(([op, v]) => `${fld} ${op} ${v}`);

export const WILDCARD_FIELDS = ['kubernetes.audit.annotations.*', '*.ip', 'user.*', '*Timestamp', 'kubernetes.*.code', '*'];

/** A nested path and the inner fields generated below it. */
export const NESTED_PATH = 'kubernetes.audit.requestObject.spec.containers';
export const NESTED_INNER = ['name', 'image', 'securityContext.privileged'];

const ALL_FIELDS = Object.values(FIELD_UNIVERSE).flat();

function fieldRef(name: string): FieldRef {
  return { name, pattern: name.includes('*') ? name.split('*') : null, pos: POS };
}

/** Unquoted text the parser gives back as the same string value. */
function unquotedOk(text: string): boolean {
  return text !== '' && text === text.trim() && !['null', 'true', 'false'].includes(text);
}

export const valueArb: fc.Arbitrary<Value> = fc.oneof(
  { weight: 5, arbitrary: fc.tuple(fc.constantFrom(...QUERY_STRINGS, ...STRING_POOL.filter((s) => s.length < 100)), fc.boolean()).map(([value, quoted]): Value => ({ type: 'string', value, quoted: quoted || !unquotedOk(value) })) },
  { weight: 3, arbitrary: fc.constantFrom(...QUERY_WILDCARDS).map((p): Value => ({ type: 'wildcard', parts: p.split('*') })) },
  { weight: 2, arbitrary: fc.constant<Value>({ type: 'exists' }) },
  { weight: 1, arbitrary: fc.boolean().map((value): Value => ({ type: 'boolean', value })) },
  { weight: 1, arbitrary: fc.constant<Value>({ type: 'null' }) },
);

const rangeOpArb: fc.Arbitrary<RangeOp> = fc.constantFrom('lt', 'lte', 'gt', 'gte');
const rangeLiteralArb = fc.constantFrom('403', '400', '399.5', 'alice', 'm', '2025-03-04', '2025-03-04T06:20:00Z', 'now-5m', 'now/d', '10.1.2.0', '::1', 'true', 'false', 'a*');

function leafArb(fields: string[], wildcardFields: string[]): fc.Arbitrary<Node> {
  const isArb = fc.tuple(fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...fields) }, { weight: 1, arbitrary: fc.constantFrom(...wildcardFields) }), valueArb).map(
    ([name, value]): Node => ({ kind: 'is', field: fieldRef(name), value, pos: POS }),
  );
  const fieldlessArb = valueArb.filter((v) => v.type !== 'null').map((value): Node => ({ kind: 'is', field: null, value, pos: POS }));
  const rangeArb = fc.tuple(fc.constantFrom(...fields), rangeOpArb, rangeLiteralArb, fc.boolean(), fc.nat(20)).map(
    ([name, op, value, quoted, n]): Node =>
      n === 0 ? { kind: 'range', field: fieldRef(name), op, value: 'null', quoted: false, isNull: true, pos: POS } : { kind: 'range', field: fieldRef(name), op, value, quoted: quoted || value.includes('*'), pos: POS },
  );
  return fc.oneof({ weight: 6, arbitrary: isArb }, { weight: 1, arbitrary: fieldlessArb }, { weight: 2, arbitrary: rangeArb });
}

export interface QueryArbOptions {
  /** Maximum depth of and/or/not nesting (default 3). */
  maxDepth?: number;
  /** Generate nested (`path:{...}`) queries (default true). */
  nested?: boolean;
}

/** KQL ASTs over FIELD_UNIVERSE; never `all` (use fc.constant({kind:'all'}) for that). */
export function queryArb(options: QueryArbOptions = {}): fc.Arbitrary<Node> {
  const maxDepth = options.maxDepth ?? 3;
  const withNested = options.nested ?? true;
  const { tree } = fc.letrec<{ tree: Node; inner: Node }>((tie) => ({
    tree: fc.oneof(
      { depthSize: 'small', maxDepth, withCrossShrink: true },
      leafArb(ALL_FIELDS, WILDCARD_FIELDS),
      fc.array(tie('tree'), { minLength: 2, maxLength: 3 }).map((children): Node => ({ kind: 'and', children })),
      fc.array(tie('tree'), { minLength: 2, maxLength: 3 }).map((children): Node => ({ kind: 'or', children })),
      tie('tree').map((child): Node => ({ kind: 'not', child })),
      ...(withNested ? [tie('inner').map((query): Node => ({ kind: 'nested', path: fieldRef(NESTED_PATH), query, pos: POS }))] : []),
    ),
    inner: fc.oneof(
      { depthSize: 'small', maxDepth: 2 },
      leafArb(NESTED_INNER, ['*', 'security*']),
      fc.array(tie('inner'), { minLength: 2, maxLength: 2 }).map((children): Node => ({ kind: 'and', children })),
      tie('inner').map((child): Node => ({ kind: 'not', child })),
    ),
  }));
  return tree;
}

// ---------------------------------------------------------------------------------------------
// Documents

/** Sometimes a value, sometimes an array of them, sometimes null/[]/[null]/missing. */
function shaped(pool: readonly unknown[]): fc.Arbitrary<unknown> {
  const one = fc.constantFrom(...pool);
  return fc.oneof(
    { weight: 8, arbitrary: one },
    { weight: 3, arbitrary: fc.array(one, { minLength: 1, maxLength: 3 }) },
    { weight: 1, arbitrary: fc.constantFrom(null, [], [null], undefined) },
  );
}

const stringValue = () => shaped(STRING_POOL);
const containersArb = fc.array(
  fc.record({ name: shaped(['web', 'db', 'sidecar', '']), image: shaped(['nginx:1.25', 'docker.elastic.co/beats/elastic-agent:8.11.0', 'Alpine', '']), securityContext: fc.record({ privileged: shaped(BOOLEAN_POOL) }, { requiredKeys: [] }) }, { requiredKeys: [] }),
  { maxLength: 3 },
);

/** Drop keys whose value is undefined (a missing field). */
function compact<T extends Record<string, unknown>>(obj: T): Record<string, unknown> {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined));
}

/** A raw audit.k8s.io event (sometimes without apiVersion, sometimes in the 2017 format). */
export const rawEventArb: fc.Arbitrary<Record<string, unknown>> = fc
  .record({
    version: fc.constantFrom('audit.k8s.io/v1', 'audit.k8s.io/v1beta1', undefined),
    verb: stringValue(),
    username: stringValue(),
    groups: shaped(STRING_POOL.slice(0, 14)),
    userAgent: stringValue(),
    sourceIPs: shaped(IP_POOL),
    decision: fc.constantFrom('allow', 'forbid', 'Forbid', '', undefined),
    reason: fc.constantFrom('', 'RBAC: allowed', undefined),
    code: shaped(NUMBER_POOL),
    hostNetwork: shaped(BOOLEAN_POOL),
    containers: containersArb,
    stageTimestamp: shaped(DATE_POOL),
    requestReceivedTimestamp: shaped(DATE_POOL),
    timestamp: fc.constantFrom('2017-09-11T19:55:05Z', undefined),
    resource: fc.constantFrom('secrets', 'pods', '', undefined),
  })
  .map((r) =>
    compact({
      kind: 'Event',
      apiVersion: r.version,
      auditID: 'id-1',
      level: 'Metadata',
      stage: 'ResponseComplete',
      verb: r.verb,
      user: compact({ username: r.username, groups: r.groups, extra: {} }),
      sourceIPs: r.sourceIPs,
      userAgent: r.userAgent,
      objectRef: compact({ resource: r.resource, namespace: 'default', apiGroup: '' }),
      responseStatus: compact({ metadata: {}, code: r.code }),
      requestObject: { metadata: { name: 'x' }, spec: compact({ hostNetwork: r.hostNetwork, containers: r.containers }) },
      annotations: r.decision === undefined && r.reason === undefined ? undefined : compact({ 'authorization.k8s.io/decision': r.decision, 'authorization.k8s.io/reason': r.reason }),
      stageTimestamp: r.stageTimestamp,
      requestReceivedTimestamp: r.requestReceivedTimestamp,
      timestamp: r.timestamp,
    }),
  );

/** Set `path` in `doc`, either nested or as one dotted key (both spellings are equivalent); an undefined value sets nothing. */
export function setPath(doc: Record<string, unknown>, path: string, value: unknown, dotted: boolean): void {
  if (value === undefined) return;
  if (dotted) {
    doc[path] = value;
    return;
  }
  const keys = path.split('.');
  let current = doc;
  for (const key of keys.slice(0, -1)) {
    const next = current[key];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) current[key] = {};
    current = current[key] as Record<string, unknown>;
  }
  current[keys[keys.length - 1]] = value;
}

const POOL_BY_TYPE: Record<UniverseType, readonly unknown[]> = {
  keyword: [...STRING_POOL, 403, true, jsonNumber('1.0')],
  constant_keyword: ['kubernetes.audit_logs', 'other'],
  text: STRING_POOL,
  integer: NUMBER_POOL,
  boolean: BOOLEAN_POOL,
  date: DATE_POOL,
  ip: IP_POOL,
};

/** An already-ECS document: universe fields with random spellings (nested or dotted), arrays, nulls. */
export const ecsDocArb: fc.Arbitrary<Record<string, unknown>> = fc
  .tuple(
    fc.array(
      fc.tuple(fc.constantFrom(...(Object.keys(FIELD_UNIVERSE) as UniverseType[])), fc.nat(10), fc.boolean()).chain(([type, i, dotted]) => {
        const fields = FIELD_UNIVERSE[type];
        return shaped(POOL_BY_TYPE[type]).map((value) => ({ path: fields[i % fields.length], value, dotted }));
      }),
      { maxLength: 8 },
    ),
    containersArb,
    fc.boolean(),
  )
  .map(([entries, containers, withContainers]) => {
    const doc: Record<string, unknown> = {};
    for (const e of entries) {
      // A dotted key next to an object holding the same prefix is fine; a scalar in the way is replaced.
      setPath(doc, e.path, e.value, e.dotted);
    }
    if (withContainers) setPath(doc, NESTED_PATH, containers, false);
    return doc;
  });

/** Any record: raw event, the same wrapped (Fluent Bit log, Vector message, AKS), or an ECS doc. */
export const recordArb: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  { weight: 4, arbitrary: rawEventArb },
  { weight: 1, arbitrary: rawEventArb.map((e) => ({ log: stringifyJson(e), stream: 'stdout' })) },
  { weight: 1, arbitrary: rawEventArb.map((e) => ({ message: stringifyJson(e), host: 'node-1' })) },
  { weight: 1, arbitrary: rawEventArb.map((e) => ({ category: 'kube-audit', time: '2025-03-04T06:22:30Z', properties: { log: stringifyJson(e), pod: 'kube-apiserver-1' } })) },
  { weight: 4, arbitrary: ecsDocArb },
);
