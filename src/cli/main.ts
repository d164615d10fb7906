// The kql-edge command line: one sub-command per file in commands/.
import { Command, CommanderError } from 'commander';
import { processIO, type CliIO } from './io.js';
import { UserError, EXIT_USAGE, EXIT_OK } from './exit.js';
import { registerBuild } from './commands/build.js';
import { registerRun } from './commands/run.js';
import { registerCheck } from './commands/check.js';
import { registerInspect } from './commands/inspect.js';
import { registerFluentBitConfig } from './commands/fluent-bit-config.js';
import { registerDemo } from './commands/demo.js';
import { registerServe } from './commands/serve.js';
import { registerVectorConfig } from './commands/vector-config.js';

export async function main(argv: string[], io: CliIO = processIO): Promise<number> {
  let exitCode = EXIT_OK;
  const program = new Command('kql-edge')
    .description("Elastic detection rules (KQL query and new_terms) as one WebAssembly filter for Fluent Bit and Vector")
    .exitOverride()
    .configureOutput({ writeOut: (s) => void io.out(s), writeErr: (s) => io.err(s) })
    .showHelpAfterError();
  registerBuild(program, io);
  registerRun(program, io);
  registerCheck(program, io, (c) => (exitCode = c));
  registerInspect(program, io);
  registerFluentBitConfig(program, io);
  registerDemo(program, io);
  registerServe(program, io);
  registerVectorConfig(program, io);
  for (const cmd of program.commands) cmd.exitOverride();
  try {
    await program.parseAsync(argv);
    return exitCode;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    if (err instanceof UserError) {
      io.err(err.message);
      return err.exitCode;
    }
    io.err(`kql-edge: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
    return 1;
  }
}
