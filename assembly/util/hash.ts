// 64-bit non-cryptographic hash of a byte range in linear memory.
//
// Why hand-written: the New Terms state stores a hash of each term instead of the term, and the
// terms are byte ranges inside the record buffer the host hands us. AssemblyScript's own hashing
// only serves its managed Map/Set keys (strings, numbers), and no AssemblyScript hash package
// reads raw linear memory; decoding each value into a string first would allocate per record.
//
// Design (all arithmetic wraps modulo 2^64; no SIMD, no 128-bit products, which wasm lacks):
// - the state starts from the seed and the length, so inputs of different lengths start apart
//   and zero-padding of the tail cannot make two inputs equal;
// - each 8-byte little-endian word is premixed (multiply, rotate, multiply) and folded into the
//   state (xor, rotate, multiply, add); every step is a bijection, so for a fixed prefix two
//   different words always lead to different states;
// - the 1..7 tail bytes are gathered with loads that stay inside the range (two overlapping
//   4-byte loads for 4..7 bytes; first, middle and last byte for 1..3) into one more word;
// - a final avalanche (xor-shift / multiply, three rounds) makes every input bit reach every
//   output bit, so both the high and the low half of the result are usable as table indexes.
// The multipliers are odd 64-bit constants with well-spread bits, of the kind 64-bit mixers use.

const M1: u64 = 0x9E3779B97F4A7C15;
const M2: u64 = 0xC2B2AE3D27D4EB4F;
const M3: u64 = 0x165667B19E3779F9;
const M4: u64 = 0xBF58476D1CE4E5B9;
const M5: u64 = 0x94D049BB133111EB;

/** Tells a combined multi-field hash apart from a single-field one with the same bits. */
const COMBINE_SEPARATOR: u64 = 0x2D358DCCAA6C78A5;

// @ts-ignore: decorator
@inline function premix(word: u64): u64 {
  return rotl<u64>(word * M2, 31) * M1;
}

// @ts-ignore: decorator
@inline function fold(state: u64, word: u64): u64 {
  return rotl<u64>(state ^ premix(word), 27) * M3 + M4;
}

// @ts-ignore: decorator
@inline function avalanche(x: u64): u64 {
  x ^= x >> 30;
  x *= M4;
  x ^= x >> 27;
  x *= M5;
  x ^= x >> 31;
  return x;
}

/** Hashes the `len` bytes at `ptr`. Reads nothing outside [ptr, ptr + len); allocates nothing. */
export function hashBytes(ptr: usize, len: usize, seed: u64): u64 {
  let state: u64 = (seed ^ M5) * M1 + <u64>len * M2;
  const end = ptr + (len & ~<usize>7);
  while (ptr < end) {
    state = fold(state, load<u64>(ptr));
    ptr += 8;
  }
  const rest = len & 7;
  if (rest >= 4) {
    const low = <u64>load<u32>(ptr);
    const high = <u64>load<u32>(ptr + rest - 4);
    state = fold(state, low | (high << 32));
  } else if (rest > 0) {
    const first = <u64>load<u8>(ptr);
    const middle = <u64>load<u8>(ptr + (rest >> 1));
    const last = <u64>load<u8>(ptr + rest - 1);
    state = fold(state, first | (middle << 8) | (last << 16));
  }
  return avalanche(state ^ <u64>len);
}

/**
 * Adds the hash `value` of the next field to the running hash `acc` of the previous fields.
 * Multi-field terms: `acc = hashBytes(f1)`, then `acc = hashCombine(acc, hashBytes(f2))`, ...
 * Each field's hash already covers its length, so ("ab", "c") and ("a", "bc") differ; the two
 * arguments are mixed differently, so the order of fields matters too.
 */
export function hashCombine(acc: u64, value: u64): u64 {
  return avalanche(rotl<u64>(acc ^ COMBINE_SEPARATOR, 23) * M3 + premix(value));
}
