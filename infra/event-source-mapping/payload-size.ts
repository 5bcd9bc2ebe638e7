import { buildKafkaEvent, type KafkaEventTarget, type KafkaRecordInput } from '../../functions/shared/kafka/index.js';

/** AWS Lambda's synchronous invoke payload limit: 6 MB (6 × 2^20 bytes). */
export const maxInvokePayloadBytes = 6 * 1024 * 1024;

/**
 * Measures what records add to the serialized `aws:kafka` payload (UTF-8 bytes of its JSON),
 * so a batch can be sized without re-serializing it per record.
 * Invariant: baseBytes + Σ slotBytes(new slots) + Σ recordBytes ≥ the exact payload size, and
 * exceeds it by at most one byte per slot plus one (the trailing commas it counts).
 */
export interface PayloadSizer {
  /** The payload with no records. */
  readonly baseBytes: number;
  /** `"<topic>-<partition>":[]` plus a separating comma. */
  slotBytes(slot: string): number;
  /** The encoded record plus a separating comma. */
  recordBytes(record: KafkaRecordInput): number;
}

export function kafkaPayloadSizer(target: KafkaEventTarget): PayloadSizer {
  return {
    baseBytes: serializedBytes(buildKafkaEvent(target, [])),
    slotBytes: (slot) => Buffer.byteLength(JSON.stringify(slot)) + 4,
    recordBytes: (record) => {
      const encoded = Object.values(buildKafkaEvent(target, [record]).records)[0]![0];
      return serializedBytes(encoded) + 1;
    },
  };
}

/** The exact size of a payload as an invoke would send it. */
export function serializedBytes(payload: unknown): number {
  return Buffer.byteLength(JSON.stringify(payload));
}

export function slotOf(record: Pick<KafkaRecordInput, 'topic' | 'partition'>): string {
  return `${record.topic}-${record.partition}`;
}
