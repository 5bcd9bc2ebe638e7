/**
 * The event-source mapping on its own (`npm run mapping -- …`): runs every `msk`/`kafka` trigger
 * of a resolved serverless configuration against a Kafka cluster and invokes the functions
 * through the Lambda Invoke API — LocalStack, serverless-offline's Lambda port, or AWS.
 *
 *   --config FILE            `serverless print --format json [--stage S]` output (required)
 *   --lambda-endpoint URL    Lambda API endpoint (e.g. http://localstack:4566); AWS when absent
 *   --invoke lambda          the only invoker (kept for explicitness)
 *   --stage S                the stage the functions were deployed with [config's provider.stage]
 *   --functions a,b          only these function keys [all with Kafka triggers]
 *
 * Brokers: KAFKA_BOOTSTRAP_SERVERS, else each msk event's cluster ARN (AWS_ENDPOINT_URL_KAFKA for a
 * local control plane). AWS_REGION and credentials from the environment (LocalStack takes any).
 * Runs until SIGINT/SIGTERM; stops after the batches in hand. Exit: 0 stopped, 1 failed, 2 usage.
 */
import '../process/quiet-sdk-notice.js';
import { readFile, stat } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { createLambdaInvoker } from '../lambda/invoke-lambda.js';
import { withInvokeServiceFailures } from './invoke-failure.js';
import { createOfflineMappings } from './offline-plugin/offline-mappings.js';
import { maxConfigBytes, parseResolvedService } from './service-config.js';
import { ConfigError } from '../../functions/shared/errors.js';

const usage = 'usage: npm run mapping -- --config <serverless-print.json> [--lambda-endpoint URL] [--invoke lambda] [--stage S] [--functions a,b]';

class UsageError extends Error {}

function log(level: 'info' | 'error', message: string, fields: Record<string, unknown> = {}): void {
  process.stderr.write(`${JSON.stringify({ level, component: 'event-source-mapping', message, ...fields })}\n`);
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      args: process.argv.slice(2),
      options: { config: { type: 'string' }, 'lambda-endpoint': { type: 'string' }, invoke: { type: 'string' }, stage: { type: 'string' }, functions: { type: 'string' }, help: { type: 'boolean' } },
      strict: true,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return;
  }
  if (values.config === undefined) throw new UsageError('--config is required');
  if (values.invoke !== undefined && values.invoke !== 'lambda') throw new UsageError('--invoke takes only "lambda" (the Lambda Invoke API)');
  const endpoint = values['lambda-endpoint'];
  if (endpoint !== undefined && !/^https?:\/\/[^\s/]+(\/[^\s]*)?$/.test(endpoint)) throw new UsageError('--lambda-endpoint must be an http(s) URL');
  if (values.stage !== undefined && !/^[a-zA-Z0-9-]{1,64}$/.test(values.stage)) throw new UsageError('--stage must be 1-64 letters, digits or -');
  const only = values.functions === undefined ? null : new Set(values.functions.split(',').map((name) => name.trim()).filter(Boolean));

  const info = await stat(values.config).catch(() => null);
  if (info === null || !info.isFile()) throw new UsageError(`--config ${JSON.stringify(values.config)} is not a readable file`);
  if (info.size > maxConfigBytes) throw new UsageError(`--config is larger than ${maxConfigBytes} bytes`);
  const resolved = parseResolvedService(await readFile(values.config, 'utf8'), values.stage);
  const functions = resolved.functions.filter((fn) => only === null || only.has(fn.key));
  for (const name of only ?? []) if (!resolved.deployedNames.has(name)) throw new UsageError(`--functions: no function "${name}" in the configuration`);

  const region = process.env.AWS_REGION?.trim() || resolved.region;
  const lambda = createLambdaInvoker({
    region,
    ...(endpoint === undefined ? {} : { endpoint }),
    ...(process.env.AWS_ACCESS_KEY_ID && process.env.AWS_SECRET_ACCESS_KEY ? { credentials: { accessKeyId: process.env.AWS_ACCESS_KEY_ID, secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY } } : {}),
  });
  // A throttled, refused or failing Invoke call (429, 5xx, network) is retried by the mapping
  // without using up the function's retries; everything else is a failed invocation.
  const invokeDeployed = withInvokeServiceFailures(lambda.invoke);
  const mappings = await createOfflineMappings({
    service: resolved.service,
    stage: resolved.stage,
    functions,
    env: process.env,
    invoke: (functionKey, payload) => invokeDeployed(resolved.deployedNames.get(functionKey)!, payload),
    logger: { info: (message, fields) => log('info', message, fields), error: (message, fields) => log('error', message, fields) },
  });
  if (mappings.definitions.length === 0) throw new UsageError('the configuration has no msk or kafka events (for the chosen functions)');
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log('info', `stopping (${signal})`);
    await mappings.stop();
    lambda.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT')).on('SIGTERM', () => void stop('SIGTERM'));
  await mappings.start();
  log('info', 'running', { mappings: mappings.definitions.map((d) => ({ function: d.functionName, deployedAs: resolved.deployedNames.get(d.functionName), topic: d.topic, groupId: d.consumerGroupId })) });
}

main().catch((error: unknown) => {
  const usageError = error instanceof UsageError;
  process.stderr.write(`event-source mapping: ${(error as Error).message}${usageError ? `\n${usage}` : ''}\n`);
  process.exit(usageError || error instanceof ConfigError ? 2 : 1);
});
