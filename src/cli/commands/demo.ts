// kql-edge demo (what `npm start` runs): builds the default rule into a module, runs it over the
// bundled sample audit log with the Fluent Bit calling sequence, and prints the alerts. The module
// goes to -o FILE, or to a new temporary folder: never into the package, which may be read-only.
import path from 'node:path';
import os from 'node:os';
import { promises as fs } from 'node:fs';
import type { Command } from 'commander';
import { loadOrFail, compileOrFail, formatRuleSummary } from '../rules.js';
import { writeArtifacts } from '../../build/artifact.js';
import { FluentBitHost } from '../../host/fluent-bit-host.js';
import { readLines } from '../../host/lines.js';
import { formatSummary } from '../../host/summary.js';
import { PACKAGE_ROOT } from '../../build/module.js';
import { checkOutputPath, openInput } from '../files.js';
import type { CliIO } from '../io.js';

export const SAMPLE_LOG = path.join(PACKAGE_ROOT, 'samples', 'audit.ndjson');

/** How a path is shown: relative to the current folder when inside it, else absolute. */
function shown(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : path.resolve(file);
}

export function registerDemo(program: Command, io: CliIO): void {
  program
    .command('demo')
    .description('build the default rule and run it over the bundled sample audit log, printing the alerts')
    .option('--input <file>', 'audit log to run over', SAMPLE_LOG)
    .option('-o, --output <file>', 'where to write the module (default: a new temporary folder)')
    .action(async (flags: { input: string; output?: string }) => {
      if (flags.output) await checkOutputPath(flags.output);
      const input = await openInput(flags.input);
      const loaded = await loadOrFail({}, io.err);
      io.err(formatRuleSummary(loaded));
      const compiled = compileOrFail(loaded.rules, {});
      const out = flags.output ?? path.join(await fs.mkdtemp(path.join(os.tmpdir(), 'kql-edge-demo-')), 'default.wasm');
      const written = await writeArtifacts(compiled.ir, compiled.bytes, out);
      io.err(`built ${shown(written.filterPath)} (${written.filterBytes} bytes) and ${shown(written.commandPath)}`);
      const host = await FluentBitHost.create(await fs.readFile(written.filterPath));
      const started = process.hrtime.bigint();
      let records = 0;
      for await (const line of readLines(input)) {
        records++;
        const r = host.filter(line, Date.now());
        if (r.verdict !== 'tagged') continue;
        const tagged = JSON.parse(r.output.toString('utf8'));
        for (const a of tagged.kql_edge.alerts) {
          const values = a.new_terms ? ` new ${a.new_terms.fields.join(',')}=${JSON.stringify(a.new_terms.values)}` : '';
          await io.out(`ALERT ${a.name} [${a.severity}]${values} user=${tagged.user?.username ?? tagged.user?.name ?? '?'} verb=${tagged.verb ?? '?'} time=${tagged.stageTimestamp ?? tagged['@timestamp'] ?? '?'}\n`);
        }
      }
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      io.err(formatSummary(host.stats(), compiled.ir, seconds));
      io.err(`(${records} records from ${flags.input === SAMPLE_LOG ? 'the bundled sample audit log' : shown(flags.input)})`);
    });
}
