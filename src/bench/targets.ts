// The targets of issue 7, judged on one run's results (ratios within the run; nothing here fails
// the run: a missed target is reported, not raised).
import type { BenchResults, TargetResult } from './results.js';

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const times = (x: number) => `${x.toFixed(2)}x`;

export function evaluateTargets(r: BenchResults): TargetResult[] {
  const out: TargetResult[] = [];
  const interp = (name: string) => r.interpreter?.rows.find((x) => x.name === name || (name === 'pack' && x.name.startsWith('Kubernetes pack')));
  const fb = (prefix: string) => r.fluentBitSequence.find((x) => x.name.startsWith(prefix));
  const mod = (prefix: string) => r.moduleOnly.find((x) => x.name === prefix || (prefix === 'pack' && x.name.startsWith('Kubernetes pack') && !x.name.includes('no __collect')));

  const iSeed = interp('seed rule');
  const noCollect = interp('seed rule, no __collect() at all');
  const iPack = interp('pack');
  out.push(iSeed
    ? { target: 'interpreter: seed rule <= 8% of byte scan (instructions per record)', value: pct(iSeed.ratioToByteScan), met: iSeed.ratioToByteScan <= 0.08,
      note: noCollect ? `without any __collect(): ${pct(noCollect.ratioToByteScan)}` : undefined }
    : { target: 'interpreter: seed rule <= 8% of byte scan (instructions per record)', value: 'not measured', met: null });
  out.push(iPack
    ? { target: 'interpreter: Kubernetes pack <= 12% of byte scan', value: pct(iPack.ratioToByteScan), met: iPack.ratioToByteScan <= 0.12 }
    : { target: 'interpreter: Kubernetes pack <= 12% of byte scan', value: 'not measured', met: null });

  const seedFb = fb('seed rule');
  const naive = fb('naive: JSON.parse + reference evaluator, seed rule');
  const seedMod = mod('seed rule');
  if (seedFb && naive) {
    const ratio = naive.nsPerRecord / seedFb.nsPerRecord;
    const moduleRatio = seedMod ? naive.nsPerRecord / seedMod.nsPerRecord : undefined;
    out.push({ target: 'V8: seed rule >= 10x the naive JSON.parse + evaluator', value: `${times(ratio)} (Fluent Bit sequence, host included)`, met: ratio >= 10,
      note: moduleRatio !== undefined ? `module alone: ${times(moduleRatio)}` : undefined });
  }
  if (seedMod) {
    out.push({ target: `V8: seed rule >= 1M records/s on ~1.5 KB records (module alone, mean ${Math.round(seedMod.bytes / seedMod.records)} B)`,
      value: `${(seedMod.recordsPerSecond / 1e6).toFixed(2)}M records/s`, met: seedMod.recordsPerSecond >= 1e6,
      note: seedFb ? `through the Fluent Bit sequence (JS host included): ${(seedFb.recordsPerSecond / 1e6).toFixed(2)}M records/s` : undefined });
  }
  const packMod = mod('pack');
  if (seedMod && packMod) {
    const ratio = packMod.nsPerRecord / seedMod.nsPerRecord;
    const notes = [];
    if (iSeed && iPack) notes.push(`interpreter: ${times(iPack.instructionsPerRecord / iSeed.instructionsPerRecord)}`);
    const pFb = fb('Kubernetes pack');
    if (seedFb && pFb && seedFb.aboveFloorNs && pFb.aboveFloorNs) notes.push(`Fluent Bit sequence above floor: ${times(pFb.aboveFloorNs / seedFb.aboveFloorNs)}`);
    out.push({ target: 'pack <= 2x seed rule (V8, module alone)', value: times(ratio), met: ratio <= 2, note: notes.join('; ') || undefined });
  } else {
    out.push({ target: 'pack <= 2x seed rule', value: 'pack absent', met: null });
  }
  if (r.terms) {
    out.push({ target: '<= 32 bytes per stored term', value: `${r.terms.bytesPerTerm.toFixed(1)} B (linear memory per term of capacity)`, met: r.terms.bytesPerTerm <= 32 });
  }
  if (r.allocations.length) {
    const worst = Math.max(...r.allocations.map((a) => a.count.perPassedRecord));
    out.push({ target: 'zero allocations per non-matching record', value: r.allocations.map((a) => `${a.name}: ${a.count.perPassedRecord.toFixed(3)}`).join(', '), met: worst === 0 });
  }
  return out;
}
