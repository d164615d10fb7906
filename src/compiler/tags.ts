// Pre-rendered JSON pieces of a rule's tag (spec: alert-fields.md), so the evaluator only
// concatenates them.
import type { Rule } from '../rules/types.js';
import { Frag, ThreatField } from './format.js';
import type { ThreatEntryIR } from './ir.js';

/** Elastic's default severity -> risk mapping, used for `event.severity`. */
export const SEVERITY_NUMBER: Record<string, number> = { low: 21, medium: 47, high: 73, critical: 99 };

const j = (v: unknown) => JSON.stringify(v);

export function ruleFragments(rule: Rule, ruleset: string): string[] {
  const frags: string[] = new Array(Frag.Count).fill('');
  frags[Frag.Id] = j(rule.ruleId);
  frags[Frag.Name] = j(rule.name);
  frags[Frag.Version] = j(rule.version);
  frags[Frag.Category] = j(rule.type);
  frags[Frag.Ruleset] = j(ruleset);
  frags[Frag.Author] = j(rule.author);
  frags[Frag.License] = rule.license ? j(rule.license) : '';
  frags[Frag.Reference] = j(rule.references);
  frags[Frag.Description] = rule.description ? j(rule.description.trim()) : '';
  frags[Frag.AlertHead] =
    `{"rule_id":${j(rule.ruleId)},"name":${j(rule.name)},"version":${j(rule.version)},"type":${j(rule.type)},` +
    `"severity":${j(rule.severity)},"risk_score":${rule.riskScore},"tags":${j(rule.tags)}`;
  frags[Frag.NewTermsFields] = rule.newTerms ? j(rule.newTerms.fields) : '';
  frags[Frag.KibanaName] = j(rule.name);
  return frags;
}

export function threatEntries(rule: Rule): ThreatEntryIR[] {
  const out: ThreatEntryIR[] = [];
  const add = (field: ThreatField, v: string) => out.push({ field, json: j(v) });
  for (const t of rule.threat) {
    add(ThreatField.Framework, t.framework);
    add(ThreatField.TacticId, t.tactic.id);
    add(ThreatField.TacticName, t.tactic.name);
    add(ThreatField.TacticReference, t.tactic.reference);
    for (const tech of t.technique) {
      add(ThreatField.TechniqueId, tech.id);
      add(ThreatField.TechniqueName, tech.name);
      add(ThreatField.TechniqueReference, tech.reference);
      for (const sub of tech.subtechnique) {
        add(ThreatField.SubtechniqueId, sub.id);
        add(ThreatField.SubtechniqueName, sub.name);
        add(ThreatField.SubtechniqueReference, sub.reference);
      }
    }
  }
  return out;
}
