import { KafkaProtocolError } from '../../errors.js';
import { ErrorCode } from '../../protocol/error-codes.js';

/**
 * Replica placement rules of a single-node broker, shared by CreateTopics and
 * CreatePartitions: every partition has exactly one replica, on this node.
 */

/** Accepts -1 (broker default) and 1; anything else is INVALID_REPLICATION_FACTOR. */
export function checkReplicationFactor(replicationFactor: number): void {
  if (replicationFactor === -1 || replicationFactor === 1) return;
  const why =
    replicationFactor <= 0
      ? `replication factor ${replicationFactor} must be positive`
      : `replication factor ${replicationFactor} is larger than the number of brokers (1)`;
  throw new KafkaProtocolError(
    ErrorCode.INVALID_REPLICATION_FACTOR,
    `${why}: the local MSK is a single-node emulator, use 1 or -1 (default)`,
  );
}

/** A partition's replica list must be exactly [nodeId]; else INVALID_REPLICA_ASSIGNMENT. */
export function checkReplicaList(partitionIndex: number, brokerIds: readonly number[], nodeId: number): void {
  if (brokerIds.length === 1 && brokerIds[0] === nodeId) return;
  const shown = brokerIds.length > 10 ? `${brokerIds.slice(0, 10).join(',')},…` : brokerIds.join(',');
  throw new KafkaProtocolError(
    ErrorCode.INVALID_REPLICA_ASSIGNMENT,
    `partition ${partitionIndex} is assigned to brokers [${shown}], but the local MSK is a single-node emulator: the only valid assignment is [${nodeId}]`,
  );
}
