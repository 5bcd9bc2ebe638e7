/** ListGroups, version-independent shapes. */
export type ListGroupsRequest = Record<string, never>;

export interface ListGroupsResponse {
  throttleTimeMs: number;
  errorCode: number;
  groups: { groupId: string; protocolType: string }[];
}
