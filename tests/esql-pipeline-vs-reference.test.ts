// ES|QL pipelines in the module against the reference on generated inputs (fast-check, fixed seeds):
//  - the pack's four exec rules on generated exec audit events (requestURIs as kubectl and client
//    libraries encode them, plus raw and broken escapes): same verdict, same `esql` columns;
//  - generated Lucene patterns (intersection, complement, intervals, classes...) on generated
//    strings: the DFA table (TypeScript run) and the module (RLIKE in a pipeline) agree with the
//    reference's set-based matcher;
//  - generated GROK patterns: the module's Pike VM captures equal the reference's (a backtracking
//    JavaScript RegExp).
import { describe, it, expect, beforeAll } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseEsql } from '../src/esql/parser.js';
import { esqlSkipReason } from '../src/esql/support.js';
import { esqlStream, esqlEvents } from '../src/reference/esql.js';
import { luceneRegexWholeMatch } from '../src/reference/esql-regex.js';
import { luceneTable } from '../src/esql/automata/lucene.js';
import { runTable } from '../src/esql/automata/dfa.js';
import { compileProgram } from '../src/compiler/index.js';
import { genericFilterModule } from '../src/build/evaluator.js';
import { FluentBitHost } from '../src/host/fluent-bit-host.js';
import { loadFieldTable } from '../src/fields/table.js';
import { queryRule } from './helpers/wasm-case.js';
import { hasShared, PACK } from './helpers/evaluator.js';
import { esqlString } from './gen/esql-arbitraries.js';

const RUNS = Number(process.env.KQL_EDGE_ESQL_PIPELINE_RUNS ?? 1500);
const SEED = Number(process.env.KQL_EDGE_PROPERTY_SEED ?? 20261207);
const HOST_TIME = Date.UTC(2026, 2, 1, 12);
const fields = loadFieldTable();
const esqlRule = (query: string, id = 'esql-rule') => ({ ...queryRule(query, id), type: 'esql', language: 'esql' });

let host: FluentBitHost;
beforeAll(async () => {
  host = await FluentBitHost.create(await genericFilterModule());
});

/** The module's alert rows for one record and a one-rule program: the esql member (or {} when absent) per alert. */
function moduleRows(record: string): Record<string, unknown>[] {
  const out = host.filter(Buffer.from(record), HOST_TIME);
  if (out.verdict !== 'tagged') return [];
  const alerts = (JSON.parse(out.output.toString()) as { kql_edge: { alerts: { esql?: Record<string, unknown> }[] } }).kql_edge.alerts;
  return alerts.map((a) => a.esql ?? {});
}

function referenceRows(query: string, record: string): Record<string, unknown>[] {
  return esqlStream(parseEsql(query), esqlEvents([JSON.parse(record)], { hostTimeMs: HOST_TIME }), { fields, lookbackMs: 0 })[0];
}

// ---- exec events

const TOKENS = [
  'curl', 'wget', 'https://evil.example/x.sh', 'curl -sk https://203.0.113.80/p', 'wget https://203.0.113.80/q', 'http://169.254.169.254/latest/meta-data/', '169.254.169.254', 'metadata.google.internal', '/computeMetadata/v1/',
  '/dev/tcp/198.51.100.7/4444', '/dev/tcp/localhost/8080', 'bash', '-i', '>&', '0>&1', 'nc', '-e', '-c', 'mkfifo', 'socat', 'exec', 'pty',
  '/etc/passwd', '/etc/resolv.conf', '/etc/shadow', '/var/run/secrets/kubernetes.io/serviceaccount/token', '/root/.ssh/id_rsa', 'a.pem', '/proc/1/environ',
  'import socket', 'ls', '-la', '|', ';', '&&', '&', '+', '=', '?', 'container=x', 'é', '😀', ' ', '\t', 'kubernetes.default.svc', '/healthz', 'localhost',
];
/** How a client puts one value into the query string. */
const encoders: ((s: string) => string)[] = [
  (s) => encodeURIComponent(s).replace(/%20/g, '+'), // Go url.QueryEscape
  (s) => encodeURIComponent(s), // %20 for spaces
  (s) => s.replace(/ /g, '+'), // hand-written, unescaped
  (s) => s, // raw
];
const BROKEN = ['', '', '', '%zz', '%', '%C3%28', '%E2%82', '%+1', '%-0', '%-1', '%F0%9F%98%80', '%0A', '%25'];

const commandArb = fc.array(fc.array(fc.constantFrom(...TOKENS), { minLength: 1, maxLength: 5 }).map((t) => t.join(' ')), { minLength: 1, maxLength: 4 });
const uriArb = fc
  .record({
    cmd: commandArb,
    enc: fc.nat(encoders.length - 1),
    order: fc.constantFrom('kubectl', 'python', 'command-last', 'no-command'),
    broken: fc.constantFrom(...BROKEN),
    verb: fc.constantFrom('exec', 'exec', 'exec', 'attach'),
  })
  .map(({ cmd, enc, order, broken, verb }) => {
    const commands = cmd.map((c) => `command=${encoders[enc](c)}${broken}`);
    const tail = order === 'python' ? ['stderr=True', 'stdin=False', 'stdout=True', 'tty=False'] : ['container=app', 'stderr=true', 'stdin=true', 'stdout=true', 'tty=true'];
    const params = order === 'command-last' ? [...tail, ...commands] : order === 'no-command' ? tail : [...commands, ...tail];
    return `/api/v1/namespaces/payments/pods/api-0/${verb}?${params.join('&')}`;
  });

const eventArb = fc.tuple(uriArb, fc.constantFrom('exec', 'exec', 'attach', null)).map(([uri, sub]) =>
  JSON.stringify({
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    level: 'Request',
    auditID: 'a',
    stage: 'ResponseStarted',
    requestURI: uri,
    verb: 'create',
    user: { username: 'jane' },
    sourceIPs: ['203.0.113.24'],
    objectRef: { resource: 'pods', namespace: 'payments', name: 'api-0', ...(sub ? { subresource: sub } : {}) },
    stageTimestamp: '2026-03-01T10:00:00.000000Z',
  }),
);

const EXEC_RULES = [
  'credential_access_kubernetes_pod_exec_cloud_instance_metadata',
  'credential_access_kubernetes_pod_exec_sensitive_file_access',
  'execution_kubernetes_pod_exec_curl_wget_https',
  'execution_kubernetes_pod_exec_potential_reverse_shell',
];

describe.skipIf(!hasShared)('the pack\'s exec rules on generated exec events (requires ../shared): module == reference', () => {
  for (const stem of EXEC_RULES) {
    it(stem, () => {
      const text = readFileSync(path.join(PACK, `${stem}.toml`), 'utf8');
      const query = text.split("query = '''")[1].split("\n'''")[0];
      host.loadProgram(compileProgram([esqlRule(query)], {}, fields).bytes);
      let alerts = 0;
      fc.assert(
        fc.property(eventArb, (record) => {
          const expected = referenceRows(query, record);
          alerts += expected.length;
          expect(moduleRows(record)).toEqual(expected);
        }),
        { numRuns: RUNS, seed: SEED },
      );
      console.log(`${stem}: ${alerts} of ${RUNS} generated exec events alert`);
      expect(alerts).toBeGreaterThan(RUNS * 0.01);
    }, 600_000);
  }
});

// ---- Lucene patterns

const ATOMS = ['a', 'b', 'é', '.', '[ab]', '[^a]', '\\d', '\\s', '"ab"', '@', '#', '()', '<1-12>', '<01-12>', '\\.', '\\&', '\\~'];
const luceneArb: fc.Arbitrary<string> = fc.letrec<{ re: string }>((tie) => ({
  re: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { weight: 6, arbitrary: fc.constantFrom(...ATOMS) },
    { weight: 2, arbitrary: fc.tuple(tie('re'), tie('re')).map(([x, y]) => `${x}${y}`) },
    { weight: 1, arbitrary: fc.tuple(tie('re'), tie('re')).map(([x, y]) => `(${x}|${y})`) },
    { weight: 1, arbitrary: fc.tuple(tie('re'), tie('re')).map(([x, y]) => `(${x}&${y})`) },
    { weight: 1, arbitrary: tie('re').map((x) => `~(${x})`) },
    { weight: 1, arbitrary: fc.tuple(tie('re'), fc.constantFrom('*', '+', '?', '{2}', '{1,2}', '{0,}')).map(([x, q]) => `(${x})${q}`) },
  ),
})).re;
const subjectArb = fc.array(fc.constantFrom('a', 'b', 'é', '1', '0', '2', '.', ' ', '&', '~', 'x'), { maxLength: 7 }).map((cs) => cs.join(''));

describe('generated Lucene patterns: DFA == reference matcher', () => {
  it(`${RUNS} patterns, 8 strings each (TypeScript table run)`, () => {
    let matched = 0;
    fc.assert(
      fc.property(luceneArb, fc.array(subjectArb, { minLength: 8, maxLength: 8 }), (pattern, subjects) => {
        const table = luceneTable(pattern);
        for (const s of subjects) {
          const expected = luceneRegexWholeMatch(pattern, s);
          if (expected) matched++;
          expect([pattern, s, runTable(table, Buffer.from(s))]).toEqual([pattern, s, expected]);
        }
      }),
      { numRuns: RUNS, seed: SEED },
    );
    expect(matched).toBeGreaterThan(RUNS * 0.5);
  });

  it(`${Math.ceil(RUNS / 5)} patterns through the module (RLIKE on a computed column)`, () => {
    let run = 0;
    fc.assert(
      fc.property(luceneArb, fc.array(subjectArb, { minLength: 4, maxLength: 4 }), (pattern, subjects) => {
        const query = `FROM logs-*\n| EVAL c = URL_DECODE(user.name)\n| WHERE c RLIKE ${esqlString(pattern)}\n| KEEP c`;
        expect(esqlSkipReason(query, (f) => fields.typeOf(f))).toBeUndefined();
        host.loadProgram(compileProgram([esqlRule(query)], {}, fields).bytes);
        for (const s of subjects) {
          const record = JSON.stringify({ 'user.name': s.replace(/[%+]/g, ''), '@timestamp': '2026-03-01T10:00:00Z' });
          expect([pattern, s, moduleRows(record)]).toEqual([pattern, s, referenceRows(query, record)]);
          run++;
        }
      }),
      { numRuns: Math.ceil(RUNS / 5), seed: SEED },
    );
    expect(run).toBeGreaterThan(0);
  }, 600_000);
});

// ---- GROK

const GROK_PIECES = ['%{DATA:a}', '%{GREEDYDATA:b}', '%{NOTSPACE:c}', '%{INT:d}', '%{DATA}', '%{SPACE}', '=', '&', '/', 'x', '\\?', '(?:ab|a)', '[0-9]+', 'é', ' '];
const grokArb = fc.uniqueArray(fc.constantFrom(...GROK_PIECES), { minLength: 1, maxLength: 5 }).map((ps) => ps.join(''));
const grokInputArb = fc.array(fc.constantFrom('a', 'b', 'x', '=', '&', '/', '?', ' ', '12', '-3', 'é', '\n', 'ab'), { maxLength: 10 }).map((cs) => cs.join(''));

describe('generated GROK patterns: module (Pike VM) captures == reference (backtracking RegExp)', () => {
  it(`${Math.ceil(RUNS / 5)} patterns, 4 inputs each`, () => {
    let matched = 0;
    fc.assert(
      fc.property(grokArb, fc.array(grokInputArb, { minLength: 4, maxLength: 4 }), (pattern, inputs) => {
        const query = `FROM logs-*\n| GROK user.name ${esqlString(pattern)}\n| KEEP *`;
        expect(esqlSkipReason(query, (f) => fields.typeOf(f))).toBeUndefined();
        host.loadProgram(compileProgram([esqlRule(query)], {}, fields).bytes);
        for (const s of inputs) {
          const record = JSON.stringify({ 'user.name': s, '@timestamp': '2026-03-01T10:00:00Z' });
          const expected = referenceRows(query, record);
          if (Object.values(expected[0] ?? {}).some((v) => v !== null)) matched++;
          expect([pattern, s, moduleRows(record)]).toEqual([pattern, s, expected]);
        }
      }),
      { numRuns: Math.ceil(RUNS / 5), seed: SEED },
    );
    expect(matched).toBeGreaterThan(0);
  }, 600_000);
});
