// Binary layout of a compiled rule program, version 1 (docs/program-format.md is the prose version).
// assembly/program/format.ts holds the same numbers for the evaluator: change both together.

export const PROGRAM_MAGIC = 0x5045514b; // "KQEP" little-endian
export const PROGRAM_VERSION = 1;
export const HEADER_SIZE = 16;

export enum Section {
  Data = 1,
  Slots = 2,
  Plans = 3,
  Nodes = 4,
  Edges = 5,
  Refs = 6,
  Consts = 7,
  Leaves = 8,
  Expr = 9,
  ExprKids = 10,
  Rules = 11,
  PrefGroups = 12,
  PrefLits = 13,
  Frags = 14,
  Options = 15,
  Threats = 16,
  PrefMembers = 17,
  ViewRules = 18,
  FieldTypes = 19,
  PrefOrder = 20,
  Sequences = 21,
  SeqStages = 22,
  EsqlPipes = 23,
  EsqlOutputs = 24,
  EsqlDfas = 25,
  EsqlPikes = 26,
  EsqlStats = 27,
}

export const SLOT_SIZE = 16;
export const PLAN_SIZE = 16;
export const NODE_SIZE = 16;
export const EDGE_SIZE = 12;
export const REF_SIZE = 4;
export const CONST_SIZE = 12;
export const LEAF_SIZE = 16;
export const EXPR_SIZE = 12;
export const RULE_SIZE = 80;
export const PREF_GROUP_SIZE = 8;
export const PREF_LIT_SIZE = 8;
export const FRAG_SIZE = 8;
export const THREAT_SIZE = 12;
export const OPTIONS_SIZE = 64;
export const VIEW_RULE_SIZE = 20;
export const FIELD_TYPE_SIZE = 12;
export const SEQUENCE_SIZE = 32;
/** Sequence flags (offset 24). */
export const SEQUENCE_FLAG_UNTIL = 1;
export const SEQ_STAGE_SIZE = 16;
/** Rule flags (rule entry offset 12). */
export const RULE_FLAG_NEW_TERMS = 1;
export const RULE_FLAG_SEQUENCE = 2;
/** Rule flag: an ES|QL pipeline runs after the rule's expression (its entry index at offset 76). */
export const RULE_FLAG_ESQL = 4;
/** Rule flag: the ES|QL rule aggregates with STATS … BY (its window in section 27). */
export const RULE_FLAG_ESQL_STATS = 8;
export const ESQL_PIPE_SIZE = 20;
export const ESQL_OUTPUT_SIZE = 12;
export const ESQL_DFA_SIZE = 24;
export const ESQL_PIKE_SIZE = 12;
export const ESQL_STATS_SIZE = 24;

/** Value types of a slot (how its values are compared). */
export enum SlotType {
  Keyword = 0,
  Text = 1,
  Number = 2,
  Integer = 3,
  Boolean = 4,
  Date = 5,
  Ip = 6,
}

/** The Elasticsearch numeric type of a Number/Integer slot (slot flags byte): how values are rounded and bounded. */
export enum NumericKind {
  Double = 0, // double, scaled_float
  Float = 1,
  HalfFloat = 2,
  Long = 3,
  Integer = 4,
  Short = 5,
  Byte = 6,
  UnsignedLong = 7,
}
export const NUMERIC_KIND: Record<string, NumericKind> = {
  double: NumericKind.Double,
  scaled_float: NumericKind.Double,
  float: NumericKind.Float,
  half_float: NumericKind.HalfFloat,
  long: NumericKind.Long,
  integer: NumericKind.Integer,
  short: NumericKind.Short,
  byte: NumericKind.Byte,
  unsigned_long: NumericKind.UnsignedLong,
};

/** Plans: how one record shape maps onto the slots. */
export enum Plan {
  Ecs = 0,
  Raw = 1,
  Gke = 2,
  AksObject = 3,
}
export const PLAN_DROP_EMPTY = 1;

/** Node flags. */
export const NODE_DEDOT_KEYS = 1; // keys of this object are matched whole, with '.' read as '_'
export const NODE_NESTED = 2; // a nested path: each object element is one group; bits 8-15 = nested id
/** Exists on an object field (`f:*`): every scalar inside a container at or below this node is recorded with its path. */
export const NODE_RECORD_BELOW = 4;
/** As NODE_RECORD_BELOW, and a scalar at this node itself too (a renamed copy into the object). */
export const NODE_RECORD_AT = 8;

/** Transforms applied to a value on its way into a slot. */
export enum Transform {
  Identity = 0,
  Outcome = 1, // allow -> success, forbid -> failure, else dropped
  IpList = 2, // the pipeline's convert-to-ip: one value that is not an IP string voids the whole field
}

/** Slot flags (u16 at offset 2). */
export const SLOT_VOID_ON_INVALID = 1;
export const SLOT_AKS_METADATA = 2; // the AKS plan's values of this slot (from the wrapper) replace the event's own when the event is a string // a value marked invalid (Transform.IpList) means the field has no values

/** Leaf predicate operations. */
export enum Op {
  Never = 0,
  Exists = 1,
  KwEq = 2,
  KwPrefix = 3,
  KwSuffix = 4,
  KwContains = 5,
  KwGlob = 6,
  KwRange = 7,
  NumRange = 8,
  BoolEq = 9,
  DateRange = 10,
  IpRange = 11,
  TextAny = 12,
  TextPhrase = 13,
  TextGlob = 14,
  TextRange = 15,
  AnyField = 16, // field-less value or wildcard field name: any leaf of the view (matching a pattern), under its own type
  KwWildcard = 17, // EQL wildcard (keyword): the pattern's bytes, `*` any sequence, `?` one character
  SingleValued = 18, // ES|QL: the slot holds exactly one indexed value (keyword and ip: one distinct value); no operand
  KwIn = 19, // keyword: equals one of the terms (an `or` of eq leaves on one field, merged): each u32 length + bytes
}

/** Range bound flags (KwRange, NumRange, DateRange, IpRange). */
export const RANGE_HAS_LO = 1;
export const RANGE_LO_INCL = 2;
export const RANGE_HAS_HI = 4;
export const RANGE_HI_INCL = 8;
export const RANGE_LO_NOW = 16; // date bound relative to the record's event time
export const RANGE_HI_NOW = 32;

/** Expression node operations. */
export enum ExprOp {
  False = 0,
  True = 1,
  Leaf = 2,
  And = 3,
  Or = 4,
  Not = 5,
  Nested = 6,
}

/** Fragments of pre-rendered JSON per rule, in this order. */
export enum Frag {
  Id = 0,
  Name = 1,
  Version = 2,
  Category = 3,
  Ruleset = 4,
  Author = 5,
  License = 6,
  Reference = 7,
  AlertHead = 8, // `{"rule_id":...,"tags":[...]` without the closing brace
  NewTermsFields = 9, // `["f1","f2"]`
  KibanaName = 10,
  Description = 11,
  Count = 12,
}

/** Threat entry kinds (each is one value of one ECS threat field). */
export enum ThreatField {
  Framework = 0,
  TacticId = 1,
  TacticName = 2,
  TacticReference = 3,
  TechniqueId = 4,
  TechniqueName = 5,
  TechniqueReference = 6,
  SubtechniqueId = 7,
  SubtechniqueName = 8,
  SubtechniqueReference = 9,
  Count = 10,
}

export enum OutputMode {
  Tag = 0,
  AlertsOnly = 1,
}

export const NO_SLOT = 0xffffffff;

/**
 * Reserved slots every program has, used to recognise the record's shape and its event time.
 * Probes up to AksTime are read on the record as it is (plan Ecs); the last three are fields of the
 * ECS view, read through whichever plan fits the record.
 */
export enum Probe {
  Kind = 0, // kind (raw audit: "Event")
  ApiVersion = 1, // apiVersion (raw audit: "audit.k8s.io/...")
  Log = 2, // log (a raw event carried as a string)
  Message = 3, // message (same)
  Category = 4, // category (AKS: kube-audit, kube-audit-admin)
  PropertiesLog = 5, // properties.log (AKS: the event as a string or an object)
  ProtoType = 6, // protoPayload.@type (GKE)
  Timestamp = 7, // @timestamp
  AuditId = 8, // auditID (raw audit events without apiVersion)
  PropertiesLogKind = 9, // properties.log.kind (AKS object)
  PropertiesLogApiVersion = 10,
  AksTime = 11, // time (AKS wrapper)
  PropertiesLogAuditId = 12,
  ViewStageTimestamp = 13, // kubernetes.audit.stageTimestamp in the view
  ViewRequestReceivedTimestamp = 14,
  ViewTimestamp = 15, // kubernetes.audit.timestamp (older audit format)
  AllLeaves = 16, // every scalar of the record with its path (only when the program asks for it)
  Scratch = 17, // values made up during evaluation (a transformed leaf)
  Count = 18,
}

/** Option flags (options offset 32). */
export const OPTION_DESCRIPTION = 4;
export const OPTION_KIBANA_FIELDS = 8;
export const OPTION_ALL_LEAVES = 256; // record every scalar with its path (field-less values, wildcard field names)

/** View rules: how a plan names a record path in the ECS view (field-less values, wildcard field names). */
export enum ViewRule {
  Prefix = 0, // path == raw or starts with raw + '.': the view path is view + the rest (the first Prefix/Drop that applies decides)
  Drop = 1, // not in the view
  Copy = 2, // path == raw: also in the view as `view` (renamed copies, pipeline-added fields)
}
export const VIEW_DEDOT = 1; // Prefix: '.' in the rest read as '_' (annotation keys)
export const VIEW_OUTCOME = 2; // Copy: allow -> success, forbid -> failure
export const VIEW_IP_LIST = 4; // Copy: only when every value at the path is an IP string

/** Type signatures of the field table (how a leaf of the view is compared); one dummy slot each. */
export enum TypeSig {
  Keyword = 0,
  ConstantKeyword = 1,
  Text = 2,
  Boolean = 3,
  Date = 4,
  Ip = 5,
  Double = 6,
  Float = 7,
  HalfFloat = 8,
  Long = 9,
  Integer = 10,
  Short = 11,
  Byte = 12,
  UnsignedLong = 13,
  Count = 14,
}
