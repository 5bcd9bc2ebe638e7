/**
 * Starts the pipeline's local infrastructure: the local MSK (Kafka + MSK control plane), PostgreSQL
 * (database log_anomaly, migrated) and the s3rver S3 emulator (model and dashboard buckets), all
 * with their data under `dataDir`, then writes the functions' settings to `envFile`: where the
 * services are, and the detector's training windows (TRAINING_WINDOW, FIRST_TRAINING_WINDOW from
 * this process's environment, defaults filled in), so the functions and `npm start`'s status line
 * and dashboard read the same figures.
 *
 * Invariants: every fixed port is checked before anything starts (PortInUseError names the port,
 * the service and the flag); a failed start stops whatever did start; `stop()` stops all three
 * (Kafka flushes its segments, PostgreSQL does a fast shutdown) and may be called more than once.
 */
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { loadModelConfig, trainingWindowEnv } from '../../functions/shared/config/index.js';
import { startBroker, type RunningBroker } from '../local-msk/broker.js';
import { createConsoleLogger } from '../local-msk/logger.js';
import { localServicesEnv, renderEnvFile, writeEnvFile } from './env-file.js';
import { LocalServicesError, PortInUseError } from './errors.js';
import { checkDistinctPorts, defaultLocalServicesOptions, type LocalServicesOptions } from './options.js';
import { runningPostmaster, startPostgres } from './postgres-service.js';
import { isAddressInUse, isPortFree, pickFreePort } from './ports.js';
import { localS3Credentials, startS3 } from './s3-service.js';
import { prepareExternalKafka, prepareExternalPostgres, prepareExternalS3 } from './external-services.js';

export const modelBucket = 'log-anomaly-models';
export const dashboardBucket = 'log-anomaly-dashboard';
export const pipelineTopics = ['logs', 'metrics'] as const;

export interface LocalServices {
  readonly kafka: { readonly bootstrap: string; readonly port: number; readonly controlPlaneUrl: string; readonly clusterArn: string };
  readonly postgres: { readonly url: string; readonly port: number; readonly database: string; readonly appliedMigrations: readonly string[] };
  readonly s3: { readonly endpoint: string; readonly port: number; readonly buckets: readonly string[] };
  /** The variables written to the env file (and what a child process needs to reach the services). */
  readonly env: Readonly<Record<string, string>>;
  /** Absolute path of the env file written, or null. */
  readonly envFile: string | null;
  readonly dataDir: string;
  /** Stops every service. Idempotent; rejects if one of them failed to stop (after trying all). */
  stop(): Promise<void>;
}

export async function startLocalServices(overrides: Partial<LocalServicesOptions> = {}): Promise<LocalServices> {
  const options: LocalServicesOptions = { ...defaultLocalServicesOptions, ...overrides };
  // A bad TRAINING_WINDOW / FIRST_TRAINING_WINDOW is refused (ConfigError) before anything starts.
  const { TRAINING_WINDOW, FIRST_TRAINING_WINDOW } = process.env;
  const trainingEnv = trainingWindowEnv(loadModelConfig({ TRAINING_WINDOW, FIRST_TRAINING_WINDOW }));
  const dataDir = resolve(options.dataDir);
  const envFile = options.envFile === null ? null : resolve(options.envFile);
  checkDistinctPorts(options);
  await refuseTakenPorts(options);
  await mkdir(dataDir, { recursive: true });

  const postgresPort = options.postgresPort === 0 ? await pickFreePort(options.host) : options.postgresPort;
  const external = options.external ?? {};
  const started = await Promise.allSettled([
    external.kafkaBootstrap === undefined ? startKafka(options, dataDir) : prepareExternalKafka(external.kafkaBootstrap, pipelineTopics, options.partitions),
    external.databaseUrl === undefined ? startPostgres({ host: options.host, port: postgresPort, dataDir }) : prepareExternalPostgres(external.databaseUrl),
    external.s3Endpoint === undefined
      ? startS3({ host: options.host, port: options.s3Port, dataDir, buckets: [modelBucket, dashboardBucket] })
      : prepareExternalS3(external.s3Endpoint, options.region, [modelBucket, dashboardBucket]),
  ] as const);
  const [kafka, postgres, s3] = started;
  const stoppers = [
    kafka.status === 'fulfilled' ? () => kafka.value.close() : null,
    postgres.status === 'fulfilled' ? () => postgres.value.stop() : null,
    s3.status === 'fulfilled' ? () => s3.value.stop() : null,
  ].filter((stopper): stopper is () => Promise<void> => stopper !== null);
  let stopping: Promise<void> | null = null;
  const stop = (): Promise<void> => (stopping ??= stopAll(stoppers));

  if (kafka.status === 'rejected' || postgres.status === 'rejected' || s3.status === 'rejected') {
    await stop().catch(() => undefined);
    const failure = started.find((result): result is PromiseRejectedResult => result.status === 'rejected')!;
    throw failure.reason;
  }

  try {
    const endpointsEnv = localServicesEnv({
      kafkaBootstrap: kafka.value.bootstrap,
      clusterArn: kafka.value.clusterArn,
      controlPlaneUrl: kafka.value.controlPlaneUrl ?? '',
      databaseUrl: postgres.value.url,
      s3Endpoint: s3.value.endpoint,
      modelBucket,
      dashboardBucket,
      region: options.region,
      ...(external.s3Endpoint === undefined ? localS3Credentials : { accessKeyId: process.env.AWS_ACCESS_KEY_ID ?? 'test', secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY ?? 'test' }),
    });
    const env: Record<string, string> = { ...endpointsEnv, ...trainingEnv };
    // A real Kafka has no local control plane or cluster ARN: the functions use KAFKA_BOOTSTRAP_SERVERS.
    for (const name of ['MSK_CLUSTER_ARN', 'AWS_ENDPOINT_URL_KAFKA'] as const) if (env[name] === '') delete env[name];
    if (envFile !== null) await writeEnvFile(envFile, renderEnvFile(env, new Date()));
    return {
      kafka: { bootstrap: kafka.value.bootstrap, port: kafka.value.port, controlPlaneUrl: kafka.value.controlPlaneUrl ?? '', clusterArn: kafka.value.clusterArn },
      postgres: { url: postgres.value.url, port: postgres.value.port, database: postgres.value.database, appliedMigrations: postgres.value.migrations.applied },
      s3: { endpoint: s3.value.endpoint, port: s3.value.port, buckets: s3.value.buckets },
      env: Object.freeze(env),
      envFile,
      dataDir,
      stop,
    };
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
}

/** The local MSK with file storage in `<dataDir>/kafka` and the pipeline's topics present. */
async function startKafka(options: LocalServicesOptions, dataDir: string): Promise<RunningBroker> {
  let broker: RunningBroker;
  try {
    broker = await startBroker(
      {
        host: options.host,
        advertisedHost: options.host,
        port: options.kafkaPort,
        controlPlanePort: options.controlPlanePort,
        dataDir: resolve(dataDir, 'kafka'),
        region: options.region,
        logLevel: options.logLevel,
        defaultPartitions: options.partitions,
      },
      { logger: createConsoleLogger(options.logLevel, 'local-msk') },
    );
  } catch (error) {
    if (isAddressInUse(error)) {
      const port = (error as { port?: number }).port;
      if (port === options.controlPlanePort) throw new PortInUseError('MSK control plane', options.host, port, '--control-plane-port');
      throw new PortInUseError('Kafka (local MSK)', options.host, port ?? options.kafkaPort, '--kafka-port');
    }
    throw error;
  }
  try {
    for (const topic of pipelineTopics) await broker.context.topics.getOrAutoCreate(topic);
  } catch (error) {
    await broker.close();
    throw new LocalServicesError(`creating the Kafka topics ${pipelineTopics.join(', ')} failed: ${(error as Error).message}`, { cause: error });
  }
  return broker;
}

async function refuseTakenPorts(options: LocalServicesOptions): Promise<void> {
  const external = options.external ?? {};
  const ports: Array<[string, number, string]> = [
    ...(external.kafkaBootstrap === undefined ? ([['Kafka (local MSK)', options.kafkaPort, '--kafka-port'], ['MSK control plane', options.controlPlanePort, '--control-plane-port']] as Array<[string, number, string]>) : []),
    ...(external.databaseUrl === undefined ? ([['PostgreSQL', options.postgresPort, '--postgres-port']] as Array<[string, number, string]>) : []),
    ...(external.s3Endpoint === undefined ? ([['S3 (s3rver)', options.s3Port, '--s3-port']] as Array<[string, number, string]>) : []),
  ];
  for (const [service, port, flag] of ports) {
    if (await isPortFree(options.host, port)) continue;
    let hint = '';
    if (flag === '--kafka-port') hint = ' (is `npm start` or `npm run kafka` already running?)';
    if (flag === '--postgres-port') {
      const leftover = await runningPostmaster(resolve(options.dataDir, 'postgres', 'data'));
      if (leftover !== null) hint = ` (PostgreSQL pid ${leftover} from an earlier run still serves this data directory: stop it with \`kill ${leftover}\`)`;
    }
    throw new PortInUseError(service, options.host, port, flag, hint);
  }
}

async function stopAll(stoppers: ReadonlyArray<() => Promise<void>>): Promise<void> {
  const results = await Promise.allSettled(stoppers.map((stopper) => stopper()));
  const failures = results.filter((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failures.length > 0) {
    throw new LocalServicesError(`stopping the local services failed: ${failures.map((failure) => (failure.reason as Error)?.message ?? String(failure.reason)).join('; ')}`);
  }
}
