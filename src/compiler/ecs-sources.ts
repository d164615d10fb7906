// Where each record shape keeps the value of an ECS field (spec: audit-to-ecs.md), as key paths the
// evaluator's scanner follows. Plan Ecs reads the record as it is; Raw reads a raw Kubernetes audit
// event; Gke a Cloud Logging LogEntry; AksObject an AKS record whose properties.log is an object.
import { Plan, Transform, ViewRule, VIEW_DEDOT, VIEW_OUTCOME, VIEW_IP_LIST } from './format.js';

export interface FieldSource {
  plan: Plan;
  path: string[];
  dedotLast: boolean;
  transform: Transform;
}

export const AUDIT_DATASET = 'kubernetes.audit_logs';

/** Constant fields of every audit-event plan (added by the agent, not in the raw log). */
export const AUDIT_CONSTANTS: Record<string, string> = {
  'event.dataset': AUDIT_DATASET,
  'data_stream.dataset': AUDIT_DATASET,
  'data_stream.type': 'logs',
  'event.kind': 'event',
  'orchestrator.type': 'kubernetes',
};

/** ECS fields copied from a raw audit event path (several sources feed one field). */
const RAW_RENAMES: Record<string, string[]> = {
  'user.name': ['user.username'],
  'user.id': ['user.uid'],
  'user_agent.original': ['userAgent'],
  'source.ip': ['sourceIPs'],
  'client.ip': ['sourceIPs'],
  'related.ip': ['sourceIPs'],
  'related.user': ['user.uid', 'user.username'],
  'event.action': ['verb'],
  'orchestrator.api_version': ['apiVersion'],
  'orchestrator.resource.type': ['objectRef.resource'],
  'orchestrator.resource.name': ['objectRef.name'],
  'orchestrator.namespace': ['objectRef.namespace'],
};

/** Fields the pipeline fills from sourceIPs with a convert-to-ip: all values valid, or the field is not set. */
export const IP_LIST_FIELDS = new Set(['source.ip', 'client.ip', 'related.ip']);

const AUDIT_PREFIX = 'kubernetes.audit.';
const ANNOTATIONS = 'annotations.';
const DECISION_KEY = 'authorization_k8s_io/decision';

const split = (p: string) => p.split('.');

/** Sources of `field` in a raw audit event rooted at `root` (path prefix) for `plan`. */
function rawSources(field: string, plan: Plan, root: string[]): FieldSource[] {
  const src = (path: string[], dedotLast = false, transform = Transform.Identity): FieldSource => ({
    plan,
    path: [...root, ...path],
    dedotLast,
    transform,
  });
  if (field === 'event.outcome') return [src(['annotations', DECISION_KEY], true, Transform.Outcome)];
  const renamed = RAW_RENAMES[field];
  if (renamed) return renamed.map((p) => src(split(p), false, IP_LIST_FIELDS.has(field) ? Transform.IpList : Transform.Identity));
  const below = copiedObjectSources(RAW_RENAMES, field);
  if (below) return below.map((p) => src(p));
  if (!field.startsWith(AUDIT_PREFIX)) return [];
  const rest = field.slice(AUDIT_PREFIX.length);
  if (rest.startsWith(ANNOTATIONS)) return [src(['annotations', rest.slice(ANNOTATIONS.length)], true)];
  // The integration's pipeline removes these objects.
  if (/^(requestObject|responseObject)\.metadata(\.|$)/.test(rest)) return [];
  return [src(split(rest))];
}

/**
 * A field below a copied field (`user.name.x` when user.username holds an object: the pipeline copies
 * it whole) comes from below the copy's sources. Not for the IP copies: an object fails the conversion.
 */
function copiedObjectSources(copies: Record<string, string[]>, field: string): string[][] | undefined {
  for (const [target, raws] of Object.entries(copies)) {
    if (IP_LIST_FIELDS.has(target) || !field.startsWith(target + '.')) continue;
    const rest = split(field.slice(target.length + 1));
    return raws.map((raw) => [...split(raw), ...rest]);
  }
  return undefined;
}

/** GKE LogEntry (semantics.md, mapping G): `kubernetes.audit` is the entry itself, with a few keys moved. */
const GKE_MOVED: Record<string, string[]> = {
  auditID: ['insertId'],
  requestReceivedTimestamp: ['receiveTimestamp'],
  stageTimestamp: ['timestamp'],
  'responseStatus.code': ['protoPayload', 'status', 'code'],
};
const GKE_REMOVED = /^(insertId|labels|receiveTimestamp|timestamp)(\.|$)|^protoPayload\.status\.code(\.|$)/;
const GKE_FIELDS: Record<string, string[]> = {
  'orchestrator.cluster.name': ['resource', 'labels', 'cluster_name'],
  'orchestrator.cluster.id': ['resource', 'labels', 'project_id'],
  'orchestrator.resource.type': ['resource', 'type'],
  'orchestrator.resource.name': ['protoPayload', 'resourceName'],
};

function gkeSources(field: string): FieldSource[] {
  const plan = Plan.Gke;
  const src = (path: string[], dedotLast = false, transform = Transform.Identity): FieldSource[] => [{ plan, path, dedotLast, transform }];
  if (field === 'event.outcome') return src(['labels', DECISION_KEY], true, Transform.Outcome);
  if (GKE_FIELDS[field]) return src(GKE_FIELDS[field]);
  const below = copiedObjectSources(Object.fromEntries(Object.entries(GKE_FIELDS).map(([f, p]) => [f, [p.join('.')]])), field);
  if (below) return below.flatMap((p) => src(p));
  if (!field.startsWith(AUDIT_PREFIX)) return [];
  const rest = field.slice(AUDIT_PREFIX.length);
  if (rest.startsWith(ANNOTATIONS)) return src(['labels', rest.slice(ANNOTATIONS.length)], true);
  if (GKE_MOVED[rest]) return src(GKE_MOVED[rest]);
  if (GKE_REMOVED.test(rest)) return [];
  return src(split(rest));
}

/** AKS: `kubernetes.audit.aks_metadata.<key>` comes from these paths of the wrapper (semantics.md 2, AKS). */
const AKS_METADATA_PREFIX = 'kubernetes.audit.aks_metadata.';
const AKS_METADATA: Record<string, string[]> = {
  category: ['category'],
  operation_name: ['operationName'],
  resource_id: ['resourceId'],
  service_build: ['serviceBuild'],
  time: ['time'],
  container_id: ['properties', 'containerID'],
  stream: ['properties', 'stream'],
  pod: ['properties', 'pod'],
};

/** Is the field under `kubernetes.audit.aks_metadata` (filled from the AKS wrapper, replacing the event's own)? */
export function isAksMetadata(field: string): boolean {
  return field.startsWith(AKS_METADATA_PREFIX);
}

/** The wrapper path of an aks_metadata field (a key of AKS_METADATA, or below one), or none. */
function aksMetadataSources(field: string): FieldSource[] {
  const rest = field.slice(AKS_METADATA_PREFIX.length);
  for (const [key, path] of Object.entries(AKS_METADATA)) {
    if (rest === key || rest.startsWith(key + '.')) {
      const below = rest === key ? [] : split(rest.slice(key.length + 1));
      return [{ plan: Plan.AksObject, path: [...path, ...below], dedotLast: false, transform: Transform.Identity }];
    }
  }
  return [];
}

/** Every place the value of ECS field `field` can come from, over all plans. */
export function sourcesOf(field: string): FieldSource[] {
  return [
    { plan: Plan.Ecs, path: split(field), dedotLast: false, transform: Transform.Identity },
    ...rawSources(field, Plan.Raw, []),
    ...gkeSources(field),
    ...(isAksMetadata(field) ? aksMetadataSources(field) : rawSources(field, Plan.AksObject, ['properties', 'log'])),
  ];
}

/** Constant value of `field` in the audit-event plans, if it is one of the agent-added constants. */
export function constantOf(field: string): string | undefined {
  return AUDIT_CONSTANTS[field];
}

/** Does the field's value appear verbatim in the record's bytes in every plan (so a literal can prefilter)? */
export function appearsVerbatim(field: string): boolean {
  if (constantOf(field) !== undefined) return false;
  return sourcesOf(field).every((s) => s.transform === Transform.Identity || s.transform === Transform.IpList);
}

/** How a plan names a record path in the ECS view, for field-less values and wildcard field names. */
export interface ViewRuleIR {
  kind: ViewRule;
  raw: string;
  view: string;
  flags: number;
}

const RAW_RENAMED_COPIES: [string, string, number][] = [
  ['annotations.authorization.k8s.io/decision', 'event.outcome', VIEW_OUTCOME],
  ...Object.entries(RAW_RENAMES).flatMap(([field, raws]) => raws.map((raw): [string, string, number] => [raw, field, IP_LIST_FIELDS.has(field) ? VIEW_IP_LIST : 0])),
];

function rawViewRules(root: string): ViewRuleIR[] {
  const at = (p: string) => (root ? `${root}.${p}` : p);
  return [
    { kind: ViewRule.Drop, raw: at('requestObject.metadata'), view: '', flags: 0 },
    { kind: ViewRule.Drop, raw: at('responseObject.metadata'), view: '', flags: 0 },
    { kind: ViewRule.Prefix, raw: at('annotations'), view: 'kubernetes.audit.annotations', flags: VIEW_DEDOT },
    { kind: ViewRule.Prefix, raw: root, view: 'kubernetes.audit', flags: 0 },
    ...RAW_RENAMED_COPIES.map(([raw, view, flags]) => ({ kind: ViewRule.Copy, raw: at(raw), view, flags })),
  ];
}

function gkeViewRules(): ViewRuleIR[] {
  const moved = Object.entries(GKE_MOVED).map(([view, raw]) => ({ kind: ViewRule.Prefix, raw: raw.join('.'), view: AUDIT_PREFIX + view, flags: 0 }));
  return [
    ...moved,
    { kind: ViewRule.Prefix, raw: 'labels', view: 'kubernetes.audit.annotations', flags: VIEW_DEDOT },
    { kind: ViewRule.Drop, raw: 'insertId', view: '', flags: 0 },
    { kind: ViewRule.Drop, raw: 'receiveTimestamp', view: '', flags: 0 },
    { kind: ViewRule.Drop, raw: 'timestamp', view: '', flags: 0 },
    { kind: ViewRule.Prefix, raw: '', view: 'kubernetes.audit', flags: 0 },
    { kind: ViewRule.Copy, raw: `labels.${'authorization.k8s.io/decision'}`, view: 'event.outcome', flags: VIEW_OUTCOME },
    ...Object.entries(GKE_FIELDS).map(([view, raw]) => ({ kind: ViewRule.Copy, raw: raw.join('.'), view, flags: 0 })),
  ];
}

/** View rules per plan (index = plan). */
export function viewRules(): ViewRuleIR[][] {
  return [
    [{ kind: ViewRule.Prefix, raw: '', view: '', flags: 0 }],
    rawViewRules(''),
    gkeViewRules(),
    rawViewRules('properties.log'),
  ];
}

/** A record path whose scalars may lie under an object field of the view (see `presenceSources`). */
export interface PresenceSource {
  plan: Plan;
  path: string[];
  /** Also the scalar at the path itself (a copy renamed into the object), not only what lies inside containers there. */
  at: boolean;
  /** The last key is matched whole with '.' read as '_' (a key inside dedotted annotations). */
  dedotLast: boolean;
}

/**
 * Where the scalars below `field.` in the view can come from, per plan (exists on an object field,
 * `f:*`): the record paths whose scalars the scanner records with their paths. A superset is fine:
 * the evaluator maps each recorded scalar through the plan's view rules and keeps those below
 * `field.`. Derived from the same view rules the evaluator applies, plus the AKS wrapper's fields.
 */
export function presenceSources(field: string): PresenceSource[] {
  const below = field + '.';
  const out: PresenceSource[] = [];
  const pathOf = (p: string) => (p === '' ? [] : split(p));
  viewRules().forEach((rules, plan: Plan) => {
    for (const r of rules) {
      if (r.kind === ViewRule.Drop) continue;
      if (r.kind === ViewRule.Copy && !(r.flags & (VIEW_OUTCOME | VIEW_IP_LIST)) && (r.view === field || field.startsWith(r.view + '.'))) {
        // A copied object: what lies below field comes from below the copy's source.
        out.push({ plan, path: [...pathOf(r.raw), ...pathOf(field.slice(r.view.length + 1))], at: false, dedotLast: false });
      } else if (r.view.startsWith(below)) {
        // A copy from inside a dedotted object (the decision annotation) is found by its whole key.
        const dedotted = rules.find((d) => d.kind === ViewRule.Prefix && d.flags & VIEW_DEDOT && r.raw.startsWith(d.raw + '.'));
        const path = dedotted ? [...pathOf(dedotted.raw), r.raw.slice(dedotted.raw.length + 1).replaceAll('.', '_')] : pathOf(r.raw);
        out.push({ plan, path, at: true, dedotLast: dedotted !== undefined });
      } else if (r.kind === ViewRule.Prefix && (r.view === field || r.view === '' || below.startsWith(r.view + '.'))) {
        // Inside raw, a path `rest` becomes view + "." + rest; what lies below field starts at raw + the rest of field.
        // Dedotted keys are matched whole: record the whole object (the evaluator decides).
        const rest = r.view === field ? '' : r.view === '' ? field : field.slice(r.view.length + 1);
        const path = r.flags & VIEW_DEDOT ? pathOf(r.raw) : [...pathOf(r.raw), ...pathOf(rest)];
        out.push({ plan, path, at: false, dedotLast: false });
      }
    }
  });
  for (const [key, path] of Object.entries(AKS_METADATA)) {
    const name = AKS_METADATA_PREFIX + key;
    if (name.startsWith(below)) out.push({ plan: Plan.AksObject, path, at: true, dedotLast: false });
    else if (name === field || field.startsWith(name + '.')) out.push({ plan: Plan.AksObject, path: [...path, ...pathOf(field.slice(name.length + 1))], at: false, dedotLast: false });
  }
  return out;
}
