// Does a record start exactly as Fluent Bit writes a raw Kubernetes audit event? Then its first two
// members are kind "Event" and an apiVersion "audit.k8s.io/...", which decides the raw shape whatever
// follows (shape.ts: any value of the probes counts): the rules read the record itself, never a
// document embedded in one of its strings.

/** `{"kind":"Event","apiVersion":"audit.k8s.io/`: 43 bytes. */
export const RAW_AUDIT_START_LENGTH: usize = 43;

/** Compared as five words, a half-word and a byte (no loop: the prefilter asks this of every record it rejects). */
export function startsAsRawAudit(p: usize, n: usize): bool {
  return n >= RAW_AUDIT_START_LENGTH &&
    load<u64>(p) == 0x3a22646e696b227b && // {"kind":
    load<u64>(p, 8) == 0x2c22746e65764522 && // "Event",
    load<u64>(p, 16) == 0x7372655669706122 && // "apiVers
    load<u64>(p, 24) == 0x7561223a226e6f69 && // ion":"au
    load<u64>(p, 32) == 0x2e73386b2e746964 && // dit.k8s.
    load<u16>(p, 40) == 0x6f69 && // io
    load<u8>(p, 42) == 0x2f; // /
}
