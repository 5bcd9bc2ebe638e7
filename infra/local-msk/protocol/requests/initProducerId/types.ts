/** InitProducerId, version-independent shapes (versions 0-1). */
export interface InitProducerIdRequest {
  /** Null for an idempotent (non-transactional) producer. */
  transactionalId: string | null;
  /** Transaction timeout (ms); meaningless without a transactional id. */
  transactionTimeoutMs: number;
}

export interface InitProducerIdResponse {
  throttleTimeMs: number;
  errorCode: number;
  /** -1 on error. Stays below 2^53. */
  producerId: number;
  /** -1 on error. */
  producerEpoch: number;
}
