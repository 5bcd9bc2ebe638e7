import { Kafka, Partitioners, logLevel, type Producer, type SASLOptions } from 'kafkajs';
import { fromProcessEnv } from '../../config/from-process-env.js';
import { loadKafkaConfig, type KafkaConfig, type KafkaLogLevel } from '../../config/kafka-config.js';
import { ConfigError } from '../../errors.js';
import type { BrokerTransport } from '../bootstrap/pick-bootstrap-brokers.js';
import { kafkaSasl, type KafkaSaslDependencies } from '../auth/kafka-sasl.js';
import { resolveBootstrapServers, type ResolveOptions, type ResolvedBootstrap } from '../bootstrap/resolve-bootstrap-servers.js';

export interface KafkaClientOptions extends ResolveOptions, KafkaSaslDependencies {
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
 * invocation, few quick retries, request timeouts enforced. `sasl` is what kafkaSasl() made of
 * config.auth (connectKafka does both); a SASL config without it, or a SASL-only cluster
 * without a matching KAFKA_AUTH, is a ConfigError.
 */
export function createKafka(config: KafkaConfig, bootstrap: ResolvedBootstrap, sasl?: SASLOptions): Kafka {
  if (config.auth.kind !== 'none' && sasl === undefined) {
    throw new ConfigError(`KAFKA_AUTH=${config.auth.kind} needs SASL credentials: create the client with connectKafka()`);
  }
  return new Kafka({
    clientId: config.clientId,
    brokers: [...bootstrap.brokers],
    ssl: useTls(bootstrap.transport, config),
    ...(sasl ? { sasl } : {}),
    connectionTimeout: config.connectionTimeoutMs,
    requestTimeout: config.requestTimeoutMs,
    enforceRequestTimeout: true,
    retry: { retries: 3, initialRetryTime: 100, maxRetryTime: 2_000 },
    logLevel: kafkajsLevels[config.logLevel],
  });
}

/**
 * TLS when the listener is MSK's TLS one or KAFKA_SSL says so. MSK's SASL listeners are TLS only, and
 * KAFKA_SSL defaults to true with KAFKA_AUTH iam/scram-sha-512; KAFKA_SSL=false is for the local MSK,
 * whose GetBootstrapBrokers names its plaintext listener under the SASL fields.
 */
function useTls(transport: BrokerTransport, config: KafkaConfig): boolean {
  const needed = transport === 'sasl-iam' ? 'iam' : transport === 'sasl-scram' ? 'scram-sha-512' : null;
  if (needed !== null && config.auth.kind !== needed) {
    throw new ConfigError(
      `the Kafka cluster offers only ${needed === 'iam' ? 'SASL/IAM' : 'SASL/SCRAM'} listeners; set KAFKA_AUTH=${needed}` +
        (needed === 'scram-sha-512' ? ' and KAFKA_SCRAM_SECRET_ID' : '') +
        ', enable unauthenticated or TLS client access on the cluster, or set KAFKA_BOOTSTRAP_SERVERS',
    );
  }
  return transport === 'tls' || config.ssl;
}

/** Bootstrap brokers resolved and SASL credentials read, then createKafka: the one way the functions get a client. */
export async function connectKafka(config: KafkaConfig, options: KafkaClientOptions = {}): Promise<{ kafka: Kafka; bootstrap: ResolvedBootstrap }> {
  const bootstrap = await resolveBootstrapServers(config, options);
  const sasl = await kafkaSasl(config.auth, options);
  return { kafka: createKafka(config, bootstrap, sasl), bootstrap };
}

interface CachedClient {
  kafka: Kafka;
  producer: Promise<Producer> | null;
}

/** Clients per distinct config: one per warm container in practice. */
const clients = new Map<string, Promise<CachedClient>>();

function cacheKey(config: KafkaConfig): string {
  return JSON.stringify([config.bootstrap, config.ssl, config.auth, config.clientId, config.connectionTimeoutMs, config.requestTimeoutMs, config.idempotentProducer, config.logLevel]);
}

function cachedClient(options: KafkaClientOptions): Promise<CachedClient> {
  const config = options.config ?? fromProcessEnv(loadKafkaConfig);
  const key = cacheKey(config);
  let entry = clients.get(key);
  if (!entry) {
    entry = connectKafka(config, options).then(({ kafka }) => ({ kafka, producer: null }));
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
