/**
 * `npm run db:migrate`: applies pending migrations from infra/db/migrations to the database named by
 * DATABASE_URL (or POSTGRES_HOST/PORT/DB/USER/PASSWORD). Safe to run concurrently and repeatedly.
 * Prints {"applied":[...],"alreadyApplied":[...]}.
 */
import { ConfigError } from '../../functions/shared/errors.js';
import { poolFromEnv, runCli } from './cli-support.js';
import { runMigrations } from './migrator.js';

const USAGE = `usage: npm run db:migrate
Applies infra/db/migrations/NNN_name.sql in order, each in one transaction, recorded in schema_migrations.
Connection: DATABASE_URL, or POSTGRES_HOST, POSTGRES_PORT, POSTGRES_DB, POSTGRES_USER, POSTGRES_PASSWORD.`;

await runCli('db:migrate', async (argv) => {
  if (argv.includes('--help') || argv.includes('-h')) return USAGE;
  if (argv.length > 0) throw new ConfigError(`unknown argument "${argv[0]}"\n${USAGE}`);
  const pool = poolFromEnv('db:migrate');
  try {
    return await runMigrations(pool);
  } finally {
    await pool.end();
  }
});
