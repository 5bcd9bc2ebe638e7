import { afterEach, describe, expect, it } from 'vitest';
import { fromProcessEnv, resetProcessEnvCache } from '../../../../functions/shared/config/from-process-env.js';
import { loadModelConfig } from '../../../../functions/shared/config/model-config.js';
import { loadTopicConfig } from '../../../../functions/shared/config/kafka-config.js';
import { ConfigError } from '../../../../functions/shared/errors.js';

const touched = ['TRAINING_WINDOW', 'KAFKA_TOPIC', 'METRICS_TOPIC'] as const;
const saved = Object.fromEntries(touched.map((name) => [name, process.env[name]]));

afterEach(() => {
  for (const name of touched) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
  resetProcessEnvCache();
});

describe('fromProcessEnv', () => {
  it('reads process.env once per container and returns the same object afterwards', () => {
    // Prepare
    process.env.TRAINING_WINDOW = '2000';

    // Act
    const first = fromProcessEnv(loadModelConfig);
    process.env.TRAINING_WINDOW = '3000';
    const second = fromProcessEnv(loadModelConfig);
    resetProcessEnvCache();
    const afterReset = fromProcessEnv(loadModelConfig);

    // Assess
    expect(first.trainingWindow).toBe(2000);
    expect(second).toBe(first);
    expect(afterReset.trainingWindow).toBe(3000);
  });

  it('does not cache a failure, so a fixed environment is picked up', () => {
    // Prepare
    process.env.KAFKA_TOPIC = 'same';
    process.env.METRICS_TOPIC = 'same';

    // Act
    const failure = (() => {
      try {
        fromProcessEnv(loadTopicConfig);
        return null;
      } catch (error) {
        return error;
      }
    })();
    process.env.METRICS_TOPIC = 'metrics';
    const fixed = fromProcessEnv(loadTopicConfig);

    // Assess
    expect(failure).toBeInstanceOf(ConfigError);
    expect(fixed).toEqual({ logsTopic: 'same', metricsTopic: 'metrics' });
  });
});
