/**
 * The model every experiment's detectors score with. The detector trains a provisional first model
 * after FIRST_TRAINING_WINDOW (200) stored records and refines it up to TRAINING_WINDOW (1,000); inside
 * a run that would make the figures depend on when training happened and which records it saw.
 * Instead the runner trains the same model up front — the detector's own training code,
 * TRAINING_WINDOW records of a seeded generated stream with the run's anomaly rate, their log times
 * spread over one day — and publishes it under its own prefix of the model bucket (the pipeline's
 * `models/latest` is never touched, nor the `models` table). Same anomaly rate and model settings
 * ⇒ the same forest and threshold in every run, so detection figures compare configurations only.
 * During a run the detectors neither retrain nor react to score shifts (see referencePolicy).
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { createLogGenerator } from '../../functions/producer/generator/index.js';
import type { ModelConfig } from '../../functions/shared/config/index.js';
import type { ModelManifest } from '../../functions/shared/model/model-artifact.js';
import type { ModelPolicyOverrides } from '../../functions/shared/model/model-policy.js';
import { S3ModelStore } from '../../functions/shared/model/s3-model-store.js';
import { trainModel } from '../../functions/shared/model/train-model.js';
import type { DetectionConfig } from '../../functions/shared/model/detection-config.js';
import { featureSchemaOf } from '../../functions/shared/model/model-artifact.js';
import { featureSetNamed } from '../../functions/shared/features/index.js';

/** Key prefix of the experiments' model versions in MODEL_BUCKET. */
export const referenceModelPrefix = 'experiments/models/';
/** Log time of the first training record (the generator folds times into each service's usual hours). */
const trainingStartMs = Date.parse('2026-01-05T00:00:00.000Z');
const trainingSeed = 'experiments-reference-model';
const DAY_MS = 86_400_000;

export interface ReferenceModel {
  readonly version: string;
  readonly trainingRows: number;
  readonly contamination: number;
  readonly threshold: number;
  readonly store: S3ModelStore;
}

/** Trains the reference model for `anomalyRate` and publishes it as `latest` under referenceModelPrefix. */
export async function publishReferenceModel(s3: S3Client, bucket: string, model: ModelConfig, anomalyRate: number, detection: DetectionConfig): Promise<ReferenceModel> {
  const generator = createLogGenerator({ anomalyRate, seed: trainingSeed, producerId: 'reference', startTime: trainingStartMs });
  // Spread over one day, so every hour a run may happen at is inside the training data.
  const spacingMs = DAY_MS / model.trainingWindow;
  const records = Array.from({ length: model.trainingWindow }, (_, i) => generator.next(trainingStartMs + i * spacingMs).record);
  const trained = trainModel(records, {
    contamination: model.contamination,
    forest: { trees: model.forestTrees, sampleSize: model.forestSampleSize },
    now: new Date(),
    // The detector's own configuration (FEATURE_SET, THRESHOLD_RULE), so a run measures the detector as deployed.
    featureSet: featureSetNamed(detection.featureSet),
    thresholdRule: detection.thresholdRule,
  });
  const store = referenceModelStore(s3, bucket, detection);
  const manifest: ModelManifest = await store.publish(trained);
  return { version: manifest.version, trainingRows: records.length, contamination: manifest.contamination, threshold: manifest.threshold, store };
}

/** Detector policy during a run: score with the reference model only (no retraining, no drift retrain). */
export function referencePolicy(model: ModelConfig, detection: DetectionConfig): ModelPolicyOverrides {
  return {
    featureSet: detection.featureSet,
    thresholdRule: detection.thresholdRule,
    trainingWindow: model.trainingWindow,
    contamination: model.contamination,
    forest: { trees: model.forestTrees, sampleSize: model.forestSampleSize },
    retrainEvery: 0,
    recheckSeconds: 86_400,
    shift: { window: 0 },
  };
}

/** Where reference models live, for the detection configuration's feature schema. */
export function referenceModelStore(s3: S3Client, bucket: string, detection: DetectionConfig): S3ModelStore {
  return new S3ModelStore(s3, bucket, referenceModelPrefix, { featureSchema: featureSchemaOf(featureSetNamed(detection.featureSet)) });
}
