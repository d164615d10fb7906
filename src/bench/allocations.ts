// Counting the evaluator's own heap allocations per record: the generic evaluator built with
// AssemblyScript's allocation tracing (`--use ASC_RTRACE=1`, imports `rtrace.on*`), called with the
// Fluent Bit sequence. Allocations made by the host's copies (`__new`) are not counted: only those
// made while `filter` runs, i.e. by the module itself.
import { copyIntoModule } from '../host/fluent-bit-host.js';

interface TracedExports {
  memory: WebAssembly.Memory;
  filter(tagPtr: number, tagLen: number, sec: number, nsec: number, recPtr: number, recLen: number): number;
  __new(size: number, id: number): number;
  __pin(ptr: number): number;
  __unpin(ptr: number): void;
  kqe_load_program(ptr: number, len: number): number;
}

export interface AllocationCount {
  /** Records the rules did not match (returned unchanged). */
  passedRecords: number;
  /** Allocations (new blocks, moves, in-place resizes) per passed record. */
  perPassedRecord: number;
  matchedRecords: number;
  perMatchedRecord: number;
}

function importsFor(module: WebAssembly.Module, onAllocation: () => void): WebAssembly.Imports {
  const imports: Record<string, Record<string, (...args: number[]) => number | void>> = {};
  for (const imp of WebAssembly.Module.imports(module)) {
    if (imp.kind !== 'function') continue;
    const table = (imports[imp.module] ??= {});
    if (imp.module === 'rtrace') {
      // onvisit answers "go on visiting this object" (1); onload/onstore hand back the address to
      // use (the same); the others are notifications.
      if (['onalloc', 'onresize', 'onmove'].includes(imp.name)) table[imp.name] = () => onAllocation();
      else if (imp.name === 'onvisit') table[imp.name] = () => 1;
      else if (imp.name === 'onload' || imp.name === 'onstore') table[imp.name] = (ptr: number) => ptr;
      else table[imp.name] = () => 0;
    } else {
      // WASI: no folders, nothing writable (the benchmark configures no snapshot and no counters).
      table[imp.name] = () => (imp.name.startsWith('fd_prestat') ? 8 : 52);
    }
  }
  return imports as WebAssembly.Imports;
}

/**
 * Runs `warm` (which grows every buffer and pool to its working size), then `counted`, and counts
 * the allocations made for the records of `counted`. For rules with time windows, `counted` should be
 * the same events later in time (benchRecordsLater): replayed at the same times they would all be
 * late, nothing in the windows would expire, and the state would grow instead of staying at its size.
 */
export function countAllocations(module: WebAssembly.Module, program: Uint8Array, warm: readonly Buffer[], counted: readonly Buffer[], timeMs: number): AllocationCount {
  let allocations = 0;
  let counting = false;
  const instance = new WebAssembly.Instance(module, importsFor(module, () => {
    if (counting) allocations++;
  }));
  const ex = instance.exports as unknown as TracedExports;
  const copyIn = (bytes: Uint8Array): number => copyIntoModule(ex, bytes);
  const programPtr = copyIn(program);
  const loadError = ex.kqe_load_program(programPtr, program.length);
  ex.__unpin(programPtr);
  if (loadError !== 0) throw new Error(`the traced evaluator refused the program (error ${loadError})`);
  const tag = Buffer.from('kube.audit');
  const result = { passedRecords: 0, perPassedRecord: 0, matchedRecords: 0, perMatchedRecord: 0 };
  let passedAllocations = 0;
  let matchedAllocations = 0;
  for (let pass = 0; pass < 2; pass++) {
    for (const record of pass === 0 ? warm : counted) {
      const tagPtr = copyIn(tag);
      const recPtr = copyIn(record);
      const before = allocations;
      counting = pass === 1;
      const out = ex.filter(tagPtr, tag.length, Math.floor(timeMs / 1000), 0, recPtr, record.length) >>> 0;
      counting = false;
      ex.__unpin(recPtr);
      ex.__unpin(tagPtr);
      if (pass === 0) continue;
      if (out === recPtr) {
        result.passedRecords++;
        passedAllocations += allocations - before;
      } else {
        result.matchedRecords++;
        matchedAllocations += allocations - before;
      }
    }
  }
  result.perPassedRecord = passedAllocations / Math.max(1, result.passedRecords);
  result.perMatchedRecord = matchedAllocations / Math.max(1, result.matchedRecords);
  return result;
}
