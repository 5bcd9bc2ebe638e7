import type { KafkaEventSource } from '../../functions/shared/kafka/index.js';
import { EventSourceMappingConfigError } from './errors.js';
import { parseFilterPatterns, type FilterPattern } from './filter/filter-pattern.js';

export type StartingPosition = 'TRIM_HORIZON' | 'LATEST' | 'AT_TIMESTAMP';

/** One validated Kafka event-source mapping, with AWS's defaults filled in. Units are in the names. */
export interface MappingDefinition {
  functionName: string;
  /** 'aws:kafka' for an `msk` event, 'SelfManagedKafka' for a `kafka` event. */
  eventSource: KafkaEventSource;
  /** The MSK cluster ARN (msk events); null for self-managed Kafka. */
  eventSourceArn: string | null;
  /** Self-managed Kafka only: the brokers the event names (msk events: empty; the runner supplies them). */
  bootstrapServers: readonly string[];
  topic: string;
  /** 1..10,000; AWS default 100. */
  batchSize: number;
  /** 0..300 s; AWS's Kafka default is 0.5 s. Kept in milliseconds. */
  maximumBatchingWindowMs: number;
  startingPosition: StartingPosition;
  /** Milliseconds since the epoch; set only (and always) for AT_TIMESTAMP. */
  startingPositionTimestampMs: number | null;
  /** Given, or derived from service/stage/function/topic so it is stable across restarts. */
  consumerGroupId: string;
  /** -1 = infinite (AWS default); with an on-failure destination, infinite means 10 (as AWS does). */
  maximumRetryAttempts: number;
  /** -1 = infinite (AWS default), else 60..604,800 s: older records are not sent to the function. */
  maximumRecordAgeSeconds: number;
  /** bisectBatchOnFunctionError: a batch the function fails is split in two and each half retried. */
  bisectBatchOnFunctionError: boolean;
  /** functionResponseTypes holds ReportBatchItemFailures: the function's batchItemFailures are honoured. */
  reportBatchItemFailures: boolean;
  /** Topic failed batches are written to (same cluster), or null. */
  onFailureTopic: string | null;
  /**
   * Pollers: consumers in the group, each invoking the function one batch at a time, so this is also
   * the most concurrent invocations. From provisionedPollerConfig.maximumPollers; without it,
   * maxPollers (one per partition, AWS's on-demand ceiling). The runner caps it at the partition count.
   */
  concurrency: number;
  /** provisionedPollerConfig.minimumPollers (default 1, at most `concurrency`); reported, not scaled on. */
  minimumPollers: number;
  /** AWS filter criteria patterns over {key, value, headers...}; empty = every record is delivered. */
  filterPatterns: readonly FilterPattern[];
  enabled: boolean;
}

export interface MappingContext {
  service: string;
  stage: string;
  functionName: string;
}

const kafkaTopicPattern = /^[a-zA-Z0-9._-]{1,249}$/;
const consumerGroupPattern = /^[a-zA-Z0-9._:-]{1,200}$/;
const positions: readonly StartingPosition[] = ['TRIM_HORIZON', 'LATEST', 'AT_TIMESTAMP'];

/** AWS's limit on provisioned pollers; also "one per partition" when no poller config is given. */
export const maxPollers = 1000;

/** Retries AWS applies when retries are infinite and an on-failure destination is set. */
export const retriesWithDestinationWhenInfinite = 10;

/**
 * Turns one serverless `events[]` entry of the form `{ msk: {...} }` or `{ kafka: {...} }` into a
 * MappingDefinition. Accepted fields beyond osls's own (AWS's error handling for Kafka, named as
 * osls names them on `stream` events): maximumRetryAttempts, maximumRecordAgeInSeconds,
 * bisectBatchOnFunctionError, functionResponseTypes ([ReportBatchItemFailures], AWS's list; osls's
 * scalar `functionResponseType` is read too), destinations.onFailure ("kafka://topic" or a topic name).
 * provisionedPollerConfig sets the pollers; filterPatterns filters records as AWS's filter criteria do.
 * Fields it does not use (saslScram512, accessConfigurations...) are ignored.
 */
export function parseMappingDefinition(event: unknown, context: MappingContext): MappingDefinition {
  const fail = (field: string, problem: string): never => {
    throw new EventSourceMappingConfigError(context.functionName, field, problem);
  };
  if (!isObject(event)) return fail('event', 'is not an object with an msk or kafka key');
  const kind = 'msk' in event ? 'msk' : 'kafka' in event ? 'kafka' : fail('event', 'has neither an msk nor a kafka key');
  const raw = event[kind];
  if (!isObject(raw)) return fail(kind, 'is not an object');
  const field = (name: string) => `${kind}.${name}`;

  const topic = raw.topic;
  if (typeof topic !== 'string' || !kafkaTopicPattern.test(topic) || topic === '.' || topic === '..') {
    fail(field('topic'), 'must be a Kafka topic name (1-249 of a-z A-Z 0-9 . _ -)');
  }
  const eventSource: KafkaEventSource = kind === 'msk' ? 'aws:kafka' : 'SelfManagedKafka';
  const eventSourceArn = kind === 'msk' ? readArn(raw.arn, fail, field('arn')) : null;
  const bootstrapServers = kind === 'kafka' ? readServers(raw.bootstrapServers, fail, field('bootstrapServers')) : [];

  const batchSize = readInt(raw.batchSize, 100, 1, 10_000, fail, field('batchSize'));
  const windowSeconds = readNumber(raw.maximumBatchingWindow, 0.5, 0, 300, fail, field('maximumBatchingWindow'));
  const startingPosition = (raw.startingPosition ?? 'TRIM_HORIZON') as StartingPosition;
  if (!positions.includes(startingPosition)) fail(field('startingPosition'), `must be one of ${positions.join(', ')}`);
  const startingPositionTimestampMs = readTimestamp(raw.startingPositionTimestamp, startingPosition, fail, field('startingPositionTimestamp'));

  const consumerGroupId = raw.consumerGroupId === undefined ? deriveConsumerGroupId(context, topic as string) : (raw.consumerGroupId as string);
  if (typeof consumerGroupId !== 'string' || !consumerGroupPattern.test(consumerGroupId)) {
    fail(field('consumerGroupId'), 'must be 1-200 of a-z A-Z 0-9 . _ : -');
  }
  const onFailureTopic = readDestination(raw.destinations, fail, field('destinations.onFailure'));
  if (onFailureTopic !== null && onFailureTopic === topic) fail(field('destinations.onFailure'), 'must not be the source topic (it would loop)');
  const retries = readInt(raw.maximumRetryAttempts, -1, -1, 10_000, fail, field('maximumRetryAttempts'));
  const maximumRecordAgeSeconds = readInt(raw.maximumRecordAgeInSeconds, -1, -1, 604_800, fail, field('maximumRecordAgeInSeconds'));
  if (maximumRecordAgeSeconds !== -1 && maximumRecordAgeSeconds < 60) fail(field('maximumRecordAgeInSeconds'), 'must be -1 (infinite) or 60..604800');
  if (raw.bisectBatchOnFunctionError !== undefined && typeof raw.bisectBatchOnFunctionError !== 'boolean') fail(field('bisectBatchOnFunctionError'), 'must be true or false');
  const reportBatchItemFailures = readResponseTypes(raw, fail, field);
  const pollers = raw.provisionedPollerConfig;
  if (pollers !== undefined && !isObject(pollers)) fail(field('provisionedPollerConfig'), 'must be an object with minimumPollers and/or maximumPollers');
  const pollerConfig = (pollers ?? {}) as Record<string, unknown>;
  const minimumPollers = readInt(pollerConfig.minimumPollers, 1, 1, maxPollers, fail, field('provisionedPollerConfig.minimumPollers'));
  // Without provisionedPollerConfig (AWS's on-demand mode) AWS scales up to one concurrent
  // invocation per partition under load: that is the default here (the runner caps at partitions).
  const concurrency = readInt(pollerConfig.maximumPollers, pollers === undefined ? maxPollers : Math.max(1, minimumPollers), 1, maxPollers, fail, field('provisionedPollerConfig.maximumPollers'));
  if (minimumPollers > concurrency) fail(field('provisionedPollerConfig'), 'minimumPollers must not exceed maximumPollers');
  let filterPatterns: FilterPattern[] = [];
  try {
    filterPatterns = parseFilterPatterns(raw.filterPatterns);
  } catch (error) {
    fail(field('filterPatterns'), (error as Error).message);
  }
  if (raw.enabled !== undefined && typeof raw.enabled !== 'boolean') fail(field('enabled'), 'must be true or false');

  return {
    functionName: context.functionName,
    eventSource,
    eventSourceArn,
    bootstrapServers,
    topic: topic as string,
    batchSize,
    maximumBatchingWindowMs: Math.round(windowSeconds * 1000),
    startingPosition,
    startingPositionTimestampMs,
    consumerGroupId,
    maximumRetryAttempts: retries === -1 && onFailureTopic !== null ? retriesWithDestinationWhenInfinite : retries,
    maximumRecordAgeSeconds,
    bisectBatchOnFunctionError: raw.bisectBatchOnFunctionError === true,
    reportBatchItemFailures,
    onFailureTopic,
    concurrency,
    minimumPollers,
    filterPatterns,
    enabled: raw.enabled !== false,
  };
}

/** `${service}-${stage}-${functionName}-${topic}` with anything outside [a-zA-Z0-9._-] replaced by "_". */
export function deriveConsumerGroupId(context: MappingContext, topic: string): string {
  return `${context.service}-${context.stage}-${context.functionName}-${topic}`.replace(/[^a-zA-Z0-9._-]/g, '_').slice(0, 200);
}

type Fail = (field: string, problem: string) => never;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readArn(raw: unknown, fail: Fail, field: string): string {
  if (typeof raw !== 'string' || !/^arn:[a-z-]+:kafka:[a-z0-9-]*:\d*:cluster\/.+/.test(raw) || raw.length > 2048) {
    return fail(field, 'must be an MSK cluster ARN (arn:aws:kafka:<region>:<account>:cluster/...)');
  }
  return raw;
}

function readServers(raw: unknown, fail: Fail, field: string): string[] {
  const list = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(',') : null;
  if (list === null || list.length === 0 || list.length > 100 || !list.every((entry) => typeof entry === 'string' && /^[^\s,:]+:\d{1,5}$/.test(entry.trim()))) {
    return fail(field, 'must be a non-empty list of host:port');
  }
  return list.map((entry: string) => entry.trim());
}

function readNumber(raw: unknown, fallback: number, min: number, max: number, fail: Fail, field: string): number {
  if (raw === undefined) return fallback;
  if (typeof raw !== 'number' || !Number.isFinite(raw) || raw < min || raw > max) return fail(field, `must be a number from ${min} to ${max}`);
  return raw;
}

function readInt(raw: unknown, fallback: number, min: number, max: number, fail: Fail, field: string): number {
  if (raw === undefined) return fallback;
  if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < min || raw > max) return fail(field, `must be an integer from ${min} to ${max}`);
  return raw;
}

/** Seconds since the epoch (osls's unit) or an ISO-8601 string; required for AT_TIMESTAMP only. */
function readTimestamp(raw: unknown, position: StartingPosition, fail: Fail, field: string): number | null {
  if (position !== 'AT_TIMESTAMP') {
    if (raw !== undefined) fail(field, 'is only allowed with startingPosition AT_TIMESTAMP');
    return null;
  }
  const ms = typeof raw === 'number' && Number.isFinite(raw) && raw >= 0 ? raw * 1000 : typeof raw === 'string' ? Date.parse(raw) : Number.NaN;
  if (!Number.isFinite(ms)) return fail(field, 'must be seconds since the epoch or an ISO-8601 date when startingPosition is AT_TIMESTAMP');
  return Math.round(ms);
}

/** The only response type AWS defines. */
const reportBatchItemFailuresType = 'ReportBatchItemFailures';

/**
 * True when the event turns on partial batch responses: `functionResponseTypes: [ReportBatchItemFailures]`
 * (AWS's FunctionResponseTypes list; an empty list turns them off) or osls's scalar
 * `functionResponseType: ReportBatchItemFailures`. Both at once are refused.
 */
function readResponseTypes(raw: Record<string, unknown>, fail: Fail, field: (name: string) => string): boolean {
  const list = raw.functionResponseTypes;
  const scalar = raw.functionResponseType;
  if (list !== undefined && scalar !== undefined) return fail(field('functionResponseTypes'), 'give functionResponseTypes or functionResponseType, not both');
  if (scalar !== undefined) {
    if (scalar !== reportBatchItemFailuresType) return fail(field('functionResponseType'), `must be ${reportBatchItemFailuresType}`);
    return true;
  }
  if (list === undefined) return false;
  if (!Array.isArray(list) || list.length > 1 || !list.every((type) => type === reportBatchItemFailuresType)) {
    return fail(field('functionResponseTypes'), `must be [] or [${reportBatchItemFailuresType}]`);
  }
  return list.length === 1;
}

function readDestination(raw: unknown, fail: Fail, field: string): string | null {
  if (raw === undefined) return null;
  if (!isObject(raw)) return fail(field, 'destinations must be an object with onFailure');
  const target = raw.onFailure;
  if (target === undefined) return null;
  if (typeof target !== 'string') return fail(field, 'must be "kafka://<topic>" or a topic name');
  const topic = target.startsWith('kafka://') ? target.slice('kafka://'.length) : target;
  if (!kafkaTopicPattern.test(topic)) return fail(field, 'must be "kafka://<topic>" or a topic name');
  return topic;
}
