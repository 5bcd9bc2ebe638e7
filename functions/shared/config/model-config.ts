import { decimal, integer } from './env-schemas.js';
import { EnvReader, type Env } from './env.js';

/** Isolation Forest training and refresh knobs. Counts are in log records unless a unit says otherwise. */
export interface ModelConfig {
  /** TRAINING_WINDOW: records a model is trained on; a model trained on fewer is provisional. */
  readonly trainingWindow: number;
  /**
   * FIRST_TRAINING_WINDOW: with no model yet, train a provisional one once this many records are
   * stored (2..1,000,000, at most trainingWindow: a larger value is cut to it).
   */
  readonly firstTrainingWindow: number;
  /** TRAINING_RETRY_EVERY: while no model exists, try training again after this many new records. */
  readonly trainingRetryEvery: number;
  /** CONTAMINATION: expected share of anomalies, in (0, 0.5]; sets the score threshold. */
  readonly contamination: number;
  /** RETRAIN_EVERY: train a fresh model after this many scored records; 0 = never. */
  readonly retrainEvery: number;
  /** RETRAIN_MIN_SECONDS: no scheduled or drift retrain before the current model is this many seconds old; 0 = no floor. */
  readonly retrainMinSeconds: number;
  /** MODEL_RECHECK_SECONDS: how long a warm container trusts its cached model before asking S3 for a newer one; 0 = every batch. */
  readonly modelRecheckSeconds: number;
  /** FOREST_TREES: trees in the forest. */
  readonly forestTrees: number;
  /** FOREST_SAMPLE_SIZE: records sampled per tree (ψ in the paper). */
  readonly forestSampleSize: number;
}

export const modelDefaults: ModelConfig = Object.freeze({
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

export function loadModelConfig(env: Env): ModelConfig {
  const reader = new EnvReader(env, 'model');
  const trainingWindow = reader.read('TRAINING_WINDOW', integer(2, 1_000_000), modelDefaults.trainingWindow);
  const config: ModelConfig = {
    trainingWindow,
    firstTrainingWindow: Math.min(reader.read('FIRST_TRAINING_WINDOW', integer(2, 1_000_000), modelDefaults.firstTrainingWindow), trainingWindow),
    trainingRetryEvery: reader.read('TRAINING_RETRY_EVERY', integer(1, 1_000_000), modelDefaults.trainingRetryEvery),
    contamination: reader.read('CONTAMINATION', decimal({ min: 0, max: 0.5, minExclusive: true }), modelDefaults.contamination),
    retrainEvery: reader.read('RETRAIN_EVERY', integer(0, 1_000_000_000), modelDefaults.retrainEvery),
    retrainMinSeconds: reader.read('RETRAIN_MIN_SECONDS', integer(0, 86_400), modelDefaults.retrainMinSeconds),
    modelRecheckSeconds: reader.read('MODEL_RECHECK_SECONDS', integer(0, 86_400), modelDefaults.modelRecheckSeconds),
    forestTrees: reader.read('FOREST_TREES', integer(1, 10_000), modelDefaults.forestTrees),
    forestSampleSize: reader.read('FOREST_SAMPLE_SIZE', integer(2, 1_000_000), modelDefaults.forestSampleSize),
  };
  return reader.finish(() => config);
}

/**
 * The two training windows as the variables that set them: `npm start` writes them to .env, so the
 * functions, its status line and the dashboard publisher read the same figures.
 */
export function trainingWindowEnv(config: Pick<ModelConfig, 'trainingWindow' | 'firstTrainingWindow'>): { TRAINING_WINDOW: string; FIRST_TRAINING_WINDOW: string } {
  return { TRAINING_WINDOW: String(config.trainingWindow), FIRST_TRAINING_WINDOW: String(config.firstTrainingWindow) };
}
