/**
 * Kafka errors with which the group coordinator refuses a commit because the group moved on: a
 * rebalance is under way (REBALANCE_IN_PROGRESS), or this member's generation or membership is
 * stale (ILLEGAL_GENERATION, UNKNOWN_MEMBER_ID: a rebalance, or a session that expired). kafkajs
 * rejoins by itself on its next heartbeat and fetches again from the committed offsets.
 */
const rebalanceErrorTypes = new Set(['REBALANCE_IN_PROGRESS', 'ILLEGAL_GENERATION', 'UNKNOWN_MEMBER_ID']);
/** kafkajs wraps the protocol error (KafkaJSNonRetriableError, NumberOfRetriesExceeded) as `cause`. */
const maxCauseDepth = 5;

/** True when a rejected commit failed only because of a group rebalance (see rebalanceErrorTypes). */
export function isRebalanceCommitFailure(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < maxCauseDepth && typeof current === 'object' && current !== null; depth++) {
    const { type, cause } = current as { type?: unknown; cause?: unknown };
    if (typeof type === 'string' && rebalanceErrorTypes.has(type)) return true;
    current = cause;
  }
  return false;
}
