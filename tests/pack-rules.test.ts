// Per-rule tests for Elastic's Kubernetes pack and the seed rule: hand-written raw audit events
// (tests/fixtures/pack/<rule file stem>.json) that must raise the rule's alert, and near-misses
// that must not. Every event goes through the WebAssembly filter exactly as Fluent Bit calls it
// (a fresh filter instance per event for a New Terms rule, so it sees a first sighting; one shared
// instance for query rules) and through the reference evaluator (ECS view + KQL), and both must give
// the fixture's verdict. Tagged output is checked against alert-fields.md.

import { describe, it, expect, beforeAll } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { loadRules } from '../src/rules/load.js';
import { compileProgram } from '../src/compiler/index.js';
import { genericFilterModule } from '../src/build/evaluator.js';
import { FluentBitHost, type FilterResult, type RuleStats } from '../src/host/fluent-bit-host.js';
import type { Rule } from '../src/rules/types.js';
import { loadFieldTable, type FieldTable } from '../src/fields/table.js';
import type { Node } from '../src/kql/ast.js';
import { parseKql } from '../src/kql/parser.js';
import { toEcsView } from '../src/reference/ecs-view.js';
import { evaluate } from '../src/reference/evaluate.js';
import { eventTime } from '../src/reference/event-time.js';
import { parseJson } from '../src/reference/json.js';
import { newTermsValues, termCombinations } from '../src/reference/new-terms.js';
import { ROOT, hasShared, PACK, DEFAULT_RULES, SEED_V12 } from './helpers/evaluator.js';
import { parseEql } from '../src/eql/parser.js';
import { evaluateEqlEvent } from '../src/reference/eql.js';
import { SEQUENCE_FIXTURE_DIR } from './helpers/eql-sequences.js';
import { parseEsql } from '../src/esql/parser.js';
import { esqlStream } from '../src/reference/esql.js';

// ---------------------------------------------------------------------------------------------
// Fixtures (part of the repository: readable without ../shared)

interface FixtureCase {
  why: string;
  event: Record<string, unknown>;
  /** no_match only: the query matches, but the rule cannot alert (a New Terms field has no value). */
  query_matches?: boolean;
}

interface RuleFixture {
  stem: string;
  rule_file: string;
  rule_id: string;
  match: FixtureCase[];
  no_match: FixtureCase[];
}

interface ShapeCase {
  why: string;
  event: Record<string, unknown>;
  v10: boolean;
  v12: boolean;
}

const FIXTURES = path.join(ROOT, 'tests/fixtures/pack');
const SHAPES_FILE = 'seed-record-shapes.json';
const PACK_PREFIX = '../shared/rules/elastic-kubernetes/';
const SEED_V10_FILE = 'rules/default/discovery_denied_service_account_request.toml';

function readFixture(file: string): unknown {
  return JSON.parse(readFileSync(path.join(FIXTURES, file), 'utf8'));
}

const ruleFixtures: RuleFixture[] = readdirSync(FIXTURES)
  .filter((f) => f.endsWith('.json') && f !== SHAPES_FILE)
  .sort()
  .map((f) => ({ stem: f.slice(0, -'.json'.length), ...(readFixture(f) as Omit<RuleFixture, 'stem'>) }));
const packFixtures = ruleFixtures.filter((f) => f.rule_file.startsWith(PACK_PREFIX));
const seedV10Fixture = ruleFixtures.find((f) => f.rule_file === SEED_V10_FILE)!;
const shapeCases = (readFixture(SHAPES_FILE) as { cases: ShapeCase[] }).cases;

// ---------------------------------------------------------------------------------------------
// Running a record through the filter and checking what comes out (alert-fields.md)

/** Fluent Bit's record time for every call; the audit events carry their own stageTimestamp. */
const HOST_TIME = Date.parse('2026-03-01T12:00:00Z');
/** Elastic's default severity -> risk mapping (alert-fields.md). */
const SEVERITY_NUMBER: Record<string, number> = { low: 21, medium: 47, high: 73, critical: 99 };
/** Top-level keys the tag owns; records without them must keep their bytes as a prefix of the output. */
const OWNED_KEYS = ['event', 'rule', 'threat', 'kql_edge', 'event.kind', 'event.severity', 'event.risk_score'];

interface Program {
  bytes: Uint8Array;
  rulesById: Map<string, Rule>;
  /** One filter instance reused for records whose target rule is a query rule (no state to reset). */
  shared?: FluentBitHost;
}

interface Alert {
  rule_id: string;
  name: string;
  version: string;
  type: string;
  severity: string;
  risk_score: number;
  tags: string[];
  new_terms?: { fields: string[]; values: unknown[] };
}

interface Run {
  result: FilterResult;
  /** Parsed output when tagged. */
  tagged?: Record<string, unknown>;
  alerts: Alert[];
  stats: RuleStats[];
}

let filterModule: WebAssembly.Module;
let fields: FieldTable;

async function compile(paths: string[]): Promise<Program> {
  const loaded = await loadRules(paths);
  if (loaded.errors.length > 0) throw new Error(loaded.errors.map((e) => e.message).join('\n'));
  const { bytes } = compileProgram(loaded.rules);
  return { bytes, rulesById: new Map(loaded.rules.map((r) => [r.ruleId, r])) };
}

const line = (record: unknown): Buffer => Buffer.from(JSON.stringify(record));
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const unique = <T>(xs: T[]): T[] => [...new Set(xs)];

/** One record through a filter instance, checked as forwarded output; stats are this call's own counts. */
function runOn(host: FluentBitHost, program: Program, record: unknown): Run {
  const before = new Map((host.stats()?.rules ?? []).map((r) => [r.id, r]));
  const input = line(record);
  const result = host.filter(input, HOST_TIME);
  const stats = (host.stats()?.rules ?? []).map((r) => ({
    ...r,
    matches: r.matches - (before.get(r.id)?.matches ?? 0),
    alerts: r.alerts - (before.get(r.id)?.alerts ?? 0),
  }));
  const tagged = checkForwarded(input, result, program.rulesById);
  const alerts = tagged ? ((tagged.kql_edge as { alerts: Alert[] }).alerts ?? []) : [];
  return { result, tagged, alerts, stats };
}

/** One record through a fresh filter instance: its own New Terms state, so a first sighting alerts (trusting the record, as in Fluent Bit). */
async function runFresh(program: Program, record: unknown): Promise<Run> {
  return runOn(await FluentBitHost.create(filterModule, program.bytes, { trustedInput: true }), program, record);
}

/**
 * One record for a rule: a fresh instance when the rule is a New Terms rule; otherwise the
 * program's shared instance (a query rule's verdict does not depend on earlier records, and
 * loading the pack into a new instance costs far more than a call).
 */
async function runFor(program: Program, ruleId: string, record: unknown): Promise<Run> {
  if (program.rulesById.get(ruleId)?.newTerms) return runFresh(program, record);
  program.shared ??= await FluentBitHost.create(filterModule, program.bytes, { trustedInput: true });
  return runOn(program.shared, program, record);
}

/** The keys of a JSON object text at its top level, in order, duplicates kept (JSON.parse hides them). */
function topLevelKeys(text: string): string[] {
  const keys: string[] = [];
  let depth = 0;
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      if (depth === 1 && expectKey) keys.push(JSON.parse(text.slice(i, j + 1)) as string);
      expectKey = false;
      i = j;
    } else if (c === '{' || c === '[') {
      depth++;
      expectKey = c === '{' && depth === 1;
    } else if (c === '}' || c === ']') {
      depth--;
    } else if (c === ',' && depth === 1) {
      expectKey = true;
    }
  }
  return keys;
}

/**
 * What the filter forwarded: never dropped (tag mode); a pass-through is the input byte for byte;
 * a tagged record is one JSON object that keeps every original key and value, with the input bytes
 * (minus the final `}`) as its prefix when the record has none of the keys the tag owns.
 */
function checkForwarded(input: Buffer, result: FilterResult, rulesById: Map<string, Rule>): Record<string, unknown> | undefined {
  expect(result.verdict).not.toBe('dropped');
  if (result.verdict === 'pass') {
    expect(result.output.equals(input)).toBe(true);
    return undefined;
  }
  const text = result.output.toString('utf8');
  const out = JSON.parse(text) as unknown;
  expect(isObject(out)).toBe(true);
  const record = JSON.parse(input.toString('utf8')) as Record<string, unknown>;
  const keys = topLevelKeys(text);
  expect(keys.length, 'no duplicate top-level keys').toBe(new Set(keys).size);
  if (!Object.keys(record).some((k) => OWNED_KEYS.includes(k))) {
    const head = input.subarray(0, input.length - 1);
    expect(result.output.subarray(0, head.length).equals(head), 'input bytes are the prefix').toBe(true);
    expect(String.fromCharCode(result.output[head.length]!)).toBe(',');
  }
  const tagged = out as Record<string, unknown>;
  for (const [key, value] of Object.entries(record)) {
    if (key === 'event' && isObject(value)) {
      // ECS input: kind, severity and risk_score are set inside the record's own event object.
      for (const [member, v] of Object.entries(value)) {
        if (!['kind', 'severity', 'risk_score'].includes(member)) expect((tagged.event as Record<string, unknown>)[member]).toEqual(v);
      }
    } else if (!OWNED_KEYS.includes(key)) {
      expect(tagged[key], `original key ${key}`).toEqual(value);
    }
  }
  checkTags(tagged, rulesById);
  return tagged;
}

/** The tag keys of alert-fields.md, computed from the rules named in kql_edge.alerts. */
function checkTags(out: Record<string, unknown>, rulesById: Map<string, Rule>): void {
  const alerts = (out.kql_edge as { alerts?: Alert[] } | undefined)?.alerts;
  expect(Array.isArray(alerts) && alerts.length > 0, 'kql_edge.alerts is a non-empty array').toBe(true);
  const ids = alerts!.map((a) => a.rule_id);
  expect(ids, 'alerts ordered by rule_id').toEqual([...ids].sort());
  expect(new Set(ids).size).toBe(ids.length);
  const rules = ids.map((id) => rulesById.get(id)!);
  expect(rules.every((r) => r !== undefined), 'every alert names a compiled rule').toBe(true);
  alerts!.forEach((alert, i) => {
    const rule = rules[i]!;
    expect(alert).toMatchObject({ name: rule.name, version: rule.version, type: rule.type, severity: rule.severity, risk_score: rule.riskScore, tags: rule.tags });
    if (rule.newTerms) expect(alert.new_terms?.fields).toEqual(rule.newTerms.fields);
    else expect(alert.new_terms).toBeUndefined();
  });

  const event = out.event as Record<string, unknown>;
  expect(event.kind).toBe('alert');
  expect(typeof event.severity).toBe('number');
  expect(event.severity).toBe(Math.max(...rules.map((r) => SEVERITY_NUMBER[r.severity]!)));
  expect(event.risk_score).toBe(Math.max(...rules.map((r) => r.riskScore)));

  // One rule: scalars (author and reference stay arrays); several: one entry per rule, by rule_id.
  const per = (f: (r: Rule) => unknown) => (rules.length === 1 ? f(rules[0]!) : rules.map(f));
  const rule = out.rule as Record<string, unknown>;
  expect(rule.id).toEqual(per((r) => r.ruleId));
  expect(rule.name).toEqual(per((r) => r.name));
  expect(rule.version).toEqual(per((r) => r.version));
  expect(rule.category).toEqual(per((r) => r.type));
  expect(rule.ruleset).toEqual(per((r) => r.ruleset));
  expect(rule.author).toEqual(per((r) => r.author));
  expect(rule.reference).toEqual(per((r) => r.references));
  if (rules.every((r) => r.license !== undefined)) expect(rule.license).toEqual(per((r) => r.license));

  // threat.*: arrays, the union over the matched rules without duplicates, in rule order.
  const threats = rules.flatMap((r) => r.threat);
  const techniques = threats.flatMap((t) => t.technique);
  const subtechniques = techniques.flatMap((t) => t.subtechnique);
  const threat = (out.threat ?? {}) as {
    framework?: string[];
    tactic?: Record<string, string[]>;
    technique?: Record<string, unknown> & { subtechnique?: Record<string, string[]> };
  };
  expect(threat.framework ?? []).toEqual(unique(threats.map((t) => t.framework)));
  for (const k of ['id', 'name', 'reference'] as const) {
    expect(threat.tactic?.[k] ?? []).toEqual(unique(threats.map((t) => t.tactic[k])));
    expect(threat.technique?.[k] ?? []).toEqual(unique(techniques.map((t) => t[k])));
    expect(threat.technique?.subtechnique?.[k] ?? []).toEqual(unique(subtechniques.map((t) => t[k])));
  }
}

// ---------------------------------------------------------------------------------------------
// The reference evaluator

const parsedQueries = new Map<string, Node>();

function referenceView(record: unknown) {
  // parseJson keeps number texts as written, like the filter reading bytes.
  const doc = parseJson(JSON.stringify(record));
  return { doc, view: toEcsView(doc) };
}

/** The reference verdict of a rule's query on a record: ECS view, event time, KQL. */
function referenceMatches(rule: Rule, record: unknown): boolean {
  const { doc, view } = referenceView(record);
  if (view === null) return false;
  let query = parsedQueries.get(rule.query);
  if (rule.type === 'esql') return referenceEsqlRows(rule, record).length > 0;
  if (!query && rule.type !== 'eql') {
    query = parseKql(rule.query);
    parsedQueries.set(rule.query, query);
  }
  const now = eventTime(doc, view, rule.timestampOverride, HOST_TIME);
  if (rule.type === 'eql') {
    const eql = parseEql(rule.query);
    if (eql.kind !== 'event') throw new Error('sequence rules have stream fixtures (tests/eql-sequences.test.ts)');
    return evaluateEqlEvent(eql, view.doc, { fields, now });
  }
  return evaluate(query!, view.doc, { fields, now });
}

/** The rows an ES|QL per-event rule returns for the record (the reference: ECS view, event time, ES|QL). */
function referenceEsqlRows(rule: Rule, record: unknown): Record<string, unknown>[] {
  const { doc, view } = referenceView(record);
  if (view === null) return [];
  const time = eventTime(doc, view, rule.timestampOverride, HOST_TIME);
  return esqlStream(parseEsql(rule.query), [{ doc: view.doc, time }], { fields, lookbackMs: 0 })[0];
}

/** The New Terms combinations the reference finds in the record's view (rule's field order). */
function referenceTerms(rule: Rule, record: unknown): string[][] {
  const { view } = referenceView(record);
  if (view === null || !rule.newTerms) return [];
  return termCombinations(newTermsValues(view.doc, rule.newTerms.fields));
}

// ---------------------------------------------------------------------------------------------
// Shared assertions for one fixture case

function statsOf(run: Run, ruleId: string): RuleStats | undefined {
  return run.stats.find((s) => s.id === ruleId);
}

async function expectAlert(program: Program, ruleId: string, c: FixtureCase): Promise<void> {
  const rule = program.rulesById.get(ruleId)!;
  const run = await runFor(program, ruleId, c.event);
  expect(run.result.verdict).toBe('tagged');
  expect(run.alerts.map((a) => a.rule_id)).toContain(ruleId);
  const stats = statsOf(run, ruleId);
  if (stats) expect([stats.matches, stats.alerts]).toEqual([1, 1]);
  if (rule.newTerms) {
    // The alert names the new values, in the rule's field order (one array per combination if several).
    const combos = referenceTerms(rule, c.event);
    const alert = run.alerts.find((a) => a.rule_id === ruleId)!;
    expect(alert.new_terms?.values).toEqual(combos.length === 1 ? combos[0] : combos);
  }
  if (rule.type === 'esql') {
    // The alert carries the row the reference computes (its computed columns, as kept).
    const alert = run.alerts.find((a) => a.rule_id === ruleId)! as { esql?: Record<string, unknown> };
    const [row] = referenceEsqlRows(rule, c.event);
    if (Object.keys(row).length === 0) expect(alert.esql).toBeUndefined();
    else expect(alert.esql).toEqual(row);
  }
}

async function expectNoAlert(program: Program, ruleId: string, c: FixtureCase): Promise<void> {
  const run = await runFor(program, ruleId, c.event);
  expect(run.alerts.map((a) => a.rule_id)).not.toContain(ruleId);
  const stats = statsOf(run, ruleId);
  // The filter's own counter says whether the query part matched.
  if (stats) expect([stats.matches, stats.alerts]).toEqual([c.query_matches ? 1 : 0, 0]);
}

function expectReference(rule: Rule, c: FixtureCase, shouldMatch: boolean): void {
  expect(referenceMatches(rule, c.event), 'reference query verdict').toBe(shouldMatch || c.query_matches === true);
  if (rule.newTerms && shouldMatch) expect(referenceTerms(rule, c.event).length).toBeGreaterThan(0);
  if (rule.newTerms && c.query_matches) expect(referenceTerms(rule, c.event)).toEqual([]);
}

/**
 * Cases where the WebAssembly evaluator's verdict disagrees with the specification (and with the
 * reference evaluator), by auditID. Their filter tests are `it.fails` until the evaluator is fixed;
 * the reference tests of the same cases run normally.
 */
const KNOWN_FILTER_DISAGREEMENTS: Record<string, string> = {
  // None at present. (Fixed: a sourceIPs array holding one non-IP value left source.ip set in the
  // filter; the pipeline's convert fails as a whole, docs/semantics.md section 2, M.4.)
};

/** it, or it.fails for a case listed in KNOWN_FILTER_DISAGREEMENTS. */
function filterIt(c: FixtureCase): typeof it | typeof it.fails {
  return typeof c.event.auditID === 'string' && c.event.auditID in KNOWN_FILTER_DISAGREEMENTS ? it.fails : it;
}

/** The fixture's cases as tests, against one compiled program. */
function fixtureTests(fixture: RuleFixture, program: () => Program): void {
  const rule = () => program().rulesById.get(fixture.rule_id)!;
  for (const c of fixture.match) {
    filterIt(c)(`alerts: ${c.why}`, () => expectAlert(program(), fixture.rule_id, c));
  }
  for (const c of fixture.no_match) {
    filterIt(c)(`no alert: ${c.why}`, () => expectNoAlert(program(), fixture.rule_id, c));
  }
  for (const c of fixture.match) {
    it(`reference matches: ${c.why}`, () => expectReference(rule(), c, true));
  }
  for (const c of fixture.no_match) {
    it(`reference ${c.query_matches ? 'query matches, no term' : 'no match'}: ${c.why}`, () => expectReference(rule(), c, false));
  }
}

beforeAll(async () => {
  filterModule = await genericFilterModule();
  fields = loadFieldTable();
});

// ---------------------------------------------------------------------------------------------
// Fixture files are well-formed (no ../shared needed)

describe('pack fixtures', () => {
  it('each rule fixture names a rule file and id and has at least one match and one no_match event', () => {
    expect(ruleFixtures.length).toBeGreaterThanOrEqual(30);
    for (const f of ruleFixtures) {
      expect(f.rule_file.endsWith(`${f.stem.replace(/\.v10$/, '')}.toml`), f.stem).toBe(true);
      expect(f.rule_id).toMatch(/^[0-9a-f-]{36}$/);
      expect(f.match.length, f.stem).toBeGreaterThan(0);
      expect(f.no_match.length, f.stem).toBeGreaterThan(0);
      for (const c of [...f.match, ...f.no_match]) {
        expect(c.why.length).toBeGreaterThan(0);
        expect(c.event.kind, `${f.stem}: ${c.why}`).toBe('Event');
        expect(c.event.auditID).toEqual(expect.any(String));
      }
      for (const c of f.match) expect(c.query_matches, 'query_matches is for no_match cases').toBeUndefined();
    }
  });

  it('audit IDs are unique across all fixtures', () => {
    const ids = ruleFixtures.flatMap((f) => [...f.match, ...f.no_match].map((c) => c.event.auditID));
    expect(new Set(ids).size).toBe(ids.length);
  });
});

// ---------------------------------------------------------------------------------------------
// The whole Kubernetes pack, compiled once

describe.skipIf(!hasShared)('Kubernetes pack, per-rule fixtures (requires ../shared)', () => {
  let pack: Program;
  let loadedFiles: string[] = [];

  beforeAll(async () => {
    const loaded = await loadRules([PACK]);
    expect(loaded.errors).toEqual([]);
    loadedFiles = loaded.rules.map((r) => path.resolve(r.source.file));
    pack = await compile([PACK]);
  });

  it('supports 22 query, 7 new_terms, 5 eql and 6 per-event esql rules; reports the 5 esql STATS rules as skipped', async () => {
    const loaded = await loadRules([PACK]);
    const byType = (rules: Rule[], type: string) => rules.filter((r) => r.type === type).length;
    expect([byType(loaded.rules, 'query'), byType(loaded.rules, 'new_terms'), byType(loaded.rules, 'eql'), byType(loaded.rules, 'esql')]).toEqual([22, 7, 5, 6]);
    const skipped = loaded.skipped.map((s) => s.rule);
    expect([byType(skipped, 'esql'), skipped.length]).toEqual([5, 5]);
    expect(loaded.skipped.every((s) => s.kind === 'unsupported' && /STATS … BY/.test(s.reason))).toBe(true);
    console.log(
      `skipped:\n${loaded.skipped.map((s) => `  ${s.rule.type.padEnd(4)} ${path.basename(s.rule.source.file)}: ${s.reason}`).join('\n')}`,
    );
  });

  it("the README's rule table lists every rule of the pack with its type and whether the module runs it", async () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const loaded = await loadRules([PACK]);
    const rows = [...loaded.rules.map((r) => ({ r, runs: true })), ...loaded.skipped.map((s) => ({ r: s.rule, runs: false }))];
    expect(rows).toHaveLength(45);
    for (const { r, runs } of rows) {
      const line = readme.split('\n').find((l) => l.startsWith(`| ${r.name} | `));
      expect(line, r.name).toBeDefined();
      const [, type, status] = line!.split(' | ').map((s) => s.trim());
      expect(type.split(' ')[0], r.name).toBe(r.type);
      expect(status.startsWith('yes'), r.name).toBe(runs);
    }
  });

  it('has a fixture for every supported rule, naming the rule by file and rule_id', () => {
    // Sequence rules have stream fixtures of their own (tests/fixtures/pack-sequences).
    const sequenceFiles = readdirSync(SEQUENCE_FIXTURE_DIR).map((f) => path.resolve(ROOT, (JSON.parse(readFileSync(path.join(SEQUENCE_FIXTURE_DIR, f), 'utf8')) as { rule_file: string }).rule_file));
    // STATS rules have stream fixtures too (tests/fixtures/pack-stats, tests/esql-stats-rules.test.ts); counted here once the module loads them.
    const statsDir = path.join(ROOT, 'tests/fixtures/pack-stats');
    const statsFiles = readdirSync(statsDir)
      .filter((f) => f.endsWith('.json'))
      .map((f) => path.resolve(ROOT, (JSON.parse(readFileSync(path.join(statsDir, f), 'utf8')) as { rule_file: string }).rule_file))
      .filter((f) => loadedFiles.includes(f));
    const fixtureFiles = [...packFixtures.map((f) => path.resolve(ROOT, f.rule_file)), ...sequenceFiles, ...statsFiles];
    expect([...fixtureFiles].sort()).toEqual([...loadedFiles].sort());
    for (const f of packFixtures) {
      const rule = pack.rulesById.get(f.rule_id);
      expect(rule, f.stem).toBeDefined();
      expect(path.resolve(rule!.source.file)).toBe(path.resolve(ROOT, f.rule_file));
    }
  });

  it('tags one record for several rules: arrays ordered by rule_id, the highest severity and risk', async () => {
    // The nsenter pod (hostPID, a privileged container, created with kubectl) is, by reading the
    // queries: hostPID, privileged pod, and a first (decision, user, user agent) combination.
    const fixture = packFixtures.find((f) => f.stem === 'privilege_escalation_pod_created_with_hostpid')!;
    const run = await runFresh(pack, fixture.match[0]!.event);
    const ids = ['8a1db198-da6f-4500-b985-7fe2457300af', 'c7908cac-337a-4f38-b50d-5eeb78bdb531', 'df7fda76-c92b-4943-bc68-04460a5ea5ba'];
    expect(run.alerts.map((a) => a.rule_id)).toEqual(ids);
    const rule = run.tagged!.rule as Record<string, unknown>;
    expect(rule.id).toEqual(ids);
    expect(rule.category).toEqual(['new_terms', 'query', 'query']);
    expect(run.tagged!.event).toEqual({ kind: 'alert', severity: 47, risk_score: 47 });
  });

  for (const fixture of packFixtures) {
    describe(fixture.stem, () => fixtureTests(fixture, () => pack));
  }
});

// ---------------------------------------------------------------------------------------------
// The seed rule: version 10 (rules/default) and version 12 (the pack's file), raw and other shapes

function shapeTests(version: 'v10' | 'v12', program: () => Program): void {
  const ruleId = seedV10Fixture.rule_id;
  for (const c of shapeCases) {
    const expected = c[version];
    it(`${expected ? 'alerts' : 'no alert'} (${version}): ${c.why}`, async () => {
      if (expected) await expectAlert(program(), ruleId, c);
      else await expectNoAlert(program(), ruleId, c);
    });
    it(`reference ${expected ? 'matches' : 'no match'} (${version}): ${c.why}`, () => {
      expectReference(program().rulesById.get(ruleId)!, c, expected);
    });
  }
}

describe('seed rule v10 (rules/default)', () => {
  let v10: Program;
  beforeAll(async () => {
    v10 = await compile([DEFAULT_RULES]);
  });

  it('is version 10 of the seed rule: event.dataset and kubernetes.audit.userAgent', () => {
    const rule = v10.rulesById.get(seedV10Fixture.rule_id)!;
    expect(rule.newTerms?.fields).toEqual(['kubernetes.audit.userAgent']);
    expect(rule.query).toMatch(/^event\.dataset:"kubernetes\.audit_logs" and/);
  });

  describe('raw audit events (kql.md worked example)', () => fixtureTests(seedV10Fixture, () => v10));
  describe('ECS-shaped and wrapped records', () => shapeTests('v10', () => v10));

  it('a repeated user agent alerts once per filter instance (New Terms), a new one alerts again', async () => {
    const host = await FluentBitHost.create(filterModule, v10.bytes);
    const first = seedV10Fixture.match[0]!.event;
    const again = { ...first, auditID: 'repeat-1', stageTimestamp: '2026-03-01T11:00:00.000000Z' };
    const other = { ...first, auditID: 'repeat-2', userAgent: 'wget/1.21.4', stageTimestamp: '2026-03-01T11:00:01.000000Z' };
    expect(host.filter(line(first), HOST_TIME).verdict).toBe('tagged');
    expect(host.filter(line(again), HOST_TIME).verdict).toBe('pass');
    expect(host.filter(line(other), HOST_TIME).verdict).toBe('tagged');
  });
});

describe.skipIf(!hasShared)('seed rule v12 alone (requires ../shared)', () => {
  let v12: Program;
  beforeAll(async () => {
    v12 = await compile([SEED_V12]);
  });

  it('is version 12: data_stream.dataset and user_agent.original', () => {
    const rule = v12.rulesById.get(seedV10Fixture.rule_id)!;
    expect(rule.newTerms?.fields).toEqual(['user_agent.original']);
    expect(rule.query).toMatch(/^data_stream\.dataset:"kubernetes\.audit_logs" and/);
  });

  // On raw audit events both versions read the same values, so v10's cases hold for v12 unchanged.
  describe('the v10 raw-event cases', () => fixtureTests({ ...seedV10Fixture, rule_file: SEED_V12 }, () => v12));
  describe('ECS-shaped and wrapped records', () => shapeTests('v12', () => v12));
});
