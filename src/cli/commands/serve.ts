// kql-edge serve --listen HOST:PORT --forward URL|- [--rules PATH ...] [--wasm FILE]
// The transform server for Vector (http sink -> kql-edge -> http_server source) and any HTTP pipeline:
// the same module and calling sequence as in Fluent Bit, batches answered 2xx only once delivered.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { addRuleOptions, addBuildOptions, buildOptionsFrom, parseDuration, parseSize, type BuildFlags } from '../options.js';
import { loadOrFail, compileOrFail } from '../rules.js';
import { UserError } from '../exit.js';
import { genericFilterModule } from '../../build/evaluator.js';
import { FluentBitHost, HostError, type HostOptions } from '../../host/fluent-bit-host.js';
import { TransformServer, SERVER_DEFAULTS, parseListen, type ListenAddress } from '../../server/server.js';
import { HttpForwarder, StdoutForwarder, type Forwarder } from '../../server/forwarder.js';
import { ruleNamesOfModule } from '../../server/module-info.js';
import type { CliIO } from '../io.js';
import { checkOutputPath } from '../files.js';

interface Flags extends BuildFlags {
  rules: string[];
  fieldTypes?: string;
  wasm?: string;
  listen: ListenAddress;
  forward: string;
  metricsListen?: ListenAddress;
  maxBody: number;
  maxPending: number;
  maxPendingBytes: number;
  retryCacheEntries: number;
  retryCacheBytes: number;
  retryAfter: number;
  forwardTimeout: number;
  shutdownTimeout: number;
}

/** What delivers SIGTERM/SIGINT (the process; tests pass their own emitter). */
export interface SignalSource {
  once(signal: 'SIGTERM' | 'SIGINT', listener: () => void): unknown;
  off(signal: 'SIGTERM' | 'SIGINT', listener: () => void): unknown;
}

/** Called once the server listens (tests use it to learn the port). */
export type OnListening = (server: TransformServer) => void;

export function registerServe(program: Command, io: CliIO, signals: SignalSource = process, onListening?: OnListening): void {
  const cmd = program
    .command('serve')
    .description('HTTP transform server for Vector and other HTTP pipelines: evaluates posted batches (NDJSON or a JSON array) and forwards them')
    .requiredOption('--forward <url>', 'where evaluated batches go: an http(s) URL (e.g. Vector http_server source), or - for NDJSON on stdout')
    .option('--listen <host:port>', 'address for batches, /healthz and /metrics', listenOption, parseListen('127.0.0.1:8687'))
    .option('--metrics-listen <host:port>', 'extra address serving only /healthz and /metrics (probes, scrapes)', listenOption)
    .option('--wasm <file>', 'module to run (default: the generic evaluator with --rules compiled); with --rules, the rules are loaded into it')
    .option('--max-body <size>', 'largest batch body, after decompression (413 above)', parseSize, SERVER_DEFAULTS.maxBodyBytes)
    .option('--max-pending <batches>', 'batches accepted and not yet answered (429 above)', positiveInt, SERVER_DEFAULTS.maxPendingBatches)
    .option('--max-pending-bytes <size>', 'bytes those batches may hold (429 above)', parseSize, SERVER_DEFAULTS.maxPendingBytes)
    .option('--retry-cache-entries <n>', 'undelivered batch outputs kept for retries', nonNegativeInt, SERVER_DEFAULTS.retryCacheEntries)
    .option('--retry-cache-bytes <size>', 'bytes the retry cache may hold', parseSize, SERVER_DEFAULTS.retryCacheBytes)
    .option('--retry-after <seconds>', 'Retry-After sent with 429 and 503', nonNegativeInt, SERVER_DEFAULTS.retryAfterSeconds)
    .option('--forward-timeout <duration>', 'time the downstream has to answer a batch', parseDuration, SERVER_DEFAULTS.forwardTimeoutMs)
    .option('--shutdown-timeout <duration>', 'on SIGTERM/SIGINT, how long in-flight batches may take to finish', parseDuration, SERVER_DEFAULTS.shutdownTimeoutMs);
  addRuleOptions(cmd);
  addBuildOptions(cmd);
  cmd.action(async (flags: Flags) => {
    // The module sees the state file under its absolute path (the folder is preopened as itself).
    if (flags.stateFile) flags.stateFile = path.resolve(flags.stateFile);
    if (flags.stateFile) await checkOutputPath(flags.stateFile);
    const { host, ruleNames } = await createHost(flags, io);
    const forwarder = createForwarder(flags, io);
    let server: TransformServer;
    try {
      server = await TransformServer.start(host, {
        listen: flags.listen,
        metricsListen: flags.metricsListen,
        forwarder,
        maxBodyBytes: flags.maxBody,
        maxPendingBatches: flags.maxPending,
        maxPendingBytes: flags.maxPendingBytes,
        retryCacheEntries: flags.retryCacheEntries,
        retryCacheBytes: flags.retryCacheBytes,
        retryAfterSeconds: flags.retryAfter,
        shutdownTimeoutMs: flags.shutdownTimeout,
        stateFile: flags.stateFile || undefined,
        log: io.err,
        ruleNames,
      });
    } catch (err) {
      forwarder.close();
      throw new UserError(`kql-edge serve: cannot listen on ${flags.listen.host}:${flags.listen.port}: ${(err as Error).message}`);
    }
    onListening?.(server);
    await new Promise<void>((resolve) => {
      const stop = () => {
        signals.off('SIGTERM', stop);
        signals.off('SIGINT', stop);
        resolve();
      };
      signals.once('SIGTERM', stop);
      signals.once('SIGINT', stop);
    });
    await server.shutdown();
  });
}

async function createHost(flags: Flags, io: CliIO): Promise<{ host: FluentBitHost; ruleNames: Map<string, string> }> {
  const explicitRules = flags.rules.length > 0;
  let module: WebAssembly.Module;
  let ruleNames = new Map<string, string>();
  if (flags.wasm) {
    const bytes = await fs.readFile(flags.wasm).catch((err: Error) => {
      throw new UserError(`kql-edge serve: cannot read --wasm ${flags.wasm}: ${err.message}`);
    });
    module = await WebAssembly.compile(bytes).catch((err: Error) => {
      throw new UserError(`kql-edge serve: ${flags.wasm} is not a WebAssembly module: ${err.message}`);
    });
    ruleNames = ruleNamesOfModule(module);
  } else {
    module = await genericFilterModule();
  }
  // The generic evaluator needs a program; a built module carries its own unless --rules replaces it.
  if (!flags.wasm || explicitRules) {
    const loaded = await loadOrFail(flags, io.err);
    const compiled = compileOrFail(loaded.rules, buildOptionsFrom(flags), flags.fieldTypes);
    ruleNames = new Map(compiled.ir.rules.map((r) => [r.ruleId, r.name]));
    try {
      return { host: await FluentBitHost.create(module, compiled.bytes, hostOptions(flags)), ruleNames };
    } catch (err) {
      if (err instanceof HostError) throw new UserError(`kql-edge serve: ${err.message}`);
      throw err;
    }
  }
  const host = await FluentBitHost.create(module, undefined, hostOptions(flags));
  if (host.exports.kqe_ready?.() === 0) throw new UserError(`kql-edge serve: ${flags.wasm} has no rules built in (it is the generic evaluator): give --rules`);
  return { host, ruleNames };
}

/**
 * With a state file, its folder is given to the module under the same path, as Fluent Bit's
 * Accessible_Paths does: the snapshot is restored at start, written periodically and at shutdown.
 * (A module built with its own --state-file needs the same --state-file here.)
 */
function hostOptions(flags: Flags): HostOptions {
  if (!flags.stateFile) return {};
  const dir = path.dirname(flags.stateFile);
  return { preopens: { [dir]: dir } };
}

function createForwarder(flags: Flags, io: CliIO): Forwarder {
  if (flags.forward === '-') return new StdoutForwarder((chunk) => io.out(chunk));
  try {
    return new HttpForwarder(flags.forward, flags.forwardTimeout);
  } catch (err) {
    throw new UserError(`kql-edge serve: ${(err as Error).message}`);
  }
}

function listenOption(text: string): ListenAddress {
  try {
    return parseListen(text);
  } catch (err) {
    throw new UserError((err as Error).message);
  }
}

function positiveInt(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new UserError(`not a positive integer: ${text}`);
  return n;
}

function nonNegativeInt(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw new UserError(`not a non-negative integer: ${text}`);
  return n;
}
