// The per-record cost of durable New Terms state (the journal beside the state file, docs/state-format.md):
// `node dist/bench/journal-cost.js [records] [rounds]`. On the benchmark's generated events, the same
// rules are run without a state file and with one (journal only, and with the periodic snapshot too),
// each round on a fresh instance and an empty state folder (so every pass learns its terms again),
// variants rotated within every round. Instantiation is not timed; the first record's restore is.
// Prints CPU ns per record (user + system: the journal's writes are system time; CPU time, not wall
// time, because the machines this runs on are shared), median over rounds, and the ratio to
// "no state file" with its per-round spread.
import { mkdtempSync, rmSync, mkdirSync, statSync, existsSync, openSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { genericFilterModule } from '../build/evaluator.js';
import { FluentBitHost } from '../host/fluent-bit-host.js';
import { benchRecords } from './records.js';
import { loadBenchRules, compileSet, type RuleSet } from './rules.js';
import { median, gc } from './measure.js';

const count = Number(process.argv[2] ?? 20_000);
const rounds = Number(process.argv[3] ?? 7);
const records = benchRecords(count);
const module = await genericFilterModule();
const sets = await loadBenchRules();
const root = mkdtempSync(path.join(tmpdir(), 'kql-edge-journal-'));
const quiet = openSync('/dev/null', 'w'); // the module's one start-up line per instance

interface Variant {
  name: string;
  program: Uint8Array;
  stateful: boolean;
}

function variantsOf(set: RuleSet): Variant[] {
  const state = { stateFile: '/state/terms.snapshot' };
  return [
    { name: 'no state file', program: set.program, stateful: false },
    { name: 'state file, journal only (no periodic snapshot)', program: compileSet(set.name, set.rules, { ...state, snapshotEverySeconds: 0, snapshotEveryRecords: 0 }).program, stateful: true },
    { name: 'state file, default cadence (journal + snapshot every 100000 records or 300 s of event time)', program: compileSet(set.name, set.rules, state).program, stateful: true },
  ];
}

async function onePass(v: Variant, dir: string): Promise<{ ns: number; journalBytes: number; tagged: number }> {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir);
  const host = await FluentBitHost.create(module, v.program, v.stateful ? { preopens: { '/state': dir }, stderrFd: quiet } : {});
  gc();
  let tagged = 0;
  const t0 = process.cpuUsage();
  for (const b of records.buffers) if (host.filter(b, 0).verdict === 'tagged') tagged++;
  const used = process.cpuUsage(t0);
  const ns = (used.user + used.system) * 1000;
  const journal = path.join(dir, 'terms.snapshot.journal');
  return { ns, journalBytes: existsSync(journal) ? statSync(journal).size : 0, tagged };
}

const ruleSets = [sets.seed, sets.pack].filter((s): s is RuleSet => s !== undefined);
console.log(`${records.buffers.length} generated events (mean ${records.meanBytes.toFixed(0)} B), ${rounds} rounds, Node host (V8), CPU time`);
if (sets.packNote) console.log(sets.packNote);
for (const set of ruleSets) {
  const variants = variantsOf(set);
  const samples = variants.map(() => [] as number[]);
  const info = variants.map(() => ({ journalBytes: 0, tagged: 0 }));
  for (let round = 0; round < rounds + 1; round++) {
    // Rotate the order each round so drift hits every variant alike; round 0 is a warm-up.
    for (let k = 0; k < variants.length; k++) {
      const i = (k + round) % variants.length;
      const r = await onePass(variants[i]!, path.join(root, `v${i}`));
      if (round > 0) samples[i]!.push(r.ns / records.buffers.length);
      info[i] = { journalBytes: r.journalBytes, tagged: r.tagged };
    }
  }
  console.log(`\n${set.name}`);
  const base = samples[0]!;
  variants.forEach((v, i) => {
    const ratios = samples[i]!.map((s, k) => s / base[k]!);
    const spread = `${Math.min(...ratios).toFixed(3)}-${Math.max(...ratios).toFixed(3)}`;
    const journal = v.stateful ? `, journal at the end ${info[i]!.journalBytes} B` : '';
    console.log(`  ${v.name}: ${median(samples[i]!).toFixed(0)} CPU ns/record, ratio ${median(ratios).toFixed(3)} (per-round ${spread}), ${info[i]!.tagged} tagged${journal}`);
  });
}
rmSync(root, { recursive: true, force: true });
