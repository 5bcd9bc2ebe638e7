/**
 * `npm run bench:pipeline [-- --rates 1000,5000,10000,20000,30000 --seconds 20 --warmup 3000 --partitions 3 --cpu-prof --runtime-env NAME=value]`
 *
 * Drives the whole local path — producer → local MSK → event-source mapping → detector →
 * PostgreSQL — as `npm start` runs it (services and serverless offline in processes of their own),
 * at increasing offered rates. Per rate it prints one JSON line: records sent, the achieved
 * end-to-end rate (records ÷ seconds from the stage's first send until its last record is stored),
 * whether the pipeline kept up (drained within 2 s of the last send), lag when sending stopped,
 * end-to-end latency p50/p95/p99/max (Kafka record timestamp → the row's stored_at, ms) and CPU
 * per component in cores (1.0 = one full core of this 2-core machine). A summary line follows.
 * --cpu-prof profiles the functions' runtime (node --cpu-prof, every thread) and prints its hot spots.
 */
import '../../process/quiet-sdk-notice.js';
import { mkdtemp, readdir, rename, rm, stat } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import pg from 'pg';
import { defaultLocalServicesOptions } from '../../local-services/options.js';
import { startLocalStack, type LocalStack } from '../../local-stack/start-stack.js';
import { readTopicProgress } from '../../local-stack/stack-status.js';
import { coresUsed, readCpu, type ComponentProcesses } from './cpu-by-component.js';
import { LeanProducer } from './lean-producer.js';
import { prepareRecords, producePaced } from './paced-producer.js';
import { hotSpots } from './summarize-cpu-profile.js';
import { parseBenchArgs } from './bench-options.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitUntil(condition: () => Promise<boolean>, limitMs: number): Promise<boolean> {
  const deadline = Date.now() + limitMs;
  while (Date.now() < deadline) {
    if (await condition()) return true;
    await sleep(100);
  }
  return false;
}

async function latencies(db: pg.Pool, producerId: string) {
  const { rows } = await db.query<{ n: string; p: number[] | null; max: number | null }>(
    `SELECT count(*) AS n,
            percentile_cont(ARRAY[0.5, 0.95, 0.99]) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM stored_at - produced_at) * 1000) AS p,
            max(EXTRACT(EPOCH FROM stored_at - produced_at) * 1000) AS max
       FROM logs WHERE producer_id = $1`,
    [producerId],
  );
  const row = rows[0]!;
  const ms = (value: number | null | undefined) => (value === null || value === undefined ? null : Math.round(Number(value)));
  return { stored: Number(row.n), p50: ms(row.p?.[0]), p95: ms(row.p?.[1]), p99: ms(row.p?.[2]), max: ms(row.max) };
}

/**
 * Records of the stage stored per second between `fromMs` and `toMs` (while sending, after the
 * first records' latency has passed): the rate the pipeline sustained, not diluted by ramp-up or drain.
 */
async function storedRate(db: pg.Pool, producerId: string, fromMs: number, toMs: number): Promise<number> {
  const { rows } = await db.query<{ n: string }>('SELECT count(*) AS n FROM logs WHERE producer_id = $1 AND stored_at >= $2 AND stored_at < $3', [producerId, new Date(fromMs), new Date(toMs)]);
  return Math.round(Number(rows[0]!.n) / ((toMs - fromMs) / 1000));
}

/** Model versions the detector trained between two instants (retraining is part of its work). */
async function modelsTrained(db: pg.Pool, fromMs: number, toMs: number): Promise<number> {
  const { rows } = await db.query<{ n: string }>('SELECT count(*) AS n FROM models WHERE created_at BETWEEN $1 AND $2', [new Date(fromMs), new Date(toMs)]);
  return Number(rows[0]!.n);
}

/** Mean of the detector's processing time and the mapping's invoke latency reported for a time window (ms). */
async function invokeFigures(db: pg.Pool, fromMs: number, toMs: number) {
  const { rows } = await db.query<{ metric_name: string; mean: number | null; batches: string }>(
    `SELECT metric_name, avg(metric_value) AS mean, count(*) AS batches FROM performance_metrics
      WHERE metric_name IN ('processing_time_ms', 'batch_size', 'esm.invoke_latency_p50_ms', 'esm.invoke_latency_p95_ms')
        AND "timestamp" BETWEEN $1 AND $2
      GROUP BY metric_name`,
    [new Date(fromMs), new Date(toMs)],
  );
  const mean = (name: string) => {
    const value = rows.find((row) => row.metric_name === name)?.mean;
    return value === null || value === undefined ? null : Math.round(Number(value));
  };
  return { detectorBatchMs: mean('processing_time_ms'), detectorBatchRecords: mean('batch_size'), invokeP50Ms: mean('esm.invoke_latency_p50_ms'), invokeP95Ms: mean('esm.invoke_latency_p95_ms') };
}

async function main(): Promise<void> {
  const options = parseBenchArgs(process.argv.slice(2));
  const dataDir = await mkdtemp(join(tmpdir(), 'bench-pipeline-'));
  const profileDir = join(dataDir, 'profiles');
  let stack: LocalStack | null = null;
  try {
    stack = await startLocalStack({
      ...defaultLocalServicesOptions,
      kafkaPort: 0, controlPlanePort: 0, postgresPort: 0, s3Port: 0, lambdaPort: 0, httpPort: 0, websocketPort: 0,
      dataDir,
      envFile: join(dataDir, 'stack.env'),
      logLevel: 'error',
      partitions: options.partitions,
      producerRate: null,
      dashboardPublishIntervalMs: options.withDashboard ? 5_000 : null,
      stage: 'dev',
      runtimeEnv: { ESM_METRICS_INTERVAL_MS: '2000', ...options.runtimeEnv },
      ...(options.cpuProf ? { runtimeNodeArgs: ['--cpu-prof', `--cpu-prof-dir=${profileDir}`], servicesNodeArgs: ['--cpu-prof', `--cpu-prof-dir=${join(profileDir, 'services')}`] } : {}),
    });
    const running = stack;
    // Interrupted: stop the stack first (its processes live in groups of their own).
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => {
        process.stderr.write(`bench:pipeline: ${signal}; stopping the stack\n`);
        void running.stop().finally(() => process.exit(130));
      });
    }
    const db = new pg.Pool({ connectionString: running.services.databaseUrl, max: 2 });
    const admin = new Kafka({ clientId: 'bench-pipeline', brokers: [running.services.kafkaBootstrap], logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    const topicMetadata = await admin.fetchTopicMetadata({ topics: ['logs'] });
    const partitions = topicMetadata.topics[0]!.partitions.length;
    const producer = await LeanProducer.connect(running.services.kafkaBootstrap);
    const components: ComponentProcesses = {
      producer: { pid: process.pid, scope: 'self' },
      'broker+s3': { pid: running.services.pid, scope: 'self' },
      postgres: { pid: running.services.pid, scope: 'children' },
      'functions (mapping+detector+aggregator)': { pid: running.runtime.pid, scope: 'tree' },
    };
    // Lag from Kafka offsets only: counting rows every 100 ms would load PostgreSQL (count(*) scans
    // the table) while the pipeline is still draining.
    const detectorLag = async () => (await readTopicProgress({ admin, logsTopic: 'logs', detectorGroupId: running.detectorGroupId })).lag;
    const drained = async () => (await detectorLag()) === 0;

    // Warm-up: the detector trains its first model on the first 1,000 stored records.
    await producePaced(producer, 'logs', prepareRecords('bench-warmup', options.warmup, 2_000, partitions), 2_000);
    const ready = await waitUntil(async () => (await drained()) && (await running.status()).modelVersion !== null, 120_000);
    if (!ready) throw new Error('the warm-up did not drain or no model was trained within 120 s');

    const results = [];
    for (const rate of options.rates) {
      const producerId = `bench-${rate}`;
      // Generated before the stage's clock and CPU accounting start: the pipeline is measured, not the generator.
      const prepared = prepareRecords(producerId, Math.round(rate * options.seconds), rate, partitions);
      const cpuBefore = readCpu(components);
      const started = Date.now();
      const sent = await producePaced(producer, 'logs', prepared, rate);
      const sendingStopped = Date.now();
      const lagAtStop = await detectorLag();
      const keptUp = await waitUntil(drained, 2_000);
      const finished = keptUp || (await waitUntil(drained, 120_000));
      const done = Date.now();
      const cpu = coresUsed(cpuBefore, readCpu(components), (done - started) / 1000);
      const latency = await latencies(db, producerId);
      const steadyFrom = started + Math.min(2_000, (sendingStopped - started) / 4);
      const sustainedWhileSending = await storedRate(db, producerId, steadyFrom, sendingStopped);
      const trained = await modelsTrained(db, started, done);
      await sleep(2_500); // the aggregator stores metrics in batches
      const invokes = await invokeFigures(db, started, done);
      const line = {
        offeredRate: rate,
        sent: sent.sent,
        producedRate: Math.round(sent.sent / sent.seconds),
        endToEndRate: Math.round(latency.stored / ((done - started) / 1000)),
        storedRateWhileSending: sustainedWhileSending,
        keptUp,
        drained: finished,
        lagWhenSendingStopped: lagAtStop,
        drainSeconds: Math.round((done - sendingStopped) / 100) / 10,
        latencyMs: { p50: latency.p50, p95: latency.p95, p99: latency.p99, max: latency.max },
        invocations: invokes,
        modelsTrained: trained,
        cores: cpu,
      };
      results.push(line);
      process.stdout.write(`${JSON.stringify(line)}\n`);
      if (!finished) break;
      await sleep(2_000);
    }
    // The highest offered rate the pipeline kept up with, the rate it stored while that stage was
    // sending, and the highest rate stored while sending in any stage (the ceiling, when a stage
    // offered more than the pipeline keeps up with).
    const keptUp = results.filter((result) => result.keptUp).sort((a, b) => b.offeredRate - a.offeredRate)[0];
    const ceiling = results.length === 0 ? null : Math.max(...results.map((result) => result.storedRateWhileSending));
    const at5k = results.find((result) => result.offeredRate === 5_000);
    process.stdout.write(
      `${JSON.stringify({
        summary: true,
        highestOfferedRateKeptUp: keptUp?.offeredRate ?? null,
        storedRateWhileSendingAtIt: keptUp?.storedRateWhileSending ?? null,
        highestStoredRateWhileSending: ceiling,
        p95AtOffered5000Ms: at5k?.latencyMs.p95 ?? null,
        stageSeconds: options.seconds,
        partitions: options.partitions,
        machine: { cores: cpus().length, loadAverage1m: Math.round(loadavg()[0]! * 100) / 100 },
      })}\n`,
    );
    producer.close();
    await admin.disconnect();
    await db.end();
  } finally {
    await stack?.stop();
  }
  if (options.cpuProf) {
    const files = await readdir(profileDir).catch(() => []);
    const sized = await Promise.all(files.filter((file) => file.endsWith('.cpuprofile')).map(async (file) => ({ file, bytes: (await stat(join(profileDir, file))).size })));
    const kept = join(tmpdir(), `bench-pipeline-profiles-${Date.now()}`);
    await rename(profileDir, kept);
    process.stdout.write(`${JSON.stringify({ profiles: kept, open: 'Chrome DevTools › Performance › Load profile' })}\n`);
    for (const { file } of sized.sort((a, b) => b.bytes - a.bytes).slice(0, 3)) {
      process.stdout.write(`${JSON.stringify({ profile: file, hotSpots: hotSpots(join(kept, file)) })}\n`);
    }
  }
  await rm(dataDir, { recursive: true, force: true });
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:pipeline: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
