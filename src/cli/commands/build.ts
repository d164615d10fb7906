// kql-edge build --rules PATH [--rules PATH ...] -o OUT.wasm [--aot [--aot-target T] [--aot-cpu C]]
import type { Command } from 'commander';
import { addRuleOptions, addBuildOptions, buildOptionsFrom, type BuildFlags } from '../options.js';
import { loadOrFail, compileOrFail, formatRuleSummary } from '../rules.js';
import { writeArtifacts } from '../../build/artifact.js';
import type { CliIO } from '../io.js';
import { UserError } from '../exit.js';
import { aotPathOf, compileAot, findOnPath, AotError, DEFAULT_AOT_CPU, DEFAULT_AOT_TARGET } from '../../build/aot.js';
import { checkOutputPath } from '../files.js';

interface Flags extends BuildFlags {
  rules: string[];
  output: string;
  fieldTypes?: string;
  aot?: boolean;
  aotTarget: string;
  aotCpu: string;
}

export function registerBuild(program: Command, io: CliIO): void {
  const cmd = program
    .command('build')
    .description('compile rules into one self-contained Fluent Bit filter module (and its WASI command sibling)')
    .requiredOption('-o, --output <file>', 'the module to write (the WASI command goes next to it as NAME.wasi.wasm)')
    .option('--aot', 'also write NAME.aot, compiled ahead of time with WAMR\'s wamrc (on PATH) for Fluent Bit\'s AOT loader')
    .option('--aot-target <target>', 'wamrc --target', DEFAULT_AOT_TARGET)
    .option('--aot-cpu <cpu>', 'wamrc --cpu (the default runs on any x86-64-v2 CPU)', DEFAULT_AOT_CPU);
  addRuleOptions(cmd);
  addBuildOptions(cmd);
  cmd.action(async (flags: Flags) => {
    if (flags.aot && !findOnPath('wamrc')) throw new UserError('kql-edge build --aot: wamrc not found on PATH (WAMR 2.4.1\'s AOT compiler; see README, "AOT"), or build without --aot');
    await checkOutputPath(flags.output);
    const loaded = await loadOrFail(flags, io.err);
    io.err(formatRuleSummary(loaded));
    const program = compileOrFail(loaded.rules, buildOptionsFrom(flags), flags.fieldTypes, io.err);
    const written = await writeArtifacts(program.ir, program.bytes, flags.output);
    io.err(`wrote ${written.filterPath} (${written.filterBytes} bytes, Fluent Bit filter: Function_Name filter)`);
    io.err(`wrote ${written.commandPath} (${written.commandBytes} bytes, WASI command: NDJSON on stdin -> stdout)`);
    if (flags.aot) {
      const aot = aotPathOf(written.filterPath);
      try {
        await compileAot(written.filterPath, aot, { target: flags.aotTarget, cpu: flags.aotCpu });
      } catch (err) {
        if (err instanceof AotError) throw new UserError(`kql-edge build --aot: ${err.message}`);
        throw err;
      }
      io.err(`wrote ${aot} (WAMR 2.4.1 AOT, --target=${flags.aotTarget} --cpu=${flags.aotCpu}: WASM_Path for Fluent Bit 5.1.x; kql-edge fluent-bit-config --wasm ${written.filterPath} --aot)`);
    }
  });
}
