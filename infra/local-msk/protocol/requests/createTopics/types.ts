/** CreateTopics, version-independent shapes (a superset of versions 0-4). */

/** A manual placement of one partition: the broker ids holding its replicas. */
export interface CreatableReplicaAssignment {
  partitionIndex: number;
  brokerIds: number[];
}

export interface CreatableTopicConfig {
  name: string;
  /** Null is legal on the wire; the broker rejects it. */
  value: string | null;
}

export interface CreatableTopic {
  name: string;
  /** -1 means "use the broker default" (only meaningful without assignments). */
  numPartitions: number;
  /** -1 means "use the broker default". */
  replicationFactor: number;
  /** Empty unless the client places replicas itself. */
  assignments: CreatableReplicaAssignment[];
  configs: CreatableTopicConfig[];
}

export interface CreateTopicsRequest {
  topics: CreatableTopic[];
  /** How long the client waits for the creation (ms); creation here is immediate. */
  timeoutMs: number;
  /** v1+: check everything, create nothing. False in v0. */
  validateOnly: boolean;
}

export interface CreatableTopicResult {
  name: string;
  errorCode: number;
  /** v1+: why the topic could not be created; null on success. */
  errorMessage: string | null;
}

export interface CreateTopicsResponse {
  /** v2+. */
  throttleTimeMs: number;
  topics: CreatableTopicResult[];
}
