// The conformance table: hand-written cases, each tied to the statement of the spec it checks.
// `doc` is the RECORD as it arrives (raw audit event, wrapper, or ECS document); evaluators build
// the ECS view themselves. Expected verdicts follow docs/semantics.md (and through it kql.md,
// audit-to-ecs.md). Run by tests/conformance.test.ts; runner.ts runs it through any evaluator.

import { jsonNumber } from '../../src/reference/json.js';

export interface ConformanceCase {
  id: string;
  query: string;
  doc: object;
  expected: boolean;
  /** The statement checked, quoted or named: "kql.md: <...>", "audit-to-ecs.md: <...>", "semantics.md: <...>". */
  spec: string;
  /** Field table: default (kubernetes-audit.json) or text (kubernetes-audit-text.json). */
  fields?: 'default' | 'text';
}

// ---------------------------------------------------------------------------------------------
// Record builders (each call returns a fresh object)

type Obj = Record<string, unknown>;

/** A raw audit.k8s.io/v1 event: a forbidden secret read by a service account, with curl. */
function raw(overrides: Obj = {}, annotations: Obj | null = { 'authorization.k8s.io/decision': 'forbid', 'authorization.k8s.io/reason': '' }): Obj {
  const event: Obj = {
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    level: 'Metadata',
    auditID: '5b0bd9d2-2a4c-4d8e-9a51-0d1f1c5c7b3e',
    stage: 'ResponseComplete',
    requestURI: '/api/v1/namespaces/default/secrets/db',
    verb: 'get',
    user: { username: 'system:serviceaccount:default:reader', uid: 'a1b2', groups: ['system:serviceaccounts', 'system:serviceaccounts:default', 'system:authenticated'] },
    sourceIPs: ['10.1.2.3'],
    userAgent: 'curl/8.4.0',
    objectRef: { resource: 'secrets', namespace: 'default', name: 'db', apiVersion: 'v1' },
    responseStatus: { metadata: {}, status: 'Failure', reason: 'Forbidden', code: 403 },
    requestReceivedTimestamp: '2025-03-04T06:22:18.819232Z',
    stageTimestamp: '2025-03-04T06:22:18.822532Z',
  };
  if (annotations) event.annotations = annotations;
  for (const [k, v] of Object.entries(overrides)) {
    if (v === undefined) delete event[k];
    else event[k] = v;
  }
  return event;
}

/** The raw event with a different user agent (undefined = no userAgent key). */
const rawUa = (ua: string | undefined, extra: Obj = {}) => raw({ userAgent: ua, ...extra });
const rawUser = (username: string) => raw({ user: { username, uid: 'a1b2', groups: ['system:serviceaccounts'] } });
const rawDecision = (decision: string | undefined) => raw({}, decision === undefined ? null : { 'authorization.k8s.io/decision': decision });

interface EcsOptions {
  ua?: string | null; // null: no user agent fields at all
  username?: string;
  decision?: string | null;
  dataset?: boolean; // event.dataset and data_stream.dataset present (default true)
}

/** An already-ECS document as the integration indexes it (evaluated as is). */
function ecs(o: EcsOptions = {}, extra: Obj = {}): Obj {
  const ua = o.ua === undefined ? 'curl/8.4.0' : o.ua;
  const username = o.username ?? 'system:serviceaccount:default:reader';
  const decision = o.decision === undefined ? 'forbid' : o.decision;
  const audit: Obj = {
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    level: 'Metadata',
    stage: 'ResponseComplete',
    verb: 'get',
    requestURI: '/api/v1/namespaces/default/secrets/db',
    user: { username, groups: ['system:serviceaccounts', 'system:authenticated'] },
    sourceIPs: ['10.1.2.3'],
    objectRef: { resource: 'secrets', namespace: 'default', name: 'db' },
    responseStatus: { code: 403 },
    stageTimestamp: '2025-03-04T06:22:18.822532Z',
  };
  if (ua !== null) audit.userAgent = ua;
  if (decision !== null) audit.annotations = { 'authorization_k8s_io/decision': decision };
  const doc: Obj = {
    '@timestamp': '2025-03-04T06:22:19.000Z',
    event: { action: 'get', kind: 'event', ...(o.dataset === false ? {} : { dataset: 'kubernetes.audit_logs' }), ...(decision === 'forbid' ? { outcome: 'failure' } : {}) },
    kubernetes: { audit },
    user: { name: username },
    source: { ip: ['10.1.2.3'] },
    orchestrator: { type: 'kubernetes', resource: { type: 'secrets', name: 'db' }, namespace: 'default' },
  };
  if (o.dataset !== false) doc.data_stream = { dataset: 'kubernetes.audit_logs', type: 'logs', namespace: 'default' };
  if (ua !== null) doc.user_agent = { original: ua };
  return { ...doc, ...extra };
}

// ---------------------------------------------------------------------------------------------
// The seed rule, versions 10 and 12 (kql.md "Worked example")

const SEED_V10 = String.raw`event.dataset:"kubernetes.audit_logs" and
kubernetes.audit.user.username:system\:serviceaccount\:* and
kubernetes.audit.annotations.authorization_k8s_io/decision:"forbid" and
kubernetes.audit.userAgent:(* and not (*kubernetes/$Format or karpenter or csi-secrets-store* or
  OpenAPI-Generator* or Prometheus* or dashboard* or cilium-agent*))`;

const SEED_V12 = String.raw`data_stream.dataset:"kubernetes.audit_logs" and
kubernetes.audit.user.username:system\:serviceaccount\:* and
kubernetes.audit.annotations.authorization_k8s_io/decision:"forbid" and
user_agent.original:(* and not (*kubernetes/$Format or karpenter or csi-secrets-store* or OpenAPI-Generator* or Prometheus* or dashboard* or cilium-agent*))`;

interface SeedScenario {
  id: string;
  spec: string;
  raw: Obj;
  ecs: Obj;
  expected: boolean;
}

const SEED_SCENARIOS: SeedScenario[] = [
  { id: 'positive', spec: 'kql.md: Worked example: = and( dataset equals ...; username starts with `system:serviceaccount:`; decision equals `forbid`; userAgent exists and is not (...) )', raw: raw(), ecs: ecs(), expected: true },
  { id: 'plural-serviceaccounts', spec: 'kql.md: Worked example: `system:serviceaccounts:default:default` (plural) does not match the username prefix', raw: rawUser('system:serviceaccounts:default:default'), ecs: ecs({ username: 'system:serviceaccounts:default:default' }), expected: false },
  { id: 'username-exact-prefix-only', spec: 'kql.md: Worked example: username starts with `system:serviceaccount:`', raw: rawUser('system:serviceaccount:'), ecs: ecs({ username: 'system:serviceaccount:' }), expected: true },
  { id: 'username-not-prefix', spec: 'kql.md: Matching 4: wildcard is an anchored glob', raw: rawUser('x-system:serviceaccount:kube-system:foo'), ecs: ecs({ username: 'x-system:serviceaccount:kube-system:foo' }), expected: false },
  { id: 'username-case', spec: 'kql.md: Matching 4: equality is byte-exact and case-sensitive; wildcard ... case-sensitive', raw: rawUser('System:ServiceAccount:default:reader'), ecs: ecs({ username: 'System:ServiceAccount:default:reader' }), expected: false },
  { id: 'format-not-at-end', spec: 'kql.md: Worked example: `approver/v0.0.0 (linux/amd64) kubernetes/$Format/leader-election` is not excluded (does not END with `kubernetes/$Format`)', raw: rawUa('approver/v0.0.0 (linux/amd64) kubernetes/$Format/leader-election'), ecs: ecs({ ua: 'approver/v0.0.0 (linux/amd64) kubernetes/$Format/leader-election' }), expected: true },
  { id: 'real-build-string', spec: 'kql.md: Worked example: nor is a real build string `... kubernetes/418c3fa/...`', raw: rawUa('k3s/v1.23.6+k3s1 (linux/amd64) kubernetes/418c3fa/system:serviceaccount:kube-system:daemon-set-controller'), ecs: ecs({ ua: 'k3s/v1.23.6+k3s1 (linux/amd64) kubernetes/418c3fa/system:serviceaccount:kube-system:daemon-set-controller' }), expected: true },
  { id: 'format-at-end', spec: 'kql.md: Worked example: userAgent ... is not (ends with `kubernetes/$Format`, ...)', raw: rawUa('elastic-agent/v0.0.0 (linux/amd64) kubernetes/$Format'), ecs: ecs({ ua: 'elastic-agent/v0.0.0 (linux/amd64) kubernetes/$Format' }), expected: false },
  { id: 'format-exactly', spec: 'kql.md: Matching 4: `*` matches any sequence (also empty)', raw: rawUa('kubernetes/$Format'), ecs: ecs({ ua: 'kubernetes/$Format' }), expected: false },
  { id: 'format-lowercase', spec: 'kql.md: Matching 4: wildcard ... case-sensitive (the detection engine never sets case-insensitive)', raw: rawUa('foo/v1 kubernetes/$format'), ecs: ecs({ ua: 'foo/v1 kubernetes/$format' }), expected: true },
  { id: 'karpenter-exact', spec: 'kql.md: Worked example: equals `karpenter`', raw: rawUa('karpenter'), ecs: ecs({ ua: 'karpenter' }), expected: false },
  { id: 'karpenter-versioned', spec: 'kql.md: Worked example: `karpenter/v0.32.1` is not excluded (`karpenter` is an exact value, not a prefix)', raw: rawUa('karpenter/v0.32.1'), ecs: ecs({ ua: 'karpenter/v0.32.1' }), expected: true },
  { id: 'csi-secrets-store-prefix', spec: 'kql.md: Worked example: starts with `csi-secrets-store`', raw: rawUa('csi-secrets-store/v1.4.0 (linux/amd64)'), ecs: ecs({ ua: 'csi-secrets-store/v1.4.0 (linux/amd64)' }), expected: false },
  { id: 'openapi-generator-prefix', spec: 'kql.md: Worked example: starts with ... `OpenAPI-Generator`', raw: rawUa('OpenAPI-Generator/12.0.1/python'), ecs: ecs({ ua: 'OpenAPI-Generator/12.0.1/python' }), expected: false },
  { id: 'prometheus-capital', spec: 'kql.md: Worked example: starts with ... `Prometheus`', raw: rawUa('Prometheus/2.45.0'), ecs: ecs({ ua: 'Prometheus/2.45.0' }), expected: false },
  { id: 'prometheus-lowercase', spec: 'kql.md: Worked example: `prometheus/2.45` is not excluded (case-sensitive)', raw: rawUa('prometheus/2.45'), ecs: ecs({ ua: 'prometheus/2.45' }), expected: true },
  { id: 'dashboard-prefix', spec: 'kql.md: Worked example: starts with ... `dashboard`', raw: rawUa('dashboard/v2.7.0'), ecs: ecs({ ua: 'dashboard/v2.7.0' }), expected: false },
  { id: 'cilium-agent-exact', spec: 'kql.md: Worked example: starts with ... `cilium-agent` (prefix includes the value itself)', raw: rawUa('cilium-agent'), ecs: ecs({ ua: 'cilium-agent' }), expected: false },
  { id: 'cilium-agent-not-prefix', spec: 'kql.md: Matching 4: wildcard is an anchored glob', raw: rawUa('my-cilium-agent/1.0'), ecs: ecs({ ua: 'my-cilium-agent/1.0' }), expected: true },
  { id: 'no-user-agent', spec: 'kql.md: Worked example: An event without `userAgent` never matches', raw: rawUa(undefined), ecs: ecs({ ua: null }), expected: false },
  { id: 'decision-allow', spec: 'kql.md: Worked example: decision equals `forbid`', raw: rawDecision('allow'), ecs: ecs({ decision: 'allow' }), expected: false },
  { id: 'decision-case', spec: 'kql.md: Matching 4: equality is byte-exact and case-sensitive', raw: rawDecision('Forbid'), ecs: ecs({ decision: 'Forbid' }), expected: false },
  { id: 'decision-missing', spec: 'kql.md: Matching 3: Every positive leaf on a missing field is false', raw: rawDecision(undefined), ecs: ecs({ decision: null }), expected: false },
  { id: 'ua-over-ignore-above', spec: 'kql.md: Matching 4: Values longer than `ignore_above` (1024 ...) are not indexed and match nothing, not even `*`', raw: rawUa('curl/' + 'x'.repeat(1020)), ecs: ecs({ ua: 'curl/' + 'x'.repeat(1020) }), expected: false },
  { id: 'ua-at-ignore-above', spec: 'kql.md: Matching 4: Values longer than `ignore_above` ... (exactly 1024 is indexed)', raw: rawUa('curl/' + 'x'.repeat(1019)), ecs: ecs({ ua: 'curl/' + 'x'.repeat(1019) }), expected: true },
  { id: 'ua-unicode', spec: 'kql.md: Matching 4: equality is byte-exact; `*` matches any sequence', raw: rawUa('kubectl/v1.29 (linux/amd64) 😀 ünïcödé'), ecs: ecs({ ua: 'kubectl/v1.29 (linux/amd64) 😀 ünïcödé' }), expected: true },
];

function seedCases(): ConformanceCase[] {
  const out: ConformanceCase[] = [];
  for (const s of SEED_SCENARIOS) {
    out.push({ id: `seed-v10-raw-${s.id}`, query: SEED_V10, doc: s.raw, expected: s.expected, spec: s.spec });
    out.push({ id: `seed-v10-ecs-${s.id}`, query: SEED_V10, doc: s.ecs, expected: s.expected, spec: s.spec });
    out.push({ id: `seed-v12-raw-${s.id}`, query: SEED_V12, doc: s.raw, expected: s.expected, spec: s.spec });
    out.push({ id: `seed-v12-ecs-${s.id}`, query: SEED_V12, doc: s.ecs, expected: s.expected, spec: s.spec });
  }
  return out;
}

const SEED_SPECIFIC: ConformanceCase[] = [
  // Raw events: the view supplies what the agent and the pipeline add.
  { id: 'seed-v10-raw-empty-ua-removed', query: SEED_V10, doc: rawUa(''), expected: false, spec: 'audit-to-ecs.md: The pipeline also removes ... every empty value ("", {}, [], null) anywhere in the document' },
  { id: 'seed-v12-raw-empty-ua-removed', query: SEED_V12, doc: rawUa(''), expected: false, spec: 'audit-to-ecs.md: every empty value ... removed (user_agent.original is not set from an empty userAgent)' },
  { id: 'seed-v10-ecs-empty-ua-exists', query: SEED_V10, doc: ecs({ ua: '' }), expected: true, spec: 'kql.md: Matching 3: `f:*` ... true for `""` (an ECS record is evaluated as is)' },
  { id: 'seed-v12-ecs-empty-ua-exists', query: SEED_V12, doc: ecs({ ua: '' }), expected: true, spec: 'kql.md: Matching 3: `f:*` ... true for `""`' },
  { id: 'seed-v10-ecs-no-dataset', query: SEED_V10, doc: ecs({ dataset: false }), expected: false, spec: 'audit-to-ecs.md: Already-ECS input ... must be evaluated as is (nothing adds event.dataset)' },
  { id: 'seed-v12-ecs-no-dataset', query: SEED_V12, doc: ecs({ dataset: false }), expected: false, spec: 'audit-to-ecs.md: Already-ECS input ... must be evaluated as is (nothing adds data_stream.dataset)' },
  { id: 'seed-v12-ecs-only-audit-useragent', query: SEED_V12, doc: (() => { const d = ecs(); delete d.user_agent; return d; })(), expected: false, spec: 'audit-to-ecs.md: Already-ECS input ... evaluated as is (user_agent.original is not derived from kubernetes.audit.userAgent)' },
  { id: 'seed-v10-ecs-only-user-agent-original', query: SEED_V10, doc: (() => { const d = ecs(); delete (((d.kubernetes as Obj).audit) as Obj).userAgent; return d; })(), expected: false, spec: 'kql.md: Worked example: An event without `userAgent` never matches' },
  { id: 'seed-v10-ecs-flat-dotted-keys', query: SEED_V10, doc: { 'event.dataset': 'kubernetes.audit_logs', 'kubernetes.audit.user.username': 'system:serviceaccount:a:b', 'kubernetes.audit.annotations.authorization_k8s_io/decision': 'forbid', 'kubernetes.audit.userAgent': 'curl/8' }, expected: true, spec: 'kql.md: Matching 1: a literal dotted key at any level is equivalent' },
  { id: 'seed-v10-ecs-undotted-annotation-key', query: SEED_V10, doc: (() => { const d = ecs({ decision: null }); (((d.kubernetes as Obj).audit) as Obj).annotations = { 'authorization.k8s.io/decision': 'forbid' }; return d; })(), expected: false, spec: 'audit-to-ecs.md: `authorization.k8s.io/decision` → `authorization_k8s_io/decision` (an ECS record with the raw key is not renamed)' },
  { id: 'seed-v12-raw-dotted-annotation-key', query: SEED_V12, doc: raw(), expected: true, spec: 'audit-to-ecs.md: kubernetes.audit.annotations.<key with every "." replaced by "_">' },
  { id: 'seed-v10-embedded-log', query: SEED_V10, doc: { log: JSON.stringify(raw()) + '\n', stream: 'stdout', time: '2025-03-04T06:22:19.1Z' }, expected: true, spec: "audit-to-ecs.md: Fluent Bit's `tail` without a JSON parser gives `{\"log\": \"<the JSON line>\"}` ... the rules see that event" },
  { id: 'seed-v12-embedded-message', query: SEED_V12, doc: { message: JSON.stringify(raw()), source_type: 'file', host: 'node-1' }, expected: true, spec: "audit-to-ecs.md: Vector's `file` source gives `{\"message\": \"<the JSON line>\", ...}`" },
  { id: 'seed-v12-embedded-message-negative', query: SEED_V12, doc: { message: JSON.stringify(rawUa('Prometheus/2.45.0')) }, expected: false, spec: 'kql.md: Worked example: starts with ... `Prometheus` (inside an embedded event)' },
  { id: 'seed-v12-aks-string', query: SEED_V12, doc: { category: 'kube-audit', operationName: 'Microsoft.ContainerService/managedClusters/diagnosticLogs/Read', time: '2025-03-04T06:22:19Z', properties: { log: JSON.stringify(raw()), stream: 'stdout', pod: 'kube-apiserver-1' } }, expected: true, spec: 'audit-to-ecs.md: AKS diagnostic record (`category: kube-audit` ...): `properties.log` holds the raw event as a JSON **string**' },
  { id: 'seed-v10-aks-admin-object', query: SEED_V10, doc: { category: 'kube-audit-admin', properties: { log: raw() } }, expected: true, spec: 'audit-to-ecs.md: AKS ... `kube-audit-admin` ... (or an object)' },
  { id: 'seed-v12-aks-other-category', query: SEED_V12, doc: { category: 'kube-apiserver', properties: { log: JSON.stringify(raw()) } }, expected: false, spec: 'audit-to-ecs.md: AKS diagnostic record (`category: kube-audit` or `kube-audit-admin`) (other categories are not audit wrappers)' },
  { id: 'seed-v12-raw-no-apiversion', query: SEED_V12, doc: raw({ apiVersion: undefined }), expected: true, spec: 'semantics.md: raw audit event: no apiVersion key and auditID is a string (Falco traces)' },
  { id: 'seed-v12-raw-v1beta1', query: SEED_V12, doc: raw({ apiVersion: 'audit.k8s.io/v1beta1' }), expected: true, spec: 'semantics.md: raw audit event: apiVersion starting with audit.k8s.io/' },
  { id: 'seed-v12-not-audit-kind', query: SEED_V12, doc: raw({ kind: 'EventList' }), expected: false, spec: 'semantics.md: raw audit event: kind is the string "Event" (otherwise the record is ECS, evaluated as is)' },
  { id: 'seed-v12-raw-username-array', query: SEED_V12, doc: raw({ user: { username: ['nobody', 'system:serviceaccount:a:b'] } }), expected: true, spec: 'kql.md: Matching 2: a leaf predicate holds if ANY element holds' },
  { id: 'seed-v12-raw-ua-array-one-excluded', query: SEED_V12, doc: raw({ userAgent: ['curl/8', 'karpenter'] }), expected: false, spec: 'kql.md: Matching 2: ANY element holds (so `not karpenter` is false when one element is karpenter)' },
];

// ---------------------------------------------------------------------------------------------
// Query-language semantics on small ECS documents

const GRAMMAR: ConformanceCase[] = [
  { id: 'gram-empty-query', query: '', doc: { a: 1 }, expected: true, spec: 'kql.md: Matching 8: Empty query matches everything' },
  { id: 'gram-blank-query', query: '  \n\t ', doc: {}, expected: true, spec: 'kql.md: Grammar: start = Space* OrQuery? Space* — empty query = match everything' },
  { id: 'gram-precedence-1', query: 'a:1 or b:2 and c:3', doc: { a: '1' }, expected: true, spec: 'kql.md: Grammar: `a:1 or b:2 and c:3` = `or(a:1, and(b:2, c:3))`' },
  { id: 'gram-precedence-2', query: 'a:1 or b:2 and c:3', doc: { b: '2' }, expected: false, spec: 'kql.md: Grammar: `a:1 or b:2 and c:3` = `or(a:1, and(b:2, c:3))`' },
  { id: 'gram-precedence-3', query: 'a:1 or b:2 and c:3', doc: { b: '2', c: '3' }, expected: true, spec: 'kql.md: Grammar: `a:1 or b:2 and c:3` = `or(a:1, and(b:2, c:3))`' },
  { id: 'gram-parens', query: '(a:1 or b:2) and c:3', doc: { a: '1' }, expected: false, spec: "kql.md: Grammar: SubQuery = '(' Space* OrQuery Space* ')'" },
  { id: 'gram-not-binds-tight', query: 'not a:1 and b:2', doc: { a: '2', b: '2' }, expected: true, spec: 'kql.md: Grammar: Precedence: `not` > `and` > `or`' },
  { id: 'gram-not-binds-tight-2', query: 'not a:1 and b:2', doc: { a: '1', b: '2' }, expected: false, spec: 'kql.md: Grammar: Precedence: `not` > `and` > `or`' },
  { id: 'gram-keywords-case-insensitive', query: 'a:1 OR b:2 AND NOT c:3', doc: { a: '1' }, expected: true, spec: 'kql.md: Grammar: (keywords case-insensitive)' },
  { id: 'gram-NOT-paren', query: 'NOT (a:1)', doc: { a: '2' }, expected: true, spec: 'kql.md: Grammar: `NOT (a:1)` is fine' },
  { id: 'gram-list-or', query: 'f:(a or b)', doc: { f: 'b' }, expected: true, spec: 'kql.md: Grammar: A value list distributes its boolean structure over the field' },
  { id: 'gram-list-distributes-1', query: 'f:(a or b and not c)', doc: { f: ['b'] }, expected: true, spec: 'kql.md: Grammar: `f:(a or b and not c)` = `or(f:a, and(f:b, not f:c))`' },
  { id: 'gram-list-distributes-2', query: 'f:(a or b and not c)', doc: { f: ['b', 'c'] }, expected: false, spec: 'kql.md: Grammar: `f:(a or b and not c)` = `or(f:a, and(f:b, not f:c))`' },
  { id: 'gram-list-distributes-3', query: 'f:(a or b and not c)', doc: { f: ['a', 'c'] }, expected: true, spec: 'kql.md: Grammar: `f:(a or b and not c)` = `or(f:a, and(f:b, not f:c))`' },
  { id: 'gram-list-and-multivalue', query: 'f:(a and b)', doc: { f: ['a', 'b'] }, expected: true, spec: 'kql.md: Matching 2: a leaf predicate holds if ANY element holds (each leaf separately)' },
  { id: 'gram-list-and-single', query: 'f:(a and b)', doc: { f: 'a' }, expected: false, spec: 'kql.md: Grammar: A value list distributes its boolean structure over the field' },
  { id: 'gram-list-nested-parens', query: 'f:((a or b) and not (c or d))', doc: { f: 'b' }, expected: true, spec: 'kql.md: Grammar: Lists may nest parentheses' },
  { id: 'gram-list-nested-parens-2', query: 'f:((a or b) and not (c or d))', doc: { f: ['b', 'd'] }, expected: false, spec: 'kql.md: Grammar: Lists may nest parentheses' },
  { id: 'gram-list-not-exists', query: 'f:(not *)', doc: { g: 1 }, expected: true, spec: 'kql.md: Grammar: write `f:(not x)` (and Matching 3: `not` of a missing-field leaf is true)' },
  { id: 'gram-or-not-list-fieldless', query: 'f:x or y', doc: { g: 'y' }, expected: true, spec: 'kql.md: Grammar: `f:x or y` is NOT a list: `y` becomes a field-less query' },
  { id: 'gram-or-not-list-fieldless-2', query: 'f:x or y', doc: { f: 'y' }, expected: true, spec: 'kql.md: Grammar: `f:x or y` is NOT a list: `y` ... field-less (it also searches f)' },
  { id: 'gram-or-not-list-fieldless-3', query: 'f:x or y', doc: { f: 'z' }, expected: false, spec: 'kql.md: Grammar: `f:x or y` is NOT a list' },
  { id: 'gram-unquoted-inner-spaces', query: 'f:foo bar', doc: { f: 'foo bar' }, expected: true, spec: 'kql.md: Literals: `f:foo bar` is ONE value `"foo bar"`' },
  { id: 'gram-unquoted-inner-spaces-2', query: 'f:foo bar', doc: { f: 'foo' }, expected: false, spec: 'kql.md: Literals: `f:foo bar` is ONE value `"foo bar"` (keyword: exact)' },
  { id: 'gram-unquoted-trimmed', query: 'f:   foo   ', doc: { f: 'foo' }, expected: true, spec: 'kql.md: Literals: The value is trimmed' },
  { id: 'gram-b-or-value', query: 'f:b or', doc: { f: 'b or' }, expected: true, spec: 'kql.md: Literals: `f:b or` (no space after) is the value `"b or"`' },
  { id: 'gram-quoted-keeps-spaces', query: 'f:" foo "', doc: { f: ' foo ' }, expected: true, spec: 'kql.md: Literals: Quoted (`"..."`) values are kept as written' },
  { id: 'gram-quoted-keeps-spaces-2', query: 'f:" foo "', doc: { f: 'foo' }, expected: false, spec: 'kql.md: Literals: Quoted values are not trimmed' },
  { id: 'gram-escaped-colon', query: String.raw`f:a\:b`, doc: { f: 'a:b' }, expected: true, spec: 'kql.md: Literals: `\\:` is `:`' },
  { id: 'gram-escaped-star-literal', query: String.raw`f:a\*`, doc: { f: 'a*' }, expected: true, spec: 'kql.md: Literals: `\\*` is a literal asterisk, not a wildcard' },
  { id: 'gram-escaped-star-not-wildcard', query: String.raw`f:a\*`, doc: { f: 'abc' }, expected: false, spec: 'kql.md: Literals: `\\*` is a literal asterisk, not a wildcard' },
  { id: 'gram-quoted-star-literal', query: 'f:"a*"', doc: { f: 'abc' }, expected: false, spec: 'kql.md: Literals: `*` inside quotes is a literal asterisk' },
  { id: 'gram-quoted-star-literal-2', query: 'f:"a*"', doc: { f: 'a*' }, expected: true, spec: 'kql.md: Literals: `*` inside quotes is a literal asterisk' },
  { id: 'gram-quoted-star-not-exists', query: 'f:"*"', doc: { f: 'x' }, expected: false, spec: 'kql.md: Literals: quoted values are never wildcards or exists checks' },
  { id: 'gram-quoted-star-equals-star', query: 'f:"*"', doc: { f: '*' }, expected: true, spec: 'kql.md: Literals: quoted values are never wildcards or exists checks' },
  { id: 'gram-quoted-backslash-kept', query: String.raw`f:"a\:b"`, doc: { f: String.raw`a\:b` }, expected: true, spec: 'kql.md: Literals: `"a\\:b"` is the four characters `a\\:b`' },
  { id: 'gram-quoted-escapes', query: String.raw`f:"tab\there \"q\" \u0041"`, doc: { f: 'tab\there "q" A' }, expected: true, spec: 'kql.md: Literals: Escapes are only `\\"`, `\\\\`, `\\t`, `\\r`, `\\n`, `\\uXXXX`' },
  { id: 'gram-unquoted-unicode-escape', query: String.raw`f:caf\u00e9`, doc: { f: 'café' }, expected: true, spec: 'kql.md: Literals: `uXXXX` (that UTF-16 code unit)' },
  { id: 'gram-escaped-keyword-word', query: String.raw`f:\or`, doc: { f: 'or' }, expected: true, spec: 'kql.md: Literals: Also allowed after `\\`: `or`, `and`, `not` (the literal word)' },
  { id: 'gram-question-mark-literal', query: 'f:a?c', doc: { f: 'abc' }, expected: false, spec: 'kql.md: Literals: `?` is not a wildcard' },
  { id: 'gram-question-mark-literal-2', query: 'f:a?c', doc: { f: 'a?c' }, expected: true, spec: 'kql.md: Literals: `?` is not a wildcard' },
  { id: 'gram-lucene-range-text', query: 'f:[1 TO 2]', doc: { f: '[1 TO 2]' }, expected: true, spec: 'kql.md: Literals: `[1 TO 2]`, `x~`, `/re/` are plain text (no Lucene syntax)' },
  { id: 'gram-lucene-regex-text', query: 'f:/re/', doc: { f: 'rere' }, expected: false, spec: 'kql.md: Literals: `/re/` is plain text' },
  { id: 'gram-special-chars-literal', query: "f:a-b/c.d@e$f%g#h,i;j'k=l+m!n&o|p~q^r", doc: { f: "a-b/c.d@e$f%g#h,i;j'k=l+m!n&o|p~q^r" }, expected: true, spec: 'kql.md: Literals: Everything else is literal: `- / . @ $ % # , ; \' = + ! & | ~ ^ [ ] ?`' },
  { id: 'gram-number-is-string-keyword', query: 'f:42', doc: { f: 42 }, expected: true, spec: 'kql.md: Literals: numbers are NOT parsed (`f:42` is the string "42"; ...)' },
  { id: 'gram-number-is-string-keyword-2', query: 'f:42', doc: { f: '042' }, expected: false, spec: 'kql.md: Literals: `f:42` is the string "42" (keyword: exact)' },
  { id: 'gram-true-literal-keyword', query: 'f:true', doc: { f: 'true' }, expected: true, spec: 'kql.md: Literals: Exactly `true`, `false`, `null` become those literals (a boolean on a keyword field is "true")' },
  { id: 'gram-true-literal-keyword-bool', query: 'f:true', doc: { f: true }, expected: true, spec: 'semantics.md: keyword: a boolean is indexed as `true`/`false`' },
  { id: 'gram-null-literal', query: 'f:null', doc: { f: 'null' }, expected: false, spec: 'semantics.md: `null` matches nothing on every type (ES rejects a null term)' },
  { id: 'gram-null-literal-quoted', query: 'f:"null"', doc: { f: 'null' }, expected: true, spec: 'kql.md: Literals: Quoted values are plain strings' },
  { id: 'gram-not-null', query: 'not f:null', doc: { f: null }, expected: true, spec: 'semantics.md: `null` matches nothing, so `not` of it matches' },
  { id: 'gram-exists-star', query: 'f:*', doc: { f: 'x' }, expected: true, spec: 'kql.md: Literals: A value that is exactly `*` means "exists"' },
  { id: 'gram-double-star', query: 'f:**', doc: { f: '' }, expected: true, spec: 'kql.md: Literals: Any unescaped `*` makes the value a wildcard pattern (`**` matches any keyword)' },
  { id: 'gram-range-quoted-bound', query: 'f >= "b"', doc: { f: 'c' }, expected: true, spec: 'kql.md: Grammar: Expression = Field Space* RangeOp Space* Literal (quoted or not)' },
  { id: 'gram-field-with-slash-at-dash', query: 'a/b@c-d:x', doc: { 'a/b@c-d': 'x' }, expected: true, spec: 'kql.md: Matching 1: Field names contain `/`, `@`, `-` freely' },
  { id: 'gram-escaped-field-colon', query: String.raw`a\:b:x`, doc: { 'a:b': 'x' }, expected: true, spec: 'kql.md: Literals: Unquoted (field names and values): `\\:` is `:`' },
  { id: 'gram-quoted-field', query: '"a b":x', doc: { 'a b': 'x' }, expected: true, spec: 'kql.md: Grammar: Value/Field/Literal = QuotedString | UnquotedLiteral' },
];

const PATHS: ConformanceCase[] = [
  { id: 'path-nested-object', query: 'a.b:1', doc: { a: { b: '1' } }, expected: true, spec: 'kql.md: Matching 1: dotted names address nested objects' },
  { id: 'path-dotted-key', query: 'a.b:1', doc: { 'a.b': '1' }, expected: true, spec: 'kql.md: Matching 1: a literal dotted key at any level is equivalent (`{"a.b":1}` = `{"a":{"b":1}}`)' },
  { id: 'path-dotted-inner', query: 'a.b.c:1', doc: { a: { 'b.c': '1' } }, expected: true, spec: 'kql.md: Matching 1: a literal dotted key at any level is equivalent' },
  { id: 'path-dotted-outer', query: 'a.b.c:1', doc: { 'a.b': { c: '1' } }, expected: true, spec: 'kql.md: Matching 1: a literal dotted key at any level is equivalent' },
  { id: 'path-both-spellings', query: 'a.b:(1 and 2)', doc: { 'a.b': '1', a: { b: '2' } }, expected: true, spec: 'kql.md: Matching 1 + 2: both spellings contribute values to the same field' },
  { id: 'path-no-partial-key', query: 'a.b:1', doc: { ab: '1' }, expected: false, spec: 'kql.md: Matching 1: dotted names address nested objects (keys are whole segments)' },
  { id: 'path-no-prefix-key', query: 'a.b:1', doc: { a: { bc: '1' } }, expected: false, spec: 'kql.md: Matching 1: dotted names address nested objects' },
  { id: 'path-not-deeper', query: 'a:1', doc: { a: { b: '1' } }, expected: false, spec: 'kql.md: Matching 1: a field is its own path (a sub-field is another field)' },
  { id: 'path-array-any', query: 'a:2', doc: { a: ['1', '2', '3'] }, expected: true, spec: 'kql.md: Matching 2: a leaf predicate holds if ANY element holds' },
  { id: 'path-array-nested-arrays', query: 'a:3', doc: { a: [['1'], [['2', '3']]] }, expected: true, spec: 'semantics.md: arrays are transparent at every depth' },
  { id: 'path-array-of-objects', query: 'a.b:2', doc: { a: [{ b: '1' }, { b: '2' }] }, expected: true, spec: 'kql.md: Matching 2: Arrays of objects are flattened' },
  { id: 'path-array-of-objects-no-correlation', query: 'a.b:1 and a.c:2', doc: { a: [{ b: '1', c: '1' }, { b: '2', c: '2' }] }, expected: true, spec: 'kql.md: Matching 2: Arrays of objects are flattened (no per-element correlation)' },
  { id: 'path-array-of-objects-dotted', query: 'a.b.c:x', doc: { a: [{ 'b.c': 'x' }] }, expected: true, spec: 'kql.md: Matching 1 + 2: dotted keys inside arrays of objects' },
  { id: 'path-array-objects-mixed', query: 'a.b:x', doc: { a: ['x', { b: 'y' }, { b: ['z', 'x'] }] }, expected: true, spec: 'kql.md: Matching 2: Arrays of objects are flattened' },
  { id: 'path-scalar-not-object', query: 'a.b:x', doc: { a: 'x' }, expected: false, spec: 'kql.md: Matching 1: dotted names address nested objects' },
  { id: 'path-user-extra-dotted', query: 'kubernetes.audit.user.extra.authentication.kubernetes.io/pod-name:trivy-operator-*', doc: raw({ user: { username: 'system:serviceaccount:security:trivy-operator', extra: { 'authentication.kubernetes.io/pod-name': ['trivy-operator-7d9f'] } } }), expected: true, spec: 'kql.md: Matching 1: a literal dotted key at any level is equivalent (user.extra keys in the raw event)' },
  { id: 'path-at-timestamp', query: '@timestamp:*', doc: { '@timestamp': '2024-01-01T00:00:00Z' }, expected: true, spec: 'kql.md: Matching 1: Field names contain `/`, `@`, `-` freely' },
  { id: 'path-unicode-key', query: 'ключ.名前:värde', doc: { 'ключ': { '名前': 'värde' } }, expected: true, spec: 'kql.md: Matching 1: dotted names address nested objects (any characters)' },
  { id: 'path-key-with-space', query: '"a b.c":x', doc: { 'a b': { c: 'x' } }, expected: true, spec: 'kql.md: Matching 1: dotted names address nested objects' },
];

const MISSING: ConformanceCase[] = [
  { id: 'miss-exists-missing', query: 'f:*', doc: { g: 'x' }, expected: false, spec: 'kql.md: Matching 3: `f:*` is false for a missing field' },
  { id: 'miss-exists-null', query: 'f:*', doc: { f: null }, expected: false, spec: 'kql.md: Matching 3: `f:*` is false for ... `null`' },
  { id: 'miss-exists-empty-array', query: 'f:*', doc: { f: [] }, expected: false, spec: 'kql.md: Matching 3: `f:*` is false for ... `[]`' },
  { id: 'miss-exists-array-null', query: 'f:*', doc: { f: [null] }, expected: false, spec: 'kql.md: Matching 3: `f:*` is false for ... `[null]`' },
  { id: 'miss-exists-empty-string', query: 'f:*', doc: { f: '' }, expected: true, spec: 'kql.md: Matching 3: true for `""`' },
  { id: 'miss-exists-array-null-and-value', query: 'f:*', doc: { f: [null, 'x'] }, expected: true, spec: 'kql.md: Matching 2: a leaf predicate holds if ANY element holds' },
  { id: 'miss-exists-empty-object', query: 'f:*', doc: { f: {} }, expected: false, spec: 'semantics.md: exists on an object needs an indexed sub-field' },
  { id: 'miss-exists-object-with-field', query: 'f:*', doc: { f: { g: 'x' } }, expected: true, spec: 'semantics.md: exists on an object field checks its sub-fields' },
  { id: 'miss-exists-object-dotted', query: 'f:*', doc: { 'f.g': 'x' }, expected: true, spec: 'semantics.md: exists on an object field checks its sub-fields (dotted keys too)' },
  { id: 'miss-exists-zero', query: 'f:*', doc: { f: 0 }, expected: true, spec: 'kql.md: Matching 3: only missing, null, [] and [null] are "not existing"' },
  { id: 'miss-exists-false', query: 'f:*', doc: { f: false }, expected: true, spec: 'kql.md: Matching 3: only missing, null, [] and [null] are "not existing"' },
  { id: 'miss-positive-leaf-missing', query: 'f:x', doc: {}, expected: false, spec: 'kql.md: Matching 3: Every positive leaf on a missing field is false' },
  { id: 'miss-not-missing', query: 'not f:x', doc: {}, expected: true, spec: 'kql.md: Matching 3: `not` of it is true (document-level negation)' },
  { id: 'miss-not-null', query: 'not f:x', doc: { f: null }, expected: true, spec: 'kql.md: Matching 3: `not` of it is true (document-level negation)' },
  { id: 'miss-not-exists-missing', query: 'not f:*', doc: {}, expected: true, spec: 'kql.md: Matching 3: document-level negation' },
  { id: 'miss-not-exists-empty-string', query: 'not f:*', doc: { f: '' }, expected: false, spec: 'kql.md: Matching 3: true for `""`' },
  { id: 'miss-not-wildcard-missing', query: 'not f:a*', doc: {}, expected: true, spec: 'kql.md: Matching 3: document-level negation' },
  { id: 'miss-not-range-missing', query: 'not f > 1', doc: {}, expected: true, spec: 'kql.md: Matching 3: Every positive leaf on a missing field is false; `not` of it is true' },
  { id: 'miss-raw-empty-reason', query: 'kubernetes.audit.annotations.authorization_k8s_io/reason:*', doc: raw(), expected: false, spec: 'audit-to-ecs.md: `annotations."authorization.k8s.io/reason": ""` does NOT exist afterwards (so `...reason:*` is false for it)' },
  { id: 'miss-ecs-empty-reason', query: 'kubernetes.audit.annotations.authorization_k8s_io/reason:*', doc: ecs({}, { kubernetes: { audit: { annotations: { 'authorization_k8s_io/reason': '' } } } }), expected: true, spec: 'audit-to-ecs.md: Already-ECS input ... evaluated as is (kql.md Matching 3: true for `""`)' },
  { id: 'miss-raw-nonempty-reason', query: 'kubernetes.audit.annotations.authorization_k8s_io/reason:*', doc: raw({}, { 'authorization.k8s.io/decision': 'allow', 'authorization.k8s.io/reason': 'RBAC: allowed' }), expected: true, spec: 'audit-to-ecs.md: annotations mapped with dedotted keys' },
  { id: 'miss-raw-empty-object-removed', query: 'kubernetes.audit.responseStatus.metadata:*', doc: raw(), expected: false, spec: 'audit-to-ecs.md: removes ... every empty value (`""`, `{}`, `[]`, null) anywhere' },
  { id: 'miss-raw-emptied-parent-removed', query: 'not kubernetes.audit.user.extra:*', doc: raw({ user: { username: 'u', extra: { a: [], b: { c: null } } } }), expected: true, spec: 'semantics.md: a container emptied by its children\'s removal is removed too' },
  { id: 'miss-raw-empty-array-element', query: 'kubernetes.audit.user.groups:""', doc: raw({ user: { username: 'u', groups: ['', 'g'] } }), expected: false, spec: 'audit-to-ecs.md: removes ... every empty value ... anywhere (array elements too)' },
  { id: 'miss-ecs-empty-array-element', query: 'kubernetes.audit.user.groups:""', doc: { kubernetes: { audit: { user: { groups: ['', 'g'] } } } }, expected: true, spec: 'audit-to-ecs.md: Already-ECS input ... evaluated as is' },
  { id: 'miss-raw-request-metadata-removed', query: 'kubernetes.audit.requestObject.metadata.name:*', doc: raw({ requestObject: { metadata: { name: 'pod-1' }, spec: {} } }), expected: false, spec: 'audit-to-ecs.md: The pipeline also removes `requestObject.metadata` / `responseObject.metadata`' },
  { id: 'miss-raw-response-metadata-removed', query: 'kubernetes.audit.responseObject.metadata.uid:*', doc: raw({ responseObject: { metadata: { uid: 'u' }, kind: 'Pod' } }), expected: false, spec: 'audit-to-ecs.md: The pipeline also removes `requestObject.metadata` / `responseObject.metadata`' },
  { id: 'miss-raw-event-metadata-kept', query: 'kubernetes.audit.metadata.creationTimestamp:*', doc: raw({ metadata: { creationTimestamp: '2017-09-11T19:55:05Z' } }), expected: true, spec: 'audit-to-ecs.md: `kubernetes.audit.<path>` the same `<path>` in the raw event (only request/response metadata are removed)' },
  { id: 'miss-raw-request-spec-kept', query: 'kubernetes.audit.requestObject.spec.serviceAccountName:*', doc: raw({ requestObject: { metadata: { name: 'x' }, spec: { serviceAccountName: 'default' } } }), expected: true, spec: 'audit-to-ecs.md: `kubernetes.audit.<path>` the same `<path>` in the raw event' },
];

const KEYWORD: ConformanceCase[] = [
  { id: 'kw-exact', query: 'user.name:alice', doc: { user: { name: 'alice' } }, expected: true, spec: 'kql.md: Matching 4: equality is byte-exact' },
  { id: 'kw-case', query: 'user.name:alice', doc: { user: { name: 'Alice' } }, expected: false, spec: 'kql.md: Matching 4: equality is ... case-sensitive' },
  { id: 'kw-trailing-space-doc', query: 'user.name:alice', doc: { user: { name: 'alice ' } }, expected: false, spec: 'kql.md: Matching 4: equality is byte-exact' },
  { id: 'kw-unicode-nfc-nfd', query: 'user.name:"caf\u00e9"', doc: { user: { name: 'cafe\u0301' } }, expected: false, spec: 'kql.md: Matching 4: equality is byte-exact (no Unicode normalisation)' },
  { id: 'kw-astral', query: 'user.name:"😀x"', doc: { user: { name: '😀x' } }, expected: true, spec: 'kql.md: Matching 4: equality is byte-exact' },
  { id: 'kw-wild-prefix', query: 'user.name:ali*', doc: { user: { name: 'alice' } }, expected: true, spec: 'kql.md: Matching 4: wildcard is an anchored glob' },
  { id: 'kw-wild-anchored', query: 'user.name:lic*', doc: { user: { name: 'alice' } }, expected: false, spec: 'kql.md: Matching 4: wildcard is an anchored glob' },
  { id: 'kw-wild-empty-match', query: 'user.name:alice*', doc: { user: { name: 'alice' } }, expected: true, spec: 'kql.md: Matching 4: `*` matches any sequence (also empty ...)' },
  { id: 'kw-wild-slash', query: 'kubernetes.audit.requestURI:/api/*/secrets', doc: { kubernetes: { audit: { requestURI: '/api/v1/namespaces/default/secrets' } } }, expected: true, spec: 'kql.md: Matching 4: `*` matches any sequence (... also `/`)' },
  { id: 'kw-wild-middle', query: 'f:a*b*c', doc: { f: 'aXbYc' }, expected: true, spec: 'kql.md: Matching 4: wildcard is an anchored glob where `*` matches any sequence' },
  { id: 'kw-wild-overlap', query: 'f:ab*ba', doc: { f: 'aba' }, expected: false, spec: 'kql.md: Matching 4: wildcard is an anchored glob (parts do not overlap)' },
  { id: 'kw-wild-case', query: 'f:ABC*', doc: { f: 'abcdef' }, expected: false, spec: 'kql.md: Matching 4: case-sensitive (the detection engine never sets case-insensitive)' },
  { id: 'kw-wild-star-only-middle', query: 'f:*-*', doc: { f: 'a-b' }, expected: true, spec: 'kql.md: Matching 4: wildcard is an anchored glob' },
  { id: 'kw-wild-star-only-middle-2', query: 'f:*-*', doc: { f: 'ab' }, expected: false, spec: 'kql.md: Matching 4: wildcard is an anchored glob' },
  { id: 'kw-wild-question-literal', query: 'kubernetes.audit.requestURI:/api/v1/secrets?limit*', doc: { kubernetes: { audit: { requestURI: '/api/v1/secrets?limit=500' } } }, expected: true, spec: 'kql.md: Literals: `?` is not a wildcard (here a literal `?`)' },
  { id: 'kw-wild-question-literal-2', query: 'kubernetes.audit.requestURI:/api/v1/secrets?limit*', doc: { kubernetes: { audit: { requestURI: '/api/v1/secretsXlimit=500' } } }, expected: false, spec: 'kql.md: Literals: `?` is not a wildcard' },
  { id: 'kw-wild-escaped-colon', query: String.raw`f:*kubearmor\:kubearmor*`, doc: { f: 'docker.io/kubearmor:kubearmor-1.2' }, expected: true, spec: 'kql.md: Literals: `\\:` is `:` (inside a wildcard value)' },
  { id: 'kw-ignore-above-exact', query: 'user.name:*', doc: { user: { name: 'a'.repeat(1024) } }, expected: true, spec: 'kql.md: Matching 4: Values longer than `ignore_above` (1024 ...) are not indexed (1024 is not longer)' },
  { id: 'kw-ignore-above-over', query: 'user.name:*', doc: { user: { name: 'a'.repeat(1025) } }, expected: false, spec: 'kql.md: Matching 4: Values longer than `ignore_above` ... match nothing, not even `*`' },
  { id: 'kw-ignore-above-equal', query: `user.name:${'a'.repeat(1025)}`, doc: { user: { name: 'a'.repeat(1025) } }, expected: false, spec: 'kql.md: Matching 4: Values longer than `ignore_above` ... match nothing' },
  { id: 'kw-ignore-above-not', query: 'not user.name:*', doc: { user: { name: 'a'.repeat(1025) } }, expected: true, spec: 'kql.md: Matching 4: not indexed (so `not f:*` holds)' },
  { id: 'kw-ignore-above-utf16', query: 'user.name:*', doc: { user: { name: '😀'.repeat(513) } }, expected: false, spec: 'semantics.md: ignore_above counts UTF-16 code units (513 emoji = 1026 units)' },
  { id: 'kw-ignore-above-utf16-ok', query: 'user.name:*', doc: { user: { name: '😀'.repeat(512) } }, expected: true, spec: 'semantics.md: ignore_above counts UTF-16 code units (512 emoji = 1024 units)' },
  { id: 'kw-ignore-above-one-of-many', query: 'user.name:ok', doc: { user: { name: ['a'.repeat(2000), 'ok'] } }, expected: true, spec: 'kql.md: Matching 2 + 4: the short element is indexed' },
  { id: 'kw-ignore-above-unknown-field', query: 'some.field:*', doc: { some: { field: 'x'.repeat(1025) } }, expected: false, spec: 'kql.md: Unknown fields: keyword (with the table\'s ignore_above)' },
  { id: 'kw-constant-no-ignore-above', query: 'data_stream.dataset:*', doc: { data_stream: { dataset: 'x'.repeat(1100) } }, expected: true, spec: 'kql.md: `data_stream.dataset` | constant_keyword (exact comparison; no ignore_above)' },
  { id: 'kw-constant-exact', query: 'data_stream.dataset:kubernetes.audit_logs', doc: { data_stream: { dataset: 'kubernetes.audit_logs' } }, expected: true, spec: 'kql.md: `data_stream.dataset` | constant_keyword (exact comparison)' },
  { id: 'kw-constant-case', query: 'data_stream.dataset:Kubernetes.audit_logs', doc: { data_stream: { dataset: 'kubernetes.audit_logs' } }, expected: false, spec: 'kql.md: `data_stream.dataset` | constant_keyword (exact comparison)' },
  { id: 'kw-constant-wildcard', query: 'data_stream.dataset:kubernetes.*', doc: { data_stream: { dataset: 'kubernetes.audit_logs' } }, expected: true, spec: 'semantics.md: constant_keyword: like keyword' },
  { id: 'kw-number-text', query: 'f:200', doc: { f: 200 }, expected: true, spec: 'semantics.md: keyword: a number is indexed as its JSON text' },
  { id: 'kw-number-text-decimal', query: 'f:"1.0"', doc: { f: jsonNumber('1.0') }, expected: true, spec: 'semantics.md: keyword: a number is indexed as its JSON text as written' },
  { id: 'kw-number-text-not-value', query: 'f:1', doc: { f: jsonNumber('1.0') }, expected: false, spec: 'semantics.md: keyword: a number is indexed as its JSON text (not its value)' },
  { id: 'kw-number-exponent', query: 'f:1e3', doc: { f: jsonNumber('1e3') }, expected: true, spec: 'semantics.md: keyword: a number is indexed as its JSON text as written' },
  { id: 'kw-bool-false', query: 'f:false', doc: { f: false }, expected: true, spec: 'semantics.md: keyword: a boolean is indexed as `true`/`false`' },
  { id: 'kw-bool-quoted', query: 'f:"false"', doc: { f: false }, expected: true, spec: 'semantics.md: keyword: a boolean is indexed as `true`/`false`' },
  { id: 'kw-object-value', query: 'f:x', doc: { f: { x: 'x' } }, expected: false, spec: 'semantics.md: the values of a field are the scalars reached (an object is not a value)' },
  { id: 'kw-range-lex', query: 'f > 10', doc: { f: '9' }, expected: true, spec: 'kql.md: Matching 6: Ranges compare ... lexicographically for keywords' },
  { id: 'kw-range-lex-2', query: 'f < b', doc: { f: 'abc' }, expected: true, spec: 'kql.md: Matching 6: lexicographically for keywords' },
  { id: 'kw-range-gte-equal', query: 'f >= abc', doc: { f: 'abc' }, expected: true, spec: 'kql.md: Matching 6: lexicographically (inclusive bound)' },
  { id: 'kw-range-gt-equal', query: 'f > abc', doc: { f: 'abc' }, expected: false, spec: 'kql.md: Matching 6: lexicographically (exclusive bound)' },
  { id: 'kw-range-prefix-shorter', query: 'f < abc', doc: { f: 'ab' }, expected: true, spec: 'kql.md: Matching 6: lexicographically (a prefix sorts first)' },
  { id: 'kw-range-case', query: 'f < a', doc: { f: 'Z' }, expected: true, spec: 'kql.md: Matching 6: lexicographically (byte order: upper case before lower case)' },
  { id: 'kw-range-utf8-order', query: 'f > "\uffff"', doc: { f: '😀' }, expected: true, spec: 'semantics.md: keyword ranges: UTF-8 byte order (code point order, not UTF-16 order)' },
  { id: 'kw-range-number-text', query: 'f >= 100', doc: { f: 99 }, expected: true, spec: 'kql.md: Matching 6: lexicographically for keywords ("99" > "100")' },
  { id: 'kw-range-over-ignore-above', query: 'f > a', doc: { f: 'b'.repeat(1025) }, expected: false, spec: 'kql.md: Matching 4: not indexed and match nothing' },
];
