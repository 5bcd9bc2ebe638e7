import { KafkaClient, type KafkaClientConfig } from '@aws-sdk/client-kafka';
import type { KafkaBootstrap } from '../../config/kafka-config.js';

export type MskBootstrap = Extract<KafkaBootstrap, { kind: 'msk' }>;

/**
 * An MSK control-plane client for the cluster's region, at the configured endpoint override if
 * any (the local MSK's control plane, for example). The endpoint comes from the config rather
 * than from the SDK's own AWS_ENDPOINT_URL_KAFKA lookup so that an env object, not only
 * process.env, decides it; the precedence is the SDK's. `overrides` is for credentials in tests.
 */
export function createMskClient(target: MskBootstrap, overrides: Partial<KafkaClientConfig> = {}): KafkaClient {
  return new KafkaClient({
    region: target.region,
    ...(target.endpoint === undefined ? {} : { endpoint: target.endpoint }),
    maxAttempts: 3,
    ...overrides,
  });
}
