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

const codeDoc = (code: unknown) => ({ kubernetes: { audit: { responseStatus: { code } } } });

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
  { id: 'gram-range-null-bound', query: 'kubernetes.audit.responseStatus.code < null', doc: codeDoc(403), expected: true, spec: 'semantics.md: the unquoted word `null` as a range bound means no bound (Kibana sends a JSON null)' },
  { id: 'gram-range-null-bound-missing', query: 'kubernetes.audit.responseStatus.code < null', doc: codeDoc('x'), expected: false, spec: 'semantics.md: a null range bound: true if f has any indexed value' },
  { id: 'gram-range-quoted-null-bound', query: 'user.name < "null"', doc: { user: { name: 'zed' } }, expected: false, spec: 'kql.md: Literals: quoted values are plain strings ("zed" > "null")' },
  { id: 'gram-range-quoted-null-bound-2', query: 'user.name < "null"', doc: { user: { name: 'abc' } }, expected: true, spec: 'kql.md: Literals: quoted values are plain strings' },
  { id: 'gram-range-star-literal', query: 'user.name >= a*', doc: { user: { name: 'a+' } }, expected: true, spec: 'semantics.md: a range literal\'s `*` is a plain character ("a+" >= "a*")' },
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

const groupsDoc = (groups: unknown) => raw({ user: { username: 'system:serviceaccount:flux-system:kustomize-controller', groups } });
const imageDoc = (...images: string[]) => raw({ verb: 'create', objectRef: { resource: 'pods', namespace: 'default', name: 'p' }, requestObject: { kind: 'Pod', spec: { containers: images.map((image, i) => ({ name: `c${i}`, image })) } } });

const TEXT: ConformanceCase[] = [
  { id: 'text-groups-keyword-exact', query: 'kubernetes.audit.user.groups:"system:serviceaccounts:flux-system"', doc: groupsDoc(['system:serviceaccounts', 'system:serviceaccounts:flux-system']), expected: true, spec: 'kql.md: Field types: `kubernetes.audit.user.groups` | keyword (default table)' },
  { id: 'text-groups-keyword-case', query: 'kubernetes.audit.user.groups:"SYSTEM:SERVICEACCOUNTS:FLUX-SYSTEM"', doc: groupsDoc(['system:serviceaccounts:flux-system']), expected: false, spec: 'kql.md: Matching 4: Keyword fields: equality is ... case-sensitive' },
  { id: 'text-groups-text-case', query: 'kubernetes.audit.user.groups:"SYSTEM:SERVICEACCOUNTS:FLUX-SYSTEM"', doc: groupsDoc(['system:serviceaccounts:flux-system']), expected: true, fields: 'text', spec: 'kql.md: Matching 5: Text fields are analysed (standard analyzer: lower-cased tokens)' },
  { id: 'text-groups-text-phrase-partial', query: 'kubernetes.audit.user.groups:"system:serviceaccounts:flux-system"', doc: groupsDoc(['system:serviceaccounts:flux']), expected: false, fields: 'text', spec: 'kql.md: Matching 5: quoted = phrase (`match_phrase`)' },
  { id: 'text-groups-text-token-any', query: 'kubernetes.audit.user.groups:system\\:serviceaccounts\\:flux', doc: groupsDoc(['system:serviceaccounts:flux-system']), expected: true, fields: 'text', spec: 'kql.md: Matching 5: unquoted value = any token matches (`match`): `system:serviceaccounts:flux` is one token' },
  { id: 'text-groups-keyword-no-token', query: 'kubernetes.audit.user.groups:system\\:serviceaccounts\\:flux', doc: groupsDoc(['system:serviceaccounts:flux-system']), expected: false, spec: 'kql.md: Matching 4: Keyword fields: equality is byte-exact' },
  { id: 'text-groups-text-wildcard', query: 'kubernetes.audit.user.groups:system\\:serviceaccounts\\:cluster-fleet-local-local-*', doc: groupsDoc(['system:serviceaccounts:cluster-fleet-local-local-1a2b']), expected: false, fields: 'text', spec: 'kql.md: Matching 5: wildcard = per-token (the pattern spans a `-` token break, so no single token matches)' },
  { id: 'text-groups-keyword-wildcard', query: 'kubernetes.audit.user.groups:system\\:serviceaccounts\\:cluster-fleet-local-local-*', doc: groupsDoc(['system:serviceaccounts:cluster-fleet-local-local-1a2b']), expected: true, spec: 'kql.md: Matching 4: wildcard is an anchored glob (keyword)' },
  { id: 'text-groups-text-wildcard-token', query: 'kubernetes.audit.user.groups:FLUX*', doc: groupsDoc(['system:serviceaccounts:flux-system']), expected: false, fields: 'text', spec: 'kql.md: Matching 5: wildcard = per-token, case-insensitive (no token starts with "flux": the first is system:serviceaccounts:flux)' },
  { id: 'text-groups-text-wildcard-token-2', query: 'kubernetes.audit.user.groups:SYST*', doc: groupsDoc(['system:serviceaccounts:flux-system']), expected: true, fields: 'text', spec: 'kql.md: Matching 5: wildcard = per-token, case-insensitive' },
  { id: 'text-image-keyword-prefix', query: 'kubernetes.audit.requestObject.spec.containers.image:docker.elastic.co/beats/elastic-agent*', doc: imageDoc('docker.elastic.co/beats/elastic-agent:8.11.0'), expected: true, spec: 'kql.md: Field types: keyword ... is also what makes the pack\'s wildcard exclusions on image names work' },
  { id: 'text-image-text-prefix', query: 'kubernetes.audit.requestObject.spec.containers.image:docker.elastic.co/beats/elastic-agent*', doc: imageDoc('docker.elastic.co/beats/elastic-agent:8.11.0'), expected: false, fields: 'text', spec: 'kql.md: Field types: ... the pack\'s wildcard exclusions on image names (do not work on text: `/` breaks tokens)' },
  { id: 'text-image-text-token', query: 'kubernetes.audit.requestObject.spec.containers.image:elastic', doc: imageDoc('docker.elastic.co/beats/elastic-agent:8.11.0'), expected: true, fields: 'text', spec: 'kql.md: Matching 5: unquoted value = any token matches' },
  { id: 'text-image-keyword-token', query: 'kubernetes.audit.requestObject.spec.containers.image:elastic', doc: imageDoc('docker.elastic.co/beats/elastic-agent:8.11.0'), expected: false, spec: 'kql.md: Matching 4: keyword equality is byte-exact' },
  { id: 'text-image-text-phrase', query: 'kubernetes.audit.requestObject.spec.containers.image:"Beats/Elastic-Agent"', doc: imageDoc('docker.elastic.co/beats/elastic-agent:8.11.0'), expected: true, fields: 'text', spec: 'kql.md: Matching 5: quoted = phrase (`match_phrase`), lower-cased tokens' },
  { id: 'text-image-text-phrase-order', query: 'kubernetes.audit.requestObject.spec.containers.image:"agent elastic"', doc: imageDoc('docker.elastic.co/beats/elastic-agent:8.11.0'), expected: false, fields: 'text', spec: 'kql.md: Matching 5: quoted = phrase (order matters)' },
  { id: 'text-image-text-phrase-across-elements', query: 'kubernetes.audit.requestObject.spec.containers.image:"nginx busybox"', doc: imageDoc('nginx', 'busybox'), expected: false, fields: 'text', spec: 'semantics.md: text: a phrase never spans two array elements' },
  { id: 'text-image-text-multi-token-or', query: 'kubernetes.audit.requestObject.spec.containers.image:redis nothing', doc: imageDoc('library/redis:7'), expected: true, fields: 'text', spec: 'kql.md: Matching 5: unquoted value = any token matches (`match`, OR of the query tokens)' },
  { id: 'text-image-text-empty-query-tokens', query: 'kubernetes.audit.requestObject.spec.containers.image:"//"', doc: imageDoc('a//b'), expected: false, fields: 'text', spec: 'semantics.md: text: a literal without tokens matches nothing' },
  { id: 'text-image-text-wildcard-token', query: 'kubernetes.audit.requestObject.spec.containers.image:*datadog*', doc: imageDoc('gcr.io/datadoghq/agent:7'), expected: true, fields: 'text', spec: 'kql.md: Matching 5: wildcard = per-token' },
  { id: 'text-image-keyword-wildcard-contains', query: 'kubernetes.audit.requestObject.spec.containers.image:*datadog-agent*', doc: imageDoc('gcr.io/datadoghq/agent:7'), expected: false, spec: 'kql.md: Matching 4: wildcard is an anchored glob' },
  { id: 'text-image-text-exists', query: 'kubernetes.audit.requestObject.spec.containers.image:*', doc: imageDoc('nginx'), expected: true, fields: 'text', spec: 'kql.md: Literals: A value that is exactly `*` means "exists"' },
  { id: 'text-sourceips-text-token', query: 'kubernetes.audit.sourceIPs:10.1.2.3', doc: raw(), expected: true, fields: 'text', spec: 'kql.md: Field types: the integration\'s own `fields.yml` maps ... `sourceIPs` ... as text (10.1.2.3 is one token)' },
  { id: 'text-sourceips-text-no-cidr', query: 'kubernetes.audit.sourceIPs:10.0.0.0/8', doc: raw(), expected: false, fields: 'text', spec: 'kql.md: Matching 6: IP fields accept CIDR (a text field does not)' },
  { id: 'text-sourceips-ip-cidr', query: 'kubernetes.audit.sourceIPs:10.0.0.0/8', doc: raw(), expected: true, spec: 'kql.md: Matching 6: IP fields accept CIDR: `source.ip:10.0.0.0/8`' },
  { id: 'text-sourceips-text-ipv6-tokens', query: 'kubernetes.audit.sourceIPs:fe80', doc: raw({ sourceIPs: ['fe80::1'] }), expected: true, fields: 'text', spec: 'semantics.md: Text analysis: `:` joins letters only, so fe80::1 gives fe80 and 1' },
  { id: 'text-groups-text-number-token', query: 'kubernetes.audit.user.groups:1.5', doc: groupsDoc(['v1.5', '1.5']), expected: true, fields: 'text', spec: 'semantics.md: Text analysis: WB11/12 keep 1.5 one token' },
  { id: 'text-groups-text-boolean-literal', query: 'kubernetes.audit.user.groups:true', doc: groupsDoc(['TRUE story']), expected: true, fields: 'text', spec: 'kql.md: Matching 5: unquoted value = any token matches (the literal true is the text "true")' },
  { id: 'text-groups-text-range', query: 'kubernetes.audit.user.groups >= system\\:z', doc: groupsDoc(['system:authenticated']), expected: false, fields: 'text', spec: 'semantics.md: text range: any token vs the literal (UTF-8 order)' },
  { id: 'text-groups-text-unicode-lowercase', query: 'kubernetes.audit.user.groups:ÉQUIPE', doc: groupsDoc(['équipe-a']), expected: true, fields: 'text', spec: 'kql.md: Matching 5: standard analyzer: lower-cased tokens (Unicode)' },
  { id: 'text-groups-text-not', query: 'not kubernetes.audit.user.groups:"system:serviceaccounts:ibm-csi"', doc: groupsDoc(['system:serviceaccounts:ibm-csi']), expected: false, fields: 'text', spec: 'kql.md: Matching 5: quoted = phrase (the whole value is a phrase of its tokens)' },
];

const NUMBERS: ConformanceCase[] = [
  { id: 'num-string-literal', query: 'kubernetes.audit.responseStatus.code:403', doc: codeDoc(403), expected: true, spec: 'kql.md: Matching 6: the literal string is coerced to the field\'s type (`"200"` equals integer 200)' },
  { id: 'num-quoted-literal', query: 'kubernetes.audit.responseStatus.code:"403"', doc: codeDoc(403), expected: true, spec: 'kql.md: Matching 6: the literal string is coerced' },
  { id: 'num-doc-string', query: 'kubernetes.audit.responseStatus.code:403', doc: codeDoc('403'), expected: true, spec: 'semantics.md: numeric: a string document value holding a number is coerced' },
  { id: 'num-doc-string-spaces', query: 'kubernetes.audit.responseStatus.code:403', doc: codeDoc(' 403 '), expected: true, spec: 'semantics.md: numeric: number text is trimmed (Java trim)' },
  { id: 'num-literal-leading-zero', query: 'kubernetes.audit.responseStatus.code:0403', doc: codeDoc(403), expected: true, spec: 'kql.md: Matching 6: coerced to the field\'s type (0403 is 403)' },
  { id: 'num-literal-decimal-zero', query: 'kubernetes.audit.responseStatus.code:403.0', doc: codeDoc(403), expected: true, spec: 'semantics.md: numeric: "200.0" and 2e2 equal 200 on integer types' },
  { id: 'num-literal-exponent', query: 'kubernetes.audit.responseStatus.code:4.03e2', doc: codeDoc(403), expected: true, spec: 'semantics.md: numeric: number syntax with exponent' },
  { id: 'num-literal-fraction', query: 'kubernetes.audit.responseStatus.code:403.5', doc: codeDoc(403), expected: false, spec: 'semantics.md: numeric: on an integer type a literal with a fractional part matches nothing' },
  { id: 'num-doc-fraction-truncated', query: 'kubernetes.audit.responseStatus.code:403', doc: codeDoc(403.9), expected: true, spec: 'semantics.md: numeric: integer types truncate a document fraction (coerce)' },
  { id: 'num-literal-not-a-number', query: 'kubernetes.audit.responseStatus.code:forbidden', doc: codeDoc(403), expected: false, spec: 'kql.md: Matching 6: a value that cannot be coerced matches nothing' },
  { id: 'num-not-uncoercible', query: 'not kubernetes.audit.responseStatus.code:forbidden', doc: codeDoc(403), expected: true, spec: 'semantics.md: values that cannot be coerced match nothing, so `not` of them is true' },
  { id: 'num-doc-not-a-number', query: 'kubernetes.audit.responseStatus.code:*', doc: codeDoc('Forbidden'), expected: false, spec: 'semantics.md: numeric: a value that cannot be coerced is not indexed' },
  { id: 'num-doc-boolean', query: 'kubernetes.audit.responseStatus.code:*', doc: codeDoc(true), expected: false, spec: 'semantics.md: numeric: booleans are not indexed' },
  { id: 'num-doc-out-of-range', query: 'kubernetes.audit.responseStatus.code:*', doc: codeDoc(3000000000), expected: false, spec: 'semantics.md: numeric: integer values out of the type\'s range are not indexed' },
  { id: 'num-literal-out-of-range', query: 'kubernetes.audit.responseStatus.code:3000000000', doc: codeDoc(403), expected: false, spec: 'semantics.md: numeric: a literal out of the type\'s range matches nothing' },
  { id: 'num-wildcard', query: 'kubernetes.audit.responseStatus.code:40*', doc: codeDoc(403), expected: false, spec: 'semantics.md: a wildcard on a numeric field matches nothing (ES rejects it)' },
  { id: 'num-boolean-literal', query: 'kubernetes.audit.responseStatus.code:true', doc: codeDoc(1), expected: false, spec: 'kql.md: Matching 6: a value that cannot be coerced matches nothing' },
  { id: 'num-range-gte', query: 'kubernetes.audit.responseStatus.code >= 400', doc: codeDoc(403), expected: true, spec: 'kql.md: Matching 6: Ranges compare numerically for numbers' },
  { id: 'num-range-numeric-not-lexical', query: 'kubernetes.audit.responseStatus.code > 99', doc: codeDoc(100), expected: true, spec: 'kql.md: Matching 6: Ranges compare numerically for numbers' },
  { id: 'num-range-lt', query: 'kubernetes.audit.responseStatus.code < 400', doc: codeDoc(403), expected: false, spec: 'kql.md: Matching 6: Ranges compare numerically' },
  { id: 'num-range-fraction-bound', query: 'kubernetes.audit.responseStatus.code > 402.5', doc: codeDoc(403), expected: true, spec: 'semantics.md: numeric range: integer value vs the real literal' },
  { id: 'num-range-fraction-bound-2', query: 'kubernetes.audit.responseStatus.code <= 402.5', doc: codeDoc(403), expected: false, spec: 'semantics.md: numeric range: integer value vs the real literal' },
  { id: 'num-range-doc-string', query: 'kubernetes.audit.responseStatus.code >= 400', doc: codeDoc('500'), expected: true, spec: 'semantics.md: numeric: string document values are coerced' },
  { id: 'num-range-bad-literal', query: 'kubernetes.audit.responseStatus.code >= abc', doc: codeDoc(500), expected: false, spec: 'kql.md: Matching 6: a value that cannot be coerced matches nothing' },
  { id: 'num-range-array', query: 'kubernetes.audit.responseStatus.code >= 500', doc: codeDoc([200, 503]), expected: true, spec: 'kql.md: Matching 2: a leaf predicate holds if ANY element holds' },
  { id: 'num-raw-event', query: 'kubernetes.audit.responseStatus.code:403', doc: raw(), expected: true, spec: 'audit-to-ecs.md: `kubernetes.audit.<path>` ... `responseStatus.code`' },
  { id: 'num-number-text-kept', query: 'kubernetes.audit.responseStatus.code:403', doc: codeDoc(jsonNumber('403.0')), expected: true, spec: 'semantics.md: numeric: a JSON number\'s value' },
  { id: 'num-unknown-field-keyword', query: 'kubernetes.audit.responseStatus.other:403.0', doc: { kubernetes: { audit: { responseStatus: { other: 403 } } } }, expected: false, spec: 'kql.md: Unknown fields: keyword (exact, case-sensitive): "403" is not "403.0"' },
];

const specDoc = (spec: Obj) => raw({ verb: 'create', objectRef: { resource: 'pods', namespace: 'default', name: 'p' }, requestObject: { kind: 'Pod', metadata: { name: 'p' }, spec } });

const BOOLEANS: ConformanceCase[] = [
  { id: 'bool-true', query: 'kubernetes.audit.requestObject.spec.hostNetwork:true', doc: specDoc({ hostNetwork: true }), expected: true, spec: 'kql.md: Matching 6: `true` equals boolean true' },
  { id: 'bool-false', query: 'kubernetes.audit.requestObject.spec.hostNetwork:true', doc: specDoc({ hostNetwork: false }), expected: false, spec: 'kql.md: Matching 6: `true` equals boolean true' },
  { id: 'bool-quoted', query: 'kubernetes.audit.requestObject.spec.hostNetwork:"true"', doc: specDoc({ hostNetwork: true }), expected: true, spec: 'semantics.md: boolean: the strings true/false are accepted as query values' },
  { id: 'bool-doc-string', query: 'kubernetes.audit.requestObject.spec.hostNetwork:true', doc: specDoc({ hostNetwork: 'true' }), expected: true, spec: 'semantics.md: boolean: documents may hold "true"/"false"' },
  { id: 'bool-doc-empty-string-false', query: 'kubernetes.audit.requestObject.spec.hostNetwork:false', doc: { kubernetes: { audit: { requestObject: { spec: { hostNetwork: '' } } } } }, expected: true, spec: 'semantics.md: boolean: "" is false' },
  { id: 'bool-doc-empty-string-raw-removed', query: 'kubernetes.audit.requestObject.spec.hostNetwork:false', doc: specDoc({ hostNetwork: '' }), expected: false, spec: 'audit-to-ecs.md: every empty value ... removed (before any typing)' },
  { id: 'bool-doc-uppercase', query: 'kubernetes.audit.requestObject.spec.hostNetwork:*', doc: specDoc({ hostNetwork: 'True' }), expected: false, spec: 'semantics.md: boolean: other strings are not indexed' },
  { id: 'bool-doc-number', query: 'kubernetes.audit.requestObject.spec.hostNetwork:true', doc: specDoc({ hostNetwork: 1 }), expected: false, spec: 'semantics.md: boolean: numbers are not indexed' },
  { id: 'bool-literal-yes', query: 'kubernetes.audit.requestObject.spec.hostNetwork:yes', doc: specDoc({ hostNetwork: true }), expected: false, spec: 'kql.md: Matching 6: a value that cannot be coerced matches nothing' },
  { id: 'bool-literal-one', query: 'kubernetes.audit.requestObject.spec.hostNetwork:1', doc: specDoc({ hostNetwork: true }), expected: false, spec: 'kql.md: Matching 6: a value that cannot be coerced matches nothing' },
  { id: 'bool-wildcard', query: 'kubernetes.audit.requestObject.spec.hostNetwork:t*', doc: specDoc({ hostNetwork: true }), expected: false, spec: 'semantics.md: a wildcard on a boolean field matches nothing' },
  { id: 'bool-privileged-any-container', query: 'kubernetes.audit.requestObject.spec.containers.securityContext.privileged:true', doc: specDoc({ containers: [{ name: 'a', securityContext: { privileged: false } }, { name: 'b', securityContext: { privileged: true } }] }), expected: true, spec: 'kql.md: Matching 2: Arrays of objects are flattened' },
  { id: 'bool-privileged-not', query: 'not kubernetes.audit.requestObject.spec.containers.securityContext.privileged:true', doc: specDoc({ containers: [{ name: 'a' }] }), expected: true, spec: 'kql.md: Matching 3: document-level negation' },
  { id: 'bool-hostpid-exists-false', query: 'kubernetes.audit.requestObject.spec.hostPID:*', doc: specDoc({ hostPID: false }), expected: true, spec: 'kql.md: Matching 3: `f:*` ... (false is a value)' },
  { id: 'bool-unknown-field-keyword', query: 'kubernetes.audit.requestObject.spec.other:true', doc: specDoc({ other: 'True' }), expected: false, spec: 'kql.md: Unknown fields: keyword (exact, case-sensitive)' },
  { id: 'bool-range', query: 'kubernetes.audit.requestObject.spec.hostIPC > false', doc: specDoc({ hostIPC: true }), expected: true, spec: 'semantics.md: boolean range: false < true' },
];

// Event time of ecsAt(...) records is their @timestamp; `now` in date math is that time.
const ecsAt = (timestamp: string, extra: Obj = {}) => ({ '@timestamp': timestamp, ...extra });
const rawAt = (stageTimestamp: string, extra: Obj = {}) => raw({ stageTimestamp, ...extra });

const DATES: ConformanceCase[] = [
  { id: 'date-equal-day-start', query: '@timestamp:2024-01-01', doc: ecsAt('2024-01-01T00:00:00Z'), expected: true, spec: 'semantics.md: date equality covers the literal\'s precision: `@timestamp:2024-01-01` covers that whole UTC day' },
  { id: 'date-equal-day-end', query: '@timestamp:2024-01-01', doc: ecsAt('2024-01-01T23:59:59.999Z'), expected: true, spec: 'semantics.md: date equality covers the literal\'s precision (round up: 23:59:59.999)' },
  { id: 'date-equal-next-day', query: '@timestamp:2024-01-01', doc: ecsAt('2024-01-02T00:00:00Z'), expected: false, spec: 'semantics.md: date equality covers the literal\'s precision' },
  { id: 'date-equal-minute', query: '@timestamp:"2024-01-01T10:00"', doc: ecsAt('2024-01-01T10:00:59.5Z'), expected: true, spec: 'semantics.md: date equality: `...T10:00` covers that minute' },
  { id: 'date-equal-minute-out', query: '@timestamp:"2024-01-01T10:00"', doc: ecsAt('2024-01-01T10:01:00Z'), expected: false, spec: 'semantics.md: date equality: `...T10:00` covers that minute' },
  { id: 'date-equal-second-fraction-roundup', query: '@timestamp:"2024-01-01T10:00:05"', doc: ecsAt('2024-01-01T10:00:05.999Z'), expected: true, spec: 'semantics.md: date: the fraction rounds up even when seconds are given' },
  { id: 'date-equal-millis', query: '@timestamp:"2024-01-01T10:00:05.5Z"', doc: ecsAt('2024-01-01T10:00:05.500Z'), expected: true, spec: 'semantics.md: date equality: `...T10:00:05.5` is exactly ms 500' },
  { id: 'date-equal-millis-out', query: '@timestamp:"2024-01-01T10:00:05.5Z"', doc: ecsAt('2024-01-01T10:00:05.501Z'), expected: false, spec: 'semantics.md: date equality: `...T10:00:05.5` is exactly ms 500' },
  { id: 'date-equal-year-quirk', query: '@timestamp:2024', doc: ecsAt('2024-06-01T00:00:00Z'), expected: false, spec: 'semantics.md: rounding up, missing month and day are 01 (ES\'s documented round-up defaults): `2024` covers only 2024-01-01' },
  { id: 'date-equal-year-quirk-2', query: '@timestamp:2024', doc: ecsAt('2024-01-01T12:00:00Z'), expected: true, spec: 'semantics.md: rounding up, missing month and day are 01' },
  { id: 'date-equal-offset', query: '@timestamp:"2024-01-01T10:00:00+02:00"', doc: ecsAt('2024-01-01T08:00:00.400Z'), expected: true, spec: 'semantics.md: dates: offsets, UTC otherwise; the second is covered' },
  { id: 'date-doc-offset', query: '@timestamp:2024-01-01', doc: ecsAt('2024-01-02T01:00:00+02:00'), expected: true, spec: 'semantics.md: dates: documents with an offset are converted to UTC' },
  { id: 'date-doc-nanos', query: 'kubernetes.audit.stageTimestamp:"2025-03-04T06:22:18.822Z"', doc: raw(), expected: true, spec: 'semantics.md: date: milliseconds (sub-millisecond digits dropped)' },
  { id: 'date-doc-epoch-millis', query: '@timestamp:"2023-11-14T22:13:20Z"', doc: { '@timestamp': 1700000000000 }, expected: true, spec: 'semantics.md: dates: epoch_millis' },
  { id: 'date-doc-epoch-string', query: '@timestamp:"2023-11-14T22:13:20Z"', doc: { '@timestamp': '1700000000000' }, expected: true, spec: 'semantics.md: dates: epoch_millis' },
  { id: 'date-doc-invalid', query: '@timestamp:*', doc: { '@timestamp': '2024-13-01T00:00:00Z' }, expected: false, spec: 'semantics.md: date: invalid calendar dates are not indexed' },
  { id: 'date-doc-space-separator', query: '@timestamp:*', doc: { '@timestamp': '2024-01-01 10:00:00' }, expected: false, spec: 'semantics.md: date: strict_date_optional_time needs `T`' },
  { id: 'date-literal-invalid', query: '@timestamp:yesterday', doc: ecsAt('2024-01-01T00:00:00Z'), expected: false, spec: 'kql.md: Matching 6: a value that cannot be coerced matches nothing' },
  { id: 'date-wildcard', query: '@timestamp:2024*', doc: ecsAt('2024-01-01T00:00:00Z'), expected: false, spec: 'semantics.md: a wildcard on a date field matches nothing' },
  { id: 'date-range-gte-day', query: '@timestamp >= 2024-01-01', doc: ecsAt('2024-01-01T00:00:00Z'), expected: true, spec: 'kql.md: Matching 6: Ranges compare ... chronologically for dates (gte rounds down)' },
  { id: 'date-range-gt-day', query: '@timestamp > 2024-01-01', doc: ecsAt('2024-01-01T12:00:00Z'), expected: false, spec: 'semantics.md: date range: `gt` rounds the literal UP' },
  { id: 'date-range-lte-day', query: '@timestamp <= 2024-01-01', doc: ecsAt('2024-01-01T12:00:00Z'), expected: true, spec: 'semantics.md: date range: `lte` rounds the literal UP' },
  { id: 'date-range-lt-day', query: '@timestamp < 2024-01-01', doc: ecsAt('2024-01-01T12:00:00Z'), expected: false, spec: 'semantics.md: date range: `lt` rounds the literal DOWN' },
  { id: 'date-range-now-5m-in', query: 'kubernetes.audit.requestReceivedTimestamp >= now-5m', doc: rawAt('2025-03-04T06:25:00Z', { requestReceivedTimestamp: '2025-03-04T06:21:00Z' }), expected: true, spec: 'kql.md: Matching 6: date math like `now-5m` is valid there (now = the record\'s event time: stageTimestamp)' },
  { id: 'date-range-now-5m-out', query: 'kubernetes.audit.requestReceivedTimestamp >= now-5m', doc: rawAt('2025-03-04T06:25:00Z', { requestReceivedTimestamp: '2025-03-04T06:19:59Z' }), expected: false, spec: 'kql.md: Matching 6: date math like `now-5m` (now = event time, never the wall clock)' },
  { id: 'date-range-now-d', query: '@timestamp >= now/d', doc: ecsAt('2024-05-15T00:00:00Z'), expected: true, spec: 'semantics.md: date math: `/d` rounds to the start of the day (gte rounds down)' },
  { id: 'date-range-now-d-gt', query: '@timestamp > now/d', doc: ecsAt('2024-05-15T10:00:00Z'), expected: false, spec: 'semantics.md: date math: `gt now/d` rounds up to the end of the day' },
  { id: 'date-range-now-minus-1d', query: 'event.ingested < now-1d', doc: ecsAt('2024-05-15T10:00:00Z', { event: { ingested: '2024-05-14T09:59:59Z' } }), expected: true, spec: 'semantics.md: date math with now = event time (@timestamp)' },
  { id: 'date-range-anchor-math', query: '@timestamp < "2024-01-01||+1d"', doc: ecsAt('2024-01-01T23:59:59.999Z'), expected: true, spec: 'semantics.md: date math: `2024-01-01||+1d`' },
  { id: 'date-range-anchor-math-2', query: '@timestamp < "2024-01-01||+1d"', doc: ecsAt('2024-01-02T00:00:00Z'), expected: false, spec: 'semantics.md: date math: `2024-01-01||+1d` (the anchor is not rounded)' },
  { id: 'date-range-month-clamp', query: '@timestamp >= "2024-01-31||+1M"', doc: ecsAt('2024-02-29T00:00:00Z'), expected: true, spec: 'semantics.md: date math: months clamp the day to the month\'s length' },
  { id: 'date-equal-now', query: '@timestamp:now', doc: ecsAt('2024-05-15T10:00:00.123Z'), expected: true, spec: 'semantics.md: date equality with date math: `now` is the event time' },
  { id: 'date-equal-now-d', query: 'kubernetes.audit.requestReceivedTimestamp:now/d', doc: rawAt('2025-03-04T23:00:00Z', { requestReceivedTimestamp: '2025-03-04T00:00:01Z' }), expected: true, spec: 'semantics.md: date equality with rounding: [start of day, end of day]' },
  { id: 'date-host-time-now', query: '@timestamp >= now-1h', doc: { event: { created: 'x' } }, expected: false, spec: 'kql.md: Matching 3: Every positive leaf on a missing field is false' },
  { id: 'date-range-host-time', query: 'kubernetes.audit.stageTimestamp >= now-1h', doc: { kubernetes: { audit: { stageTimestamp: '2024-12-31T23:30:00Z' } } }, expected: true, spec: 'new-terms.md: Event time ... 4. the host\'s record time (an ECS record without @timestamp: now = host time 2025-01-01T00:00Z)' },
  { id: 'date-range-host-time-out', query: 'kubernetes.audit.stageTimestamp >= now-1h', doc: { kubernetes: { audit: { stageTimestamp: '2024-12-31T22:59:59Z' } } }, expected: false, spec: 'new-terms.md: Event time ... 4. the host\'s record time' },
  { id: 'date-glob-type', query: 'x.y.stageTimestamp:2025-03-04', doc: { x: { y: { stageTimestamp: '2025-03-04T06:22:18Z' } } }, expected: true, spec: 'kql.md: Field types: `*.stageTimestamp` | date' },
  { id: 'date-keyword-not-date', query: 'kubernetes.audit.metadata.creationTimestamp:2017-09-11', doc: raw({ metadata: { creationTimestamp: '2017-09-11T19:55:05Z' } }), expected: false, spec: 'kql.md: Unknown fields: keyword (exact)' },
  { id: 'date-old-format-now', query: 'kubernetes.audit.x.stageTimestamp >= now', doc: { kind: 'Event', apiVersion: 'audit.k8s.io/v1', auditID: 'x', timestamp: '2017-09-11T19:55:05Z', x: { stageTimestamp: '2017-09-11T19:55:05Z' } }, expected: true, spec: 'new-terms.md: Event time 3. for a raw audit event: ... then `timestamp` (older audit format)' },
  { id: 'date-override-not-used-for-now', query: 'kubernetes.audit.requestReceivedTimestamp >= now', doc: rawAt('2025-03-04T06:22:18.822Z', { requestReceivedTimestamp: '2025-03-04T06:22:18.822Z' }), expected: true, spec: 'new-terms.md: Event time 3: stageTimestamp first' },
];

const IPS: ConformanceCase[] = [
  { id: 'ip-exact', query: 'source.ip:10.1.2.3', doc: raw(), expected: true, spec: 'audit-to-ecs.md: `source.ip`, `client.ip` | `sourceIPs` (array)' },
  { id: 'ip-cidr', query: 'source.ip:10.0.0.0/8', doc: raw(), expected: true, spec: 'kql.md: Matching 6: IP fields accept CIDR: `source.ip:10.0.0.0/8`' },
  { id: 'ip-cidr-out', query: 'source.ip:192.168.0.0/16', doc: raw(), expected: false, spec: 'kql.md: Matching 6: IP fields accept CIDR' },
  { id: 'ip-cidr-host-bits', query: 'source.ip:10.1.2.99/24', doc: raw(), expected: true, spec: 'semantics.md: ip: CIDR host bits ignored' },
  { id: 'ip-cidr-32', query: 'client.ip:10.1.2.3/32', doc: raw(), expected: true, spec: 'kql.md: Matching 6: IP fields accept CIDR' },
  { id: 'ip-cidr-bad-prefix', query: 'source.ip:10.0.0.0/33', doc: raw(), expected: false, spec: 'kql.md: Matching 6: a value that cannot be coerced matches nothing' },
  { id: 'ip-mapped-equal', query: 'source.ip:"::ffff:10.1.2.3"', doc: raw(), expected: true, spec: 'semantics.md: ip: IPv4 is stored IPv4-mapped, so ::ffff:a.b.c.d equals a.b.c.d' },
  { id: 'ip-mapped-doc', query: 'source.ip:10.1.2.3', doc: raw({ sourceIPs: ['::ffff:10.1.2.3'] }), expected: true, spec: 'semantics.md: ip: IPv4-mapped' },
  { id: 'ip-compatible-not-equal', query: 'source.ip:10.1.2.3', doc: raw({ sourceIPs: ['::10.1.2.3'] }), expected: false, spec: 'semantics.md: ip: `::10.0.0.1` is not `10.0.0.1`' },
  { id: 'ip-v6-loopback', query: 'source.ip:"::1"', doc: raw({ sourceIPs: ['0:0:0:0:0:0:0:1'] }), expected: true, spec: 'semantics.md: ip: IPv6 with :: compression' },
  { id: 'ip-v6-case', query: 'source.ip:"2001:DB8::1"', doc: raw({ sourceIPs: ['2001:db8:0::1'] }), expected: true, spec: 'semantics.md: ip: hex groups in any case' },
  { id: 'ip-v6-cidr', query: 'source.ip:"2001:db8::/32"', doc: raw({ sourceIPs: ['2001:db8:ffff::1'] }), expected: true, spec: 'kql.md: Matching 6: IP fields accept CIDR' },
  { id: 'ip-v4-cidr-vs-v6', query: 'source.ip:0.0.0.0/0', doc: raw({ sourceIPs: ['2001:db8::1'] }), expected: false, spec: 'semantics.md: ip: an IPv4 prefix is a prefix of ::ffff:0:0/96' },
  { id: 'ip-leading-zero-literal', query: 'source.ip:010.1.2.3', doc: raw(), expected: false, spec: 'semantics.md: ip: no leading zeros' },
  { id: 'ip-not-loopback', query: 'source.ip:(* and not "127.0.0.1")', doc: raw({ sourceIPs: ['127.0.0.1'] }), expected: false, spec: 'kql.md: Matching 6 (pack rule: source.ip:(* and not "127.0.0.1"))' },
  { id: 'ip-not-loopback-2', query: 'source.ip:(* and not ("::1" or "127.0.0.1"))', doc: raw({ sourceIPs: ['::1'] }), expected: false, spec: 'kql.md: Matching 6 (pack rule: source.ip:(* and not ("::1" or "127.0.0.1")))' },
  { id: 'ip-two-ips-one-loopback', query: 'source.ip:(* and not "127.0.0.1")', doc: raw({ sourceIPs: ['127.0.0.1', '10.0.0.1'] }), expected: false, spec: 'kql.md: Matching 2: ANY element holds (so `not 127.0.0.1` fails)' },
  { id: 'ip-invalid-sourceips-no-source-ip', query: 'source.ip:*', doc: raw({ sourceIPs: ['10.0.0.1', 'unknown'] }), expected: false, spec: 'semantics.md: source.ip is set only when every sourceIPs value is a valid IP (the pipeline\'s convert fails as a whole)' },
  { id: 'ip-invalid-sourceips-audit-field', query: 'kubernetes.audit.sourceIPs:10.0.0.1', doc: raw({ sourceIPs: ['10.0.0.1', 'unknown'] }), expected: true, spec: 'kql.md: Field types: `kubernetes.audit.sourceIPs` | ip (the valid element is indexed)' },
  { id: 'ip-ecs-invalid-value', query: 'source.ip:*', doc: { source: { ip: 'not-an-ip' } }, expected: false, spec: 'semantics.md: ip: only valid addresses are indexed' },
  { id: 'ip-wildcard', query: 'source.ip:10.*', doc: raw(), expected: false, spec: 'semantics.md: a wildcard on an ip field matches nothing' },
  { id: 'ip-range', query: 'source.ip >= 10.1.2.0 and source.ip <= 10.1.2.255', doc: raw(), expected: true, spec: 'semantics.md: ip range: 16-byte unsigned comparison' },
  { id: 'ip-range-out', query: 'source.ip < 10.1.2.3', doc: raw(), expected: false, spec: 'semantics.md: ip range: 16-byte unsigned comparison' },
  { id: 'ip-related', query: 'related.ip:10.1.2.3', doc: raw(), expected: true, spec: 'audit-to-ecs.md: `related.ip` | `sourceIPs`' },
  { id: 'ip-client', query: 'client.ip:10.1.2.3', doc: raw(), expected: true, spec: 'audit-to-ecs.md: `source.ip`, `client.ip` | `sourceIPs` (array)' },
];

const FIELDLESS: ConformanceCase[] = [
  { id: 'fl-keyword', query: 'alice', doc: { user: { name: 'alice' } }, expected: true, spec: 'kql.md: Matching 7: A field-less value (`"foo"`, `foo*`) searches all fields' },
  { id: 'fl-keyword-case', query: 'Alice', doc: { user: { name: 'alice' } }, expected: false, spec: 'kql.md: Matching 7 + 4: each field under its own type (keyword: case-sensitive)' },
  { id: 'fl-quoted', query: '"kubernetes.audit_logs"', doc: raw(), expected: true, spec: 'kql.md: Matching 7: A field-less value (`"foo"`) searches all fields' },
  { id: 'fl-wildcard', query: 'system\\:serviceaccount\\:*', doc: raw(), expected: true, spec: 'kql.md: Matching 7: A field-less value (`foo*`) searches all fields' },
  { id: 'fl-wildcard-none', query: 'zzz*', doc: raw(), expected: false, spec: 'kql.md: Matching 7: searches all fields' },
  { id: 'fl-number-integer-field', query: '403', doc: codeDoc(403), expected: true, spec: 'kql.md: Matching 7 + 6: the literal is coerced to each field\'s type' },
  { id: 'fl-number-fraction', query: '403.0', doc: codeDoc(403), expected: true, spec: 'kql.md: Matching 7 + 6: coerced to the integer field (403.0 = 403)' },
  { id: 'fl-number-keyword-field', query: '403.0', doc: { other: 403 }, expected: false, spec: 'kql.md: Matching 7: unknown fields are keyword ("403" is not "403.0")' },
  { id: 'fl-cidr', query: '10.0.0.0/8', doc: raw(), expected: true, spec: 'kql.md: Matching 7 + 6: IP fields accept CIDR (source.ip)' },
  { id: 'fl-date', query: '2025-03-04', doc: raw(), expected: true, spec: 'kql.md: Matching 7 + 6: date fields (stageTimestamp covers the day)' },
  { id: 'fl-boolean', query: 'true', doc: specDoc({ hostNetwork: true }), expected: true, spec: 'kql.md: Matching 7 + 6: `true` equals boolean true' },
  { id: 'fl-lenient', query: 'forbid', doc: raw(), expected: true, spec: 'semantics.md: field-less: a value that does not fit a type simply does not match there (no error)' },
  { id: 'fl-exists', query: '*', doc: {}, expected: true, spec: 'semantics.md: field-less `*` alone is true for every document' },
  { id: 'fl-star-star', query: '*:*', doc: {}, expected: true, spec: 'semantics.md: `*:*` is Kibana\'s match_all' },
  { id: 'fl-not', query: 'not alice', doc: { user: { name: 'bob' } }, expected: true, spec: 'kql.md: Matching 7 + 3: document-level negation' },
  { id: 'fl-over-ignore-above', query: 'x*', doc: { f: 'x'.repeat(1025) }, expected: false, spec: 'kql.md: Matching 4: Values longer than `ignore_above` ... match nothing' },
  { id: 'fl-text-field', query: 'FLUX', doc: groupsDoc(['flux']), expected: true, fields: 'text', spec: 'kql.md: Matching 7 + 5: text fields are analysed' },
  { id: 'fl-in-array-of-objects', query: 'nginx', doc: { a: [{ b: 'x' }, { c: ['y', 'nginx'] }] }, expected: true, spec: 'kql.md: Matching 7 + 2: all fields, arrays flattened' },
];

const annotationsDoc = (annotations: Obj) => raw({}, annotations);

const WILDCARD_FIELDS: ConformanceCase[] = [
  { id: 'wf-annotations-any', query: 'kubernetes.audit.annotations.*:forbid', doc: raw(), expected: true, spec: 'kql.md: AST: Field names may themselves contain `*` (e.g. `kubernetes.audit.annotations.*:x`)' },
  { id: 'wf-annotations-none', query: 'kubernetes.audit.annotations.*:allow', doc: raw(), expected: false, spec: 'kql.md: AST: the query applies to every known field whose full name matches ... OR-ed' },
  { id: 'wf-dots-spanned', query: 'kubernetes.*:forbid', doc: raw(), expected: true, spec: 'kql.md: AST: `*` matches any characters including dots' },
  { id: 'wf-anchored', query: '*decision:forbid', doc: annotationsDoc({ 'authorization.k8s.io/decision': 'forbid' }), expected: true, spec: 'kql.md: AST: (anchored; `*` matches any characters including dots)' },
  { id: 'wf-anchored-2', query: '*.decision:forbid', doc: annotationsDoc({ 'authorization.k8s.io/decision': 'forbid' }), expected: false, spec: 'kql.md: AST: (anchored) — the dedotted key ends in "/decision", not ".decision"' },
  { id: 'wf-exists', query: 'kubernetes.audit.annotations.pod-security*:*', doc: annotationsDoc({ 'pod-security.kubernetes.io/enforce-policy': 'privileged:latest' }), expected: true, spec: 'kql.md: AST: wildcard field names (with exists)' },
  { id: 'wf-not-no-match', query: 'not nothing.*:x', doc: raw(), expected: true, spec: 'kql.md: AST: OR-ed over matching fields (none: false, so `not` is true)' },
  { id: 'wf-own-types', query: '*.code >= 400', doc: raw(), expected: true, spec: 'kql.md: AST: every matching field, each under its own type (responseStatus.code is integer)' },
  { id: 'wf-own-types-ip', query: '*.ip:10.0.0.0/8', doc: raw(), expected: true, spec: 'kql.md: AST: every matching field under its own type (source.ip is ip: CIDR)' },
  { id: 'wf-middle-star', query: 'orchestrator.*.type:secrets', doc: raw(), expected: true, spec: 'kql.md: AST: `a.*.b` style field patterns' },
  { id: 'wf-wildcard-value', query: 'user.*:system\\:serviceaccount\\:*', doc: raw(), expected: true, spec: 'kql.md: AST + Matching 4: wildcard field and wildcard value' },
];

const containersDoc = (containers: Obj[]) => specDoc({ containers });

const NESTED: ConformanceCase[] = [
  { id: 'nest-same-element', query: 'kubernetes.audit.requestObject.spec.containers:{ name:app and securityContext.privileged:true }', doc: containersDoc([{ name: 'app', securityContext: { privileged: true } }]), expected: true, spec: 'kql.md: Matching 2: queried with `path:{...}`, where all conditions must hold on the SAME element' },
  { id: 'nest-different-elements', query: 'kubernetes.audit.requestObject.spec.containers:{ name:app and securityContext.privileged:true }', doc: containersDoc([{ name: 'app', securityContext: { privileged: false } }, { name: 'sidecar', securityContext: { privileged: true } }]), expected: false, spec: 'kql.md: Matching 2: all conditions must hold on the SAME element' },
  { id: 'nest-flattened-contrast', query: 'kubernetes.audit.requestObject.spec.containers.name:app and kubernetes.audit.requestObject.spec.containers.securityContext.privileged:true', doc: containersDoc([{ name: 'app', securityContext: { privileged: false } }, { name: 'sidecar', securityContext: { privileged: true } }]), expected: true, spec: 'kql.md: Matching 2: Arrays of objects are flattened (no per-element correlation)' },
  { id: 'nest-inner-types', query: 'kubernetes.audit.requestObject.spec.containers:{ securityContext.privileged:"true" }', doc: containersDoc([{ name: 'a', securityContext: { privileged: 'true' } }]), expected: true, spec: 'semantics.md: nested: inner field types are looked up as path.<name> (privileged is boolean)' },
  { id: 'nest-not-inside', query: 'kubernetes.audit.requestObject.spec.containers:{ not securityContext.privileged:true }', doc: containersDoc([{ name: 'a', securityContext: { privileged: true } }, { name: 'b' }]), expected: true, spec: 'semantics.md: nested: `not` works inside the element (an element without privileged)' },
  { id: 'nest-not-outside', query: 'not kubernetes.audit.requestObject.spec.containers:{ securityContext.privileged:true }', doc: containersDoc([{ name: 'a', securityContext: { privileged: true } }, { name: 'b' }]), expected: false, spec: 'kql.md: Matching 3: document-level negation of the nested query' },
  { id: 'nest-missing-path', query: 'kubernetes.audit.requestObject.spec.initContainers:{ name:* }', doc: containersDoc([{ name: 'a' }]), expected: false, spec: 'semantics.md: nested: true if q holds on at least one object reached at path' },
  { id: 'nest-wildcard-inner-value', query: 'kubernetes.audit.requestObject.spec.containers:{ image:nginx* and name:web }', doc: containersDoc([{ name: 'web', image: 'nginx:1.25' }, { name: 'db', image: 'postgres' }]), expected: true, spec: 'kql.md: Matching 2: all conditions must hold on the SAME element' },
  { id: 'nest-wildcard-inner-value-2', query: 'kubernetes.audit.requestObject.spec.containers:{ image:nginx* and name:db }', doc: containersDoc([{ name: 'web', image: 'nginx:1.25' }, { name: 'db', image: 'postgres' }]), expected: false, spec: 'kql.md: Matching 2: all conditions must hold on the SAME element' },
  { id: 'nest-dotted-element-keys', query: 'a:{ b.c:1 and d:2 }', doc: { a: [{ 'b.c': '1', d: '2' }, { b: { c: '3' } }] }, expected: true, spec: 'kql.md: Matching 1: a literal dotted key at any level is equivalent (inside elements too)' },
  { id: 'nest-scalars-ignored', query: 'a:{ b:* }', doc: { a: ['x', 'y'] }, expected: false, spec: 'semantics.md: nested: scalars at path are ignored' },
  { id: 'nest-within-nested', query: 'a:{ b:{ c:1 and d:1 } }', doc: { a: [{ b: [{ c: '1', d: '2' }, { c: '2', d: '1' }] }] }, expected: false, spec: 'kql.md: Matching 2: all conditions must hold on the SAME element (nested twice)' },
];

const SHAPES: ConformanceCase[] = [
  { id: 'shape-raw-event-dataset', query: 'event.dataset:kubernetes.audit_logs', doc: raw(), expected: true, spec: 'audit-to-ecs.md: `event.dataset`, `data_stream.dataset` | constant `kubernetes.audit_logs` (added by the agent, not in the raw log)' },
  { id: 'shape-raw-data-stream-type', query: 'data_stream.type:logs', doc: raw(), expected: true, spec: 'audit-to-ecs.md: `data_stream.type` | `logs`' },
  { id: 'shape-raw-outcome-failure', query: 'event.outcome:failure', doc: raw(), expected: true, spec: 'audit-to-ecs.md: `event.outcome` | decision ... `forbid` → `failure`' },
  { id: 'shape-raw-outcome-success', query: 'event.outcome:success', doc: rawDecision('allow'), expected: true, spec: 'audit-to-ecs.md: `event.outcome` | decision `allow` → `success`' },
  { id: 'shape-raw-outcome-absent', query: 'event.outcome:*', doc: rawDecision('deny'), expected: false, spec: 'audit-to-ecs.md: `event.outcome` | ... otherwise absent' },
  { id: 'shape-raw-user-name', query: 'user.name:"system:serviceaccount:default:reader"', doc: raw(), expected: true, spec: 'audit-to-ecs.md: `user.name` | `user.username`' },
  { id: 'shape-raw-user-id', query: 'user.id:a1b2', doc: raw(), expected: true, spec: 'audit-to-ecs.md: `user.id` | `user.uid`' },
  { id: 'shape-raw-related-user', query: 'related.user:(a1b2 and "system:serviceaccount:default:reader")', doc: raw(), expected: true, spec: 'audit-to-ecs.md: `related.user`: uid and username' },
  { id: 'shape-raw-event-action', query: 'event.action:get', doc: raw(), expected: true, spec: 'audit-to-ecs.md: `event.action` | `verb`' },
  { id: 'shape-raw-event-kind', query: 'event.kind:event', doc: raw(), expected: true, spec: 'audit-to-ecs.md: `event.kind` | `event`' },
  { id: 'shape-raw-orchestrator', query: 'orchestrator.type:kubernetes and orchestrator.api_version:"audit.k8s.io/v1" and orchestrator.resource.type:secrets and orchestrator.resource.name:db and orchestrator.namespace:default', doc: raw(), expected: true, spec: 'audit-to-ecs.md: `orchestrator.type` | `kubernetes`; `orchestrator.api_version` ← `apiVersion`; resource.type/.name, namespace ← objectRef' },
  { id: 'shape-raw-no-timestamp-invented', query: '@timestamp:*', doc: raw(), expected: false, spec: 'audit-to-ecs.md: kql-edge\'s view does NOT invent them (@timestamp, event.ingested)' },
  { id: 'shape-raw-no-ingested-invented', query: 'event.ingested:*', doc: raw(), expected: false, spec: 'audit-to-ecs.md: kql-edge\'s view does NOT invent them' },
  { id: 'shape-raw-annotation-dedot-dash', query: 'kubernetes.audit.annotations.pod-security_kubernetes_io/enforce-policy:"privileged:latest"', doc: annotationsDoc({ 'pod-security.kubernetes.io/enforce-policy': 'privileged:latest' }), expected: true, spec: 'audit-to-ecs.md: `pod-security.kubernetes.io/enforce-policy` → `pod-security_kubernetes_io/enforce-policy` (`/` and `-` kept)' },
  { id: 'shape-raw-annotation-original-key-gone', query: 'kubernetes.audit.annotations.authorization.k8s.io/decision:*', doc: raw(), expected: false, spec: 'audit-to-ecs.md: annotations keys with every "." replaced by "_"' },
  { id: 'shape-raw-kind-kept', query: 'kubernetes.audit.kind:Event', doc: raw(), expected: true, spec: 'semantics.md: mapping M: kubernetes.audit = copy of every top-level key' },
  { id: 'shape-ecs-not-mapped', query: 'event.dataset:*', doc: { kubernetes: { audit: { verb: 'get' } } }, expected: false, spec: 'audit-to-ecs.md: A record that already carries `kubernetes.audit.*` ... must be evaluated as is' },
  { id: 'shape-ecs-raw-fields-not-nested', query: 'kubernetes.audit.verb:get', doc: { verb: 'get', stage: 'ResponseComplete' }, expected: false, spec: 'semantics.md: shape ecs: the record itself, unchanged' },
  { id: 'shape-falco-no-apiversion', query: 'kubernetes.audit.verb:create and event.outcome:success', doc: { annotations: { 'authorization.k8s.io/decision': 'allow', 'authorization.k8s.io/reason': '' }, auditID: 'c97244c7', kind: 'Event', level: 'RequestResponse', objectRef: { resource: 'clusterrolebindings', name: 'b' }, stage: 'ResponseComplete', verb: 'create', user: { username: 'minikube-user' } }, expected: true, spec: 'semantics.md: raw audit event: no apiVersion key and auditID is a string (Falco traces)' },
  { id: 'shape-2017-format', query: 'kubernetes.audit.impersonatedUser.username:bob and kubernetes.audit.responseStatus.code:403 and user.name:system\\:admin', doc: { kind: 'Event', apiVersion: 'audit.k8s.io/v1', metadata: { creationTimestamp: '2017-09-11T19:55:05Z' }, level: 'Metadata', timestamp: '2017-09-11T19:55:05Z', auditID: '033d17af', stage: 'ResponseComplete', requestURI: '/api/v1/namespaces/default/pods', verb: 'list', user: { username: 'system:admin', groups: ['system:masters'] }, impersonatedUser: { username: 'bob', groups: ['system:authenticated'] }, sourceIPs: ['::1'], objectRef: { resource: 'pods', namespace: 'default', apiVersion: 'v1' }, responseStatus: { metadata: {}, status: 'Failure', reason: 'Forbidden', code: 403 } }, expected: true, spec: 'semantics.md: audit2rbac\'s 2017-format events are raw audit events' },
  { id: 'shape-malformed-kind', query: 'kubernetes.audit.kind:*', doc: { kind: 0 }, expected: false, spec: 'semantics.md: `{"kind": 0}` is not a raw audit event (evaluated as is)' },
  { id: 'shape-core-event-not-audit', query: 'event.dataset:*', doc: { kind: 'Event', apiVersion: 'v1', auditID: 'x', reason: 'Scheduled' }, expected: false, spec: 'semantics.md: Kubernetes core Events (`apiVersion: v1`) are not raw audit events' },
  { id: 'shape-embedded-not-json', query: 'event.dataset:*', doc: { log: 'E0101 12:00:00 kube-apiserver error' }, expected: false, spec: 'audit-to-ecs.md: When a record\'s `log` or `message` string ... holds a JSON audit event (otherwise: as is)' },
  { id: 'shape-embedded-as-is-fields', query: 'log:*', doc: { log: 'plain' }, expected: true, spec: 'semantics.md: shape ecs: the record itself, unchanged' },
  { id: 'shape-embedded-wrapper-fields-hidden', query: 'stream:stdout', doc: { log: JSON.stringify(raw()), stream: 'stdout' }, expected: false, spec: 'semantics.md: Embedded: the view is mapping M of the inner event only' },
  { id: 'shape-gke-annotations', query: 'kubernetes.audit.annotations.authorization_k8s_io/decision:allow and event.outcome:success and orchestrator.cluster.name:c1', doc: { protoPayload: { '@type': 'type.googleapis.com/google.cloud.audit.AuditLog', methodName: 'io.k8s.get', resourceName: 'readyz', status: { code: 0 } }, insertId: 'i1', resource: { type: 'k8s_cluster', labels: { cluster_name: 'c1', project_id: 'p1' } }, timestamp: '2025-07-13T08:38:39.127266Z', labels: { 'authorization.k8s.io/decision': 'allow' }, receiveTimestamp: '2025-07-13T08:38:41Z' }, expected: true, spec: 'audit-to-ecs.md: GKE ...: `labels` → annotations (then dedotted), `resource.labels.cluster_name` / `project_id` → `orchestrator.cluster.name` / `.id`' },
  { id: 'shape-gke-audit-fields', query: 'kubernetes.audit.auditID:i1 and kubernetes.audit.responseStatus.code:0 and kubernetes.audit.stageTimestamp:2025-07-13 and kubernetes.audit.requestReceivedTimestamp < "2025-07-13T08:38:42Z"', doc: { protoPayload: { '@type': 'type.googleapis.com/google.cloud.audit.AuditLog', status: { code: 0 } }, insertId: 'i1', timestamp: '2025-07-13T08:38:39.127266Z', receiveTimestamp: '2025-07-13T08:38:41Z' }, expected: true, spec: 'audit-to-ecs.md: GKE: `insertId` → `auditID`, `receiveTimestamp` → `requestReceivedTimestamp`, `timestamp` → `stageTimestamp`, `protoPayload.status.code` → `responseStatus.code`' },
  { id: 'shape-gke-no-user-agent', query: 'user_agent.original:*', doc: { protoPayload: { '@type': 'type.googleapis.com/google.cloud.audit.AuditLog', requestMetadata: { callerSuppliedUserAgent: 'kubectl' } } }, expected: false, spec: 'audit-to-ecs.md: GKE: The caller\'s user agent and principal stay under `protoPayload` (not copied)' },
  { id: 'shape-gke-protopayload-kept', query: 'kubernetes.audit.protoPayload.requestMetadata.callerSuppliedUserAgent:kubectl', doc: { protoPayload: { '@type': 'type.googleapis.com/google.cloud.audit.AuditLog', requestMetadata: { callerSuppliedUserAgent: 'kubectl' } } }, expected: true, spec: 'audit-to-ecs.md: GKE: The caller\'s user agent and principal stay under `protoPayload`' },
  { id: 'shape-gke-other-type', query: 'event.dataset:*', doc: { protoPayload: { '@type': 'type.googleapis.com/google.cloud.audit.Other' } }, expected: false, spec: 'semantics.md: gke: protoPayload.@type exactly type.googleapis.com/google.cloud.audit.AuditLog' },
  { id: 'shape-aks-metadata', query: 'kubernetes.audit.aks_metadata.category:kube-audit and kubernetes.audit.aks_metadata.pod:kube-apiserver-1', doc: { category: 'kube-audit', properties: { log: JSON.stringify(raw()), pod: 'kube-apiserver-1' } }, expected: true, spec: 'semantics.md: AKS: kubernetes.audit.aks_metadata from the wrapper' },
  { id: 'shape-aks-bad-inner', query: 'event.dataset:*', doc: { category: 'kube-audit', properties: { log: '{"kind":"Event","apiVersion":"v1"}' } }, expected: false, spec: 'semantics.md: aks: properties.log must be a raw audit event' },
];

const podCreate = (spec: Obj, extra: Obj = {}) =>
  raw({ verb: 'create', requestURI: '/api/v1/namespaces/team-a/pods', objectRef: { resource: 'pods', namespace: 'team-a', name: 'p', apiVersion: 'v1' }, requestObject: { kind: 'Pod', metadata: { name: 'p', namespace: 'team-a' }, spec }, ...extra }, { 'authorization.k8s.io/decision': 'allow', 'authorization.k8s.io/reason': '' });

const PRIVILEGED = String.raw`data_stream.dataset:"kubernetes.audit_logs" and kubernetes.audit.annotations.authorization_k8s_io/decision:"allow" and
kubernetes.audit.objectRef.resource:pods and kubernetes.audit.verb:create and
kubernetes.audit.requestObject.spec.containers.securityContext.privileged:true and
not kubernetes.audit.requestObject.spec.containers.image:(docker.elastic.co/beats/elastic-agent* or rancher/klipper-lb* or "")`;
const HOSTNETWORK = String.raw`kubernetes.audit.objectRef.resource:pods and kubernetes.audit.verb:(create or patch or update) and
kubernetes.audit.requestObject.spec.hostNetwork:true and
not (kubernetes.audit.requestObject.spec.containers.image:(*elastic-agent* or quay.io/calico/node*) or kubernetes.audit.objectRef.namespace:(kube-system or calico-system))`;
const ANONYMOUS = String.raw`kubernetes.audit.annotations.authorization_k8s_io/decision:"allow" and
kubernetes.audit.user.username:("system:anonymous" or "system:unauthenticated" or not *) and
not kubernetes.audit.requestURI:(/healthz* or /livez* or /readyz* or /version)`;
const SCRIPTED = String.raw`event.action:(get or list) and kubernetes.audit.objectRef.resource:"secrets" and
user_agent.original:(curl* or python* or Python* or Go-http* or *kali-amd64) and source.ip:*`;
const HOSTPATH = String.raw`kubernetes.audit.objectRef.resource:"pods" and
kubernetes.audit.requestObject.spec.volumes.hostPath.path:("/" or "/proc" or "/var/run/docker.sock" or "/etc/kubernetes")`;
const CAPS = String.raw`kubernetes.audit.verb:create and kubernetes.audit.requestObject.spec.containers.securityContext.capabilities.add:("SYS_ADMIN" or "NET_ADMIN" or "BPF")`;

const PACK_STYLE: ConformanceCase[] = [
  { id: 'pack-privileged-positive', query: PRIVILEGED, doc: podCreate({ containers: [{ name: 'a', image: 'alpine:3', securityContext: { privileged: true } }] }), expected: true, spec: 'kql.md: Matching 2 + 6 (privileged pod: arrays of containers flattened; true equals boolean true)' },
  { id: 'pack-privileged-excluded-image', query: PRIVILEGED, doc: podCreate({ containers: [{ name: 'a', image: 'docker.elastic.co/beats/elastic-agent:8.11.0', securityContext: { privileged: true } }] }), expected: false, spec: 'kql.md: Field types: keyword ... is also what makes the pack\'s wildcard exclusions on image names work' },
  { id: 'pack-privileged-excluded-image-text', query: PRIVILEGED, doc: podCreate({ containers: [{ name: 'a', image: 'docker.elastic.co/beats/elastic-agent:8.11.0', securityContext: { privileged: true } }] }), expected: true, fields: 'text', spec: 'kql.md: Field types: a deployment whose index really uses text there would get analysed matching (the exclusion no longer matches)' },
  { id: 'pack-privileged-any-excluded-container', query: PRIVILEGED, doc: podCreate({ containers: [{ name: 'a', image: 'alpine', securityContext: { privileged: true } }, { name: 'b', image: 'rancher/klipper-lb:v0.4' }] }), expected: false, spec: 'kql.md: Matching 2: ANY element (one excluded image excludes the pod)' },
  { id: 'pack-privileged-empty-image-raw', query: PRIVILEGED, doc: podCreate({ containers: [{ name: 'a', image: '', securityContext: { privileged: true } }] }), expected: true, spec: 'audit-to-ecs.md: every empty value removed (image "" no longer exists, so `image:""` cannot exclude)' },
  { id: 'pack-privileged-empty-image-ecs', query: PRIVILEGED, doc: { data_stream: { dataset: 'kubernetes.audit_logs' }, kubernetes: { audit: { annotations: { 'authorization_k8s_io/decision': 'allow' }, objectRef: { resource: 'pods' }, verb: 'create', requestObject: { spec: { containers: [{ image: '', securityContext: { privileged: true } }] } } } } }, expected: false, spec: 'audit-to-ecs.md: Already-ECS input ... evaluated as is (`image:""` matches the empty string)' },
  { id: 'pack-privileged-init-container-only', query: PRIVILEGED, doc: podCreate({ initContainers: [{ name: 'i', image: 'alpine', securityContext: { privileged: true } }], containers: [{ name: 'a', image: 'alpine' }] }), expected: false, spec: 'kql.md: Matching 1: dotted names address nested objects (initContainers is another path)' },
  { id: 'pack-privileged-forbid', query: PRIVILEGED, doc: raw({ verb: 'create', objectRef: { resource: 'pods' }, requestObject: { spec: { containers: [{ image: 'alpine', securityContext: { privileged: true } }] } } }), expected: false, spec: 'kql.md: Matching 4: equality is byte-exact (decision forbid is not allow)' },
  { id: 'pack-hostnetwork-positive', query: HOSTNETWORK, doc: podCreate({ hostNetwork: true, containers: [{ name: 'a', image: 'nginx' }] }), expected: true, spec: 'kql.md: Matching 6: `true` equals boolean true' },
  { id: 'pack-hostnetwork-excluded-namespace', query: HOSTNETWORK, doc: podCreate({ hostNetwork: true, containers: [{ name: 'a', image: 'nginx' }] }, { objectRef: { resource: 'pods', namespace: 'kube-system' } }), expected: false, spec: 'kql.md: Grammar: not (... or ...) (document-level negation of a disjunction)' },
  { id: 'pack-hostnetwork-excluded-image-infix', query: HOSTNETWORK, doc: podCreate({ hostNetwork: true, containers: [{ name: 'a', image: 'docker.elastic.co/elastic-agent/elastic-agent:8' }] }), expected: false, spec: 'kql.md: Matching 4: `*` matches any sequence (infix pattern *elastic-agent*)' },
  { id: 'pack-hostnetwork-false', query: HOSTNETWORK, doc: podCreate({ hostNetwork: false, containers: [{ name: 'a', image: 'nginx' }] }), expected: false, spec: 'kql.md: Matching 6: `true` equals boolean true' },
  { id: 'pack-hostnetwork-patch', query: HOSTNETWORK, doc: podCreate({ hostNetwork: 'true', containers: [{ image: 'nginx' }] }, { verb: 'patch' }), expected: true, spec: 'semantics.md: boolean: documents may hold "true"' },
  { id: 'pack-anonymous-user', query: ANONYMOUS, doc: raw({ user: { username: 'system:anonymous', groups: ['system:unauthenticated'] }, requestURI: '/api/v1/secrets' }, { 'authorization.k8s.io/decision': 'allow' }), expected: true, spec: 'kql.md: Grammar: A value list distributes its boolean structure over the field' },
  { id: 'pack-anonymous-missing-username', query: ANONYMOUS, doc: raw({ user: { groups: ['system:unauthenticated'] }, requestURI: '/api/v1/pods' }, { 'authorization.k8s.io/decision': 'allow' }), expected: true, spec: 'kql.md: Matching 3: `not` of it is true (`username:(... or not *)` holds without a username)' },
  { id: 'pack-anonymous-empty-username-raw', query: ANONYMOUS, doc: raw({ user: { username: '' }, requestURI: '/api/v1/pods' }, { 'authorization.k8s.io/decision': 'allow' }), expected: true, spec: 'audit-to-ecs.md: every empty value removed (an empty username is missing)' },
  { id: 'pack-anonymous-healthz', query: ANONYMOUS, doc: raw({ user: { username: 'system:anonymous' }, requestURI: '/healthz?timeout=32s' }, { 'authorization.k8s.io/decision': 'allow' }), expected: false, spec: 'kql.md: Matching 4: wildcard is an anchored glob (/healthz*)' },
  { id: 'pack-anonymous-version-exact', query: ANONYMOUS, doc: raw({ user: { username: 'system:anonymous' }, requestURI: '/version?timeout=32s' }, { 'authorization.k8s.io/decision': 'allow' }), expected: true, spec: 'kql.md: Matching 4: equality is byte-exact (/version is not a prefix pattern)' },
  { id: 'pack-anonymous-named-user', query: ANONYMOUS, doc: raw({ user: { username: 'alice' }, requestURI: '/api' }, { 'authorization.k8s.io/decision': 'allow' }), expected: false, spec: 'kql.md: Grammar: value list (username is neither anonymous nor missing)' },
  { id: 'pack-scripted-curl', query: SCRIPTED, doc: raw(), expected: true, spec: 'kql.md: Matching 4: wildcard is an anchored glob (curl*)' },
  { id: 'pack-scripted-python-case', query: SCRIPTED, doc: rawUa('PYTHON-requests/2.31'), expected: false, spec: 'kql.md: Matching 4: case-sensitive (python* and Python* are listed separately)' },
  { id: 'pack-scripted-kali-suffix', query: SCRIPTED, doc: rawUa('kubectl/v1.27 (linux/amd64) kali-amd64'), expected: true, spec: 'kql.md: Matching 4: wildcard is an anchored glob (*kali-amd64 suffix)' },
  { id: 'pack-scripted-no-source-ip', query: SCRIPTED, doc: raw({ sourceIPs: undefined }), expected: false, spec: 'kql.md: Matching 3: `f:*` is false for a missing field' },
  { id: 'pack-scripted-list-verb', query: SCRIPTED, doc: raw({ verb: 'list' }), expected: true, spec: 'audit-to-ecs.md: `event.action` | `verb`' },
  { id: 'pack-scripted-watch-verb', query: SCRIPTED, doc: raw({ verb: 'watch' }), expected: false, spec: 'audit-to-ecs.md: `event.action` | `verb`' },
  { id: 'pack-hostpath-root', query: HOSTPATH, doc: podCreate({ volumes: [{ name: 'v', hostPath: { path: '/', type: 'Directory' } }] }), expected: true, spec: 'kql.md: Matching 2: Arrays of objects are flattened' },
  { id: 'pack-hostpath-subdir', query: HOSTPATH, doc: podCreate({ volumes: [{ name: 'v', hostPath: { path: '/proc/sys' } }] }), expected: false, spec: 'kql.md: Matching 4: equality is byte-exact (quoted values are not prefixes)' },
  { id: 'pack-hostpath-second-volume', query: HOSTPATH, doc: podCreate({ volumes: [{ name: 'a', emptyDir: {} }, { name: 'b', hostPath: { path: '/var/run/docker.sock' } }] }), expected: true, spec: 'kql.md: Matching 2: a leaf predicate holds if ANY element holds' },
  { id: 'pack-hostpath-trailing-slash', query: HOSTPATH, doc: podCreate({ volumes: [{ name: 'v', hostPath: { path: '/etc/kubernetes/' } }] }), expected: false, spec: 'kql.md: Matching 4: equality is byte-exact' },
  { id: 'pack-caps-sys-admin', query: CAPS, doc: podCreate({ containers: [{ name: 'a', securityContext: { capabilities: { add: ['NET_RAW', 'SYS_ADMIN'] } } }] }), expected: true, spec: 'kql.md: Matching 2: a leaf predicate holds if ANY element holds' },
  { id: 'pack-caps-lowercase', query: CAPS, doc: podCreate({ containers: [{ name: 'a', securityContext: { capabilities: { add: ['sys_admin'] } } }] }), expected: false, spec: 'kql.md: Matching 4: case-sensitive' },
  { id: 'pack-caps-drop-only', query: CAPS, doc: podCreate({ containers: [{ name: 'a', securityContext: { capabilities: { drop: ['SYS_ADMIN'] } } }] }), expected: false, spec: 'kql.md: Matching 1: dotted names address nested objects (drop is not add)' },
];

// Exists on an OBJECT field (semantics.md 5): Elasticsearch's exists query on a name that is no leaf
// field asks every mapped field below it (`f.*`), each with its own exists query; so `f:*` holds when
// some scalar below f is indexed under its own type, and never for {}, null leaves, [] or [{}].
const OBJ = 'semantics.md: (5) `f:*` on an object field: some leaf below f has a value indexed under that leaf\'s type';
const aksWith = (extra: Obj) => ({ category: 'kube-audit', time: '2025-03-04T06:22:30Z', properties: { log: JSON.stringify(raw()), ...extra } });
const OBJECT_EXISTS: ConformanceCase[] = [
  { id: 'obj-nested-leaf', query: 'a:*', doc: { a: { b: { c: 'x' } } }, expected: true, spec: OBJ },
  { id: 'obj-nested-middle', query: 'a.b:*', doc: { a: { b: { c: 0 } } }, expected: true, spec: OBJ },
  { id: 'obj-dotted-deeper', query: 'a.b:*', doc: { a: { 'b.c': false } }, expected: true, spec: `${OBJ} (a dotted key below counts)` },
  { id: 'obj-dotted-whole', query: 'a:*', doc: { 'a.b.c': 'x' }, expected: true, spec: `${OBJ} (one dotted key)` },
  { id: 'obj-sibling-prefix', query: 'a:*', doc: { ab: { c: 'x' }, 'a_b': 'y' }, expected: false, spec: `${OBJ} (a key that only starts with the name is another field)` },
  { id: 'obj-empty', query: 'a:*', doc: { a: {} }, expected: false, spec: `${OBJ}: {} has no leaf` },
  { id: 'obj-empty-nested', query: 'a:*', doc: { a: { b: {}, c: { d: {} } } }, expected: false, spec: `${OBJ}: objects of empty objects have no leaf` },
  { id: 'obj-null-leaves', query: 'a:*', doc: { a: { b: null, c: { d: null } } }, expected: false, spec: `${OBJ}: null is never indexed` },
  { id: 'obj-empty-arrays', query: 'a:*', doc: { a: { b: [], c: [null], d: [[]] } }, expected: false, spec: `${OBJ}: [] and [null] hold no value` },
  { id: 'obj-array-of-empty-objects', query: 'a:*', doc: { a: [{}, { b: null }, []] }, expected: false, spec: `${OBJ}: arrays of objects are flattened; none holds a value` },
  { id: 'obj-array-of-objects', query: 'a:*', doc: { a: [{}, { b: null }, { c: 'x' }] }, expected: true, spec: `${OBJ}: arrays of objects are flattened` },
  { id: 'obj-array-in-array', query: 'a.b:*', doc: { a: [[{ b: [{ c: 1 }] }]] }, expected: true, spec: `${OBJ}: arrays are transparent at every depth` },
  { id: 'obj-empty-string-ecs', query: 'a:*', doc: { a: { b: '' } }, expected: true, spec: `${OBJ}: "" is indexed on keyword (an ECS record is evaluated as is)` },
  { id: 'obj-over-ignore-above', query: 'a:*', doc: { a: { b: 'x'.repeat(1025) } }, expected: false, spec: `${OBJ}: a keyword longer than ignore_above is not indexed` },
  { id: 'obj-bad-date-below', query: 'n:*', doc: { n: { stageTimestamp: 'yesterday' } }, expected: false, spec: `${OBJ}: *.stageTimestamp is a date; a value that is no date is not indexed` },
  { id: 'obj-good-date-below', query: 'n:*', doc: { n: { stageTimestamp: '2025-03-04' } }, expected: true, spec: `${OBJ}: *.stageTimestamp is a date` },
  { id: 'obj-bad-boolean-below', query: 'kubernetes.audit.requestObject.spec:*', doc: { kubernetes: { audit: { requestObject: { spec: { hostNetwork: 'maybe' } } } } }, expected: false, spec: `${OBJ}: hostNetwork is boolean; "maybe" is not indexed` },
  { id: 'obj-bad-integer-below', query: 'kubernetes.audit.responseStatus:*', doc: { kubernetes: { audit: { responseStatus: { code: 'abc' } } } }, expected: false, spec: `${OBJ}: responseStatus.code is an integer; "abc" is not indexed` },
  { id: 'obj-bad-ip-below', query: 'source:*', doc: { source: { ip: 'bogus' } }, expected: false, spec: `${OBJ}: source.ip is an ip; "bogus" is not indexed` },
  { id: 'obj-not-empty', query: 'not a:*', doc: { a: { b: {} } }, expected: true, spec: `${OBJ} (document-level negation)` },
  { id: 'obj-not-full', query: 'not a:*', doc: { a: { b: ['', 'x'] } }, expected: false, spec: `${OBJ} (document-level negation)` },
  { id: 'obj-raw-user', query: 'kubernetes.audit.user:*', doc: raw(), expected: true, spec: `${OBJ}: the audit view of a raw event` },
  { id: 'obj-raw-extra-emptied', query: 'kubernetes.audit.user.extra:*', doc: raw({ user: { username: 'u', extra: { a: [''], b: { c: null } } } }), expected: false, spec: `${OBJ}: the audit view removes "" and null` },
  { id: 'obj-raw-extra-value', query: 'kubernetes.audit.user.extra:*', doc: raw({ user: { username: 'u', extra: { a: [''], b: { c: ['v'] } } } }), expected: true, spec: OBJ },
  { id: 'obj-raw-request-metadata-only', query: 'kubernetes.audit.requestObject:*', doc: raw({ requestObject: { metadata: { name: 'p' }, spec: {} } }), expected: false, spec: `${OBJ}: requestObject.metadata is removed by the pipeline` },
  { id: 'obj-raw-request-spec', query: 'kubernetes.audit.requestObject:*', doc: raw({ requestObject: { metadata: { name: 'p' }, spec: { containers: [{ name: 'c' }] } } }), expected: true, spec: OBJ },
  { id: 'obj-raw-annotations-emptied', query: 'kubernetes.audit.annotations:*', doc: raw({}, { 'authorization.k8s.io/reason': '' }), expected: false, spec: `${OBJ}: an annotation "" is removed` },
  { id: 'obj-raw-renamed', query: 'user:*', doc: raw({ user: { uid: '', username: 'u' } }), expected: true, spec: `${OBJ}: user.name comes from user.username` },
  { id: 'obj-raw-renamed-empty', query: 'user:*', doc: raw({ user: { uid: '', username: '' } }), expected: false, spec: `${OBJ}: "" is not copied` },
  { id: 'obj-raw-copied-object', query: 'user.name:*', doc: raw({ user: { username: { first: 'u' } } }), expected: true, spec: `${OBJ}: the pipeline copies user.username whole` },
  { id: 'obj-raw-constants', query: 'orchestrator:*', doc: raw(), expected: true, spec: `${OBJ}: orchestrator.type is added to every audit view` },
  { id: 'obj-raw-outcome', query: 'event:*', doc: { ...raw({}, null), kind: 'Event' }, expected: true, spec: `${OBJ}: event.kind and event.dataset are added` },
  { id: 'obj-embedded', query: 'kubernetes.audit.objectRef:*', doc: { log: JSON.stringify(raw({ objectRef: { resource: '', name: null } })) }, expected: false, spec: `${OBJ}: an embedded event's view` },
  { id: 'obj-aks-wrapper', query: 'kubernetes.audit.aks_metadata:*', doc: aksWith({}), expected: true, spec: `${OBJ}: the AKS wrapper's fields` },
  { id: 'obj-aks-wrapper-object', query: 'kubernetes.audit.aks_metadata.pod:*', doc: aksWith({ pod: { name: 'kube-apiserver-1' } }), expected: true, spec: `${OBJ}: the AKS wrapper's values are copied whole` },
  { id: 'obj-aks-wrapper-empty-object', query: 'kubernetes.audit.aks_metadata.pod:*', doc: aksWith({ pod: { name: null } }), expected: false, spec: OBJ },
  { id: 'obj-aks-event-own-metadata', query: 'kubernetes.audit.aks_metadata.q:*', doc: { category: 'kube-audit', properties: { log: JSON.stringify(raw({ aks_metadata: { q: { r: 'v' } } })) } }, expected: false, spec: `${OBJ}: the wrapper's aks_metadata replaces the event's own` },
  { id: 'obj-aks-event-own-metadata-fieldless', query: 'zzz', doc: { category: 'kube-audit', properties: { log: raw({ aks_metadata: { pod: 'zzz' } }) } }, expected: false, spec: 'semantics.md: (2) AKS: kubernetes.audit.aks_metadata comes from the wrapper (the event\'s own is replaced), for field-less values too' },
  { id: 'obj-aks-event-own-metadata-wildcard', query: 'kubernetes.audit.aks_metadata.*:zzz', doc: { category: 'kube-audit', properties: { log: JSON.stringify(raw({ aks_metadata: { pod: 'zzz' } })) } }, expected: false, spec: 'semantics.md: (2) AKS: kubernetes.audit.aks_metadata comes from the wrapper (the event\'s own is replaced), for wildcard field names too' },
  { id: 'obj-gke', query: 'kubernetes.audit.protoPayload:*', doc: { protoPayload: { '@type': 'type.googleapis.com/google.cloud.audit.AuditLog', status: { code: 7 } } }, expected: true, spec: `${OBJ}: a GKE entry's view` },
  { id: 'obj-gke-moved-away', query: 'kubernetes.audit.protoPayload.status:*', doc: { protoPayload: { '@type': 'type.googleapis.com/google.cloud.audit.AuditLog', status: { code: 7 } } }, expected: false, spec: `${OBJ}: protoPayload.status.code moves to responseStatus.code` },
  { id: 'obj-nested-element', query: 'kubernetes.audit.requestObject.spec.containers:{ securityContext:* }', doc: { kubernetes: { audit: { requestObject: { spec: { containers: [{ securityContext: {} }, { securityContext: { runAsUser: 0 } }] } } } } }, expected: true, spec: `${OBJ}, inside one nested element` },
  { id: 'obj-nested-element-empty', query: 'kubernetes.audit.requestObject.spec.containers:{ securityContext:* and name:b }', doc: { kubernetes: { audit: { requestObject: { spec: { containers: [{ name: 'a', securityContext: { privileged: true } }, { name: 'b', securityContext: { privileged: null } }] } } } } }, expected: false, spec: `${OBJ}, per nested element (the value is in another element)` },
];

/** Every case, in a stable order. */
export const CONFORMANCE_CASES: ConformanceCase[] = [
  ...seedCases(),
  ...SEED_SPECIFIC,
  ...GRAMMAR,
  ...PATHS,
  ...MISSING,
  ...KEYWORD,
  ...TEXT,
  ...NUMBERS,
  ...BOOLEANS,
  ...DATES,
  ...IPS,
  ...FIELDLESS,
  ...WILDCARD_FIELDS,
  ...NESTED,
  ...SHAPES,
  ...PACK_STYLE,
  ...OBJECT_EXISTS,
];
