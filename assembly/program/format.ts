// Binary layout of a compiled rule program, version 1: the same numbers as src/compiler/format.ts
// (docs/program-format.md). Change both together.

export const PROGRAM_MAGIC: u32 = 0x5045514b; // "KQEP" little-endian
export const PROGRAM_VERSION: u32 = 1;
export const HEADER_SIZE: u32 = 16;
export namespace Section {
  export const Data: u32 = 1;
  export const Slots: u32 = 2;
  export const Plans: u32 = 3;
  export const Nodes: u32 = 4;
  export const Edges: u32 = 5;
  export const Refs: u32 = 6;
  export const Consts: u32 = 7;
  export const Leaves: u32 = 8;
  export const Expr: u32 = 9;
  export const ExprKids: u32 = 10;
  export const Rules: u32 = 11;
  export const PrefGroups: u32 = 12;
  export const PrefLits: u32 = 13;
  export const Frags: u32 = 14;
  export const Options: u32 = 15;
  export const Threats: u32 = 16;
  export const PrefMembers: u32 = 17;
  export const ViewRules: u32 = 18;
  export const FieldTypes: u32 = 19;
  export const PrefOrder: u32 = 20;
  export const Sequences: u32 = 21;
  export const SeqStages: u32 = 22;
  export const EsqlPipes: u32 = 23;
  export const EsqlOutputs: u32 = 24;
  export const EsqlDfas: u32 = 25;
  export const EsqlPikes: u32 = 26;
  export const EsqlStats: u32 = 27;
}
export const SLOT_SIZE: u32 = 16;
export const PLAN_SIZE: u32 = 16;
export const NODE_SIZE: u32 = 16;
export const EDGE_SIZE: u32 = 12;
export const REF_SIZE: u32 = 4;
export const CONST_SIZE: u32 = 12;
export const LEAF_SIZE: u32 = 16;
export const EXPR_SIZE: u32 = 12;
export const RULE_SIZE: u32 = 80;
export const PREF_GROUP_SIZE: u32 = 8;
export const PREF_LIT_SIZE: u32 = 8;
export const FRAG_SIZE: u32 = 8;
export const THREAT_SIZE: u32 = 12;
export const OPTIONS_SIZE: u32 = 64;
export const VIEW_RULE_SIZE: u32 = 20;
export const FIELD_TYPE_SIZE: u32 = 12;
export const SEQUENCE_SIZE: u32 = 32;
/** Sequence flags (offset 24): 1 = an until stage follows the stages. */
export const SEQUENCE_FLAG_UNTIL: u32 = 1;
export const SEQ_STAGE_SIZE: u32 = 16;
/** Rule flag (rule entry offset 12): an EQL sequence (its entry index at offset 72). */
export const RULE_FLAG_SEQUENCE: u32 = 2;
/** Rule flag: an ES|QL pipeline runs after the rule's expression (its entry index at offset 76). */
export const RULE_FLAG_ESQL: u32 = 4;
/** Rule flag: the ES|QL rule aggregates with STATS … BY (its window in section 27, by pipeline index). */
export const RULE_FLAG_ESQL_STATS: u32 = 8;
export const ESQL_STATS_SIZE: u32 = 24;
export const ESQL_PIPE_SIZE: u32 = 20;
export const ESQL_OUTPUT_SIZE: u32 = 12;
export const ESQL_DFA_SIZE: u32 = 24;
export const ESQL_PIKE_SIZE: u32 = 12;
/** Value types of a slot (how its values are compared). */
export namespace SlotType {
  export const Keyword: u32 = 0;
  export const Text: u32 = 1;
  export const Number: u32 = 2;
  export const Integer: u32 = 3;
  export const Boolean: u32 = 4;
  export const Date: u32 = 5;
  export const Ip: u32 = 6;
}
/** The Elasticsearch numeric type of a Number/Integer slot (slot flags byte). */
export namespace NumericKind {
  export const Double: u32 = 0;
  export const Float: u32 = 1;
  export const HalfFloat: u32 = 2;
  export const Long: u32 = 3;
  export const Integer: u32 = 4;
  export const Short: u32 = 5;
  export const Byte: u32 = 6;
  export const UnsignedLong: u32 = 7;
}
/** Plans: how one record shape maps onto the slots. */
export namespace Plan {
  export const Ecs: u32 = 0;
  export const Raw: u32 = 1;
  export const Gke: u32 = 2;
  export const AksObject: u32 = 3;
}
export const PLAN_DROP_EMPTY: u32 = 1;
/** Node flags. */
export const NODE_DEDOT_KEYS: u32 = 1; // keys of this object are matched whole, with '.' read as '_'
export const NODE_NESTED: u32 = 2; // a nested path: each object element is one group; bits 8-15 = nested id
export const NODE_RECORD_BELOW: u32 = 4; // exists on an object field: scalars inside containers at/below here are recorded with their paths
export const NODE_RECORD_AT: u32 = 8; // as NODE_RECORD_BELOW, and a scalar at this node too
/** Transforms applied to a value on its way into a slot. */
export namespace Transform {
  export const Identity: u32 = 0;
  export const Outcome: u32 = 1; // allow -> success, forbid -> failure, else dropped
  export const IpList: u32 = 2; // a value that is not an IP string voids the whole field
}
export const SLOT_VOID_ON_INVALID: u32 = 1;
export const SLOT_AKS_METADATA: u32 = 2; // AKS: the wrapper's values (AKS plan, document 0) replace the string event's own
/** Leaf predicate operations. */
export namespace Op {
  export const Never: u32 = 0;
  export const Exists: u32 = 1;
  export const KwEq: u32 = 2;
  export const KwPrefix: u32 = 3;
  export const KwSuffix: u32 = 4;
  export const KwContains: u32 = 5;
  export const KwGlob: u32 = 6;
  export const KwRange: u32 = 7;
  export const NumRange: u32 = 8;
  export const BoolEq: u32 = 9;
  export const DateRange: u32 = 10;
  export const IpRange: u32 = 11;
  export const TextAny: u32 = 12;
  export const TextPhrase: u32 = 13;
  export const TextGlob: u32 = 14;
  export const TextRange: u32 = 15;
  export const AnyField: u32 = 16;
  export const KwWildcard: u32 = 17;
  export const SingleValued: u32 = 18; // ES|QL: the slot holds exactly one value (keyword, ip: one distinct value)
  export const KwIn: u32 = 19; // keyword: equals one of the terms (each u32 length + bytes)
}
/** Range bound flags (KwRange, NumRange, DateRange, IpRange). */
export const RANGE_HAS_LO: u32 = 1;
export const RANGE_LO_INCL: u32 = 2;
export const RANGE_HAS_HI: u32 = 4;
export const RANGE_HI_INCL: u32 = 8;
export const RANGE_LO_NOW: u32 = 16; // date bound relative to the record's event time
export const RANGE_HI_NOW: u32 = 32;
/** Expression node operations. */
export namespace ExprOp {
  export const False: u32 = 0;
  export const True: u32 = 1;
  export const Leaf: u32 = 2;
  export const And: u32 = 3;
  export const Or: u32 = 4;
  export const Not: u32 = 5;
  export const Nested: u32 = 6;
}
/** Fragments of pre-rendered JSON per rule, in this order. */
export namespace Frag {
  export const Id: u32 = 0;
  export const Name: u32 = 1;
  export const Version: u32 = 2;
  export const Category: u32 = 3;
  export const Ruleset: u32 = 4;
  export const Author: u32 = 5;
  export const License: u32 = 6;
  export const Reference: u32 = 7;
  export const AlertHead: u32 = 8; // `{"rule_id":...,"tags":[...]` without the closing brace
  export const NewTermsFields: u32 = 9; // `["f1","f2"]`
  export const KibanaName: u32 = 10;
  export const Description: u32 = 11;
  export const Count: u32 = 12;
}
/** Threat entry kinds (each is one value of one ECS threat field). */
export namespace ThreatField {
  export const Framework: u32 = 0;
  export const TacticId: u32 = 1;
  export const TacticName: u32 = 2;
  export const TacticReference: u32 = 3;
  export const TechniqueId: u32 = 4;
  export const TechniqueName: u32 = 5;
  export const TechniqueReference: u32 = 6;
  export const SubtechniqueId: u32 = 7;
  export const SubtechniqueName: u32 = 8;
  export const SubtechniqueReference: u32 = 9;
  export const Count: u32 = 10;
}
export namespace OutputMode {
  export const Tag: u32 = 0;
  export const AlertsOnly: u32 = 1;
}
export const NO_SLOT: u32 = 0xffffffff;
/** Reserved slots every program has, used to recognise the record's shape and its event time. */
export namespace Probe {
  export const Kind: u32 = 0;
  export const ApiVersion: u32 = 1;
  export const Log: u32 = 2;
  export const Message: u32 = 3;
  export const Category: u32 = 4;
  export const PropertiesLog: u32 = 5;
  export const ProtoType: u32 = 6;
  export const Timestamp: u32 = 7;
  export const AuditId: u32 = 8;
  export const PropertiesLogKind: u32 = 9;
  export const PropertiesLogApiVersion: u32 = 10;
  export const AksTime: u32 = 11;
  export const PropertiesLogAuditId: u32 = 12;
  export const ViewStageTimestamp: u32 = 13;
  export const ViewRequestReceivedTimestamp: u32 = 14;
  export const ViewTimestamp: u32 = 15;
  export const AllLeaves: u32 = 16;
  export const Scratch: u32 = 17;
  export const Count: u32 = 18;
}
export const OPTION_DESCRIPTION: u32 = 4;
export const OPTION_KIBANA_FIELDS: u32 = 8;
export const OPTION_ALL_LEAVES: u32 = 256;
export namespace ViewRule {
  export const Prefix: u32 = 0;
  export const Drop: u32 = 1;
  export const Copy: u32 = 2;
}
export const VIEW_DEDOT: u32 = 1;
export const VIEW_OUTCOME: u32 = 2;
export const VIEW_IP_LIST: u32 = 4;
export const TYPE_SIG_COUNT: u32 = 14;
