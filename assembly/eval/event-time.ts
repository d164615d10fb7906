// The event time of a record, in the order new-terms.md fixes (docs/semantics.md, "Event time"):
// the rule's timestamp_override field if the record itself carries it, `@timestamp`, then the
// audit event's stageTimestamp, requestReceivedTimestamp, timestamp (AKS: the wrapper's `time`),
// then the host's record time. The module never reads a clock.
import { Plan, Probe } from '../program/format';
import { firstValue, nextValue, valuePtr, valueLen, valueKind, KIND_STR, KIND_NUM, NONE } from './values';
import { parseDate, BAD_DATE } from '../values/date';
import { shape, shapeDoc, shapePlan, SHAPE_ECS, SHAPE_AKS } from './shape';

function firstDate(doc: u32, plan: u32, slot: u32): i64 {
  for (let v = firstValue(doc, plan, slot); v != NONE; v = nextValue(v)) {
    const k = valueKind(v);
    if (k != KIND_STR && k != KIND_NUM) continue;
    const t = parseDate(valuePtr(v), valueLen(v), k == KIND_NUM);
    if (t != BAD_DATE) return t;
  }
  return BAD_DATE;
}

/** Event time in ms for a rule whose timestamp_override is `overrideSlot` (0xffffffff: none). */
export function eventTime(overrideSlot: u32, hostTimeMs: i64): i64 {
  let t: i64 = BAD_DATE;
  if (overrideSlot != 0xffffffff) {
    t = firstDate(0, Plan.Ecs, overrideSlot);
    if (t != BAD_DATE) return t;
  }
  t = firstDate(0, Plan.Ecs, Probe.Timestamp);
  if (t != BAD_DATE) return t;
  if (shape != SHAPE_ECS) {
    // Fields of the ECS view (for GKE: the entry's timestamp and receiveTimestamp, moved there).
    t = firstDate(shapeDoc, shapePlan, Probe.ViewStageTimestamp);
    if (t != BAD_DATE) return t;
    t = firstDate(shapeDoc, shapePlan, Probe.ViewRequestReceivedTimestamp);
    if (t != BAD_DATE) return t;
    t = firstDate(shapeDoc, shapePlan, Probe.ViewTimestamp);
    if (t != BAD_DATE) return t;
    if (shape == SHAPE_AKS) {
      t = firstDate(0, Plan.Ecs, Probe.AksTime);
      if (t != BAD_DATE) return t;
    }
  }
  return hostTimeMs;
}
