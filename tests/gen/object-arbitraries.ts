// fast-check arbitraries for exists on OBJECT fields (`f:*` where f holds an object in the view):
// queries on object paths of the view, and records whose objects are empty, hold only null leaves,
// empty arrays, arrays of objects, dotted keys, values a typed sub-field does not index (a bad date
// under `*.stageTimestamp`, a keyword over ignore_above), or one indexed leaf deep down.
import fc from 'fast-check';
import type { Node, Pos } from '../../src/kql/ast.js';
import { stringifyJson } from '../../src/reference/json.js';
import { rawEventArb, setPath } from './arbitraries.js';

const POS: Pos = { offset: 0, line: 1, column: 1 };

/** View paths that are objects in some records (ECS documents and audit views alike). */
export const OBJECT_FIELDS = [
  'a', 'a.b', 'x', 'n', 'user', 'user_agent', 'source', 'client', 'related', 'event', 'orchestrator', 'orchestrator.resource', 'data_stream',
  'kubernetes', 'kubernetes.audit', 'kubernetes.audit.user', 'kubernetes.audit.user.extra', 'kubernetes.audit.responseStatus',
  'kubernetes.audit.requestObject', 'kubernetes.audit.requestObject.spec', 'kubernetes.audit.requestObject.metadata',
  'kubernetes.audit.requestObject.spec.containers', 'kubernetes.audit.annotations', 'kubernetes.audit.objectRef', 'kubernetes.audit.aks_metadata',
];

/** Values that make an object (or not) at a path: every case the definition distinguishes. */
const OBJECTISH: unknown[] = [
  'v', '', 'x'.repeat(1025), 0, true, null, [], [null], [null, 'v'],
  {}, { k: null }, { k: [] }, { k: [null] }, { k: {} }, { k: { l: null } }, { k: { l: [] } },
  { k: 'v' }, { k: '' }, { k: 0 }, { k: false }, { 'k.l': 'v' }, { k: { l: 'v' } }, { k: 'x'.repeat(1025) },
  { stageTimestamp: 'yesterday' }, { stageTimestamp: '2025-03-04' }, { code: 'abc' }, { code: 403 }, { hostNetwork: 'maybe' }, { hostNetwork: true },
  { ip: 'bogus' }, { ip: '10.1.2.3' }, { spec: { hostNetwork: 'maybe' } }, { spec: { hostNetwork: 'false' } },
  [{}], [{ k: null }], [{ k: 'v' }, {}], [[{ k: 'v' }]], [{ k: [] }, { l: {} }],
];

/** Object paths of ECS documents (record paths = view paths), some under typed sub-fields of the field table. */
const ECS_PATHS = [
  'a', 'a.b', 'a.b.c', 'x', 'x.k', 'n.stageTimestamp', 'user', 'user.name', 'source', 'source.ip', 'event', 'kubernetes.audit',
  'kubernetes.audit.responseStatus', 'kubernetes.audit.responseStatus.code', 'kubernetes.audit.requestObject', 'kubernetes.audit.requestObject.spec',
  'kubernetes.audit.requestObject.spec.containers', 'kubernetes.audit.stageTimestamp', 'kubernetes.audit.user.extra',
];

const clone = (v: unknown): unknown => (v === undefined ? undefined : JSON.parse(JSON.stringify(v)));
const objectish = fc.constantFrom(...OBJECTISH).map(clone);

/** An ECS document with objectish values at a few object paths (nested or dotted spellings). */
export const objectEcsDocArb: fc.Arbitrary<Record<string, unknown>> = fc
  .array(fc.tuple(fc.constantFrom(...ECS_PATHS), objectish, fc.boolean()), { minLength: 1, maxLength: 4 })
  .map((entries) => {
    const doc: Record<string, unknown> = {};
    for (const [path, value, dotted] of entries) setPath(doc, path, value, dotted);
    return doc;
  });

/** Places inside a raw audit event where objectish values go (the view moves them under kubernetes.audit, renames some). */
const RAW_PATHS = ['aks_metadata', 'aks_metadata.pod', 'user.extra', 'user.username', 'requestObject.spec', 'requestObject.metadata', 'responseStatus', 'objectRef', 'x', 'requestObject.spec.containers', 'userAgent', 'sourceIPs'];

/** A raw audit event with objectish values at a few of its paths; also carried in the wrappers. */
export const objectRawEventArb: fc.Arbitrary<Record<string, unknown>> = fc
  .tuple(rawEventArb, fc.array(fc.tuple(fc.constantFrom(...RAW_PATHS), objectish), { minLength: 1, maxLength: 3 }), fc.constantFrom<unknown>(undefined, {}, { 'authorization.k8s.io/decision': null }, { other: '' }))
  .map(([event, entries, annotations]) => {
    const e = clone(event) as Record<string, unknown>;
    for (const [path, value] of entries) setPath(e, path, value, false);
    if (annotations !== undefined) e.annotations = clone(annotations);
    return e;
  });

export const objectRecordArb: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  { weight: 3, arbitrary: objectEcsDocArb },
  { weight: 3, arbitrary: objectRawEventArb },
  { weight: 1, arbitrary: objectRawEventArb.map((e) => ({ log: stringifyJson(e), stream: 'stdout' })) },
  { weight: 1, arbitrary: objectRawEventArb.map((e) => ({ category: 'kube-audit', time: '2025-03-04T06:22:30Z', properties: { log: e, pod: 'kube-apiserver-1' } })) },
  { weight: 1, arbitrary: objectRawEventArb.map((e) => ({ category: 'kube-audit', time: '2025-03-04T06:22:30Z', properties: { log: stringifyJson(e), pod: { k: null } } })) },
);

const exists = (name: string): Node => ({ kind: 'is', field: { name, pattern: null, pos: POS }, value: { type: 'exists' }, pos: POS });

/** `f:*` on object paths, negated and combined; and inside a nested query on the containers. */
export const objectExistsQueryArb: fc.Arbitrary<Node> = fc.letrec<{ tree: Node }>((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small', maxDepth: 2 },
    fc.constantFrom(...OBJECT_FIELDS).map(exists),
    fc.array(tie('tree'), { minLength: 2, maxLength: 2 }).map((children): Node => ({ kind: 'and', children })),
    fc.array(tie('tree'), { minLength: 2, maxLength: 2 }).map((children): Node => ({ kind: 'or', children })),
    tie('tree').map((child): Node => ({ kind: 'not', child })),
    fc.constantFrom('securityContext', 'k', 'name').map(
      (inner): Node => ({ kind: 'nested', path: { name: 'kubernetes.audit.requestObject.spec.containers', pattern: null, pos: POS }, query: exists(inner), pos: POS }),
    ),
  ),
})).tree;
