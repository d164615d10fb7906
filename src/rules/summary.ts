// The table `kql-edge build` and `kql-edge check` print: which rules run, which do not, and why.

import type { LoadResult } from './issues.js';
import type { Rule } from './types.js';
import { parseEql } from '../eql/parser.js';

/** `sequence of 2 stages by user.name within 5m` for an EQL sequence rule (loaded rules parse). */
function describeSequence(query: string): string | undefined {
  try {
    const q = parseEql(query);
    if (q.kind !== 'sequence') return undefined;
    const keys = q.by.map((k) => (k.kind === 'field' ? k.name : '?'));
    return `sequence of ${q.stages.length} stages${keys.length ? ` by ${keys.join(', ')}` : ''}${q.maxspanText ? ` within ${q.maxspanText}` : ''}`;
  } catch {
    return undefined;
  }
}

interface Row {
  status: string;
  ruleId: string;
  type: string;
  name: string;
  reason: string;
}

/**
 * One line per rule (loaded rules first, then skipped ones, each in load order) with columns
 * STATUS, RULE_ID, TYPE, NAME, REASON, then a line of totals. Errors and warnings are counted,
 * not repeated: the caller prints them with formatLoadIssue.
 */
export function formatRuleSummary(result: LoadResult): string {
  const warned = new Map<string, number>();
  for (const w of result.warnings) if (w.ruleId) warned.set(w.ruleId, (warned.get(w.ruleId) ?? 0) + 1);

  const rows: Row[] = [
    ...result.rules.map((r) => row('loaded', r, loadedNote(r, warned.get(r.ruleId) ?? 0))),
    ...result.skipped.map((s) => row('skipped', s.rule, s.reason)),
  ];
  const header: Row = { status: 'STATUS', ruleId: 'RULE_ID', type: 'TYPE', name: 'NAME', reason: 'REASON' };
  const all = [header, ...rows];
  const width = (key: keyof Row): number => Math.max(...all.map((r) => r[key].length));
  const w = { status: width('status'), ruleId: width('ruleId'), type: width('type'), name: width('name') };
  const lines = all.map((r) =>
    [r.status.padEnd(w.status), r.ruleId.padEnd(w.ruleId), r.type.padEnd(w.type), r.name.padEnd(w.name), r.reason]
      .join('  ')
      .trimEnd(),
  );
  const count = (n: number, what: string): string => `${n} ${what}${n === 1 ? '' : 's'}`;
  lines.push(
    `${result.rules.length} loaded, ${result.skipped.length} skipped, ` +
      `${count(result.warnings.length, 'warning')}, ${count(result.errors.length, 'error')}`,
  );
  return lines.join('\n') + '\n';
}

function row(status: string, rule: Rule, reason: string): Row {
  return { status, ruleId: rule.ruleId, type: rule.type, name: rule.name, reason };
}

/** A loaded rule's REASON column: its New Terms setup, and a pointer to warnings about it. */
function loadedNote(rule: Rule, warnings: number): string {
  const parts: string[] = [];
  if (rule.newTerms) parts.push(`new terms on ${rule.newTerms.fields.join(', ')} over ${rule.newTerms.historyWindowStart}`);
  const sequence = rule.type === 'eql' ? describeSequence(rule.query) : undefined;
  if (sequence) parts.push(sequence);
  if (warnings > 0) parts.push(`${warnings} warning${warnings === 1 ? '' : 's'}`);
  return parts.join('; ');
}
