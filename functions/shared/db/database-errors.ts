/**
 * Turns whatever the `pg` driver throws into the pipeline's error hierarchy.
 *
 * - SQLSTATE class 22 (data exception) and 23 (integrity constraint violation): the data itself was
 *   refused; retrying the same data fails again → ValidationError.
 * - Everything else (connection refused or lost, statement timeout 57014, too many connections,
 *   deadlock, missing table because migrations were not run, ...) → InfrastructureError, so the
 *   handler throws and the event is redelivered.
 * Messages are built from the driver's message with secrets redacted; the original error is `cause`.
 */
import { InfrastructureError, PipelineError, ValidationError } from '../errors.js';

/** Redacts passwords from connection strings (`scheme://user:secret@host`) and `password=...` pairs. */
export function redactSecrets(text: string): string {
  return text
    .replace(/([a-z][a-z0-9+.-]*:\/\/[^:/?#\s@]*:)[^@\s]*@/gi, '$1***@')
    .replace(/(password\s*[=:]\s*)("[^"]*"|'[^']*'|\S+)/gi, '$1***');
}

/** The SQLSTATE of a PostgreSQL error (five characters), or null for network and driver errors. */
export function sqlState(error: unknown): string | null {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : null;
}

/** One line describing an error, including the members of an AggregateError (dual-stack connects). */
function describe(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) {
    return error.errors.map(describe).join('; ');
  }
  if (error instanceof Error) {
    // SQLSTATEs are reported by the caller; other codes (ECONNRESET, ...) are added when the text lacks them.
    const code = (error as { code?: unknown }).code;
    const text = error.message || error.name;
    return typeof code === 'string' && sqlState(error) === null && !text.includes(code) ? `${code}: ${text}` : text;
  }
  return String(error);
}

/** Maps a failure of `operation` (e.g. "storeDetectorBatch") to a PipelineError; PipelineErrors pass through. */
export function toPipelineError(operation: string, error: unknown): PipelineError {
  if (error instanceof PipelineError) return error;
  const state = sqlState(error);
  const detail = redactSecrets(describe(error));
  if (state !== null && (state.startsWith('22') || state.startsWith('23'))) {
    return new ValidationError(`${operation}: PostgreSQL refused the data (SQLSTATE ${state}): ${detail}`, { cause: error });
  }
  const stateText = state === null ? '' : ` (SQLSTATE ${state})`;
  return new InfrastructureError(`${operation}: PostgreSQL failed${stateText}: ${detail}`, { cause: error });
}

/** Runs `fn` and rethrows any failure as a PipelineError naming `operation`. */
export async function withDatabaseErrors<T>(operation: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw toPipelineError(operation, error);
  }
}
