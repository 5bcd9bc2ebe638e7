import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { parseKafkaEvent, type KafkaEventWire } from '../../../functions/shared/kafka/index.js';
import type { MappingLogger } from '../../../infra/event-source-mapping/logger.js';
import { parseMappingDefinition } from '../../../infra/event-source-mapping/mapping-definition.js';
import { createMappingRunner, type MappingRunner } from '../../../infra/event-source-mapping/mapping-runner.js';
import type { TestBroker } from '../../helpers/broker.js';

export { waitFor } from '../../helpers/wait-for.js';

/**
 * A real in-process "function": records every payload it is given (after checking it parses) and
 * runs `behaviour`, whose result (when not undefined) is the function's result, else `{ ok: true }`.
 */
export function recordingFunction(behaviour: (payload: KafkaEventWire, call: number) => unknown = () => undefined) {
  const payloads: KafkaEventWire[] = [];
  const invoke = async (payload: KafkaEventWire): Promise<unknown> => {
    const parsed = parseKafkaEvent(payload);
    if (parsed.records.some((record) => !record.ok)) throw new Error('payload holds a record parseKafkaEvent refused');
    payloads.push(structuredClone(payload));
    const result = behaviour(payload, payloads.length);
    return result === undefined ? { ok: true } : result;
  };
  const values = () => payloads.flatMap((payload) => Object.values(payload.records).flat().map((record) => Buffer.from(record.value ?? '', 'base64').toString()));
  return { payloads, invoke, values };
}

export const quietLogger: MappingLogger & { errors: string[] } = Object.assign(
  { info: () => undefined, error: (message: string) => void quietLogger.errors.push(message) },
  { errors: [] as string[] },
);

export interface RunnerSpec {
  broker: TestBroker;
  kafka: Kafka;
  msk: Record<string, unknown>;
  invoke: (payload: KafkaEventWire) => Promise<unknown>;
  /** kafkajs consumer retries before a crash (default: the runner's). */
  consumerRetries?: number;
  /** Where the runner logs (default quietLogger). */
  logger?: MappingLogger;
}

/** A runner for an `msk` event of function "detector", retrying without real waits (Invoke API retries too). */
export function runnerFor(spec: RunnerSpec): MappingRunner {
  const definition = parseMappingDefinition({ msk: { arn: spec.broker.clusterArn, ...spec.msk } }, { service: 'esm-test', stage: 'test', functionName: 'detector' });
  return createMappingRunner({
    definition,
    kafka: spec.kafka,
    bootstrapServers: [spec.broker.bootstrap],
    invoke: spec.invoke,
    logger: spec.logger ?? quietLogger,
    sleep: () => new Promise((resolve) => setImmediate(resolve)),
    restartDelayMs: 50,
    consumerConfig: {
      heartbeatInterval: 300,
      sessionTimeout: 6000,
      rebalanceTimeout: 6000,
      ...(spec.consumerRetries === undefined ? {} : { retry: { retries: spec.consumerRetries, initialRetryTime: 50 } }),
    },
  });
}

/** Committed offset per partition of `topic` for `groupId` (-1: none). */
export async function committedOffsets(kafka: Kafka, groupId: string, topic: string): Promise<number[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const [entry] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return (entry?.partitions ?? []).sort((a, b) => a.partition - b.partition).map((partition) => Number(partition.offset));
  } finally {
    await admin.disconnect();
  }
}

/** Records written to `topic` so far: the sum of its partitions' log-end offsets. */
export async function topicEnd(kafka: Kafka, topic: string): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return (await admin.fetchTopicOffsets(topic)).reduce((sum, partition) => sum + Number(partition.high), 0);
  } finally {
    await admin.disconnect();
  }
}

/** A failed record as the on-failure topic holds it: its value and its headers as text. */
export interface DeadLetter {
  value: string;
  headers: Record<string, string>;
}

/** Reads `topic` from the beginning with a group of its own; `stop()` disconnects. */
export async function topicReader(kafka: Kafka, topic: string): Promise<{ messages: DeadLetter[]; stop: () => Promise<void> }> {
  const messages: DeadLetter[] = [];
  const consumer = kafka.consumer({ groupId: `reader-${topic}-${randomUUID()}`, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const headers = Object.fromEntries(Object.entries(message.headers ?? {}).map(([key, value]) => [key, String(value)]));
      messages.push({ value: String(message.value), headers });
    },
  });
  return { messages, stop: () => consumer.disconnect() };
}

/** The values of one invocation's event, in event order ("<topic>-<partition>" keys, then offsets). */
export function eventValues(payload: KafkaEventWire): string[] {
  return Object.values(payload.records).flat().map((record) => Buffer.from(record.value ?? '', 'base64').toString());
}

/** An invocation's records as "<partition>:<offset>": partitions by key, each in event order. */
export function eventCoordinates(payload: KafkaEventWire): string[] {
  return Object.keys(payload.records)
    .sort()
    .flatMap((slot) => payload.records[slot]!.map((record) => `${record.partition}:${record.offset}`));
}
