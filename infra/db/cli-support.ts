/**
 * Shared shape of the database CLIs: the result is printed as one JSON line on stdout; a failure is
 * one line on stderr (never secrets: messages come from the pipeline errors, which redact them).
 * Exit codes: 0 done, 1 failed (database, migration), 2 usage or configuration error.
 */
import { ConfigError } from '../../functions/shared/errors.js';
import { createPool } from '../../functions/shared/db/pool.js';
import { databaseConnectionFromEnv } from '../../functions/shared/db/connection-config.js';
import type pg from 'pg';

export async function runCli(name: string, main: (argv: string[]) => Promise<unknown>): Promise<void> {
  try {
    const result = await main(process.argv.slice(2));
    if (typeof result === 'string') process.stdout.write(`${result}\n`);
    else process.stdout.write(`${JSON.stringify(result)}\n`);
    process.exitCode = 0;
  } catch (error) {
    process.stderr.write(`${name} failed: ${(error as Error)?.message ?? String(error)}\n`);
    process.exitCode = error instanceof ConfigError ? 2 : 1;
  }
}

/** A one-connection pool from the environment, without a statement timeout (DDL and bulk deletes take time). */
export function poolFromEnv(applicationName: string): pg.Pool {
  return createPool({ ...databaseConnectionFromEnv(process.env), max: 1, statementTimeoutMs: 0, applicationName });
}
