// Where commands write: injectable so tests can run the CLI in-process.
import type { Readable } from 'node:stream';

export interface CliIO {
  /** Writes output; the returned promise (if any) resolves when it is safe to write more. */
  out: (chunk: string | Uint8Array) => void | Promise<void>;
  err: (line: string) => void;
  stdin: Readable;
}

export const processIO: CliIO = {
  out: (chunk) => {
    if (process.stdout.write(chunk)) return;
    return new Promise((resolve) => process.stdout.once('drain', () => resolve()));
  },
  err: (line) => {
    process.stderr.write(line.endsWith('\n') ? line : line + '\n');
  },
  stdin: process.stdin,
};
