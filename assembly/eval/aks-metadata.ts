// AKS records whose audit event is a JSON string: the event is scanned as document 1 and read through
// the raw plan, but `kubernetes.audit.aks_metadata.*` come from the wrapper (document 0), which the
// AKS plan reads. Their values are moved over, replacing the event's own, with empty strings dropped
// as the audit view drops them (docs/semantics.md, section 2, AKS).
import { slots, slotCount } from '../program/program';
import { SLOT_SIZE, SLOT_AKS_METADATA, Plan } from '../program/format';
import { firstValue, nextValue, valuePtr, valueLen, valueKind, valueGroup, addValue, clearSlot, selectDocument, NONE, KIND_STR } from './values';

/** Copies the wrapper's aks_metadata values into document 1 (raw plan); false when memory is short. */
export function copyAksMetadata(): bool {
  let ok = true;
  selectDocument(1);
  for (let s: u32 = 0; s < slotCount; s++) {
    if (!(<u32>load<u16>(slots + <usize>s * SLOT_SIZE, 2) & SLOT_AKS_METADATA)) continue;
    clearSlot(1, Plan.Raw, s);
    for (let v = firstValue(0, Plan.AksObject, s); v != NONE; v = nextValue(v)) {
      if (valueKind(v) == KIND_STR && valueLen(v) == 0) continue;
      if (!addValue(Plan.Raw, s, valuePtr(v), valueLen(v), valueKind(v), valueGroup(v))) ok = false;
    }
  }
  selectDocument(0);
  return ok;
}
