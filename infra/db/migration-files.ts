/**
 * Reads the migration files of a directory: `NNN_name.sql` (three-digit version, lower-case name),
 * plain SQL, applied in version order. Each file's checksum is the SHA-256 of its text with line
 * endings normalised to \n, so a checkout with CRLF endings does not count as a change.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MigrationError } from './migration-error.js';

export interface MigrationFile {
  readonly version: number;
  /** The file name, e.g. "001_experiments_and_metrics.sql". */
  readonly fileName: string;
  readonly sql: string;
  /** SHA-256 hex of the normalised text. */
  readonly checksum: string;
}

export const DEFAULT_MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));

const FILE_NAME = /^(\d{3})_([a-z0-9][a-z0-9_]*)\.sql$/;

export async function loadMigrations(dir: string = DEFAULT_MIGRATIONS_DIR): Promise<MigrationFile[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    throw new MigrationError(`cannot read the migrations directory ${dir}: ${(error as Error).message}`, { cause: error });
  }
  const files: MigrationFile[] = [];
  const byVersion = new Map<number, string>();
  for (const fileName of names.filter((name) => name.toLowerCase().endsWith('.sql')).sort()) {
    const match = FILE_NAME.exec(fileName);
    if (!match) {
      throw new MigrationError(`migration file "${fileName}" is misnamed: expected NNN_name.sql (e.g. 004_add_index.sql, lower-case)`);
    }
    const version = Number(match[1]);
    const clash = byVersion.get(version);
    if (clash !== undefined) throw new MigrationError(`migrations "${clash}" and "${fileName}" have the same version ${match[1]}`);
    byVersion.set(version, fileName);
    const sql = (await readFile(join(dir, fileName), 'utf8')).replace(/\r\n/g, '\n');
    if (sql.trim() === '') throw new MigrationError(`migration "${fileName}" is empty`);
    files.push({ version, fileName, sql, checksum: createHash('sha256').update(sql, 'utf8').digest('hex') });
  }
  if (files.length === 0) throw new MigrationError(`no migrations (NNN_name.sql) in ${dir}`);
  return files.sort((a, b) => a.version - b.version);
}
