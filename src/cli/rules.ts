// Loading and compiling the rules a command was given, with the messages and exit codes every
// command shares.
import path from 'node:path';
import { loadRules, formatLoadIssue, type LoadResult } from '../rules/load.js';
import { formatRuleSummary } from '../rules/summary.js';
import { compileProgram, CompileError, type CompiledProgram, type BuildOptions } from '../compiler/index.js';
import { KqlSyntaxError, formatKqlError } from '../kql/errors.js';
import { loadFieldTable } from '../fields/table.js';
import { unknownFieldWarnings } from '../compiler/field-warnings.js';
import { PACKAGE_ROOT } from '../build/module.js';
import type { Rule } from '../rules/types.js';
import { UserError, EXIT_USAGE } from './exit.js';

/** The default rule: Elastic's "Kubernetes Denied Service Account Request via Unusual User Agent" (v10). */
export const DEFAULT_RULES = path.join(PACKAGE_ROOT, 'rules', 'default');

export interface RulesInput {
  rules?: string[];
  ruleset?: string;
  fieldTypes?: string;
}

/** Loads rules; load errors become one UserError listing them all. */
export async function loadOrFail(input: RulesInput, log: (s: string) => void): Promise<LoadResult> {
  const paths = input.rules && input.rules.length > 0 ? input.rules : [DEFAULT_RULES];
  const result = await loadRules(paths, { ruleset: input.ruleset });
  for (const w of result.warnings) log(`warning: ${formatLoadIssue(w)}`);
  if (result.rules.length === 0 && result.skipped.length === 0 && result.errors.length === 0) {
    log(`warning: no rules found in ${paths.join(', ')} (rule files: detection-rules .toml, Kibana export .ndjson, rule .json)`);
  }
  if (result.errors.length > 0) throw new UserError(result.errors.map((e) => `error: ${formatLoadIssue(e)}`).join('\n'), EXIT_USAGE);
  return result;
}

function describeCompileError(err: unknown, rule: Rule | undefined): string {
  const file = rule?.source.file ?? '<rules>';
  if (err instanceof KqlSyntaxError) return formatKqlError(err, { file, queryLine: rule?.source.queryLine ?? 1 });
  if (err instanceof CompileError && err.pos) {
    const line = (rule?.source.queryLine ?? 1) + err.pos.line - 1;
    return `${file}:${line}:${err.pos.column}: ${err.message}`;
  }
  return `${file}${rule?.source.line ? `:${rule.source.line}` : ''}: ${err instanceof Error ? err.message : String(err)}`;
}

/** Compiles loaded rules; a rule that fails to parse or compile becomes a UserError naming file, line and column. */
export function compileOrFail(rules: Rule[], options: Partial<BuildOptions>, fieldTypes?: string, log?: (s: string) => void): CompiledProgram {
  let fields: ReturnType<typeof loadFieldTable>;
  try {
    fields = loadFieldTable(fieldTypes);
  } catch (err) {
    throw new UserError(`kql-edge: --field-types ${(err as Error).message}`, EXIT_USAGE, err);
  }
  if (log) for (const w of unknownFieldWarnings(rules, fields)) log(`warning: ${w.file}:${w.line}:${w.column}: rule ${w.ruleId}: ${w.message}`);
  // Compile each rule alone first, so an error names its rule precisely.
  const problems: string[] = [];
  for (const rule of rules) {
    try {
      compileProgram([rule], options, fields);
    } catch (err) {
      problems.push(`error: rule ${rule.ruleId} (${rule.name}): ${describeCompileError(err, rule)}`);
    }
  }
  if (problems.length > 0) throw new UserError(problems.join('\n'), EXIT_USAGE);
  return compileProgram(rules, options, fields);
}

export { formatRuleSummary };
