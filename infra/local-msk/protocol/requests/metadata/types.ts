/** Metadata, version-independent shapes (superset of versions 0-6). */
export interface MetadataRequest {
  /** null = every topic (v1+; in v0 an empty list means every topic and is decoded as null). */
  topics: string[] | null;
  /** v4+; earlier versions always allow it (subject to the broker's auto-create setting). */
  allowAutoTopicCreation: boolean;
}

export interface MetadataBroker {
  nodeId: number;
  host: string;
  port: number;
  /** v1+. */
  rack: string | null;
}

export interface MetadataPartition {
  errorCode: number;
  index: number;
  leaderId: number;
  replicaNodes: number[];
  isrNodes: number[];
  /** v5+. */
  offlineReplicas: number[];
}

export interface MetadataTopic {
  errorCode: number;
  name: string;
  /** v1+. */
  isInternal: boolean;
  partitions: MetadataPartition[];
}

export interface MetadataResponse {
  /** v3+. */
  throttleTimeMs: number;
  brokers: MetadataBroker[];
  /** v2+. */
  clusterId: string | null;
  /** v1+. */
  controllerId: number;
  topics: MetadataTopic[];
}
