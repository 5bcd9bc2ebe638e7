import type { KafkaCoordinates, NewAnomaly } from '../shared/db/index.js';
import type { RecordScore } from '../shared/model/record-scoring.js';
import type { ScorableLog } from './map-record.js';

/** One feature's share in an anomaly's score, as stored in `anomalies.contributions`. */
export interface FeatureContribution {
  readonly feature: string;
  readonly contribution: number;
  /** The feature's value for this record. */
  readonly value: number;
}

/**
 * The `anomalies` row for a log its model flagged. Contributions are stored as an array, largest
 * first (a jsonb object would not keep that order); `features` holds every feature value the model
 * scored, by name, plus `template_id` when the feature set mines templates. The ground-truth label
 * is not among them: it is never a feature.
 */
export function toNewAnomaly(log: ScorableLog, score: RecordScore): NewAnomaly {
  return { ...anomalyOn(log.coordinates, score), experimentId: log.log.experimentId };
}

/**
 * The `anomalies` row for a log of an earlier batch that records after it made anomalous (a late
 * verdict), named by its coordinates; the stored log gives its experiment (upsertLateAnomalyRows).
 */
export function toLateAnomaly(coordinates: KafkaCoordinates, score: RecordScore): NewAnomaly {
  return { ...anomalyOn(coordinates, score), experimentId: null };
}

function anomalyOn(coordinates: KafkaCoordinates, score: RecordScore): Omit<NewAnomaly, 'experimentId'> {
  const features: Record<string, number> = { ...score.features };
  if (score.templateId !== null) features.template_id = score.templateId;
  const contributions: FeatureContribution[] = Object.entries(score.contributions)
    .map(([feature, contribution]) => ({ feature, contribution, value: score.features[feature] ?? 0 }))
    .sort((a, b) => b.contribution - a.contribution);
  return {
    topic: coordinates.topic,
    partition: coordinates.partition,
    offset: coordinates.offset,
    score: score.score,
    threshold: score.threshold,
    modelVersion: score.modelVersion,
    features,
    contributions,
  };
}
