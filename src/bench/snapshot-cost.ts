// The cost of a new-terms snapshot and of restoring it, for N stored terms (default 1 million):
// `node dist/bench/snapshot-cost.js [N]`. Prints bytes per stored term, the file size, and the time to
// write (kqe_snapshot) and to restore (a new instance's first record).
import { mkdtempSync, statSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadRules } from '../rules/load.js';
import { compileProgram } from '../compiler/index.js';
import { genericFilterModule } from '../build/evaluator.js';
import { FluentBitHost } from '../host/fluent-bit-host.js';
import { DEFAULT_RULES } from '../cli/rules.js';

const terms = Number(process.argv[2] ?? 1_000_000);
const dir = mkdtempSync(path.join(tmpdir(), 'kql-edge-snapshot-'));
const rules = (await loadRules([DEFAULT_RULES])).rules;
const program = compileProgram(rules, { newTermsBudgetBytes: terms * 32, stateFile: '/state/terms.snapshot', snapshotEveryRecords: 0, snapshotEverySeconds: 0 });
const module = await genericFilterModule();
const options = { preopens: { '/state': dir }, stderrFd: 2 };

const record = (i: number) =>
  Buffer.from(
    `{"kind":"Event","apiVersion":"audit.k8s.io/v1","user":{"username":"system:serviceaccount:ns:sa"},` +
      `"annotations":{"authorization.k8s.io/decision":"forbid"},"stageTimestamp":"2026-03-01T00:00:00Z","userAgent":"agent-${i}"}`,
  );

const first = await FluentBitHost.create(module, program.bytes, options);
const before = first.memoryBytes;
for (let i = 0; i < terms; i++) first.filter(record(i), 0);
const stats = first.stats()!.rules[0];
let t = process.hrtime.bigint();
const written = first.snapshot();
const writeMs = Number(process.hrtime.bigint() - t) / 1e6;
const size = statSync(path.join(dir, 'terms.snapshot')).size;

const second = await FluentBitHost.create(module, program.bytes, options);
second.filter(record(-1), 0); // warm the call path without restoring twice: the restore runs on the first record
const probe = await FluentBitHost.create(module, program.bytes, options);
t = process.hrtime.bigint();
probe.filter(record(0), 0);
const restoreMs = Number(process.hrtime.bigint() - t) / 1e6;
const restored = probe.stats()!.rules[0];

console.log(
  JSON.stringify(
    {
      terms_stored: stats.terms,
      capacity: stats.capacity,
      linear_memory_growth_bytes: first.memoryBytes - before,
      bytes_per_term_of_capacity: Math.round(((first.memoryBytes - before) / stats.capacity!) * 10) / 10,
      snapshot_written: written,
      snapshot_bytes: size,
      snapshot_bytes_per_term: Math.round((size / stats.terms!) * 10) / 10,
      snapshot_write_ms: Math.round(writeMs),
      restore_ms: Math.round(restoreMs),
      terms_after_restore: restored.terms,
    },
    null,
    2,
  ),
);
rmSync(dir, { recursive: true, force: true });
