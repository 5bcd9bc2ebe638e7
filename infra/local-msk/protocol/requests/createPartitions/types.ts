/** CreatePartitions, version-independent shapes (versions 0-1). */
export interface CreatePartitionsTopic {
  name: string;
  /** The new total partition count (not the increment). */
  count: number;
  /** One entry per new partition (its replicas' broker ids), or null to let the broker place them. */
  assignments: { brokerIds: number[] }[] | null;
}

export interface CreatePartitionsRequest {
  topics: CreatePartitionsTopic[];
  /** How long the client waits (ms); growth here is immediate. */
  timeoutMs: number;
  validateOnly: boolean;
}

export interface CreatePartitionsTopicResult {
  name: string;
  errorCode: number;
  /** Null on success. */
  errorMessage: string | null;
}

export interface CreatePartitionsResponse {
  throttleTimeMs: number;
  results: CreatePartitionsTopicResult[];
}
