import { randomUUID } from 'node:crypto';
import { maxStringBytes, truncateKafkaString } from '../protocol/kafka-string.js';

/**
 * A new member id in Kafka's shape, `<client id>-<uuid>`. The client id is cut first so the
 * whole id always fits a STRING: a client id may itself be 32767 bytes long, and a member id
 * that cannot be written would make the JoinGroup answer impossible.
 */
export function newMemberId(clientId: string): string {
  const suffix = `-${randomUUID()}`;
  return truncateKafkaString(clientId, maxStringBytes - suffix.length) + suffix;
}
