import { GetBootstrapBrokersCommand, type KafkaClient } from '@aws-sdk/client-kafka';
import type { KafkaConfig } from '../../config/kafka-config.js';
import { ConfigError, InfrastructureError } from '../../errors.js';
import { createMskClient } from './msk-client.js';
import { pickBootstrapBrokers, type BrokerTransport } from './pick-bootstrap-brokers.js';

export interface ResolvedBootstrap {
  /** host:port entries for kafkajs's `brokers`. */
  readonly brokers: readonly string[];
  readonly transport: BrokerTransport;
  /** Where the list came from: KAFKA_BOOTSTRAP_SERVERS, or a GetBootstrapBrokers call. */
  readonly source: 'env' | 'msk';
}

export interface ResolveOptions {
  /** MSK control-plane client to use (it is left open); by default one is made and destroyed. */
  mskClient?: KafkaClient;
}

/** SDK error names that mean the configuration, not the network, is wrong. */
const configErrorNames = new Set(['NotFoundException', 'BadRequestException', 'UnauthorizedException', 'ForbiddenException']);

/**
 * The brokers to connect to: KAFKA_BOOTSTRAP_SERVERS as given, or the MSK cluster's bootstrap
 * list from GetBootstrapBrokers. An unknown or invalid ARN, or a refused request, is a
 * ConfigError; an unreachable or failing control plane is an InfrastructureError.
 */
export async function resolveBootstrapServers(
  config: Pick<KafkaConfig, 'bootstrap' | 'ssl'> & Partial<Pick<KafkaConfig, 'auth'>>,
  options: ResolveOptions = {},
): Promise<ResolvedBootstrap> {
  const { bootstrap } = config;
  if (bootstrap.kind === 'brokers') {
    return { brokers: bootstrap.brokers, transport: config.ssl ? 'tls' : 'plaintext', source: 'env' };
  }
  const client = options.mskClient ?? createMskClient(bootstrap);
  try {
    const response = await client.send(new GetBootstrapBrokersCommand({ ClusterArn: bootstrap.clusterArn }));
    const picked = pickBootstrapBrokers(response, bootstrap.clusterArn, config.ssl, config.auth?.kind);
    return { ...picked, source: 'msk' };
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    const where = bootstrap.endpoint ?? `the MSK API in ${bootstrap.region}`;
    const name = error instanceof Error ? error.name : 'Error';
    const detail = error instanceof Error ? error.message.slice(0, 300) : String(error).slice(0, 300);
    const message = `GetBootstrapBrokers for MSK cluster ${bootstrap.clusterArn} at ${where} failed (${name}: ${detail})`;
    if (configErrorNames.has(name)) throw new ConfigError(`${message}; check MSK_CLUSTER_ARN and the function's kafka:GetBootstrapBrokers permission`, { cause: error });
    throw new InfrastructureError(message, { cause: error });
  } finally {
    if (!options.mskClient) client.destroy();
  }
}
