// Opening the files a command reads and checking the ones it writes, before any work is done, so a
// wrong path is one clear message and not a failure halfway through.
import { promises as fs, constants as fsConstants } from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { UserError } from './exit.js';

/** Why a file operation failed, in words, and what to do about it. */
export function describeFileError(err: NodeJS.ErrnoException): string {
  switch (err.code) {
    case 'ENOENT':
      return 'no such file or folder (check the path; relative paths start from the current folder)';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied (check its permissions, or choose another path)';
    case 'EROFS':
      return 'the file system is read-only (choose another path)';
    case 'EISDIR':
      return 'it is a folder, not a file';
    case 'ENOTDIR':
      return 'a part of the path is not a folder';
    case 'ENOSPC':
      return 'no space left on the device';
    default:
      return err.message;
  }
}

/** Whether an error came from the file system (it has an errno code such as ENOENT). */
export function isFileError(err: unknown): err is NodeJS.ErrnoException {
  return err instanceof Error && typeof (err as NodeJS.ErrnoException).code === 'string' && typeof (err as NodeJS.ErrnoException).syscall === 'string';
}

/** Opens an input file for streaming; a path that cannot be read is a UserError. */
export async function openInput(file: string, what = 'input'): Promise<Readable> {
  try {
    const handle = await fs.open(file, 'r');
    if ((await handle.stat()).isDirectory()) {
      await handle.close();
      throw Object.assign(new Error('is a directory'), { code: 'EISDIR', syscall: 'open' });
    }
    return handle.createReadStream();
  } catch (err) {
    if (isFileError(err)) throw new UserError(`kql-edge: cannot read ${what} ${file}: ${describeFileError(err)}`, undefined, err);
    throw err;
  }
}

/** Checks that an output file can be written (its folder exists and is writable, it is not a folder). */
export async function checkOutputPath(file: string): Promise<void> {
  const dir = path.dirname(path.resolve(file));
  const folder = await fs.stat(dir).catch(() => undefined);
  if (!folder?.isDirectory()) throw new UserError(`kql-edge: cannot write ${file}: the folder ${dir} does not exist (create it, or choose another path)`);
  const target = await fs.stat(file).catch(() => undefined);
  if (target?.isDirectory()) throw new UserError(`kql-edge: cannot write ${file}: it is a folder (give a file name, e.g. ${path.join(file, 'filter.wasm')})`);
  const writable = await fs.access(target ? file : dir, fsConstants.W_OK).then(
    () => true,
    () => false,
  );
  if (!writable) throw new UserError(`kql-edge: cannot write ${file}: permission denied (choose a folder you can write to)`);
}
