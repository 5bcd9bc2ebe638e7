/** Produce, version-independent shapes (superset of versions 3-7). */
export interface ProduceRequest {
  /** Set by transactional producers only (v3+). */
  transactionalId: string | null;
  /** 0 = no response, 1 = leader write, -1 = all in-sync replicas (here: fsync). */
  acks: number;
  timeoutMs: number;
  topics: ProduceTopicData[];
}

export interface ProduceTopicData {
  name: string;
  partitions: ProducePartitionData[];
}

export interface ProducePartitionData {
  index: number;
  /** One or more RecordBatch v2 back to back; a view into the request frame. */
  records: Buffer | null;
}

export interface ProduceResponse {
  topics: ProduceTopicResponse[];
  throttleTimeMs: number;
}

export interface ProduceTopicResponse {
  name: string;
  partitions: ProducePartitionResponse[];
}

export interface ProducePartitionResponse {
  index: number;
  errorCode: number;
  /** Offset of the first appended record, -1 on error. */
  baseOffset: number;
  /** -1: the topics use CreateTime. */
  logAppendTimeMs: number;
  /** v5+. -1 on error. */
  logStartOffset: number;
}
