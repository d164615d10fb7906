// The document Elastic's rules see for a record (audit-to-ecs.md): a raw Kubernetes audit event
// (as is, inside a GKE or AKS wrapper, or as a JSON string in `log`/`message`) goes through the
// same mapping as the Kubernetes integration's ingest pipeline; anything else is taken as an
// already-ECS document and evaluated as is. Shape detection looks only at top-level keys (and, for
// the wrappers, one level below), so a byte-level evaluator can decide it cheaply.

import { isJsonLeaf, isJsonObject, parseJson } from './json.js';
import { parseIp } from './values/ip.js';

export type RecordShape = 'raw' | 'gke' | 'aks' | 'embedded' | 'ecs';

export interface EcsView {
  shape: RecordShape;
  /** The document the rules query. */
  doc: Record<string, unknown>;
  /** The raw audit event the view was built from (shapes raw, aks, embedded). */
  event?: Record<string, unknown>;
}

/** Constant fields the agent adds to every document of the data stream. */
export const AUDIT_DATASET = 'kubernetes.audit_logs';
export const GKE_AUDIT_LOG_TYPE = 'type.googleapis.com/google.cloud.audit.AuditLog';
export const AKS_AUDIT_CATEGORIES: readonly string[] = ['kube-audit', 'kube-audit-admin'];
/** Top-level string fields that may carry the raw event as JSON text, tried in this order. */
export const EMBEDDING_FIELDS: readonly string[] = ['log', 'message'];

/**
 * A raw audit event: `kind` is the string "Event" and either `apiVersion` is a string starting with
 * "audit.k8s.io/", or there is no `apiVersion` key at all and `auditID` is a string (some
 * recorders drop apiVersion, e.g. Falco's test traces).
 */
export function isRawAuditEvent(value: unknown): value is Record<string, unknown> {
  if (!isJsonObject(value) || value.kind !== 'Event') return false;
  if (typeof value.apiVersion === 'string') return value.apiVersion.startsWith('audit.k8s.io/');
  return !Object.prototype.hasOwnProperty.call(value, 'apiVersion') && typeof value.auditID === 'string';
}

/** A raw audit event carried as JSON text (or, for AKS, possibly as an object). */
function embeddedEvent(carrier: unknown, objectAllowed: boolean): Record<string, unknown> | undefined {
  if (objectAllowed && isRawAuditEvent(carrier)) return carrier;
  if (typeof carrier !== 'string') return undefined;
  let parsed: unknown;
  try {
    parsed = parseJson(carrier);
  } catch {
    return undefined;
  }
  return isRawAuditEvent(parsed) ? parsed : undefined;
}

function isGkeAuditLog(record: Record<string, unknown>): boolean {
  return isJsonObject(record.protoPayload) && record.protoPayload['@type'] === GKE_AUDIT_LOG_TYPE;
}

function aksEvent(record: Record<string, unknown>): Record<string, unknown> | undefined {
  if (typeof record.category !== 'string' || !AKS_AUDIT_CATEGORIES.includes(record.category)) return undefined;
  if (!isJsonObject(record.properties)) return undefined;
  return embeddedEvent(record.properties.log, true);
}

/** The view of a record, or null when the record is not a JSON object. */
export function toEcsView(record: unknown): EcsView | null {
  if (!isJsonObject(record)) return null;
  if (isRawAuditEvent(record)) return { shape: 'raw', doc: auditEventToEcs(record), event: record };
  if (isGkeAuditLog(record)) return { shape: 'gke', doc: gkeToEcs(record) };
  const aks = aksEvent(record);
  if (aks) return { shape: 'aks', doc: aksToEcs(record, aks), event: aks };
  for (const field of EMBEDDING_FIELDS) {
    const event = embeddedEvent(record[field], false);
    if (event) return { shape: 'embedded', doc: auditEventToEcs(event), event };
  }
  return { shape: 'ecs', doc: record };
}

/** Deep copy of objects and arrays (scalars are immutable and shared). */
function clone<T>(value: T): T {
  if (Array.isArray(value)) return value.map(clone) as T;
  if (isJsonObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) define(out, k, clone(v));
    return out as T;
  }
  return value;
}

/** Set an own property even for the key "__proto__". */
function define(obj: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

function own(obj: Record<string, unknown>, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined;
}

/** The literal nested key path (no dotted-key equivalence: the ingest pipeline reads ctx maps). */
function get(obj: unknown, ...keys: string[]): unknown {
  let current: unknown = obj;
  for (const key of keys) {
    if (!isJsonObject(current)) return undefined;
    current = own(current, key);
  }
  return current;
}

/** Set a nested path, creating objects; an existing non-object in the way is replaced. */
function put(obj: Record<string, unknown>, keys: string[], value: unknown): void {
  let current = obj;
  for (const key of keys.slice(0, -1)) {
    const next = own(current, key);
    if (!isJsonObject(next)) define(current, key, {});
    current = current[key] as Record<string, unknown>;
  }
  define(current, keys[keys.length - 1], value);
}

/** The ingest pipeline's `set ... copy_from ... ignore_empty_value`: skip null, missing and "". */
function copyIfSet(doc: Record<string, unknown>, target: string[], value: unknown): void {
  if (value === undefined || value === null || value === '') return;
  put(doc, target, clone(value));
}

/** Annotation keys with every "." replaced by "_"; the decision gives event.outcome. */
function mapAnnotations(annotations: Record<string, unknown>): { dedotted: Record<string, unknown>; outcome?: string } {
  const dedotted: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(annotations)) define(dedotted, key.split('.').join('_'), value);
  const decision = own(annotations, 'authorization.k8s.io/decision');
  const outcome = decision === 'allow' ? 'success' : decision === 'forbid' ? 'failure' : undefined;
  return { dedotted, outcome };
}

function flatten(value: unknown): unknown[] {
  return Array.isArray(value) ? value.flatMap(flatten) : [value];
}

/** The pipeline converts sourceIPs to type ip; if any value fails, source.ip is not set at all. */
function allValidIps(value: unknown, isIp: (text: string) => boolean): boolean {
  return flatten(value).every((v) => typeof v === 'string' && isIp(v));
}

/** The common tail of every audit mapping: constants, then removal of empty values. */
function finish(doc: Record<string, unknown>): Record<string, unknown> {
  put(doc, ['event', 'kind'], 'event');
  put(doc, ['event', 'dataset'], AUDIT_DATASET);
  put(doc, ['data_stream', 'dataset'], AUDIT_DATASET);
  put(doc, ['data_stream', 'type'], 'logs');
  put(doc, ['orchestrator', 'type'], 'kubernetes');
  dropEmpty(doc);
  return doc;
}

/** The integration's mapping of one raw audit event (audit-to-ecs.md, "Mapping"). */
export function auditEventToEcs(event: Record<string, unknown>, isIp: (text: string) => boolean = defaultIsIp): Record<string, unknown> {
  const audit = clone(event);
  for (const key of ['requestObject', 'responseObject']) {
    const obj = own(audit, key);
    if (isJsonObject(obj)) delete obj.metadata;
  }
  const doc: Record<string, unknown> = {};
  const annotations = own(audit, 'annotations');
  if (isJsonObject(annotations)) {
    const { dedotted, outcome } = mapAnnotations(annotations);
    define(audit, 'annotations', dedotted);
    if (outcome) put(doc, ['event', 'outcome'], outcome);
  }
  put(doc, ['kubernetes', 'audit'], audit);
  copyIfSet(doc, ['event', 'action'], get(audit, 'verb'));
  copyIfSet(doc, ['user', 'name'], get(audit, 'user', 'username'));
  copyIfSet(doc, ['user', 'id'], get(audit, 'user', 'uid'));
  copyIfSet(doc, ['user_agent', 'original'], get(audit, 'userAgent'));
  const sourceIps = get(audit, 'sourceIPs');
  if (sourceIps !== undefined && sourceIps !== null && allValidIps(sourceIps, isIp)) {
    copyIfSet(doc, ['source', 'ip'], sourceIps);
    copyIfSet(doc, ['client', 'ip'], sourceIps);
    copyIfSet(doc, ['related', 'ip'], sourceIps);
  }
  const relatedUsers = [get(audit, 'user', 'uid'), get(audit, 'user', 'username')].flatMap(flatten).filter((v) => v !== undefined && v !== null && v !== '');
  if (relatedUsers.length > 0) put(doc, ['related', 'user'], relatedUsers.map(clone));
  copyIfSet(doc, ['orchestrator', 'api_version'], get(audit, 'apiVersion'));
  copyIfSet(doc, ['orchestrator', 'resource', 'type'], get(audit, 'objectRef', 'resource'));
  copyIfSet(doc, ['orchestrator', 'resource', 'name'], get(audit, 'objectRef', 'name'));
  copyIfSet(doc, ['orchestrator', 'namespace'], get(audit, 'objectRef', 'namespace'));
  return finish(doc);
}

/** GKE Cloud Logging LogEntry holding a Kubernetes AuditLog (audit-to-ecs.md, "Wrappers"). */
export function gkeToEcs(record: Record<string, unknown>): Record<string, unknown> {
  const audit = clone(record);
  const moved = (key: string) => {
    const value = own(audit, key);
    delete audit[key];
    return value;
  };
  const insertId = moved('insertId');
  const labels = moved('labels');
  const receiveTimestamp = moved('receiveTimestamp');
  const timestamp = moved('timestamp');
  const status = get(audit, 'protoPayload', 'status');
  let code: unknown;
  if (isJsonObject(status)) {
    code = own(status, 'code');
    delete status.code;
  }
  const doc: Record<string, unknown> = {};
  if (insertId !== undefined) define(audit, 'auditID', insertId);
  if (isJsonObject(labels)) {
    const { dedotted, outcome } = mapAnnotations(labels);
    define(audit, 'annotations', dedotted);
    if (outcome) put(doc, ['event', 'outcome'], outcome);
  }
  if (receiveTimestamp !== undefined) define(audit, 'requestReceivedTimestamp', receiveTimestamp);
  if (timestamp !== undefined) define(audit, 'stageTimestamp', timestamp);
  if (code !== undefined) put(audit, ['responseStatus', 'code'], code);
  put(doc, ['kubernetes', 'audit'], audit);
  copyIfSet(doc, ['orchestrator', 'cluster', 'name'], get(audit, 'resource', 'labels', 'cluster_name'));
  copyIfSet(doc, ['orchestrator', 'cluster', 'id'], get(audit, 'resource', 'labels', 'project_id'));
  copyIfSet(doc, ['orchestrator', 'resource', 'type'], get(audit, 'resource', 'type'));
  copyIfSet(doc, ['orchestrator', 'resource', 'name'], get(audit, 'protoPayload', 'resourceName'));
  return finish(doc);
}

/** AKS diagnostic record: the inner event's mapping plus the wrapper under kubernetes.audit.aks_metadata. */
export function aksToEcs(record: Record<string, unknown>, event: Record<string, unknown>): Record<string, unknown> {
  const doc = auditEventToEcs(event);
  const metadata: Record<string, unknown> = {};
  const wrapperFields: [string, unknown][] = [
    ['category', own(record, 'category')],
    ['operation_name', own(record, 'operationName')],
    ['resource_id', own(record, 'resourceId')],
    ['service_build', own(record, 'serviceBuild')],
    ['time', own(record, 'time')],
    ['container_id', get(record, 'properties', 'containerID')],
    ['stream', get(record, 'properties', 'stream')],
    ['pod', get(record, 'properties', 'pod')],
  ];
  for (const [key, value] of wrapperFields) if (value !== undefined) define(metadata, key, clone(value));
  put(doc, ['kubernetes', 'audit', 'aks_metadata'], metadata);
  dropEmpty(doc);
  return doc;
}

/**
 * Remove every null, "", {} and [] anywhere, bottom-up in one pass (children first, so a parent
 * emptied by the removal is removed too: the result is stable). Array elements are removed the
 * same way. Returns whether `value` itself is empty.
 */
export function dropEmpty(value: unknown): boolean {
  if (value === null || value === '' || value === undefined) return true;
  if (Array.isArray(value)) {
    for (let i = value.length - 1; i >= 0; i--) if (dropEmpty(value[i])) value.splice(i, 1);
    return value.length === 0;
  }
  if (isJsonObject(value)) {
    for (const key of Object.keys(value)) if (dropEmpty(value[key])) delete value[key];
    return Object.keys(value).length === 0;
  }
  return !isJsonLeaf(value);
}

function defaultIsIp(text: string): boolean {
  return parseIp(text) !== undefined;
}
