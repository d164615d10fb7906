import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatLoadIssue, loadRules, parseHistoryWindow, type LoadResult } from '../src/rules/load.js';
import { formatRuleSummary } from '../src/rules/summary.js';
import type { Rule } from '../src/rules/types.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..');
const fixtures = path.join(here, 'fixtures', 'rules');
const shared = path.resolve(repo, '../shared');
const hasShared = existsSync(path.join(shared, 'rules'));

const SEED_ID = '63c056a0-339a-11ed-a261-0242ac120002';
const DAY = 24 * 60 * 60 * 1000;

/** The line of the file where `rule.source.queryLine` points must be the query's first line. */
function queryLineText(rule: Rule): string {
  const lines = readFileSync(rule.source.file, 'utf8').split('\n');
  return lines[rule.source.queryLine! - 1]!;
}

function byId(result: LoadResult, id: string): Rule {
  const rule = [...result.rules, ...result.skipped.map((s) => s.rule)].find((r) => r.ruleId === id);
  expect(rule, `rule ${id}`).toBeDefined();
  return rule!;
}

describe('default rule (rules/default)', () => {
  const file = path.join(repo, 'rules/default/discovery_denied_service_account_request.toml');

  it('loads with every field of the seed rule version 10', async () => {
    const result = await loadRules([file]);
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.skipped).toEqual([]);
    expect(result.rules).toHaveLength(1);
    const rule = result.rules[0]!;
    expect(rule.ruleId).toBe(SEED_ID);
    expect(rule.name).toBe('Kubernetes Denied Service Account Request via Unusual User Agent');
    expect(rule.type).toBe('new_terms');
    expect(rule.language).toBe('kuery');
    expect(rule.query).toBe(
      'event.dataset:"kubernetes.audit_logs" and\n' +
        'kubernetes.audit.user.username:system\\:serviceaccount\\:* and\n' +
        'kubernetes.audit.annotations.authorization_k8s_io/decision:"forbid" and\n' +
        'kubernetes.audit.userAgent:(* and not (*kubernetes/$Format or karpenter or csi-secrets-store* or ' +
        'OpenAPI-Generator* or Prometheus* or dashboard* or cilium-agent*))\n',
    );
    expect(rule.version).toBe('2026/01/30');
    expect(rule.severity).toBe('low');
    expect(rule.riskScore).toBe(21);
    expect(rule.author).toEqual(['Elastic']);
    expect(rule.license).toBe('Elastic License v2');
    expect(rule.references).toEqual([
      'https://research.nccgroup.com/2021/11/10/detection-engineering-for-kubernetes-clusters/#part3-kubernetes-detections',
      'https://kubernetes.io/docs/reference/access-authn-authz/authentication/#service-account-tokens',
    ]);
    expect(rule.tags).toEqual([
      'Data Source: Kubernetes',
      'Domain: Kubernetes',
      'Use Case: Threat Detection',
      'Tactic: Discovery',
    ]);
    expect(rule.description).toMatch(/service account/);
    expect(rule.threat).toEqual([
      {
        framework: 'MITRE ATT&CK',
        tactic: { id: 'TA0007', name: 'Discovery', reference: 'https://attack.mitre.org/tactics/TA0007/' },
        technique: [
          {
            id: 'T1613',
            name: 'Container and Resource Discovery',
            reference: 'https://attack.mitre.org/techniques/T1613/',
            subtechnique: [],
          },
        ],
      },
    ]);
    expect(rule.newTerms).toEqual({ fields: ['kubernetes.audit.userAgent'], historyWindowStart: 'now-7d' });
    expect(parseHistoryWindow(rule.newTerms!.historyWindowStart)).toBe(7 * DAY);
    expect(rule.timestampOverride).toBe('event.ingested');
    expect(rule.enabled).toBe(true);
    expect(rule.exceptionsList).toEqual([]);
    expect(rule.index).toEqual(['logs-kubernetes.audit_logs-*']);
    expect(rule.ruleset).toBe('default');
    expect(rule.source.file).toBe(file);
    expect(queryLineText(rule)).toBe('event.dataset:"kubernetes.audit_logs" and');
    expect(rule.source.line).toBe(rule.source.queryLine);
    expect(rule.unappliedSettings).toBeUndefined();
  });

  it('starts with a comment crediting Elastic and has no note', () => {
    const text = readFileSync(file, 'utf8');
    expect(text.startsWith('#')).toBe(true);
    expect(text.split('\n')[0]).toMatch(/Elastic's detection-rules/);
    expect(text).toMatch(/Elastic License 2\.0/);
    expect(text).not.toMatch(/^note\s*=/m);
  });

  it.skipIf(!hasShared)('has the query of seed version 10 exactly (requires ../shared)', async () => {
    const [ours, seed] = await Promise.all([
      loadRules([file]),
      loadRules([path.join(shared, 'rules/seed/discovery_denied_service_account_request.v10.toml')]),
    ]);
    expect(ours.rules[0]!.query).toBe(seed.rules[0]!.query);
    expect(ours.rules[0]!.threat).toEqual(seed.rules[0]!.threat);
    expect(ours.rules[0]!.references).toEqual(seed.rules[0]!.references);
    expect(ours.rules[0]!.description).not.toBe(seed.rules[0]!.description);
  });
});

describe.skipIf(!hasShared)('Elastic rules from ../shared (requires ../shared)', () => {
  it('loads seed version 10', async () => {
    const result = await loadRules([path.join(shared, 'rules/seed/discovery_denied_service_account_request.v10.toml')]);
    expect(result.errors).toEqual([]);
    const rule = result.rules[0]!;
    expect(rule.ruleId).toBe(SEED_ID);
    expect(rule.type).toBe('new_terms');
    expect(rule.version).toBe('2026/01/30');
    expect(rule.ruleset).toBe('seed');
    expect(rule.newTerms).toEqual({ fields: ['kubernetes.audit.userAgent'], historyWindowStart: 'now-7d' });
    expect(rule.query).toMatch(/^event\.dataset:"kubernetes\.audit_logs" and\n/);
    expect(rule.tags).toContain('Resources: Investigation Guide');
    expect(rule.timestampOverride).toBe('event.ingested');
    expect(queryLineText(rule)).toBe('event.dataset:"kubernetes.audit_logs" and');
  });

  it('loads the current version (v12, in the Kubernetes pack)', async () => {
    const result = await loadRules([path.join(shared, 'rules/elastic-kubernetes/discovery_denied_service_account_request.toml')]);
    expect(result.errors).toEqual([]);
    const rule = result.rules[0]!;
    expect(rule.ruleId).toBe(SEED_ID);
    expect(rule.version).toBe('2026/04/10');
    expect(rule.ruleset).toBe('elastic-kubernetes');
    expect(rule.newTerms).toEqual({ fields: ['user_agent.original'], historyWindowStart: 'now-7d' });
    expect(rule.query).toMatch(/^data_stream\.dataset:"kubernetes\.audit_logs" and\n/);
    expect(rule.query).toMatch(/\nuser_agent\.original:\(\* and not/);
    expect(rule.severity).toBe('low');
    expect(rule.riskScore).toBe(21);
    expect(rule.threat.map((t) => t.tactic.id)).toEqual(['TA0007']);
    expect(queryLineText(rule)).toBe('data_stream.dataset:"kubernetes.audit_logs" and');
  });

  it('loads the whole Kubernetes pack: 22 query + 7 new_terms + 5 eql + 11 esql, none skipped', async () => {
    const result = await loadRules([path.join(shared, 'rules/elastic-kubernetes')]);
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
    const count = (rules: Rule[], type: string): number => rules.filter((r) => r.type === type).length;
    expect(result.rules).toHaveLength(45);
    expect(count(result.rules, 'query')).toBe(22);
    expect(count(result.rules, 'new_terms')).toBe(7);
    expect(count(result.rules, 'eql')).toBe(5);
    expect(count(result.rules, 'esql')).toBe(11);
    const skipped = result.skipped.map((s) => s.rule);
    expect(skipped).toHaveLength(0);
    const windows = result.rules.filter((r) => r.newTerms).map((r) => r.newTerms!.historyWindowStart).sort();
    expect(windows).toEqual(['now-10d', 'now-7d', 'now-7d', 'now-7d', 'now-7d', 'now-7d', 'now-7d']);
    for (const rule of [...result.rules, ...skipped]) {
      expect(rule.ruleset).toBe('elastic-kubernetes');
      expect(rule.version).toMatch(/^\d{4}\/\d{2}\/\d{2}$/);
      expect(rule.language === 'kuery').toBe(rule.type === 'query' || rule.type === 'new_terms');
      expect(rule.language === 'eql').toBe(rule.type === 'eql');
      expect(rule.language === 'esql').toBe(rule.type === 'esql');
      // Every query's first line is where queryLine points.
      expect(queryLineText(rule)).toBe(rule.query.split('\n')[0]);
    }
    // Files are read in sorted order.
    const files = [...result.rules, ...skipped].map((r) => path.basename(r.source.file));
    expect(result.rules.map((r) => path.basename(r.source.file))).toEqual(
      [...result.rules.map((r) => path.basename(r.source.file))].sort(),
    );
    expect(new Set(files).size).toBe(45);

    const summary = formatRuleSummary(result);
    const lines = summary.trimEnd().split('\n');
    expect(lines).toHaveLength(1 + 45 + 1);
    expect(lines.filter((l) => l.startsWith('loaded '))).toHaveLength(45);
    expect(lines.filter((l) => l.startsWith('skipped'))).toHaveLength(0);
    expect(lines.at(-1)).toBe('45 loaded, 0 skipped, 0 warnings, 0 errors');
  });

  it('reports the seed versions as duplicates when loaded together', async () => {
    const v10 = path.join(shared, 'rules/seed/discovery_denied_service_account_request.v10.toml');
    const v12 = path.join(shared, 'rules/elastic-kubernetes/discovery_denied_service_account_request.toml');
    const result = await loadRules([v10, v12]);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]!.message).toContain(v10);
    expect(result.errors[0]!.message).toContain(v12);
  });
});

describe('Kibana export NDJSON', () => {
  const file = path.join(fixtures, 'kibana/export.ndjson');
  let result: LoadResult;
  beforeAll(async () => {
    result = await loadRules([file]);
  });

  it('reads the rules and ignores the exception list lines and the summary line', () => {
    expect(result.errors).toEqual([]);
    expect(result.rules.map((r) => r.ruleId)).toEqual([
      '0c1e0f4a-0001-4a5e-9e77-kqledge00001',
      '0c1e0f4a-0002-4a5e-9e77-kqledge00002',
    ]);
    expect(result.rules.map((r) => r.source.line)).toEqual([1, 2]);
    expect(result.rules.every((r) => r.ruleset === 'kibana' && r.source.file === file)).toBe(true);
  });

  it('maps the snake_case fields', () => {
    const one = result.rules[0]!;
    expect(one).toMatchObject({
      name: 'Fixture: pod exec by a human user',
      type: 'query',
      language: 'kuery',
      query: 'kubernetes.audit.verb:"create" and kubernetes.audit.objectRef.subresource:"exec"',
      version: '3',
      severity: 'medium',
      riskScore: 47,
      author: ['kql-edge tests'],
      license: 'Apache-2.0',
      references: ['https://example.org/exec'],
      tags: ['Domain: Kubernetes'],
      description: 'Fixture rule one.',
      enabled: true,
      index: ['logs-kubernetes.audit_logs-*'],
      timestampOverride: 'event.ingested',
      from: 'now-9m',
      interval: '5m',
      maxSignals: 100,
    });
    expect(one.newTerms).toBeUndefined();
    expect(one.threat[0]!.technique[0]!.id).toBe('T1609');
    expect(one.unappliedSettings).toBeUndefined(); // `filters: []` is not a setting

    const two = result.rules[1]!;
    expect(two.version).toBe('1');
    expect(two.newTerms).toEqual({ fields: ['user_agent.original', 'user.name'], historyWindowStart: 'now-14d' });
    expect(two.threat[0]!.technique[0]!.subtechnique).toEqual([
      { id: 'T1552.007', name: 'Container API', reference: 'https://attack.mitre.org/techniques/T1552/007/' },
    ]);
  });

  it('skips the disabled rule and the lucene rule with their reasons', () => {
    expect(result.skipped.map((s) => [s.rule.ruleId, s.kind, s.reason, s.rule.source.line])).toEqual([
      ['0c1e0f4a-0003-4a5e-9e77-kqledge00003', 'disabled', 'disabled', 3],
      [
        '0c1e0f4a-0004-4a5e-9e77-kqledge00004',
        'unsupported',
        'language lucene is not supported (kql-edge runs KQL query and new_terms rules, EQL rules and ES|QL rules)',
        4,
      ],
    ]);
  });

  it('warns that exception lists are not applied, naming them', () => {
    expect(result.warnings).toHaveLength(1);
    const w = result.warnings[0]!;
    expect(w).toMatchObject({ file, line: 1, ruleId: '0c1e0f4a-0001-4a5e-9e77-kqledge00001' });
    expect(w.message).toContain('trusted-admins (7a1b2c3d-list-uuid)');
    expect(w.message).toMatch(/cannot be resolved offline and are not applied/);
  });

  it('prints a summary table with a line per rule', () => {
    const lines = formatRuleSummary(result).trimEnd().split('\n');
    expect(lines[0]).toMatch(/^STATUS\s+RULE_ID\s+TYPE\s+NAME\s+REASON$/);
    expect(lines[1]).toMatch(/^loaded\s+0c1e0f4a-0001-4a5e-9e77-kqledge00001\s+query\s+Fixture: pod exec by a human user\s+1 warning$/);
    expect(lines[2]).toMatch(/new terms on user_agent\.original, user\.name over now-14d$/);
    expect(lines[3]).toMatch(/^skipped\s+0c1e0f4a-0003-\S+\s+query\s+Fixture: switched off\s+disabled$/);
    expect(lines[4]).toMatch(/language lucene is not supported/);
    expect(lines[5]).toBe('2 loaded, 2 skipped, 1 warning, 0 errors');
    // Columns line up: every row has its rule_id at the same offset.
    expect(new Set(lines.slice(1, 5).map((l) => l.indexOf('0c1e0f4a')))).toEqual(new Set([lines[0]!.indexOf('RULE_ID')]));
  });

  it('warns about rules the export says are missing', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'kql-edge-rules-'));
    try {
      const f = path.join(dir, 'export.ndjson');
      await writeFile(f, '{"exported_count":0,"missing_rules":[{"rule_id":"gone-1"}],"missing_rules_count":1}\n');
      const r = await loadRules([f]);
      expect(r.rules).toEqual([]);
      expect(r.warnings.map(formatLoadIssue)).toEqual([`${f}:1: the export reports 1 missing rule(s): gone-1`]);
    } finally {
      await rm(dir, { recursive: true });
    }
  });
});

describe('single detection-engine JSON rule', () => {
  it('loads with Kibana defaults for language and enabled', async () => {
    const file = path.join(fixtures, 'json/single-rule.json');
    const result = await loadRules([file]);
    expect(result.errors).toEqual([]);
    expect(result.rules).toHaveLength(1);
    const rule = result.rules[0]!;
    expect(rule).toMatchObject({
      ruleId: '0c1e0f4a-0005-4a5e-9e77-kqledge00005',
      type: 'new_terms',
      language: 'kuery',
      version: '5',
      severity: 'critical',
      riskScore: 99,
      enabled: true,
      newTerms: { fields: ['source.ip'], historyWindowStart: 'now-2w' },
      tags: ['Domain: Kubernetes', 'Tactic: Initial Access'],
      ruleset: 'json',
      source: { file, line: 1 },
    });
    expect(rule.threat).toEqual([]);
  });
});

describe('unsupported rule types', () => {
  it('loads machine_learning (no query) and an eql rule with a pipe into skipped', async () => {
    const result = await loadRules([path.join(fixtures, 'unsupported')]);
    expect(result.errors).toEqual([]);
    expect(result.rules).toEqual([]);
    expect(result.skipped.map((s) => [s.rule.type, s.reason])).toEqual([
      ['machine_learning', 'type machine_learning is not supported (kql-edge runs KQL query and new_terms rules, EQL rules and ES|QL rules)'],
      ['eql', 'EQL pipes (| head, | tail, | filter, ...) are not supported'],
    ]);
    expect(result.skipped[0]!.rule.query).toBe('');
    expect(result.skipped[0]!.rule.language).toBeUndefined();
  });
});

describe('errors are collected with their place in the file', () => {
  it('names both files of a duplicate rule_id', async () => {
    const dir = path.join(fixtures, 'duplicate');
    const result = await loadRules([dir]);
    expect(result.rules).toHaveLength(1);
    expect(result.rules[0]!.name).toBe('Fixture: first copy');
    expect(result.errors).toHaveLength(1);
    const first = path.join(dir, 'first.toml');
    const second = path.join(dir, 'second.toml');
    expect(result.errors[0]).toMatchObject({ file: second, line: 13, ruleId: '0c1e0f4a-0006-4a5e-9e77-kqledge00006' });
    expect(result.errors[0]!.message).toBe(
      `duplicate rule_id 0c1e0f4a-0006-4a5e-9e77-kqledge00006: defined in ${first}:13 and in ${second}:13`,
    );
  });

  it('gives the TOML parser position of a syntax error', async () => {
    const file = path.join(fixtures, 'invalid/bad-syntax.toml');
    const result = await loadRules([file]);
    expect(result.rules).toEqual([]);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatchObject({ file, line: 6, column: 11 });
    expect(formatLoadIssue(result.errors[0]!)).toMatch(new RegExp(`^${escape(file)}:6:11: invalid TOML: `));
  });

  it('gives the position of a JSON syntax error', async () => {
    const file = path.join(fixtures, 'invalid/bad-json.json');
    const result = await loadRules([file]);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatchObject({ file, line: 4, column: 21 });
    expect(result.errors[0]!.message).toMatch(/^invalid JSON: /);
  });

  it('gives the position of a JSON syntax error on an NDJSON line', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'kql-edge-rules-'));
    try {
      const f = path.join(dir, 'export.ndjson');
      const good = readFileSync(path.join(fixtures, 'kibana/export.ndjson'), 'utf8').split('\n')[1];
      await writeFile(f, `${good}\n{"rule_id": "x", "name": tru}\n`);
      const r = await loadRules([f]);
      expect(r.rules).toHaveLength(1);
      expect(r.errors).toHaveLength(1);
      expect(r.errors[0]).toMatchObject({ file: f, line: 2, column: 29 });
    } finally {
      await rm(dir, { recursive: true });
    }
  });

  it('rejects a history window that is not now-<N><unit>, pointing at the value', async () => {
    const file = path.join(fixtures, 'invalid/bad-window.toml');
    const result = await loadRules([file]);
    expect(result.rules).toEqual([]);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatchObject({ file, line: 21, ruleId: '0c1e0f4a-0008-4a5e-9e77-kqledge00008' });
    expect(result.errors[0]!.message).toMatch(/^rule 0c1e0f4a-0008-4a5e-9e77-kqledge00008: history_window_start "now-7days" is not a supported date-math duration/);
  });

  it('requires 1 to 3 new terms fields', async () => {
    const file = path.join(fixtures, 'invalid/four-fields.json');
    const result = await loadRules([file]);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatchObject({ file, line: 9 });
    expect(result.errors[0]!.message).toMatch(/: new_terms_fields must name 1 to 3 fields, got 4$/);
  });

  it('reports each missing required field at the [rule] table', async () => {
    const file = path.join(fixtures, 'invalid/missing-fields.toml');
    const result = await loadRules([file]);
    expect(result.rules).toEqual([]);
    expect(result.errors.map(formatLoadIssue)).toEqual([
      `${file}:4: rule 0c1e0f4a-0009-4a5e-9e77-kqledge00009: missing required field query`,
      `${file}:4: rule 0c1e0f4a-0009-4a5e-9e77-kqledge00009: missing required field severity`,
      `${file}:4: rule 0c1e0f4a-0009-4a5e-9e77-kqledge00009: missing required field risk_score`,
    ]);
  });

  it('collects errors from every file of a folder instead of stopping', async () => {
    const result = await loadRules([path.join(fixtures, 'invalid')]);
    expect(new Set(result.errors.map((e) => path.basename(e.file)))).toEqual(
      new Set(['bad-json.json', 'bad-syntax.toml', 'bad-window.toml', 'four-fields.json', 'missing-fields.toml']),
    );
    expect(formatRuleSummary(result).trimEnd().split('\n').at(-1)).toBe('0 loaded, 0 skipped, 0 warnings, 7 errors');
  });

  it('reports paths that are missing or not rule files', async () => {
    const missing = path.join(fixtures, 'no-such-folder');
    const notRule = path.join(fixtures, '../../rules-load.test.ts');
    const result = await loadRules([missing, notRule]);
    expect(result.errors.map(formatLoadIssue)).toEqual([
      `${missing}: no such file or folder`,
      `${notRule}: not a rule file: expected .toml, .ndjson, .json or a folder`,
    ]);
  });
});

describe('settings Elastic applies that kql-edge does not', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'kql-edge-rules-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true });
  });

  it('warns about non-empty filters and alert suppression', async () => {
    const f = path.join(dir, 'filtered.json');
    await writeFile(
      f,
      JSON.stringify({
        rule_id: 'filtered-1',
        name: 'Fixture: with filters',
        type: 'query',
        query: 'event.action:*',
        severity: 'low',
        risk_score: 21,
        filters: [{ query: { match_phrase: { 'user.name': 'x' } } }],
        alert_suppression: { group_by: ['user.name'] },
      }),
    );
    const r = await loadRules([f]);
    expect(r.rules[0]!.unappliedSettings).toEqual(['filters', 'alert_suppression']);
    expect(r.warnings.map((w) => w.message)).toEqual([
      'rule filtered-1 sets filters, alert_suppression, which kql-edge does not apply',
    ]);
  });

  it('validates types of the fields it reads', async () => {
    const f = path.join(dir, 'typed.json');
    await writeFile(
      f,
      JSON.stringify({ rule_id: 't-1', name: 'n', type: 'query', query: 'a:b', severity: 'urgent', risk_score: 150 }, null, 2),
    );
    const r = await loadRules([f]);
    expect(r.errors.map((e) => [e.line, e.message])).toEqual([
      [6, 'rule t-1: severity must be one of low, medium, high, critical, got "urgent"'],
      [7, 'rule t-1: risk_score must be an integer from 0 to 100, got 150'],
    ]);
  });
});

describe('ruleset', () => {
  it('defaults to the folder holding the file and can be set', async () => {
    const file = path.join(fixtures, 'query-lines/literal.toml');
    expect((await loadRules([file])).rules[0]!.ruleset).toBe('query-lines');
    expect((await loadRules([file], { ruleset: 'prod-k8s' })).rules[0]!.ruleset).toBe('prod-k8s');
  });
});

describe('source.queryLine', () => {
  it("points at the first query line of a ''' string", async () => {
    const rule = (await loadRules([path.join(fixtures, 'query-lines/literal.toml')])).rules[0]!;
    expect(rule.source.queryLine).toBe(21);
    expect(queryLineText(rule)).toBe('event.action:"create" and');
    expect(rule.query).toBe('event.action:"create" and\nkubernetes.audit.objectRef.resource:"pods"\n');
  });

  it('points at the first query line of a """ string', async () => {
    const rule = (await loadRules([path.join(fixtures, 'query-lines/basic.toml')])).rules[0]!;
    expect(rule.source.queryLine).toBe(15);
    expect(queryLineText(rule)).toBe('event.action:"delete" and');
    expect(rule.query).toBe('event.action:"delete" and\nuser.name:"admin"\n');
  });

  it('is the key line when the query starts right after the quotes', async () => {
    const rule = (await loadRules([path.join(fixtures, 'query-lines/same-line.toml')])).rules[0]!;
    expect(rule.source.queryLine).toBe(12);
    expect(rule.query.split('\n')[0]).toBe('event.action:"patch" and');
    expect(rule.version).toBe('7'); // rule.version wins over metadata.updated_date
  });

  it('handles CRLF line endings', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'kql-edge-rules-'));
    try {
      const text = readFileSync(path.join(fixtures, 'query-lines/literal.toml'), 'utf8').replace(/\n/g, '\r\n');
      const f = path.join(dir, 'crlf.toml');
      await writeFile(f, text);
      const rule = (await loadRules([f])).rules[0]!;
      expect(rule.source.queryLine).toBe(21);
    } finally {
      await rm(dir, { recursive: true });
    }
  });
});

describe('parseHistoryWindow', () => {
  it('converts every unit to milliseconds (month = 30 days, year = 365 days)', () => {
    expect(parseHistoryWindow('now-30s')).toBe(30_000);
    expect(parseHistoryWindow('now-15m')).toBe(15 * 60_000);
    expect(parseHistoryWindow('now-6h')).toBe(6 * 3_600_000);
    expect(parseHistoryWindow('now-10d')).toBe(10 * DAY);
    expect(parseHistoryWindow('now-2w')).toBe(14 * DAY);
    expect(parseHistoryWindow('now-1M')).toBe(30 * DAY);
    expect(parseHistoryWindow('now-1y')).toBe(365 * DAY);
  });

  it('rejects what is not now-<N><unit>', () => {
    for (const bad of ['now-7days', 'now-7', 'now-0d', 'now+7d', '7d', 'now-7d/d', ' now-7d', 'now-7D', '2026-01-01', 'now']) {
      expect(() => parseHistoryWindow(bad), bad).toThrow(/not a supported date-math duration/);
    }
  });
});

describe('formatLoadIssue', () => {
  it('writes file:line:col: message with the known parts', () => {
    expect(formatLoadIssue({ file: 'a.toml', line: 3, column: 7, message: 'bad' })).toBe('a.toml:3:7: bad');
    expect(formatLoadIssue({ file: 'a.toml', line: 3, message: 'bad' })).toBe('a.toml:3: bad');
    expect(formatLoadIssue({ file: 'a.toml', message: 'bad' })).toBe('a.toml: bad');
  });
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
