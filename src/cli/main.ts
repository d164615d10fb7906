// The kql-edge command line: one sub-command per file in commands/.
import { Command, CommanderError } from 'commander';
import { processIO, type CliIO } from './io.js';
import { EXIT_USAGE, EXIT_OK } from './exit.js';
import { describeFailure, debugRequested, withoutDebugFlag, stackOf } from './failure.js';
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
  const debug = debugRequested(argv);
  const program = new Command('kql-edge')
    .description("Elastic detection rules (KQL query and new_terms) as one WebAssembly filter for Fluent Bit and Vector")
    // Taken out of the arguments before parsing, so it works before or after the command name.
    .option('--debug', 'on failure, also print the stack trace (or set KQL_EDGE_DEBUG=1)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => void io.out(s), writeErr: (s) => io.err(s) })
    .showHelpAfterError('(kql-edge --help lists the commands)');
  registerBuild(program, io);
  registerRun(program, io);
  registerCheck(program, io, (c) => (exitCode = c));
  registerInspect(program, io);
  registerFluentBitConfig(program, io);
  registerDemo(program, io);
  registerServe(program, io);
  registerVectorConfig(program, io);
  for (const cmd of program.commands) cmd.exitOverride().showHelpAfterError(`(kql-edge ${cmd.name()} --help lists its options)`);
  try {
    await program.parseAsync(withoutDebugFlag(argv));
    return exitCode;
  } catch (err) {
    // Commander has printed its own message (and the help, when asked for).
    if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    const failure = describeFailure(err);
    io.err(failure.message);
    if (debug) io.err(stackOf(err));
    return failure.exitCode;
  }
}
