// JoinGroup Request (Version: 1) => group_id session_timeout_ms rebalance_timeout_ms member_id protocol_type [protocols]
//   group_id => STRING
//   session_timeout_ms => INT32
//   rebalance_timeout_ms => INT32
//   member_id => STRING
//   protocol_type => STRING
//   protocols => name metadata
//     name => STRING
//     metadata => BYTES
import type { Reader } from '../../../reader.js';
import type { JoinGroupRequest } from '../types.js';
import { decodeProtocols } from '../v0/request.js';

export function decode(reader: Reader): JoinGroupRequest {
  const groupId = reader.string();
  const sessionTimeoutMs = reader.int32();
  const rebalanceTimeoutMs = reader.int32();
  const memberId = reader.string();
  const protocolType = reader.string();
  const protocols = decodeProtocols(reader);
  return { groupId, sessionTimeoutMs, rebalanceTimeoutMs, memberId, groupInstanceId: null, protocolType, protocols };
}
