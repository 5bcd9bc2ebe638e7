/** DeleteTopics, version-independent shapes (versions 0-3). */
export interface DeleteTopicsRequest {
  topicNames: string[];
  /** How long the client waits for the deletion (ms); deletion here is immediate. */
  timeoutMs: number;
}

export interface DeletableTopicResult {
  name: string;
  errorCode: number;
}

export interface DeleteTopicsResponse {
  /** v1+. */
  throttleTimeMs: number;
  responses: DeletableTopicResult[];
}
