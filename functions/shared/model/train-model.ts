import { ValidationError } from '../errors.js';
import { FEATURE_SCHEMA_VERSION, extractFeatureMatrix, featureNames } from '../features/index.js';
import type { LogRecord } from '../log/index.js';
import { IsolationForest, type ForestOptions } from './isolation-forest.js';
import { newModelVersion, type TrainedModel } from './model-artifact.js';
import { describeScores, quantileOfSorted } from './score-statistics.js';

/** Fewest records a model is trained on (a forest needs two rows to split). */
export const MIN_TRAINING_ROWS = 2;

export interface TrainOptions {
  /** Expected share of anomalies, in (0, 0.5]: the threshold flags this share of the training rows. */
  readonly contamination: number;
  /** Forest options over `defaultForestOptions`. */
  readonly forest?: Partial<ForestOptions>;
  /** Training time: sets `trainedAt` and the version id. */
  readonly now: Date;
}

/**
 * Fits an Isolation Forest on `records` and describes it: the anomaly threshold is the
 * (1 − contamination) quantile of the training rows' own scores, and their score statistics are
 * kept for the drift test. Pure apart from the version's random suffix.
 * Throws ValidationError for fewer than MIN_TRAINING_ROWS records or contamination outside (0, 0.5].
 */
export function trainModel(records: readonly LogRecord[], options: TrainOptions): TrainedModel {
  const { contamination } = options;
  if (typeof contamination !== 'number' || !(contamination > 0 && contamination <= 0.5)) {
    throw new ValidationError(`contamination must be in (0, 0.5], got ${String(contamination)}`);
  }
  if (records.length < MIN_TRAINING_ROWS) {
    throw new ValidationError(`training needs at least ${MIN_TRAINING_ROWS} records, got ${records.length}`);
  }
  const trainedAt = options.now.toISOString();
  const rows = records.length;
  const matrix = extractFeatureMatrix(records);
  const forest = IsolationForest.fit(matrix, rows, featureNames.length, options.forest);
  const scores = forest.score(matrix, rows);
  const sorted = Float64Array.from(scores).sort();
  return {
    version: newModelVersion(options.now),
    featureSchemaVersion: FEATURE_SCHEMA_VERSION,
    featureNames: [...featureNames],
    forestOptions: { ...forest.options },
    contamination,
    threshold: quantileOfSorted(sorted, 1 - contamination),
    trainedAt,
    trainingWindow: { rows, ...timeSpan(records) },
    scoreStats: describeScores(sorted),
    forest,
  };
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
