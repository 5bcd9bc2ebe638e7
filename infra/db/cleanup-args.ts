/**
 * Flags of `npm run db:cleanup -- --logs-days 7 --experiments-days 30 [--streams-days 30]`.
 * Each flag takes a whole number of days in 1..36500 (as `--flag N` or `--flag=N`); at least one is
 * required; each may appear once; anything else is refused with ConfigError.
 */
import { ConfigError } from '../../functions/shared/errors.js';
import type { RetentionPolicy } from './retention.js';

export const CLEANUP_USAGE = `usage: npm run db:cleanup -- [--logs-days N] [--experiments-days M] [--streams-days S]
  --logs-days N         delete logs, anomalies and dead letters older than N days
  --experiments-days M  delete finished experiments (with their metrics and lag rows) older than M days
  --streams-days S      delete detector stream states (one per topic-partition) not written for S days
Connection: DATABASE_URL, or POSTGRES_HOST, POSTGRES_PORT, POSTGRES_DB, POSTGRES_USER, POSTGRES_PASSWORD.
Prints a JSON summary of the rows deleted.`;

const MAX_DAYS = 36_500;
const FLAGS = { '--logs-days': 'logsDays', '--experiments-days': 'experimentsDays', '--streams-days': 'streamsDays' } as const;

export type CleanupArgs = { readonly help: true } | ({ readonly help: false } & RetentionPolicy);

export function parseCleanupArgs(argv: readonly string[]): CleanupArgs {
  if (argv.includes('--help') || argv.includes('-h')) return { help: true };
  const policy: { logsDays: number | null; experimentsDays: number | null; streamsDays: number | null } = { logsDays: null, experimentsDays: null, streamsDays: null };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    if (!(flag in FLAGS)) throw new ConfigError(`unknown argument "${arg}"\n${CLEANUP_USAGE}`);
    const key = FLAGS[flag as keyof typeof FLAGS];
    if (policy[key] !== null) throw new ConfigError(`${flag} was given more than once`);
    const value = inline ?? argv[++i];
    if (value === undefined || value.startsWith('--')) throw new ConfigError(`${flag} needs a number of days`);
    policy[key] = parseDays(flag, value);
  }
  if (policy.logsDays === null && policy.experimentsDays === null && policy.streamsDays === null) {
    throw new ConfigError(`nothing to clean: pass --logs-days, --experiments-days and/or --streams-days\n${CLEANUP_USAGE}`);
  }
  const { streamsDays, ...rest } = policy;
  return { help: false, ...rest, ...(streamsDays === null ? {} : { streamsDays }) };
}

function parseDays(flag: string, value: string): number {
  const days = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(days) || days < 1 || days > MAX_DAYS) {
    throw new ConfigError(`${flag} must be a whole number of days between 1 and ${MAX_DAYS} (got "${value}")`);
  }
  return days;
}
