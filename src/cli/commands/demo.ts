// kql-edge demo (what `npm start` runs): builds the default rule into build/default.wasm, runs it
// over the bundled sample audit log with the Fluent Bit calling sequence, and prints the alerts.
import path from 'node:path';
import { promises as fs } from 'node:fs';
import type { Command } from 'commander';
import { loadOrFail, compileOrFail, formatRuleSummary } from '../rules.js';
import { writeArtifacts } from '../../build/artifact.js';
import { FluentBitHost } from '../../host/fluent-bit-host.js';
import { readLines } from '../../host/lines.js';
import { formatSummary } from '../../host/summary.js';
import { PACKAGE_ROOT } from '../../build/module.js';
import { createReadStream } from 'node:fs';
import type { CliIO } from '../io.js';

export const SAMPLE_LOG = path.join(PACKAGE_ROOT, 'samples', 'audit.ndjson');

export function registerDemo(program: Command, io: CliIO): void {
  program
    .command('demo')
    .description('build the default rule and run it over the bundled sample audit log, printing the alerts')
    .option('--input <file>', 'audit log to run over', SAMPLE_LOG)
    .action(async (flags: { input: string }) => {
      const loaded = await loadOrFail({}, io.err);
      io.err(formatRuleSummary(loaded));
      const compiled = compileOrFail(loaded.rules, {});
      const out = path.join(PACKAGE_ROOT, 'build', 'default.wasm');
      await fs.mkdir(path.dirname(out), { recursive: true });
      const written = await writeArtifacts(compiled.ir, compiled.bytes, out);
      io.err(`built ${path.relative(process.cwd(), written.filterPath)} (${written.filterBytes} bytes) and ${path.relative(process.cwd(), written.commandPath)}`);
      const host = await FluentBitHost.create(await fs.readFile(written.filterPath));
      const started = process.hrtime.bigint();
      let records = 0;
      for await (const line of readLines(createReadStream(flags.input))) {
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
      io.err(`(${records} records from ${path.relative(process.cwd(), flags.input)})`);
    });
}
