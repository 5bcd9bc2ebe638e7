/** FindCoordinator, version-independent shapes. */
export const CoordinatorKeyType = { GROUP: 0, TRANSACTION: 1 } as const;

export interface FindCoordinatorRequest {
  /** Group id (or transactional id when keyType is TRANSACTION). */
  key: string;
  /** 0 = group, 1 = transaction (v1+; v0 always asks for a group). */
  keyType: number;
}

export interface FindCoordinatorResponse {
  throttleTimeMs: number;
  errorCode: number;
  errorMessage: string | null;
  nodeId: number;
  host: string;
  port: number;
}
