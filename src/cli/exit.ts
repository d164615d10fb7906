// Exit codes of every command: 0 success; 1 some rules skipped as unsupported (`check` only);
// 2 bad arguments or input the user can fix: rules that fail to load, parse or compile, a file that
// cannot be read or written; 3 an internal error (a bug: the message asks for a report).
export const EXIT_OK = 0;
export const EXIT_SKIPPED = 1;
export const EXIT_USAGE = 2;
export const EXIT_INTERNAL = 3;

/** A failure the user can fix: printed as is (no stack), with its exit code. */
export class UserError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT_USAGE,
    cause?: unknown,
  ) {
    super(message, cause === undefined ? undefined : { cause });
  }
}
