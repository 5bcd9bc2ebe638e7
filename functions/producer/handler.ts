import type { Context } from 'aws-lambda';
import { fromProcessEnv, loadKafkaConfig, loadMetricsConfig, loadProducerConfig } from '../shared/config/index.js';
import { getProducer } from '../shared/kafka/index.js';
import { MetricsEmitter } from '../shared/metrics/index.js';
import { ConfigError, ValidationError } from '../shared/errors.js';
import { createLogGenerator, type GeneratorConfig, type LogGenerator } from './generator/index.js';
import { parseProducerEvent, type ProducerEvent } from './producer-event.js';
import { loadReplay } from './replay/load-replay.js';
import { loadReplayConfig } from './replay/replay-config.js';
import { runProducer, type ProducerSummary } from './run-producer.js';

export interface ProducerResult extends ProducerSummary {
  experimentId: string | null;
  producerId: string;
  topic: string;
  rate: number;
  mode: 'generate' | 'replay';
}

/** The log generator for this run; a bad `logConfig` in the payload is the caller's error (ValidationError). */
function buildGenerator(input: ProducerEvent, experimentId: string | null, producerId: string): LogGenerator {
  try {
    return createLogGenerator({
      anomalyRate: input.anomalyRate,
      seed: input.seed,
      experimentId: experimentId ?? undefined,
      producerId,
      ...(input.logConfig === undefined ? {} : { config: input.logConfig as unknown as GeneratorConfig }),
    });
  } catch (error) {
    if (error instanceof ConfigError) throw new ValidationError(`producer event is invalid: field "logConfig": ${error.message}`, { cause: error });
    throw error;
  }
}

const systemClock = {
  now: () => Date.now(),
  sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
};

/**
 * The producer Lambda: generates realistic application logs with labelled anomalies, or replays a
 * log file (`mode: 'replay'`), and writes them to the logs topic at the requested rate; see
 * producer-event.ts for the payload. Configuration (KAFKA_BOOTSTRAP_SERVERS or MSK_CLUSTER_ARN,
 * KAFKA_TOPIC, METRICS_TOPIC, LOG_RATE, EXPERIMENT_ID, REPLAY_DIR) is read once per container.
 */
export async function handler(event: unknown, context: Pick<Context, 'getRemainingTimeInMillis' | 'awsRequestId'>): Promise<ProducerResult> {
  const input = parseProducerEvent(event);
  const kafkaConfig = fromProcessEnv(loadKafkaConfig);
  const metricsConfig = fromProcessEnv(loadMetricsConfig);
  const rate = input.rate ?? fromProcessEnv(loadProducerConfig).logRatePerSecond;
  const experimentId = input.experimentId ?? metricsConfig.experimentId;
  const producerId = input.producerId ?? `producer-${context.awsRequestId.slice(0, 8)}`;

  const producer = await getProducer();
  const emitter = new MetricsEmitter({
    producer,
    topic: kafkaConfig.metricsTopic,
    componentType: 'producer',
    componentId: producerId,
    experimentId,
  });
  let generator: LogGenerator;
  let count = input.count;
  if (input.mode === 'replay') {
    const replay = await loadReplay(input, fromProcessEnv(loadReplayConfig), { ...(experimentId === null ? {} : { experimentId }), producerId, idPrefix: `${producerId}-${context.awsRequestId.slice(0, 8)}` });
    generator = replay;
    count = Math.min(count ?? replay.length, replay.length);
  } else {
    generator = buildGenerator(input, experimentId, producerId);
  }
  const summary = await runProducer(
    // A replay keeps the file's order within each service (Kafka key): one send in flight at a time.
    { generator, rate, count, durationSeconds: input.durationSeconds, ...(input.mode === 'replay' ? { maxInFlight: 1 } : {}) },
    {
      send: async (messages) => {
        await producer.send({ topic: kafkaConfig.logsTopic, acks: -1, messages });
      },
      clock: systemClock,
      remainingTimeMs: () => context.getRemainingTimeInMillis(),
      emitter,
    },
  );
  return { experimentId, producerId, topic: kafkaConfig.logsTopic, rate, mode: input.mode, ...summary };
}
