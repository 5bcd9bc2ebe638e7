/**
 * The whole local system in one call: the local services (Kafka/MSK, PostgreSQL, S3), the
 * functions under `serverless offline start` with the Kafka event-source mappings, and one
 * producer invoked through serverless-offline's Lambda API. `stop()` stops the producer, then the
 * runtime (mappings finish the batch in hand), then the services; nothing is left running.
 */
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import pg from 'pg';
import { createS3Client, loadModelConfig, loadS3Config } from '../../functions/shared/config/index.js';
import type { TrainingWindows } from '../../functions/shared/model/training-windows.js';
import { startDashboardPublisher } from '../../functions/dashboard-publisher/index.js';
import { deployDashboard } from '../dashboard/deploy-dashboard.js';
import { createLambdaInvoker } from '../lambda/invoke-lambda.js';
import type { LocalServicesOptions } from '../local-services/options.js';
import { isPortFree, pickFreePort } from '../local-services/ports.js';
import { PortInUseError } from '../local-services/errors.js';
import { startOfflineRuntime, type OfflineRuntime } from './offline-runtime.js';
import { startServicesProcess, type ServicesProcess } from './services-process.js';
import { removeStackPids, writeStackPids } from './stack-pids.js';
import { startProducerLoop } from './producer-loop.js';
import { readStackStatus, type StackStatus } from './stack-status.js';

export interface LocalStackOptions extends LocalServicesOptions {
  /** serverless-offline's Lambda Invoke API port. */
  lambdaPort: number;
  httpPort: number;
  websocketPort: number;
  /** Records/s of the one producer; null runs no producer. */
  producerRate: number | null;
  stage: string;
  /** Directory holding serverless.yml (default: the repository root). */
  serviceDir?: string;
  /** Extra variables for the functions' runtime (e.g. ESM_METRICS_INTERVAL_MS), over the services' env. */
  runtimeEnv?: Readonly<Record<string, string>>;
  /** Extra node flags for the runtime process (bench:pipeline's --cpu-prof). */
  runtimeNodeArgs?: readonly string[];
  /** Extra node flags for the services process (the broker and S3; bench:pipeline's --cpu-prof). */
  servicesNodeArgs?: readonly string[];
  /** How often the dashboard's data is published (ms, default 5,000); null publishes none (bench:pipeline). */
  dashboardPublishIntervalMs?: number | null;
}

export interface LocalStack {
  readonly services: ServicesProcess;
  readonly runtime: OfflineRuntime;
  /** Where the functions can be invoked (serverless-offline's Lambda API). */
  readonly lambdaEndpoint: string;
  readonly detectorGroupId: string;
  /** The dashboard's URL on the S3 emulator (the website endpoint of the dashboard bucket). */
  readonly dashboardUrl: string;
  /**
   * The detector's training windows, read by its own model config loader from the environment the
   * functions get (the env file's TRAINING_WINDOW / FIRST_TRAINING_WINDOW under runtimeEnv): the
   * status line and the dashboard say "provisional" by these figures.
   */
  readonly training: TrainingWindows;
  status(): Promise<StackStatus>;
  stop(): Promise<void>;
}

const service = 'log-anomaly-detection';

export async function startLocalStack(options: LocalStackOptions, hooks: { onRuntimeLine?: (line: string) => void; onProducerError?: (error: unknown) => void; onDashboardLog?: (line: Record<string, unknown>) => void } = {}): Promise<LocalStack> {
  options = { ...options };
  for (const key of ['lambdaPort', 'httpPort', 'websocketPort'] as const) {
    if (options[key] === 0) options[key] = await pickFreePort(options.host);
  }
  await refuseTakenRuntimePorts(options);
  // Each component's output also goes to <dataDir>/logs/<component>.log (`npm run logs -- <component>`).
  await mkdir(join(options.dataDir, 'logs'), { recursive: true });
  const servicesLog = createWriteStream(join(options.dataDir, 'logs', 'services.log'), { flags: 'a' });
  const functionsLog = createWriteStream(join(options.dataDir, 'logs', 'functions.log'), { flags: 'a' });
  const closeLogs = () => Promise.all([servicesLog, functionsLog].map((stream) => new Promise((resolve) => stream.end(resolve))));
  const services = await startServicesProcess(options, (text) => servicesLog.write(text), options.servicesNodeArgs).catch(async (error: unknown) => {
    await closeLogs();
    throw error;
  });
  let runtime: OfflineRuntime | null = null;
  let admin: Admin | null = null;
  let db: pg.Pool | null = null;
  try {
    // What the detector reads: serverless.yml passes these two variables of the runtime's environment on.
    const runtimeWindows = { ...services.env, ...options.runtimeEnv };
    const { trainingWindow, firstTrainingWindow } = loadModelConfig({ TRAINING_WINDOW: runtimeWindows.TRAINING_WINDOW, FIRST_TRAINING_WINDOW: runtimeWindows.FIRST_TRAINING_WINDOW });
    const training: TrainingWindows = Object.freeze({ trainingWindow, firstTrainingWindow });
    runtime = await startOfflineRuntime({
      host: options.host,
      lambdaPort: options.lambdaPort,
      httpPort: options.httpPort,
      websocketPort: options.websocketPort,
      stage: options.stage,
      // The stack publishes the dashboard data itself, every few seconds (the aggregator would only
      // publish when metrics arrive), so the aggregator must not: serverless.yml gives it
      // AGGREGATOR_DASHBOARD_BUCKET over the param. (An empty DASHBOARD_BUCKET is not enough: osls's
      // dotenv fills empty variables from the .env file that local:services writes.)
      env: { ...services.env, AGGREGATOR_DASHBOARD_BUCKET: '', ...options.runtimeEnv },
      ...(options.serviceDir === undefined ? {} : { cwd: options.serviceDir }),
      ...(options.runtimeNodeArgs === undefined ? {} : { nodeArgs: options.runtimeNodeArgs }),
      expectMappings: ['detector', 'metrics-aggregator'],
      onLine: (line) => {
        functionsLog.write(`${line}\n`);
        hooks.onRuntimeLine?.(line);
      },
    });
    const lambda = createLambdaInvoker({ endpoint: runtime.lambdaEndpoint, region: options.region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    const producer =
      options.producerRate === null
        ? null
        : startProducerLoop({ invoke: lambda.invoke, functionName: `${service}-${options.stage}-producer`, rate: options.producerRate, invocationSeconds: 600, onError: hooks.onProducerError ?? (() => undefined) });
    admin = new Kafka({ clientId: 'local-stack-status', brokers: [services.kafkaBootstrap], logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    db = new pg.Pool({ connectionString: services.databaseUrl, max: 2 });
    db.on('error', () => undefined);
    const s3 = createS3Client(loadS3Config(services.env), {
      maxAttempts: 2,
      credentials: { accessKeyId: services.env.AWS_ACCESS_KEY_ID ?? 'local', secretAccessKey: services.env.AWS_SECRET_ACCESS_KEY ?? 'local' },
    });
    const dashboardBucket = services.env.DASHBOARD_BUCKET ?? 'log-anomaly-dashboard';
    const dashboard = await deployDashboard({ s3, bucket: dashboardBucket });
    const publishEveryMs = options.dashboardPublishIntervalMs === undefined ? 5_000 : options.dashboardPublishIntervalMs;
    const publisher = publishEveryMs === null ? null : startDashboardPublisher({ db, s3, bucket: dashboardBucket, intervalMs: publishEveryMs, training, log: hooks.onDashboardLog ?? (() => undefined) });
    const detectorGroupId = `${service}-${options.stage}-detector`;
    // Which processes are the stack (`npm run stats`); PostgreSQL's own pid file names the database.
    await writeStackPids(options.dataDir, { launcher: process.pid, services: services.pid, functions: runtime.pid });
    const sources = { admin, db, logsTopic: 'logs', detectorGroupId };
    const started = runtime;
    let stopping: Promise<void> | null = null;
    return {
      services,
      runtime: started,
      lambdaEndpoint: started.lambdaEndpoint,
      detectorGroupId,
      dashboardUrl: dashboard.url,
      training,
      status: () => readStackStatus(sources),
      stop: () =>
        (stopping ??= (async () => {
          await producer?.stop();
          await publisher?.stop();
          s3.destroy();
          await started.stop();
          lambda.close();
          await sources.admin.disconnect().catch(() => undefined);
          await sources.db.end().catch(() => undefined);
          await services.stop();
          await removeStackPids(options.dataDir).catch(() => undefined);
          await closeLogs();
        })()),
    };
  } catch (error) {
    await runtime?.stop().catch(() => undefined);
    await admin?.disconnect().catch(() => undefined);
    await db?.end().catch(() => undefined);
    await services.stop().catch(() => undefined);
    await closeLogs();
    throw error;
  }
}

async function refuseTakenRuntimePorts(options: LocalStackOptions): Promise<void> {
  const ports: Array<[string, number, string]> = [
    ['serverless-offline Lambda API', options.lambdaPort, '--lambda-port'],
    ['serverless-offline HTTP', options.httpPort, '--http-port'],
    ['serverless-offline WebSocket', options.websocketPort, '--websocket-port'],
  ];
  for (const [name, port, flag] of ports) {
    if (!(await isPortFree(options.host, port))) throw new PortInUseError(name, options.host, port, flag);
  }
}
