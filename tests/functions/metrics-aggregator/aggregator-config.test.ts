import { describe, expect, it } from 'vitest';
import { loadMetricsAggregatorConfig } from '../../../functions/metrics-aggregator/index.js';
import { ConfigError } from '../../../functions/shared/errors.js';

describe('loadMetricsAggregatorConfig', () => {
  it('defaults: sampling on, the logs topic (KAFKA_TOPIC), discovered groups, at most 50', () => {
    // Act
    const defaults = loadMetricsAggregatorConfig({});
    const renamed = loadMetricsAggregatorConfig({ KAFKA_TOPIC: 'app-logs' });

    // Assess
    expect(defaults).toEqual({ lagSampling: true, lagTopics: ['logs'], lagConsumerGroups: null, lagMaxGroups: 50 });
    expect(renamed.lagTopics).toEqual(['app-logs']);
  });

  it('reads lists (trimmed, duplicates dropped), the switch and the cap', () => {
    // Act
    const config = loadMetricsAggregatorConfig({
      LAG_SAMPLING: 'off',
      LAG_TOPICS: 'logs, audit-logs',
      LAG_CONSUMER_GROUPS: ' 2f1c5e0a-9d43-4c4b-8f0e-3a6b7c8d9e10 ,detector,detector',
      LAG_MAX_GROUPS: '5',
    });

    // Assess
    expect(config).toEqual({
      lagSampling: false,
      lagTopics: ['logs', 'audit-logs'],
      lagConsumerGroups: ['2f1c5e0a-9d43-4c4b-8f0e-3a6b7c8d9e10', 'detector'],
      lagMaxGroups: 5,
    });
    expect(Object.isFrozen(config.lagTopics)).toBe(true);
  });

  it.each([
    [{ LAG_SAMPLING: 'sometimes' }, /LAG_SAMPLING must be true or false/],
    [{ LAG_TOPICS: 'logs,,metrics' }, /LAG_TOPICS must be a comma-separated list of Kafka topic names; entry 2/],
    [{ LAG_TOPICS: 'logs;drop' }, /LAG_TOPICS must be a comma-separated list/],
    [{ LAG_TOPICS: Array.from({ length: 21 }, (_, i) => `t${i}`).join(',') }, /LAG_TOPICS must list at most 20 entries/],
    [{ LAG_CONSUMER_GROUPS: 'detector,with space' }, /LAG_CONSUMER_GROUPS must be a comma-separated list of consumer group ids.*entry 2/],
    [{ LAG_CONSUMER_GROUPS: `ok,${'g'.repeat(256)}` }, /entry 2 is not one/],
    [{ LAG_CONSUMER_GROUPS: 'bad\u0000group' }, /LAG_CONSUMER_GROUPS/],
    [{ LAG_MAX_GROUPS: '0' }, /LAG_MAX_GROUPS must be a whole number from 1 to 1000/],
    [{ KAFKA_TOPIC: 'same', METRICS_TOPIC: 'same' }, /METRICS_TOPIC must differ from KAFKA_TOPIC/],
  ])('refuses %j with a ConfigError naming the variable', (env, message) => {
    // Act
    const error = (() => {
      try {
        loadMetricsAggregatorConfig(env);
      } catch (caught) {
        return caught;
      }
      return null;
    })();

    // Assess
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(message);
  });

  it('lists every problem at once', () => {
    // Act / Assess
    expect(() => loadMetricsAggregatorConfig({ LAG_SAMPLING: 'x', LAG_MAX_GROUPS: 'many' })).toThrow(/LAG_SAMPLING .*; LAG_MAX_GROUPS /);
  });
});
