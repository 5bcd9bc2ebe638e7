import { fork } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve as resolvePath } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { hotSpots } from '../../bench/pipeline/summarize-cpu-profile.js';
import { startBrokerProcess } from './broker-process.js';
import type { PatternOptions } from './pattern-options.js';
import type { PatternProducerInput, PatternProducerResult } from './pattern-producer.js';
import { cpuOfTree, ownCpuSeconds, threadCpuSeconds } from './process-cpu.js';
import { median, round } from './stats.js';

/**
 * `npm run bench:kafka -- --pattern pipeline`: the broker under the pipeline's traffic shape.
 * A fresh broker child (file storage, acks = -1) per round; a paced Produce v3 load generator in
 * its own process (one request per 10 ms tick across all partitions, ~300 B records keyed by
 * service, one header) plus a few one-record produces per second to a metrics topic; one kafkajs
 * consumer per partition in one group (the event-source mapping's consumer settings) consuming
 * with eachBatch and committing after a batch (at most every --commit-interval-ms); one consumer
 * on the metrics topic. After the warm-up it measures the broker's CPU (cores and µs per record)
 * until every measured record has been consumed, and counts the clients' requests.
 */

/** Consumer settings of the event-source mapping's pollers (infra/event-source-mapping/mapping-runner.ts). */
const pollerSettings = { maxWaitTimeInMs: 100, minBytes: 64 * 1024, sessionTimeout: 10_000, heartbeatInterval: 1_000 } as const;
/** Longest wait for the consumers to join or to catch up (ms). */
const settleTimeoutMs = 60_000;

interface RoundResult {
  round: number;
  phase: 'pipeline-pattern';
  offeredRate: number;
  achievedRate: number;
  partitions: number;
  measuredRecords: number;
  measuredSeconds: number;
  brokerCores: number;
  brokerUsPerRecord: number;
  /** The broker's main (JavaScript) thread alone; the rest is libuv's file-system pool and V8's GC helpers. */
  brokerMainThreadCores: number;
  produceRequestsPerSec: number;
  fetchRequestsPerSec: number;
  offsetCommitRequestsPerSec: number;
  heartbeatRequestsPerSec: number;
  recordsPerFetch: number;
  produceLatencyMsP50: number;
  produceLatencyMsP99: number;
  producerCpuShare: number;
  consumersCpuShare: number;
}

class RequestCounter {
  private readonly counts = new Map<string, number>();
  watch(consumer: Consumer): void {
    consumer.on(consumer.events.REQUEST, (event) => {
      const name = (event.payload as { apiName: string }).apiName;
      this.counts.set(name, (this.counts.get(name) ?? 0) + 1);
    });
  }
  snapshot(): Map<string, number> {
    return new Map(this.counts);
  }
}

function since(now: Map<string, number>, before: Map<string, number>, name: string): number {
  return (now.get(name) ?? 0) - (before.get(name) ?? 0);
}

async function waitUntil(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + settleTimeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${settleTimeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function runRound(roundNo: number, options: PatternOptions): Promise<RoundResult> {
  const dataDir = options.inMemory ? null : mkdtempSync(join(tmpdir(), 'local-msk-pattern-'));
  const nodeArgs = options.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${resolvePath(options.cpuProfDir)}`] : [];
  const broker = await startBrokerProcess(dataDir, nodeArgs);
  const kafka = new Kafka({ clientId: 'bench-pattern', brokers: [broker.bootstrap], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  const consumers: Consumer[] = [];
  try {
    await admin.connect();
    const topic = 'logs';
    const metricsTopic = 'metrics';
    await admin.createTopics({ topics: [{ topic, numPartitions: options.partitions }, { topic: metricsTopic, numPartitions: 1 }], waitForLeaders: true });

    const requests = new RequestCounter();
    const assigned = new Map<Consumer, number>();
    let consumed = 0;
    for (let i = 0; i <= options.partitions; i++) {
      const forMetrics = i === options.partitions;
      const consumer = kafka.consumer({ ...pollerSettings, groupId: forMetrics ? 'pattern-metrics' : 'pattern-logs', allowAutoTopicCreation: false });
      consumers.push(consumer);
      requests.watch(consumer);
      if (!forMetrics) {
        consumer.on(consumer.events.GROUP_JOIN, (event) => assigned.set(consumer, event.payload.memberAssignment[topic]?.length ?? 0));
      }
      await consumer.connect();
      await consumer.subscribe({ topic: forMetrics ? metricsTopic : topic, fromBeginning: true });
      let lastCommit = 0;
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: 1,
        eachBatch: async ({ batch, resolveOffset }) => {
          if (batch.messages.length === 0) return;
          if (!forMetrics) consumed += batch.messages.length;
          const last = batch.lastOffset();
          resolveOffset(last);
          const now = Date.now();
          if (now - lastCommit >= options.commitIntervalMs) {
            lastCommit = now;
            await consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: String(BigInt(last) + 1n) }]);
          }
        },
      });
    }
    await waitUntil(
      () => assigned.size === options.partitions && [...assigned.values()].every((count) => count === 1),
      'one partition per consumer',
    );

    const pid = broker.child.pid!;
    const producerFile = fileURLToPath(new URL('./pattern-producer.ts', import.meta.url));
    const producer = fork(producerFile, { execArgv: ['--import', 'tsx'] });
    const input: PatternProducerInput = {
      bootstrap: broker.bootstrap,
      topic,
      metricsTopic,
      partitions: options.partitions,
      rate: options.rate,
      warmupSeconds: options.warmupSeconds,
      seconds: options.seconds,
      metricsPerSecond: options.metricsPerSecond,
    };
    let atWarm = { at: 0, brokerCpu: 0, brokerMainCpu: 0, ownCpu: 0, requests: new Map<string, number>(), consumed: 0 };
    const done = new Promise<PatternProducerResult>((resolve, reject) => {
      producer.on('message', (message: { kind: string }) => {
        if (message.kind === 'warm') {
          atWarm = { at: performance.now(), brokerCpu: cpuOfTree(broker.child.pid!), brokerMainCpu: threadCpuSeconds(pid, pid), ownCpu: ownCpuSeconds(), requests: requests.snapshot(), consumed };
        } else if (message.kind === 'done') {
          resolve(message as PatternProducerResult);
        }
      });
      producer.once('error', reject);
      producer.once('exit', (code) => reject(new Error(`the load generator exited with code ${code}`)));
    });
    producer.send(input);
    const result = await done;
    await waitUntil(() => consumed >= result.sent, `the consumers to read all ${result.sent} records (read ${consumed})`);
    const seconds = (performance.now() - atWarm.at) / 1000;
    const brokerCpu = cpuOfTree(pid) - atWarm.brokerCpu;
    const brokerMainCpu = threadCpuSeconds(pid, pid) - atWarm.brokerMainCpu;
    const ownCpu = ownCpuSeconds() - atWarm.ownCpu;
    const counts = requests.snapshot();
    const fetches = since(counts, atWarm.requests, 'Fetch');
    return {
      round: roundNo,
      phase: 'pipeline-pattern',
      offeredRate: options.rate,
      achievedRate: Math.round(result.measuredSent / result.measuredSeconds),
      partitions: options.partitions,
      measuredRecords: result.measuredSent,
      measuredSeconds: round(seconds),
      brokerCores: round(brokerCpu / seconds, 3),
      brokerUsPerRecord: round((brokerCpu * 1e6) / result.measuredSent, 2),
      brokerMainThreadCores: round(brokerMainCpu / seconds, 3),
      produceRequestsPerSec: round(result.measuredProduceRequests / seconds, 1),
      fetchRequestsPerSec: round(fetches / seconds, 1),
      offsetCommitRequestsPerSec: round(since(counts, atWarm.requests, 'OffsetCommit') / seconds, 1),
      heartbeatRequestsPerSec: round(since(counts, atWarm.requests, 'Heartbeat') / seconds, 1),
      recordsPerFetch: round((consumed - atWarm.consumed) / Math.max(1, fetches), 1),
      produceLatencyMsP50: result.latencyMsP50,
      produceLatencyMsP99: result.latencyMsP99,
      producerCpuShare: round(result.cpuSeconds / (result.measuredSeconds + options.warmupSeconds), 3),
      consumersCpuShare: round(ownCpu / seconds, 3),
    };
  } finally {
    for (const consumer of consumers) await consumer.disconnect().catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
    await broker.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Runs the rounds, one JSON line each, then a summary line with medians (and the broker's hot spots with --cpu-prof-dir). */
export async function runPipelinePattern(options: PatternOptions): Promise<void> {
  if (options.cpuProfDir) mkdirSync(options.cpuProfDir, { recursive: true });
  const results: RoundResult[] = [];
  for (let roundNo = 1; roundNo <= options.rounds; roundNo++) {
    const result = await runRound(roundNo, options);
    console.log(JSON.stringify(result));
    results.push(result);
  }
  const summary: Record<string, unknown> = {
    phase: 'pipeline-pattern-summary',
    rounds: options.rounds,
    storage: options.inMemory ? 'memory' : 'file (acks=-1 fsync)',
    offeredRate: options.rate,
    partitions: options.partitions,
    commitIntervalMs: options.commitIntervalMs,
  };
  const numericKeys = Object.keys(results[0]!).filter((key) => !['round', 'phase', 'offeredRate', 'partitions'].includes(key)) as (keyof RoundResult)[];
  for (const key of numericKeys) summary[`median_${key}`] = median(results.map((result) => result[key] as number));
  console.log(JSON.stringify(summary));
  if (options.cpuProfDir) {
    // One profile per thread (tsx's loader runs in a worker): the broker's main thread wrote the largest.
    const profiles = readdirSync(options.cpuProfDir)
      .filter((name) => name.endsWith('.cpuprofile'))
      .map((name) => join(options.cpuProfDir!, name))
      .sort((a, b) => statSync(b).size - statSync(a).size);
    const largest = profiles[0];
    if (largest) console.log(JSON.stringify({ phase: 'broker-hot-spots', profile: largest, hotSpots: hotSpots(largest, 25) }));
  }
}
