// What loading rules produces besides the rules: skipped rules, warnings and errors.
// Errors are plain data, collected rather than thrown, so a caller can print every one of them.

import type { Rule } from './types.js';

/** A problem tied to a place in a rule file. Lines and columns are 1-based. */
export interface RuleLoadError {
  file: string;
  line?: number;
  column?: number;
  message: string;
  /** The rule concerned, when the problem is about one rule. */
  ruleId?: string;
}

export type RuleError = RuleLoadError;

/** Same shape as an error: something the user should know that does not stop the build. */
export type RuleWarning = RuleLoadError;

export type SkipKind = 'disabled' | 'unsupported';

/** A rule that was read and is valid, but is not run. */
export interface SkippedRule {
  rule: Rule;
  kind: SkipKind;
  /** `disabled`, or why the rule cannot run, e.g. `type eql is not supported (...)`. */
  reason: string;
}

export interface LoadResult {
  rules: Rule[];
  skipped: SkippedRule[];
  warnings: RuleWarning[];
  errors: RuleError[];
}

/** `file:line:col: message`, leaving out the parts that are not known. */
export function formatLoadIssue(issue: RuleLoadError): string {
  let where = issue.file;
  if (issue.line !== undefined) {
    where += `:${issue.line}`;
    if (issue.column !== undefined) where += `:${issue.column}`;
  }
  return `${where}: ${issue.message}`;
}
