// Kibana's rule formats: the export NDJSON (one rule per line, plus non-rule lines) and the
// detection-engine API JSON (one rule object, or an array of them as the bulk API takes).
// Both use snake_case field names, which the record reader understands directly.

import type { RuleLoadError } from './issues.js';
import { offsetToLineColumn, scanJson } from './json-positions.js';
import { ruleFromRecord, type RuleRecord } from './record.js';
import type { ParsedRules } from './toml.js';

/** Reads an export NDJSON text. `source.line` of each rule = its line number. */
export function parseKibanaNdjson(text: string, file: string, ruleset: string): ParsedRules {
  const result: ParsedRules = { rules: [], errors: [], warnings: [] };
  const lines = text.split('\n');
  lines.forEach((raw, i) => {
    const lineNo = i + 1;
    const lineText = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (lineText.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(lineText);
    } catch (e) {
      const { offset, message } = jsonSyntaxError(lineText, e as Error);
      result.errors.push({ file, line: lineNo, ...(offset !== undefined ? { column: offset + 1 } : {}), message });
      return;
    }
    if (!isObject(value)) {
      result.errors.push({ file, line: lineNo, message: 'expected a JSON object (one rule per line)' });
      return;
    }
    if (isExportSummary(value)) {
      const missing = value['missing_rules'];
      if (Array.isArray(missing) && missing.length > 0) {
        result.warnings.push({
          file,
          line: lineNo,
          message: `the export reports ${missing.length} missing rule(s): ${missing.map(describeMissing).join(', ')}`,
        });
      }
      return;
    }
    if (isNotARule(value)) return;
    const outcome = ruleFromRecord(value, { file, line: lineNo, startLine: lineNo, ruleset, lineOf: () => lineNo });
    result.errors.push(...outcome.errors);
    if (outcome.rule) result.rules.push(outcome.rule);
  });
  return result;
}

/**
 * Reads a JSON text holding one rule object as the detection-engine API takes it, or an array of
 * them. A `.json` file that is really an export (several JSON lines) is read as NDJSON.
 */
export function parseKibanaJson(text: string, file: string, ruleset: string): ParsedRules {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    if (looksLikeNdjson(text)) return parseKibanaNdjson(text, file, ruleset);
    const { offset, message } = jsonSyntaxError(text, e as Error);
    const at = offset !== undefined ? offsetToLineColumn(text, offset) : {};
    return { rules: [], warnings: [], errors: [{ file, ...at, message }] };
  }
  const scan = scanJson(text);
  const result: ParsedRules = { rules: [], errors: [], warnings: [] };
  const records = Array.isArray(value) ? value : [value];
  records.forEach((rec, i) => {
    const where = scan.objects[i];
    const lineAt = (offset: number | undefined): number | undefined =>
      offset !== undefined ? offsetToLineColumn(text, offset).line : undefined;
    const startLine = lineAt(where?.start);
    if (!isObject(rec)) {
      result.errors.push({ file, line: startLine, message: 'expected a rule object' });
      return;
    }
    if (isExportSummary(rec) || isNotARule(rec)) return;
    const outcome = ruleFromRecord(rec as RuleRecord, {
      file,
      ...(startLine !== undefined ? { line: startLine, startLine } : {}),
      ruleset,
      lineOf: (key) => lineAt(where?.keys.get(key)),
    });
    result.errors.push(...outcome.errors);
    if (outcome.rule) result.rules.push(outcome.rule);
  });
  return result;
}

/** The summary Kibana appends to an export: `{"exported_count":..,"missing_rules":[],...}`. */
function isExportSummary(v: Record<string, unknown>): boolean {
  return !('rule_id' in v) && 'exported_count' in v;
}

/**
 * Other objects an export may carry: exception lists and their items (`list_id`, no `rule_id`)
 * and saved objects such as action connectors (`attributes`, no `rule_id`).
 */
function isNotARule(v: Record<string, unknown>): boolean {
  return !('rule_id' in v) && ('list_id' in v || 'attributes' in v);
}

function describeMissing(m: unknown): string {
  return isObject(m) && typeof m['rule_id'] === 'string' ? m['rule_id'] : JSON.stringify(m);
}

function looksLikeNdjson(text: string): boolean {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  if (lines.length < 2) return false;
  try {
    return isObject(JSON.parse(lines[0]!));
  } catch {
    return false;
  }
}

/**
 * Message and 0-based offset of a JSON syntax error: the message JSON.parse gives, without the
 * echo of the input; the offset it gives where it gives one, else the first error our scanner finds.
 */
function jsonSyntaxError(text: string, e: Error): { offset?: number; message: string } {
  const m = /at position (\d+)/.exec(e.message);
  let message = e.message
    .replace(/, ".*" is not valid JSON$/s, '')
    .replace(/ in JSON at position \d+.*$/s, '')
    .trim();
  if (message === '') message = 'invalid JSON';
  const offset = m ? Number(m[1]) : scanJson(text).error?.offset;
  return { ...(offset !== undefined ? { offset } : {}), message: `invalid JSON: ${message}` };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
