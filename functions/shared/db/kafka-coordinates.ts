/**
 * A Kafka record's identity: (topic, partition, offset). Rows that come from Kafka records carry it
 * under a unique constraint, which is what makes every insert idempotent under redelivery.
 */
import { requireOffset, requirePartition, requireText } from './input-checks.js';

export interface KafkaCoordinates {
  readonly topic: string;
  readonly partition: number;
  /** Offset within the partition: a non-negative safe integer. */
  readonly offset: number;
}

/** Validated copy (topic made storable, partition/offset range-checked); `what` names the row in errors. */
export function checkCoordinates(value: KafkaCoordinates, what: string): KafkaCoordinates {
  return {
    topic: requireText(value?.topic, `${what}.topic`),
    partition: requirePartition(value?.partition, `${what}.partition`),
    offset: requireOffset(value?.offset, `${what}.offset`),
  };
}

/** A string key that is equal for equal coordinates (for Sets and Maps). */
export function coordinatesKey(value: KafkaCoordinates): string {
  return `${value.partition}:${value.offset}:${value.topic}`;
}

/**
 * Total order used before every batch insert: all writers lock unique-index entries in the same
 * order, so two overlapping batches stored concurrently wait for each other instead of deadlocking.
 */
export function compareCoordinates(a: KafkaCoordinates, b: KafkaCoordinates): number {
  if (a.topic !== b.topic) return a.topic < b.topic ? -1 : 1;
  if (a.partition !== b.partition) return a.partition - b.partition;
  return a.offset - b.offset;
}
