// Does a record start exactly as Fluent Bit writes a raw Kubernetes audit event? Then its first two
// members are kind "Event" and an apiVersion "audit.k8s.io/...", which decides the raw shape whatever
// follows (shape.ts: any value of the probes counts): the rules read the record itself, never a
// document embedded in one of its strings. One comparison of the first 43 bytes.
import { bytesEqual } from '../json/strings';

const RAW_AUDIT_START = '{"kind":"Event","apiVersion":"audit.k8s.io/';
const RAW_AUDIT_START_BYTES = memory.data<u8>([123, 34, 107, 105, 110, 100, 34, 58, 34, 69, 118, 101, 110, 116, 34, 44, 34, 97, 112, 105, 86, 101, 114, 115, 105, 111, 110, 34, 58, 34, 97, 117, 100, 105, 116, 46, 107, 56, 115, 46, 105, 111, 47]);

export function startsAsRawAudit(p: usize, n: usize): bool {
  const m = <usize>RAW_AUDIT_START.length;
  return n >= m && bytesEqual(p, RAW_AUDIT_START_BYTES, m);
}
