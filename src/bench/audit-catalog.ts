// Names the audit-event generator draws from: namespaces, service accounts, user agents, resources.
// Shaped after what a mid-sized EKS/GKE-like cluster writes to its audit log.

export const K8S_VERSION = 'v1.29.3';
export const K8S_COMMIT = '6813625';

/** A component's user agent as client-go builds it. */
export function clientGoAgent(component: string, version = K8S_VERSION, commit = K8S_COMMIT, suffix = ''): string {
  return `${component}/${version} (linux/amd64) kubernetes/${commit}${suffix}`;
}

/** client-go built without version stamping: the `kubernetes/$Format` agents the rules exclude. */
export function unstampedAgent(component: string): string {
  return `${component}/v0.0.0 (linux/amd64) kubernetes/$Format`;
}

export const APP_NAMESPACES = [
  'default', 'payments', 'checkout', 'web', 'search', 'orders', 'inventory', 'data', 'ml-training',
  'notifications', 'auth', 'reporting', 'batch', 'team-a', 'team-b', 'team-c', 'staging', 'preview',
] as const;

/** Service accounts of platform components: namespace, name, weight, user agents. */
export interface ServiceAccountProfile {
  namespace: string;
  name: string;
  weight: number;
  agents: readonly string[];
  /** Resources it typically touches: [resource, apiGroup, apiVersion]. */
  resources: readonly (readonly [string, string, string])[];
}

const CORE = (r: string): readonly [string, string, string] => [r, '', 'v1'];
const APPS = (r: string): readonly [string, string, string] => [r, 'apps', 'v1'];
const COORD = ['leases', 'coordination.k8s.io', 'v1'] as const;
const DISCOVERY = ['endpointslices', 'discovery.k8s.io', 'v1'] as const;
const RBAC = (r: string): readonly [string, string, string] => [r, 'rbac.authorization.k8s.io', 'v1'];

export const CONTROLLER_NAMES = [
  'replicaset-controller', 'deployment-controller', 'endpointslice-controller', 'endpoint-controller',
  'namespace-controller', 'generic-garbage-collector', 'daemon-set-controller', 'statefulset-controller',
  'job-controller', 'cronjob-controller', 'node-controller', 'pvc-protection-controller',
  'resourcequota-controller', 'horizontal-pod-autoscaler', 'service-account-controller', 'ttl-after-finished-controller',
] as const;

export const PLATFORM_SERVICE_ACCOUNTS: readonly ServiceAccountProfile[] = [
  { namespace: 'kube-system', name: 'coredns', weight: 4, agents: [unstampedAgent('coredns')], resources: [CORE('services'), CORE('namespaces'), DISCOVERY] },
  { namespace: 'kube-system', name: 'kube-proxy', weight: 5, agents: [clientGoAgent('kube-proxy')], resources: [CORE('services'), CORE('nodes'), DISCOVERY] },
  { namespace: 'kube-system', name: 'cilium', weight: 5, agents: ['cilium-agent/1.15.3 (linux/amd64) go1.21.8'], resources: [CORE('pods'), CORE('nodes'), CORE('namespaces'), ['ciliumendpoints', 'cilium.io', 'v2'], ['ciliumidentities', 'cilium.io', 'v2']] },
  { namespace: 'kube-system', name: 'aws-node', weight: 3, agents: ['amazon-vpc-cni-k8s/v1.18.0 (linux/amd64) kubernetes/$Format'], resources: [CORE('pods'), CORE('nodes'), ['eniconfigs', 'crd.k8s.amazonaws.com', 'v1alpha1']] },
  { namespace: 'kube-system', name: 'ebs-csi-controller-sa', weight: 2, agents: [unstampedAgent('csi-provisioner'), unstampedAgent('csi-attacher')], resources: [CORE('persistentvolumes'), CORE('persistentvolumeclaims'), ['volumeattachments', 'storage.k8s.io', 'v1'], COORD] },
  { namespace: 'kube-system', name: 'metrics-server', weight: 2, agents: [unstampedAgent('metrics-server')], resources: [CORE('nodes'), CORE('pods'), CORE('configmaps')] },
  { namespace: 'kube-system', name: 'cluster-autoscaler', weight: 2, agents: ['cluster-autoscaler/v1.29.0 (linux/amd64) kubernetes/$Format'], resources: [CORE('nodes'), CORE('pods'), COORD, CORE('configmaps')] },
  { namespace: 'kube-system', name: 'secrets-store-csi-driver', weight: 1, agents: ['csi-secrets-store/v1.4.2 (linux/amd64) kubernetes/$Format'], resources: [CORE('secrets'), CORE('pods')] },
  { namespace: 'monitoring', name: 'prometheus-k8s', weight: 5, agents: ['Prometheus/2.51.1', 'Prometheus/2.48.0'], resources: [CORE('pods'), CORE('endpoints'), CORE('services'), DISCOVERY, CORE('nodes')] },
  { namespace: 'monitoring', name: 'kube-state-metrics', weight: 4, agents: ['v2.12.0 (linux/amd64) kubernetes/$Format', 'kube-state-metrics/v2.12.0 (linux/amd64) kubernetes/$Format'], resources: [CORE('pods'), CORE('nodes'), APPS('deployments'), APPS('replicasets'), CORE('secrets'), CORE('configmaps'), ['jobs', 'batch', 'v1']] },
  { namespace: 'monitoring', name: 'grafana', weight: 1, agents: ['grafana-sc-sidecar/1.26.1 python-requests/2.31.0', 'Go-http-client/1.1'], resources: [CORE('configmaps'), CORE('secrets')] },
  { namespace: 'monitoring', name: 'prometheus-operator', weight: 2, agents: ['PrometheusOperator/0.72.0'], resources: [['prometheuses', 'monitoring.coreos.com', 'v1'], ['servicemonitors', 'monitoring.coreos.com', 'v1'], APPS('statefulsets'), CORE('secrets')] },
  { namespace: 'cert-manager', name: 'cert-manager', weight: 2, agents: ['cert-manager-controller/v1.14.4 (linux/amd64) cert-manager/f1b6b5d3c2b0e2c7c8a6b3a3a1b2c0d1e5f6a7b8'], resources: [['certificates', 'cert-manager.io', 'v1'], ['certificaterequests', 'cert-manager.io', 'v1'], CORE('secrets'), COORD] },
  { namespace: 'cert-manager', name: 'cert-manager-cainjector', weight: 1, agents: ['cert-manager-cainjector/v1.14.4 (linux/amd64) cert-manager/f1b6b5d3c2b0e2c7c8a6b3a3a1b2c0d1e5f6a7b8'], resources: [['mutatingwebhookconfigurations', 'admissionregistration.k8s.io', 'v1'], COORD] },
  { namespace: 'argocd', name: 'argocd-application-controller', weight: 3, agents: [unstampedAgent('argocd-application-controller')], resources: [APPS('deployments'), CORE('services'), CORE('configmaps'), ['applications', 'argoproj.io', 'v1alpha1']] },
  { namespace: 'argocd', name: 'argocd-server', weight: 1, agents: ['argocd-server/v2.10.6+d504d2b (linux/amd64)'], resources: [CORE('secrets'), CORE('configmaps'), ['applications', 'argoproj.io', 'v1alpha1']] },
  { namespace: 'flux-system', name: 'kustomize-controller', weight: 1, agents: ['kustomize-controller/v1.2.2'], resources: [APPS('deployments'), CORE('configmaps'), ['kustomizations', 'kustomize.toolkit.fluxcd.io', 'v1']] },
  { namespace: 'karpenter', name: 'karpenter', weight: 2, agents: ['karpenter'], resources: [CORE('nodes'), CORE('pods'), ['nodeclaims', 'karpenter.sh', 'v1beta1'], COORD] },
  { namespace: 'ingress-nginx', name: 'ingress-nginx', weight: 2, agents: ['nginx-ingress-controller/v1.10.0 (linux/amd64) ingress-nginx/71f78d49f0a496c31d4c19f095469f3f23900f8a'], resources: [['ingresses', 'networking.k8s.io', 'v1'], CORE('services'), DISCOVERY, COORD, CORE('secrets')] },
  { namespace: 'vault', name: 'vault-agent-injector', weight: 1, agents: ['vault-k8s/v1.4.0 (linux/amd64) kubernetes/$Format'], resources: [CORE('pods'), CORE('secrets')] },
  { namespace: 'kubernetes-dashboard', name: 'kubernetes-dashboard', weight: 1, agents: ['dashboard/v2.7.0'], resources: [CORE('pods'), CORE('namespaces'), APPS('deployments'), CORE('secrets')] },
  { namespace: 'logging', name: 'fluent-bit', weight: 2, agents: ['Fluent-Bit'], resources: [CORE('pods'), CORE('namespaces')] },
];

/** Agents application pods use when they talk to the API (the rules' interesting cases). */
export const APP_AGENTS = [
  'python-requests/2.31.0', 'python-requests/2.28.2', 'Go-http-client/2.0', 'Go-http-client/1.1',
  'OpenAPI-Generator/28.0.0/python', 'OpenAPI-Generator/29.0.0/python', 'okhttp/4.12.0', 'Java/17.0.10',
  'node-fetch/1.0 (+https://github.com/bitinn/node-fetch)', 'axios/1.6.8', 'kubernetes-client/javascript',
  'curl/8.5.0', 'curl/7.88.1', 'Wget/1.21.4', 'kubectl/v1.28.4 (linux/amd64) kubernetes/bae2c62',
] as const;

/** Agents of human users. */
export const HUMAN_AGENTS = [
  'kubectl/v1.29.2 (darwin/arm64) kubernetes/4b8e819', 'kubectl/v1.29.3 (linux/amd64) kubernetes/6813625',
  'kubectl/v1.28.4 (darwin/amd64) kubernetes/bae2c62', 'kubectl/v1.30.0 (windows/amd64) kubernetes/7c48c2b',
  'k9s/v0.32.4 (darwin/arm64) kubernetes/$Format', 'Lens/6.5.2', 'helm/v3.14.3 (linux/amd64) kubernetes/$Format',
  'Terraform/1.7.5 (+https://www.terraform.io) terraform-provider-kubernetes/2.27.0',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/123.0.0.0 Safari/537.36',
] as const;

/** Rare agents for the long tail; combined with a generated index for many distinct values. */
export const RARE_AGENT_STEMS = [
  'kube-bench', 'trivy-operator', 'kyverno', 'gatekeeper', 'velero', 'external-dns', 'external-secrets',
  'reloader', 'descheduler', 'keda-operator', 'spark-operator', 'airflow-worker', 'jenkins-agent',
  'gitlab-runner', 'tekton-pipelines-controller', 'crossplane', 'linkerd-destination', 'istiod',
] as const;

export const HUMAN_USERS = [
  { username: 'alice@example.com', groups: ['platform-admins', 'system:authenticated'] },
  { username: 'bob@example.com', groups: ['developers', 'system:authenticated'] },
  { username: 'carol@example.com', groups: ['developers', 'system:authenticated'] },
  { username: 'dave@example.com', groups: ['sre', 'system:authenticated'] },
  { username: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] },
  { username: 'arn:aws:sts::123456789012:assumed-role/AdminRole/jdoe', groups: ['system:masters', 'system:authenticated'] },
  { username: 'oidc:erin', groups: ['oidc:readonly', 'system:authenticated'] },
] as const;

/** What the various actors read, for list/get URIs: [resource, apiGroup, version, namespaced]. */
export const COMMON_RESOURCES = [
  ['pods', '', 'v1', true], ['services', '', 'v1', true], ['configmaps', '', 'v1', true], ['secrets', '', 'v1', true],
  ['endpoints', '', 'v1', true], ['namespaces', '', 'v1', false], ['nodes', '', 'v1', false], ['events', '', 'v1', true],
  ['serviceaccounts', '', 'v1', true], ['persistentvolumeclaims', '', 'v1', true], ['deployments', 'apps', 'v1', true],
  ['replicasets', 'apps', 'v1', true], ['statefulsets', 'apps', 'v1', true], ['daemonsets', 'apps', 'v1', true],
  ['jobs', 'batch', 'v1', true], ['cronjobs', 'batch', 'v1', true], ['ingresses', 'networking.k8s.io', 'v1', true],
  ['roles', 'rbac.authorization.k8s.io', 'v1', true], ['rolebindings', 'rbac.authorization.k8s.io', 'v1', true],
  ['clusterroles', 'rbac.authorization.k8s.io', 'v1', false], ['clusterrolebindings', 'rbac.authorization.k8s.io', 'v1', false],
] as const;

export const IMAGES = [
  'nginx:1.25.4', 'redis:7.2.4-alpine', 'postgres:16.2', 'python:3.12-slim', 'busybox:1.36',
  '123456789012.dkr.ecr.us-east-1.amazonaws.com/payments-api:2024.05.14-3f9c2a1',
  '123456789012.dkr.ecr.us-east-1.amazonaws.com/checkout-web:1.42.0', 'ghcr.io/example/worker:v3.8.1',
  'alpine:3.19', 'ubuntu:22.04',
] as const;
