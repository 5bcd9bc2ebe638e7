import type { ModelConfig } from '../shared/config/index.js';
import type { ModelPolicyOverrides } from '../shared/model/model-policy.js';

/** The environment's model knobs (TRAINING_WINDOW, FIRST_TRAINING_WINDOW, FOREST_TREES, …) as ModelManager policy. */
export function modelPolicyFromConfig(config: ModelConfig): ModelPolicyOverrides {
  return {
    trainingWindow: config.trainingWindow,
    firstTrainingWindow: config.firstTrainingWindow,
    retryEvery: config.trainingRetryEvery,
    retrainEvery: config.retrainEvery,
    retrainMinSeconds: config.retrainMinSeconds,
    contamination: config.contamination,
    recheckSeconds: config.modelRecheckSeconds,
    forest: { trees: config.forestTrees, sampleSize: config.forestSampleSize },
  };
}
