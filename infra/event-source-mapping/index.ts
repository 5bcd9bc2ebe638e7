/**
 * The local Kafka event-source mapping (AWS Lambda's MSK / self-managed Kafka trigger) as a library:
 * parse a function's `msk` / `kafka` event into a MappingDefinition, then run it against a cluster
 * with createMappingRunner, which calls an injected `invoke` with exact `aws:kafka` events.
 */
export { EventSourceMappingConfigError } from './errors.js';
export { parseMappingDefinition, deriveConsumerGroupId, retriesWithDestinationWhenInfinite, type MappingDefinition, type MappingContext, type StartingPosition } from './mapping-definition.js';
export { Batcher, type BatcherOptions } from './batcher.js';
export { kafkaPayloadSizer, serializedBytes, maxInvokePayloadBytes, type PayloadSizer } from './payload-size.js';
export { mayRetry, backoffMs, invokeRetryDelayMs, defaultRetryDelays, type RetryPolicy } from './retry-policy.js';
export { deliverBatch, type DeliveryOutcome, type DeliveryDependencies, type ErrorHandling, type InvokeFunction } from './batch-delivery.js';
export { readBatchResponse, type BatchResponseVerdict } from './partial-batch-response.js';
export { splitByAge, RecordTooOldError } from './record-age.js';
export { InvokeServiceError, isInvokeServiceFailure, invokeServiceFailureOf, withInvokeServiceFailures } from './invoke-failure.js';
export { isRebalanceCommitFailure } from './commit-failure.js';
export { failureHeaderNames, toFailureMessage, toRecordInput } from './kafka-records.js';
export { createMappingRunner, type MappingRunner, type MappingRunnerOptions } from './mapping-runner.js';
export { stderrMappingLogger, type MappingLogger } from './logger.js';
