// results.json and results.md in build/bench/, and the same Markdown printed.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { BenchResults, TimingRow } from './results.js';
import { realHostMarkdown } from './real-host/run.js';

const n0 = (x: number) => Math.round(x).toLocaleString('en-US');
const n2 = (x: number | undefined) => (x === undefined || !Number.isFinite(x) ? '' : x.toFixed(2));
const mib = (x: number | undefined) => (x === undefined ? '' : (x / 1048576).toFixed(1));
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

function timingTable(rows: TimingRow[], withFloor: boolean): string[] {
  const head = ['variant', 'ns/record', 'records/s', 'MB/s', withFloor ? 'above floor ns' : '', 'x floor', 'x byte scan', 'linear memory MiB', 'spread'].filter(Boolean);
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  for (const r of rows) {
    const cells = [r.name, n0(r.nsPerRecord), n0(r.recordsPerSecond), n0(r.mbPerSecond), withFloor ? (r.aboveFloorNs === undefined ? '' : n0(r.aboveFloorNs)) : '',
      n2(r.ratioToFloor), n2(r.ratioToByteScan), mib(r.memoryBytes), pct(r.spread)];
    lines.push(`| ${cells.filter((_, i) => withFloor || i !== 4).join(' | ')} |`);
  }
  return lines;
}

export function toMarkdown(r: BenchResults): string {
  const L: string[] = [];
  L.push(`# kql-edge benchmark (${r.mode})`, '');
  L.push(`${r.startedAt}, ${r.durationSeconds?.toFixed(0)} s; Node ${r.machine.node}, ${r.machine.cpu}, ${r.machine.cores} cores, ${r.machine.platform}.`);
  L.push(`Records: ${r.records.count} generated audit events (seed ${r.records.seed}), mean ${n0(r.records.meanBytes)} B, median ${r.records.medianBytes} B, ${pct(r.records.forbidShare)} forbidden.`);
  L.push('Medians of interleaved repetitions after warm-up; compare ratios within this run, not absolute times across machines.', '');
  for (const note of r.notes) L.push(`- Note: ${note}`);
  if (r.notes.length) L.push('');

  L.push('## Targets', '', '| target | value | met | note |', '|---|---|---|---|');
  for (const t of r.targets) L.push(`| ${t.target} | ${t.value} | ${t.met === null ? 'n/a' : t.met ? 'met' : '**not met**'} | ${t.note ?? ''} |`);
  L.push('');

  if (r.realHost) L.push(...realHostMarkdown(r.realHost));

  L.push('## V8: Fluent Bit calling sequence (FluentBitHost: copies in with __new/__pin, filter, result read back)', '');
  L.push(...timingTable(r.fluentBitSequence, true), '');
  L.push('The naive rows run JSON.parse and the reference evaluator on each record in JavaScript (no host, no new-terms state).', '');

  L.push('## V8: modules alone (records built into the module, `bench_run()` loops over them, no host)', '');
  L.push(...timingTable(r.moduleOnly, true), '');

  if (r.interpreter) {
    L.push(`## Interpreter proxy: wabt wasm-interp under callgrind (${r.interpreter.records} records, 1 vs ${r.interpreter.passes} passes)`, '');
    L.push('| module | instructions/record | instructions/byte | x byte scan | x floor |', '|---|---|---|---|---|');
    for (const c of r.interpreter.rows) L.push(`| ${c.name} | ${n0(c.instructionsPerRecord)} | ${n2(c.instructionsPerByte)} | ${pct(c.ratioToByteScan)} | ${n2(c.ratioToFloor)} |`);
    L.push('');
  }

  if (r.engines) {
    L.push(`## WASI command (seed rule), ${r.engines.records} records on stdin (file): native vs node:wasi`, '');
    L.push('| engine | ns/record | records/s | MB/s | start-up ms | peak RSS MiB |', '|---|---|---|---|---|---|');
    for (const e of r.engines.timings) L.push(`| ${e.engine} | ${n0(e.nsPerRecord)} | ${n0(e.recordsPerSecond)} | ${n0(e.mbPerSecond)} | ${e.startupMs.toFixed(1)} | ${mib(e.maxRssBytes)} |`);
    L.push('', `V8 compile of the module (not in the timings): ${r.engines.v8CompileMs.toFixed(0)} ms. Same output from runNative and runNodeWasi: ${r.engines.outputsAgree === undefined ? 'not checked' : r.engines.outputsAgree ? 'yes' : '**no**'}.`, '');
  }

  L.push('## Cost by record size (Fluent Bit sequence, ns/record)', '');
  const names = r.sizes[0]?.rows.map((x) => x.name) ?? [];
  L.push(`| bucket | records | mean B | ${names.join(' | ')} | seed above floor ns/KB |`, `|---|---|---|${names.map(() => '---').join('|')}|---|`);
  for (const b of r.sizes) {
    const seed = b.rows.find((x) => x.name === 'seed rule');
    L.push(`| ${b.bucket} | ${b.records} | ${n0(b.meanBytes)} | ${b.rows.map((x) => n0(x.nsPerRecord)).join(' | ')} | ${seed?.aboveFloorNs !== undefined ? n0(seed.aboveFloorNs / (b.meanBytes / 1024)) : ''} |`);
  }
  L.push('');

  L.push('## Cost by number of rules (Fluent Bit sequence)', '', '| rules | set | ns/record | above floor ns | x seed |', '|---|---|---|---|---|');
  for (const x of r.rules) L.push(`| ${x.rules} | ${x.name} | ${n0(x.nsPerRecord)} | ${n0(x.aboveFloorNs)} | ${n2(x.ratioToSeed)} |`);
  L.push('');

  if (r.terms) {
    L.push(`## Distinct terms (seed rule; budget ${mib(r.terms.budgetBytes)} MiB = capacity ${n0(r.terms.capacity)} terms; ${n2(r.terms.bytesPerTerm)} B of linear memory per term)`, '');
    L.push('| terms fed | stored | evictions | new term ns | known term ns | other record ns | linear memory MiB |', '|---|---|---|---|---|---|---|');
    for (const c of r.terms.checkpoints) L.push(`| ${n0(c.terms)} | ${n0(c.storedTerms)} | ${n0(c.evictions)} | ${n0(c.newTermNs)} | ${n0(c.knownTermNs)} | ${n0(c.otherRecordNs)} | ${mib(c.memoryBytes)} |`);
    L.push('');
  }

  L.push('## Allocations by the module per record (traced evaluator, second pass: the same events later in time)', '', '| rules | passed records | allocations/passed record | tagged records | allocations/tagged record |', '|---|---|---|---|---|');
  for (const a of r.allocations) L.push(`| ${a.name} | ${a.count.passedRecords} | ${a.count.perPassedRecord.toFixed(3)} | ${a.count.matchedRecords} | ${a.count.perMatchedRecord.toFixed(2)} |`);
  L.push('');

  L.push(`## Literal prefilter, ${r.prefilter.ruleSet}: share of records each rule lets through (every such record is scanned)`, '');
  L.push(`${pct(r.prefilter.candidateShare)} of the records pass at least one rule's prefilter. Rules letting through more than 1%:`, '');
  L.push('| rule | records passing | required literals (one of each group) |', '|---|---|---|');
  for (const x of r.prefilter.rules.filter((x) => x.passShare > 0.01)) {
    const lits = x.literals.map((g) => g.map((l) => '`' + l.replace(/\|/g, '\\|') + '`').join(' or ')).join('; ');
    L.push(`| ${x.rule} | ${pct(x.passShare)} | ${lits.length > 160 ? lits.slice(0, 157) + '...' : lits || '(none)'} |`);
  }
  L.push('');

  for (const prof of r.profile ?? []) {
    L.push(`## Where ${prof.name} spends its time (native instructions per record, own cost; wasm2c + callgrind)`, '', '| function | instructions/record | share |', '|---|---|---|');
    for (const p of prof.entries) L.push(`| ${p.function} | ${n0(p.instructionsPerRecord)} | ${pct(p.share)} |`);
    L.push('');
  }
  L.push(`Phases: ${r.phases.map((p) => `${p.phase} ${p.seconds.toFixed(1)} s`).join(', ')}.`, '');
  L.push(`Benchmark process peak RSS: ${mib(r.processMaxRssBytes)} MiB (all V8 measurements share this process).`, '');
  return L.join('\n');
}

export async function writeResults(r: BenchResults, dir: string): Promise<{ json: string; md: string; markdown: string }> {
  await fs.mkdir(dir, { recursive: true });
  const json = path.join(dir, 'results.json');
  const md = path.join(dir, 'results.md');
  const markdown = toMarkdown(r);
  await fs.writeFile(json, JSON.stringify(r, null, 2) + '\n');
  await fs.writeFile(md, markdown);
  return { json, md, markdown };
}
