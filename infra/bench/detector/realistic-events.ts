import { createLogGenerator, toKafkaMessage } from '../../../functions/producer/generator/index.js';
import { buildKafkaEvent, type KafkaEventWire, type KafkaRecordInput } from '../../../functions/shared/kafka/index.js';
import { LABEL_HEADER } from '../../../functions/shared/log/index.js';

export const BENCH_CLUSTER_ARN = 'arn:aws:kafka:us-east-1:123456789012:cluster/log-anomaly-msk/5e0c6a1d-2f4b-4c8e-9a7d-3b1f6e2c8d40-3';
const BROKERS = ['b-1.log-anomaly-msk.q7x2ke.c3.kafka.us-east-1.amazonaws.com:9092', 'b-2.log-anomaly-msk.q7x2ke.c3.kafka.us-east-1.amazonaws.com:9092'];

export interface RealisticEventOptions {
  /** Records per event (Lambda's batch size). */
  recordsPerEvent: number;
  events: number;
  /** Partitions of topic `logs`; records are spread over them round-robin. */
  partitions: number;
  seed: number;
}

/**
 * aws:kafka events as the event-source mapping delivers producer output: records from the
 * producer's generator (5 % anomalies, experiment and producer ids), serialized by toKafkaMessage,
 * keyed by service, with the x-anomaly-label header, offsets counting up per partition and
 * produce times 1 ms apart.
 */
export function realisticKafkaEvents(options: RealisticEventOptions): KafkaEventWire[] {
  const generator = createLogGenerator({ anomalyRate: 0.05, seed: options.seed, experimentId: 'bench-decode', producerId: 'producer-1' });
  const start = Date.UTC(2026, 0, 15, 9, 0, 0);
  const nextOffset = new Array<number>(options.partitions).fill(0);
  const events: KafkaEventWire[] = [];
  let produced = 0;
  for (let e = 0; e < options.events; e++) {
    const records: KafkaRecordInput[] = [];
    for (let r = 0; r < options.recordsPerEvent; r++) {
      const now = start + produced++;
      const message = toKafkaMessage(generator.next(now));
      const partition = produced % options.partitions;
      records.push({
        topic: 'logs',
        partition,
        offset: nextOffset[partition]!++,
        timestamp: now,
        key: message.key,
        value: message.value,
        headers: [{ key: LABEL_HEADER, value: message.headers[LABEL_HEADER] }],
      });
    }
    events.push(buildKafkaEvent({ eventSource: 'aws:kafka', eventSourceArn: BENCH_CLUSTER_ARN, bootstrapServers: BROKERS }, records));
  }
  return events;
}
