/**
 * The detector's event-source mapping for one experiment, run in-process: the mapping library's
 * runner (one consumer group; pollers = provisionedPollerConfig.maximumPollers = the experiment's
 * consumers, capped by the runner at the partition count) invoking DetectorContainers.
 * An `msk` event when an MSK cluster ARN is configured (as serverless.yml declares it), otherwise a
 * self-managed `kafka` event naming the brokers.
 */
import { Partitioners, type Producer } from 'kafkajs';
import type { DetectorLogger } from '../../functions/detector/detector-logger.js';
import { loadDatabaseConfig, loadModelConfig } from '../../functions/shared/config/index.js';
import { MetricsEmitter } from '../../functions/shared/metrics/index.js';
import { createMappingRunner, parseMappingDefinition, type MappingLogger, type MappingRunner } from '../event-source-mapping/index.js';
import { DetectorContainers } from './detector-containers.js';
import type { ExperimentSpec } from './experiment-spec.js';
import { referenceModelStore, referencePolicy } from './reference-model.js';
import { loadDetectionConfig } from '../../functions/shared/model/detection-config.js';
import type { ExperimentServices } from './services.js';

export interface DetectorMapping {
  readonly runner: MappingRunner;
  readonly containers: DetectorContainers;
  readonly groupId: string;
  /** Stops the pollers, then closes the detector containers and the metrics producer. */
  close(): Promise<void>;
}

export interface DetectorMappingOptions {
  readonly services: ExperimentServices;
  readonly spec: ExperimentSpec;
  readonly experimentId: string;
  readonly topic: string;
  readonly logger: DetectorLogger & MappingLogger;
}

export async function startDetectorMapping(options: DetectorMappingOptions): Promise<DetectorMapping> {
  const { services, spec, experimentId, topic } = options;
  const groupId = `experiments-detector-${experimentId}`;
  const trigger = {
    topic,
    batchSize: spec.batchSize,
    maximumBatchingWindow: spec.batchingWindowSeconds,
    startingPosition: 'TRIM_HORIZON',
    consumerGroupId: groupId,
    provisionedPollerConfig: { minimumPollers: 1, maximumPollers: spec.consumers },
  };
  const event = services.clusterArn !== null ? { msk: { arn: services.clusterArn, ...trigger } } : { kafka: { bootstrapServers: [...services.brokers], ...trigger } };
  const definition = parseMappingDefinition(event, { service: 'log-anomaly-experiments', stage: 'exp', functionName: 'detector' });

  const metricsProducer: Producer = services.kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await metricsProducer.connect();
  const containers = new DetectorContainers({
    database: loadDatabaseConfig(services.env),
    modelStore: () => referenceModelStore(services.s3, services.s3Config.modelBucket, loadDetectionConfig(services.env)),
    policy: referencePolicy(loadModelConfig(services.env), loadDetectionConfig(services.env)),
    logger: options.logger,
    emitterFor: (index) =>
      new MetricsEmitter({ producer: metricsProducer, topic: services.kafkaConfig.metricsTopic, componentType: 'detector', componentId: `detector-${index + 1}`, experimentId }),
  });
  const runner = createMappingRunner({
    definition,
    kafka: services.kafka,
    bootstrapServers: services.brokers,
    invoke: containers.invoke,
    logger: options.logger,
    restartDelayMs: 500,
    metrics: { topic: services.kafkaConfig.metricsTopic, intervalMs: 10_000, experimentId },
  });
  const close = async () => {
    await runner.stop();
    await containers.close();
    await metricsProducer.disconnect().catch(() => undefined);
  };
  try {
    await runner.start();
  } catch (error) {
    await close().catch(() => undefined);
    throw error;
  }
  return { runner, containers, groupId, close };
}
