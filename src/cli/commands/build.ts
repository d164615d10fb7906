// kql-edge build --rules PATH [--rules PATH ...] -o OUT.wasm
import type { Command } from 'commander';
import { addRuleOptions, addBuildOptions, buildOptionsFrom, type BuildFlags } from '../options.js';
import { loadOrFail, compileOrFail, formatRuleSummary } from '../rules.js';
import { writeArtifacts } from '../../build/artifact.js';
import type { CliIO } from '../io.js';
import { checkOutputPath } from '../files.js';

interface Flags extends BuildFlags {
  rules: string[];
  output: string;
  fieldTypes?: string;
}

export function registerBuild(program: Command, io: CliIO): void {
  const cmd = program
    .command('build')
    .description('compile rules into one self-contained Fluent Bit filter module (and its WASI command sibling)')
    .requiredOption('-o, --output <file>', 'the module to write (the WASI command goes next to it as NAME.wasi.wasm)');
  addRuleOptions(cmd);
  addBuildOptions(cmd);
  cmd.action(async (flags: Flags) => {
    await checkOutputPath(flags.output);
    const loaded = await loadOrFail(flags, io.err);
    io.err(formatRuleSummary(loaded));
    const program = compileOrFail(loaded.rules, buildOptionsFrom(flags), flags.fieldTypes, io.err);
    const written = await writeArtifacts(program.ir, program.bytes, flags.output);
    io.err(`wrote ${written.filterPath} (${written.filterBytes} bytes, Fluent Bit filter: Function_Name filter)`);
    io.err(`wrote ${written.commandPath} (${written.commandBytes} bytes, WASI command: NDJSON on stdin -> stdout)`);
  });
}
