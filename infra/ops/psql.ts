/**
 * `npm run psql [-- [--env-path FILE | --no-env] [--] [psql arguments…]]`: PostgreSQL's own psql on
 * the database the running stack uses (DATABASE_URL or POSTGRES_*, from the environment, else the
 * .env `npm start` writes), e.g. `npm run psql -- -c "SELECT COUNT(*) FROM logs;"`. The seed's
 * `docker-compose exec postgres psql -U postgres -d log_anomaly`.
 *
 * The connection travels in libpq variables (pg-tools.ts): the password in PGPASSWORD, never on a
 * command line or in a message. Before psql starts, the server is asked for its version, so that
 * "nothing answers" is one clear line rather than psql's retry. Exit: psql's own code; 1 when psql
 * is missing or the server does not answer; 2 for bad options.
 */
import '../process/quiet-sdk-notice.js';
import { spawn } from 'node:child_process';
import { describeDatabaseConfig, loadDatabaseConfig } from '../../functions/shared/config/index.js';
import { ConfigError, InfrastructureError } from '../../functions/shared/errors.js';
import { serverInfo } from './db-dump.js';
import { parseFlags } from './flags.js';
import { envFlagSpecs, runOperator } from './operator-cli.js';
import { loadOperatorEnv } from './operator-env.js';
import { findPgTool, libpqEnv } from './pg-tools.js';

export const PSQL_USAGE = `usage: npm run psql -- [--env-path FILE | --no-env] [--] [psql arguments…]
Opens psql (postgresql-client-15) on the database the stack uses: DATABASE_URL or POSTGRES_* from the
environment, else from .env as \`npm start\` writes it. Arguments after this command's own flags (or
after a "--") go to psql unchanged. Replaces the seed's \`docker-compose exec postgres psql …\`.
  npm run psql                                        an interactive session
  npm run psql -- -c "SELECT COUNT(*) FROM logs;"     one query
  npm run psql -- -- --help                           psql's own help
  --env-path FILE   read settings from FILE instead of .env      --no-env   read no file`;

const specs = { ...envFlagSpecs, help: { kind: 'switch' } } as const;

/** This command's own flags (leading, up to the first other argument or a "--"), then psql's. */
export function splitPsqlArgs(argv: readonly string[]): { own: string[]; psqlArgs: string[] } {
  let index = 0;
  while (index < argv.length) {
    const arg = argv[index]!;
    if (arg === '--') return { own: argv.slice(0, index), psqlArgs: argv.slice(index + 1) };
    const name = arg.startsWith('--') ? arg.slice(2).split('=')[0]! : '';
    if (!Object.hasOwn(specs, name)) break;
    index += specs[name as keyof typeof specs].kind === 'text' && !arg.includes('=') ? 2 : 1;
  }
  return { own: argv.slice(0, Math.min(index, argv.length)), psqlArgs: argv.slice(index) };
}

export async function openPsql(argv: readonly string[], base: NodeJS.ProcessEnv = process.env): Promise<number> {
  const { own, psqlArgs } = splitPsqlArgs(argv);
  const { flags, positional } = parseFlags(own, specs, PSQL_USAGE);
  if (flags.help) {
    process.stdout.write(`${PSQL_USAGE}\n`);
    return 0;
  }
  if (positional.length > 0) throw new ConfigError(`unexpected argument ${JSON.stringify(positional[0]!.slice(0, 80))}`);
  const { env } = await loadOperatorEnv({ envPath: flags['env-path'], noEnv: flags['no-env'] }, base);
  const config = loadDatabaseConfig(env);
  const where = describeDatabaseConfig(config);
  await serverInfo(config).catch((error: unknown) => {
    throw new InfrastructureError(`${(error as Error).message.replace(/\s+/g, ' ')}; nothing answers there: is \`npm start\` running?`, { cause: error });
  });
  const tool = await findPgTool('psql', 10, env);
  return new Promise((resolve, reject) => {
    const child = spawn(tool.path, psqlArgs, { env: libpqEnv(config, env), stdio: 'inherit' });
    // Ctrl-C belongs to psql (it cancels the running query); this wrapper waits for psql to exit.
    const ignore = () => undefined;
    process.on('SIGINT', ignore);
    child.once('error', (error) => reject(new InfrastructureError(`could not run ${tool.path}: ${error.message}`, { cause: error })));
    child.once('close', (code, signal) => {
      process.off('SIGINT', ignore);
      if (code === 2) process.stderr.write(`psql: the connection to ${where} failed or was lost\n`);
      resolve(code ?? (signal === null ? 1 : 128 + 2));
    });
  });
}

if (process.argv[1]?.endsWith('psql.ts')) await runOperator('psql', (argv) => openPsql(argv));
