import { createRequire } from 'node:module';
import { KafkaProtocolError } from '../../../../../infra/local-msk/errors.js';
import { batchField, computeBatchCrc } from '../../../../../infra/local-msk/protocol/record-batch/index.js';

const require = createRequire(import.meta.url);

/** A RecordBatch v2 exactly as kafkajs's producer encodes it (kafkajs's own encoder). */
export async function kafkajsBatch(options: {
  messages: { key?: string | null; value: string | null; timestamp?: number; headers?: Record<string, string> }[];
  compression?: number;
  producerId?: number;
  producerEpoch?: number;
  firstSequence?: number;
  transactional?: boolean;
}): Promise<Buffer> {
  const { RecordBatch } = require('kafkajs/src/protocol/recordBatch/v0');
  const Record = require('kafkajs/src/protocol/recordBatch/record/v0');
  const Long = require('kafkajs/src/utils/long');
  const timestamps = options.messages.map((m) => m.timestamp ?? 1_700_000_000_000);
  const firstTimestamp = Math.min(...timestamps);
  const records = options.messages.map((message, i) =>
    Record({ ...message, offsetDelta: i, timestampDelta: timestamps[i]! - firstTimestamp }),
  );
  const encoder = await RecordBatch({
    compression: options.compression ?? 0,
    records,
    firstTimestamp,
    maxTimestamp: Math.max(...timestamps),
    producerId: Long.fromValue(options.producerId ?? -1),
    producerEpoch: options.producerEpoch ?? 0,
    firstSequence: options.firstSequence ?? 0,
    transactional: options.transactional ?? false,
    lastOffsetDelta: records.length - 1,
  });
  return Buffer.from(encoder.buffer);
}

/** Decodes a batch with kafkajs's own RecordBatch decoder (independent of ours). */
export async function kafkajsDecode(batch: Buffer): Promise<any> {
  const Decoder = require('kafkajs/src/protocol/decoder');
  const decodeBatch = require('kafkajs/src/protocol/recordBatch/v0/decoder');
  return decodeBatch(new Decoder(batch));
}

/** A copy of `batch` changed by `edit`, with the CRC recomputed so only the edit is wrong. */
export function patched(batch: Buffer, edit: (copy: Buffer) => void): Buffer {
  const copy = Buffer.from(batch);
  edit(copy);
  copy.writeUInt32BE(computeBatchCrc(copy), batchField.crc);
  return copy;
}

/** The Kafka error code a call fails with (0 if it succeeds); anything but KafkaProtocolError rethrows. */
export async function errorCodeOf(action: () => unknown): Promise<number> {
  try {
    await action();
    return 0;
  } catch (error) {
    if (error instanceof KafkaProtocolError) return error.code;
    throw error;
  }
}
