/**
 * `npm run deploy:localstack -- [options]`: bundles the handlers, packages the service for stage
 * `localstack`, checks the template (localstack-checks.ts, and AWS's resource specification:
 * cfn-spec-check.ts), deploys it with osls to LocalStack, which osls reaches through
 * AWS_ENDPOINT_URL (the AWS SDK v3 honours it; no plugin), and uploads the dashboard page to its
 * bucket (localstack-dashboard.ts). Prints one JSON line: the functions deployed and the
 * dashboard's website address.
 *
 * The default endpoint is an IP address on purpose: the S3 client then addresses buckets by path;
 * with a host name it puts the bucket in the host name (<bucket>.<host>), which must resolve
 * (docker-compose.yml gives LocalStack an alias for the deployment bucket for that reason).
 * Exit status: 0 deployed, 1 failed (LocalStack down, a check failed, osls failed), 2 bad options.
 */
import '../process/quiet-sdk-notice.js';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { ConfigError, ValidationError } from '../../functions/shared/errors.js';
import { runCli } from '../db/cli-support.js';
import { httpEndpoint, parseFlags } from '../ops/flags.js';
import { loadResourceSpecs } from './cfn-spec.js';
import { checkTemplateAgainstSpec, describeViolations } from './cfn-spec-check.js';
import { checkLocalStack } from './localstack-preflight.js';
import { localStackDeployProblems } from './localstack-checks.js';
import { localStackDashboardBucket, uploadLocalStackDashboard } from './localstack-dashboard.js';
import { repoRoot, runOslsOrThrow } from './osls.js';
import { readTemplateSummary } from './template-summary.js';

export const DEPLOY_USAGE = `usage: npm run deploy:localstack -- [options]
  --endpoint URL        LocalStack's edge endpoint [http://127.0.0.1:4566]
  --region REGION       AWS region [us-east-1]
  --package-dir DIR     where the package is written [.serverless]
  --print-config FILE   also write \`serverless print --stage localstack --format json\` there
                        (the event-source mapping's --config)
  --package-only        package and check, deploy nothing (needs no LocalStack)`;

const specs = {
  endpoint: { kind: 'text' },
  region: { kind: 'text' },
  'package-dir': { kind: 'text' },
  'print-config': { kind: 'text' },
  'package-only': { kind: 'switch' },
  help: { kind: 'switch' },
} as const;

export const stage = 'localstack';

/**
 * osls's environment for LocalStack: every AWS endpoint is the given one (service-specific
 * overrides from the caller's shell are dropped, they would win over AWS_ENDPOINT_URL), LocalStack's
 * dummy credentials, no profile.
 */
export function localStackEnv(base: NodeJS.ProcessEnv, endpoint: string, region: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(base)) {
    if (name.startsWith('AWS_ENDPOINT_URL_') || ['AWS_PROFILE', 'AWS_SESSION_TOKEN', 'AWS_DEFAULT_PROFILE'].includes(name)) continue;
    env[name] = value;
  }
  return { ...env, AWS_ENDPOINT_URL: endpoint, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_REGION: region, AWS_EC2_METADATA_DISABLED: 'true' };
}

export async function deployToLocalStack(argv: readonly string[]): Promise<unknown> {
  const { flags, positional } = parseFlags(argv, specs, DEPLOY_USAGE);
  if (flags.help) return DEPLOY_USAGE;
  if (positional.length > 0) throw new ConfigError(`unexpected argument ${JSON.stringify(positional[0]!.slice(0, 80))}\n${DEPLOY_USAGE}`);
  const endpoint = httpEndpoint(flags.endpoint ?? 'http://127.0.0.1:4566', '--endpoint', DEPLOY_USAGE);
  const region = flags.region ?? 'us-east-1';
  if (!/^[a-z]{2}(-[a-z]+)+-\d{1,2}$/.test(region)) throw new ConfigError(`--region must be an AWS region such as us-east-1\n${DEPLOY_USAGE}`);
  const packageDir = resolve(flags['package-dir'] ?? join(repoRoot, '.serverless'));
  const env = localStackEnv(process.env, endpoint, region);

  const localstack = flags['package-only'] ? null : await checkLocalStack(endpoint);
  await runOslsOrThrow(['package', '--stage', stage, '--region', region, '--package', packageDir], { env });
  const templateFile = join(packageDir, 'cloudformation-template-update-stack.json');
  const summary = await readTemplateSummary(templateFile);
  const problems = localStackDeployProblems(summary);
  // What CloudFormation on AWS would refuse, LocalStack may accept: refuse it here too.
  const violations = checkTemplateAgainstSpec(JSON.parse(await readFile(templateFile, 'utf8')), await loadResourceSpecs());
  if (violations.length > 0) problems.push(`against AWS's resource specification:\n  ${describeViolations(violations).split('\n').join('\n  ')}`);
  if (problems.length > 0) throw new ValidationError(`the packaged template is not fit for LocalStack:\n- ${problems.join('\n- ')}`);
  const functions = summary.functions.map((fn) => fn.name).sort();
  if (flags['package-only']) return { stage, packaged: packageDir, functions, checks: 'passed' };

  await runOslsOrThrow(['deploy', '--stage', stage, '--region', region, '--package', packageDir], { env });
  let config: string | null = null;
  if (flags['print-config']) {
    config = resolve(flags['print-config']);
    const printed = await runOslsOrThrow(['print', '--stage', stage, '--region', region, '--format', 'json'], { env, captureStdout: true });
    JSON.parse(printed.stdout); // a broken print must not leave a broken config for the mapping
    await writeAtomically(config, printed.stdout);
  }
  const dashboard = await uploadLocalStackDashboard({ endpoint, region });
  const port = new URL(endpoint).port || '4566';
  return {
    stage,
    endpoint,
    localstack: localstack?.version ?? null,
    functions,
    config,
    dashboard,
    dashboardUrl: `http://${localStackDashboardBucket}.s3-website.localhost.localstack.cloud:${port}/`,
  };
}

async function writeAtomically(file: string, text: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    await writeFile(temporary, text);
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  await runCli('deploy:localstack', deployToLocalStack);
}
