// One benchmark run: every measurement on the same generated records, ratios within the run.
import { cpus, availableParallelism } from 'node:os';
import path from 'node:path';
import type { BenchConfig } from './config.js';
import { benchRecords, benchRecordsLater, bucketRecords, recordsOf, BENCH_SEED } from './records.js';
import { loadBenchRules } from './rules.js';
import { BENCH_DIR, byteScanModule, commandModule, floorModule, genericEvaluatorModule, proxyModule, recordsPerPass, tracedEvaluatorModule } from './modules.js';
import { timeVariants, type Timing, type Variant } from './measure.js';
import { hostPass, hostVariant, naiveVariant, proxyVariant, HOST_TIME_MS } from './v8-variants.js';
import { interpreterCost, interpreterProxyUnavailableReason } from './interpreter.js';
import { compareEngines } from './engines.js';
import { termsScaling } from './terms.js';
import { countAllocations } from './allocations.js';
import { profileModule } from './profile.js';
import { buildNative, nativeEngineUnavailableReason } from '../engines/native.js';
import type { BenchResults, TimingRow } from './results.js';
import { evaluateTargets } from './targets.js';
import { runRealHost } from './real-host/run.js';

export type Log = (line: string) => void;

function rows(timings: Timing[], floorName?: string, byteScanName?: string): TimingRow[] {
  const floor = timings.find((t) => t.name === floorName);
  const scan = timings.find((t) => t.name === byteScanName);
  return timings.map(({ samples, ...t }) => ({
    ...t,
    ratioToFloor: floor ? t.nsPerRecord / floor.nsPerRecord : undefined,
    ratioToByteScan: scan ? t.nsPerRecord / scan.nsPerRecord : undefined,
    aboveFloorNs: floor ? t.nsPerRecord - floor.nsPerRecord : undefined,
    spread: (Math.max(...samples) - Math.min(...samples)) / t.passNs,
  }));
}

export async function runBench(config: BenchConfig, log: Log): Promise<BenchResults> {
  const started = Date.now();
  const notes: string[] = [];
  const phases: { phase: string; seconds: number }[] = [];
  let phaseStart = Date.now();
  const phase = (name: string) => {
    const now = Date.now();
    phases.push({ phase: name, seconds: (now - phaseStart) / 1000 });
    log(`  ${name}: ${((now - phaseStart) / 1000).toFixed(1)} s`);
    phaseStart = now;
  };
  const records = benchRecords(config.records);
  const forbid = records.texts.filter((t) => t.includes('"authorization.k8s.io/decision":"forbid"')).length;
  log(`records: ${records.buffers.length}, mean ${records.meanBytes.toFixed(0)} B, median ${records.medianBytes} B`);
  const sets = await loadBenchRules();
  if (sets.packNote) notes.push(sets.packNote);
  const pack = sets.pack;
  const proxyRecs = records.buffers.slice(0, config.proxyRecords);
  const proxyBytes = proxyRecs.reduce((a, b) => a + b.length, 0);
  const programs = [sets.seed.program, ...(pack ? [pack.program] : [])];

  // Every module first (in parallel, cached under build/bench/cache).
  log('building modules (cached after the first run)...');
  const interpReason = interpreterProxyUnavailableReason();
  const nativeReason = nativeEngineUnavailableReason();
  const commandBuild = commandModule('command-seed', sets.seed.program);
  // The native build of the command (gcc) overlaps the other compilations.
  const nativeBuild = nativeReason ? Promise.resolve(undefined) : commandBuild.then((c) => buildNative(c.path, path.join(BENCH_DIR, 'native'))).catch(() => undefined); // retried (and reported) later
  const debugPrograms = pack ? [sets.seed.program, pack.program] : [sets.seed.program];
  const [generic, floor, byteScan, pxEval, pxFloor, pxScan, traced, command, pxDebug] = await Promise.all([
    genericEvaluatorModule(), floorModule(), byteScanModule(),
    proxyModule('evaluator', 'evaluator', proxyRecs, HOST_TIME_MS, programs),
    proxyModule('floor', 'floor', proxyRecs, HOST_TIME_MS),
    proxyModule('byte-scan', 'byte-scan', proxyRecs, HOST_TIME_MS),
    tracedEvaluatorModule(),
    commandBuild,
    config.profile && !nativeReason ? proxyModule('evaluator-debug', 'evaluator', proxyRecs, HOST_TIME_MS, debugPrograms, ['--debug']) : Promise.resolve(undefined),
  ]);
  await nativeBuild;
  const builtNow = [generic, floor, byteScan, pxEval, pxFloor, pxScan, traced, command, pxDebug].filter((m) => m?.built).length;
  log(`modules ready (${builtNow} compiled now)`);
  phase('build modules');
  const genericModule = await WebAssembly.compile(generic.bytes as Uint8Array<ArrayBuffer>);

  // 1. The Fluent Bit calling sequence in V8, and the naive alternative.
  log('V8, Fluent Bit calling sequence...');
  const vFloor = await hostVariant('floor (returns its input)', floor.bytes, records);
  const vScan = await hostVariant('byte scan (reads every byte)', byteScan.bytes, records);
  const vSeed = await hostVariant('seed rule', genericModule, records, sets.seed.program);
  const vPack = pack ? await hostVariant(pack.name, genericModule, records, pack.program) : undefined;
  const vPack10 = sets.pack10 ? await hostVariant('10 rules', genericModule, records, sets.pack10.program) : undefined;
  const naiveSeed = naiveVariant('naive: JSON.parse + reference evaluator, seed rule', sets.seed.rules, recordsOf(records.texts.slice(0, config.naiveSeedRecords)));
  const naivePack = pack ? naiveVariant(`naive: JSON.parse + reference evaluator, ${pack.name}`, pack.rules, recordsOf(records.texts.slice(0, config.naivePackRecords))) : undefined;
  const fbVariants: Variant[] = [vFloor, vScan, vSeed, ...(vPack ? [vPack] : []), naiveSeed, ...(naivePack ? [naivePack] : [])];
  const plan = { warmupPasses: config.warmupPasses, repetitions: config.repetitions };
  const fluentBitSequence = rows(timeVariants(fbVariants, plan), vFloor.name, vScan.name);
  for (const r of fluentBitSequence) if (r.name.startsWith('naive')) { r.ratioToFloor = undefined; r.aboveFloorNs = undefined; }
  phase('V8 Fluent Bit sequence');

  // 2. The modules alone in V8 (records built in, no host).
  log('V8, modules alone...');
  const perSample = Math.max(1, Math.round(2000 / proxyRecs.length));
  const moduleVariants: Variant[] = [
    proxyVariant('floor', pxFloor.bytes, proxyRecs.length, proxyBytes),
    proxyVariant('byte scan', pxScan.bytes, proxyRecs.length, proxyBytes),
    proxyVariant('seed rule', pxEval.bytes, proxyRecs.length, proxyBytes, true, 0),
    proxyVariant('seed rule, no __collect() at all', pxEval.bytes, proxyRecs.length, proxyBytes, false, 0),
    ...(pack ? [
      proxyVariant(pack.name, pxEval.bytes, proxyRecs.length, proxyBytes, true, 1),
      proxyVariant(`${pack.name}, no __collect() at all`, pxEval.bytes, proxyRecs.length, proxyBytes, false, 1),
    ] : []),
  ];
  const moduleOnly = rows(timeVariants(moduleVariants, { ...plan, passesPerSample: perSample }), 'floor', 'byte scan');
  phase('V8 modules alone');

  // 3. Cost by record size, by number of rules (same hosts, state carried on).
  log('V8, by record size and by number of rules...');
  const sizes: BenchResults['sizes'] = [];
  for (const { bucket, records: inBucket } of bucketRecords(records)) {
    const vs = [hostPass('floor', vFloor.host, inBucket), hostPass('byte scan', vScan.host, inBucket), hostPass('seed rule', vSeed.host, inBucket),
      ...(vPack ? [hostPass('pack', vPack.host, inBucket)] : [])];
    sizes.push({ bucket: bucket.label, records: inBucket.buffers.length, meanBytes: inBucket.meanBytes, rows: rows(timeVariants(vs, plan), 'floor', 'byte scan') });
  }
  const ruleRows: BenchResults['rules'] = [];
  {
    const vs = [hostPass('floor', vFloor.host, records), hostPass('1', vSeed.host, records), ...(vPack10 ? [hostPass('10', vPack10.host, records)] : []), ...(vPack ? [hostPass(String(pack!.rules.length), vPack.host, records)] : [])];
    const t = timeVariants(vs, plan);
    const floorNs = t[0]!.nsPerRecord;
    const seedNs = t[1]!.nsPerRecord;
    for (const r of t.slice(1)) ruleRows.push({ rules: Number(r.name), name: r.name === '1' ? 'seed rule' : r.name === '10' ? 'seed rule + 9 pack rules' : pack!.name, nsPerRecord: r.nsPerRecord, ratioToSeed: r.nsPerRecord / seedNs, aboveFloorNs: r.nsPerRecord - floorNs });
  }

  phase('V8 by size and rules');
  /** Runs an optional part; a failure becomes a note instead of losing the whole run. */
  const attempt = async <T>(name: string, fn: () => Promise<T> | T): Promise<T | undefined> => {
    try {
      return await fn();
    } catch (err) {
      const message = err instanceof Error ? err.message.split('\n')[0] : String(err);
      notes.push(`${name} failed: ${message}`);
      log(`${name} FAILED: ${message}`);
      return undefined;
    } finally {
      phase(name);
    }
  };

  // Which rules the literal prefilter lets through, and how often (every record that passes one
  // rule's prefilter is scanned in full). Computed here with plain substring tests.
  const prefilter = (pack ?? sets.seed).ir.rules.map((rule) => ({
    rule: rule.name,
    literals: rule.prefilter,
    passShare: records.texts.filter((t) => rule.prefilter.every((group) => group.some((lit) => t.includes(lit)))).length / records.texts.length,
  })).sort((a, b) => b.passShare - a.passShare);
  const candidateShare = records.texts.filter((t) => (pack ?? sets.seed).ir.rules.some((rule) => rule.prefilter.every((group) => group.some((lit) => t.includes(lit))))).length / records.texts.length;

  // 4. Allocations per record (traced evaluator).
  log('allocations per record...');
  const allocations = (await attempt('allocations', async () => {
    const tracedModule = await WebAssembly.compile(traced.bytes as Uint8Array<ArrayBuffer>);
    const sampleCount = Math.min(2000, records.buffers.length);
    const sample = records.buffers.slice(0, sampleCount);
    const later = benchRecordsLater(config.records, sampleCount);
    const out = [{ name: 'seed rule', count: countAllocations(tracedModule, sets.seed.program, sample, later, HOST_TIME_MS) }];
    if (pack) out.push({ name: pack.name, count: countAllocations(tracedModule, pack.program, sample, later, HOST_TIME_MS) });
    return out;
  })) ?? [];

  // 5. Interpreter proxy (wasm-interp under callgrind).
  let interpreter: BenchResults['interpreter'];
  if (interpReason) notes.push(`interpreter proxy skipped: ${interpReason}`);
  else {
    log(`interpreter proxy: wasm-interp under callgrind, ${proxyRecs.length} records x 1 and ${config.interpreterPasses} passes...`);
    interpreter = await attempt('interpreter proxy', async () => {
      const n = proxyRecs.length;
      const passes = config.interpreterPasses;
      const stride = config.interpreterPackStride;
      const strided = proxyRecs.filter((_, i) => i % stride === 0);
      const stridedBytes = strided.reduce((a, b) => a + b.length, 0);
      const jobs = [
        () => interpreterCost('floor', pxFloor.bytes, n, proxyBytes, passes),
        () => interpreterCost('byte scan', pxScan.bytes, n, proxyBytes, passes),
        () => interpreterCost('seed rule', pxEval.bytes, n, proxyBytes, passes, { program: 0 }),
        () => interpreterCost('seed rule, no __collect() at all', pxEval.bytes, n, proxyBytes, passes, { program: 0, collect: false }),
        ...(pack ? [() => interpreterCost(`${pack.name} (every ${stride}th record)`, pxEval.bytes, strided.length, stridedBytes, passes, { program: 1, stride })] : []),
      ];
      const costs = [];
      for (const job of jobs) costs.push(await job()); // each job runs its two callgrind processes at once
      const scan = costs[1]!.instructionsPerRecord;
      const fl = costs[0]!.instructionsPerRecord;
      return { records: n, passes, rows: costs.map((c) => ({ ...c, ratioToByteScan: c.instructionsPerRecord / scan, ratioToFloor: c.instructionsPerRecord / fl })) };
    });
  }

  // 6. Native vs node:wasi, the WASI command on the same records.
  log('WASI command: native (wasm2c + gcc) vs node:wasi...');
  const engines = await attempt('native vs node:wasi', () =>
    compareEngines(command.path, recordsOf(records.texts.slice(0, config.engineRecords)), config.engineCopies, path.join(BENCH_DIR, 'native'), config.engineRepetitions));
  if (engines?.note) notes.push(engines.note);

  // 7. Distinct terms.
  log(`distinct terms, 10^3 .. 10^${config.termsMaxPower}...`);
  const terms = await attempt('distinct terms', () => termsScaling(genericModule, sets.seed.rules, config.termsMaxPower, records.buffers.slice(0, 2000)));
  if (terms?.failure) notes.push(`distinct terms: ${terms.failure}`);

  // 8. Where the evaluator's time goes.
  let profile: BenchResults['profile'];
  if (pxDebug) {
    log('profiles (wasm2c + callgrind)...');
    profile = await attempt('profiles', async () => {
      const out = [{ name: 'seed rule', entries: await profileModule(pxDebug.bytes, proxyRecs.length, path.join(BENCH_DIR, 'profile'), { program: 0 }) }];
      if (pack) {
        const packRecords = recordsPerPass(proxyRecs.length, config.interpreterPackStride);
        out.push({ name: pack.name, entries: await profileModule(pxDebug.bytes, packRecords, path.join(BENCH_DIR, 'profile'), { program: 1, stride: config.interpreterPackStride }) });
      }
      return out;
    });
  }

  // 9. The real Fluent Bit (skipped, by name, when it is not on PATH).
  log(`real host: Fluent Bit, ${config.realHostEvents} events x ${config.realHostRounds} rounds...`);
  const benchCommand = `npm run bench${config.mode === 'short' ? ' -- --short' : ''}`;
  const realHost = await attempt('real host', () => runRealHost(sets, { events: config.realHostEvents, rounds: config.realHostRounds, checkPeer: true, memory: config.realHostMemory }, log, benchCommand));
  if (realHost?.skipped) log(`real host ${realHost.skipped}`);

  const results: BenchResults = {
    mode: config.mode,
    startedAt: new Date(started).toISOString(),
    machine: { node: process.version, cpu: cpus()[0]?.model ?? 'unknown', cores: availableParallelism(), platform: `${process.platform}-${process.arch}` },
    records: { count: records.buffers.length, meanBytes: records.meanBytes, medianBytes: records.medianBytes, forbidShare: forbid / records.buffers.length, seed: BENCH_SEED },
    notes, fluentBitSequence, moduleOnly, interpreter, engines, sizes, rules: ruleRows, terms, allocations, profile,
    prefilter: { ruleSet: (pack ?? sets.seed).name, candidateShare, rules: prefilter },
    processMaxRssBytes: process.resourceUsage().maxRSS * 1024,
    phases,
    targets: [],
    realHost,
  };
  results.targets = evaluateTargets(results);
  results.durationSeconds = (Date.now() - started) / 1000;
  return results;
}
