import { ValidationError } from '../errors.js';
import { seedFeatureSet, type FeatureExtractor, type FeatureSet } from '../features/index.js';
import type { LogRecord } from '../log/index.js';
import { IsolationForest, type ForestOptions } from './isolation-forest.js';
import { newModelVersion, type TrainedModel } from './model-artifact.js';
import { describeScores } from './score-statistics.js';
import { ANCHOR_THRESHOLD_VALUE, thresholdFor, type ThresholdRule } from './threshold-rule.js';

/** Fewest records a model is trained on (a forest needs two rows to split). */
export const MIN_TRAINING_ROWS = 2;

export interface TrainOptions {
  /** Expected share of anomalies, in (0, 0.5]: the threshold flags this share of the training rows. */
  readonly contamination: number;
  /** Forest options over `defaultForestOptions`. */
  readonly forest?: Partial<ForestOptions>;
  /** Training time: sets `trainedAt` and the version id. */
  readonly now: Date;
  /** The features the model is trained on; default the seed set. */
  readonly featureSet?: FeatureSet;
  /** The extractor in service (keeps template ids stable across retraining). */
  readonly previous?: FeatureExtractor | null;
  /** What the streams scored by `previous` learned since it was trained (stored stream states); see FeatureSet.fit. */
  readonly learnedSince?: readonly unknown[];
  /** How the threshold is set; default `contamination` (the seed's rule). */
  readonly thresholdRule?: ThresholdRule;
}

/** A trained model and the rows it was trained on (not stored; evaluate scores its warm-up with them). */
export interface TrainingResult {
  readonly model: TrainedModel;
  /** Row-major training features, one row per training record, in the order given. */
  readonly matrix: Float64Array;
}

/**
 * Fits the feature set's state and an Isolation Forest on `records` (in order) and describes them:
 * the anomaly threshold follows `thresholdRule` over the training rows' own scores (threshold-rule.ts),
 * and their score statistics are kept for the drift test. Pure apart from the version's random suffix.
 * Throws ValidationError for fewer than MIN_TRAINING_ROWS records or contamination outside (0, 0.5].
 */
export function trainModel(records: readonly LogRecord[], options: TrainOptions): TrainedModel {
  return trainModelWithRows(records, options).model;
}

/** trainModel, also returning the training rows. */
export function trainModelWithRows(records: readonly LogRecord[], options: TrainOptions): TrainingResult {
  const { contamination } = options;
  if (typeof contamination !== 'number' || !(contamination > 0 && contamination <= 0.5)) {
    throw new ValidationError(`contamination must be in (0, 0.5], got ${String(contamination)}`);
  }
  if (records.length < MIN_TRAINING_ROWS) {
    throw new ValidationError(`training needs at least ${MIN_TRAINING_ROWS} records, got ${records.length}`);
  }
  const trainedAt = options.now.toISOString();
  const rows = records.length;
  const featureSet = options.featureSet ?? seedFeatureSet;
  const thresholdRule = options.thresholdRule ?? 'contamination';
  const { matrix, extractor } = featureSet.fit(records, options.previous ?? null, options.learnedSince);
  const dims = featureSet.names.length;
  const anchors = (featureSet.anchorValues ?? []).map((value) => featureSet.anchorRows?.(value) ?? new Float64Array(0));
  const fitted = anchors.reduce(concat, matrix);
  const forest = IsolationForest.fit(fitted, fitted.length / dims, dims, options.forest);
  const scores = forest.score(matrix, rows);
  const sorted = Float64Array.from(scores).sort();
  const thresholdAnchors = featureSet.anchorRows?.(ANCHOR_THRESHOLD_VALUE) ?? null;
  const anchorScores = thresholdAnchors === null ? null : forest.score(thresholdAnchors, dims);
  const model: TrainedModel = {
    version: newModelVersion(options.now),
    featureSet: featureSet.name,
    featureSchemaVersion: featureSet.schemaVersion,
    featureNames: [...featureSet.names],
    forestOptions: { ...forest.options },
    contamination,
    thresholdRule,
    threshold: thresholdFor(sorted, thresholdRule, contamination, anchorScores),
    trainedAt,
    trainingWindow: { rows, ...timeSpan(records) },
    scoreStats: describeScores(sorted),
    forest,
    features: extractor,
  };
  return { model, matrix };
}

/** Earliest and latest `ts` of the records, as ISO strings (records need not be in order). */
function timeSpan(records: readonly LogRecord[]): { fromTs: string; toTs: string } {
  let from = Number.POSITIVE_INFINITY;
  let to = Number.NEGATIVE_INFINITY;
  for (const record of records) {
    const ms = Date.parse(record.ts);
    if (!Number.isFinite(ms)) throw new ValidationError(`record ${JSON.stringify(record.id)} has an invalid ts`);
    if (ms < from) from = ms;
    if (ms > to) to = ms;
  }
  return { fromTs: new Date(from).toISOString(), toTs: new Date(to).toISOString() };
}

function concat(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
