// Turning a failed command into what the user sees: one line saying what went wrong and what to do,
// and the exit code. The stack trace only on request (--debug or KQL_EDGE_DEBUG=1): for a user's
// mistake it says nothing useful, and for a bug it belongs in a report.
import { ModuleBuildError } from '../build/module.js';
import { UserError, EXIT_USAGE, EXIT_INTERNAL } from './exit.js';
import { describeFileError, isFileError } from './files.js';

export interface Failure {
  message: string;
  exitCode: number;
}

export function describeFailure(err: unknown): Failure {
  if (err instanceof UserError) return { message: err.message, exitCode: err.exitCode };
  if (isFileError(err)) {
    // A file the command could not check beforehand (e.g. written to a read-only file system).
    const where = err.path ? ` ${err.path}` : '';
    return { message: `kql-edge: cannot ${err.syscall}${where}: ${describeFileError(err)}`, exitCode: EXIT_USAGE };
  }
  if (err instanceof ModuleBuildError) {
    const first = err.message.split('\n').find((l) => /ERROR|error/.test(l) && !l.startsWith('compiling')) ?? err.message.split('\n')[0];
    return {
      message: `kql-edge: compiling the evaluator module failed (${first.trim()}): reinstall kql-edge (in a source checkout: fix assembly/, then npm run build)`,
      exitCode: EXIT_INTERNAL,
    };
  }
  const message = err instanceof Error ? err.message.split('\n')[0] : String(err);
  return {
    message: `kql-edge: internal error: ${message} (this is a bug: please report it with the output of the same command run with --debug)`,
    exitCode: EXIT_INTERNAL,
  };
}

/** Whether failures print their stack trace. */
export function debugRequested(argv: string[], env: NodeJS.ProcessEnv = process.env): boolean {
  const flag = env.KQL_EDGE_DEBUG;
  return argvDebugIndex(argv) >= 0 || (flag !== undefined && flag !== '' && flag !== '0' && flag.toLowerCase() !== 'false');
}

/** Where `--debug` is in the arguments (before a `--` terminator), or -1. */
export function argvDebugIndex(argv: string[]): number {
  const end = argv.indexOf('--', 2);
  const i = argv.indexOf('--debug', 2);
  return i >= 0 && (end < 0 || i < end) ? i : -1;
}

/** The arguments without `--debug`, which every command accepts wherever it is written. */
export function withoutDebugFlag(argv: string[]): string[] {
  const out = [...argv];
  for (let i = argvDebugIndex(out); i >= 0; i = argvDebugIndex(out)) out.splice(i, 1);
  return out;
}

/** The stack trace, followed by those of the errors it was caused by. */
export function stackOf(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const own = err.stack ?? err.message;
  return err.cause === undefined ? own : `${own}\ncaused by: ${stackOf(err.cause)}`;
}
