/**
 * Where a lost or duplicated record went wrong, from the Kafka side: reads topic `logs` from its
 * start to its high watermarks (a consumer group of its own, nothing committed) and counts how
 * many copies of each produced id the topic holds. Run only when the stored census found a
 * problem, while the broker is still up:
 *
 * - lost and not in the topic: the broker lost a record it had acknowledged;
 * - lost but in the topic: the mapping or the detector skipped it;
 * - duplicated and in the topic twice: the record reached the topic twice (the producer side);
 * - duplicated but in the topic once: the detector stored one Kafka record twice.
 */
import { randomBytes } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';

export interface TopicCensus {
  /** False when the topic could not be read to its end within the time limit (the counts are partial). */
  readonly complete: boolean;
  /** Records read (all of them, whatever their id). */
  readonly records: number;
  /** Produced ids the topic does not hold. */
  readonly missing: number;
  /** Produced ids the topic holds more than once. */
  readonly twice: number;
  /** Per produced id, its copies in the topic (capped at 255). */
  readonly copies: Uint8Array;
}

const idInValue = /"id":"chaos-(\d{1,15})"/;

/** Longest wait for the topic to be read to its end, in ms (a diagnosis must not hang the run). */
const readLimitMs = 180_000;

export async function censusOfTopic(bootstrap: string, topic: string, produced: number): Promise<TopicCensus> {
  const kafka = new Kafka({ clientId: 'chaos-census', brokers: [bootstrap], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const ends = new Map<number, number>();
  try {
    for (const end of await admin.fetchTopicOffsets(topic)) ends.set(end.partition, Number(end.high));
  } finally {
    await admin.disconnect();
  }
  const copies = new Uint8Array(produced);
  let records = 0;
  let complete = true;
  const remaining = new Set([...ends].filter(([, high]) => high > 0).map(([partition]) => partition));
  if (remaining.size > 0) {
    const consumer = kafka.consumer({ groupId: `chaos-census-${randomBytes(4).toString('hex')}`, maxBytes: 8 * 1024 * 1024 });
    await consumer.connect();
    try {
      await consumer.subscribe({ topic, fromBeginning: true });
      let finish: () => void = () => undefined;
      const done = new Promise<void>((resolve) => (finish = resolve));
      await consumer.run({
        autoCommit: false,
        eachBatch: async ({ batch }) => {
          const high = ends.get(batch.partition) ?? 0;
          for (const message of batch.messages) {
            if (Number(message.offset) >= high) break;
            records += 1;
            const n = Number(idInValue.exec(message.value?.toString('utf8') ?? '')?.[1] ?? -1);
            if (n >= 0 && n < produced && copies[n]! < 255) copies[n] = copies[n]! + 1;
          }
          if (Number(batch.lastOffset()) + 1 >= high) {
            remaining.delete(batch.partition);
            if (remaining.size === 0) finish();
          }
        },
      });
      let timer: NodeJS.Timeout | undefined;
      complete = await Promise.race([done.then(() => true), new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), readLimitMs)))]);
      clearTimeout(timer);
    } finally {
      await consumer.disconnect().catch(() => undefined);
    }
  }
  let missing = 0;
  let twice = 0;
  for (const count of copies) {
    if (count === 0) missing += 1;
    else if (count > 1) twice += 1;
  }
  return { complete, records, missing, twice, copies };
}
