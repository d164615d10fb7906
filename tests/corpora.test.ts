// The public audit corpora of ../shared/corpora (Falco's k8s_audit test traces, audit2rbac's demo
// log) through the whole Kubernetes pack in one Fluent Bit-like filter instance, line by line:
// nothing is dropped or broken, untagged records come out byte for byte, tagged ones are the input
// plus the tag, and every verdict (query rules and streaming New Terms alike) is the reference
// evaluator's. Per-rule counts are printed for information; the only counts asserted are the ones
// checked by reading the events.

import { parseEsql } from '../src/esql/parser.js';
import { esqlStream } from '../src/reference/esql.js';
import { describe, it, expect, beforeAll } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { loadRules } from '../src/rules/load.js';
import { compileProgram } from '../src/compiler/index.js';
import { genericFilterModule } from '../src/build/evaluator.js';
import { FluentBitHost } from '../src/host/fluent-bit-host.js';
import type { Rule } from '../src/rules/types.js';
import { loadFieldTable } from '../src/fields/table.js';
import { parseKql } from '../src/kql/parser.js';
import { parseEql } from '../src/eql/parser.js';
import { evaluateEqlEvent } from '../src/reference/eql.js';
import { eqlSequenceStream } from '../src/reference/eql-sequence.js';
import { toEcsView } from '../src/reference/ecs-view.js';
import { evaluate } from '../src/reference/evaluate.js';
import { eventTime } from '../src/reference/event-time.js';
import { parseJson } from '../src/reference/json.js';
import { newTermsBruteForce, newTermsValues, type NewTermsEvent } from '../src/reference/new-terms.js';
import { hasShared, SHARED, PACK, DEFAULT_RULES } from './helpers/evaluator.js';

const CORPORA = path.join(SHARED, 'corpora');
/** Fluent Bit's record time for line i (the events carry their own timestamps). */
const hostTime = (i: number) => Date.parse('2026-03-01T12:00:00Z') + i * 1000;

interface CorpusLine {
  file: string;
  /** 1-based line number in the file. */
  lineNo: number;
  bytes: Buffer;
}

interface Outcome {
  line: CorpusLine;
  verdict: string;
  output: Buffer;
  /** rule_id -> the alert's new_terms.values (null for a query rule). */
  alerts: Map<string, unknown>;
}

/** Every non-empty line of every corpus file, in a fixed order (files sorted by name). */
function corpusLines(): CorpusLine[] {
  const files = [
    ...readdirSync(path.join(CORPORA, 'falco-k8s_audit'))
      .filter((f) => f.endsWith('.json'))
      .sort()
      .map((f) => path.join('falco-k8s_audit', f)),
    path.join('audit2rbac', 'demo.log'),
  ];
  const lines: CorpusLine[] = [];
  for (const file of files) {
    const text = readFileSync(path.join(CORPORA, file));
    let start = 0;
    let lineNo = 0;
    while (start <= text.length) {
      let end = text.indexOf(0x0a, start);
      if (end < 0) end = text.length;
      lineNo++;
      const bytes = text.subarray(start, end);
      // Fluent Bit's tail input never emits a record for an empty line.
      if (bytes.toString('utf8').trim() !== '') lines.push({ file, lineNo, bytes: Buffer.from(bytes) });
      start = end + 1;
    }
  }
  return lines;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Runs the lines through one filter instance, checking every output as it goes. */
function runAll(host: FluentBitHost, lines: CorpusLine[]): Outcome[] {
  return lines.map((line, i) => {
    const r = host.filter(line.bytes, hostTime(i));
    const where = `${line.file}:${line.lineNo}`;
    expect(r.verdict, where).not.toBe('dropped');
    const alerts = new Map<string, unknown>();
    if (r.verdict === 'pass') {
      expect(r.output.equals(line.bytes), `${where} passes through byte for byte`).toBe(true);
    } else {
      const head = line.bytes.subarray(0, line.bytes.length - 1);
      expect(r.output.subarray(0, head.length).equals(head), `${where} keeps its bytes as the prefix`).toBe(true);
      const out = JSON.parse(r.output.toString('utf8')) as Record<string, unknown>;
      const original = JSON.parse(line.bytes.toString('utf8')) as Record<string, unknown>;
      for (const [k, v] of Object.entries(original)) expect(out[k], `${where} key ${k}`).toEqual(v);
      expect((out.event as Record<string, unknown>).kind).toBe('alert');
      const list = (out.kql_edge as { alerts: { rule_id: string; new_terms?: { values: unknown } }[] }).alerts;
      const ids = list.map((a) => a.rule_id);
      expect(ids, `${where} alerts ordered by rule_id`).toEqual([...ids].sort());
      expect(ids.length === 1 ? ids[0] : ids).toEqual((out.rule as Record<string, unknown>).id);
      for (const a of list) alerts.set(a.rule_id, a.new_terms?.values ?? null);
    }
    // Every output line is valid JSON (every corpus line is a JSON object).
    expect(() => JSON.parse(r.output.toString('utf8')), where).not.toThrow();
    return { line, verdict: r.verdict, output: r.output, alerts };
  });
}

/**
 * What the reference says each line alerts for, per rule, replaying the lines in order:
 * query rules alert on a query match, New Terms rules on a new combination (streaming definition).
 * Returns rule_id -> per line, undefined (no alert) or the alert's new_terms values (null for query).
 */
function referenceAlerts(rules: Rule[], lines: CorpusLine[]): Map<string, unknown[]> {
  const fields = loadFieldTable();
  const records = lines.map((l) => {
    try {
      return parseJson(l.bytes.toString('utf8'));
    } catch {
      return undefined;
    }
  });
  const views = records.map((r) => (r === undefined ? null : toEcsView(r)));
  const out = new Map<string, unknown[]>();
  for (const rule of rules) {
    if (rule.type === 'eql') {
      out.set(rule.ruleId, referenceEqlAlerts(rule, records, views, fields));
      continue;
    }
    if (rule.type === 'esql') {
      // Per-event ES|QL: a line alerts when the reference returns a row for it.
      const events = views.map((view, i) => ({ doc: view === null ? null : view.doc, time: view === null ? 0 : eventTime(records[i], view, rule.timestampOverride, hostTime(i)) }));
      out.set(rule.ruleId, esqlStream(parseEsql(rule.query), events, { fields, lookbackMs: 0 }).map((rows) => (rows.length > 0 ? null : undefined)));
      continue;
    }
    const query = parseKql(rule.query);
    const matched: { index: number; event: NewTermsEvent }[] = [];
    const perLine: unknown[] = lines.map(() => undefined);
    views.forEach((view, i) => {
      if (view === null) return;
      const time = eventTime(records[i], view, rule.timestampOverride, hostTime(i));
      if (!evaluate(query, view.doc, { fields, now: time })) return;
      if (!rule.newTerms) perLine[i] = null;
      else matched.push({ index: i, event: { time, values: newTermsValues(view.doc, rule.newTerms.fields) } });
    });
    if (rule.newTerms) {
      const fresh = newTermsBruteForce(matched.map((m) => m.event), rule.newTerms.historyWindowStart);
      fresh.forEach((combos, k) => {
        if (combos.length > 0) perLine[matched[k]!.index] = combos.length === 1 ? combos[0] : combos;
      });
    }
    out.set(rule.ruleId, perLine);
  }
  return out;
}

/** An EQL rule over the lines: per line, null (an alert: EQL alerts carry no new-terms values) or undefined. */
function referenceEqlAlerts(rule: Rule, records: unknown[], views: (ReturnType<typeof toEcsView> | null)[], fields: ReturnType<typeof loadFieldTable>): unknown[] {
  const q = parseEql(rule.query);
  if (q.kind === 'sequence') {
    // Lines that are not JSON stand in as null records: they take no part.
    const hits = eqlSequenceStream(q, records.map((r) => r ?? null), { fields, hostTimeMs: hostTime, timestampOverride: rule.timestampOverride });
    return hits.map((h) => (h ? null : undefined));
  }
  return views.map((view, i) => {
    if (view === null) return undefined;
    const now = eventTime(records[i], view, rule.timestampOverride, hostTime(i));
    return evaluateEqlEvent(q, view.doc, { fields, now }) ? null : undefined;
  });
}

function countTable(title: string, rules: Rule[], outcomes: Outcome[]): string {
  const rows = rules.map((r) => {
    const tagged = outcomes.filter((o) => o.alerts.has(r.ruleId));
    const files = [...new Set(tagged.map((o) => path.basename(o.line.file)))];
    return `  ${String(tagged.length).padStart(3)}  ${path.basename(r.source.file)}${files.length ? `  <- ${files.join(', ')}` : ''}`;
  });
  return `${title}\n${rows.join('\n')}`;
}

/** Files a rule tagged. */
function filesTaggedBy(outcomes: Outcome[], ruleId: string): string[] {
  return [...new Set(outcomes.filter((o) => o.alerts.has(ruleId)).map((o) => path.basename(o.line.file)))];
}

describe.skipIf(!hasShared)('public corpora through the whole pack (requires ../shared)', () => {
  let lines: CorpusLine[];
  let rules: Rule[];
  let outcomes: Outcome[];
  let host: FluentBitHost;

  beforeAll(async () => {
    lines = corpusLines();
    const loaded = await loadRules([PACK]);
    expect(loaded.errors).toEqual([]);
    rules = loaded.rules;
    host = await FluentBitHost.create(await genericFilterModule(), compileProgram(rules).bytes);
    outcomes = runAll(host, lines);
  });

  it('reads 47 Falco files (51 audit events and the malformed line) and 37 audit2rbac events', () => {
    const falco = lines.filter((l) => l.file.startsWith('falco-k8s_audit'));
    expect(new Set(falco.map((l) => l.file)).size).toBe(47);
    const kinds = falco.map((l) => (JSON.parse(l.bytes.toString('utf8')) as { kind: unknown }).kind);
    expect(kinds.filter((k) => k === 'Event')).toHaveLength(51);
    expect(kinds.filter((k) => k !== 'Event')).toEqual([0]);
    expect(lines.filter((l) => l.file.startsWith('audit2rbac'))).toHaveLength(37);
  });

  it('forwards every line (none dropped), untagged ones byte for byte, with no internal error', () => {
    expect(outcomes).toHaveLength(lines.length);
    const stats = host.stats()!;
    expect(stats.records).toBe(lines.length);
    expect(stats.dropped).toBe(0);
    expect(stats.errors).toBe(0);
    expect(stats.passed + stats.tagged).toBe(lines.length);
    expect(stats.tagged).toBe(outcomes.filter((o) => o.verdict === 'tagged').length);
  });

  it('passes the malformed fal_01_003.json ({"kind": 0}) through unchanged', () => {
    const bad = outcomes.find((o) => o.line.file.endsWith('fal_01_003.json'))!;
    expect(bad.line.bytes.toString()).toBe('{"kind": 0}');
    expect(bad.verdict).toBe('pass');
    expect(bad.output.equals(bad.line.bytes)).toBe(true);
  });

  it('gives the reference evaluator\'s verdict for every rule on every line (query and streaming New Terms)', () => {
    const expected = referenceAlerts(rules, lines);
    for (const rule of rules) {
      const perLine = expected.get(rule.ruleId)!;
      outcomes.forEach((o, i) => {
        const where = `${path.basename(rule.source.file)} on ${o.line.file}:${o.line.lineNo}`;
        expect(o.alerts.has(rule.ruleId), where).toBe(perLine[i] !== undefined);
        if (perLine[i] !== undefined) expect(o.alerts.get(rule.ruleId), where).toEqual(perLine[i]);
      });
    }
  });

  it('tags what reading the events says it must (and prints per-rule counts)', () => {
    console.log(countTable(`corpus events tagged per rule (${lines.length} lines, one filter instance):`, rules, outcomes));
    const falco = outcomes.filter((o) => o.line.file.startsWith('falco-k8s_audit'));
    const demo = outcomes.filter((o) => o.line.file.startsWith('audit2rbac'));
    // Every Falco event is an allow; the forbid-only rules cannot fire.
    for (const forbidOnly of ['63c056a0-339a-11ed-a261-0242ac120002', '4b77d382-b78e-4aae-85a0-8841b80e4fc4']) {
      expect(falco.filter((o) => o.alerts.has(forbidOnly))).toEqual([]);
    }
    // audit2rbac's 2017 events have no annotations and no userAgent; the four rules that need neither
    // look for secrets get/list by a service account or node, a sensitive secrets list URI, a token
    // request, or a node proxy — none of which is in the log.
    expect(demo.filter((o) => o.verdict === 'tagged')).toEqual([]);
    // Privileged pods: privileged in the only container, or in the second one.
    const privileged = filesTaggedBy(outcomes, 'c7908cac-337a-4f38-b50d-5eeb78bdb531');
    expect(privileged).toEqual(
      expect.arrayContaining([
        'create_nginx_pod_privileged.json',
        'create_nginx_pod_privileged_2nd_container.json',
        'create_nginx_pod_no_secctx_1st_container_privileged_2nd_container.json',
      ]),
    );
    expect(privileged).not.toContain('create_nginx_pod_unprivileged.json');
    const hostNetwork = filesTaggedBy(outcomes, '12cbf709-69e8-4055-94f9-24314385c27e');
    expect(hostNetwork).toContain('create_nginx_pod_hostnetwork.json');
    expect(hostNetwork).not.toContain('create_nginx_pod_nohostnetwork.json');
    // hostPath /etc; the "unsensitive mount" trace is a get, not a create.
    const hostPath = filesTaggedBy(outcomes, '2abda169-416b-4bb3-9a6b-f8d239fd78ba');
    expect(hostPath).toEqual(expect.arrayContaining(['create_nginx_pod_sensitive_mount.json', 'create_nginx_pod_sensitive_mount_2nd_container.json']));
    expect(hostPath).not.toContain('create_nginx_pod_unsensitive_mount.json');
    const nodePort = filesTaggedBy(outcomes, '65f9bccd-510b-40df-8263-334f03174fed');
    expect(nodePort).toContain('create_nginx_service_nodeport.json');
    expect(nodePort).not.toContain('create_nginx_service_nonodeport.json');
    // A ClusterRoleBinding to cluster-admin at level RequestResponse; the other binding is to system:basic-user.
    const clusterAdmin = filesTaggedBy(outcomes, 'a2951930-dd35-438c-b10e-1bbdc5881cb4');
    expect(clusterAdmin).toContain('attach_cluster_admin_role.json');
    expect(clusterAdmin).not.toContain('create_clusterrolebinding.json');
  });

  it('the seed rule v10 (rules/default) runs over the corpora too, with the reference\'s verdicts', async () => {
    const loaded = await loadRules([DEFAULT_RULES]);
    const seedHost = await FluentBitHost.create(await genericFilterModule(), compileProgram(loaded.rules).bytes);
    const seedOutcomes = runAll(seedHost, lines);
    const expected = referenceAlerts(loaded.rules, lines).get(loaded.rules[0]!.ruleId)!;
    seedOutcomes.forEach((o, i) => expect(o.alerts.has(loaded.rules[0]!.ruleId), `${o.line.file}:${o.line.lineNo}`).toBe(expected[i] !== undefined));
    console.log(countTable('seed rule v10 over the corpora:', loaded.rules, seedOutcomes));
    // No corpus event is a forbid.
    expect(seedOutcomes.filter((o) => o.verdict === 'tagged')).toEqual([]);
  });
});

describe.skipIf(!hasShared)('lines that are not one JSON object pass through the pack unchanged (requires ../shared)', () => {
  let host: FluentBitHost;
  beforeAll(async () => {
    const loaded = await loadRules([PACK]);
    host = await FluentBitHost.create(await genericFilterModule(), compileProgram(loaded.rules).bytes);
  });

  const forbidden =
    '{"kind":"Event","apiVersion":"audit.k8s.io/v1","auditID":"x","stage":"ResponseComplete","verb":"list","user":{"username":"system:serviceaccount:default:builder"},"userAgent":"curl/8.5.0","annotations":{"authorization.k8s.io/decision":"forbid"}}';
  const inputs: [string, Buffer][] = [
    ['plain text', Buffer.from('kube-apiserver audit log rotated')],
    ['a truncated matching event', Buffer.from(forbidden.slice(0, -20))],
    ['a matching event followed by garbage', Buffer.from(`${forbidden}}`)],
    ['two matching events on one line', Buffer.from(`${forbidden}${forbidden}`)],
    ['a JSON array of events', Buffer.from(`[${forbidden}]`)],
    ['a JSON string', Buffer.from(JSON.stringify(forbidden))],
    ['a JSON number', Buffer.from('42')],
    ['null', Buffer.from('null')],
    ['invalid UTF-8 inside a string', Buffer.concat([Buffer.from('{"kind":"Event","userAgent":"'), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('"}')])],
    ['a single quote-delimited object', Buffer.from("{'kind':'Event'}")],
  ];
  for (const [what, bytes] of inputs) {
    it(`${what}`, () => {
      const r = host.filter(bytes, hostTime(0));
      expect(r.verdict).toBe('pass');
      expect(r.output.equals(bytes)).toBe(true);
    });
  }

  it('the matching event itself is tagged (the inputs above are its near-misses)', () => {
    const r = host.filter(Buffer.from(forbidden), hostTime(0));
    expect(r.verdict).toBe('tagged');
    expect(isObject(JSON.parse(r.output.toString('utf8')))).toBe(true);
  });
});
