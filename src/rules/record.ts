// Turns one rule written with Elastic's snake_case field names into the Rule model.
// Both formats end up here: Kibana JSON is already in this shape, and the TOML loader flattens
// its `[rule]` table into it. Every problem found becomes an error pointing into the file.

import { parseHistoryWindow } from './history-window.js';
import type { RuleLoadError } from './issues.js';
import type { Rule, Severity, Threat, ThreatRef, ThreatTechnique } from './types.js';

export type RuleRecord = Record<string, unknown>;

export interface RecordContext {
  file: string;
  /** source.line of the rule. */
  line?: number;
  /** Line where the query text starts (TOML). */
  queryLine?: number;
  /** Line where the rule begins (`[rule]` or the JSON object): where a missing field is reported. */
  startLine?: number;
  ruleset: string;
  /** Line of a field of the record where known (for errors about that field), else undefined. */
  lineOf(key: string): number | undefined;
}

export interface RecordOutcome {
  rule?: Rule;
  errors: RuleLoadError[];
}

const SEVERITIES: readonly string[] = ['low', 'medium', 'high', 'critical'];
/** Types whose query must be present: the ones kql-edge can run. */
const QUERY_TYPES: readonly string[] = ['query', 'new_terms', 'eql', 'esql'];
/** Settings that change what Elastic alerts on or writes, which kql-edge does not reproduce. */
const UNAPPLIED_SETTINGS = ['filters', 'alert_suppression', 'severity_mapping', 'risk_score_mapping', 'rule_name_override'];

export function ruleFromRecord(rec: RuleRecord, ctx: RecordContext): RecordOutcome {
  const errors: RuleLoadError[] = [];
  const ruleIdValue = rec['rule_id'];
  const ruleId = typeof ruleIdValue === 'string' ? ruleIdValue : undefined;

  const fail = (key: string | undefined, message: string): void => {
    const line = (key !== undefined ? ctx.lineOf(key) : undefined) ?? ctx.startLine ?? ctx.line;
    // Name the rule first: a file may hold many (NDJSON), and messages can be long.
    errors.push({ file: ctx.file, line, message: ruleId ? `rule ${ruleId}: ${message}` : message, ...(ruleId ? { ruleId } : {}) });
  };

  // Required text fields.
  const requiredString = (key: string): string | undefined => {
    const v = rec[key];
    if (v === undefined || v === null) {
      fail(undefined, `missing required field ${key}`);
      return undefined;
    }
    if (typeof v !== 'string' || v.trim() === '') {
      fail(key, `${key} must be a non-empty string`);
      return undefined;
    }
    return v;
  };
  const optionalString = (key: string): string | undefined => {
    const v = rec[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string') {
      fail(key, `${key} must be a string`);
      return undefined;
    }
    return v;
  };
  const stringList = (key: string): string[] => {
    const v = rec[key];
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) {
      fail(key, `${key} must be a list of strings`);
      return [];
    }
    return v as string[];
  };

  requiredString('rule_id');
  const name = requiredString('name');
  const type = requiredString('type');

  // Kibana treats a missing language of a query/new_terms rule as KQL.
  let language = optionalString('language');
  if (language === undefined && type !== undefined && QUERY_TYPES.includes(type)) language = type === 'eql' || type === 'esql' ? type : 'kuery';

  let query = '';
  if (type !== undefined && QUERY_TYPES.includes(type)) {
    // An empty KQL query is valid in Elastic (it matches everything), so only absence is an error.
    const v = rec['query'];
    if (v === undefined || v === null) fail(undefined, `missing required field query`);
    else if (typeof v !== 'string') fail('query', `query must be a string`);
    else query = v;
  } else {
    query = optionalString('query') ?? '';
  }

  let severity: Severity | undefined;
  const sev = rec['severity'];
  if (sev === undefined || sev === null) fail(undefined, `missing required field severity`);
  else if (typeof sev !== 'string' || !SEVERITIES.includes(sev))
    fail('severity', `severity must be one of ${SEVERITIES.join(', ')}, got ${JSON.stringify(sev)}`);
  else severity = sev as Severity;

  let riskScore: number | undefined;
  const risk = rec['risk_score'];
  if (risk === undefined || risk === null) fail(undefined, `missing required field risk_score`);
  else if (typeof risk !== 'number' || !Number.isInteger(risk) || risk < 0 || risk > 100)
    fail('risk_score', `risk_score must be an integer from 0 to 100, got ${JSON.stringify(risk)}`);
  else riskScore = risk;

  const version = readVersion(rec['version'], (m) => fail('version', m));

  let enabled = true;
  const en = rec['enabled'];
  if (en !== undefined && en !== null) {
    if (typeof en !== 'boolean') fail('enabled', `enabled must be true or false`);
    else enabled = en;
  }

  let exceptionsList: unknown[] = [];
  const ex = rec['exceptions_list'];
  if (ex !== undefined && ex !== null) {
    if (!Array.isArray(ex)) fail('exceptions_list', `exceptions_list must be a list`);
    else exceptionsList = ex;
  }

  let maxSignals: number | undefined;
  const ms = rec['max_signals'];
  if (ms !== undefined && ms !== null) {
    if (typeof ms !== 'number' || !Number.isInteger(ms) || ms < 1)
      fail('max_signals', `max_signals must be a positive integer`);
    else maxSignals = ms;
  }

  const threat = readThreats(rec['threat'], (m) => fail('threat', m));

  let newTerms: Rule['newTerms'];
  if (type === 'new_terms') {
    newTerms = readNewTerms(rec, (key, m) => fail(key, m));
  }

  const author = stringList('author');
  const references = stringList('references');
  const tags = stringList('tags');
  const index = stringList('index');
  const license = optionalString('license');
  const description = optionalString('description');
  const timestampOverride = optionalString('timestamp_override');
  const from = optionalString('from');
  const interval = optionalString('interval');

  const unappliedSettings = UNAPPLIED_SETTINGS.filter((key) => isSet(rec[key]));

  if (errors.length > 0) return { errors };

  const rule: Rule = {
    ruleId: ruleId!,
    name: name!,
    type: type!,
    ...(language !== undefined ? { language } : {}),
    query,
    version,
    severity: severity!,
    riskScore: riskScore!,
    author,
    ...(license !== undefined ? { license } : {}),
    references,
    tags,
    ...(description !== undefined ? { description } : {}),
    threat,
    ...(newTerms ? { newTerms } : {}),
    ...(timestampOverride !== undefined ? { timestampOverride } : {}),
    enabled,
    exceptionsList,
    index,
    ruleset: ctx.ruleset,
    source: {
      file: ctx.file,
      ...(ctx.line !== undefined ? { line: ctx.line } : {}),
      ...(ctx.queryLine !== undefined ? { queryLine: ctx.queryLine } : {}),
    },
    ...(from !== undefined ? { from } : {}),
    ...(interval !== undefined ? { interval } : {}),
    ...(maxSignals !== undefined ? { maxSignals } : {}),
    ...(unappliedSettings.length > 0 ? { unappliedSettings } : {}),
  };
  return { rule, errors };
}

/** Kibana's version is a number; TOML gives `metadata.updated_date`. Absent: Kibana's default 1. */
function readVersion(v: unknown, fail: (m: string) => void): string {
  if (v === undefined || v === null) return '1';
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v === 'string' && v.trim() !== '') return v;
  if (v instanceof Date) return v.toISOString();
  fail(`version must be a number or a string, got ${JSON.stringify(v)}`);
  return '1';
}

function readNewTerms(
  rec: RuleRecord,
  fail: (key: string | undefined, m: string) => void,
): Rule['newTerms'] {
  const fields = rec['new_terms_fields'];
  const window = rec['history_window_start'];
  let ok = true;
  if (fields === undefined || fields === null) {
    fail(undefined, 'missing required field new_terms_fields of a new_terms rule');
    ok = false;
  } else if (!Array.isArray(fields) || !fields.every((f) => typeof f === 'string' && f.trim() !== '')) {
    fail('new_terms_fields', 'new_terms_fields must be a list of field names');
    ok = false;
  } else if (fields.length < 1 || fields.length > 3) {
    fail('new_terms_fields', `new_terms_fields must name 1 to 3 fields, got ${fields.length}`);
    ok = false;
  }
  if (window === undefined || window === null) {
    fail(undefined, 'missing required field history_window_start of a new_terms rule');
    ok = false;
  } else if (typeof window !== 'string') {
    fail('history_window_start', 'history_window_start must be a string such as now-7d');
    ok = false;
  } else {
    try {
      parseHistoryWindow(window);
    } catch (e) {
      fail('history_window_start', (e as Error).message);
      ok = false;
    }
  }
  if (!ok) return undefined;
  return { fields: [...(fields as string[])], historyWindowStart: window as string };
}

function readThreats(v: unknown, fail: (m: string) => void): Threat[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) {
    fail('threat must be a list');
    return [];
  }
  const threats: Threat[] = [];
  v.forEach((t, i) => {
    const at = `threat[${i}]`;
    if (!isObject(t)) {
      fail(`${at} must be an object`);
      return;
    }
    const framework = t['framework'];
    if (typeof framework !== 'string') fail(`${at}.framework must be a string`);
    const tactic = readRef(t['tactic'], `${at}.tactic`, fail);
    const technique: ThreatTechnique[] = [];
    const techniques = t['technique'] ?? [];
    if (!Array.isArray(techniques)) fail(`${at}.technique must be a list`);
    else {
      techniques.forEach((te, j) => {
        const tat = `${at}.technique[${j}]`;
        const ref = readRef(te, tat, fail);
        const subs = isObject(te) ? (te['subtechnique'] ?? []) : [];
        const subtechnique: ThreatRef[] = [];
        if (!Array.isArray(subs)) fail(`${tat}.subtechnique must be a list`);
        else
          subs.forEach((s, k) => {
            const sub = readRef(s, `${tat}.subtechnique[${k}]`, fail);
            if (sub) subtechnique.push(sub);
          });
        if (ref) technique.push({ ...ref, subtechnique });
      });
    }
    if (typeof framework === 'string' && tactic) threats.push({ framework, tactic, technique });
  });
  return threats;
}

function readRef(v: unknown, at: string, fail: (m: string) => void): ThreatRef | undefined {
  if (!isObject(v)) {
    fail(`${at} must be an object with id, name and reference`);
    return undefined;
  }
  const { id, name, reference } = v;
  if (typeof id !== 'string' || typeof name !== 'string' || typeof reference !== 'string') {
    fail(`${at} needs string id, name and reference`);
    return undefined;
  }
  return { id, name, reference };
}

/** Present with some content: Kibana exports carry empty `filters: []` and the like. */
function isSet(v: unknown): boolean {
  if (v === undefined || v === null || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (isObject(v)) return Object.keys(v).length > 0;
  return true;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
