/**
 * What makes two deliveries of one set of Kafka coordinates (topic, partition, offset) "the same
 * record": the same key bytes, the same value bytes and the same timestamp.
 *
 * A redelivery (at-least-once: a retried batch, a rebalance, a restarted consumer) reads the same
 * append to the partition's log again, so all three are equal byte for byte. A new record that
 * Kafka placed at coordinates it had handed out before (a topic deleted and recreated, a broker
 * that lost its log, the in-memory broker restarted, a database restored against a reset Kafka)
 * is a new append: its value almost always differs (the producer's records carry an id, a time
 * and a sequence number), and even a byte-identical value sent again gets a new timestamp — the
 * producer's send time (CREATE_TIME) or the broker's append time (LOG_APPEND_TIME), both stored
 * with the append and read back unchanged on every redelivery.
 *
 * Headers are left out: they are metadata the detector does not store as the log (only the
 * evaluation label), they never change on a redelivery, and a new append already differs in its
 * timestamp. The timestamp type is left out too (a property of the topic, not of the record).
 *
 * Changing what the fingerprint covers changes every record's fingerprint: redeliveries of rows
 * stored before the change would then look like reused offsets. Such a change needs the old rows'
 * fingerprints set to NULL (unknown) first.
 */
import type { DecodedKafkaRecord } from '../shared/kafka/index.js';
import { Digest53 } from './fingerprint-hash.js';

const digest = new Digest53();

/** The record's fingerprint: an integer in [0, 2^53), stored in logs.fingerprint. */
export function recordFingerprint(record: Pick<DecodedKafkaRecord, 'key' | 'value' | 'timestamp'>): number {
  digest.begin();
  digest.mixBytes(record.key);
  digest.mixBytes(record.value);
  // ms since the epoch, or -1 when the record has none (message format v0).
  digest.mixInteger(record.timestamp);
  return digest.finish();
}
