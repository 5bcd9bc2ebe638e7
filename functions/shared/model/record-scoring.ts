import type { FeatureStream } from '../features/index.js';
import type { LogRecord } from '../log/index.js';
import { featureSetOf, type LoadedModel } from './model-artifact.js';

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
  /** For anomalies, every feature value the model scored, by name; empty for normal records. */
  readonly features: Readonly<Record<string, number>>;
  /** The template id the feature set's miner gave the message; null without a miner. */
  readonly templateId: number | null;
}

/** A verdict on a record of an earlier batch, revised by records after it (a late anomaly). */
export interface LateScore {
  /** The reference the caller gave the record (the detector: its Kafka offset). */
  readonly ref: number;
  readonly score: RecordScore;
}

/** A batch's verdicts, one per record, and the late anomalies among records of earlier batches. */
export interface BatchScores {
  readonly scores: RecordScore[];
  /** Records of earlier batches that records of this one made anomalous (or more so), one per ref; only anomalies. */
  readonly late: LateScore[];
}

/**
 * Scores `records` (one stream, in order) with `model`. `stream` learns from them (stateful feature
 * sets), except the first `alreadyLearned`; without it the extractor's own in-memory stream does,
 * and recognises redelivered records by id. `refs` name the records (e.g. Kafka offsets) so that a
 * later batch can revise them.
 *
 * A record measured more than once (its windows grew with the records after it; see
 * FeatureRevision) keeps its best verdict: an anomaly if any measurement was one, with the highest
 * score among those that were (the highest of all otherwise). Every measurement is scored, in the
 * order they happened, so the verdict depends only on the stream, not on where batches were cut.
 */
export function scoreWithModel(model: LoadedModel, records: readonly LogRecord[], topContributors: number, stream?: FeatureStream, alreadyLearned = 0, refs?: ArrayLike<number>): BatchScores {
  const { matrix, templateIds, revisions } = model.features.extract(records, stream, alreadyLearned, refs);
  const scores = scoreRows(model, matrix, records.length, templateIds, topContributors);
  if (revisions === undefined || revisions.length === 0) return { scores, late: [] };
  const dims = model.manifest.featureNames.length;
  const rows = new Float64Array(revisions.length * dims);
  revisions.forEach((revision, k) => rows.set(revision.row, k * dims));
  const revised = scoreRows(model, rows, revisions.length, Int32Array.from(revisions, (revision) => revision.templateId), topContributors);
  const late = new Map<number, RecordScore>();
  revisions.forEach((revision, k) => {
    const verdict = revised[k] as RecordScore;
    if (revision.index >= 0) scores[revision.index] = better(scores[revision.index] as RecordScore, verdict);
    else if (verdict.isAnomaly && revision.ref >= 0) {
      const before = late.get(revision.ref);
      late.set(revision.ref, before === undefined ? verdict : better(before, verdict));
    }
  });
  return { scores, late: [...late].map(([ref, score]) => ({ ref, score })) };
}

/** The better verdict of two on one record: an anomaly over a normal one, then the higher score (the earlier on ties). */
export function better(current: RecordScore, candidate: RecordScore): RecordScore {
  if (candidate.isAnomaly !== current.isAnomaly) return candidate.isAnomaly ? candidate : current;
  return candidate.score > current.score ? candidate : current;
}

/** Scores rows already extracted (e.g. a model's own training rows). */
export function scoreRows(model: Pick<LoadedModel, 'manifest' | 'forest'>, matrix: Float64Array, rows: number, templateIds: Int32Array | null, topContributors: number): RecordScore[] {
  const { manifest, forest } = model;
  const names = manifest.featureNames;
  const dims = names.length;
  const scores = forest.score(matrix, rows);
  const notable = featureSetOf(manifest).notableSurprise ?? Number.NEGATIVE_INFINITY;
  const results: RecordScore[] = [];
  for (let i = 0; i < rows; i++) {
    const score = scores[i] as number;
    const row = matrix.subarray(i * dims, (i + 1) * dims);
    const isAnomaly = score > manifest.threshold && largest(row) >= notable;
    const contributions = isAnomaly && topContributors > 0 ? largestContributions(forest.explain(row), names, topContributors) : NOTHING;
    let features: Record<string, number> = NOTHING;
    if (isAnomaly) {
      features = {};
      for (let column = 0; column < dims; column++) features[names[column] as string] = row[column] as number;
    }
    results.push({ score, threshold: manifest.threshold, isAnomaly, modelVersion: manifest.version, contributions, features, templateId: templateIds === null ? null : (templateIds[i] as number) });
  }
  return results;
}

/** The empty contributions and features of every normal record (one shared frozen object, not two per record). */
const NOTHING: Readonly<Record<string, number>> = Object.freeze({});

function largest(row: Float64Array): number {
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < row.length; i++) if ((row[i] as number) > max) max = row[i] as number;
  return max;
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
