/**
 * `npm run health -- [--only kafka,postgres,offset-reuse,s3,functions,offline] [--json]
 * [--offline-url URL] [--env-path FILE | --no-env]`: checks Kafka (metadata, the pipeline's
 * topics), PostgreSQL (a query, every migration applied), records dead-lettered for reused Kafka
 * offsets (offset-reuse-check.ts), S3 (the buckets exist), the functions (bundle and load) and
 * serverless-offline (reachable if running), concurrently, each within a time limit. One line per
 * check, `ok`, `WARN`, `FAIL` or `skip`, saying what is wrong. Exit 0 when nothing failed (a
 * warning is not a failure), 1 otherwise, 2 for bad options.
 */
import '../process/quiet-sdk-notice.js';
import { ConfigError } from '../../functions/shared/errors.js';
import { checkFunctions } from './functions-check.js';
import { checkKafka, checkOffline, checkPostgres, checkS3, type CheckResult } from './health-checks.js';
import { httpEndpoint, parseFlags } from './flags.js';
import { checkOffsetReuse } from './offset-reuse-check.js';
import { loadOperatorEnv } from './operator-env.js';

const USAGE = `usage: npm run health -- [--only LIST] [--json] [--offline-url URL] [--env-path FILE | --no-env]
  --only LIST        comma-separated: kafka, postgres, offset-reuse, s3, functions, offline [all]
  --offline-url URL  serverless-offline's Lambda endpoint [http://127.0.0.1:3002]
Settings come from the environment, then .env (written by \`npm start\`).`;

const allChecks = ['kafka', 'postgres', 'offset-reuse', 's3', 'functions', 'offline'] as const;
type CheckName = (typeof allChecks)[number];
/** Per check, in ms; the functions check may bundle three handlers on a busy machine. */
const limits: Record<CheckName, number> = { kafka: 15_000, postgres: 10_000, 'offset-reuse': 10_000, s3: 10_000, functions: 120_000, offline: 5_000 };

async function main(argv: string[]): Promise<number> {
  const { flags, positional } = parseFlags(
    argv,
    { only: { kind: 'text' }, json: { kind: 'switch' }, 'offline-url': { kind: 'text' }, 'env-path': { kind: 'text' }, 'no-env': { kind: 'switch' }, help: { kind: 'switch' } },
    USAGE,
  );
  if (flags.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (positional.length > 0) throw new ConfigError(`unexpected argument ${JSON.stringify(positional[0]!.slice(0, 80))}\n${USAGE}`);
  const selected = (flags.only ?? allChecks.join(',')).split(',').map((name) => name.trim());
  const unknown = selected.filter((name) => !(allChecks as readonly string[]).includes(name));
  if (unknown.length > 0 || selected.length === 0) throw new ConfigError(`--only: unknown check ${JSON.stringify(unknown.join(',').slice(0, 80))} (one of ${allChecks.join(', ')})\n${USAGE}`);
  const offlineUrl = httpEndpoint(flags['offline-url'] ?? 'http://127.0.0.1:3002', '--offline-url', USAGE);
  const { env, envFile } = await loadOperatorEnv({ envPath: flags['env-path'], noEnv: flags['no-env'] });
  // The AWS SDK reads credentials from process.env: give it what .env holds.
  for (const [name, value] of Object.entries(env)) process.env[name] ??= value;

  const runners: Record<CheckName, () => Promise<CheckResult>> = {
    kafka: () => checkKafka(env),
    postgres: () => checkPostgres(env),
    'offset-reuse': () => checkOffsetReuse(env),
    s3: () => checkS3(env),
    functions: () => checkFunctions(process.env),
    offline: () => checkOffline(offlineUrl),
  };
  const results = await Promise.all((selected as CheckName[]).map((name) => withinLimit(name, runners[name]())));
  if (flags.json) {
    process.stdout.write(`${JSON.stringify({ envFile, healthy: results.every((result) => result.verdict !== 'fail'), checks: results })}\n`);
  } else {
    for (const result of results) process.stdout.write(`${{ ok: 'ok  ', warn: 'WARN', fail: 'FAIL', skip: 'skip' }[result.verdict]} ${result.check.padEnd(18)} ${result.detail}\n`);
  }
  return results.some((result) => result.verdict === 'fail') ? 1 : 0;
}

function withinLimit(name: CheckName, check: Promise<CheckResult>): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<CheckResult>((resolve) => {
    timer = setTimeout(() => resolve({ check: name, verdict: 'fail', detail: `no answer within ${limits[name] / 1000} s` }), limits[name]);
  });
  return Promise.race([check, timeout]).finally(() => clearTimeout(timer));
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`health: ${(error as Error)?.message ?? String(error)}\n`);
    process.exit(error instanceof ConfigError ? 2 : 1);
  },
);
