/**
 * Applies pending migrations, each in its own transaction, recording (version, file name, checksum)
 * in `schema_migrations`.
 *
 * Safe to run concurrently: the whole run holds a session advisory lock, so a second run waits
 * (up to `lockTimeoutMs`), then finds everything applied. Idempotent: applied migrations are
 * skipped. Refuses to run (MigrationError, nothing applied) when an applied migration's file was
 * changed, renamed or removed, or when a new file sorts before the last applied one.
 */
import type pg from 'pg';
import { advisoryLockKey } from '../../functions/shared/db/advisory-lock.js';
import { isPool, type Db } from '../../functions/shared/db/pool.js';
import { toPipelineError } from '../../functions/shared/db/database-errors.js';
import { loadMigrations, type MigrationFile } from './migration-files.js';
import { MigrationError } from './migration-error.js';

export interface MigrationOptions {
  /** Directory of NNN_name.sql files; defaults to infra/db/migrations. */
  readonly dir?: string;
  /** How long to wait for a concurrent run to finish, in ms. Default 60 000. */
  readonly lockTimeoutMs?: number;
}

export interface MigrationReport {
  /** File names applied by this run, in order. */
  readonly applied: string[];
  /** File names that were already applied before this run. */
  readonly alreadyApplied: string[];
}

interface AppliedRow {
  version: number;
  name: string;
  checksum: string;
}

const MIGRATION_LOCK = advisoryLockKey('schema-migrations');

export async function runMigrations(db: Db, options: MigrationOptions = {}): Promise<MigrationReport> {
  const files = await loadMigrations(options.dir);
  const lockTimeoutMs = options.lockTimeoutMs ?? 60_000;
  const session = isPool(db) ? await connect(db) : db;
  let broken: Error | undefined;
  try {
    await lock(session, lockTimeoutMs);
    try {
      return await applyPending(session, files);
    } finally {
      await session.query('SELECT pg_advisory_unlock($1::bigint)', [MIGRATION_LOCK]).catch((error: Error) => (broken = error));
    }
  } finally {
    if (isPool(db)) (session as pg.PoolClient).release(broken);
  }
}

async function connect(pool: pg.Pool): Promise<pg.PoolClient> {
  try {
    return await pool.connect();
  } catch (error) {
    throw toPipelineError('runMigrations', error);
  }
}

async function lock(session: pg.ClientBase, lockTimeoutMs: number): Promise<void> {
  try {
    await session.query(`SELECT set_config('lock_timeout', $1, false)`, [`${lockTimeoutMs}ms`]);
    await session.query('SELECT pg_advisory_lock($1::bigint)', [MIGRATION_LOCK]);
  } catch (error) {
    if ((error as { code?: string }).code === '55P03') {
      throw new MigrationError(`another migration run held the migration lock for more than ${lockTimeoutMs} ms`, { cause: error });
    }
    throw toPipelineError('runMigrations', error);
  } finally {
    await session.query('RESET lock_timeout').catch(() => undefined);
  }
}

async function applyPending(session: pg.ClientBase, files: readonly MigrationFile[]): Promise<MigrationReport> {
  let applied: AppliedRow[];
  try {
    await session.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version    integer PRIMARY KEY,
      name       text NOT NULL,
      checksum   text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now())`);
    applied = (await session.query<AppliedRow>('SELECT version, name, checksum FROM schema_migrations ORDER BY version')).rows;
  } catch (error) {
    throw toPipelineError('runMigrations', error);
  }
  const pending = pendingMigrations(files, applied);
  const report: MigrationReport = { applied: [], alreadyApplied: applied.map((row) => row.name) };
  for (const file of pending) {
    await applyOne(session, file);
    report.applied.push(file.fileName);
  }
  return report;
}

/** The files still to apply; throws MigrationError when disk and database disagree. */
export function pendingMigrations(files: readonly MigrationFile[], applied: readonly AppliedRow[]): MigrationFile[] {
  const byVersion = new Map(files.map((file) => [file.version, file]));
  for (const row of applied) {
    const file = byVersion.get(row.version);
    if (!file) {
      throw new MigrationError(`migration "${row.name}" is applied in the database but its file is missing; restore it`);
    }
    if (file.fileName !== row.name) {
      throw new MigrationError(`migration ${row.version} was applied as "${row.name}" but the file is now "${file.fileName}"; applied migrations must not be renamed`);
    }
    if (file.checksum !== row.checksum) {
      throw new MigrationError(
        `migration "${row.name}" was changed after it was applied (checksum ${row.checksum.slice(0, 12)}… recorded, ` +
          `${file.checksum.slice(0, 12)}… on disk); applied migrations are immutable: revert the change and add a new migration`,
      );
    }
  }
  const lastApplied = applied.reduce((max, row) => Math.max(max, row.version), 0);
  const appliedVersions = new Set(applied.map((row) => row.version));
  const pending = files.filter((file) => !appliedVersions.has(file.version));
  const early = pending.find((file) => file.version < lastApplied);
  if (early) {
    throw new MigrationError(`migration "${early.fileName}" is new but sorts before the last applied migration (version ${lastApplied}); renumber it`);
  }
  return pending;
}

async function applyOne(session: pg.ClientBase, file: MigrationFile): Promise<void> {
  try {
    await session.query('BEGIN');
    await session.query(file.sql);
    await session.query('INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [file.version, file.fileName, file.checksum]);
    await session.query('COMMIT');
  } catch (error) {
    await session.query('ROLLBACK').catch(() => undefined);
    const position = Number((error as { position?: string }).position);
    const line = Number.isInteger(position) && position > 0 ? ` at line ${file.sql.slice(0, position - 1).split('\n').length}` : '';
    const cause = toPipelineError(`migration ${file.fileName}`, error);
    throw new MigrationError(`migration "${file.fileName}" failed${line} and was rolled back: ${cause.message}`, { cause: error });
  }
}
