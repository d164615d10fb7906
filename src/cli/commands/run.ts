// kql-edge run [--rules PATH ...] [INPUT.ndjson | -]
// Evaluates NDJSON records with the same WASM evaluator and the same calling sequence as Fluent Bit.
import type { Command } from 'commander';
import { addRuleOptions, addBuildOptions, buildOptionsFrom, type BuildFlags } from '../options.js';
import { loadOrFail, compileOrFail } from '../rules.js';
import { genericFilterModule } from '../../build/evaluator.js';
import { FluentBitHost } from '../../host/fluent-bit-host.js';
import { readLines } from '../../host/lines.js';
import { formatSummary } from '../../host/summary.js';
import type { CliIO } from '../io.js';
import { openInput } from '../files.js';
import type { Readable } from 'node:stream';

interface Flags extends BuildFlags {
  rules: string[];
  fieldTypes?: string;
  summary: boolean;
}

const FLUSH_BYTES = 1 << 16;

export function registerRun(program: Command, io: CliIO): void {
  const cmd = program
    .command('run')
    .description('evaluate NDJSON records (a file, or - / nothing for stdin) and print one line per record')
    .argument('[input]', 'NDJSON file, or - for standard input', '-')
    .option('--no-summary', 'do not print the summary on stderr');
  addRuleOptions(cmd);
  addBuildOptions(cmd);
  cmd.action(async (input: string, flags: Flags) => {
    const loaded = await loadOrFail(flags, io.err);
    const compiled = compileOrFail(loaded.rules, buildOptionsFrom(flags), flags.fieldTypes);
    const stream: Readable = input === '-' ? io.stdin : await openInput(input);
    const host = await FluentBitHost.create(await genericFilterModule(), compiled.bytes);
    const started = process.hrtime.bigint();
    let buffered: Buffer[] = [];
    let size = 0;
    const flush = async () => {
      if (size === 0) return;
      const chunk = Buffer.concat(buffered);
      buffered = [];
      size = 0;
      await io.out(chunk);
    };
    for await (const line of readLines(stream)) {
      const result = host.filter(line, Date.now());
      if (result.verdict === 'dropped') continue;
      buffered.push(result.output, NEWLINE);
      size += result.output.length + 1;
      if (size >= FLUSH_BYTES) await flush();
    }
    await flush();
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (flags.summary) io.err(formatSummary(host.stats(), compiled.ir, seconds));
  });
}

const NEWLINE = Buffer.from('\n');
