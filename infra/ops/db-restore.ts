/**
 * `npm run db:restore -- FILE --yes [--env-path FILE | --no-env]`: replays a db:backup file into
 * the configured database in one transaction (db-dump.ts). Every table in the backup is dropped and
 * recreated, hence --yes. Prints one JSON line. Exit 0 / 1 failed / 2 usage.
 */
import '../process/quiet-sdk-notice.js';
import { loadDatabaseConfig, describeDatabaseConfig } from '../../functions/shared/config/index.js';
import { ConfigError } from '../../functions/shared/errors.js';
import { runCli } from '../db/cli-support.js';
import { restoreDatabase } from './db-dump.js';
import { parseFlags } from './flags.js';
import { loadOperatorEnv } from './operator-env.js';

const USAGE = `usage: npm run db:restore -- FILE --yes [--env-path FILE | --no-env]
Replaces the tables of the database named by DATABASE_URL or POSTGRES_* with those in FILE (a
db:backup file), in one transaction: on any error nothing changes.`;

await runCli('db:restore', async (argv) => {
  const { flags, positional } = parseFlags(argv, { yes: { kind: 'switch' }, 'env-path': { kind: 'text' }, 'no-env': { kind: 'switch' }, help: { kind: 'switch' } }, USAGE);
  if (flags.help) return USAGE;
  if (positional.length !== 1) throw new ConfigError(`expected one backup file, got ${positional.length} arguments\n${USAGE}`);
  const { env } = await loadOperatorEnv({ envPath: flags['env-path'], noEnv: flags['no-env'] });
  if (!flags.yes) {
    const target = describeDatabaseConfig(loadDatabaseConfig(env));
    throw new ConfigError(`restoring replaces the tables of ${target} with the backup's; run again with --yes\n${USAGE}`);
  }
  return restoreDatabase(env, positional[0]!);
});
