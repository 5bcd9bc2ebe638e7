import { z } from 'zod';
import { boolean, httpUrl, integer, kafkaTopic, matching, oneOf } from './env-schemas.js';
import { EnvReader, type Env, type VariableSchema } from './env.js';
import { readKafkaAuth, type KafkaAuth } from './kafka-auth-config.js';

/** Where the Kafka brokers are: listed directly, or looked up from an MSK cluster ARN. */
export type KafkaBootstrap =
  | { readonly kind: 'brokers'; readonly brokers: readonly string[] }
  | {
      readonly kind: 'msk';
      readonly clusterArn: string;
      /** The cluster's region, taken from the ARN. */
      readonly region: string;
      /** MSK control-plane endpoint override (AWS_ENDPOINT_URL_KAFKA, else AWS_ENDPOINT_URL); undefined = AWS. */
      readonly endpoint: string | undefined;
    };

export interface TopicConfig {
  /** KAFKA_TOPIC: the log records' topic. */
  readonly logsTopic: string;
  /** METRICS_TOPIC: the metric records' topic; never the same as logsTopic. */
  readonly metricsTopic: string;
}

export type KafkaLogLevel = 'nothing' | 'error' | 'warn' | 'info' | 'debug';

export interface KafkaConfig extends TopicConfig {
  readonly bootstrap: KafkaBootstrap;
  /**
   * KAFKA_SSL: connect with TLS (an MSK TLS or SASL listener returned by the ARN lookup turns it
   * on too). Defaults to true with KAFKA_AUTH iam/scram-sha-512, whose MSK listeners are TLS only.
   */
  readonly ssl: boolean;
  /** KAFKA_AUTH (+ KAFKA_SCRAM_SECRET_ID): how to authenticate; see kafka-auth-config.ts. */
  readonly auth: KafkaAuth;
  /** KAFKA_CLIENT_ID, else the Lambda function name, else "log-anomaly". */
  readonly clientId: string;
  /** KAFKA_CONNECTION_TIMEOUT_MS: TCP connect timeout per broker. */
  readonly connectionTimeoutMs: number;
  /** KAFKA_REQUEST_TIMEOUT_MS: time to wait for one broker response. */
  readonly requestTimeoutMs: number;
  /** KAFKA_IDEMPOTENT_PRODUCER: off by default (one fewer round trip on a cold start). */
  readonly idempotentProducer: boolean;
  /** KAFKA_LOG_LEVEL: kafkajs's own logging. */
  readonly logLevel: KafkaLogLevel;
}

export const defaultLogsTopic = 'logs';
export const defaultMetricsTopic = 'metrics';
export const maxBootstrapServers = 64;

/** host:port with a DNS name, an IPv4 address or a bracketed IPv6 address. */
const hostPortPattern = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]{2,45}\]):(\d{1,5})$/;

/** KAFKA_BOOTSTRAP_SERVERS: comma-separated host:port entries. */
function bootstrapList(): VariableSchema<string[]> {
  return z
    .string()
    .max(8192, { error: 'must be at most 8192 characters' })
    .transform((text, context) => {
      const entries = text.split(',').map((entry) => entry.trim());
      const fail = (message: string) => {
        context.issues.push({ code: 'custom', message, input: text });
        return z.NEVER;
      };
      if (entries.length > maxBootstrapServers) return fail(`must list at most ${maxBootstrapServers} brokers`);
      for (const [index, entry] of entries.entries()) {
        const match = hostPortPattern.exec(entry);
        const port = match ? Number(match[1]) : 0;
        if (!match || port < 1 || port > 65535) {
          return fail(`must be comma-separated host:port entries such as b-1.example:9092,b-2.example:9092; entry ${index + 1} is not`);
        }
      }
      return entries;
    });
}

/** arn:aws:kafka:<region>:<account>:cluster/<name>/<uuid> → its parts. */
const clusterArnPattern = /^arn:aws[a-z-]*:kafka:([a-z]{2}(?:-[a-z]+)+-\d{1,2}):\d{12}:cluster\/[A-Za-z0-9-]{1,64}\/[A-Za-z0-9-]{1,128}$/;

function clusterArn(): VariableSchema<{ arn: string; region: string }> {
  const message = 'must be an MSK cluster ARN such as arn:aws:kafka:us-east-1:123456789012:cluster/name/uuid';
  return z
    .string()
    .max(512, { error: message })
    .regex(clusterArnPattern, { error: message })
    .transform((arn) => ({ arn, region: clusterArnPattern.exec(arn)![1]! }));
}

const clientIdSchema = matching(/^[A-Za-z0-9._-]+$/, 128, 'letters, digits, ".", "_" and "-"');

/** The two topic names; for functions that only read event payloads and need no broker. */
export function loadTopicConfig(env: Env): TopicConfig {
  const reader = new EnvReader(env, 'Kafka topic');
  const topics = readTopics(reader);
  return reader.finish(() => topics);
}

/**
 * The Kafka settings of a function that talks to brokers. Either KAFKA_BOOTSTRAP_SERVERS or
 * MSK_CLUSTER_ARN is required; when both are set the explicit list wins (no control-plane call).
 */
export function loadKafkaConfig(env: Env): KafkaConfig {
  const reader = new EnvReader(env, 'Kafka');
  const topics = readTopics(reader);
  const bootstrap = readBootstrap(reader);
  const clientId =
    reader.read('KAFKA_CLIENT_ID', clientIdSchema) ?? reader.read('AWS_LAMBDA_FUNCTION_NAME', clientIdSchema) ?? 'log-anomaly';
  const auth = readKafkaAuth(reader, bootstrap?.kind === 'msk' ? bootstrap.region : undefined);
  const ssl = reader.read('KAFKA_SSL', boolean(), auth.kind !== 'none');
  const connectionTimeoutMs = reader.read('KAFKA_CONNECTION_TIMEOUT_MS', integer(100, 60_000), 3_000);
  const requestTimeoutMs = reader.read('KAFKA_REQUEST_TIMEOUT_MS', integer(100, 300_000), 10_000);
  const idempotentProducer = reader.read('KAFKA_IDEMPOTENT_PRODUCER', boolean(), false);
  const logLevel = reader.read('KAFKA_LOG_LEVEL', oneOf(['nothing', 'error', 'warn', 'info', 'debug'] as const), 'warn');
  return reader.finish(() => ({
    ...topics,
    bootstrap: bootstrap!,
    ssl,
    auth,
    clientId,
    connectionTimeoutMs,
    requestTimeoutMs,
    idempotentProducer,
    logLevel,
  }));
}

function readTopics(reader: EnvReader): TopicConfig {
  const logsTopic = reader.read('KAFKA_TOPIC', kafkaTopic(), defaultLogsTopic);
  const metricsTopic = reader.read('METRICS_TOPIC', kafkaTopic(), defaultMetricsTopic);
  if (logsTopic === metricsTopic) reader.problem('METRICS_TOPIC', `must differ from KAFKA_TOPIC (both are ${JSON.stringify(logsTopic)})`);
  return { logsTopic, metricsTopic };
}

function readBootstrap(reader: EnvReader): KafkaBootstrap | undefined {
  if (reader.has('KAFKA_BOOTSTRAP_SERVERS')) {
    const brokers = reader.read('KAFKA_BOOTSTRAP_SERVERS', bootstrapList());
    return brokers && { kind: 'brokers', brokers: Object.freeze(brokers) };
  }
  if (reader.has('MSK_CLUSTER_ARN')) {
    const cluster = reader.read('MSK_CLUSTER_ARN', clusterArn());
    const endpointVariable = reader.has('AWS_ENDPOINT_URL_KAFKA') ? 'AWS_ENDPOINT_URL_KAFKA' : 'AWS_ENDPOINT_URL';
    const endpoint = reader.read(endpointVariable, httpUrl());
    return cluster && { kind: 'msk', clusterArn: cluster.arn, region: cluster.region, endpoint };
  }
  reader.problem('KAFKA_BOOTSTRAP_SERVERS', 'or MSK_CLUSTER_ARN is required: set the brokers as host:port,host:port or the MSK cluster ARN to look them up');
  return undefined;
}
