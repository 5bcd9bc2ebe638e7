/**
 * `npm run dashboard:build` / `npm run dashboard:deploy`.
 *
 *   build   [--out-dir DIR]                        build dashboard/ into static files (default .build/dashboard)
 *   deploy  [--bucket NAME] [--website-url URL] [--no-public-read]
 *           build, upload to the bucket (DASHBOARD_BUCKET, default log-anomaly-dashboard), configure
 *           website hosting and the public read-only policy, print the URL
 *
 * S3 is configured like the functions: AWS_ENDPOINT_URL_S3 (the S3 emulator, LocalStack) or AWS,
 * AWS_REGION, credentials from the usual AWS variables. `.env` (written by `npm start`) is read when
 * present; variables already set win. Prints one JSON line; exit 0 done, 1 failed, 2 usage/config.
 */
import '../process/quiet-sdk-notice.js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createS3Client, loadS3Config } from '../../functions/shared/config/index.js';
import { ConfigError } from '../../functions/shared/errors.js';
import { runCli } from '../db/cli-support.js';
import { buildDashboard, repoRoot } from './build-dashboard.js';
import { deployDashboard } from './deploy-dashboard.js';

export const defaultDashboardBucket = 'log-anomaly-dashboard';

const usage = `usage: dashboard build [--out-dir DIR]
       dashboard deploy [--bucket NAME] [--website-url URL] [--no-public-read]`;

async function main(argv: string[]): Promise<unknown> {
  const [command, ...rest] = argv;
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      options: { 'out-dir': { type: 'string' }, bucket: { type: 'string' }, 'website-url': { type: 'string' }, 'no-public-read': { type: 'boolean' }, help: { type: 'boolean' } },
      strict: true,
      allowPositionals: false,
    });
  } catch (error) {
    throw new ConfigError(`${(error as Error).message}\n${usage}`);
  }
  const { values } = parsed;
  if (values.help || command === '--help') return usage;
  if (command === 'build') {
    const built = await buildDashboard(values['out-dir'] === undefined ? {} : { outDir: values['out-dir'] });
    return { outDir: built.outDir, files: built.files };
  }
  if (command !== 'deploy') throw new ConfigError(`unknown command ${JSON.stringify(command ?? '')}\n${usage}`);
  if (values['out-dir'] !== undefined) throw new ConfigError(`deploy builds into .build/dashboard; --out-dir is for build\n${usage}`);
  const envFile = join(repoRoot, '.env');
  if (existsSync(envFile)) process.loadEnvFile(envFile);
  const bucket = values.bucket ?? process.env.DASHBOARD_BUCKET?.trim() ?? defaultDashboardBucket;
  const websiteUrl = values['website-url'];
  if (websiteUrl !== undefined && !/^https?:\/\/[^\s]+$/.test(websiteUrl)) throw new ConfigError(`--website-url must be an http(s) URL (got ${JSON.stringify(websiteUrl)})`);
  const s3 = createS3Client(loadS3Config(process.env), { maxAttempts: 2 });
  try {
    const deployed = await deployDashboard({ s3, bucket: bucket || defaultDashboardBucket, publicRead: !values['no-public-read'], ...(websiteUrl === undefined ? {} : { websiteUrl }) });
    return deployed;
  } finally {
    s3.destroy();
  }
}

await runCli('dashboard', main);
