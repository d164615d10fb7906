// Throughput and added latency of `kql-edge serve` on loopback:
//   npm run build && node dist/server/bench.js [--records 60000] [--batch 500] [--concurrency 4]
//     [--warmup 30000] [--latency-batches 200] [--rules PATH ...]
// A Vector-like sender posts generated raw audit events (src/bench/generator) in NDJSON batches to the
// server, which forwards them to a capturing downstream, all on 127.0.0.1. The server runs in a child
// process of its own (as in production, where Vector is another process); the sender and the
// downstream share this one.
// - throughput: records/s from the first request to the last answer, with several batches in flight;
// - added latency: one batch at a time, round trip sender -> server -> downstream -> answer, against
//   the same batches posted straight to the downstream; p50/p99 of each and their difference.
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
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
  warmup: number;
  rules: string[];
}

function parseArgs(argv: string[]): Args {
  const args: Args = { records: 60_000, batch: 500, concurrency: 4, latencyBatches: 200, warmup: 30_000, rules: [] };
  for (let i = 0; i < argv.length; i++) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (flag === '--records') args.records = Number(value);
    else if (flag === '--batch') args.batch = Number(value);
    else if (flag === '--concurrency') args.concurrency = Number(value);
    else if (flag === '--latency-batches') args.latencyBatches = Number(value);
    else if (flag === '--warmup') args.warmup = Number(value);
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

const TAG_MARK = Buffer.from('"kql_edge":');

async function hostFor(rules: string[]): Promise<{ host: FluentBitHost; rules: number }> {
  const loaded = await loadRules(rules);
  if (loaded.errors.length) throw new Error(loaded.errors.map((e) => e.message).join('\n'));
  const program = compileProgram(loaded.rules);
  return { host: await FluentBitHost.create(await genericFilterModule(), program.bytes), rules: loaded.rules.length };
}

/** The child: a server forwarding to argv's downstream; prints its URL, stops on SIGTERM. */
async function child(forwardUrl: string, rules: string[]): Promise<void> {
  const { host } = await hostFor(rules);
  const { server } = await startOnLoopback(host, forwardUrl);
  console.log(JSON.stringify({ url: server.url }));
  process.once('SIGTERM', () => {
    void server.shutdown().then(() => {
      console.log(JSON.stringify({ highWater: server.highWater }));
      process.exit(0);
    });
  });
}

async function startChild(forwardUrl: string, rules: string[]): Promise<{ proc: ChildProcess; url: string; stopped: Promise<string> }> {
  const proc = spawn(process.execPath, [fileURLToPath(import.meta.url), '--child', forwardUrl, ...rules], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: proc.stdout! })[Symbol.asyncIterator]();
  const first = await lines.next();
  if (first.done) throw new Error('the server process did not start');
  const url = (JSON.parse(first.value) as { url: string }).url;
  const stopped = lines.next().then((r) => (r.done ? '' : r.value));
  return { proc, url, stopped };
}

async function main(): Promise<void> {
  if (process.argv[2] === '--child') return child(process.argv[3]!, process.argv.slice(4));
  const args = parseArgs(process.argv.slice(2));
  const { rules } = await hostFor(args.rules);
  const events = generateEvents({ seed: 7, count: args.records });
  const bytes = events.reduce((n, e) => n + e.length + 1, 0);
  console.log(`kql-edge serve benchmark: ${rules} rules, ${events.length} generated audit events (mean ${Math.round(bytes / events.length)} B), batches of ${args.batch}, node ${process.version}`);

  const downstream = await CaptureDownstream.start();
  downstream.keepBodies = false;
  let tagged = 0;
  downstream.behaviour = (_n, body) => {
    for (let at = body.indexOf(TAG_MARK); at >= 0; at = body.indexOf(TAG_MARK, at + 1)) tagged++;
    return 'accept';
  };
  const server = await startChild(downstream.url, args.rules);
  const direct = new VectorLikeSender({ url: downstream.url, maxEvents: args.batch, maxAttempts: 1 });
  const through = new VectorLikeSender({ url: server.url, maxEvents: args.batch, concurrency: args.concurrency, deadlineMs: 600_000 });
  try {
    // Warm-up, not counted: connections, and V8's tiering of the module (its first ~10^4 records run
    // in the baseline compiler, several times slower than once optimised).
    const warm = new VectorLikeSender({ url: server.url, maxEvents: args.batch, concurrency: args.concurrency });
    await warm.send(generateEvents({ seed: 99, count: args.warmup }));
    warm.close();

    const started = performance.now();
    const report = await through.send(events);
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `throughput: ${Math.round(events.length / seconds)} records/s (${(bytes / seconds / 1e6).toFixed(1)} MB/s), ` +
        `${report.batches.length} batches, concurrency ${args.concurrency}, ${report.failed} failed, ${tagged} tagged records`,
    );

    // Each batch goes straight to the downstream and then through kql-edge, one request at a time, so
    // both see the same moment's machine load; the added latency is the per-batch difference.
    const one = new VectorLikeSender({ url: server.url, maxEvents: args.batch });
    const batches = one.batch(events).slice(0, args.latencyBatches);
    const straight: number[] = [];
    const viaServer: number[] = [];
    for (const batch of batches) {
      straight.push(...(await direct.send(batch)).latenciesMs);
      viaServer.push(...(await one.send(batch)).latenciesMs);
    }
    one.close();
    const added = viaServer.map((v, i) => v - straight[i]!).sort((a, b) => a - b);
    straight.sort((a, b) => a - b);
    viaServer.sort((a, b) => a - b);
    const fmt = (v: number) => `${v.toFixed(2)} ms`;
    const row = (xs: number[]) => `p50 ${fmt(percentile(xs, 50))}  p99 ${fmt(percentile(xs, 99))}`;
    console.log(`latency per batch of ${args.batch} (${(bytes / events.length * args.batch / 1e6).toFixed(2)} MB), one request at a time, ${added.length} batches:`);
    console.log(`  direct to downstream:  ${row(straight)}`);
    console.log(`  through kql-edge:      ${row(viaServer)}`);
    console.log(`  added by kql-edge:     ${row(added)}  (p50 ${((percentile(added, 50) * 1000) / args.batch).toFixed(1)} µs/record)`);
  } finally {
    direct.close();
    through.close();
    server.proc.kill('SIGTERM');
    const end = await server.stopped;
    if (end) console.log(`server held at most: ${end}`);
    await downstream.close();
  }
}

await main();
