import { isWellFormedText } from '../protocol/kafka-string.js';

/**
 * Whether a transactional id is well formed (else INVALID_REQUEST, which Kafka answers for an
 * empty one). Ids whose bytes are not UTF-8 are refused the same way rather than being
 * turned into a different id. Well-formed ids are still refused later: no transactions here.
 */
export function isValidTransactionalId(transactionalId: string): boolean {
  return transactionalId !== '' && isWellFormedText(transactionalId);
}
