import { oneOf } from '../config/env-schemas.js';
import { EnvReader, type Env } from '../config/env.js';
import { FEATURE_SET_NAMES, type FeatureSetName } from '../features/index.js';
import { THRESHOLD_RULES, type ThresholdRule } from './threshold-rule.js';

/** What the detector detects with: the feature set and the label-free threshold rule. */
export interface DetectionConfig {
  /** FEATURE_SET: `full` (templates, rarities, windows, time-of-day) or `seed` (the seed's seven). */
  readonly featureSet: FeatureSetName;
  /** THRESHOLD_RULE: `anchor` (default; `gap` for sets without anchors), `gap` or `contamination` (the seed's quantile). */
  readonly thresholdRule: ThresholdRule;
}

export const detectionDefaults: DetectionConfig = Object.freeze({ featureSet: 'full', thresholdRule: 'anchor' });

export function loadDetectionConfig(env: Env): DetectionConfig {
  const reader = new EnvReader(env, 'detection');
  const config: DetectionConfig = {
    featureSet: reader.read('FEATURE_SET', oneOf(FEATURE_SET_NAMES), detectionDefaults.featureSet),
    thresholdRule: reader.read('THRESHOLD_RULE', oneOf(THRESHOLD_RULES), detectionDefaults.thresholdRule),
  };
  return reader.finish(() => config);
}
