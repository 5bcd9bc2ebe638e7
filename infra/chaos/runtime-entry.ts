/**
 * The functions runtime of a chaos run, in a process of its own: the detector's event-source
 * mapping (the project's mapping library, as serverless offline's plugin runs it) invoking the
 * detector in-process (warm containers made by the handler's own factory: one per concurrent
 * invocation, PostgreSQL pool, S3 model store). Settings come from the environment the chaos run
 * gives it (KAFKA_BOOTSTRAP_SERVERS, MSK_CLUSTER_ARN, DATABASE_URL, AWS_ENDPOINT_URL_S3,
 * MODEL_BUCKET, …). Prints `chaos runtime ready` once every poller has joined the consumer group.
 * SIGTERM / SIGINT: the mapping stops after the batch in hand, then exit 0. Stops the same way
 * when the chaos process that started it is gone. The mapping and the detector log JSON lines on
 * stderr (the run keeps them in runtime.log).
 */
import '../process/quiet-sdk-notice.js';
import { createS3Client, loadDatabaseConfig, loadModelConfig, loadS3Config } from '../../functions/shared/config/index.js';
import { loadDetectionConfig } from '../../functions/shared/model/detection-config.js';
import { featureSchemaOf } from '../../functions/shared/model/model-artifact.js';
import { S3ModelStore } from '../../functions/shared/model/s3-model-store.js';
import { featureSetNamed } from '../../functions/shared/features/index.js';
import { modelPolicyFromConfig } from '../../functions/detector/model-policy-from-config.js';
import { createMappingRunner, parseMappingDefinition, type MappingRunner } from '../event-source-mapping/index.js';
import { kafkaForMapping } from '../event-source-mapping/offline-plugin/kafka-for-mapping.js';
import { DetectorContainers } from '../experiments/detector-containers.js';
import { stopWithParent } from '../process/stop-with-parent.js';
import { detectorTrigger } from './detector-trigger.js';
import { jsonLineLogger } from './json-line-logger.js';

async function main(): Promise<void> {
  const env = process.env;
  const logger = jsonLineLogger((line) => process.stderr.write(`${line}\n`));
  let runner: MappingRunner | null = null;
  let containers: DetectorContainers | null = null;
  let stopping = false;
  const finish = (why: string) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`chaos runtime stopping (${why})\n`);
    void (async () => {
      await runner?.stop();
      await containers?.close();
    })().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => finish(signal));
  stopWithParent((reason) => finish(reason));

  const arn = env.MSK_CLUSTER_ARN;
  if (arn === undefined || arn === '') throw new Error('MSK_CLUSTER_ARN is not set');
  const definition = parseMappingDefinition(detectorTrigger(arn), { service: 'log-anomaly-chaos', stage: 'chaos', functionName: 'detector' });
  const cluster = await kafkaForMapping(definition, env, new Map());
  const s3Config = loadS3Config(env);
  const detection = loadDetectionConfig(env);
  const featureSchema = featureSchemaOf(featureSetNamed(detection.featureSet));
  containers = new DetectorContainers({
    database: loadDatabaseConfig(env),
    // A new S3 client per warm container, as each Lambda container has its own.
    modelStore: () => new S3ModelStore(createS3Client(s3Config), s3Config.modelBucket, undefined, { featureSchema }),
    // The detector as deployed: it trains its first model on what it stores, then refines it.
    policy: { ...modelPolicyFromConfig(loadModelConfig(env)), featureSet: detection.featureSet, thresholdRule: detection.thresholdRule },
    logger,
    // No consumer metrics: the metrics topic and its aggregator are not part of this run.
    emitterFor: () => null,
  });
  runner = createMappingRunner({ definition, kafka: cluster.kafka, bootstrapServers: cluster.brokers, invoke: containers.invoke, logger });
  await runner.start();
  if (stopping) return;
  process.stdout.write(`chaos runtime ready consumers=${runner.consumerCount}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`chaos runtime: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
