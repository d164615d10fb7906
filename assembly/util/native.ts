// Native string search of the host, for the literal prefilter. This file is the portable version
// (the WASI command, the benchmark's interpreter proxies): no imports, nothing native. Filter modules
// are compiled with src/build/natives.ts serving the importing version in its place: WAMR's
// libc-builtin `env.strstr` and `env.strlen`, which Fluent Bit's WAMR runs as native code (docs/abi.md).
export const HAS_NATIVE_SEARCH = false;

/** Address of the first occurrence of the NUL-terminated `needle` in the NUL-terminated `haystack`, or 0. */
export function nativeStrstr(haystack: usize, needle: usize): usize {
  return 0;
}

/** Address of the first byte `c` in [s, s + n), or 0. */
export function nativeMemchr(s: usize, c: i32, n: usize): usize {
  return 0;
}

/** Length of the NUL-terminated string at `s`. */
export function nativeStrlen(s: usize): usize {
  return 0;
}
