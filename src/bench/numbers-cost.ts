// What the check for numbers Fluent Bit cannot read back (assembly/abi/host-numbers.ts) costs per record
// in an interpreter: `node dist/bench/numbers-cost.js [records]`. Interpreter instructions (wabt's
// wasm-interp under callgrind, as the main benchmark's interpreter proxy) per record, next to the
// floor (the call alone) and the byte-scan baseline (every byte read once), on generated audit events.
import { benchRecords } from './records.js';
import { proxyModule, recordsPerPass } from './modules.js';
import { interpreterCost, interpreterProxyUnavailableReason } from './interpreter.js';

const count = Number(process.argv[2] ?? 2000);
const why = interpreterProxyUnavailableReason();
if (why) {
  console.log(`skipped: ${why}`);
} else {
  const records = benchRecords(count);
  const time = Date.UTC(2024, 4, 13);
  const n = recordsPerPass(records.buffers.length);
  const rows = [];
  for (const kind of ['floor', 'numbers', 'byte-scan'] as const) {
    const m = await proxyModule(`${kind}-${count}`, kind, records.buffers, time);
    rows.push(await interpreterCost(kind, m.bytes, n, records.totalBytes, 3));
  }
  const floor = rows[0]!.instructionsPerRecord;
  console.log(`${n} generated events, mean ${records.meanBytes.toFixed(0)} B`);
  for (const r of rows) {
    console.log(`  ${r.name}: ${r.instructionsPerRecord.toFixed(0)} interpreter instructions/record (${(r.instructionsPerRecord - floor).toFixed(0)} above the floor, ${((r.instructionsPerRecord - floor) / records.meanBytes).toFixed(2)} per byte)`);
  }
}
