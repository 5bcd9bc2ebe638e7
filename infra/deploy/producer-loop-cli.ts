/**
 * `npx tsx infra/deploy/producer-loop-cli.ts --lambda-endpoint URL --function NAME [options]`: keeps
 * one producer running through the Lambda Invoke API, as `npm start` does with serverless offline:
 * invokes the deployed producer function for --invocation-seconds at --rate records/s, and again
 * when it returns, until SIGTERM or SIGINT. docker-compose.yml's `producer` service runs it against
 * LocalStack, so `docker compose up -d` has logs flowing at the seed's rate (1 record/s).
 * A failed invocation is one JSON line on stderr and is retried after a pause. Exit 0 when stopped,
 * 2 on bad options.
 */
import '../process/quiet-sdk-notice.js';
import { resolve } from 'node:path';
import { ConfigError } from '../../functions/shared/errors.js';
import { createLambdaInvoker } from '../lambda/invoke-lambda.js';
import { startProducerLoop } from '../local-stack/producer-loop.js';
import { defaultProducerRate, maxProducerRate } from '../local-stack/stack-options.js';
import { httpEndpoint, parseFlags, quoted } from '../ops/flags.js';

export const PRODUCER_LOOP_USAGE = `usage: producer-loop-cli.ts --lambda-endpoint URL --function NAME [options]
  --lambda-endpoint URL       the Lambda Invoke API (LocalStack: http://localstack:4566)
  --function NAME             the deployed producer, e.g. log-anomaly-detection-localstack-producer
  --rate N                    records/s, above 0 and at most ${maxProducerRate} [${defaultProducerRate}]
  --invocation-seconds N      length of one invocation, 10-840 (the function's timeout is 900) [600]
  --region REGION             [us-east-1]
  --producer-id ID            the id its records carry [compose-producer]`;

const specs = {
  'lambda-endpoint': { kind: 'text' },
  function: { kind: 'text' },
  rate: { kind: 'text' },
  'invocation-seconds': { kind: 'count', min: 10, max: 840 },
  region: { kind: 'text' },
  'producer-id': { kind: 'text' },
  help: { kind: 'switch' },
} as const;

export interface ProducerLoopSettings {
  readonly endpoint: string;
  readonly functionName: string;
  readonly rate: number;
  readonly invocationSeconds: number;
  readonly region: string;
  readonly producerId: string;
}

/** The loop's settings from the command line; ConfigError (exit 2) names a bad option. */
export function parseProducerLoopArgs(argv: readonly string[]): ProducerLoopSettings | 'help' {
  const { flags, positional } = parseFlags(argv, specs, PRODUCER_LOOP_USAGE);
  if (flags.help) return 'help';
  const fail = (message: string): never => {
    throw new ConfigError(`${message}\n${PRODUCER_LOOP_USAGE}`);
  };
  if (positional.length > 0) fail(`unexpected argument ${quoted(positional[0]!)}`);
  if (flags['lambda-endpoint'] === undefined) fail('--lambda-endpoint is required');
  if (flags.function === undefined) fail('--function is required');
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(flags.function!)) fail(`--function must be a Lambda function name of letters, digits, "-" and "_" (got ${quoted(flags.function!)})`);
  const rate = flags.rate === undefined ? defaultProducerRate : Number(flags.rate);
  if (!/^\d+(\.\d+)?$/.test(flags.rate ?? '1') || !(rate > 0 && rate <= maxProducerRate)) fail(`--rate must be a number of records/s above 0 and at most ${maxProducerRate} (got ${quoted(flags.rate ?? '')})`);
  const region = flags.region ?? 'us-east-1';
  if (!/^[a-z]{2}(-[a-z]+)+-\d{1,2}$/.test(region)) fail('--region must be an AWS region such as us-east-1');
  const producerId = flags['producer-id'] ?? 'compose-producer';
  if (!/^[A-Za-z0-9._:-]{1,64}$/.test(producerId)) fail(`--producer-id must be 1-64 of letters, digits and ._:- (got ${quoted(producerId)})`);
  return {
    endpoint: httpEndpoint(flags['lambda-endpoint']!, '--lambda-endpoint', PRODUCER_LOOP_USAGE),
    functionName: flags.function!,
    rate,
    invocationSeconds: flags['invocation-seconds'] ?? 600,
    region,
    producerId,
  };
}

async function main(): Promise<void> {
  let settings: ProducerLoopSettings | 'help';
  try {
    settings = parseProducerLoopArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`producer loop: ${(error as Error).message}\n`);
    process.exitCode = error instanceof ConfigError ? 2 : 1;
    return;
  }
  if (settings === 'help') {
    process.stdout.write(`${PRODUCER_LOOP_USAGE}\n`);
    return;
  }
  // Credentials: the AWS SDK's default chain (compose sets LocalStack's test/test).
  const lambda = createLambdaInvoker({ endpoint: settings.endpoint, region: settings.region });
  const loop = startProducerLoop({
    invoke: lambda.invoke,
    functionName: settings.functionName,
    rate: settings.rate,
    invocationSeconds: settings.invocationSeconds,
    producerId: settings.producerId,
    onError: (error) => process.stderr.write(`${JSON.stringify({ level: 'WARN', message: 'producer invocation failed; retrying', error: (error as Error)?.message ?? String(error) })}\n`),
  });
  process.stdout.write(`${JSON.stringify({ level: 'INFO', message: 'producer loop started', function: settings.functionName, rate: settings.rate, invocationSeconds: settings.invocationSeconds })}\n`);
  const stop = async () => {
    await loop.stop();
    lambda.close();
    // The invocation in flight is abandoned (the function finishes its run on its own).
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  await main();
}
