// fast-check arbitraries for ES|QL STATS … BY: queries built from the aggregates, BY keys and
// conditions the window engine runs, and streams of raw audit events drawn from small pools (so groups
// recur and counts cross thresholds) with event times that mostly advance and sometimes step back.
import fc from 'fast-check';

const KEYWORDS = ['user.name', 'kubernetes.audit.verb', 'kubernetes.audit.objectRef.resource', 'kubernetes.audit.requestURI', 'kubernetes.audit.user.groups', '`kubernetes.audit.annotations.authorization_k8s_io/decision`'];
const IPS = ['kubernetes.audit.sourceIPs', 'source.ip'];
const INTS = ['kubernetes.audit.responseStatus.code'];
const BY_FIELDS = ['user.name', 'kubernetes.audit.sourceIPs', 'kubernetes.audit.verb', 'kubernetes.audit.user.groups', 'kubernetes.audit.responseStatus.code'];

type Agg = { text: string; kind: 'count' | 'values' | 'date' | 'number' };

const aggArb: fc.Arbitrary<Agg> = fc.oneof(
  fc.constantFrom<Agg>({ text: 'COUNT(*)', kind: 'count' }, { text: 'count()', kind: 'count' }),
  fc.constantFrom(...KEYWORDS, ...IPS, ...INTS).map((f): Agg => ({ text: `COUNT(${f})`, kind: 'count' })),
  fc.constantFrom(...KEYWORDS, ...IPS, ...INTS).map((f): Agg => ({ text: `COUNT_DISTINCT(${f})`, kind: 'count' })),
  fc.constantFrom(...KEYWORDS, ...IPS, ...INTS).map((f): Agg => ({ text: `VALUES(${f})`, kind: 'values' })),
  fc.constantFrom(...INTS).map((f): Agg => ({ text: `SUM(${f})`, kind: 'number' })),
  fc.constantFrom('MIN', 'MAX').map((fn): Agg => ({ text: `${fn}(@timestamp)`, kind: 'date' })),
  fc.constantFrom('MIN', 'MAX').map((fn): Agg => ({ text: `${fn}(kubernetes.audit.responseStatus.code)`, kind: 'number' })),
  fc.constantFrom('"get"', '"list"').map((v): Agg => ({ text: `SUM(CASE(kubernetes.audit.verb == ${v}, 1, 0))`, kind: 'number' })),
);

const PRE = [
  '',
  '| WHERE kubernetes.audit.verb IN ("get", "list", "watch")\n',
  '| WHERE kubernetes.audit.stage == "ResponseComplete"\n',
  '| WHERE user.name IS NOT NULL\n',
  '| EVAL Esql.code = kubernetes.audit.responseStatus.code\n',
];

function condFor(name: string, kind: Agg['kind']): fc.Arbitrary<string> {
  switch (kind) {
    case 'count':
    case 'number':
      return fc.tuple(fc.constantFrom('>=', '>', '==', '<', '!=', '<='), fc.constantFrom(0, 1, 2, 3, 4, 5, 200, 403)).map(([op, k]) => `${name} ${op} ${k}`);
    case 'date':
      return fc.constantFrom(`${name} >= NOW() - 1 minute`, `${name} < NOW() - 30 seconds`, `${name} IS NOT NULL`);
    default:
      return fc.constantFrom(`${name} IS NOT NULL`, `${name} IS NULL`);
  }
}

export const statsQueryArb: fc.Arbitrary<{ query: string; from: string }> = fc
  .tuple(
    fc.array(aggArb, { minLength: 1, maxLength: 4 }),
    fc.uniqueArray(fc.constantFrom(...BY_FIELDS), { minLength: 0, maxLength: 2 }),
    fc.constantFrom(...PRE),
    fc.nat(1000),
    fc.constantFrom('keep-all', 'keep-esql', 'none', 'keep-by'),
    fc.constantFrom('now-2m', 'now-6m', 'now-30s'),
  )
  .chain(([aggs, by, pre, seed, keep, from]) => {
    const names = aggs.map((_, i) => `Esql.a${i}`);
    const conds = fc.array(
      fc.nat(aggs.length - 1).chain((i) => condFor(names[i], aggs[i].kind)),
      { minLength: 0, maxLength: 3 },
    );
    return fc.tuple(conds, fc.constantFrom(' AND ', ' OR ')).map(([cs, join]) => {
      const stats = `| STATS ${aggs.map((a, i) => `${names[i]} = ${a.text}`).join(', ')}${by.length ? ` BY ${by.join(', ')}` : ''}\n`;
      const where = cs.length ? `| WHERE ${cs.map((c) => `(${c})`).join(join)}\n` : '';
      const keepText = keep === 'keep-all' ? '| KEEP *\n' : keep === 'keep-esql' ? `| KEEP Esql.*${by.length ? `, ${by[0]}` : ''}\n` : keep === 'keep-by' && by.length ? `| KEEP ${by.join(', ')}, ${names[seed % names.length]}\n` : '';
      return { query: `FROM logs-*\n${pre}${stats}${where}${keepText}`, from };
    });
  });

const USERS = ['alice', 'bob', 'system:anonymous', undefined];
const SOURCE_IPS: (string[] | undefined)[] = [['10.0.0.1'], ['10.0.0.2', '::ffff:10.0.0.1'], ['2001:db8::1'], ['10.0.0.1', '10.0.0.1'], undefined];
const GROUPS: (string[] | undefined)[] = [['system:authenticated'], ['dev', 'ops'], undefined];
const URIS = ['/api/v1/pods', '/api/v1/secrets', '/api/v1/nodes', '/apis/rbac/v1/roles', '/healthz', '/api/v1/namespaces/x/pods/y'];

const eventArb = fc.record({
  user: fc.constantFrom(...USERS),
  ips: fc.constantFrom(...SOURCE_IPS),
  groups: fc.constantFrom(...GROUPS),
  verb: fc.constantFrom('get', 'list', 'watch', 'create'),
  resource: fc.constantFrom('secrets', 'pods', 'nodes', 'configmaps', undefined),
  uri: fc.constantFrom(...URIS),
  code: fc.constantFrom(200, 403, 404, '201', undefined),
  decision: fc.constantFrom('allow', 'forbid', undefined),
  stage: fc.constantFrom('ResponseComplete', 'ResponseComplete', 'RequestReceived'),
  /** Time step from the previous event (ms); negative: a late record (at most 50 s: within the exact range, docs/semantics.md). */
  step: fc.oneof(
    { weight: 16, arbitrary: fc.integer({ min: 0, max: 40_000 }) },
    { weight: 2, arbitrary: fc.integer({ min: -50_000, max: -1 }) },
    { weight: 2, arbitrary: fc.integer({ min: 100_000, max: 400_000 }) },
  ),
});

const START = Date.UTC(2026, 2, 1, 10);

/** A stream of raw audit events (JSON text), in arrival order. */
export const statsStreamArb: fc.Arbitrary<string[]> = fc.array(eventArb, { minLength: 5, maxLength: 60 }).map((events) => {
  let t = START;
  return events.map((e, i) => {
    t += e.step;
    return JSON.stringify({
      kind: 'Event',
      apiVersion: 'audit.k8s.io/v1',
      level: 'Metadata',
      auditID: `id-${i}`,
      stage: e.stage,
      requestURI: e.uri,
      verb: e.verb,
      user: e.user === undefined ? {} : { username: e.user, ...(e.groups ? { groups: e.groups } : {}) },
      ...(e.ips ? { sourceIPs: e.ips } : {}),
      objectRef: { ...(e.resource ? { resource: e.resource } : {}), namespace: 'default' },
      ...(e.code !== undefined ? { responseStatus: { code: e.code } } : {}),
      ...(e.decision ? { annotations: { 'authorization.k8s.io/decision': e.decision } } : {}),
      stageTimestamp: new Date(t).toISOString().replace('Z', '123Z'),
      requestReceivedTimestamp: new Date(t - 5).toISOString(),
    });
  });
});

const packEventArb = (focus: string) => fc.record({
  // Most events come from one user (the one the rule counts), so its groups reach the thresholds.
  user: fc.oneof({ weight: 6, arbitrary: fc.constant(focus) }, { weight: 4, arbitrary: fc.constantFrom('alice', 'system:anonymous', 'system:serviceaccount:azure-arc:guard', '', undefined) }),
  impersonated: fc.constantFrom('admin', 'admin', 'dev', undefined),
  ips: fc.constantFrom<(string[] | undefined)[]>(['10.0.0.1'], ['10.0.0.1'], ['10.0.0.1'], ['10.0.0.2', '10.0.0.3'], ['127.0.0.1'], undefined),
  groups: fc.constantFrom(...GROUPS),
  agent: fc.constantFrom('kubectl/v1.30', 'kubectl/v1.30', 'kubectl/v1.30', 'curl/8.0', undefined),
  verb: fc.constantFrom('get', 'get', 'get', 'list', 'watch', 'create', 'delete'),
  resource: fc.constantFrom('secrets', 'secrets', 'secrets', 'configmaps', 'pods', 'nodes', 'namespaces', 'roles'),
  name: fc.constantFrom('s1', 's2', 's3', 's4', 's5', 'sh.helm.release.v1.app', undefined),
  namespace: fc.constantFrom('default', 'prod', 'kube-system', 'azure-arc'),
  uri: fc.constantFrom(...URIS, '/api/v1/configmaps', '/apis/apps/v1/deployments', '/version'),
  code: fc.constantFrom(200, 403, 404, 401, 500, undefined),
  message: fc.constantFrom('forbidden', 'not found', undefined),
  decision: fc.constantFrom('allow', 'forbid', undefined),
  level: fc.constantFrom('Metadata', 'RequestResponse', 'Request'),
  stage: fc.constantFrom('ResponseComplete', 'ResponseComplete', 'ResponseStarted'),
  step: fc.oneof({ weight: 80, arbitrary: fc.integer({ min: 0, max: 3_000 }) }, { weight: 4, arbitrary: fc.integer({ min: -40_000, max: -1 }) }, { weight: 1, arbitrary: fc.integer({ min: 300_000, max: 1_200_000 }) }),
});

/** A stream of raw audit events for the pack's STATS rules: the users, verbs and resources they count, mostly from user `focus`. */
export const packStatsStreamArb = (focus: string): fc.Arbitrary<string[]> => fc.array(packEventArb(focus), { minLength: 20, maxLength: 200 }).map((events) => {
  let t = START;
  return events.map((e, i) => {
    t += e.step;
    return JSON.stringify({
      kind: 'Event',
      apiVersion: 'audit.k8s.io/v1',
      level: e.level,
      auditID: `id-${i}`,
      stage: e.stage,
      requestURI: e.uri,
      verb: e.verb,
      user: e.user === undefined ? {} : { username: e.user, ...(e.groups ? { groups: e.groups } : {}) },
      ...(e.impersonated ? { impersonatedUser: { username: e.impersonated } } : {}),
      ...(e.ips ? { sourceIPs: e.ips } : {}),
      ...(e.agent ? { userAgent: e.agent } : {}),
      objectRef: { resource: e.resource, namespace: e.namespace, ...(e.name ? { name: e.name } : {}) },
      ...(e.code !== undefined ? { responseStatus: { code: e.code, ...(e.message ? { message: e.message } : {}) } } : {}),
      ...(e.decision ? { annotations: { 'authorization.k8s.io/decision': e.decision } } : {}),
      stageTimestamp: new Date(t).toISOString(),
      requestReceivedTimestamp: new Date(t - 3).toISOString(),
    });
  });
});
