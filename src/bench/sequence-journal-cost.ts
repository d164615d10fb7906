// The per-record cost of keeping EQL sequences in the state file (every change of a pending sequence
// journaled, docs/state-format.md): `node dist/bench/sequence-journal-cost.js [records] [rounds]`.
// The worst case for the journal: every record is a stage of one two-stage sequence rule
// (`sequence by user.name with maxspan=5m [a] [b]`, 1,000 users, each "a" followed later by its "b"),
// so every record writes an entry (93 bytes for a start, 48 for a completion). Run without a state
// file and with one (journal only), each round on a fresh instance and an empty state folder,
// variants rotated within every round; prints CPU ns per record (user + system), the median over
// rounds, and the ratio to "no state file" with its per-round spread.
import { mkdtempSync, rmSync, mkdirSync, statSync, existsSync, openSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { genericFilterModule } from '../build/evaluator.js';
import { FluentBitHost } from '../host/fluent-bit-host.js';
import { compileProgram } from '../compiler/index.js';
import type { Rule } from '../rules/types.js';
import { median, gc } from './measure.js';

const count = Number(process.argv[2] ?? 20_000);
const rounds = Number(process.argv[3] ?? 7);
const USERS = 1000;

const rule: Rule = {
  ruleId: 'bench-sequence', name: 'bench sequence', type: 'eql', language: 'eql',
  query: 'sequence by user.name with maxspan=5m [any where event.action == "a"] [any where event.action == "b"]',
  version: '1', severity: 'low', riskScore: 21, author: [], references: [], tags: [], threat: [], enabled: true,
  exceptionsList: [], index: [], ruleset: 'bench', source: { file: 'bench' },
};

const t0 = Date.UTC(2026, 2, 1, 10, 0, 0);
const records = Array.from({ length: count }, (_, i) => {
  const block = Math.floor(i / USERS);
  return Buffer.from(JSON.stringify({
    '@timestamp': new Date(t0 + i * 10).toISOString(),
    event: { action: block % 2 === 0 ? 'a' : 'b' },
    user: { name: `user-${i % USERS}` },
    kubernetes: { audit: { auditID: randomUUID(), verb: 'patch' } },
  }));
});

const module = await genericFilterModule();
const root = mkdtempSync(path.join(tmpdir(), 'kql-edge-seqjournal-'));
const quiet = openSync('/dev/null', 'w');
const variants = [
  { name: 'no state file', program: compileProgram([rule]).bytes, stateful: false },
  { name: 'state file, journal only (no periodic snapshot)', program: compileProgram([rule], { stateFile: '/state/seq.snapshot', snapshotEveryRecords: 0, snapshotEverySeconds: 0 }).bytes, stateful: true },
];

async function onePass(v: (typeof variants)[number], dir: string) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir);
  const host = await FluentBitHost.create(module, v.program, v.stateful ? { preopens: { '/state': dir }, stderrFd: quiet } : {});
  gc();
  let tagged = 0;
  const start = process.cpuUsage();
  for (const b of records) if (host.filter(b, 0).verdict === 'tagged') tagged++;
  const used = process.cpuUsage(start);
  const journal = path.join(dir, 'seq.snapshot.journal');
  return { ns: (used.user + used.system) * 1000, tagged, journalBytes: existsSync(journal) ? statSync(journal).size : 0 };
}

const samples = variants.map(() => [] as number[]);
const info = variants.map(() => ({ tagged: 0, journalBytes: 0 }));
for (let round = 0; round < rounds + 1; round++) {
  for (let k = 0; k < variants.length; k++) {
    const i = (k + round) % variants.length;
    const r = await onePass(variants[i]!, path.join(root, `v${i}`));
    if (round > 0) samples[i]!.push(r.ns / records.length);
    info[i] = { tagged: r.tagged, journalBytes: r.journalBytes };
  }
}
console.log(`${records.length} records, every one a sequence stage (${USERS} users), ${rounds} rounds, Node host (V8), CPU time`);
variants.forEach((v, i) => {
  const ratios = samples[i]!.map((s, k) => s / samples[0]![k]!);
  const journal = v.stateful ? `, journal at the end ${info[i]!.journalBytes} B` : '';
  console.log(`  ${v.name}: ${median(samples[i]!).toFixed(0)} CPU ns/record, ratio ${median(ratios).toFixed(3)} (per-round ${Math.min(...ratios).toFixed(3)}-${Math.max(...ratios).toFixed(3)}), ${info[i]!.tagged} completed${journal}`);
});
rmSync(root, { recursive: true, force: true });
