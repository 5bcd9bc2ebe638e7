/** LeaveGroup, version-independent shapes. */
export interface LeaveGroupRequest {
  groupId: string;
  /** v0-v2 name exactly one member; v3 a batch. */
  members: { memberId: string; groupInstanceId: string | null }[];
}

export interface LeaveGroupResponse {
  throttleTimeMs: number;
  /** v0-v2: the single member's outcome; v3: group-level errors only. */
  errorCode: number;
  /** v3 only: per-member outcome. */
  members: { memberId: string; groupInstanceId: string | null; errorCode: number }[];
}
