import { ConfigError } from '../errors.js';
import { FEATURE_SET_NAMES, type FeatureSet, type FeatureSetName } from './feature-set.js';
import { fullFeatureSet } from './full/full-feature-set.js';
import { seedFeatureSet } from './seed-feature-set.js';

const SETS: Readonly<Record<FeatureSetName, FeatureSet>> = { seed: seedFeatureSet, full: fullFeatureSet };

/** The feature set called `name`; ConfigError for anything else. */
export function featureSetNamed(name: string): FeatureSet {
  if (!(FEATURE_SET_NAMES as readonly string[]).includes(name)) {
    throw new ConfigError(`unknown feature set ${JSON.stringify(name.slice(0, 40))}; expected one of ${FEATURE_SET_NAMES.join(', ')}`);
  }
  return SETS[name as FeatureSetName];
}
