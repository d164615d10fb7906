// Elastic detection-rules TOML: one rule per file, `[metadata]` + `[rule]`, threat mapping in
// `[[rule.threat]]`, New Terms parameters in `[rule.new_terms]`.

import { parse, TomlError } from 'smol-toml';
import type { RuleLoadError } from './issues.js';
import { ruleFromRecord, type RuleRecord } from './record.js';
import { scanTomlPositions } from './toml-positions.js';
import type { Rule } from './types.js';

export interface ParsedRules {
  rules: Rule[];
  errors: RuleLoadError[];
  /** Things worth telling the user that do not stop loading. */
  warnings: RuleLoadError[];
}

/**
 * Reads one detection-rules TOML file's text.
 * `version` = `rule.version` if present, else `metadata.updated_date`.
 * `source.queryLine` = first line of the query content (exact for `'''` strings and for `"""`
 * strings without line-ending backslashes or `\n` escapes); `source.line` = the same line, or the
 * `[rule]` header when the rule has no query.
 */
export function parseTomlRule(text: string, file: string, ruleset: string): ParsedRules {
  let doc: Record<string, unknown>;
  try {
    doc = parse(text) as Record<string, unknown>;
  } catch (e) {
    if (e instanceof TomlError) {
      // smol-toml's message ends with a code excerpt; the first line is the message proper.
      const message = e.message.split('\n')[0]!.replace(/^Invalid TOML document: /, '');
      return { rules: [], warnings: [], errors: [{ file, line: e.line, column: e.column, message: `invalid TOML: ${message}` }] };
    }
    throw e;
  }

  const positions = scanTomlPositions(text);
  const ruleTable = doc['rule'];
  if (!isTable(ruleTable)) {
    return { rules: [], warnings: [], errors: [{ file, line: 1, message: 'not a detection rule: no [rule] table' }] };
  }
  const metadata = isTable(doc['metadata']) ? doc['metadata'] : {};
  const errors: RuleLoadError[] = [];
  const record: RuleRecord = { ...ruleTable };
  delete record['new_terms'];

  // Version: the rule's own if it has one, else the date it was last updated.
  const versionKey = ruleTable['version'] !== undefined ? 'rule.version' : 'metadata.updated_date';
  record['version'] = ruleTable['version'] ?? metadata['updated_date'];

  // `[rule.new_terms]` holds the fields in `value` and the window in an array of tables.
  const nt = ruleTable['new_terms'];
  if (nt !== undefined) {
    if (!isTable(nt)) {
      errors.push({ file, line: positions.get('rule.new_terms')?.line, message: '[rule.new_terms] must be a table' });
    } else {
      record['new_terms_fields'] = nt['value'];
      const hws = nt['history_window_start'];
      const first = Array.isArray(hws) ? hws[0] : hws;
      record['history_window_start'] = isTable(first) ? first['value'] : first;
    }
  }

  const ruleLine = positions.get('rule')?.line;
  const query = positions.get('rule.query');
  const queryLine = typeof ruleTable['query'] === 'string' ? query?.contentLine : undefined;
  const keyPath: Record<string, string> = {
    version: versionKey,
    new_terms_fields: 'rule.new_terms.value',
    history_window_start: 'rule.new_terms.history_window_start.value',
  };
  const outcome = ruleFromRecord(record, {
    file,
    line: queryLine ?? ruleLine,
    ...(queryLine !== undefined ? { queryLine } : {}),
    ...(ruleLine !== undefined ? { startLine: ruleLine } : {}),
    ruleset,
    lineOf: (key) => positions.get(keyPath[key] ?? `rule.${key}`)?.line,
  });
  errors.push(...outcome.errors);
  return { rules: outcome.rule && errors.length === 0 ? [outcome.rule] : [], errors, warnings: [] };
}

function isTable(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}
