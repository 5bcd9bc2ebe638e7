import { extractFeatureMatrix } from '../features/index.js';
import type { LogRecord } from '../log/index.js';
import type { LoadedModel } from './model-artifact.js';

/** A record's verdict under one model version. */
export interface RecordScore {
  /** Anomaly score in (0, 1]; higher = more anomalous. */
  readonly score: number;
  /** The model's threshold: the record is an anomaly when score > threshold. */
  readonly threshold: number;
  readonly isAnomaly: boolean;
  readonly modelVersion: string;
  /**
   * For anomalies, the features that contributed most (feature name → contribution, largest first,
   * at most `topContributors` entries, positive contributions only); empty for normal records.
   */
  readonly contributions: Readonly<Record<string, number>>;
}

/** Scores `records` with `model`, in order. Pure (given the model). */
export function scoreWithModel(model: LoadedModel, records: readonly LogRecord[], topContributors: number): RecordScore[] {
  const { manifest, forest } = model;
  const dims = manifest.featureNames.length;
  const matrix = extractFeatureMatrix(records);
  const scores = forest.score(matrix, records.length);
  const results: RecordScore[] = [];
  for (let i = 0; i < records.length; i++) {
    const score = scores[i] as number;
    const isAnomaly = score > manifest.threshold;
    const contributions =
      isAnomaly && topContributors > 0 ? largestContributions(forest.explain(matrix.subarray(i * dims, (i + 1) * dims)), manifest.featureNames, topContributors) : {};
    results.push({ score, threshold: manifest.threshold, isAnomaly, modelVersion: manifest.version, contributions });
  }
  return results;
}

/** The `limit` largest positive contributions as { name: value }, largest first (ties: feature order). */
export function largestContributions(values: ArrayLike<number>, names: readonly string[], limit: number): Record<string, number> {
  const order: number[] = [];
  for (let i = 0; i < values.length; i++) if ((values[i] as number) > 0) order.push(i);
  order.sort((a, b) => (values[b] as number) - (values[a] as number) || a - b);
  const top: Record<string, number> = {};
  for (const i of order.slice(0, limit)) top[names[i] ?? `feature_${i}`] = values[i] as number;
  return top;
}
