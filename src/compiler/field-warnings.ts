// Rule authors' warnings: fields the field-type table does not know (a typo, or a field the table
// lacks). Not fatal: an unknown field is matched as keyword, as Elasticsearch does for unmapped text.
import { parseKql } from '../kql/parser.js';
import { fieldsOf } from '../kql/walk.js';
import { parseEql } from '../eql/parser.js';
import { eqlFieldsOf } from '../eql/fields.js';
import { parseEsql } from '../esql/parser.js';
import { esqlFieldsOf } from '../esql/fields.js';
import type { FieldTable } from '../fields/table.js';
import type { Rule } from '../rules/types.js';
import { sourcesOf, constantOf } from './ecs-sources.js';

export interface FieldWarning {
  ruleId: string;
  file: string;
  line: number;
  column: number;
  field: string;
  message: string;
}

/** ECS fields the audit view adds besides kubernetes.audit.* (renamed copies, constants, outcome). */
function producedByView(field: string): boolean {
  if (constantOf(field) !== undefined) return true;
  if (field.startsWith('kubernetes.audit.')) return false; // the table is the authority on these
  return sourcesOf(field).some((s) => s.plan !== 0);
}

export function unknownFieldWarnings(rules: Rule[], fields: FieldTable): FieldWarning[] {
  const warnings: FieldWarning[] = [];
  for (const rule of rules) {
    let refs: { name: string; pattern?: string[] | null; pos: { line: number; column: number } }[];
    try {
      refs = rule.type === 'eql' ? eqlFieldsOf(parseEql(rule.query)) : rule.type === 'esql' ? esqlFieldsOf(parseEsql(rule.query)) : fieldsOf(parseKql(rule.query));
    } catch {
      continue; // syntax errors are reported by the compiler
    }
    const seen = new Set<string>();
    for (const ref of refs) {
      if (ref.pattern || seen.has(ref.name) || fields.covers(ref.name) || producedByView(ref.name)) continue;
      seen.add(ref.name);
      const closest = fields.closestKnown(ref.name);
      warnings.push({
        ruleId: rule.ruleId,
        file: rule.source.file,
        line: (rule.source.queryLine ?? 1) + ref.pos.line - 1,
        column: ref.pos.column,
        field: ref.name,
        message: `unknown field ${ref.name} (not in the field-type table; matched as keyword)${closest ? `; did you mean ${closest}?` : ''}`,
      });
    }
  }
  return warnings;
}
