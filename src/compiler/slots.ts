// The slot table: one slot per field the program reads. Slots 0..Probe.Count-1 are the fields the
// evaluator itself reads to recognise a record's shape and its event time.
import { Plan, Probe, SlotType, SLOT_VOID_ON_INVALID, SLOT_AKS_METADATA, TypeSig } from './format.js';
import type { FieldTable } from '../fields/table.js';
import type { SlotIR, SourceIR, ConstIR } from './ir.js';
import { sourcesOf, constantOf, IP_LIST_FIELDS, isAksMetadata } from './ecs-sources.js';

/** Probes read on the record as it is (plan Ecs only). */
const RECORD_PROBES: Record<number, string> = {
  [Probe.Kind]: 'kind',
  [Probe.ApiVersion]: 'apiVersion',
  [Probe.Log]: 'log',
  [Probe.Message]: 'message',
  [Probe.Category]: 'category',
  [Probe.PropertiesLog]: 'properties.log',
  [Probe.ProtoType]: 'protoPayload.@type',
  [Probe.Timestamp]: '@timestamp',
  [Probe.AuditId]: 'auditID',
  [Probe.PropertiesLogKind]: 'properties.log.kind',
  [Probe.PropertiesLogApiVersion]: 'properties.log.apiVersion',
  [Probe.AksTime]: 'time',
  [Probe.PropertiesLogAuditId]: 'properties.log.auditID',
};

/** Probes that are fields of the ECS view (every plan's sources). */
const VIEW_PROBES: Record<number, string> = {
  [Probe.ViewStageTimestamp]: 'kubernetes.audit.stageTimestamp',
  [Probe.ViewRequestReceivedTimestamp]: 'kubernetes.audit.requestReceivedTimestamp',
  [Probe.ViewTimestamp]: 'kubernetes.audit.timestamp',
};

/** The evaluator's own view of a type: how values are compared. */
export function slotTypeOf(esType: string): SlotType {
  switch (esType) {
    case 'text':
    case 'match_only_text':
      return SlotType.Text;
    case 'long':
    case 'integer':
    case 'short':
    case 'byte':
    case 'unsigned_long':
      return SlotType.Integer;
    case 'double':
    case 'float':
    case 'half_float':
    case 'scaled_float':
      return SlotType.Number;
    case 'boolean':
      return SlotType.Boolean;
    case 'date':
      return SlotType.Date;
    case 'ip':
      return SlotType.Ip;
    default:
      return SlotType.Keyword;
  }
}

export class SlotTable {
  readonly slots: SlotIR[] = [];
  readonly sources: SourceIR[] = [];
  readonly consts: ConstIR[] = [];
  private readonly byName = new Map<string, number>();

  constructor(private readonly fields: FieldTable) {
    for (let p = 0; p < Probe.Count; p++) {
      const recordProbe = RECORD_PROBES[p];
      if (p === Probe.AllLeaves || p === Probe.Scratch) {
        // Filled by the evaluator itself (every scalar with its path; made-up values), never by a path.
        this.slots.push({ name: p === Probe.AllLeaves ? '(record) every scalar' : '(scratch)', type: SlotType.Keyword, esType: 'keyword', ignoreAbove: 0, flags: 0 });
      } else if (recordProbe !== undefined) {
        // Read as plain keyword values; their names are not ECS fields, so rules never share them.
        this.slots.push({ name: `(record) ${recordProbe}`, type: SlotType.Keyword, esType: 'keyword', ignoreAbove: 0, flags: 0 });
        this.sources.push({ plan: Plan.Ecs, slot: p, path: recordProbe.split('.'), dedotLast: false, transform: 0 });
      } else {
        const slot = this.slotOf(VIEW_PROBES[p]);
        if (slot !== p) throw new Error('internal error: view probe slots out of order');
      }
    }
  }

  private readonly typeSlots = new Map<TypeSig, number>();

  /** A slot without sources standing for one type signature (the type of a leaf found by path). */
  typeSlot(sig: TypeSig): number {
    const known = this.typeSlots.get(sig);
    if (known !== undefined) return known;
    const esType = TYPE_SIG_ES_TYPE[sig];
    const slot = this.slots.length;
    this.slots.push({
      name: `(type) ${esType}`,
      type: slotTypeOf(esType),
      esType,
      ignoreAbove: sig === TypeSig.Keyword ? this.fields.ignoreAbove : 0,
      flags: 0,
    });
    this.typeSlots.set(sig, slot);
    return slot;
  }

  /** The slot of a field, created on first use with its sources in every plan. */
  slotOf(name: string): number {
    const known = this.byName.get(name);
    if (known !== undefined) return known;
    const esType = this.fields.typeOf(name);
    const type = slotTypeOf(esType);
    const slot = this.slots.length;
    this.byName.set(name, slot);
    this.slots.push({ name, type, esType, ignoreAbove: esType === 'keyword' ? this.fields.ignoreAbove : 0, flags: (IP_LIST_FIELDS.has(name) ? SLOT_VOID_ON_INVALID : 0) | (isAksMetadata(name) ? SLOT_AKS_METADATA : 0) });
    for (const s of sourcesOf(name)) this.sources.push({ ...s, slot });
    const constant = constantOf(name);
    if (constant !== undefined) for (const plan of [Plan.Raw, Plan.Gke, Plan.AksObject]) this.consts.push({ plan, slot, value: constant });
    return slot;
  }
}

/** The Elasticsearch type each signature stands for. */
export const TYPE_SIG_ES_TYPE: Record<TypeSig, string> = {
  [TypeSig.Keyword]: 'keyword',
  [TypeSig.ConstantKeyword]: 'constant_keyword',
  [TypeSig.Text]: 'text',
  [TypeSig.Boolean]: 'boolean',
  [TypeSig.Date]: 'date',
  [TypeSig.Ip]: 'ip',
  [TypeSig.Double]: 'double',
  [TypeSig.Float]: 'float',
  [TypeSig.HalfFloat]: 'half_float',
  [TypeSig.Long]: 'long',
  [TypeSig.Integer]: 'integer',
  [TypeSig.Short]: 'short',
  [TypeSig.Byte]: 'byte',
  [TypeSig.UnsignedLong]: 'unsigned_long',
  [TypeSig.Count]: 'keyword',
};

/** The signature of an Elasticsearch type (object/nested scalars are keyword). */
export function typeSigOf(esType: string): TypeSig {
  switch (esType) {
    case 'constant_keyword': return TypeSig.ConstantKeyword;
    case 'text': case 'match_only_text': return TypeSig.Text;
    case 'boolean': return TypeSig.Boolean;
    case 'date': return TypeSig.Date;
    case 'ip': return TypeSig.Ip;
    case 'double': case 'scaled_float': return TypeSig.Double;
    case 'float': return TypeSig.Float;
    case 'half_float': return TypeSig.HalfFloat;
    case 'long': return TypeSig.Long;
    case 'integer': return TypeSig.Integer;
    case 'short': return TypeSig.Short;
    case 'byte': return TypeSig.Byte;
    case 'unsigned_long': return TypeSig.UnsignedLong;
    default: return TypeSig.Keyword;
  }
}
