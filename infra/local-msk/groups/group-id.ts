import { fitsKafkaString, isWellFormedText } from '../protocol/kafka-string.js';

/**
 * Whether a group id is acceptable (else INVALID_GROUP_ID). Kafka requires a non-empty id;
 * this broker also refuses one whose bytes are not UTF-8, which Kafka would silently turn
 * into a different, longer id. Such an id never reaches the group table or the offsets log.
 */
export function isValidGroupId(groupId: string): boolean {
  return groupId !== '' && isWellFormedText(groupId) && fitsKafkaString(groupId);
}
