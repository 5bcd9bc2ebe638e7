/**
 * The environment the operator commands work in: the process environment, plus the `.env` that
 * `npm start` writes (infra/local-services) for every variable the process does not set — so the
 * commands reach the embedded stack with no setup, and an exported DATABASE_URL (compose, RDS)
 * still wins. `--env-path FILE` reads another file, `--no-env` none.
 */
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ConfigError } from '../../functions/shared/errors.js';
import { parseEnvFile } from '../local-services/env-file.js';
import { repoRoot } from '../deploy/osls.js';

export const defaultEnvFile = resolve(repoRoot, '.env');
/** An env file is a few dozen lines; anything far larger is not one. */
const maxEnvFileBytes = 256 * 1024;

export interface OperatorEnv {
  readonly env: Readonly<Record<string, string>>;
  /** The file read, or null. */
  readonly envFile: string | null;
}

export async function loadOperatorEnv(options: { envPath?: string; noEnv?: boolean } = {}, base: NodeJS.ProcessEnv = process.env): Promise<OperatorEnv> {
  const own = Object.fromEntries(Object.entries(base).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
  if (options.noEnv) return { env: own, envFile: null };
  const file = resolve(options.envPath ?? defaultEnvFile);
  const info = await stat(file).catch(() => null);
  if (info === null) {
    if (options.envPath !== undefined) throw new ConfigError(`--env-path: ${file} does not exist`);
    return { env: own, envFile: null };
  }
  if (!info.isFile() || info.size > maxEnvFileBytes) throw new ConfigError(`${file} is not an env file (not a regular file, or over ${maxEnvFileBytes} bytes)`);
  const fromFile = parseEnvFile(await readFile(file, 'utf8'));
  return { env: { ...fromFile, ...own }, envFile: file };
}
