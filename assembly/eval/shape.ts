// Which document of a record the rules see, and through which plan (docs/semantics.md, "Record shapes"):
// a raw audit event (kind "Event", apiVersion "audit.k8s.io/..."), a GKE LogEntry, an AKS wrapper,
// an audit event carried as a JSON string in `log` / `message`, or anything else evaluated as is (ECS).
import { Plan, Probe } from '../program/format';
import { firstValue, nextValue, valuePtr, valueLen, valueKind, KIND_STR, NONE, selectDocument, clearDocument1 } from './values';
import { bytesEqual } from '../json/strings';
import { scanDocument } from '../json/scanner';

const EVENT = memory.data<u8>([69, 118, 101, 110, 116]); // "Event"
const AUDIT_PREFIX = memory.data<u8>([97, 117, 100, 105, 116, 46, 107, 56, 115, 46, 105, 111, 47]); // "audit.k8s.io/"
const GKE_TYPE_STR = 'type.googleapis.com/google.cloud.audit.AuditLog';
const GKE_TYPE = memory.data<u8>([116, 121, 112, 101, 46, 103, 111, 111, 103, 108, 101, 97, 112, 105, 115, 46, 99, 111, 109, 47, 103, 111, 111, 103, 108, 101, 46, 99, 108, 111, 117, 100, 46, 97, 117, 100, 105, 116, 46, 65, 117, 100, 105, 116, 76, 111, 103]);
const KUBE_AUDIT = memory.data<u8>([107, 117, 98, 101, 45, 97, 117, 100, 105, 116]); // "kube-audit"
const KUBE_AUDIT_ADMIN = memory.data<u8>([107, 117, 98, 101, 45, 97, 117, 100, 105, 116, 45, 97, 100, 109, 105, 110]);

export const SHAPE_ECS: u32 = 0;
export const SHAPE_RAW: u32 = 1;
export const SHAPE_GKE: u32 = 2;
export const SHAPE_AKS: u32 = 3;
export const SHAPE_EMBEDDED: u32 = 4;

/** Result of the decision. */
export let shape: u32 = SHAPE_ECS;
export let shapeDoc: u32 = 0;
export let shapePlan: u32 = Plan.Ecs;

/** Does probe `probe` of document `doc` have a string value equal to the given bytes? */
function probeEquals(doc: u32, probe: u32, p: usize, n: usize): bool {
  for (let v = firstValue(doc, Plan.Ecs, probe); v != NONE; v = nextValue(v)) {
    if (valueKind(v) == KIND_STR && <usize>valueLen(v) == n && bytesEqual(valuePtr(v), p, n)) return true;
  }
  return false;
}

function probeStartsWith(doc: u32, probe: u32, p: usize, n: usize): bool {
  for (let v = firstValue(doc, Plan.Ecs, probe); v != NONE; v = nextValue(v)) {
    if (valueKind(v) == KIND_STR && <usize>valueLen(v) >= n && bytesEqual(valuePtr(v), p, n)) return true;
  }
  return false;
}

function hasString(doc: u32, probe: u32): bool {
  for (let v = firstValue(doc, Plan.Ecs, probe); v != NONE; v = nextValue(v)) if (valueKind(v) == KIND_STR) return true;
  return false;
}

/**
 * A raw audit event: kind "Event" and either apiVersion "audit.k8s.io/..." or no apiVersion at all and a
 * string auditID (some recorders drop apiVersion). The probes may be the top level or properties.log.
 */
function rawAuditBy(doc: u32, kind: u32, apiVersion: u32, auditId: u32): bool {
  if (!probeEquals(doc, kind, EVENT, 5)) return false;
  if (firstValue(doc, Plan.Ecs, apiVersion) != NONE) return probeStartsWith(doc, apiVersion, AUDIT_PREFIX, 13);
  return hasString(doc, auditId);
}

function isRawAudit(doc: u32): bool {
  return rawAuditBy(doc, Probe.Kind, Probe.ApiVersion, Probe.AuditId);
}

/** Scans the string value of probe `probe` (document 0) as document 1; true when it is a raw audit event. */
function tryEmbedded(probe: u32): bool {
  for (let v = firstValue(0, Plan.Ecs, probe); v != NONE; v = nextValue(v)) {
    if (valueKind(v) != KIND_STR) continue;
    const p = valuePtr(v);
    const n = <usize>valueLen(v);
    selectDocument(1);
    const ok = scanDocument(p, p + n, false);
    selectDocument(0);
    if (ok && isRawAudit(1)) return true;
    clearDocument1();
  }
  return false;
}

/** Decides the shape of the record just scanned as document 0 (may scan an embedded event as document 1). */
export function decideShape(): void {
  shapeDoc = 0;
  if (isRawAudit(0)) {
    shape = SHAPE_RAW;
    shapePlan = Plan.Raw;
    return;
  }
  if (probeEquals(0, Probe.ProtoType, GKE_TYPE, GKE_TYPE_STR.length)) {
    shape = SHAPE_GKE;
    shapePlan = Plan.Gke;
    return;
  }
  if (probeEquals(0, Probe.Category, KUBE_AUDIT, 10) || probeEquals(0, Probe.Category, KUBE_AUDIT_ADMIN, 16)) {
    if (rawAuditBy(0, Probe.PropertiesLogKind, Probe.PropertiesLogApiVersion, Probe.PropertiesLogAuditId)) {
      // properties.log is the event as an object: the AKS plan reads it in place.
      shape = SHAPE_AKS;
      shapePlan = Plan.AksObject;
      return;
    }
    if (tryEmbedded(Probe.PropertiesLog)) {
      shape = SHAPE_AKS;
      shapeDoc = 1;
      shapePlan = Plan.Raw;
      return;
    }
  }
  if (tryEmbedded(Probe.Log) || tryEmbedded(Probe.Message)) {
    shape = SHAPE_EMBEDDED;
    shapeDoc = 1;
    shapePlan = Plan.Raw;
    return;
  }
  shape = SHAPE_ECS;
  shapePlan = Plan.Ecs;
}
