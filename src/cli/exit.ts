// Exit codes of every command: 0 success; 1 some rules skipped as unsupported (`check` only);
// 2 bad arguments, or rules that fail to load, parse or compile.
export const EXIT_OK = 0;
export const EXIT_SKIPPED = 1;
export const EXIT_USAGE = 2;

/** A failure the user can fix: printed as is (no stack), with its exit code. */
export class UserError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT_USAGE,
  ) {
    super(message);
  }
}
