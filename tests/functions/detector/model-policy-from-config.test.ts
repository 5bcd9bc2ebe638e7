import { describe, expect, it } from 'vitest';
import { modelPolicyFromConfig } from '../../../functions/detector/model-policy-from-config.js';
import { loadModelConfig } from '../../../functions/shared/config/model-config.js';
import { resolveModelPolicy } from '../../../functions/shared/model/model-policy.js';

describe('modelPolicyFromConfig', () => {
  it('passes RETRAIN_MIN_SECONDS and RETRAIN_EVERY through to the ModelManager policy', () => {
    // Prepare
    const config = loadModelConfig({ RETRAIN_MIN_SECONDS: '300', RETRAIN_EVERY: '0' });

    // Act
    const policy = resolveModelPolicy(modelPolicyFromConfig(config));

    // Assess
    expect(policy).toMatchObject({ retrainMinSeconds: 300, retrainEvery: 0 });
  });

  it("gives the detector a 60 s floor by default, the policy's own default", () => {
    // Act
    const policy = resolveModelPolicy(modelPolicyFromConfig(loadModelConfig({})));

    // Assess
    expect(policy.retrainMinSeconds).toBe(60);
    expect(policy.retrainMinSeconds).toBe(resolveModelPolicy().retrainMinSeconds);
  });

  it('passes FIRST_TRAINING_WINDOW through, clamped to TRAINING_WINDOW as the policy clamps it', () => {
    // Act
    const defaults = resolveModelPolicy(modelPolicyFromConfig(loadModelConfig({})));
    const set = resolveModelPolicy(modelPolicyFromConfig(loadModelConfig({ FIRST_TRAINING_WINDOW: '50', TRAINING_WINDOW: '400' })));
    const cut = resolveModelPolicy(modelPolicyFromConfig(loadModelConfig({ TRAINING_WINDOW: '100' })));

    // Assess
    expect(defaults).toMatchObject({ trainingWindow: 1000, firstTrainingWindow: 200 });
    expect(defaults.firstTrainingWindow).toBe(resolveModelPolicy().firstTrainingWindow);
    expect(set).toMatchObject({ trainingWindow: 400, firstTrainingWindow: 50 });
    expect(cut).toMatchObject({ trainingWindow: 100, firstTrainingWindow: 100 });
  });
});
