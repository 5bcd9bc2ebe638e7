import { open, realpath } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { ValidationError } from '../../shared/errors.js';

/** Largest file a replay reads, in bytes (256 MiB: the parsed records are held in memory). */
export const MAX_REPLAY_BYTES = 256 * 1024 * 1024;
/** Longest path accepted in an event, in characters. */
export const MAX_REPLAY_PATH_CHARS = 1024;

/**
 * The UTF-8 text of a file inside `allowedDir`, for replay. `path` is relative to `allowedDir`
 * (or absolute); after resolving symlinks it must still lie inside it. ValidationError (naming
 * `what`) for an empty or NUL-carrying path, a path outside the directory (`..`, an absolute path
 * elsewhere, a symlink pointing out), a missing file, anything but a regular file, a file over
 * `maxBytes`, or text that is not UTF-8. The path the caller gave is quoted; the directory is not.
 */
export async function readReplayFile(path: string, allowedDir: string, what: string, maxBytes = MAX_REPLAY_BYTES): Promise<string> {
  if (typeof path !== 'string' || path.length === 0 || path.length > MAX_REPLAY_PATH_CHARS || path.includes('\u0000')) {
    throw new ValidationError(`${what} path must be 1–${MAX_REPLAY_PATH_CHARS} characters without NUL`);
  }
  const shown = JSON.stringify(path.slice(0, 200));
  const root = await realpath(allowedDir).catch((cause: unknown) => {
    throw new ValidationError(`the replay directory cannot be opened: ${(cause as NodeJS.ErrnoException).code ?? String(cause)}`, { cause });
  });
  const wanted = resolve(root, path);
  if (!isInside(root, wanted)) throw new ValidationError(`${what} ${shown} is outside the replay directory`);
  let real: string;
  try {
    real = await realpath(wanted);
  } catch (cause) {
    throw new ValidationError(`${what} ${shown} cannot be opened: ${(cause as NodeJS.ErrnoException).code ?? String(cause)}`, { cause });
  }
  if (!isInside(root, real)) throw new ValidationError(`${what} ${shown} leads outside the replay directory`);
  const handle = await open(real, 'r').catch((cause: unknown) => {
    throw new ValidationError(`${what} ${shown} cannot be opened: ${(cause as NodeJS.ErrnoException).code ?? String(cause)}`, { cause });
  });
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new ValidationError(`${what} ${shown} is not a regular file`);
    if (stat.size > maxBytes) throw new ValidationError(`${what} ${shown} is ${stat.size} bytes, over the ${maxBytes}-byte limit`);
    if (stat.size === 0) throw new ValidationError(`${what} ${shown} is empty`);
    const bytes = await handle.readFile();
    if (bytes.byteLength > maxBytes) throw new ValidationError(`${what} ${shown} grew past the ${maxBytes}-byte limit while being read`);
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch (cause) {
      throw new ValidationError(`${what} ${shown} is not valid UTF-8`, { cause });
    }
  } finally {
    await handle.close();
  }
}

/** True when `path` is `root` itself or below it (both absolute and normalised). */
function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel);
}
