// Metadata Response (Version: 1) => [brokers] controller_id [topics]
//   brokers => node_id host port rack
//     node_id => INT32
//     host => STRING
//     port => INT32
//     rack => NULLABLE_STRING
//   controller_id => INT32
//   topics => error_code name is_internal [partitions]
//     error_code => INT16
//     name => STRING
//     is_internal => BOOLEAN
//     partitions => error_code partition_index leader_id [replica_nodes] [isr_nodes]
//       error_code => INT16
//       partition_index => INT32
//       leader_id => INT32
//       replica_nodes => INT32
//       isr_nodes => INT32
import type { Writer } from '../../../writer.js';
import type { MetadataPartition, MetadataResponse } from '../types.js';
import { writePartitionV0, writePartitionV5 } from '../v0/response.js';

export interface MetadataLayout {
  /** v3+: throttle_time_ms first. */
  throttle: boolean;
  /** v2+: cluster_id before controller_id. */
  clusterId: boolean;
  writePartition: (writer: Writer, partition: MetadataPartition) => void;
}

export function encodeWith(writer: Writer, response: MetadataResponse, layout: MetadataLayout): void {
  if (layout.throttle) writer.int32(response.throttleTimeMs);
  writer.array(response.brokers, (w, broker) => {
    w.int32(broker.nodeId).string(broker.host).int32(broker.port).nullableString(broker.rack);
  });
  if (layout.clusterId) writer.nullableString(response.clusterId);
  writer.int32(response.controllerId);
  writer.array(response.topics, (w, topic) => {
    w.int16(topic.errorCode).string(topic.name).boolean(topic.isInternal);
    w.array(topic.partitions, layout.writePartition);
  });
}

export const layouts = {
  v1: { throttle: false, clusterId: false, writePartition: writePartitionV0 },
  v2: { throttle: false, clusterId: true, writePartition: writePartitionV0 },
  v3: { throttle: true, clusterId: true, writePartition: writePartitionV0 },
  v5: { throttle: true, clusterId: true, writePartition: writePartitionV5 },
} satisfies Record<string, MetadataLayout>;

export function encode(writer: Writer, response: MetadataResponse): void {
  encodeWith(writer, response, layouts.v1);
}
