import type { Kafka } from 'kafkajs';
import { parseKafkaEvent, type KafkaEventWire } from '../../../functions/shared/kafka/index.js';
import type { MappingLogger } from '../../../infra/event-source-mapping/logger.js';
import { parseMappingDefinition } from '../../../infra/event-source-mapping/mapping-definition.js';
import { createMappingRunner, type MappingRunner } from '../../../infra/event-source-mapping/mapping-runner.js';
import type { TestBroker } from '../../helpers/broker.js';

export { waitFor } from '../../helpers/wait-for.js';

/** A real in-process "function": records every payload it is given (after checking it parses) and runs `behaviour`. */
export function recordingFunction(behaviour: (payload: KafkaEventWire) => void = () => undefined) {
  const payloads: KafkaEventWire[] = [];
  const invoke = async (payload: KafkaEventWire): Promise<unknown> => {
    const parsed = parseKafkaEvent(payload);
    if (parsed.records.some((record) => !record.ok)) throw new Error('payload holds a record parseKafkaEvent refused');
    payloads.push(structuredClone(payload));
    behaviour(payload);
    return { ok: true };
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
}

/** A runner for an `msk` event of function "detector", retrying without real waits. */
export function runnerFor(spec: RunnerSpec): MappingRunner {
  const definition = parseMappingDefinition({ msk: { arn: spec.broker.clusterArn, ...spec.msk } }, { service: 'esm-test', stage: 'test', functionName: 'detector' });
  return createMappingRunner({
    definition,
    kafka: spec.kafka,
    bootstrapServers: [spec.broker.bootstrap],
    invoke: spec.invoke,
    logger: quietLogger,
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
