import type { NewAnomaly } from '../shared/db/index.js';
import { featureNames } from '../shared/features/index.js';
import type { RecordScore } from '../shared/model/record-scoring.js';
import type { ScorableLog } from './map-record.js';

/** One feature's share in an anomaly's score, as stored in `anomalies.contributions`. */
export interface FeatureContribution {
  readonly feature: string;
  readonly contribution: number;
}

/**
 * The `anomalies` row for a log its model flagged. Contributions are stored as an array, largest
 * first (a jsonb object would not keep that order); `features` holds every feature value the model
 * scored, by name. The ground-truth label is not among them: it is never a feature.
 */
export function toNewAnomaly(log: ScorableLog, score: RecordScore): NewAnomaly {
  const features: Record<string, number> = {};
  featureNames.forEach((name, column) => {
    features[name] = log.features[column] as number;
  });
  const contributions: FeatureContribution[] = Object.entries(score.contributions)
    .map(([feature, contribution]) => ({ feature, contribution }))
    .sort((a, b) => b.contribution - a.contribution);
  return {
    ...log.coordinates,
    score: score.score,
    threshold: score.threshold,
    modelVersion: score.modelVersion,
    features,
    contributions,
    experimentId: log.log.experimentId,
  };
}
