/**
 * `npm run db:backup -- [--out FILE] [--env-path FILE | --no-env]`: pg_dump of the configured
 * database (db-dump.ts) into .data/backups/ or FILE. Prints one JSON line. Exit 0 / 1 failed / 2 usage.
 */
import '../process/quiet-sdk-notice.js';
import { ConfigError } from '../../functions/shared/errors.js';
import { runCli } from '../db/cli-support.js';
import { backupDatabase } from './db-dump.js';
import { parseFlags } from './flags.js';
import { loadOperatorEnv } from './operator-env.js';

const USAGE = `usage: npm run db:backup -- [--out FILE] [--env-path FILE | --no-env]
Writes a plain SQL dump (pg_dump) of the database named by DATABASE_URL or POSTGRES_* (the process
environment, then .env as \`npm start\` writes it) to FILE, by default .data/backups/<database>-<time>.sql.`;

await runCli('db:backup', async (argv) => {
  const { flags, positional } = parseFlags(argv, { out: { kind: 'text' }, 'env-path': { kind: 'text' }, 'no-env': { kind: 'switch' }, help: { kind: 'switch' } }, USAGE);
  if (flags.help) return USAGE;
  if (positional.length > 0) throw new ConfigError(`unexpected argument ${JSON.stringify(positional[0]!.slice(0, 80))}\n${USAGE}`);
  const { env } = await loadOperatorEnv({ envPath: flags['env-path'], noEnv: flags['no-env'] });
  return backupDatabase(env, flags.out);
});
