// Test helpers: a Fluent Bit-like host over the generic evaluator with rules compiled in memory.
import path from 'node:path';
import { existsSync } from 'node:fs';
import { loadRules } from '../../src/rules/load.js';
import { compileProgram, type BuildOptions } from '../../src/compiler/index.js';
import { genericFilterModule } from '../../src/build/evaluator.js';
import { FluentBitHost, type HostOptions } from '../../src/host/fluent-bit-host.js';
import type { Rule } from '../../src/rules/types.js';

export const ROOT = path.resolve(__dirname, '../..');
export const SHARED = path.resolve(ROOT, '../shared');
export const hasShared = existsSync(path.join(SHARED, 'rules'));
export const DEFAULT_RULES = path.join(ROOT, 'rules/default');
export const SEED_V12 = path.join(SHARED, 'rules/elastic-kubernetes/discovery_denied_service_account_request.toml');
export const PACK = path.join(SHARED, 'rules/elastic-kubernetes');

export async function rulesFrom(paths: string[]): Promise<Rule[]> {
  const result = await loadRules(paths);
  if (result.errors.length) throw new Error(result.errors.map((e) => e.message).join('\n'));
  return result.rules;
}

export async function hostFor(rules: Rule[] | string[], options: Partial<BuildOptions> = {}, hostOptions: HostOptions = {}): Promise<FluentBitHost> {
  const loaded = typeof rules[0] === 'string' ? await rulesFrom(rules as string[]) : (rules as Rule[]);
  const program = compileProgram(loaded, options);
  return FluentBitHost.create(await genericFilterModule(), program.bytes, hostOptions);
}

/** A raw audit event (compact JSON, keys in the usual order) with overrides. */
export function rawEvent(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    level: 'Metadata',
    auditID: 'a1',
    stage: 'ResponseComplete',
    requestURI: '/api/v1/namespaces/default/secrets',
    verb: 'list',
    user: { username: 'system:serviceaccount:default:builder', groups: ['system:serviceaccounts', 'system:authenticated'] },
    sourceIPs: ['10.0.0.7'],
    userAgent: 'curl/8.5.0',
    objectRef: { resource: 'secrets', namespace: 'default', apiVersion: 'v1' },
    responseStatus: { code: 403 },
    requestReceivedTimestamp: '2026-03-01T10:00:00.000000Z',
    stageTimestamp: '2026-03-01T10:00:00.001000Z',
    annotations: { 'authorization.k8s.io/decision': 'forbid', 'authorization.k8s.io/reason': '' },
    ...over,
  };
}

export const line = (o: unknown) => Buffer.from(JSON.stringify(o));

/** Rule ids of the alerts in a tagged output, or [] for an untagged one. */
export function alertIds(output: Buffer): string[] {
  const parsed = JSON.parse(output.toString('utf8'));
  return (parsed.kql_edge?.alerts ?? []).map((a: { rule_id: string }) => a.rule_id);
}

export const SEED_ID = '63c056a0-339a-11ed-a261-0242ac120002';
