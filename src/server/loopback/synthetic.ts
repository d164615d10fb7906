// Small synthetic raw audit events for the server's tests and benchmark: a known share of them match
// the default rule (a service account's request denied, with a user agent from a small pool, so the
// first use of each agent is a new term and later uses are not), the rest do not.

export interface SyntheticOptions {
  count: number;
  /** Distinct user agents among the matching events. */
  agents?: number;
  /** Time of the first event (ms since the epoch); events are one second apart. */
  startMs?: number;
  /** Every n-th line is not JSON at all (0: none). */
  garbageEvery?: number;
}

/** One compact JSON line per event (plus garbage lines if asked), deterministic. */
export function syntheticAuditLines(options: SyntheticOptions): string[] {
  const agents = options.agents ?? 25;
  const start = options.startMs ?? Date.UTC(2026, 2, 1, 10, 0, 0);
  const lines: string[] = [];
  for (let i = 0; i < options.count; i++) {
    if (options.garbageEvery && i % options.garbageEvery === options.garbageEvery - 1) {
      lines.push(`not json: line ${i}`);
      continue;
    }
    const kind = i % 4;
    const at = new Date(start + i * 1000).toISOString().replace('Z', '000Z');
    const matching = kind === 0;
    const event = {
      kind: 'Event',
      apiVersion: 'audit.k8s.io/v1',
      level: 'Metadata',
      auditID: `ev-${String(i).padStart(6, '0')}`,
      stage: 'ResponseComplete',
      requestURI: '/api/v1/namespaces/default/secrets',
      verb: 'list',
      user: {
        username: kind === 2 ? 'alice@example.com' : `system:serviceaccount:team-${i % 7}:builder`,
        groups: ['system:serviceaccounts', 'system:authenticated'],
      },
      sourceIPs: [`10.0.${i % 250}.7`],
      // Matching events draw from the pool; the others use one agent that is excluded or never denied.
      userAgent: matching ? `recon-tool/${(i / 4) % agents}.0` : kind === 3 ? 'kube-controller-manager/v1.29.3 (linux/amd64) kubernetes/$Format' : 'kubectl/v1.29.3',
      objectRef: { resource: 'secrets', namespace: 'default', apiVersion: 'v1' },
      responseStatus: { code: kind === 1 ? 200 : 403 },
      requestReceivedTimestamp: at,
      stageTimestamp: at,
      annotations: { 'authorization.k8s.io/decision': kind === 1 ? 'allow' : 'forbid', 'authorization.k8s.io/reason': '' },
    };
    lines.push(JSON.stringify(event));
  }
  return lines;
}
