import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kafka, Partitioners, logLevel } from 'kafkajs';
import type { ProduceWorkerInput, ProduceWorkerResult } from './produce-worker.js';
import { median, percentile, round } from './stats.js';
import { cpuOfTree, ownCpuSeconds } from './process-cpu.js';
import { startBrokerProcess } from './broker-process.js';
import { parsePatternOptions } from './pattern-options.js';
import { runPipelinePattern } from './pipeline-pattern.js';

/**
 * `npm run bench:kafka [-- --rounds 3 --records 200000 --partitions 3 --producers 2 --in-memory]`
 *
 * Starts the local MSK as a child process (so its CPU can be told apart from the client's),
 * then per round: produces `records` records of 200 bytes in kafkajs batches of 1,000 (acks=-1)
 * from `producers` kafkajs producers on worker threads,
 * consumes them back with a kafkajs consumer group, and measures single-record produce latency.
 * Prints one JSON line per round and a summary line with medians. CPU shares are CPU-seconds per
 * wall-second (1.0 = one full core of this 2-core machine).
 * `--pattern pipeline` runs the pipeline's traffic shape instead (pipeline-pattern.ts).
 */

interface Options {
  rounds: number;
  records: number;
  batchSize: number;
  recordBytes: number;
  partitions: number;
  inFlight: number;
  producers: number;
  latencySamples: number;
  inMemory: boolean;
}

function parseOptions(argv: string[]): Options {
  const options: Options = { rounds: 3, records: 200_000, batchSize: 1000, recordBytes: 200, partitions: 3, inFlight: 4, producers: 1, latencySamples: 500, inMemory: false };
  const integerFlags: Record<string, keyof Options> = {
    '--rounds': 'rounds',
    '--records': 'records',
    '--batch-size': 'batchSize',
    '--record-bytes': 'recordBytes',
    '--partitions': 'partitions',
    '--in-flight': 'inFlight',
    '--producers': 'producers',
    '--latency-samples': 'latencySamples',
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    if (flag === '--in-memory') {
      options.inMemory = true;
      continue;
    }
    const key = integerFlags[flag];
    const raw = argv[i + 1];
    if (!key || raw === undefined || !/^\d{1,9}$/.test(raw) || Number(raw) < 1) {
      throw new Error(`bad option ${flag} ${raw ?? ''}: expected one of ${Object.keys(integerFlags).join(', ')} with a positive integer, or --in-memory`);
    }
    (options[key] as number) = Number(raw);
    i++;
  }
  return options;
}

/** Produces `records` records from `producers` producer processes; resolves with every batch latency (ms) and their CPU seconds. */
async function produceRound(bootstrap: string, topic: string, options: Options): Promise<{ latencies: number[]; cpuSeconds: number }> {
  const batches = Math.ceil(options.records / options.batchSize);
  const workerFile = fileURLToPath(new URL('./produce-worker.ts', import.meta.url));
  const shares = Array.from({ length: options.producers }, (_, i) => Math.floor(batches / options.producers) + (i < batches % options.producers ? 1 : 0));
  const results = await Promise.all(
    shares.map(
      (share) =>
        new Promise<ProduceWorkerResult>((resolve, reject) => {
          const input: ProduceWorkerInput = { bootstrap, topic, batches: share, batchSize: options.batchSize, recordBytes: options.recordBytes, inFlight: options.inFlight };
          const worker = fork(workerFile, { execArgv: ['--import', 'tsx'] });
          worker.send(input);
          worker.once('message', (result) => resolve(result as ProduceWorkerResult));
          worker.once('error', reject);
          worker.once('exit', (code) => code !== 0 && reject(new Error(`producer process exited with code ${code}`)));
        }),
    ),
  );
  return { latencies: results.flatMap((r) => r.latencies), cpuSeconds: results.reduce((sum, r) => sum + r.cpuSeconds, 0) };
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const dataDir = options.inMemory ? null : mkdtempSync(join(tmpdir(), 'local-msk-bench-'));
  const broker = await startBrokerProcess(dataDir);
  const { child, bootstrap } = broker;
  const pid = child.pid!;
  const kafka = new Kafka({ clientId: 'bench', brokers: [bootstrap], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const producer = kafka.producer({ allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  const value = Buffer.alloc(options.recordBytes, 'x');
  const recordMb = (options.records * options.recordBytes) / 1e6;
  const summaries: Record<string, number[]> = {};
  const keep = (name: string, value: number) => (summaries[name] ??= []).push(value);

  try {
    for (let roundNo = 1; roundNo <= options.rounds; roundNo++) {
      const topic = `bench-${roundNo}-${Date.now()}`;
      await admin.createTopics({ topics: [{ topic, numPartitions: options.partitions }], waitForLeaders: true });

      // Produce throughput.
      const brokerCpu = cpuOfTree(pid);
      const clientCpu = ownCpuSeconds();
      let started = performance.now();
      const { latencies: batchLatencies, cpuSeconds: producerCpuSeconds } = await produceRound(bootstrap, topic, options);
      let seconds = (performance.now() - started) / 1000;
      const produce = {
        round: roundNo,
        phase: 'produce',
        records: options.records,
        recordsPerSec: round0(options.records / seconds),
        mbPerSec: round(recordMb / seconds),
        batchLatencyMsP50: round(percentile(batchLatencies, 50)),
        batchLatencyMsP99: round(percentile(batchLatencies, 99)),
        brokerCpuShare: round((cpuOfTree(pid) - brokerCpu) / seconds),
        clientCpuShare: round((ownCpuSeconds() - clientCpu + producerCpuSeconds) / seconds),
      };
      console.log(JSON.stringify(produce));
      keep('produceRecordsPerSec', produce.recordsPerSec);
      keep('produceMbPerSec', produce.mbPerSec);
      keep('produceBrokerCpuShare', produce.brokerCpuShare);
      keep('produceClientCpuShare', produce.clientCpuShare);

      // Consume throughput, from the first batch received to the last record.
      const consumer = kafka.consumer({ groupId: `bench-group-${roundNo}-${Date.now()}`, maxBytesPerPartition: 4 * 1024 * 1024, maxBytes: 16 * 1024 * 1024 });
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      let consumed = 0;
      let firstAt = 0;
      let cpuAtFirst = { broker: 0, client: 0 };
      const done = new Promise<void>((resolve) => {
        void consumer.run({
          autoCommit: true,
          eachBatchAutoResolve: true,
          eachBatch: async ({ batch }) => {
            if (firstAt === 0) {
              firstAt = performance.now();
              cpuAtFirst = { broker: cpuOfTree(pid), client: ownCpuSeconds() };
            }
            consumed += batch.messages.length;
            if (consumed >= options.records) resolve();
          },
        });
      });
      await done;
      seconds = (performance.now() - firstAt) / 1000;
      const consume = {
        round: roundNo,
        phase: 'consume',
        records: consumed,
        recordsPerSec: round0(consumed / seconds),
        mbPerSec: round((consumed * options.recordBytes) / 1e6 / seconds),
        brokerCpuShare: round((cpuOfTree(pid) - cpuAtFirst.broker) / seconds),
        clientCpuShare: round((ownCpuSeconds() - cpuAtFirst.client) / seconds),
      };
      console.log(JSON.stringify(consume));
      await consumer.disconnect();
      keep('consumeRecordsPerSec', consume.recordsPerSec);
      keep('consumeMbPerSec', consume.mbPerSec);
      keep('consumeBrokerCpuShare', consume.brokerCpuShare);
      keep('consumeClientCpuShare', consume.clientCpuShare);

      // Single-record produce latency (acks=-1), sequential.
      const latencies: number[] = [];
      for (let i = 0; i < options.latencySamples; i++) {
        started = performance.now();
        await producer.send({ topic, acks: -1, messages: [{ value }] });
        latencies.push(performance.now() - started);
      }
      const latency = { round: roundNo, phase: 'produce-latency', samples: latencies.length, acks: -1, p50Ms: round(percentile(latencies, 50), 3), p99Ms: round(percentile(latencies, 99), 3) };
      console.log(JSON.stringify(latency));
      keep('produceLatencyMsP50', latency.p50Ms);
      keep('produceLatencyMsP99', latency.p99Ms);
    }
    const summary: Record<string, unknown> = {
      phase: 'summary',
      rounds: options.rounds,
      storage: options.inMemory ? 'memory' : 'file (acks=-1 fsync)',
      recordsPerRound: options.records,
      batchSize: options.batchSize,
      recordBytes: options.recordBytes,
      partitions: options.partitions,
      producerThreads: options.producers,
    };
    for (const [name, values] of Object.entries(summaries)) summary[`median_${name}`] = round(median(values), 3);
    console.log(JSON.stringify(summary));
  } finally {
    await producer.disconnect().catch(() => {});
    await admin.disconnect().catch(() => {});
    await broker.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
}

function round0(value: number): number {
  return Math.round(value);
}

const argv = process.argv.slice(2);
const run = argv.includes('--pattern') ? () => runPipelinePattern(parsePatternOptions(argv)) : main;
run().catch((error: Error) => {
  console.error(`bench:kafka failed: ${error.message}`);
  process.exit(1);
});
