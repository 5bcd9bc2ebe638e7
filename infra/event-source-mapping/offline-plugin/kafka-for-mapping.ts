import type { Kafka } from 'kafkajs';
import type { Env } from '../../../functions/shared/config/env.js';
import { loadKafkaConfig } from '../../../functions/shared/config/kafka-config.js';
import { createKafka } from '../../../functions/shared/kafka/client/kafka-client.js';
import { kafkaSasl, type KafkaSaslDependencies } from '../../../functions/shared/kafka/auth/kafka-sasl.js';
import { resolveBootstrapServers } from '../../../functions/shared/kafka/bootstrap/resolve-bootstrap-servers.js';
import type { MappingDefinition } from '../mapping-definition.js';

export interface MappingCluster {
  kafka: Kafka;
  /** host:port list the events name as bootstrapServers. */
  brokers: readonly string[];
}

/** clientId of the mapping's consumers (visible in the broker's group listings). */
export const offlineClientId = 'offline-event-source-mapping';

/**
 * The cluster a mapping consumes from. `msk` events: KAFKA_BOOTSTRAP_SERVERS from `env` when set,
 * else the brokers of the event's cluster ARN (GetBootstrapBrokers, AWS_ENDPOINT_URL_KAFKA honoured).
 * `kafka` events: the event's own bootstrapServers. Clients are shared between mappings with the
 * same brokers through `cache` (key: the resolved broker list and transport).
 */
export async function kafkaForMapping(
  definition: MappingDefinition,
  env: Env,
  cache: Map<string, Kafka>,
  /** SASL (KAFKA_AUTH in `env`): where SCRAM secrets and IAM credentials come from; the AWS defaults otherwise. */
  sasl: KafkaSaslDependencies = {},
): Promise<MappingCluster> {
  const clusterEnv: Env =
    definition.eventSource === 'SelfManagedKafka'
      ? { ...env, KAFKA_BOOTSTRAP_SERVERS: definition.bootstrapServers.join(',') }
      : { ...env, MSK_CLUSTER_ARN: definition.eventSourceArn ?? env.MSK_CLUSTER_ARN };
  const config = { ...loadKafkaConfig(clusterEnv), clientId: offlineClientId };
  const bootstrap = await resolveBootstrapServers(config);
  const key = JSON.stringify([bootstrap.brokers, bootstrap.transport, config.auth]);
  let kafka = cache.get(key);
  if (kafka === undefined) {
    kafka = createKafka(config, bootstrap, await kafkaSasl(config.auth, sasl));
    cache.set(key, kafka);
  }
  return { kafka, brokers: bootstrap.brokers };
}
