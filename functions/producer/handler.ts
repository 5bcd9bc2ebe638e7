import type { Context } from 'aws-lambda';
import { fromProcessEnv, loadKafkaConfig, loadMetricsConfig, loadProducerConfig } from '../shared/config/index.js';
import { getProducer } from '../shared/kafka/index.js';
import { MetricsEmitter } from '../shared/metrics/index.js';
import { ConfigError, ValidationError } from '../shared/errors.js';
import { createFunctionLogger, type FunctionLogger } from '../shared/logging/function-logger.js';
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

/** Created on the first invocation of a container (a bad POWERTOOLS_LOG_LEVEL then fails that invocation, naming it). */
let logger: FunctionLogger | null = null;

/**
 * What a failure's log line says: its class and, except for a ValidationError (whose message may
 * quote the caller's payload), its message. Lambda reports the thrown error itself as well.
 */
function describeFailure(error: unknown): Record<string, unknown> {
  if (error instanceof ValidationError) return { error: error.name };
  if (error instanceof Error) return { error: error.name, reason: error.message };
  return { error: 'Error' };
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
export async function handler(event: unknown, context: Pick<Context, 'getRemainingTimeInMillis' | 'awsRequestId'> & Partial<Context>): Promise<ProducerResult> {
  logger ??= createFunctionLogger('producer');
  logger.startInvocation(context);
  try {
    const result = await produce(event, context);
    // The summary: counts, latencies and identifiers, never a record or the caller's logConfig.
    logger.info('producer run finished', { ...result });
    return result;
  } catch (error) {
    logger.error('producer run failed', describeFailure(error));
    throw error;
  }
}

async function produce(event: unknown, context: Pick<Context, 'getRemainingTimeInMillis' | 'awsRequestId'>): Promise<ProducerResult> {
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
