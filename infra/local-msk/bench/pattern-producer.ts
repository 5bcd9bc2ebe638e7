import { LeanProducer } from '../../bench/pipeline/lean-producer.js';
import type { LeanRecord } from '../../bench/pipeline/lean-batch.js';
import { patternRecords } from './pattern-records.js';
import { percentile, round } from './stats.js';

/**
 * The pipeline pattern's load generator in its own process (started with fork(); input is the
 * first IPC message): every `tickMs` one Produce v3 request (acks = -1) carrying the records due
 * at `rate` records/s, spread evenly over `partitions` partitions of `topic`, plus
 * `metricsPerSecond` one-record produces to `metricsTopic`. Posts `{ kind: 'warm' }` once the
 * warm-up's records are sent, then a PatternProducerResult when every request is acknowledged.
 */
export interface PatternProducerInput {
  bootstrap: string;
  topic: string;
  metricsTopic: string;
  partitions: number;
  rate: number;
  warmupSeconds: number;
  seconds: number;
  metricsPerSecond: number;
}

export interface PatternProducerResult {
  kind: 'done';
  /** Records sent to `topic` in all, and after the warm-up. */
  sent: number;
  measuredSent: number;
  /** Produce requests in all and after the warm-up (the metrics topic's included). */
  produceRequests: number;
  measuredProduceRequests: number;
  metricsRequests: number;
  /** Seconds from the end of the warm-up to the last acknowledgement. */
  measuredSeconds: number;
  latencyMsP50: number;
  latencyMsP99: number;
  cpuSeconds: number;
}

const tickMs = 10;
const maxInFlight = 8;

const input = await new Promise<PatternProducerInput>((resolve) => process.once('message', (message) => resolve(message as PatternProducerInput)));
const total = Math.round(input.rate * (input.warmupSeconds + input.seconds));
const warmupRecords = Math.round(input.rate * input.warmupSeconds);
const records = patternRecords(Math.min(total, 50_000));
const producer = await LeanProducer.connect(input.bootstrap, 'bench-pattern');

const latencies: number[] = [];
const inFlight = new Set<Promise<void>>();
let failure: unknown = null;
let produceRequests = 0;
let metricsRequests = 0;
let warmRequests = 0;
let warmAt = 0;
let sentAtWarm = 0;

/** Marks the end of the warm-up: what is sent from now on is measured. */
function markWarm(): void {
  warmAt = performance.now();
  warmRequests = produceRequests;
  sentAtWarm = sent;
  process.send!({ kind: 'warm' });
}

function track(request: Promise<void>, measured: boolean): void {
  const sentAt = performance.now();
  inFlight.add(request);
  request.then(
    () => {
      inFlight.delete(request);
      if (measured) latencies.push(performance.now() - sentAt);
    },
    (error: unknown) => {
      inFlight.delete(request);
      failure ??= error;
    },
  );
}

const started = performance.now();
let sent = 0;
let metricsSent = 0;
if (warmupRecords === 0) markWarm();
while (sent < total) {
  if (failure !== null) throw failure;
  const elapsedSeconds = (performance.now() - started) / 1000;
  const due = Math.min(total, Math.floor(elapsedSeconds * input.rate));
  if (due > sent) {
    const byPartition = new Map<number, LeanRecord[]>();
    for (; sent < due; sent++) {
      const partition = sent % input.partitions;
      let list = byPartition.get(partition);
      if (list === undefined) byPartition.set(partition, (list = []));
      list.push(records[sent % records.length]!);
    }
    produceRequests++;
    track(producer.send(input.topic, byPartition, Date.now()), warmAt > 0);
    if (warmAt === 0 && sent >= warmupRecords) markWarm();
  }
  if (metricsSent < Math.floor(elapsedSeconds * input.metricsPerSecond)) {
    metricsSent++;
    metricsRequests++;
    produceRequests++;
    track(producer.send(input.metricsTopic, new Map([[0, [{ key: 'bench-pattern', value: Buffer.from(`{"metric":"produced","value":${sent}}`), headers: [] }]]]), Date.now()), false);
  }
  while (inFlight.size >= maxInFlight) await Promise.race(inFlight).catch(() => undefined);
  await new Promise((resolve) => setTimeout(resolve, tickMs));
}
await Promise.all(inFlight);
if (failure !== null) throw failure;
const measuredSeconds = (performance.now() - warmAt) / 1000;
producer.close();
const usage = process.cpuUsage();
const result: PatternProducerResult = {
  kind: 'done',
  sent,
  measuredSent: sent - sentAtWarm,
  produceRequests,
  measuredProduceRequests: produceRequests - warmRequests,
  metricsRequests,
  measuredSeconds,
  latencyMsP50: round(percentile(latencies, 50), 3),
  latencyMsP99: round(percentile(latencies, 99), 3),
  cpuSeconds: (usage.user + usage.system) / 1e6,
};
process.send!(result, () => process.disconnect());
