import { open, stat } from 'node:fs/promises';
import { ValidationError } from '../../functions/shared/errors.js';

/** Largest log or labels file evaluate reads, in bytes (512 MiB). */
export const MAX_INPUT_BYTES = 512 * 1024 * 1024;

/**
 * The UTF-8 text of a regular file of at most `maxBytes`. ValidationError (naming `what` and the
 * path) when it does not exist, is not a regular file (a directory, a FIFO, a device), is larger
 * or is not valid UTF-8.
 */
export async function readInputFile(path: string, what: string, maxBytes = MAX_INPUT_BYTES): Promise<string> {
  if (typeof path !== 'string' || path.length === 0 || path.includes('\u0000')) throw new ValidationError(`${what} path is empty or invalid`);
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (cause) {
    throw new ValidationError(`${what} ${JSON.stringify(path)} cannot be opened: ${(cause as NodeJS.ErrnoException).code ?? (cause as Error).message}`, { cause });
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new ValidationError(`${what} ${JSON.stringify(path)} is not a regular file`);
    if (stat.size > maxBytes) throw new ValidationError(`${what} ${JSON.stringify(path)} is ${stat.size} bytes, over the ${maxBytes}-byte limit`);
    const bytes = await handle.readFile();
    if (bytes.byteLength > maxBytes) throw new ValidationError(`${what} ${JSON.stringify(path)} grew past the ${maxBytes}-byte limit while being read`);
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch (cause) {
      throw new ValidationError(`${what} ${JSON.stringify(path)} is not valid UTF-8`, { cause });
    }
  } finally {
    await handle.close();
  }
}

/**
 * Checks, without reading it, that `path` names a regular file (readInputFile's first checks), so
 * a run over several files fails before the first long evaluation rather than after it.
 */
export async function assertRegularFile(path: string, what: string): Promise<void> {
  if (typeof path !== 'string' || path.length === 0 || path.includes('\u0000')) throw new ValidationError(`${what} path is empty or invalid`);
  let isFile: boolean;
  try {
    isFile = (await stat(path)).isFile();
  } catch (cause) {
    throw new ValidationError(`${what} ${JSON.stringify(path)} cannot be opened: ${(cause as NodeJS.ErrnoException).code ?? (cause as Error).message}`, { cause });
  }
  if (!isFile) throw new ValidationError(`${what} ${JSON.stringify(path)} is not a regular file`);
}
