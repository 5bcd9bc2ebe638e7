/**
 * `npm start -- [options]`: the whole system on embedded defaults (see stack-options.ts), a block
 * saying what runs where, then a live one-line status until Ctrl-C, which stops everything.
 * Exit status: 0 stopped cleanly, 1 failed (a port in use, a part that did not start), 2 bad options.
 */
import '../process/quiet-sdk-notice.js';
import { LocalServicesError, LocalServicesUsageError } from '../local-services/errors.js';
import { formatStackStatus } from './stack-status.js';
import { parseStackArgs, stackUsage } from './stack-options.js';
import type { LocalStack } from './start-stack.js';

const stopSignals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
/** Repeated signals within this window are one Ctrl-C arriving by two routes (ms). */
const repeatWindowMs = 2_000;
/** Status refresh (ms); without a terminal one line is printed every statusLineEveryMs. */
const statusEveryMs = 2_000;
const statusLineEveryMs = 10_000;

async function main(): Promise<void> {
  const { options, help } = parseStackArgs(process.argv.slice(2));
  if (help) {
    process.stdout.write(`${stackUsage()}\n`);
    return;
  }
  if (options.external?.kafkaBootstrap === undefined && process.env.MSK_CLUSTER_ARN?.trim()) {
    // A real MSK cluster named by ARN: its brokers, looked up as the functions do.
    const { resolveBootstrapServers } = await import('../../functions/shared/kafka/bootstrap/resolve-bootstrap-servers.js');
    const { loadKafkaConfig } = await import('../../functions/shared/config/kafka-config.js');
    const bootstrap = await resolveBootstrapServers(loadKafkaConfig(process.env));
    options.external = { ...options.external, kafkaBootstrap: bootstrap.brokers.join(',') };
  }
  const { startLocalStack } = await import('./start-stack.js');
  let stack: LocalStack | null = null;
  let stoppingSince: number | null = null;
  let statusTimer: NodeJS.Timeout | null = null;
  const stop = (signal: string): void => {
    if (stoppingSince !== null) {
      if (Date.now() - stoppingSince < repeatWindowMs) return;
      process.stderr.write(`\n${signal} again: exiting without waiting\n`);
      process.exit(1);
    }
    stoppingSince = Date.now();
    if (statusTimer !== null) clearInterval(statusTimer);
    process.stderr.write(`\nstopping (${signal})…\n`);
    if (stack) void finish(stack);
  };
  for (const signal of stopSignals) process.on(signal, () => stop(signal));

  process.stderr.write(`starting the local stack (data in ${options.dataDir}); serverless offline takes a few seconds…\n`);
  stack = await startLocalStack(options, {
    onRuntimeLine: (line) => {
      if (/error|warn|fail/i.test(line)) process.stderr.write(`\n[functions] ${line}\n`);
    },
    onProducerError: (error) => process.stderr.write(`\n[producer] ${(error as Error).message}\n`),
  });
  if (stoppingSince !== null) return finish(stack);
  const { services } = stack;
  const database = services.databaseUrl.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1@');
  process.stdout.write(
    [
      'local stack running:',
      options.external?.kafkaBootstrap === undefined
        ? `  kafka (local MSK)   ${services.kafkaBootstrap}   control plane ${services.controlPlaneUrl}\n  cluster ARN         ${services.clusterArn}`
        : `  kafka (configured)  ${services.kafkaBootstrap}`,
      `  postgres${options.external?.databaseUrl === undefined ? '          ' : ' (configured)'}  ${database}`,
      `  s3${options.external?.s3Endpoint === undefined ? '                ' : ' (configured)      '}  ${services.s3Endpoint}   buckets ${services.env.MODEL_BUCKET}, ${services.env.DASHBOARD_BUCKET}`,
      `  dashboard           ${stack.dashboardUrl}`,
      `  functions (Lambda)  ${stack.lambdaEndpoint}   serverless offline, pid ${stack.runtime.pid}`,
      `  producer            ${options.producerRate === null ? 'none (--no-producer)' : `1 × ${options.producerRate} records/s`}`,
      `  env file            ${services.envFile ?? 'none'}`,
      'Ctrl-C stops everything.',
      '',
    ].join('\n'),
  );
  const tty = process.stdout.isTTY === true;
  let lastPrinted = 0;
  const show = async () => {
    try {
      const line = formatStackStatus(await stack!.status(), stack!.training);
      if (stoppingSince !== null) return;
      if (tty) process.stdout.write(`\r\x1b[K${line}`);
      else if (Date.now() - lastPrinted >= statusLineEveryMs) {
        lastPrinted = Date.now();
        process.stdout.write(`${new Date().toISOString()} ${line}\n`);
      }
    } catch (error) {
      if (stoppingSince === null) process.stderr.write(`\nstatus unavailable: ${(error as Error).message}\n`);
    }
  };
  await show();
  statusTimer = setInterval(() => void show(), statusEveryMs);
  void stack.runtime.exited.then((code) => {
    if (stoppingSince === null) {
      process.stderr.write(`\nserverless offline exited unexpectedly (${String(code)}); stopping\n`);
      stop('runtime exit');
    }
  });
}

async function finish(stack: LocalStack): Promise<void> {
  try {
    await stack.stop();
    process.stderr.write('local stack stopped\n');
    process.exit(0);
  } catch (error) {
    process.stderr.write(`local stack: ${(error as Error).message}\n`);
    process.exit(1);
  }
}

main().catch((error: unknown) => {
  const known = error instanceof LocalServicesError;
  const message = known ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`local stack: ${message}\n`);
  process.exit(error instanceof LocalServicesUsageError ? 2 : 1);
});
