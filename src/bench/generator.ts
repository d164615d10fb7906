// Deterministic generator of raw Kubernetes audit events (audit.k8s.io/v1, kind Event), one compact
// JSON string per event, for benchmarks, samples and tests. Same seed, same events, on every machine.
//
// The mix follows a busy cluster's audit log: kubelets and controllers reading and watching, lease
// renewals, platform service accounts, a few humans with kubectl, health checks; ~97% of requests are
// allowed, the forbidden ones mostly come from service accounts; now and then a stolen-token recon
// burst (several denied requests with one unusual agent) and a few events Elastic's Kubernetes rules
// look for (privileged pods, exec, cluster-admin bindings, NodePort services, ...).
import {
  APP_AGENTS, APP_NAMESPACES, clientGoAgent, COMMON_RESOURCES, CONTROLLER_NAMES, HUMAN_AGENTS, HUMAN_USERS,
  IMAGES, PLATFORM_SERVICE_ACCOUNTS, RARE_AGENT_STEMS, type ServiceAccountProfile,
} from './audit-catalog.js';
import { Prng } from './prng.js';

export interface GenerateOptions {
  seed: number;
  count: number;
  /** Time of the first event, ms since the epoch (default 2024-05-13T00:00:00Z). */
  startTime?: number;
  /** How long the events span, ms (default 4 days). */
  spanMs?: number;
}

export const DEFAULT_START_TIME = Date.UTC(2024, 4, 13, 0, 0, 0);
export const DEFAULT_SPAN_MS = 4 * 24 * 3600 * 1000;
/** Bounds every generated event respects (bytes of compact JSON). */
export const MIN_EVENT_BYTES = 512;
export const MAX_EVENT_BYTES = 4096;

/** Resources whose reads a typical policy logs with the response body. */
const RICH_READS = new Set(['pods', 'nodes', 'deployments', 'statefulsets', 'replicasets']);
/** Probability that a request is denied outside the recon bursts. */
const BASE_FORBID_RATE = 0.02;
/** Probability, per event, that a stolen-token recon burst starts. */
const BURST_START_RATE = 0.0015;
/** Probability, per event, of one of the events the Kubernetes rule pack targets. */
const RULE_SCENARIO_RATE = 0.004;

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

interface Actor {
  kind: 'node' | 'control-plane' | 'service-account' | 'human' | 'anonymous';
  username: string;
  uid?: string;
  groups: string[];
  extra?: JsonObject;
  agent: string;
  sourceIP: string;
}

interface Request {
  verb: string;
  resource?: string;
  apiGroup?: string;
  apiVersion?: string;
  namespace?: string;
  name?: string;
  subresource?: string;
  /** Non-resource URL (no objectRef), e.g. /healthz. */
  path?: string;
  query?: string;
  requestObject?: JsonObject;
  responseObject?: JsonObject;
  /** Forces a level (bodies need Request or RequestResponse). */
  level?: 'Metadata' | 'Request' | 'RequestResponse';
  extraAnnotations?: Record<string, string>;
  reason?: string;
}

interface Burst {
  actor: Actor;
  remaining: number;
}

/** Stateful generator: identities (pods, uids) stay stable across the events of one run. */
export class AuditEventGenerator {
  private readonly rng: Prng;
  private clock: number;
  private readonly meanGapMs: number;
  private readonly nodes: { name: string; ip: string; uid: string }[];
  private readonly identities = new Map<string, { uid: string; pod: string; podUid: string; node: number; ip: string; jti: string }>();
  private burst: Burst | undefined;
  private resourceVersion: number;

  constructor(seed: number, count: number, startTime = DEFAULT_START_TIME, spanMs = DEFAULT_SPAN_MS) {
    this.rng = new Prng(seed);
    this.clock = startTime;
    this.meanGapMs = spanMs / Math.max(1, count);
    this.resourceVersion = 40_000_000 + this.rng.int(0, 1_000_000);
    this.nodes = [];
    for (let i = 0; i < 14; i++) {
      const ip = `10.0.${this.rng.int(1, 95)}.${this.rng.int(2, 254)}`;
      this.nodes.push({ name: `ip-${ip.replaceAll('.', '-')}.ec2.internal`, ip, uid: this.rng.uuid() });
    }
  }

  /** The next event as compact JSON, within [MIN_EVENT_BYTES, MAX_EVENT_BYTES]. */
  next(): string {
    this.advanceClock();
    for (;;) {
      const text = JSON.stringify(this.draw());
      if (text.length >= MIN_EVENT_BYTES && text.length <= MAX_EVENT_BYTES) return text;
    }
  }

  private advanceClock(): void {
    if (this.burst) {
      this.clock += this.rng.int(300, 6000);
      return;
    }
    // Exponential gaps: a Poisson-like arrival process with the mean the span asks for.
    this.clock += Math.max(1, Math.round(-Math.log(1 - this.rng.next()) * this.meanGapMs));
  }

  private draw(): JsonObject {
    if (this.burst) return this.burstEvent(this.burst);
    if (this.rng.chance(BURST_START_RATE)) {
      this.burst = { actor: this.stolenTokenActor(), remaining: this.rng.int(4, 10) };
      return this.burstEvent(this.burst);
    }
    if (this.rng.chance(RULE_SCENARIO_RATE)) return this.ruleScenario();
    if (this.rng.chance(BASE_FORBID_RATE)) return this.forbiddenEvent();
    return this.routineEvent();
  }

  // ---- actors -------------------------------------------------------------------------------

  private nodeActor(): Actor {
    const node = this.nodes[this.rng.zipf(this.nodes.length, 0.6)]!;
    return {
      kind: 'node', username: `system:node:${node.name}`, groups: ['system:nodes', 'system:authenticated'],
      agent: clientGoAgent('kubelet'), sourceIP: node.ip,
    };
  }

  private controlPlaneActor(): Actor {
    const ip = `10.0.0.${this.rng.int(10, 12)}`;
    const which = this.rng.weighted([['kcm', 5], ['controller', 12], ['scheduler', 4], ['apiserver', 2]] as const);
    if (which === 'kcm') {
      return { kind: 'control-plane', username: 'system:kube-controller-manager', groups: ['system:authenticated'], agent: clientGoAgent('kube-controller-manager', undefined, undefined, '/leader-election'), sourceIP: ip };
    }
    if (which === 'scheduler') {
      return { kind: 'control-plane', username: 'system:kube-scheduler', groups: ['system:authenticated'], agent: clientGoAgent('kube-scheduler', undefined, undefined, '/scheduler'), sourceIP: ip };
    }
    if (which === 'apiserver') {
      return { kind: 'control-plane', username: 'system:apiserver', uid: this.stableUid('apiserver'), groups: ['system:authenticated', 'system:masters'], agent: clientGoAgent('kube-apiserver'), sourceIP: this.rng.pick(['::1', '127.0.0.1']) };
    }
    const controller = CONTROLLER_NAMES[this.rng.zipf(CONTROLLER_NAMES.length, 0.9)]!;
    const username = `system:serviceaccount:kube-system:${controller}`;
    return {
      kind: 'service-account', username, uid: this.stableUid(username),
      groups: ['system:serviceaccounts', 'system:serviceaccounts:kube-system', 'system:authenticated'],
      agent: clientGoAgent('kube-controller-manager', undefined, undefined, `/system:serviceaccount:kube-system:${controller}`),
      sourceIP: ip,
    };
  }

  private stableUid(key: string): string {
    return this.identity(key).uid;
  }

  /** A service account's stable identity: its pod, the node it runs on, its token id. */
  private identity(key: string) {
    let id = this.identities.get(key);
    if (!id) {
      const node = this.rng.int(0, this.nodes.length - 1);
      id = {
        uid: this.rng.uuid(), pod: `${key.split(':').pop()}-${this.rng.alnum(10)}-${this.rng.alnum(5)}`, podUid: this.rng.uuid(),
        node, ip: `10.0.${this.rng.int(96, 127)}.${this.rng.int(2, 254)}`, jti: this.rng.uuid(),
      };
      this.identities.set(key, id);
    }
    return id;
  }

  private serviceAccount(namespace: string, name: string, agent: string): Actor {
    const username = `system:serviceaccount:${namespace}:${name}`;
    const id = this.identity(username);
    return {
      kind: 'service-account', username, uid: id.uid,
      groups: ['system:serviceaccounts', `system:serviceaccounts:${namespace}`, 'system:authenticated'],
      extra: {
        'authentication.kubernetes.io/credential-id': [`JTI=${id.jti}`],
        'authentication.kubernetes.io/pod-name': [id.pod],
        'authentication.kubernetes.io/pod-uid': [id.podUid],
      },
      agent, sourceIP: id.ip,
    };
  }

  private platformProfile(): ServiceAccountProfile {
    return this.rng.weighted(PLATFORM_SERVICE_ACCOUNTS.map((p) => [p, p.weight] as const));
  }

  private platformActor(profile = this.platformProfile()): Actor {
    return this.serviceAccount(profile.namespace, profile.name, this.rng.pick(profile.agents));
  }

  private appActor(): Actor {
    const namespace = APP_NAMESPACES[this.rng.zipf(APP_NAMESPACES.length, 0.8)]!;
    const name = this.rng.chance(0.3) ? 'default' : `${namespace}-app-${this.rng.zipf(6, 1)}`;
    return this.serviceAccount(namespace, name, APP_AGENTS[this.rng.zipf(APP_AGENTS.length, 1.1)]!);
  }

  /** Long tail: many distinct tools, versions and commits, each rare. */
  private rareAgent(): string {
    const stem = RARE_AGENT_STEMS[this.rng.zipf(RARE_AGENT_STEMS.length, 1)]!;
    const tool = this.rng.chance(0.5) ? stem : `${stem}-${this.rng.zipf(400, 1.1)}`;
    return `${tool}/v${this.rng.int(0, 3)}.${this.rng.int(0, 30)}.${this.rng.int(0, 9)} (linux/amd64) kubernetes/${this.rng.hex(7)}`;
  }

  private rareActor(): Actor {
    const namespace = this.rng.pick(['tools', 'security', 'ci', 'backup', 'platform', ...APP_NAMESPACES.slice(0, 4)]);
    return this.serviceAccount(namespace, `${this.rng.pick(RARE_AGENT_STEMS)}`, this.rareAgent());
  }

  private humanActor(): Actor {
    const user = HUMAN_USERS[this.rng.zipf(HUMAN_USERS.length, 1)]!;
    return {
      kind: 'human', username: user.username, uid: this.stableUid(user.username), groups: [...user.groups],
      agent: HUMAN_AGENTS[this.rng.zipf(HUMAN_AGENTS.length, 1.2)]!,
      sourceIP: this.rng.pick(['203.0.113.', '198.51.100.', '192.0.2.']) + this.rng.int(2, 250),
    };
  }

  private anonymousActor(): Actor {
    const lb = this.rng.chance(0.8);
    return {
      kind: 'anonymous', username: 'system:anonymous', groups: ['system:unauthenticated'],
      agent: lb ? 'ELB-HealthChecker/2.0' : this.rng.pick(['curl/8.5.0', 'Go-http-client/1.1', 'python-requests/2.31.0', 'masscan/1.3 (https://github.com/robertdavidgraham/masscan)']),
      sourceIP: lb ? `10.0.0.${this.rng.int(100, 140)}` : `${this.rng.int(11, 220)}.${this.rng.int(0, 255)}.${this.rng.int(0, 255)}.${this.rng.int(1, 254)}`,
    };
  }

  /** A token taken from an application pod and used by hand. */
  private stolenTokenActor(): Actor {
    const agent = this.rng.pick([
      'curl/8.5.0', 'curl/7.81.0', 'python-requests/2.31.0', 'kubectl/v1.29.3 (linux/amd64) kubernetes/6813625',
      'Go-http-client/1.1', 'Wget/1.21.4', 'kubectl/v1.27.1 (linux/amd64) kubernetes/4c94112', `${this.rng.pick(['peirates', 'kubehound', 'kdigger'])}/v1.${this.rng.int(0, 9)}.${this.rng.int(0, 9)}`,
    ]);
    const namespace = APP_NAMESPACES[this.rng.zipf(APP_NAMESPACES.length, 0.8)]!;
    return this.serviceAccount(namespace, this.rng.chance(0.5) ? 'default' : `${namespace}-app-${this.rng.int(0, 5)}`, agent);
  }

  // ---- requests -----------------------------------------------------------------------------

  private routineEvent(): JsonObject {
    const who = this.rng.weighted([['node', 26], ['control', 23], ['platform', 35], ['app', 8], ['rare', 2], ['human', 5], ['anonymous', 1], ['bodies', 18]] as const);
    switch (who) {
      case 'bodies': return this.bodyEvent();
      case 'node': return this.nodeRequest(this.nodeActor());
      case 'control': return this.controlPlaneRequest(this.controlPlaneActor());
      case 'platform': {
        const profile = this.platformProfile();
        return this.build(this.platformActor(profile), this.readOrWatch(this.rng.pick(profile.resources), profile.namespace), 'allow');
      }
      case 'app': return this.build(this.appActor(), this.appRequest(), 'allow');
      case 'rare': return this.build(this.rareActor(), this.readOrWatch(this.commonResource(), this.rng.pick(APP_NAMESPACES)), 'allow');
      case 'human': return this.build(this.humanActor(), this.humanRequest(), 'allow');
      case 'anonymous': return this.build(this.anonymousActor(), { verb: 'get', path: this.rng.pick(['/healthz', '/livez', '/readyz', '/version', '/readyz?verbose']) }, 'allow');
    }
  }

  /** The requests whose bodies make the audit log's heavy tail (2.5-4 KB). */
  private bodyEvent(): JsonObject {
    const kind = this.rng.weighted([['nodeStatus', 3], ['podRead', 3], ['podCreate', 2], ['nodeRead', 1], ['workloadUpdate', 1]] as const);
    switch (kind) {
      case 'nodeStatus': {
        const actor = this.nodeActor();
        return this.build(actor, { verb: 'patch', resource: 'nodes', apiVersion: 'v1', name: actor.username.slice('system:node:'.length), subresource: 'status', level: 'Request', requestObject: this.nodeStatusPatch() }, 'allow');
      }
      case 'podRead': {
        const namespace = this.rng.pick(APP_NAMESPACES);
        return this.build(this.rng.chance(0.5) ? this.controlPlaneActor() : this.platformActor(), { verb: 'get', resource: 'pods', apiVersion: 'v1', namespace, name: this.objectName('pods', namespace), level: 'RequestResponse' }, 'allow');
      }
      case 'podCreate': {
        const actor = this.controlPlaneActor();
        return this.build(actor, this.podCreate(this.rng.pick(APP_NAMESPACES), {}), 'allow');
      }
      case 'nodeRead': return this.build(this.platformActor(), { verb: 'get', resource: 'nodes', apiVersion: 'v1', name: this.rng.pick(this.nodes).name, level: 'RequestResponse' }, 'allow');
      case 'workloadUpdate': {
        const namespace = this.rng.pick(APP_NAMESPACES);
        const request: Request = { verb: 'update', resource: this.rng.pick(['deployments', 'statefulsets', 'replicasets']), apiGroup: 'apps', apiVersion: 'v1', namespace, name: this.objectName('deployments', namespace), level: 'RequestResponse' };
        request.requestObject = this.readResponse(request);
        return this.build(this.controlPlaneActor(), request, 'allow');
      }
    }
  }

  private commonResource(): readonly [string, string, string] {
    const [r, g, v] = COMMON_RESOURCES[this.rng.zipf(COMMON_RESOURCES.length, 0.7)]!;
    return [r, g, v];
  }

  private isNamespaced(resource: string): boolean {
    return !['namespaces', 'nodes', 'clusterroles', 'clusterrolebindings', 'persistentvolumes', 'csinodes', 'csidrivers',
      'mutatingwebhookconfigurations', 'validatingwebhookconfigurations', 'certificatesigningrequests', 'nodeclaims',
      'selfsubjectaccessreviews', 'selfsubjectrulesreviews', 'volumeattachments', 'runtimeclasses'].includes(resource);
  }

  private objectName(resource: string, namespace: string | undefined): string {
    if (resource === 'nodes') return this.rng.pick(this.nodes).name;
    if (resource === 'pods') return `${namespace ?? 'app'}-${this.rng.pick(['api', 'web', 'worker', 'db', 'cache'])}-${this.rng.alnum(9)}-${this.rng.alnum(5)}`;
    if (resource === 'secrets') return this.rng.pick(['db-credentials', 'tls-cert', `${namespace}-token`, 'registry-pull', 'api-keys', 'sh.helm.release.v1.app.v' + this.rng.int(1, 40)]);
    if (resource === 'configmaps') return this.rng.pick(['kube-root-ca.crt', 'app-config', 'feature-flags', 'nginx-conf', 'coredns-custom-example']);
    if (resource === 'leases') return this.rng.pick(['kube-controller-manager', 'kube-scheduler', 'cert-manager-controller', 'cluster-autoscaler', 'karpenter-leader-election']);
    return `${this.rng.pick(['api', 'web', 'worker', 'frontend', 'backend', 'metrics', 'gateway'])}-${this.rng.int(1, 40)}`;
  }

  /** get / list / watch, the bulk of every audit log. */
  private readOrWatch([resource, apiGroup, apiVersion]: readonly [string, string, string], namespace: string): Request {
    const verb = this.rng.weighted([['get', 40], ['list', 25], ['watch', 30], ['update', 5], ['patch', 3]] as const);
    const namespaced = this.isNamespaced(resource);
    const allNamespaces = verb !== 'get' && this.rng.chance(0.4);
    const ns = namespaced && !allNamespaces ? namespace : undefined;
    const request: Request = { verb, resource, apiGroup, apiVersion, namespace: ns };
    if (verb === 'get' || verb === 'update' || verb === 'patch') request.name = this.objectName(resource, ns);
    if (verb === 'update' || verb === 'patch') this.attachBody(request);
    return request;
  }

  private nodeRequest(actor: Actor): JsonObject {
    const nodeName = actor.username.slice('system:node:'.length);
    const kind = this.rng.weighted([['lease', 30], ['read', 30], ['status', 40], ['event', 8], ['secret', 5]] as const);
    if (kind === 'lease') {
      const verb = this.rng.chance(0.5) ? 'update' : 'get';
      const request: Request = { verb, resource: 'leases', apiGroup: 'coordination.k8s.io', apiVersion: 'v1', namespace: 'kube-node-lease', name: nodeName };
      if (verb === 'update') {
        request.requestObject = {
          kind: 'Lease', apiVersion: 'coordination.k8s.io/v1',
          metadata: { name: nodeName, namespace: 'kube-node-lease', uid: this.rng.uuid(), resourceVersion: String(this.nextResourceVersion()) },
          spec: { holderIdentity: nodeName, leaseDurationSeconds: 40, renewTime: isoMicro(this.clock) },
        };
        request.level = this.rng.weighted([['Metadata', 5], ['Request', 4], ['RequestResponse', 1]] as const);
        request.responseObject = { ...request.requestObject, metadata: { name: nodeName, namespace: 'kube-node-lease', uid: this.rng.uuid(), resourceVersion: String(this.nextResourceVersion()), creationTimestamp: isoSeconds(this.clock - 30 * 86400000), ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: nodeName, uid: this.rng.uuid() }], managedFields: [this.managedField('kubelet', 'coordination.k8s.io/v1', { 'f:metadata': { 'f:ownerReferences': { '.': {} } }, 'f:spec': { 'f:holderIdentity': {}, 'f:leaseDurationSeconds': {}, 'f:renewTime': {} } })] } };
      }
      return this.build(actor, request, 'allow');
    }
    if (kind === 'status') {
      const pod = this.rng.chance(0.3);
      const request: Request = pod
        ? { verb: 'patch', resource: 'pods', apiVersion: 'v1', namespace: this.rng.pick(APP_NAMESPACES), subresource: 'status' }
        : { verb: 'patch', resource: 'nodes', apiVersion: 'v1', name: nodeName, subresource: 'status' };
      if (pod) request.name = this.objectName('pods', request.namespace);
      request.requestObject = pod
        ? { status: { conditions: [{ type: 'Ready', status: 'True', lastProbeTime: null, lastTransitionTime: isoSeconds(this.clock - 60000) }] } }
        : this.nodeStatusPatch();
      request.level = pod ? (this.rng.chance(0.4) ? 'Request' : 'Metadata') : 'Request';
      return this.build(actor, request, 'allow');
    }
    if (kind === 'event') {
      const namespace = this.rng.pick(APP_NAMESPACES);
      return this.build(actor, { verb: 'create', resource: 'events', apiVersion: 'v1', namespace }, 'allow');
    }
    if (kind === 'secret') {
      const namespace = this.rng.pick(APP_NAMESPACES);
      return this.build(actor, { verb: this.rng.chance(0.7) ? 'watch' : 'get', resource: 'secrets', apiVersion: 'v1', namespace, name: this.objectName('secrets', namespace) }, 'allow');
    }
    const [resource, apiGroup, apiVersion] = this.rng.pick([['pods', '', 'v1'], ['configmaps', '', 'v1'], ['services', '', 'v1'], ['nodes', '', 'v1'], ['csinodes', 'storage.k8s.io', 'v1'], ['runtimeclasses', 'node.k8s.io', 'v1'], ['csidrivers', 'storage.k8s.io', 'v1']] as const);
    return this.build(actor, this.readOrWatch([resource, apiGroup, apiVersion], this.rng.pick(APP_NAMESPACES)), 'allow');
  }

  private controlPlaneRequest(actor: Actor): JsonObject {
    if (actor.username === 'system:kube-controller-manager' || actor.username === 'system:kube-scheduler') {
      if (this.rng.chance(0.6)) {
        const name = actor.username.slice('system:'.length);
        const verb = this.rng.chance(0.5) ? 'update' : 'get';
        const request: Request = { verb, resource: 'leases', apiGroup: 'coordination.k8s.io', apiVersion: 'v1', namespace: 'kube-system', name };
        if (verb === 'update') {
          request.requestObject = { kind: 'Lease', apiVersion: 'coordination.k8s.io/v1', metadata: { name, namespace: 'kube-system' }, spec: { holderIdentity: `${name}-${this.rng.hex(8)}_${this.rng.uuid()}`, leaseDurationSeconds: 15, acquireTime: isoMicro(this.clock - 86400000), renewTime: isoMicro(this.clock), leaseTransitions: this.rng.int(1, 12) } };
          request.level = 'Request';
          request.responseObject = { kind: 'Lease', apiVersion: 'coordination.k8s.io/v1', metadata: { name, namespace: 'kube-system', resourceVersion: String(this.nextResourceVersion()) }, spec: { leaseDurationSeconds: 15 } };
        }
        return this.build(actor, request, 'allow');
      }
      if (actor.username === 'system:kube-scheduler' && this.rng.chance(0.5)) {
        const namespace = this.rng.pick(APP_NAMESPACES);
        const name = this.objectName('pods', namespace);
        return this.build(actor, {
          verb: 'create', resource: 'pods', apiVersion: 'v1', namespace, name, subresource: 'binding', level: 'Request',
          requestObject: { kind: 'Binding', apiVersion: 'v1', metadata: { name, namespace, uid: this.rng.uuid() }, target: { kind: 'Node', name: this.rng.pick(this.nodes).name } },
        }, 'allow');
      }
    }
    if (actor.username.includes('replicaset-controller') && this.rng.chance(0.5)) return this.build(actor, this.podCreate(this.rng.pick(APP_NAMESPACES), {}), 'allow');
    return this.build(actor, this.readOrWatch(this.commonResource(), this.rng.pick(['kube-system', ...APP_NAMESPACES])), 'allow');
  }

  private appRequest(): Request {
    const namespace = this.rng.pick(APP_NAMESPACES);
    const resource = this.rng.weighted([['configmaps', 4], ['secrets', 3], ['pods', 3], ['leases', 2], ['services', 1], ['endpoints', 1]] as const);
    const group = resource === 'leases' ? 'coordination.k8s.io' : '';
    return this.readOrWatch([resource, group, 'v1'], namespace);
  }

  private humanRequest(): Request {
    const namespace = this.rng.pick(APP_NAMESPACES);
    const kind = this.rng.weighted([['read', 70], ['patch', 12], ['create', 8], ['delete', 5], ['logs', 5]] as const);
    const [resource, apiGroup, apiVersion] = this.commonResource();
    if (kind === 'read') return this.readOrWatch([resource, apiGroup, apiVersion], namespace);
    if (kind === 'logs') return { verb: 'get', resource: 'pods', apiVersion: 'v1', namespace, name: this.objectName('pods', namespace), subresource: 'log', query: 'container=app&follow=true&tailLines=100' };
    if (kind === 'create' && resource === 'pods') return this.podCreate(namespace, {});
    const request: Request = { verb: kind, resource, apiGroup, apiVersion, namespace: this.isNamespaced(resource) ? namespace : undefined, name: this.objectName(resource, namespace) };
    if (kind !== 'delete') this.attachBody(request);
    return request;
  }

  /** Bodies for writes, at the levels a typical policy logs them. */
  private attachBody(request: Request): void {
    const resource = request.resource ?? '';
    if (resource === 'secrets' || resource === 'configmaps' && this.rng.chance(0.5)) return; // Metadata only
    const level = this.rng.weighted([['Metadata', 40], ['Request', 35], ['RequestResponse', 25]] as const);
    if (level === 'Metadata') return;
    request.level = level;
    if (request.verb === 'patch') {
      request.requestObject = resource === 'deployments'
        ? { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': isoSeconds(this.clock) } } } } }
        : { metadata: { labels: { 'app.kubernetes.io/version': `1.${this.rng.int(0, 40)}.${this.rng.int(0, 9)}` }, annotations: { 'example.com/last-applied': this.rng.hex(40) } } };
    } else {
      // An update carries the whole object.
      request.requestObject = this.readResponse(request);
    }
    if (level === 'RequestResponse') request.responseObject = this.readResponse(request);
  }

  private podCreate(namespace: string, opts: { privileged?: boolean; hostNetwork?: boolean; hostPID?: boolean; image?: string; capabilities?: string[]; hostPath?: string }): Request {
    const app = this.rng.pick(['api', 'web', 'worker', 'cache', 'batch']);
    const name = `${namespace}-${app}-${this.rng.alnum(9)}-${this.rng.alnum(5)}`;
    const securityContext: JsonObject = opts.privileged ? { privileged: true } : { allowPrivilegeEscalation: false, runAsNonRoot: true, capabilities: { drop: ['ALL'] } };
    if (opts.capabilities) securityContext.capabilities = { add: opts.capabilities };
    const spec: JsonObject = {
      volumes: opts.hostPath
        ? [{ name: 'host', hostPath: { path: opts.hostPath, type: '' } }]
        : [{ name: 'kube-api-access', projected: { sources: [{ serviceAccountToken: { expirationSeconds: 3607, path: 'token' } }], defaultMode: 420 } }],
      containers: [{
        name: app, image: opts.image ?? this.rng.pick(IMAGES), ports: [{ containerPort: 8080, protocol: 'TCP' }],
        resources: { limits: { memory: '512Mi' }, requests: { cpu: '100m', memory: '256Mi' } },
        volumeMounts: [{ name: opts.hostPath ? 'host' : 'kube-api-access', readOnly: true, mountPath: opts.hostPath ? '/host' : '/var/run/secrets/kubernetes.io/serviceaccount' }],
        env: [{ name: 'LOG_LEVEL', value: 'info' }, { name: 'POD_NAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } }, { name: 'OTEL_EXPORTER_OTLP_ENDPOINT', value: 'http://otel-collector.monitoring:4317' }],
        livenessProbe: { httpGet: { path: '/healthz', port: 8080, scheme: 'HTTP' }, initialDelaySeconds: 10, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 },
        readinessProbe: { httpGet: { path: '/ready', port: 8080, scheme: 'HTTP' }, timeoutSeconds: 1, periodSeconds: 5, successThreshold: 1, failureThreshold: 3 },
        terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File', imagePullPolicy: 'IfNotPresent', securityContext,
      }],
      restartPolicy: 'Always', terminationGracePeriodSeconds: 30, dnsPolicy: 'ClusterFirst', serviceAccountName: `${namespace}-app-0`,
      securityContext: {}, schedulerName: 'default-scheduler', priority: 0, enableServiceLinks: true, preemptionPolicy: 'PreemptLowerPriority',
      tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }, { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }],
    };
    if (opts.hostNetwork) spec.hostNetwork = true;
    if (opts.hostPID) spec.hostPID = true;
    return {
      verb: 'create', resource: 'pods', apiVersion: 'v1', namespace, name, level: 'Request',
      requestObject: {
        kind: 'Pod', apiVersion: 'v1',
        metadata: { generateName: `${namespace}-${app}-`, namespace, labels: { app, 'pod-template-hash': this.rng.alnum(9) } },
        spec,
      },
      extraAnnotations: { 'pod-security.kubernetes.io/enforce-policy': opts.privileged || opts.hostNetwork ? 'privileged:latest' : 'baseline:latest' },
    };
  }

  // ---- denied requests, bursts and rule scenarios --------------------------------------------

  private forbiddenEvent(): JsonObject {
    const who = this.rng.weighted([['platform', 22], ['app', 30], ['rare', 18], ['human', 15], ['anonymous', 10], ['node', 5]] as const);
    const namespace = this.rng.pick(['kube-system', ...APP_NAMESPACES]);
    const [resource, apiGroup, apiVersion] = this.commonResource();
    const verb = this.rng.weighted([['get', 30], ['list', 35], ['watch', 15], ['create', 10], ['update', 5], ['delete', 5]] as const);
    const request: Request = { verb, resource, apiGroup, apiVersion, namespace: this.isNamespaced(resource) ? namespace : undefined };
    if (verb !== 'list' && verb !== 'watch' && verb !== 'create') request.name = this.objectName(resource, namespace);
    const actor = who === 'platform' ? this.platformActor() : who === 'app' ? this.appActor() : who === 'rare' ? this.rareActor()
      : who === 'human' ? this.humanActor() : who === 'anonymous' ? this.anonymousActor() : this.nodeActor();
    return this.build(actor, request, 'forbid');
  }

  private burstEvent(burst: Burst): JsonObject {
    burst.remaining--;
    if (burst.remaining <= 0) this.burst = undefined;
    const step = this.rng.weighted([['secrets', 4], ['nodes', 2], ['pods', 2], ['roles', 2], ['review', 1], ['exec', 1]] as const);
    const namespace = this.rng.pick(['kube-system', 'default', ...APP_NAMESPACES.slice(1, 5)]);
    switch (step) {
      case 'secrets': return this.build(burst.actor, { verb: this.rng.pick(['list', 'get']), resource: 'secrets', apiVersion: 'v1', namespace: this.rng.chance(0.3) ? undefined : namespace }, 'forbid');
      case 'nodes': return this.build(burst.actor, { verb: 'list', resource: 'nodes', apiVersion: 'v1' }, 'forbid');
      case 'pods': return this.build(burst.actor, this.rng.chance(0.5) ? { verb: 'list', resource: 'pods', apiVersion: 'v1' } : this.podCreate(namespace, { privileged: true, image: 'alpine:3.19' }), 'forbid');
      case 'roles': return this.build(burst.actor, { verb: 'list', resource: this.rng.pick(['clusterroles', 'clusterrolebindings']), apiGroup: 'rbac.authorization.k8s.io', apiVersion: 'v1' }, 'forbid');
      case 'exec': return this.build(burst.actor, { verb: 'create', resource: 'pods', apiVersion: 'v1', namespace, name: this.objectName('pods', namespace), subresource: 'exec', query: 'command=id&container=app&stderr=true&stdout=true' }, 'forbid');
      case 'review': return this.build(burst.actor, {
        verb: 'create', resource: 'selfsubjectrulesreviews', apiGroup: 'authorization.k8s.io', apiVersion: 'v1', level: 'RequestResponse',
        requestObject: { kind: 'SelfSubjectRulesReview', apiVersion: 'authorization.k8s.io/v1', spec: { namespace } },
        responseObject: { kind: 'SelfSubjectRulesReview', apiVersion: 'authorization.k8s.io/v1', status: { resourceRules: [{ verbs: ['create'], apiGroups: ['authorization.k8s.io'], resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'] }], incomplete: false } },
      }, 'allow');
    }
  }

  /** Events Elastic's Kubernetes rules are written for (all allowed). */
  private ruleScenario(): JsonObject {
    const namespace = this.rng.pick(APP_NAMESPACES);
    const scenario = this.rng.pick(['privileged', 'hostNetwork', 'hostPID', 'hostPath', 'capabilities', 'exec', 'clusterAdmin', 'nodePort', 'deleteEvents', 'coredns', 'token', 'csr', 'webhook', 'secretsCurl', 'ephemeral'] as const);
    const human = this.humanActor();
    switch (scenario) {
      case 'privileged': return this.build(human, this.podCreate(namespace, { privileged: true }), 'allow');
      case 'hostNetwork': return this.build(this.platformActor(), this.podCreate(namespace, { hostNetwork: true }), 'allow');
      case 'hostPID': return this.build(human, this.podCreate(namespace, { hostPID: true, image: 'ubuntu:22.04' }), 'allow');
      case 'hostPath': return this.build(human, this.podCreate(namespace, { hostPath: this.rng.pick(['/', '/etc', '/var/run/docker.sock', '/proc']) }), 'allow');
      case 'capabilities': return this.build(human, this.podCreate(namespace, { capabilities: [this.rng.pick(['SYS_ADMIN', 'NET_ADMIN', 'SYS_PTRACE', 'BPF'])] }), 'allow');
      case 'exec': {
        const cmd = this.rng.pick(['sh&command=-c&command=cat+%2Fetc%2Fshadow', 'bash', 'sh&command=-c&command=curl+http%3A%2F%2F169.254.169.254%2Flatest%2Fmeta-data%2F', 'ls&command=-la']);
        return this.build(human, { verb: 'create', resource: 'pods', apiVersion: 'v1', namespace, name: this.objectName('pods', namespace), subresource: 'exec', query: `command=${cmd}&container=app&stdin=true&stdout=true&tty=true`, level: 'Request' }, 'allow');
      }
      case 'clusterAdmin': {
        const name = `debug-${this.rng.alnum(5)}`;
        return this.build(human, {
          verb: 'create', resource: 'clusterrolebindings', apiGroup: 'rbac.authorization.k8s.io', apiVersion: 'v1', name, level: 'RequestResponse',
          requestObject: { kind: 'ClusterRoleBinding', apiVersion: 'rbac.authorization.k8s.io/v1', metadata: { name }, subjects: [{ kind: 'ServiceAccount', name: 'default', namespace }], roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' } },
          responseObject: { kind: 'ClusterRoleBinding', apiVersion: 'rbac.authorization.k8s.io/v1', metadata: { name, uid: this.rng.uuid(), resourceVersion: String(this.nextResourceVersion()) }, subjects: [{ kind: 'ServiceAccount', name: 'default', namespace }], roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' } },
        }, 'allow');
      }
      case 'nodePort': {
        const name = `${namespace}-debug`;
        return this.build(human, { verb: 'create', resource: 'services', apiVersion: 'v1', namespace, name, level: 'Request', requestObject: { kind: 'Service', apiVersion: 'v1', metadata: { name, namespace }, spec: { type: 'NodePort', ports: [{ port: 22, targetPort: 22, nodePort: this.rng.int(30000, 32767) }], selector: { app: name } } } }, 'allow');
      }
      case 'deleteEvents': return this.build(human, { verb: 'delete', resource: 'events', apiVersion: 'v1', namespace, name: `${this.objectName('pods', namespace)}.${this.rng.hex(16)}` }, 'allow');
      case 'coredns': return this.build(human, { verb: 'patch', resource: 'configmaps', apiVersion: 'v1', namespace: 'kube-system', name: 'coredns', level: 'Request', requestObject: { data: { Corefile: '.:53 {\n    errors\n    forward . 203.0.113.53\n}\n' } } }, 'allow');
      case 'token': return this.build(human, { verb: 'create', resource: 'serviceaccounts', apiVersion: 'v1', namespace, name: 'default', subresource: 'token', level: 'Request', requestObject: { kind: 'TokenRequest', apiVersion: 'authentication.k8s.io/v1', spec: { audiences: null, expirationSeconds: 86400, boundObjectRef: null } } }, 'allow');
      case 'csr': return this.build(human, { verb: 'create', resource: 'certificatesigningrequests', apiGroup: 'certificates.k8s.io', apiVersion: 'v1', name: `csr-${this.rng.alnum(5)}`, level: 'Request', requestObject: { kind: 'CertificateSigningRequest', apiVersion: 'certificates.k8s.io/v1', spec: { signerName: 'kubernetes.io/kube-apiserver-client', usages: ['client auth'], request: this.rng.hex(120) } } }, 'allow');
      case 'webhook': return this.build(human, { verb: 'create', resource: 'mutatingwebhookconfigurations', apiGroup: 'admissionregistration.k8s.io', apiVersion: 'v1', name: `inject-${this.rng.alnum(4)}`, level: 'Request', requestObject: { kind: 'MutatingWebhookConfiguration', apiVersion: 'admissionregistration.k8s.io/v1', webhooks: [{ name: 'inject.example.com', clientConfig: { url: 'https://203.0.113.9/mutate' }, rules: [{ operations: ['CREATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['pods'] }], sideEffects: 'None', admissionReviewVersions: ['v1'] }] } }, 'allow');
      case 'secretsCurl': return this.build(this.serviceAccount(namespace, `${namespace}-app-0`, this.rng.pick(['curl/8.5.0', 'python-requests/2.31.0', 'Go-http-client/1.1'])), { verb: 'list', resource: 'secrets', apiVersion: 'v1', namespace: this.rng.chance(0.5) ? undefined : 'kube-system' }, 'allow');
      case 'ephemeral': return this.build(human, { verb: 'patch', resource: 'pods', apiVersion: 'v1', namespace, name: this.objectName('pods', namespace), subresource: 'ephemeralcontainers', level: 'Request', requestObject: { spec: { ephemeralContainers: [{ name: `debugger-${this.rng.alnum(5)}`, image: 'busybox:1.36', stdin: true, tty: true }] } } }, 'allow');
    }
  }

  // ---- assembling the event -----------------------------------------------------------------

  private nextResourceVersion(): number {
    this.resourceVersion += this.rng.int(1, 400);
    return this.resourceVersion;
  }

  private requestURI(request: Request): string {
    if (request.path) return request.path;
    let uri = request.apiGroup ? `/apis/${request.apiGroup}/${request.apiVersion}` : '/api/v1';
    if (request.namespace) uri += `/namespaces/${request.namespace}`;
    uri += `/${request.resource}`;
    if (request.name) uri += `/${request.name}`;
    if (request.subresource) uri += `/${request.subresource}`;
    let query = request.query;
    if (!query && request.verb === 'list') query = this.rng.pick(['limit=500', 'resourceVersion=0', `limit=500&resourceVersion=0`, '']);
    if (!query && request.verb === 'watch') {
      const timeout = this.rng.int(300, 600);
      query = `allowWatchBookmarks=true&resourceVersion=${this.resourceVersion - this.rng.int(0, 5000)}&timeout=${Math.floor(timeout / 60)}m${timeout % 60}s&timeoutSeconds=${timeout}&watch=true`;
    }
    if (!query && request.verb === 'create' && request.resource === 'events') query = '';
    return query ? `${uri}?${query}` : uri;
  }

  private reason(actor: Actor, request: Request, decision: 'allow' | 'forbid'): string {
    if (decision === 'forbid') return '';
    if (actor.groups.includes('system:masters')) return '';
    if (actor.kind === 'node') return '';
    if (actor.kind === 'anonymous') return 'RBAC: allowed by ClusterRoleBinding "system:public-info-viewer" of ClusterRole "system:public-info-viewer" to Group "system:unauthenticated"';
    const role = actor.kind === 'service-account' ? actor.username.split(':').pop()! : actor.username;
    const subject = actor.kind === 'service-account'
      ? `ServiceAccount "${actor.username.split(':')[3]}/${actor.username.split(':')[2]}"`
      : actor.kind === 'human' ? `Group "${actor.groups[0]}"` : `User "${actor.username}"`;
    const binding = request.namespace && actor.kind !== 'control-plane' && this.rng.chance(0.4) ? `RoleBinding "${role}/${request.namespace}" of Role "${role}"` : `ClusterRoleBinding "${role}" of ClusterRole "${role}"`;
    return `RBAC: allowed by ${binding} to ${subject}`;
  }

  private build(actor: Actor, request: Request, decision: 'allow' | 'forbid'): JsonObject {
    const isWatch = request.verb === 'watch';
    const stage = this.rng.chance(0.01) ? 'RequestReceived' : isWatch && this.rng.chance(0.35) ? 'ResponseStarted' : 'ResponseComplete';
    const level = request.level ?? (request.verb === 'get' && RICH_READS.has(request.resource ?? '') && this.rng.chance(0.5) ? 'RequestResponse' : 'Metadata');
    const event: JsonObject = { kind: 'Event', apiVersion: 'audit.k8s.io/v1', level, auditID: this.rng.uuid(), stage, requestURI: this.requestURI(request), verb: request.verb };
    const user: JsonObject = { username: actor.username };
    if (actor.uid) user.uid = actor.uid;
    user.groups = actor.groups;
    if (actor.extra) user.extra = actor.extra;
    event.user = user;
    event.sourceIPs = [actor.sourceIP];
    event.userAgent = actor.agent;
    if (!request.path) {
      const objectRef: JsonObject = { resource: request.resource! };
      if (request.namespace) objectRef.namespace = request.namespace;
      if (request.name) objectRef.name = request.name;
      if (request.apiGroup) objectRef.apiGroup = request.apiGroup;
      objectRef.apiVersion = request.apiVersion ?? 'v1';
      if (request.subresource) objectRef.subresource = request.subresource;
      event.objectRef = objectRef;
    }
    if (stage !== 'RequestReceived') event.responseStatus = this.responseStatus(actor, request, decision);
    if (level !== 'Metadata' && request.requestObject) event.requestObject = request.requestObject;
    if (level === 'RequestResponse' && stage === 'ResponseComplete' && decision === 'allow') {
      event.responseObject = request.responseObject ?? this.readResponse(request);
    }
    const latencyMs = isWatch && stage === 'ResponseComplete' ? this.rng.int(60000, 600000) : Math.round(-Math.log(1 - this.rng.next()) * 8) + 1;
    const received = this.clock - (stage === 'ResponseComplete' ? latencyMs : 0);
    event.requestReceivedTimestamp = isoMicro(received, this.rng.int(0, 999));
    event.stageTimestamp = isoMicro(stage === 'RequestReceived' ? received : this.clock, this.rng.int(0, 999));
    if (stage !== 'RequestReceived') {
      const annotations: JsonObject = { 'authorization.k8s.io/decision': decision, 'authorization.k8s.io/reason': request.reason ?? this.reason(actor, request, decision) };
      if (decision === 'allow') for (const [k, v] of Object.entries(request.extraAnnotations ?? {})) annotations[k] = v;
      event.annotations = annotations;
    }
    return event;
  }

  private readResponse(request: Request): JsonObject {
    const metadata: JsonObject = { name: request.name ?? 'x', uid: this.rng.uuid(), resourceVersion: String(this.nextResourceVersion()), creationTimestamp: isoSeconds(this.clock - this.rng.int(1, 200) * 3600000) };
    if (request.namespace) metadata.namespace = request.namespace;
    metadata.labels = { app: request.name ?? 'x', 'app.kubernetes.io/part-of': this.rng.pick(['shop', 'platform', 'data']) };
    metadata.managedFields = [this.managedField(this.rng.pick(['kubectl-client-side-apply', 'helm', 'argocd-controller', 'kube-controller-manager']), request.apiGroup ? `${request.apiGroup}/${request.apiVersion}` : 'v1', { 'f:metadata': { 'f:labels': { '.': {}, 'f:app': {}, 'f:app.kubernetes.io/part-of': {} } }, 'f:spec': { 'f:replicas': {}, 'f:selector': {}, 'f:template': { 'f:metadata': { 'f:labels': {} } } } })];
    const object: JsonObject = { kind: kindOf(request.resource ?? 'Status'), apiVersion: request.apiGroup ? `${request.apiGroup}/${request.apiVersion}` : 'v1', metadata };
    if (request.resource === 'pods') {
      const image = this.rng.pick(IMAGES);
      object.spec = { containers: [{ name: 'app', image, resources: { requests: { cpu: '100m', memory: '256Mi' } }, imagePullPolicy: 'IfNotPresent' }], nodeName: this.rng.pick(this.nodes).name, serviceAccountName: 'default', restartPolicy: 'Always' };
      object.status = {
        phase: 'Running', hostIP: this.rng.pick(this.nodes).ip, podIP: `10.0.${this.rng.int(96, 127)}.${this.rng.int(2, 254)}`, startTime: isoSeconds(this.clock - 3600000), qosClass: 'Burstable',
        conditions: ['Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map((type) => ({ type, status: 'True', lastProbeTime: null, lastTransitionTime: isoSeconds(this.clock - 3600000) })),
        containerStatuses: [{ name: 'app', state: { running: { startedAt: isoSeconds(this.clock - 3500000) } }, ready: true, restartCount: this.rng.int(0, 3), image, imageID: `${image.split(':')[0]}@sha256:${this.rng.hex(64)}`, containerID: `containerd://${this.rng.hex(64)}`, started: true }],
      };
    } else if (request.resource === 'nodes') {
      const node = this.nodes.find((n) => n.name === request.name) ?? this.nodes[0]!;
      object.spec = { providerID: `aws:///us-east-1a/i-0${this.rng.hex(16)}` };
      object.status = {
        capacity: { cpu: '8', 'ephemeral-storage': '104845292Ki', memory: '32386520Ki', pods: '110' },
        allocatable: { cpu: '7910m', 'ephemeral-storage': '95551679124', memory: '31369688Ki', pods: '110' },
        addresses: [{ type: 'InternalIP', address: node.ip }, { type: 'Hostname', address: node.name }, { type: 'InternalDNS', address: node.name }],
        daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
        nodeInfo: { machineID: this.rng.hex(32), systemUUID: this.rng.uuid(), bootID: this.rng.uuid(), kernelVersion: '5.10.214-202.855.amzn2.x86_64', osImage: 'Amazon Linux 2', containerRuntimeVersion: 'containerd://1.7.11', kubeletVersion: 'v1.29.3-eks-ae9a62a', kubeProxyVersion: 'v1.29.3-eks-ae9a62a', operatingSystem: 'linux', architecture: 'amd64' },
      };
    } else if (request.resource === 'deployments' || request.resource === 'statefulsets' || request.resource === 'replicasets') {
      const replicas = this.rng.int(1, 12);
      object.spec = { replicas, selector: { matchLabels: { app: request.name ?? 'x' } }, template: { metadata: { labels: { app: request.name ?? 'x' } }, spec: { containers: [{ name: 'app', image: this.rng.pick(IMAGES) }] } } };
      object.status = { observedGeneration: this.rng.int(1, 90), replicas, updatedReplicas: replicas, readyReplicas: replicas, availableReplicas: replicas };
    }
    return object;
  }

  private managedField(manager: string, apiVersion: string, fieldsV1: JsonObject): JsonObject {
    return { manager, operation: 'Update', apiVersion, time: isoSeconds(this.clock - this.rng.int(1, 100) * 60000), fieldsType: 'FieldsV1', fieldsV1 };
  }

  /** The kubelet's node status patch: conditions plus the node's image list, the big bodies of an audit log. */
  private nodeStatusPatch(): JsonObject {
    const conditions = ['MemoryPressure', 'DiskPressure', 'PIDPressure', 'Ready'].map((type) => ({ type, status: type === 'Ready' ? 'True' : 'False', lastHeartbeatTime: isoSeconds(this.clock), reason: type === 'Ready' ? 'KubeletReady' : `KubeletHas${type === 'MemoryPressure' ? 'SufficientMemory' : type === 'DiskPressure' ? 'NoDiskPressure' : 'SufficientPID'}`, message: type === 'Ready' ? 'kubelet is posting ready status' : 'kubelet has sufficient resources' }));
    const images = [] as Json[];
    const imageCount = this.rng.int(6, 18);
    for (let i = 0; i < imageCount; i++) {
      const image = this.rng.pick(IMAGES);
      images.push({ names: [`${image.split(':')[0]}@sha256:${this.rng.hex(64)}`, image], sizeBytes: this.rng.int(2_000_000, 900_000_000) });
    }
    const status: JsonObject = { $setElementOrder_conditions: conditions.map((c) => ({ type: c.type })), conditions };
    if (images.length) status.images = images;
    return { status };
  }

  private responseStatus(actor: Actor, request: Request, decision: 'allow' | 'forbid'): JsonObject {
    if (decision === 'forbid') {
      const scope = request.namespace ? ` in the namespace "${request.namespace}"` : ' at the cluster scope';
      const resource = request.subresource ? `${request.resource}/${request.subresource}` : request.resource ?? request.path ?? '';
      const what = request.name ? `"${request.name}" is forbidden` : 'is forbidden';
      return {
        metadata: {}, status: 'Failure',
        message: `${resource} ${what}: User "${actor.username}" cannot ${request.verb} resource "${resource}" in API group "${request.apiGroup ?? ''}"${scope}`,
        reason: 'Forbidden', details: { ...(request.name ? { name: request.name } : {}), ...(request.apiGroup ? { group: request.apiGroup } : {}), kind: request.resource ?? '' }, code: 403,
      };
    }
    if (request.verb === 'get' && request.resource && this.rng.chance(0.08)) {
      return { metadata: {}, status: 'Failure', message: `${request.resource} "${request.name ?? ''}" not found`, reason: 'NotFound', details: { name: request.name ?? '', kind: request.resource }, code: 404 };
    }
    if ((request.verb === 'update' || request.verb === 'create') && this.rng.chance(0.04)) {
      const conflict = request.verb === 'update';
      return { metadata: {}, status: 'Failure', message: conflict ? `Operation cannot be fulfilled on ${request.resource} "${request.name ?? ''}": the object has been modified; please apply your changes to the latest version and try again` : `${request.resource} "${request.name ?? ''}" already exists`, reason: conflict ? 'Conflict' : 'AlreadyExists', details: { name: request.name ?? '', kind: request.resource ?? '' }, code: 409 };
    }
    return { metadata: {}, code: request.verb === 'create' ? 201 : 200 };
  }
}

function kindOf(resource: string): string {
  const singular = resource.endsWith('ies') ? resource.slice(0, -3) + 'y' : resource.endsWith('sses') ? resource.slice(0, -2) : resource.replace(/s$/, '');
  return singular.charAt(0).toUpperCase() + singular.slice(1);
}

function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** RFC 3339 with microseconds, as the API server writes its audit timestamps. */
function isoMicro(ms: number, micros = 0): string {
  return new Date(Math.floor(ms)).toISOString().replace(/Z$/, `${String(micros).padStart(3, '0')}Z`);
}

/** `count` events, deterministic for a given seed and options. */
export function generateEvents(options: GenerateOptions): string[] {
  const generator = new AuditEventGenerator(options.seed, options.count, options.startTime, options.spanMs);
  const events: string[] = [];
  for (let i = 0; i < options.count; i++) events.push(generator.next());
  return events;
}
