// Throughput and added latency of `kql-edge serve` on loopback:
//   npm run build && node dist/server/bench.js [--records 60000] [--batch 500] [--concurrency 4] [--rules PATH ...]
// A Vector-like sender posts generated raw audit events (src/bench/generator) in NDJSON batches to the
// server, which forwards them to a capturing downstream; everything on 127.0.0.1 in this one process
// (so the sender and the downstream compete with the server for the same CPU: a pessimistic setup).
// - throughput: records/s from the first request to the last answer, with several batches in flight;
// - added latency: one batch at a time, round trip sender -> server -> downstream -> answer, against
//   the same batches posted straight to the downstream; p50/p99 of each and their difference.
import path from 'node:path';
import { loadRules } from '../rules/load.js';
import { compileProgram } from '../compiler/index.js';
import { genericFilterModule } from '../build/evaluator.js';
import { FluentBitHost } from '../host/fluent-bit-host.js';
import { PACKAGE_ROOT } from '../build/module.js';
import { generateEvents } from '../bench/generator.js';
import { startOnLoopback } from './loopback/harness.js';
import { CaptureDownstream } from './loopback/downstream.js';
import { VectorLikeSender } from './loopback/sender.js';

interface Args {
  records: number;
  batch: number;
  concurrency: number;
  latencyBatches: number;
  rules: string[];
}

function parseArgs(argv: string[]): Args {
  const args: Args = { records: 60_000, batch: 500, concurrency: 4, latencyBatches: 200, rules: [] };
  for (let i = 0; i < argv.length; i++) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (flag === '--records') args.records = Number(value);
    else if (flag === '--batch') args.batch = Number(value);
    else if (flag === '--concurrency') args.concurrency = Number(value);
    else if (flag === '--latency-batches') args.latencyBatches = Number(value);
    else if (flag === '--rules') args.rules.push(value!);
    else throw new Error(`unknown argument ${flag}`);
    i++;
  }
  if (args.rules.length === 0) args.rules.push(path.join(PACKAGE_ROOT, 'rules', 'default'));
  return args;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const loaded = await loadRules(args.rules);
  if (loaded.errors.length) throw new Error(loaded.errors.map((e) => e.message).join('\n'));
  const program = compileProgram(loaded.rules);
  const host = await FluentBitHost.create(await genericFilterModule(), program.bytes);
  const events = generateEvents({ seed: 7, count: args.records });
  const bytes = events.reduce((n, e) => n + e.length + 1, 0);
  console.log(`kql-edge serve benchmark: ${loaded.rules.length} rules, ${events.length} generated audit events (mean ${Math.round(bytes / events.length)} B), batches of ${args.batch}, node ${process.version}`);

  const downstream = await CaptureDownstream.start();
  const { server } = await startOnLoopback(host, downstream.url);
  const direct = new VectorLikeSender({ url: downstream.url, maxEvents: args.batch, maxAttempts: 1 });
  const through = new VectorLikeSender({ url: server.url, maxEvents: args.batch, concurrency: args.concurrency, deadlineMs: 600_000 });
  try {
    // Warm-up: JIT, connections, the module's first records (a fresh state; not counted).
    await new VectorLikeSender({ url: server.url, maxEvents: args.batch }).send(generateEvents({ seed: 99, count: 2000 }));

    const started = performance.now();
    const report = await through.send(events);
    const seconds = (performance.now() - started) / 1000;
    const tagged = downstream.records().filter((r) => r.includes('"kql_edge":')).length;
    console.log(
      `throughput: ${Math.round(events.length / seconds)} records/s (${(bytes / seconds / 1e6).toFixed(1)} MB/s), ` +
        `${report.batches.length} batches, concurrency ${args.concurrency}, ${report.failed} failed, ${tagged} tagged records, ` +
        `peak held ${(server.highWater.pendingBytes / 1e6).toFixed(1)} MB bodies`,
    );

    const sample = events.slice(0, args.batch * args.latencyBatches);
    const one = new VectorLikeSender({ url: server.url, maxEvents: args.batch });
    const viaServer = (await one.send(sample)).latenciesMs.sort((a, b) => a - b);
    const straight = (await direct.send(sample)).latenciesMs.sort((a, b) => a - b);
    one.close();
    const fmt = (v: number) => `${v.toFixed(2)} ms`;
    const per = (v: number) => `${((v * 1000) / args.batch).toFixed(1)} µs/record`;
    const [p50s, p99s, p50d, p99d] = [percentile(viaServer, 50), percentile(viaServer, 99), percentile(straight, 50), percentile(straight, 99)];
    console.log(`latency per batch of ${args.batch}, one at a time (${viaServer.length} batches):`);
    console.log(`  direct to downstream:  p50 ${fmt(p50d)}  p99 ${fmt(p99d)}`);
    console.log(`  through kql-edge:      p50 ${fmt(p50s)}  p99 ${fmt(p99s)}`);
    console.log(`  added by kql-edge:     p50 ${fmt(p50s - p50d)} (${per(p50s - p50d)})  p99 ${fmt(p99s - p99d)}`);
  } finally {
    direct.close();
    through.close();
    await server.shutdown();
    await downstream.close();
  }
}

await main();
