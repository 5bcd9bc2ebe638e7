import { describe, expect, it } from 'vitest';
import { EventSourceMappingConfigError } from '../../../infra/event-source-mapping/errors.js';
import { deriveConsumerGroupId, parseMappingDefinition } from '../../../infra/event-source-mapping/mapping-definition.js';

const context = { service: 'log-anomaly-detection', stage: 'dev', functionName: 'detector' };
const arn = 'arn:aws:kafka:us-east-1:000000000000:cluster/local-msk/6c6f6361-1';

function refusal(event: unknown): EventSourceMappingConfigError {
  try {
    parseMappingDefinition(event, context);
  } catch (error) {
    if (error instanceof EventSourceMappingConfigError) return error;
    throw error;
  }
  throw new Error('expected the event to be refused');
}

describe('parseMappingDefinition', () => {
  it('reads the detector msk event of serverless.yml', () => {
    // Prepare
    const event = { msk: { arn, topic: 'logs', batchSize: 500, maximumBatchingWindow: 1, startingPosition: 'TRIM_HORIZON', consumerGroupId: 'log-anomaly-detection-dev-detector' } };
    // Act
    const definition = parseMappingDefinition(event, context);
    // Assess
    expect(definition).toEqual({
      functionName: 'detector',
      eventSource: 'aws:kafka',
      eventSourceArn: arn,
      bootstrapServers: [],
      topic: 'logs',
      batchSize: 500,
      maximumBatchingWindowMs: 1000,
      startingPosition: 'TRIM_HORIZON',
      startingPositionTimestampMs: null,
      consumerGroupId: 'log-anomaly-detection-dev-detector',
      maximumRetryAttempts: -1,
      maximumRecordAgeSeconds: -1,
      bisectBatchOnFunctionError: false,
      reportBatchItemFailures: false,
      onFailureTopic: null,
      concurrency: 1000,
      minimumPollers: 1,
      filterPatterns: [],
      enabled: true,
    });
  });

  it("fills in AWS's defaults and a stable derived group id", () => {
    // Act
    const first = parseMappingDefinition({ msk: { arn, topic: 'app.logs' } }, { ...context, functionName: 'my fn' });
    const again = parseMappingDefinition({ msk: { arn, topic: 'app.logs' } }, { ...context, functionName: 'my fn' });
    // Assess
    expect(first.batchSize).toBe(100);
    expect(first.maximumBatchingWindowMs).toBe(500);
    expect(first.startingPosition).toBe('TRIM_HORIZON');
    expect(first.consumerGroupId).toBe('log-anomaly-detection-dev-my_fn-app.logs');
    expect(again.consumerGroupId).toBe(first.consumerGroupId);
    expect(deriveConsumerGroupId({ service: 's', stage: 'p/1', functionName: 'f' }, 't')).toBe('s-p_1-f-t');
  });

  it('caps infinite retries at 10 when an on-failure destination is set, and reads AT_TIMESTAMP and kafka events', () => {
    // Act
    const withDestination = parseMappingDefinition({ msk: { arn, topic: 'logs', destinations: { onFailure: 'kafka://logs-dlq' } } }, context);
    const atTimestamp = parseMappingDefinition({ kafka: { topic: 'logs', bootstrapServers: ['b-1:9092', 'b-2:9092'], startingPosition: 'AT_TIMESTAMP', startingPositionTimestamp: 1700000000, maximumRetryAttempts: 3, maximumRecordAgeInSeconds: 60, enabled: false } }, context);
    // Assess
    expect(withDestination.onFailureTopic).toBe('logs-dlq');
    expect(withDestination.maximumRetryAttempts).toBe(10);
    expect(atTimestamp).toMatchObject({ eventSource: 'SelfManagedKafka', eventSourceArn: null, bootstrapServers: ['b-1:9092', 'b-2:9092'], startingPositionTimestampMs: 1_700_000_000_000, maximumRetryAttempts: 3, maximumRecordAgeSeconds: 60, enabled: false });
  });

  it("reads AWS's error handling settings: split batch on error and partial batch responses", () => {
    // Act
    const awsList = parseMappingDefinition({ msk: { arn, topic: 'logs', bisectBatchOnFunctionError: true, functionResponseTypes: ['ReportBatchItemFailures'] } }, context);
    const oslsScalar = parseMappingDefinition({ kafka: { topic: 'logs', bootstrapServers: ['b-1:9092'], functionResponseType: 'ReportBatchItemFailures' } }, context);
    const emptyList = parseMappingDefinition({ msk: { arn, topic: 'logs', functionResponseTypes: [] } }, context);
    // Assess
    expect(awsList).toMatchObject({ bisectBatchOnFunctionError: true, reportBatchItemFailures: true });
    expect(oslsScalar).toMatchObject({ bisectBatchOnFunctionError: false, reportBatchItemFailures: true });
    expect(emptyList.reportBatchItemFailures).toBe(false);
  });

  it.each([
    ['not an object', 'x', 'event'],
    ['neither msk nor kafka', { sqs: {} }, 'event'],
    ['no topic', { msk: { arn } }, 'msk.topic'],
    ['a hostile topic', { msk: { arn, topic: '../etc' } }, 'msk.topic'],
    ['no cluster ARN', { msk: { topic: 'logs' } }, 'msk.arn'],
    ['batchSize 0', { msk: { arn, topic: 'logs', batchSize: 0 } }, 'msk.batchSize'],
    ['batchSize 10,001', { msk: { arn, topic: 'logs', batchSize: 10_001 } }, 'msk.batchSize'],
    ['a string batchSize', { msk: { arn, topic: 'logs', batchSize: '10' } }, 'msk.batchSize'],
    ['a window of 301 s', { msk: { arn, topic: 'logs', maximumBatchingWindow: 301 } }, 'msk.maximumBatchingWindow'],
    ['an unknown starting position', { msk: { arn, topic: 'logs', startingPosition: 'EARLIEST' } }, 'msk.startingPosition'],
    ['AT_TIMESTAMP without a timestamp', { msk: { arn, topic: 'logs', startingPosition: 'AT_TIMESTAMP' } }, 'msk.startingPositionTimestamp'],
    ['a timestamp without AT_TIMESTAMP', { msk: { arn, topic: 'logs', startingPositionTimestamp: 1 } }, 'msk.startingPositionTimestamp'],
    ['a bad group id', { msk: { arn, topic: 'logs', consumerGroupId: 'a b' } }, 'msk.consumerGroupId'],
    ['retries below -1', { msk: { arn, topic: 'logs', maximumRetryAttempts: -2 } }, 'msk.maximumRetryAttempts'],
    ['a record age of 59 s', { msk: { arn, topic: 'logs', maximumRecordAgeInSeconds: 59 } }, 'msk.maximumRecordAgeInSeconds'],
    ['the source topic as destination', { msk: { arn, topic: 'logs', destinations: { onFailure: 'kafka://logs' } } }, 'msk.destinations.onFailure'],
    ['a non-Kafka destination', { msk: { arn, topic: 'logs', destinations: { onFailure: 'arn:aws:sqs:us-east-1:1:q' } } }, 'msk.destinations.onFailure'],
    ['maximumPollers 0', { msk: { arn, topic: 'logs', provisionedPollerConfig: { maximumPollers: 0 } } }, 'msk.provisionedPollerConfig.maximumPollers'],
    ['more minimum than maximum pollers', { msk: { arn, topic: 'logs', provisionedPollerConfig: { minimumPollers: 3, maximumPollers: 2 } } }, 'msk.provisionedPollerConfig'],
    ['a poller config that is a number', { msk: { arn, topic: 'logs', provisionedPollerConfig: 4 } }, 'msk.provisionedPollerConfig'],
    ['an empty filter list', { msk: { arn, topic: 'logs', filterPatterns: [] } }, 'msk.filterPatterns'],
    ['an unknown filter operator', { msk: { arn, topic: 'logs', filterPatterns: [{ value: { level: [{ regex: '.*' }] } }] } }, 'msk.filterPatterns'],
    ['a filter pattern that is not JSON', { msk: { arn, topic: 'logs', filterPatterns: [{ pattern: '{"value":' }] } }, 'msk.filterPatterns'],
    ['a numeric filter without a number', { msk: { arn, topic: 'logs', filterPatterns: [{ value: { n: [{ numeric: ['>', 'x'] }] } }] } }, 'msk.filterPatterns'],
    ['a kafka event without brokers', { kafka: { topic: 'logs' } }, 'kafka.bootstrapServers'],
    ['enabled as a string', { msk: { arn, topic: 'logs', enabled: 'yes' } }, 'msk.enabled'],
    ['bisect as a string', { msk: { arn, topic: 'logs', bisectBatchOnFunctionError: 'true' } }, 'msk.bisectBatchOnFunctionError'],
    ['an unknown response type', { msk: { arn, topic: 'logs', functionResponseTypes: ['ReportItemFailures'] } }, 'msk.functionResponseTypes'],
    ['response types as a string', { msk: { arn, topic: 'logs', functionResponseTypes: 'ReportBatchItemFailures' } }, 'msk.functionResponseTypes'],
    ['both response type spellings', { msk: { arn, topic: 'logs', functionResponseTypes: ['ReportBatchItemFailures'], functionResponseType: 'ReportBatchItemFailures' } }, 'msk.functionResponseTypes'],
    ['an unknown osls response type', { msk: { arn, topic: 'logs', functionResponseType: 'Partial' } }, 'msk.functionResponseType'],
  ])('refuses %s, naming the function and field', (_what, event, field) => {
    // Act
    const error = refusal(event);
    // Assess
    expect(error.functionName).toBe('detector');
    expect(error.field).toBe(field);
    expect(error.message).toContain('"detector"');
    expect(error.message).toContain(`"${field}"`);
  });
});
