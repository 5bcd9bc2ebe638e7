// Metadata Response (Version: 0) => [brokers] [topics]
//   brokers => node_id host port
//     node_id => INT32
//     host => STRING
//     port => INT32
//   topics => error_code name [partitions]
//     error_code => INT16
//     name => STRING
//     partitions => error_code partition_index leader_id [replica_nodes] [isr_nodes]
//       error_code => INT16
//       partition_index => INT32
//       leader_id => INT32
//       replica_nodes => INT32
//       isr_nodes => INT32
import type { Writer } from '../../../writer.js';
import type { MetadataPartition, MetadataResponse } from '../types.js';

const int32 = (w: Writer, value: number) => {
  w.int32(value);
};

/** Partition fields shared by every version; v5+ appends offline_replicas. */
export function writePartitionV0(writer: Writer, partition: MetadataPartition): void {
  writer.int16(partition.errorCode).int32(partition.index).int32(partition.leaderId);
  writer.array(partition.replicaNodes, int32);
  writer.array(partition.isrNodes, int32);
}

export function writePartitionV5(writer: Writer, partition: MetadataPartition): void {
  writePartitionV0(writer, partition);
  writer.array(partition.offlineReplicas, int32);
}

export function encode(writer: Writer, response: MetadataResponse): void {
  writer.array(response.brokers, (w, broker) => {
    w.int32(broker.nodeId).string(broker.host).int32(broker.port);
  });
  writer.array(response.topics, (w, topic) => {
    w.int16(topic.errorCode).string(topic.name);
    w.array(topic.partitions, writePartitionV0);
  });
}
