import type { Context } from 'aws-lambda';
import { fromProcessEnv, loadKafkaConfig, loadMetricsConfig, loadProducerConfig } from '../shared/config/index.js';
import { getProducer } from '../shared/kafka/index.js';
import { MetricsEmitter } from '../shared/metrics/index.js';
import { createLogGenerator } from './generator/index.js';
import { parseProducerEvent } from './producer-event.js';
import { runProducer, type ProducerSummary } from './run-producer.js';

export interface ProducerResult extends ProducerSummary {
  experimentId: string | null;
  producerId: string;
  topic: string;
  rate: number;
}

const systemClock = {
  now: () => Date.now(),
  sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
};

/**
 * The producer Lambda: generates realistic application logs with labelled anomalies and
 * writes them to the logs topic at the requested rate; see producer-event.ts for the payload.
 * Configuration (KAFKA_BOOTSTRAP_SERVERS or MSK_CLUSTER_ARN, KAFKA_TOPIC, METRICS_TOPIC,
 * LOG_RATE, EXPERIMENT_ID) is read once per container.
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
  const generator = createLogGenerator({
    anomalyRate: input.anomalyRate,
    seed: input.seed,
    experimentId: experimentId ?? undefined,
    producerId,
  });
  const summary = await runProducer(
    { generator, rate, count: input.count, durationSeconds: input.durationSeconds },
    {
      send: async (messages) => {
        await producer.send({ topic: kafkaConfig.logsTopic, acks: -1, messages });
      },
      clock: systemClock,
      remainingTimeMs: () => context.getRemainingTimeInMillis(),
      emitter,
    },
  );
  return { experimentId, producerId, topic: kafkaConfig.logsTopic, rate, ...summary };
}
