// The rule model every loader produces and the compiler consumes, whatever the source format
// (detection-rules TOML, Kibana export NDJSON, detection-engine JSON).

export type Severity = 'low' | 'medium' | 'high' | 'critical';

export interface ThreatRef {
  id: string;
  name: string;
  reference: string;
}

export interface ThreatTechnique extends ThreatRef {
  subtechnique: ThreatRef[];
}

export interface Threat {
  framework: string;
  tactic: ThreatRef;
  technique: ThreatTechnique[];
}

export interface NewTermsParams {
  /** 1 to 3 field names, in the rule's order. */
  fields: string[];
  /** Date math as written, e.g. `now-7d`. */
  historyWindowStart: string;
}

/** Where a rule came from: used in every message about it. */
export interface RuleSource {
  file: string;
  /** 1-based line of the rule in the file (NDJSON line, or the line where the query starts in TOML). */
  line?: number;
  /** 1-based line in the file where the query text starts, so KQL errors can point into the file. */
  queryLine?: number;
}

export interface Rule {
  ruleId: string;
  name: string;
  /** Rule type as written: query, new_terms, eql, esql, threshold, machine_learning, threat_match, ... */
  type: string;
  /** Query language as written: kuery, lucene, eql, esql, ... (absent for machine_learning). */
  language?: string;
  query: string;
  /** `version` where the source has one (Kibana), else `metadata.updated_date` (TOML). Always a string. */
  version: string;
  severity: Severity;
  riskScore: number;
  author: string[];
  license?: string;
  references: string[];
  tags: string[];
  description?: string;
  threat: Threat[];
  newTerms?: NewTermsParams;
  /** e.g. `event.ingested`. */
  timestampOverride?: string;
  enabled: boolean;
  /** Exception list references as found (cannot be resolved offline). */
  exceptionsList: unknown[];
  index: string[];
  /** Rule-set name for `rule.ruleset` (default: the source's folder or file name). */
  ruleset: string;
  source: RuleSource;
  /** Elastic's run range start as written (e.g. `now-9m`); Elastic's default is `now-6m`. */
  from?: string;
  /** Elastic's run interval as written (e.g. `10m`); Elastic's default is `5m`. */
  interval?: string;
  /** Elastic's per-run alert cap; 100 when absent. */
  maxSignals?: number;
  /**
   * Elastic settings the source sets that change Elastic's alerts but kql-edge does not apply
   * (`filters`, `alert_suppression`, `severity_mapping`, `risk_score_mapping`, `rule_name_override`);
   * the loader reports them in a warning.
   */
  unappliedSettings?: string[];
}
