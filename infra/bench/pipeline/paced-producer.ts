import { Partitioners, type PartitionMetadata } from 'kafkajs';
import { createLogGenerator, toKafkaMessage } from '../../../functions/producer/generator/index.js';
import type { LeanRecord } from './lean-batch.js';
import type { LeanProducer } from './lean-producer.js';

export interface PacedRunResult {
  sent: number;
  /** Seconds from the first send to the last acknowledgement. */
  seconds: number;
}

/** Sends per tick (ms): rate × tick / 1000 records go out as one produce request. */
const tickMs = 10;
/** Records per produce request at most (~300 B each: well under the broker's 1 MB batch limit). */
const maxBatchRecords = 2_000;
/** Produce requests that may be in flight at once. */
const maxInFlight = 8;

export interface PreparedRecord {
  readonly partition: number;
  readonly record: LeanRecord;
}

/**
 * The stage's records, generated before the clock starts (the producer function's generator, 5 %
 * anomalies, label headers) and placed on partitions by kafkajs's default partitioner — the one the
 * producer function uses — so generating them costs the measured stage nothing.
 */
export function prepareRecords(producerId: string, count: number, rate: number, partitions: number): PreparedRecord[] {
  const generator = createLogGenerator({ anomalyRate: 0.05, producerId, seed: 42 });
  const partitioner = Partitioners.DefaultPartitioner();
  const partitionMetadata: PartitionMetadata[] = Array.from({ length: partitions }, (_, partitionId) => ({ partitionErrorCode: 0, partitionId, leader: 0, replicas: [0], isr: [0] }));
  const startMs = Date.now();
  const prepared: PreparedRecord[] = [];
  for (let i = 0; i < count; i++) {
    const message = toKafkaMessage(generator.next(startMs + (i * 1000) / rate));
    const partition = partitioner({ topic: 'logs', partitionMetadata, message });
    const headers = Object.entries(message.headers).map(([key, value]) => ({ key, value }));
    prepared.push({ partition, record: { key: message.key, value: message.value, headers } });
  }
  return prepared;
}

/**
 * Produces the prepared records at `rate` records/s, paced on a 10 ms tick: each tick sends
 * the records that are due, stamped with the send time. A tick that finds maxInFlight requests
 * outstanding waits, so the achieved rate falls below the offered one when the broker cannot keep up.
 */
export async function producePaced(producer: LeanProducer, topic: string, prepared: readonly PreparedRecord[], rate: number): Promise<PacedRunResult> {
  const total = prepared.length;
  const started = Date.now();
  let sent = 0;
  const inFlight = new Set<Promise<unknown>>();
  let failure: unknown = null;
  while (sent < total) {
    if (failure !== null) throw failure;
    const due = Math.min(total, Math.floor(((Date.now() - started) / 1000) * rate) + 1);
    while (due > sent) {
      const byPartition = new Map<number, LeanRecord[]>();
      for (const end = Math.min(due, sent + maxBatchRecords); sent < end; sent++) {
        const { partition, record } = prepared[sent]!;
        let list = byPartition.get(partition);
        if (list === undefined) byPartition.set(partition, (list = []));
        list.push(record);
      }
      const request = producer.send(topic, byPartition, Date.now());
      inFlight.add(request);
      void request.then(
        () => inFlight.delete(request),
        (error: unknown) => {
          inFlight.delete(request);
          failure ??= error;
        },
      );
      if (inFlight.size >= maxInFlight) await Promise.race(inFlight).catch(() => undefined);
    }
    await new Promise((resolve) => setTimeout(resolve, tickMs));
  }
  await Promise.all(inFlight);
  return { sent, seconds: (Date.now() - started) / 1000 };
}
