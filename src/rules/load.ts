// Entry point of the rules stage: reads rule files and folders, decides which rules run, and
// collects every problem instead of stopping at the first (a caller prints them all and exits 2).

import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { LoadResult, RuleLoadError, SkippedRule } from './issues.js';
import { parseKibanaJson, parseKibanaNdjson } from './kibana.js';
import { parseTomlRule, type ParsedRules } from './toml.js';
import type { Rule } from './types.js';
import { eqlSkipReason } from '../eql/support.js';
import { kqlSkipReason } from '../compiler/support.js';
import { EqlSyntaxError } from '../eql/errors.js';
import { esqlSkipReason } from '../esql/support.js';
import { EsqlSyntaxError } from '../esql/errors.js';
import { loadFieldTable, type FieldTable } from '../fields/table.js';

export { parseHistoryWindow } from './history-window.js';
export { formatLoadIssue } from './issues.js';
export type { LoadResult, RuleError, RuleLoadError, RuleWarning, SkippedRule, SkipKind } from './issues.js';

export interface LoadOptions {
  /** `rule.ruleset` for every rule; default: the name of the folder holding each rule's file. */
  ruleset?: string;
}

const RULE_EXTENSIONS = ['.toml', '.ndjson', '.json'];
const RUNNABLE_TYPES = ['query', 'new_terms', 'eql', 'esql'];
const RUNNABLE_WHY = 'kql-edge runs KQL query and new_terms rules, EQL rules and ES|QL rules';

/**
 * Loads rules from files (.toml, .ndjson, .json) and folders (searched recursively, files in
 * sorted order, other extensions and hidden entries ignored).
 */
export async function loadRules(paths: string[], opts: LoadOptions = {}): Promise<LoadResult> {
  const result: LoadResult = { rules: [], skipped: [], warnings: [], errors: [] };
  const files = await collectFiles(paths, result.errors);
  const all: Rule[] = [];
  for (const file of files) {
    const ruleset = opts.ruleset ?? path.basename(path.dirname(path.resolve(file)));
    const parsed = await parseFile(file, ruleset);
    result.errors.push(...parsed.errors);
    result.warnings.push(...parsed.warnings);
    all.push(...parsed.rules);
  }

  const firstById = new Map<string, Rule>();
  for (const rule of all) {
    const first = firstById.get(rule.ruleId);
    if (first) {
      result.errors.push({
        ...at(rule),
        ruleId: rule.ruleId,
        message: `duplicate rule_id ${rule.ruleId}: defined in ${where(first)} and in ${where(rule)}`,
      });
      continue;
    }
    firstById.set(rule.ruleId, rule);
    let skip: SkippedRule | undefined;
    try {
      skip = whySkipped(rule);
    } catch (e) {
      if (!(e instanceof EqlSyntaxError) && !(e instanceof EsqlSyntaxError)) throw e;
      const language = e instanceof EsqlSyntaxError ? 'ES|QL' : 'EQL';
      result.errors.push({ ...eqlErrorPlace(rule, e), ruleId: rule.ruleId, message: `rule ${rule.ruleId}: ${language} syntax error: ${e.reason}` });
      continue;
    }
    if (skip) {
      result.skipped.push(skip);
      continue;
    }
    result.rules.push(rule);
    result.warnings.push(...warningsFor(rule));
  }
  return result;
}

let defaultTable: FieldTable | undefined;
/** Whether an EQL rule can run is decided with the default field table (a build's own table is checked again when compiling). */
function defaultFieldTable(): FieldTable {
  return (defaultTable ??= loadFieldTable());
}

/** Where in the rule file an EQL syntax error is (the query's own line and column mapped into the file). */
function eqlErrorPlace(rule: Rule, e: EqlSyntaxError | EsqlSyntaxError): { file: string; line?: number; column?: number } {
  if (rule.source.queryLine === undefined) return at(rule);
  return { file: rule.source.file, line: rule.source.queryLine + e.line - 1, column: e.column };
}

function whySkipped(rule: Rule): SkippedRule | undefined {
  if (!rule.enabled) return { rule, kind: 'disabled', reason: 'disabled' };
  if (!RUNNABLE_TYPES.includes(rule.type)) {
    return { rule, kind: 'unsupported', reason: `type ${rule.type} is not supported (${RUNNABLE_WHY})` };
  }
  if (rule.type === 'eql') {
    if (rule.language !== 'eql') return { rule, kind: 'unsupported', reason: `language ${rule.language} is not supported for an eql rule` };
    const reason = eqlSkipReason(rule.query, (f) => defaultFieldTable().typeOf(f));
    return reason ? { rule, kind: 'unsupported', reason } : undefined;
  }
  if (rule.type === 'esql') {
    if (rule.language !== 'esql') return { rule, kind: 'unsupported', reason: `language ${rule.language} is not supported for an esql rule` };
    const reason = esqlSkipReason(rule.query, (f) => defaultFieldTable().typeOf(f));
    return reason ? { rule, kind: 'unsupported', reason } : undefined;
  }
  if (rule.language !== 'kuery') {
    return { rule, kind: 'unsupported', reason: `language ${rule.language} is not supported (${RUNNABLE_WHY})` };
  }
  const reason = kqlSkipReason(rule.query);
  if (reason) return { rule, kind: 'unsupported', reason };
  return undefined;
}

/** What a loaded rule asks for that kql-edge will not do. */
function warningsFor(rule: Rule): RuleLoadError[] {
  const warnings: RuleLoadError[] = [];
  if (rule.exceptionsList.length > 0) {
    const names = rule.exceptionsList.map(describeExceptionList).join(', ');
    warnings.push({
      ...at(rule),
      ruleId: rule.ruleId,
      message:
        `rule ${rule.ruleId} references exception list(s) ${names}: they cannot be resolved offline ` +
        `and are not applied, so the rule may match events Elastic would except`,
    });
  }
  if (rule.unappliedSettings && rule.unappliedSettings.length > 0) {
    warnings.push({
      ...at(rule),
      ruleId: rule.ruleId,
      message: `rule ${rule.ruleId} sets ${rule.unappliedSettings.join(', ')}, which kql-edge does not apply`,
    });
  }
  return warnings;
}

/** An exceptions_list entry is `{ id, list_id, type, namespace_type }`; name it by list_id (id). */
function describeExceptionList(entry: unknown): string {
  if (typeof entry === 'object' && entry !== null) {
    const e = entry as Record<string, unknown>;
    const listId = typeof e['list_id'] === 'string' ? e['list_id'] : undefined;
    const id = typeof e['id'] === 'string' ? e['id'] : undefined;
    if (listId && id) return `${listId} (${id})`;
    if (listId ?? id) return (listId ?? id)!;
  }
  return JSON.stringify(entry);
}

function at(rule: Rule): { file: string; line?: number } {
  return { file: rule.source.file, ...(rule.source.line !== undefined ? { line: rule.source.line } : {}) };
}

function where(rule: Rule): string {
  return rule.source.line !== undefined ? `${rule.source.file}:${rule.source.line}` : rule.source.file;
}

async function parseFile(file: string, ruleset: string): Promise<ParsedRules> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    return { rules: [], warnings: [], errors: [{ file, message: `cannot read file: ${(e as Error).message}` }] };
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // a BOM is not part of the rule
  switch (path.extname(file).toLowerCase()) {
    case '.toml':
      return parseTomlRule(text, file, ruleset);
    case '.ndjson':
      return parseKibanaNdjson(text, file, ruleset);
    default:
      return parseKibanaJson(text, file, ruleset);
  }
}

/** Files to read, in order, each once. Paths that cannot be used become errors. */
async function collectFiles(paths: string[], errors: RuleLoadError[]): Promise<string[]> {
  const files: string[] = [];
  const seen = new Set<string>();
  const add = (file: string): void => {
    const key = path.resolve(file);
    if (seen.has(key)) return;
    seen.add(key);
    files.push(file);
  };
  for (const p of paths) {
    let info;
    try {
      info = await stat(p);
    } catch {
      errors.push({ file: p, message: 'no such file or folder' });
      continue;
    }
    if (info.isDirectory()) {
      for (const f of await listRuleFiles(p)) add(f);
    } else if (hasRuleExtension(p)) {
      add(p);
    } else {
      errors.push({ file: p, message: `not a rule file: expected ${RULE_EXTENSIONS.join(', ')} or a folder` });
    }
  }
  return files;
}

async function listRuleFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  // Sorted by code point so the order (and so duplicate reports) is the same on every machine.
  const names = entries.filter((e) => !e.name.startsWith('.')).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const files: string[] = [];
  for (const e of names) {
    const full = path.join(dir, e.name);
    // Follow symbolic links (a rules folder may link to a shared pack).
    const isDir = e.isDirectory() || (e.isSymbolicLink() && (await stat(full).then((s) => s.isDirectory(), () => false)));
    if (isDir) files.push(...(await listRuleFiles(full)));
    else if (hasRuleExtension(e.name)) files.push(full);
  }
  return files;
}

function hasRuleExtension(file: string): boolean {
  return RULE_EXTENSIONS.includes(path.extname(file).toLowerCase());
}
