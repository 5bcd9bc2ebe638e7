import { ValidationError } from '../errors.js';
import type { LogRecord } from '../log/log-record.js';
import { featureDefinitions } from './definitions.js';
import { FEATURE_SCHEMA_VERSION, extractFeatureMatrix, featureNames } from './extract-features.js';
import type { ExtractedFeatures, FeatureExtractor, FeatureSet } from './feature-set.js';

/** The seed system's seven stateless features (definitions.ts): each record on its own. */
const seedExtractor: FeatureExtractor = Object.freeze({
  featureSet: 'seed' as const,
  extract(records: readonly LogRecord[]): ExtractedFeatures {
    return { matrix: extractFeatureMatrix(records), templateIds: null };
  },
  snapshot: () => null,
  templateOf: () => undefined,
});

export const seedFeatureSet: FeatureSet = Object.freeze({
  name: 'seed' as const,
  schemaVersion: FEATURE_SCHEMA_VERSION,
  names: featureNames,
  descriptions: Object.freeze(Object.fromEntries(featureDefinitions.map((definition) => [definition.name, definition.description]))),
  fit(records: readonly LogRecord[]) {
    return { matrix: extractFeatureMatrix(records), extractor: seedExtractor };
  },
  restore(state: unknown): FeatureExtractor {
    if (state !== null && state !== undefined) throw new ValidationError('the seed feature set has no state, but a state was given');
    return seedExtractor;
  },
});
