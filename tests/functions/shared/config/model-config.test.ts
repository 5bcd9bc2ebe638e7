import { describe, expect, it } from 'vitest';
import { loadModelConfig, modelDefaults, trainingWindowEnv } from '../../../../functions/shared/config/model-config.js';
import { loadProducerConfig } from '../../../../functions/shared/config/producer-config.js';
import { loadMetricsConfig } from '../../../../functions/shared/config/metrics-config.js';
import { ConfigError } from '../../../../functions/shared/errors.js';

function message(load: () => unknown): string {
  try {
    load();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).message;
  }
  throw new Error('expected a ConfigError');
}

describe('loadModelConfig', () => {
  it("uses the seed system's defaults", () => {
    // Act
    const config = loadModelConfig({});

    // Assess
    expect(config).toEqual({
      trainingWindow: 1000,
      firstTrainingWindow: 200,
      trainingRetryEvery: 20,
      contamination: 0.1,
      retrainEvery: 10_000,
      retrainMinSeconds: 60,
      modelRecheckSeconds: 30,
      forestTrees: 100,
      forestSampleSize: 256,
    });
    expect(config).toEqual(modelDefaults);
  });

  it('reads every knob', () => {
    // Act
    const config = loadModelConfig({
      TRAINING_WINDOW: '5000',
      FIRST_TRAINING_WINDOW: '500',
      TRAINING_RETRY_EVERY: '50',
      CONTAMINATION: '0.05',
      RETRAIN_EVERY: '0',
      RETRAIN_MIN_SECONDS: '0',
      MODEL_RECHECK_SECONDS: '0',
      FOREST_TREES: '200',
      FOREST_SAMPLE_SIZE: '512',
    });

    // Assess
    expect(config).toEqual({
      trainingWindow: 5000,
      firstTrainingWindow: 500,
      trainingRetryEvery: 50,
      contamination: 0.05,
      retrainEvery: 0,
      retrainMinSeconds: 0,
      modelRecheckSeconds: 0,
      forestTrees: 200,
      forestSampleSize: 512,
    });
  });

  it.each([
    ['CONTAMINATION', '0', 'must be a number greater than 0 and at most 0.5'],
    ['CONTAMINATION', '0.6', 'must be a number greater than 0 and at most 0.5'],
    ['CONTAMINATION', 'NaN', 'must be a number greater than 0 and at most 0.5'],
    ['CONTAMINATION', '1e400', 'must be a number greater than 0 and at most 0.5'],
    ['TRAINING_WINDOW', '1.5', 'must be a whole number from 2 to 1000000'],
    ['TRAINING_WINDOW', '-10', 'must be a whole number from 2 to 1000000'],
    ['FIRST_TRAINING_WINDOW', '0', 'must be a whole number from 2 to 1000000 (got "0")'],
    ['FIRST_TRAINING_WINDOW', '1', 'must be a whole number from 2 to 1000000 (got "1")'],
    ['FIRST_TRAINING_WINDOW', '1000001', 'must be a whole number from 2 to 1000000 (got "1000001")'],
    ['FIRST_TRAINING_WINDOW', '200.5', 'must be a whole number from 2 to 1000000 (got "200.5")'],
    ['FIRST_TRAINING_WINDOW', 'soon', 'must be a whole number from 2 to 1000000 (got "soon")'],
    ['FOREST_TREES', '0', 'must be a whole number from 1 to 10000'],
    ['FOREST_SAMPLE_SIZE', '0x100', 'must be a whole number from 2 to 1000000'],
    ['MODEL_RECHECK_SECONDS', '99999999999999999999', 'must be a whole number from 0 to 86400'],
    ['RETRAIN_MIN_SECONDS', '-1', 'must be a whole number from 0 to 86400 (got "-1")'],
    ['RETRAIN_MIN_SECONDS', '1.5', 'must be a whole number from 0 to 86400 (got "1.5")'],
    ['RETRAIN_MIN_SECONDS', '86401', 'must be a whole number from 0 to 86400 (got "86401")'],
    ['RETRAIN_MIN_SECONDS', 'abc', 'must be a whole number from 0 to 86400 (got "abc")'],
  ])('rejects %s=%j', (name, value, expected) => {
    // Act
    const text = message(() => loadModelConfig({ [name]: value }));

    // Assess
    expect(text).toContain(`${name} ${expected}`);
  });

  it('reads RETRAIN_MIN_SECONDS at both ends of its range, and its default of 60 when unset', () => {
    // Act
    const none = loadModelConfig({ RETRAIN_MIN_SECONDS: '0' });
    const day = loadModelConfig({ RETRAIN_MIN_SECONDS: ' 86400 ' });
    const unset = loadModelConfig({ RETRAIN_MIN_SECONDS: undefined });

    // Assess
    expect([none.retrainMinSeconds, day.retrainMinSeconds, unset.retrainMinSeconds]).toEqual([0, 86_400, 60]);
  });

  it('reports a bad RETRAIN_MIN_SECONDS together with the other bad knobs, and takes an empty one as unset', () => {
    // Act
    const text = message(() => loadModelConfig({ RETRAIN_MIN_SECONDS: '-5', FOREST_TREES: '0' }));
    const empty = loadModelConfig({ RETRAIN_MIN_SECONDS: '' });

    // Assess
    expect(text).toMatch(/^invalid model configuration: RETRAIN_MIN_SECONDS .*; FOREST_TREES must be a whole number from 1 to 10000/);
    expect(empty.retrainMinSeconds).toBe(60);
  });
});

describe('FIRST_TRAINING_WINDOW', () => {
  it('defaults to 200, takes an empty or blank value as unset, and reads both ends of its range', () => {
    // Act
    const values = [
      loadModelConfig({ FIRST_TRAINING_WINDOW: undefined }),
      loadModelConfig({ FIRST_TRAINING_WINDOW: '' }),
      loadModelConfig({ FIRST_TRAINING_WINDOW: '   ' }),
      loadModelConfig({ FIRST_TRAINING_WINDOW: '2' }),
      loadModelConfig({ FIRST_TRAINING_WINDOW: ' 1000000 ', TRAINING_WINDOW: '1000000' }),
    ].map((config) => config.firstTrainingWindow);

    // Assess
    expect(values).toEqual([200, 200, 200, 2, 1_000_000]);
  });

  it('is cut to TRAINING_WINDOW when larger, also when only TRAINING_WINDOW is set', () => {
    // Act
    const larger = loadModelConfig({ FIRST_TRAINING_WINDOW: '5000' });
    const smallWindow = loadModelConfig({ TRAINING_WINDOW: '150' });
    const equal = loadModelConfig({ FIRST_TRAINING_WINDOW: '1000' });

    // Assess
    expect(larger).toMatchObject({ trainingWindow: 1000, firstTrainingWindow: 1000 });
    expect(smallWindow).toMatchObject({ trainingWindow: 150, firstTrainingWindow: 150 });
    expect(equal.firstTrainingWindow).toBe(1000);
  });

  it('is reported together with a bad TRAINING_WINDOW', () => {
    // Act
    const text = message(() => loadModelConfig({ TRAINING_WINDOW: 'lots', FIRST_TRAINING_WINDOW: '1' }));

    // Assess
    expect(text).toMatch(/^invalid model configuration: TRAINING_WINDOW must be a whole number from 2 to 1000000 \(got "lots"\); FIRST_TRAINING_WINDOW must be a whole number from 2 to 1000000 \(got "1"\)$/);
  });
});

describe('trainingWindowEnv', () => {
  it('writes the windows as the variables the loader reads back', () => {
    // Act
    const env = trainingWindowEnv(loadModelConfig({ TRAINING_WINDOW: '600', FIRST_TRAINING_WINDOW: '900' }));

    // Assess
    expect(env).toEqual({ TRAINING_WINDOW: '600', FIRST_TRAINING_WINDOW: '600' });
    expect(loadModelConfig(env)).toMatchObject({ trainingWindow: 600, firstTrainingWindow: 600 });
  });
});

describe('loadProducerConfig', () => {
  it('defaults LOG_RATE to 1 record per second and reads fractional rates', () => {
    // Act / Assess
    expect(loadProducerConfig({}).logRatePerSecond).toBe(1);
    expect(loadProducerConfig({ LOG_RATE: '0.25' }).logRatePerSecond).toBe(0.25);
    expect(loadProducerConfig({ LOG_RATE: '2500' }).logRatePerSecond).toBe(2500);
  });

  it.each(['0', '-1', 'fast', 'Infinity'])('rejects LOG_RATE=%j', (value) => {
    // Act
    const text = message(() => loadProducerConfig({ LOG_RATE: value }));

    // Assess
    expect(text).toContain('LOG_RATE must be a number greater than 0');
  });
});

describe('loadMetricsConfig', () => {
  it('reads EXPERIMENT_ID and takes the component id from COMPONENT_ID or the function name', () => {
    // Act
    const none = loadMetricsConfig({});
    const lambda = loadMetricsConfig({ EXPERIMENT_ID: 'exp-2024-05-01-concurrency-4', AWS_LAMBDA_FUNCTION_NAME: 'log-anomaly-dev-detector' });
    const explicit = loadMetricsConfig({ COMPONENT_ID: 'producer-1', AWS_LAMBDA_FUNCTION_NAME: 'fn' });

    // Assess
    expect(none).toEqual({ experimentId: null, componentId: 'local' });
    expect(lambda).toEqual({ experimentId: 'exp-2024-05-01-concurrency-4', componentId: 'log-anomaly-dev-detector' });
    expect(explicit.componentId).toBe('producer-1');
  });

  it.each(["exp'; DROP TABLE metrics; --", 'a'.repeat(129), 'exp\nnext'])('rejects EXPERIMENT_ID=%j', (value) => {
    // Act
    const text = message(() => loadMetricsConfig({ EXPERIMENT_ID: value }));

    // Assess
    expect(text).toContain('EXPERIMENT_ID must be letters, digits and . _ : @ / -');
  });
});
