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
});
