/**
 * `npm run db:cleanup -- --logs-days 7 --experiments-days 30`: deletes rows past retention (see
 * retention.ts) and prints a JSON summary of the rows deleted.
 */
import { poolFromEnv, runCli } from './cli-support.js';
import { CLEANUP_USAGE, parseCleanupArgs } from './cleanup-args.js';
import { deleteExpiredRows } from './retention.js';

await runCli('db:cleanup', async (argv) => {
  const args = parseCleanupArgs(argv);
  if (args.help) return CLEANUP_USAGE;
  const pool = poolFromEnv('db:cleanup');
  try {
    return await deleteExpiredRows(pool, args);
  } finally {
    await pool.end();
  }
});
