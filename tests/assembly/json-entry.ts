// Test-only entry over the JSON string and subtree skipping of assembly/json/ and the JSON string
// writer of assembly/util/buffer.ts, for tests/json-skip.test.ts.
//
// Built with: --runtime minimal --exportRuntime --noAssert -O3 --use abort=tests/assembly/json-entry/abortNoop

import { scanString, stringHasEscapes } from '../../assembly/json/strings';
import { skipTrusted } from '../../assembly/json/scanner';
import { ByteWriter } from '../../assembly/util/buffer';

const SCRATCH_SIZE: usize = 1 << 16;
const scratchBytes = memory.data(<i32>SCRATCH_SIZE, 16);

/** Where the test writes its input (64 KiB). */
export function scratch(): usize {
  return scratchBytes;
}

export function scanValidating(pos: usize, end: usize): usize {
  return scanString(pos, end);
}

export function hadEscapes(): bool {
  return stringHasEscapes;
}

export function skipValue(pos: usize, end: usize): usize {
  return skipTrusted(pos, end);
}

const writer = new ByteWriter();

/** Writes [src, src+n) as JSON string content; returns the output's length (its bytes at written()). */
export function writeJsonContent(src: usize, n: usize): usize {
  writer.reset();
  writer.jsonStringContent(src, n);
  return writer.len;
}

export function written(): usize {
  return writer.region.ptr;
}

/** Routed here by --use abort=...: does nothing, so the module imports nothing for it. */
function abortNoop(message: string | null, fileName: string | null, line: u32, column: u32): void {}
