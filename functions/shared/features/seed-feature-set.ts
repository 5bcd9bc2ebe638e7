import { ValidationError } from '../errors.js';
import type { LogRecord } from '../log/log-record.js';
import { featureDefinitions } from './definitions.js';
import { FEATURE_SCHEMA_VERSION, extractFeatureMatrix, featureNames } from './extract-features.js';
import type { ExtractedFeatures, FeatureExtractor, FeatureSet } from './feature-set.js';

const NO_STREAM = Object.freeze({});

/** The seed system's seven stateless features (definitions.ts): each record on its own. */
const seedExtractor: FeatureExtractor = Object.freeze({
  featureSet: 'seed' as const,
  extract(records: readonly LogRecord[]): ExtractedFeatures {
    return { matrix: extractFeatureMatrix(records), templateIds: null };
  },
  // Stateless: a stream learns nothing, and its state is null.
  newStream: () => NO_STREAM,
  encodeStream: () => null,
  decodeStream(state: unknown) {
    if (state !== null && state !== undefined) throw new ValidationError('the seed feature set keeps no stream state, but a state was given');
    return NO_STREAM;
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
