// CreateTopics Request (Version: 4) => [topics] timeout_ms validate_only
//   (same grammar as version 1; KIP-464 makes num_partitions / replication_factor -1
//   legal without assignments, which this broker accepts in every version, as Kafka does)
export { decode } from '../v1/request.js';
