// Where each record shape keeps the value of an ECS field (spec: audit-to-ecs.md), as key paths the
// evaluator's scanner follows. Plan Ecs reads the record as it is; Raw reads a raw Kubernetes audit
// event; Gke a Cloud Logging LogEntry; AksObject an AKS record whose properties.log is an object.
import { Plan, Transform } from './format.js';

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
  if (renamed) return renamed.map((p) => src(split(p)));
  if (!field.startsWith(AUDIT_PREFIX)) return [];
  const rest = field.slice(AUDIT_PREFIX.length);
  if (rest.startsWith(ANNOTATIONS)) return [src(['annotations', rest.slice(ANNOTATIONS.length)], true)];
  // The integration's pipeline removes these objects.
  if (/^(requestObject|responseObject)\.metadata(\.|$)/.test(rest)) return [];
  return [src(split(rest))];
}

/** GKE LogEntry: only what audit-to-ecs.md names is mapped (the caller's principal and agent stay in protoPayload). */
const GKE_FIELDS: Record<string, string[]> = {
  'kubernetes.audit.auditID': ['insertId'],
  'kubernetes.audit.requestReceivedTimestamp': ['receiveTimestamp'],
  'kubernetes.audit.stageTimestamp': ['timestamp'],
  'kubernetes.audit.responseStatus.code': ['protoPayload.status.code'],
  'orchestrator.cluster.name': ['resource.labels.cluster_name'],
  'orchestrator.cluster.id': ['resource.labels.project_id'],
};

function gkeSources(field: string): FieldSource[] {
  const plan = Plan.Gke;
  if (field === 'event.outcome') return [{ plan, path: ['labels', DECISION_KEY], dedotLast: true, transform: Transform.Outcome }];
  const annotation = AUDIT_PREFIX + ANNOTATIONS;
  if (field.startsWith(annotation)) return [{ plan, path: ['labels', field.slice(annotation.length)], dedotLast: true, transform: Transform.Identity }];
  return (GKE_FIELDS[field] ?? []).map((p) => ({ plan, path: split(p), dedotLast: false, transform: Transform.Identity }));
}

/** Every place the value of ECS field `field` can come from, over all plans. */
export function sourcesOf(field: string): FieldSource[] {
  return [
    { plan: Plan.Ecs, path: split(field), dedotLast: false, transform: Transform.Identity },
    ...rawSources(field, Plan.Raw, []),
    ...gkeSources(field),
    ...rawSources(field, Plan.AksObject, ['properties', 'log']),
  ];
}

/** Constant value of `field` in the audit-event plans, if it is one of the agent-added constants. */
export function constantOf(field: string): string | undefined {
  return AUDIT_CONSTANTS[field];
}

/** Does the field's value appear verbatim in the record's bytes in every plan (so a literal can prefilter)? */
export function appearsVerbatim(field: string): boolean {
  if (constantOf(field) !== undefined) return false;
  return sourcesOf(field).every((s) => s.transform === Transform.Identity);
}
