import { Kafka, Partitioners, logLevel, type Producer } from 'kafkajs';
import { fromProcessEnv } from '../../config/from-process-env.js';
import { loadKafkaConfig, type KafkaConfig, type KafkaLogLevel } from '../../config/kafka-config.js';
import { ConfigError } from '../../errors.js';
import type { BrokerTransport } from '../bootstrap/pick-bootstrap-brokers.js';
import { resolveBootstrapServers, type ResolveOptions, type ResolvedBootstrap } from '../bootstrap/resolve-bootstrap-servers.js';

export interface KafkaClientOptions extends ResolveOptions {
  /** Defaults to loadKafkaConfig(process.env), read once per container. */
  config?: KafkaConfig;
}

const kafkajsLevels: Record<KafkaLogLevel, logLevel> = {
  nothing: logLevel.NOTHING,
  error: logLevel.ERROR,
  warn: logLevel.WARN,
  info: logLevel.INFO,
  debug: logLevel.DEBUG,
};

/**
 * A kafkajs client tuned for Lambda: connect timeouts short enough to fail within one
 * invocation, few quick retries, request timeouts enforced. SASL listeners are refused with a
 * ConfigError (this pipeline configures no SASL credentials).
 */
export function createKafka(config: KafkaConfig, bootstrap: ResolvedBootstrap): Kafka {
  return new Kafka({
    clientId: config.clientId,
    brokers: [...bootstrap.brokers],
    ssl: useTls(bootstrap.transport),
    connectionTimeout: config.connectionTimeoutMs,
    requestTimeout: config.requestTimeoutMs,
    enforceRequestTimeout: true,
    retry: { retries: 3, initialRetryTime: 100, maxRetryTime: 2_000 },
    logLevel: kafkajsLevels[config.logLevel],
  });
}

function useTls(transport: BrokerTransport): boolean {
  if (transport === 'sasl-iam' || transport === 'sasl-scram') {
    throw new ConfigError(
      `the Kafka cluster offers only ${transport === 'sasl-iam' ? 'SASL/IAM' : 'SASL/SCRAM'} listeners, and this pipeline connects ` +
        'without SASL; enable unauthenticated or TLS client access on the cluster, or set KAFKA_BOOTSTRAP_SERVERS',
    );
  }
  return transport === 'tls';
}

interface CachedClient {
  kafka: Kafka;
  producer: Promise<Producer> | null;
}

/** Clients per distinct config: one per warm container in practice. */
const clients = new Map<string, Promise<CachedClient>>();

function cacheKey(config: KafkaConfig): string {
  return JSON.stringify([config.bootstrap, config.ssl, config.clientId, config.connectionTimeoutMs, config.requestTimeoutMs, config.idempotentProducer, config.logLevel]);
}

function cachedClient(options: KafkaClientOptions): Promise<CachedClient> {
  const config = options.config ?? fromProcessEnv(loadKafkaConfig);
  const key = cacheKey(config);
  let entry = clients.get(key);
  if (!entry) {
    entry = resolveBootstrapServers(config, options).then((bootstrap) => ({ kafka: createKafka(config, bootstrap), producer: null }));
    // A failed lookup is not kept: the next invocation tries again.
    entry.catch(() => clients.delete(key));
    clients.set(key, entry);
  }
  return entry;
}

/** The container's kafkajs client (bootstrap resolved once, then reused while warm). */
export async function getKafka(options: KafkaClientOptions = {}): Promise<Kafka> {
  return (await cachedClient(options)).kafka;
}

/**
 * The container's connected producer. Sends default to acks=-1 (all in-sync replicas);
 * idempotence is off unless KAFKA_IDEMPOTENT_PRODUCER is set. A producer that disconnects or
 * fails to connect is dropped, so the next call connects a new one.
 */
export async function getProducer(options: KafkaClientOptions = {}): Promise<Producer> {
  const config = options.config ?? fromProcessEnv(loadKafkaConfig);
  const client = await cachedClient({ ...options, config });
  if (!client.producer) {
    const producer = client.kafka.producer({
      idempotent: config.idempotentProducer,
      ...(config.idempotentProducer ? { maxInFlightRequests: 1 } : {}),
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    const connecting = producer.connect().then(() => producer);
    client.producer = connecting;
    const forget = () => {
      if (client.producer === connecting) client.producer = null;
    };
    connecting.catch(forget);
    producer.on(producer.events.DISCONNECT, forget);
  }
  return client.producer;
}

/** Disconnects every cached producer and forgets the clients (tests; graceful shutdown). */
export async function disconnectKafkaClients(): Promise<void> {
  const entries = [...clients.values()];
  clients.clear();
  await Promise.all(
    entries.map(async (entry) => {
      const client = await entry.catch(() => null);
      const producer = await client?.producer?.catch(() => null);
      await producer?.disconnect();
    }),
  );
}
