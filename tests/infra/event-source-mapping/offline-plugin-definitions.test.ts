import { describe, expect, it } from 'vitest';
import { EventSourceMappingConfigError } from '../../../infra/event-source-mapping/errors.js';
import { collectMappingDefinitions } from '../../../infra/event-source-mapping/offline-plugin/collect-definitions.js';
import { sampleClusterArn } from '../../helpers/kafka-events.js';

describe('collectMappingDefinitions', () => {
  it('turns every msk and kafka event into a definition and skips other events and functions without events', () => {
    // Prepare
    const functions = [
      { key: 'producer', events: [] },
      { key: 'detector', events: [{ schedule: 'rate(5 minutes)' }, { msk: { arn: sampleClusterArn, topic: 'logs', batchSize: 500, consumerGroupId: 'detector-group' } }] },
      { key: 'audit', events: [{ kafka: { bootstrapServers: ['kafka-1.internal:9092'], topic: 'audit' } }] },
    ];

    // Act
    const definitions = collectMappingDefinitions('svc', 'dev', functions);

    // Assess: the function key names the function; a missing group id is derived from service and stage
    expect(definitions.map((definition) => [definition.functionName, definition.eventSource, definition.topic, definition.consumerGroupId])).toEqual([
      ['detector', 'aws:kafka', 'logs', 'detector-group'],
      ['audit', 'SelfManagedKafka', 'audit', 'svc-dev-audit-audit'],
    ]);
    expect(definitions[0]?.batchSize).toBe(500);
    expect(definitions[1]?.bootstrapServers).toEqual(['kafka-1.internal:9092']);
  });

  it('refuses a malformed Kafka event with an error naming the function and the field', () => {
    // Prepare
    const functions = [{ key: 'detector', events: [{ msk: { arn: sampleClusterArn, topic: 'logs; DROP TABLE logs' } }] }];

    // Act
    const collect = () => collectMappingDefinitions('svc', 'dev', functions);

    // Assess
    expect(collect).toThrow(EventSourceMappingConfigError);
    expect(collect).toThrow(/detector.*msk\.topic/);
  });

  it('returns no definitions for a service without Kafka triggers, including null events', () => {
    // Act
    const definitions = collectMappingDefinitions('svc', 'dev', [{ key: 'api', events: [null, 'http', { http: { path: '/' } }] }]);

    // Assess
    expect(definitions).toEqual([]);
  });
});
