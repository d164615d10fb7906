// kql-edge check --rules ...: load and compile only. Exit 0 all loaded, 1 some skipped as unsupported, 2 errors.
import type { Command } from 'commander';
import { addRuleOptions } from '../options.js';
import { loadOrFail, compileOrFail, formatRuleSummary } from '../rules.js';
import { EXIT_OK, EXIT_SKIPPED } from '../exit.js';
import type { CliIO } from '../io.js';

export function registerCheck(program: Command, io: CliIO, setExit: (code: number) => void): void {
  const cmd = program.command('check').description('validate rules: exit 0 all loaded, 1 some skipped as unsupported, 2 errors');
  addRuleOptions(cmd);
  cmd.action(async (flags: { rules: string[]; ruleset?: string; fieldTypes?: string }) => {
    const loaded = await loadOrFail(flags, io.err);
    compileOrFail(loaded.rules, {}, flags.fieldTypes, io.err);
    io.out(formatRuleSummary(loaded) + '\n');
    setExit(loaded.skipped.some((s) => s.kind === 'unsupported') ? EXIT_SKIPPED : EXIT_OK);
  });
}
