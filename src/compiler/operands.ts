// Encoding of leaf operands into bytes (layouts in docs/program-format.md).
const encoder = new TextEncoder();

export function utf8(s: string): Uint8Array {
  return encoder.encode(s);
}

export function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export function u32(v: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, v >>> 0, true);
  return b;
}

export function f64pair(lo: number, hi: number): Uint8Array {
  const b = new Uint8Array(16);
  const v = new DataView(b.buffer);
  v.setFloat64(0, lo, true);
  v.setFloat64(8, hi, true);
  return b;
}

/** Date range operand: i64 lo, i64 hi, u32 loSpec, u32 hiSpec, 8 bytes reserved. */
export function dateOperand(lo: number, hi: number, loSpec: number, hiSpec: number): Uint8Array {
  const b = new Uint8Array(32);
  const v = new DataView(b.buffer);
  v.setBigInt64(0, BigInt(Math.trunc(lo)), true);
  v.setBigInt64(8, BigInt(Math.trunc(hi)), true);
  v.setUint32(16, loSpec >>> 0, true);
  v.setUint32(20, hiSpec >>> 0, true);
  return b;
}

/** A list of byte strings, each as u32 length + bytes (glob parts, text tokens). */
export function lengthPrefixed(items: string[]): Uint8Array {
  return concat(items.flatMap((s) => {
    const b = utf8(s);
    return [u32(b.length), b];
  }));
}
