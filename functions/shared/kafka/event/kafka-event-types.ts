/** The two event sources whose events carry Kafka records. */
export type KafkaEventSource = 'aws:kafka' | 'SelfManagedKafka';

export type KafkaTimestampType = 'CREATE_TIME' | 'LOG_APPEND_TIME' | 'NO_TIMESTAMP_TYPE';

export interface KafkaRecordHeader {
  readonly key: string;
  /** null for a header sent without a value. */
  readonly value: Buffer | null;
}

/** A record whose coordinates, key, value and headers all decoded. Its payload is still untrusted. */
export interface DecodedKafkaRecord {
  readonly ok: true;
  readonly topic: string;
  readonly partition: number;
  /** Decimal int64 offset, as kafkajs spells offsets (exact beyond 2^53). */
  readonly offset: string;
  /** Milliseconds since the epoch; -1 when the producer sent none. */
  readonly timestamp: number;
  readonly timestampType: KafkaTimestampType;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  /** In the order the event lists them; a key may repeat. */
  readonly headers: readonly KafkaRecordHeader[];
}

/**
 * A record that could not be decoded. It stands in its batch position so the detector can
 * dead-letter it; the coordinates are whatever could be recovered (from the record or its map key).
 */
export interface MalformedKafkaRecord {
  readonly ok: false;
  /** Why it was refused; never quotes the payload. */
  readonly reason: string;
  /** The record as it arrived (untrusted; may be any JSON value). */
  readonly raw: unknown;
  readonly topic?: string;
  readonly partition?: number;
  readonly offset?: string;
}

export type KafkaEventRecord = DecodedKafkaRecord | MalformedKafkaRecord;

export interface ParsedKafkaEvent {
  readonly eventSource: KafkaEventSource;
  /** The MSK cluster ARN for aws:kafka; null for SelfManagedKafka. */
  readonly eventSourceArn: string | null;
  /** host:port entries the event names (empty when the event carries none). */
  readonly bootstrapServers: readonly string[];
  /** Sorted by topic, then partition, then offset ascending; malformed records keep their place when their coordinates are known and go last otherwise. */
  readonly records: readonly KafkaEventRecord[];
}
