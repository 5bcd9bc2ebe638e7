export { resolveBootstrapServers, type ResolvedBootstrap, type ResolveOptions } from './bootstrap/resolve-bootstrap-servers.js';
export { pickBootstrapBrokers, type BrokerTransport, type PickedBrokers } from './bootstrap/pick-bootstrap-brokers.js';
export { createMskClient, type MskBootstrap } from './bootstrap/msk-client.js';
export { connectKafka, createKafka, getKafka, getProducer, disconnectKafkaClients, type KafkaClientOptions } from './client/kafka-client.js';
export { parseKafkaEvent, defaultRecordLimits, type ParseKafkaEventOptions } from './event/parse-kafka-event.js';
export { buildKafkaEvent, type KafkaEventWire, type KafkaEventWireRecord, type KafkaRecordInput, type KafkaEventTarget } from './event/build-kafka-event.js';
export { headerText } from './event/decode-headers.js';
export type {
  DecodedKafkaRecord,
  KafkaEventRecord,
  KafkaEventSource,
  KafkaRecordHeader,
  KafkaTimestampType,
  MalformedKafkaRecord,
  ParsedKafkaEvent,
} from './event/kafka-event-types.js';
