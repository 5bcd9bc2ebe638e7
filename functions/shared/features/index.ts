export { FEATURE_COUNT, FEATURE_SCHEMA_VERSION, extractFeatureMatrix, extractFeatures, featureNames } from './extract-features.js';
export { featureDefinitions } from './definitions.js';
export type { FeatureContext, FeatureDefinition } from './feature-definition.js';
export { ERROR_KEYWORDS, ERROR_KEYWORD_PATTERN, WARNING_KEYWORDS, WARNING_KEYWORD_PATTERN } from './keywords.js';
export { fnv1a32, serviceHash01 } from './service-hash.js';
export { utcTimeOfDay, type UtcTimeOfDay } from './utc-time.js';
