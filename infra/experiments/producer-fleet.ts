/**
 * N concurrent producer invocations, in-process: each runs the producer function's own code
 * (runProducer with the log generator, acks=-1 sends, producer metrics on the metrics topic) with
 * a kafkajs producer of its own, as N Lambda containers would. A warm-up phase (not measured)
 * comes first; all producers finish it before the measured phase starts for all at once, so every
 * record with a Kafka timestamp at or after `measuredFromMs` belongs to the measured phase.
 */
import { Partitioners, type Kafka, type Producer } from 'kafkajs';
import { createLogGenerator, type LogKafkaMessage } from '../../functions/producer/generator/index.js';
import { runProducer, type ProducerSummary } from '../../functions/producer/run-producer.js';
import { MetricsEmitter } from '../../functions/shared/metrics/index.js';
import type { ExperimentSpec } from './experiment-spec.js';
import { withTimeout } from './timeouts.js';

export interface FleetOptions {
  readonly kafka: Kafka;
  readonly topic: string;
  readonly metricsTopic: string;
  readonly experimentId: string;
  readonly spec: ExperimentSpec;
  /** True once the run must stop (interrupt or failure elsewhere): producers end within about a second. */
  readonly stopRequested: () => boolean;
  /** Live counters (read by the progress display). */
  readonly live: { sent: number; failed: number; phase: 'connecting' | 'warmup' | 'measured' | 'done' };
  /** Called once, when the measured phase starts. */
  readonly onMeasuredPhase?: (startMs: number) => void;
}

export interface FleetResult {
  /** One summary per producer, measured phase only. */
  readonly producers: readonly ProducerSummary[];
  readonly warmupSent: number;
  /** Latency of every measured send (a batch of records), ms. */
  readonly sendLatenciesMs: readonly number[];
  readonly measuredFromMs: number;
  readonly measuredUntilMs: number;
}

const clock = { now: () => Date.now(), sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)) };

export async function runProducerFleet(options: FleetOptions): Promise<FleetResult> {
  const { spec, kafka, live } = options;
  let failed = false;
  const stop = () => failed || options.stopRequested();
  const latencies: number[] = [];
  let measuring = false;
  const producers: Producer[] = [];
  try {
    for (let i = 0; i < spec.producers; i++) {
      producers.push(kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false }));
    }
    await Promise.all(producers.map((producer) => producer.connect()));
    const workers = producers.map((producer, index) => {
      const producerId = `producer-${index + 1}`;
      const generator = createLogGenerator({ anomalyRate: spec.anomalyRate, seed: spec.seed, experimentId: options.experimentId, producerId });
      const emitter = new MetricsEmitter({ producer, topic: options.metricsTopic, componentType: 'producer', componentId: producerId, experimentId: options.experimentId });
      const send = async (messages: LogKafkaMessage[]) => {
        const started = Date.now();
        await producer.send({ topic: options.topic, acks: -1, messages });
        if (measuring) latencies.push(Date.now() - started);
        live.sent += messages.length;
      };
      const deps = { send, clock, remainingTimeMs: () => (stop() ? 0 : Number.MAX_SAFE_INTEGER), emitter };
      return (durationSeconds: number) =>
        runProducer({ generator, rate: spec.ratePerProducer, durationSeconds }, deps).catch((error: unknown) => {
          failed = true;
          throw error;
        });
    });
    let warmupSent = 0;
    if (spec.warmupSeconds > 0) {
      live.phase = 'warmup';
      const warmups = await settleAll(workers.map((run) => run(spec.warmupSeconds)));
      warmupSent = warmups.reduce((sum, summary) => sum + summary.sent, 0);
    }
    measuring = true;
    live.phase = 'measured';
    const measuredFromMs = Date.now();
    options.onMeasuredPhase?.(measuredFromMs);
    const summaries = await settleAll(workers.map((run) => run(spec.durationSeconds)));
    live.phase = 'done';
    return { producers: summaries, warmupSent, sendLatenciesMs: latencies, measuredFromMs, measuredUntilMs: Date.now() };
  } finally {
    await Promise.allSettled(producers.map((producer) => withTimeout(producer.disconnect(), 5_000, 'disconnecting a producer')));
  }
}

/** Waits for every promise; rejects with the first failure once all have settled (none is left running). */
async function settleAll<T>(promises: ReadonlyArray<Promise<T>>): Promise<T[]> {
  const results = await Promise.allSettled(promises);
  const failure = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failure) throw failure.reason;
  return results.map((result) => (result as PromiseFulfilledResult<T>).value);
}
