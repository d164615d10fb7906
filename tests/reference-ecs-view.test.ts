import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { dropEmpty, isRawAuditEvent, toEcsView } from '../src/reference/ecs-view.js';
import { parseJson, stringifyJson } from '../src/reference/json.js';
import { valuesAt } from '../src/reference/document.js';

const sharedDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../shared');
const hasShared = existsSync(path.join(sharedDir, 'corpora'));

const rawEvent = () => ({
  kind: 'Event',
  apiVersion: 'audit.k8s.io/v1',
  level: 'Metadata',
  auditID: 'a-1',
  stage: 'ResponseComplete',
  requestURI: '/api/v1/namespaces/default/pods',
  verb: 'get',
  user: { username: 'system:serviceaccount:default:sa', uid: 'u-1', groups: ['system:serviceaccounts'], extra: {} },
  sourceIPs: ['10.0.0.7'],
  userAgent: 'kubectl/v1.26.1',
  objectRef: { resource: 'pods', namespace: 'default', name: 'p', apiGroup: '', apiVersion: 'v1' },
  responseStatus: { metadata: {}, code: 403 },
  requestObject: { metadata: { name: 'gone' }, spec: { hostNetwork: true } },
  responseObject: { metadata: { uid: 'x' }, kind: 'Pod' },
  requestReceivedTimestamp: '2025-03-04T06:22:18.819232Z',
  stageTimestamp: '2025-03-04T06:22:18.822532Z',
  annotations: { 'authorization.k8s.io/decision': 'forbid', 'authorization.k8s.io/reason': '', 'pod-security.kubernetes.io/enforce-policy': 'privileged:latest' },
});

describe('shape detection', () => {
  it('recognises raw audit events with and without apiVersion', () => {
    expect(isRawAuditEvent(rawEvent())).toBe(true);
    expect(isRawAuditEvent({ kind: 'Event', apiVersion: 'audit.k8s.io/v1beta1', auditID: 'x' })).toBe(true);
    expect(isRawAuditEvent({ kind: 'Event', auditID: 'x' })).toBe(true);
    expect(isRawAuditEvent({ kind: 'Event' })).toBe(false);
    expect(isRawAuditEvent({ kind: 'Event', apiVersion: 'v1', auditID: 'x' })).toBe(false);
    expect(isRawAuditEvent({ kind: 'Event', apiVersion: null, auditID: 'x' })).toBe(false);
    expect(isRawAuditEvent({ kind: 0 })).toBe(false);
    expect(isRawAuditEvent({ kind: 'event', apiVersion: 'audit.k8s.io/v1' })).toBe(false);
  });
  it('classifies wrappers, embedded strings and ECS records', () => {
    const line = JSON.stringify(rawEvent());
    expect(toEcsView(rawEvent())?.shape).toBe('raw');
    expect(toEcsView({ log: line + '\n', stream: 'stdout' })?.shape).toBe('embedded');
    expect(toEcsView({ message: line, host: 'h' })?.shape).toBe('embedded');
    expect(toEcsView({ log: 'plain text', message: line })?.shape).toBe('embedded');
    expect(toEcsView({ log: '{"kind":"Pod"}' })?.shape).toBe('ecs');
    expect(toEcsView({ log: line.slice(0, -1) })?.shape).toBe('ecs');
    expect(toEcsView({ log: rawEvent() })?.shape).toBe('ecs');
    expect(toEcsView({ category: 'kube-audit', properties: { log: line } })?.shape).toBe('aks');
    expect(toEcsView({ category: 'kube-audit-admin', properties: { log: rawEvent() } })?.shape).toBe('aks');
    expect(toEcsView({ category: 'kube-apiserver', properties: { log: line } })?.shape).toBe('ecs');
    expect(toEcsView({ protoPayload: { '@type': 'type.googleapis.com/google.cloud.audit.AuditLog' } })?.shape).toBe('gke');
    expect(toEcsView({ kubernetes: { audit: { verb: 'get' } } })?.shape).toBe('ecs');
    expect(toEcsView([rawEvent()])).toBeNull();
    expect(toEcsView('x')).toBeNull();
    expect(toEcsView(null)).toBeNull();
  });
});

describe('raw audit event mapping', () => {
  const view = toEcsView(rawEvent())!;
  const doc = view.doc;
  it('keeps the event under kubernetes.audit, minus request/response metadata and empties', () => {
    const audit = (doc.kubernetes as any).audit;
    expect(audit.kind).toBe('Event');
    expect(audit.verb).toBe('get');
    expect(audit.requestObject).toEqual({ spec: { hostNetwork: true } });
    expect(audit.responseObject).toEqual({ kind: 'Pod' });
    expect(audit.responseStatus).toEqual({ code: 403 });
    expect(audit.objectRef.apiGroup).toBeUndefined();
    expect(audit.user.extra).toBeUndefined();
  });
  it('dedots annotation keys and drops the empty reason', () => {
    expect((doc.kubernetes as any).audit.annotations).toEqual({
      'authorization_k8s_io/decision': 'forbid',
      'pod-security_kubernetes_io/enforce-policy': 'privileged:latest',
    });
  });
  it('adds the ECS fields of audit-to-ecs.md', () => {
    expect(doc.event).toEqual({ outcome: 'failure', action: 'get', kind: 'event', dataset: 'kubernetes.audit_logs' });
    expect(doc.user).toEqual({ name: 'system:serviceaccount:default:sa', id: 'u-1' });
    expect(doc.user_agent).toEqual({ original: 'kubectl/v1.26.1' });
    expect(doc.source).toEqual({ ip: ['10.0.0.7'] });
    expect(doc.client).toEqual({ ip: ['10.0.0.7'] });
    expect(doc.related).toEqual({ ip: ['10.0.0.7'], user: ['u-1', 'system:serviceaccount:default:sa'] });
    expect(doc.orchestrator).toEqual({ api_version: 'audit.k8s.io/v1', resource: { type: 'pods', name: 'p' }, namespace: 'default', type: 'kubernetes' });
    expect(doc.data_stream).toEqual({ dataset: 'kubernetes.audit_logs', type: 'logs' });
    expect(doc['@timestamp']).toBeUndefined();
  });
  it('maps decision allow to success and other decisions to no outcome', () => {
    const allow = toEcsView({ ...rawEvent(), annotations: { 'authorization.k8s.io/decision': 'allow' } })!.doc;
    expect((allow.event as any).outcome).toBe('success');
    const other = toEcsView({ ...rawEvent(), annotations: { 'authorization.k8s.io/decision': 'Forbid' } })!.doc;
    expect((other.event as any).outcome).toBeUndefined();
  });
  it('does not set source.ip when a sourceIP is invalid, nor empty copies', () => {
    const v = toEcsView({ ...rawEvent(), sourceIPs: ['10.0.0.1', 'bogus'], userAgent: '', user: { username: '' } })!.doc;
    expect(v.source).toBeUndefined();
    expect(v.client).toBeUndefined();
    expect(v.user_agent).toBeUndefined();
    expect(v.user).toBeUndefined();
    expect(valuesAt(v, 'kubernetes.audit.sourceIPs')).toEqual(['10.0.0.1', 'bogus']);
  });
  it('does not modify the record and keeps number text', () => {
    const record = rawEvent();
    const before = JSON.stringify(record);
    toEcsView(record);
    expect(JSON.stringify(record)).toBe(before);
    const parsed = parseJson('{"kind":"Event","apiVersion":"audit.k8s.io/v1","auditID":"x","responseStatus":{"code":403.0}}');
    expect(stringifyJson(toEcsView(parsed)!.doc)).toContain('"code":403.0');
  });
  it('embedded and AKS views equal the raw view of the inner event', () => {
    const line = JSON.stringify(rawEvent());
    const plain = (v: unknown) => JSON.parse(JSON.stringify(v));
    expect(plain(toEcsView({ log: line })!.doc)).toEqual(doc);
    const aks = toEcsView({ category: 'kube-audit', operationName: 'op', resourceId: '/R', time: '2025-10-07T16:19:19.647880072Z', properties: { log: line, pod: 'kube-apiserver-1', stream: 'stdout', containerID: 'c1' } })!;
    const { aks_metadata, ...audit } = (aks.doc.kubernetes as any).audit;
    expect(plain(audit)).toEqual((doc.kubernetes as any).audit);
    expect(aks_metadata).toEqual({ category: 'kube-audit', operation_name: 'op', resource_id: '/R', time: '2025-10-07T16:19:19.647880072Z', container_id: 'c1', stream: 'stdout', pod: 'kube-apiserver-1' });
    expect(aks.doc['@timestamp']).toBeUndefined();
  });
});

describe('GKE mapping', () => {
  const record = {
    protoPayload: {
      '@type': 'type.googleapis.com/google.cloud.audit.AuditLog',
      authenticationInfo: { principalEmail: 'system:gke-master-healthcheck' },
      methodName: 'io.k8s.get',
      requestMetadata: { callerIp: '192.0.2.1', callerSuppliedUserAgent: 'gke-master-healthcheck' },
      resourceName: 'readyz',
      serviceName: 'k8s.io',
      status: { code: 0 },
    },
    insertId: 'ins-1',
    resource: { type: 'k8s_cluster', labels: { cluster_name: 'c1', location: 'us-central1', project_id: 'proj' } },
    timestamp: '2025-07-13T08:38:39.127266Z',
    labels: { 'authorization.k8s.io/decision': 'allow', 'authorization.k8s.io/reason': 'RBAC' },
    logName: 'projects/proj/logs/cloudaudit.googleapis.com%2Fdata_access',
    receiveTimestamp: '2025-07-13T08:38:41.005864307Z',
  };
  const doc = toEcsView(record)!.doc;
  it('moves the LogEntry fields into kubernetes.audit', () => {
    const audit = (doc.kubernetes as any).audit;
    expect(audit.auditID).toBe('ins-1');
    expect(audit.annotations).toEqual({ 'authorization_k8s_io/decision': 'allow', 'authorization_k8s_io/reason': 'RBAC' });
    expect(audit.requestReceivedTimestamp).toBe('2025-07-13T08:38:41.005864307Z');
    expect(audit.stageTimestamp).toBe('2025-07-13T08:38:39.127266Z');
    expect(audit.responseStatus).toEqual({ code: 0 });
    expect(audit.protoPayload.status).toBeUndefined();
    expect(audit.protoPayload.requestMetadata.callerSuppliedUserAgent).toBe('gke-master-healthcheck');
    expect(audit.logName).toBe('projects/proj/logs/cloudaudit.googleapis.com%2Fdata_access');
    expect(audit.insertId).toBeUndefined();
    expect(audit.timestamp).toBeUndefined();
    expect(audit.labels).toBeUndefined();
  });
  it('adds orchestrator and outcome, nothing about the caller', () => {
    expect(doc.orchestrator).toEqual({ cluster: { name: 'c1', id: 'proj' }, resource: { type: 'k8s_cluster', name: 'readyz' }, type: 'kubernetes' });
    expect((doc.event as any).outcome).toBe('success');
    expect(doc.user_agent).toBeUndefined();
    expect(doc.source).toBeUndefined();
    expect((doc.event as any).action).toBeUndefined();
  });
});

describe('empty-value removal', () => {
  it('removes null, "", {}, [] bottom-up, in objects and arrays', () => {
    const v = { a: { b: { c: [null, '', {}, [[]]] } }, d: ['', 'x', { e: null }], f: 0, g: false, h: ' ' };
    dropEmpty(v);
    expect(v).toEqual({ d: ['x'], f: 0, g: false, h: ' ' });
  });
});

function hasEmpty(v: unknown): boolean {
  if (v === null || v === '') return true;
  if (Array.isArray(v)) return v.length === 0 || v.some(hasEmpty);
  if (typeof v === 'object' && v.constructor === Object) return Object.keys(v).length === 0 || Object.values(v).some(hasEmpty);
  return false;
}

describe.skipIf(!hasShared)('corpora (requires ../shared)', () => {
  const lines = (file: string) => readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '');
  it('every audit2rbac demo.log event (2017 format) is a raw audit event', () => {
    const events = lines(path.join(sharedDir, 'corpora/audit2rbac/demo.log')).map(parseJson);
    expect(events.length).toBe(37);
    const views = events.map(toEcsView);
    expect(views.every((v) => v?.shape === 'raw')).toBe(true);
    const forbidden = views.filter((v) => valuesAt(v!.doc, 'kubernetes.audit.responseStatus.code').some((c) => JSON.stringify(c) === '403'));
    expect(forbidden.length).toBe(11);
    for (const v of views) {
      expect(valuesAt(v!.doc, 'event.dataset')).toEqual(['kubernetes.audit_logs']);
      expect(valuesAt(v!.doc, 'kubernetes.audit.timestamp').length).toBe(1);
    }
  });
  it('every Falco trace event is raw except the deliberately malformed one', () => {
    const dir = path.join(sharedDir, 'corpora/falco-k8s_audit');
    let raw = 0;
    for (const file of readdirSync(dir)) {
      for (const line of lines(path.join(dir, file))) {
        const view = toEcsView(parseJson(line));
        if (file === 'fal_01_003.json') {
          expect(view?.shape).toBe('ecs');
        } else {
          expect(view?.shape, file).toBe('raw');
          expect(valuesAt(view!.doc, 'event.outcome'), file).toEqual(['success']);
          expect(hasEmpty(view!.doc), file).toBe(false);
          raw++;
        }
      }
    }
    expect(raw).toBe(51); // 45 files with one event, one with six (the README says 50 events)
  });
});
