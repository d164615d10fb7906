// kql-edge as a WASI command: NDJSON records on stdin, one line per record on stdout (tagged, or
// exactly as read), the counters as one JSON line on stderr. Any WASI runtime can run it.
// Lines may end in LF or CRLF; blank lines are skipped; a line that is not a JSON object is
// forwarded unchanged. The record time given to the rules is the time the line was read.
import { EMBEDDED_PROGRAM, EMBEDDED_PROGRAM_LENGTH } from './embedded/program';
import { installProgram, processRecord, resultPointer, resultLength, RESULT_TAGGED, RESULT_DROP, ready, saveSnapshot } from './abi/engine';
import { statsJson } from './abi/stats-json';
import { readSome, writeAll, realtimeMs, proc_exit, logLine } from './abi/wasi';
import { Region, ByteWriter } from './util/buffer';

const CHUNK: usize = 65536;
const input = new Region();
const output = new ByteWriter();
let inputLen: usize = 0;

function flush(): bool {
  if (output.len == 0) return true;
  const ok = writeAll(1, output.region.ptr, output.len);
  output.reset();
  return ok;
}

function emitLine(p: usize, n: usize): void {
  const r = processRecord(p, n, realtimeMs());
  if (r == RESULT_DROP) return;
  if (r == RESULT_TAGGED) output.bytes(resultPointer(), resultLength());
  else output.bytes(p, n);
  output.byte(10);
  if (output.len >= CHUNK) flush();
}

/** Handles every complete line in the input buffer; keeps the unfinished tail. */
function drainLines(final: bool): void {
  let start: usize = 0;
  const base = input.ptr;
  for (let i: usize = 0; i < inputLen; i++) {
    if (load<u8>(base + i) != 10) continue;
    handleLine(base + start, i - start);
    start = i + 1;
  }
  if (final && start < inputLen) {
    handleLine(base + start, inputLen - start);
    start = inputLen;
  }
  if (start > 0) {
    memory.copy(base, base + start, inputLen - start);
    inputLen -= start;
  }
}

function handleLine(p: usize, n: usize): void {
  if (n > 0 && load<u8>(p + n - 1) == 13) n--;
  let blank = true;
  for (let k: usize = 0; k < n; k++) {
    const c = load<u8>(p + k);
    if (c != 32 && c != 9) {
      blank = false;
      break;
    }
  }
  if (blank) return;
  // The evaluator may read the byte after the record (Fluent Bit's copies are NUL-terminated);
  // the input region always has room after the data.
  emitLine(p, n);
}

function main(): void {
  if (EMBEDDED_PROGRAM_LENGTH > 0) installProgram(EMBEDDED_PROGRAM, EMBEDDED_PROGRAM_LENGTH);
  if (!ready) {
    logLine('kql-edge: this module has no rule program');
    proc_exit(2);
    return;
  }
  while (true) {
    if (!input.ensure(inputLen + CHUNK + 1)) break;
    const got = readSome(0, input.ptr + inputLen, CHUNK);
    if (got <= 0) break;
    inputLen += <usize>got;
    drainLines(false);
  }
  drainLines(true);
  flush();
  saveSnapshot();
  const s = statsJson();
  if (s != 0) {
    let n: usize = 0;
    while (load<u8>(s + n) != 0) n++;
    store<u8>(s + n, 10);
    writeAll(2, s, n + 1);
  }
}

main();
