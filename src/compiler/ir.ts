// The rule program as plain data (what `kql-edge inspect` prints and tests compare), before it is
// serialised into the binary layout of format.ts.
import type { Op, ExprOp, SlotType, Transform, ThreatField, OutputMode } from './format.js';
import type { DfaTable } from '../esql/automata/dfa.js';
import type { PikeProgram } from '../esql/automata/pike.js';
import type { StatsSpec } from '../esql/stats.js';

/** One extracted field: the evaluator collects its values from whichever plan fits the record. */
export interface SlotIR {
  /** The field's name as the rules (ECS) see it. */
  name: string;
  type: SlotType;
  /** The Elasticsearch type behind `type` (e.g. `float` for a Number slot). */
  esType: string;
  /** keyword: values longer than this (UTF-16 units) are not indexed; 0 = no limit. */
  ignoreAbove: number;
  /** SLOT_* flags. */
  flags: number;
}

/** Where one plan finds a slot's values: a path of key segments from the document root. */
export interface SourceIR {
  plan: number;
  slot: number;
  /** Key segments. With `dedotLast`, the last segment is matched against whole keys read with '.' as '_'. */
  path: string[];
  dedotLast: boolean;
  transform: Transform;
}

export interface ConstIR {
  plan: number;
  slot: number;
  value: string;
}

export interface LeafIR {
  slot: number;
  op: Op;
  flags: number;
  /** Operand bytes (layout per op: docs/program-format.md). */
  data: Uint8Array;
  aux: number;
  /** Human-readable form for inspect and tests. */
  text: string;
}

export type ExprIR =
  | { op: ExprOp.True | ExprOp.False }
  | { op: ExprOp.Leaf; leaf: number }
  | { op: ExprOp.And | ExprOp.Or; children: ExprIR[] }
  | { op: ExprOp.Not; child: ExprIR }
  | { op: ExprOp.Nested; child: ExprIR; nested: number };

export interface ThreatEntryIR {
  field: ThreatField;
  /** The value as JSON (a quoted string). */
  json: string;
}

export interface RuleIR {
  ruleId: string;
  name: string;
  type: 'query' | 'new_terms' | 'eql' | 'esql';
  version: string;
  expr: ExprIR;
  /** Groups of literals: for each group, one literal must occur in the record's bytes. */
  prefilter: string[][];
  newTerms?: { fields: string[]; slots: number[]; windowMs: number; historyWindowStart: string };
  /** An EQL sequence: the stages' conditions and join-key slots; `expr` is then "some stage matches". */
  sequence?: SequenceIR;
  /** An ES|QL per-event pipeline run on the records that pass `expr`. */
  esql?: EsqlIR;
  /** Slot of the timestamp_override field, if any. */
  timeSlot?: number;
  severity: number;
  riskScore: number;
  /** Pre-rendered JSON fragments (Frag order). */
  frags: string[];
  threats: ThreatEntryIR[];
  /** Identity of the rule's new-terms state (rule, query, fields, window): a snapshot entry survives only when it is equal. */
  stateKey: bigint;
}

/** An ES|QL per-event pipeline (src/esql/pipeline.ts) with fields as slots and field conditions as expressions. */
export interface EsqlIR {
  steps: EsqlStepIR[];
  registers: number;
  outputs: { name: string; reg: number }[];
  dfas: DfaTable[];
  pikes: PikeProgram[];
  /** STATS … BY: the window spec with fields as slots (src/compiler/esql-stats-serialize.ts). */
  stats?: EsqlStatsIR;
}

/** A STATS window (src/esql/stats.ts) for the module: field inputs as slots, the look-back in ms. */
export interface EsqlStatsIR {
  spec: StatsSpec;
  /** Slot of each field an input reads, by field name. */
  slotOf: Record<string, number>;
  lookbackMs: number;
}

export type EsqlCondIR =
  | { k: 'isnull'; reg: number; negated: boolean }
  | { k: 'rlike'; reg: number; dfa: number }
  | { k: 'like'; reg: number; pattern: string }
  | { k: 'eq'; reg: number; text: string }
  | { k: 'numcmp'; reg: number; op: '==' | '!=' | '<' | '<=' | '>' | '>='; value: number }
  | { k: 'regcmp'; a: number; op: '==' | '!=' | '<' | '<=' | '>' | '>='; b: number }
  | { k: 'and' | 'or'; a: EsqlCondIR; b: EsqlCondIR }
  | { k: 'not'; a: EsqlCondIR }
  | { k: 'const'; v: true | false | null }
  | { k: 'tf'; t: ExprIR; f: ExprIR };

export type EsqlStepIR =
  | { op: 'field'; dst: number; slot: number }
  | { op: 'const'; dst: number; text: string }
  | { op: 'urldecode'; dst: number; src: number }
  | { op: 'grok'; src: number; pike: number; outs: { dst: number; group: number }[] }
  | { op: 'replace'; dst: number; src: number; find: string; by: string }
  | { op: 'case'; dst: number; arms: { cond: EsqlCondIR; value: number }[]; otherwise: number }
  | { op: 'where'; cond: EsqlCondIR }
  | { op: 'field_int' | 'field_ip_text'; dst: number; slot: number }
  | { op: 'field_date'; dst: number; slot: number; eventTimeFallback: boolean }
  | { op: 'const_int'; dst: number; value: number }
  | { op: 'now'; dst: number }
  | { op: 'date_trunc'; dst: number; src: number; spanMs: number }
  | { op: 'date_add'; dst: number; src: number; deltaMs: number }
  | { op: 'locate'; dst: number; s: number; sub: number; start: number }
  | { op: 'to_string'; dst: number; src: number };

export interface SequenceIR {
  stages: { expr: ExprIR; keySlots: number[]; keys: string[] }[];
  /** `until [...]`: a record it matches drops the pending sequences of its join key. */
  until?: { expr: ExprIR; keySlots: number[]; keys: string[] };
  /** Longest time from the first stage's event to the last one's (ms); undefined = no limit. */
  maxspanMs?: number;
  maxspanText?: string;
  /** Slot of the record identity written into the alert (kubernetes.audit.auditID). */
  idSlot: number;
}

export interface BuildOptions {
  outputMode: OutputMode;
  /** Memory budget of the new-terms state, bytes. */
  newTermsBudgetBytes: number;
  /** Learning period: terms are recorded but do not alert for this long (event time) after the first one. */
  learningMs: number;
  /** Write `rule.description` into tags. */
  includeDescription: boolean;
  /** Also write Elastic's alert field names (`kibana.alert.*`, alert-fields.md). */
  kibanaFields: boolean;
  /** Where the new-terms snapshot is kept (a path inside a folder the host preopens); empty = none. */
  stateFile: string;
  /** Snapshot every N records (0: never by count). */
  snapshotEveryRecords: number;
  /** Snapshot every N seconds of event time (0: never by time). */
  snapshotEverySeconds: number;
  /** Memory budget of the EQL sequence state, bytes (all sequence rules together). */
  sequenceBudgetBytes: number;
  /** Memory budget of the ES|QL STATS windows, bytes (all STATS rules together). */
  windowBudgetBytes?: number;
  /** Counters on stderr every N records (0: never). */
  statsEveryRecords: number;
  ruleset?: string;
}

export interface ProgramIR {
  slots: SlotIR[];
  /** Paths queried with `path:{...}` (index = nested id): their object elements are evaluated one at a time. */
  nested: string[];
  sources: SourceIR[];
  consts: ConstIR[];
  leaves: LeafIR[];
  rules: RuleIR[];
  options: BuildOptions;
  /** The evaluator must record every scalar with its path (field-less values, wildcard field names). */
  allLeaves: boolean;
  /** View fields read with `f:*` whose object form counts: the scalars below their sources are recorded with paths. */
  presence: string[];
  /** The field table, for leaves found by path: exact names, then globs in order. */
  fieldTypes: { glob: string[] | null; name: string; sig: number }[];
  /** With kibanaFields: the slots kibana.alert.reason names. */
  reasonSlots?: { sourceIp: number; userName: number };
}
