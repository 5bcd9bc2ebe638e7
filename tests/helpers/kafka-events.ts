import { readFileSync } from 'node:fs';
import { buildKafkaEvent, type KafkaEventWire, type KafkaRecordInput } from '../../functions/shared/kafka/event/build-kafka-event.js';

/** A log record as the producer writes it to the `logs` topic. */
export interface SampleLogRecord {
  id: string;
  ts: string;
  service: string;
  level: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  message: string;
  host: string;
}

export const sampleClusterArn = 'arn:aws:kafka:us-east-1:123456789012:cluster/log-anomaly-msk/5e0c6a1d-2f4b-4c8e-9a7d-3b1f6e2c8d40-3';
export const sampleMskBrokers = [
  'b-1.log-anomaly-msk.q7x2ke.c3.kafka.us-east-1.amazonaws.com:9092',
  'b-2.log-anomaly-msk.q7x2ke.c3.kafka.us-east-1.amazonaws.com:9092',
];

const services = ['auth-service', 'payment-service', 'inventory-service', 'api-gateway'] as const;
const messages = [
  'User login succeeded for user_id=4821 in 35ms',
  'GET /api/v1/orders/1187 200 42ms',
  'Cache miss for key product:9921, loading from database',
  'Payment authorised for order 55012 amount=42.10 EUR',
] as const;

/** A deterministic, realistic log record; `index` varies every field. */
export function sampleLogRecord(index: number, overrides: Partial<SampleLogRecord> = {}): SampleLogRecord {
  const hex = (index + 1).toString(16).padStart(12, '0');
  return {
    id: `6f1d2c3b-8a9e-4f70-b1c2-${hex}`,
    ts: new Date(Date.UTC(2024, 4, 1, 12, 0, 0) + index * 250).toISOString(),
    service: services[index % services.length]!,
    level: index % 7 === 6 ? 'WARN' : 'INFO',
    message: messages[index % messages.length]!,
    host: `ip-10-0-${1 + (index % 3)}-${20 + (index % 11)}`,
    ...overrides,
  };
}

/**
 * Records for one partition holding JSON values, offsets counting up from `firstOffset`, keyed
 * by service and labelled with an `x-anomaly-label` header.
 */
export function jsonRecords(
  topic: string,
  partition: number,
  firstOffset: number,
  values: readonly object[],
  options: { label?: string; firstTimestamp?: number } = {},
): KafkaRecordInput[] {
  const firstTimestamp = options.firstTimestamp ?? Date.UTC(2024, 4, 1, 12, 0, 0);
  return values.map((value, index) => ({
    topic,
    partition,
    offset: firstOffset + index,
    timestamp: firstTimestamp + index * 250,
    key: 'service' in value && typeof value.service === 'string' ? value.service : null,
    value: JSON.stringify(value),
    headers: [{ key: 'x-anomaly-label', value: options.label ?? 'none' }],
  }));
}

/** An aws:kafka event as the MSK event-source mapping delivers it. */
export function mskEvent(records: readonly KafkaRecordInput[], options: { clusterArn?: string; brokers?: readonly string[] } = {}): KafkaEventWire {
  return buildKafkaEvent(
    { eventSource: 'aws:kafka', eventSourceArn: options.clusterArn ?? sampleClusterArn, bootstrapServers: options.brokers ?? sampleMskBrokers },
    records,
  );
}

/** A SelfManagedKafka event (no ARN). */
export function selfManagedKafkaEvent(records: readonly KafkaRecordInput[], brokers: readonly string[] = ['kafka-1.internal:9092']): KafkaEventWire {
  return buildKafkaEvent({ eventSource: 'SelfManagedKafka', bootstrapServers: brokers }, records);
}

export type EventFixtureName = 'msk-event' | 'self-managed-kafka-event' | 'msk-event-poison';

/** A fixture from tests/events/, parsed fresh (callers may mutate it). */
export function loadEventFixture(name: EventFixtureName): unknown {
  return JSON.parse(readFileSync(new URL(`../events/${name}.json`, import.meta.url), 'utf8'));
}
