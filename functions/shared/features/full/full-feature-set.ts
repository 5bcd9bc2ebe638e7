import type { LogRecord } from '../../log/log-record.js';
import type { FeatureExtractor, FeatureSet } from '../feature-set.js';
import { FULL_SCHEMA_VERSION, NOTABLE_SURPRISE, fullFeatureDescriptions, fullFeatureNames } from './full-definitions.js';
import { FullFeatureExtractor, fitFullFeatures } from './full-extractor.js';
import { decodeFullState } from './full-state.js';
import { decodeFullStream, type FullStream } from './stream-state.js';

/** Values of the anchor rows, in each feature's units (an excess over its floor, or a share for odd_characters). */
const ANCHOR_VALUES = [0.5, 1, 2, 4] as const;

/** A stored stream state that decodes, as a one-element list; an unreadable one is left out (it cannot stop a training). */
function decodableStream(state: unknown): FullStream[] {
  try {
    return [decodeFullStream(state)];
  } catch {
    return [];
  }
}

/** Templates, rarities, per-service windows and time-of-day profiles (full-definitions.ts). */
export const fullFeatureSet: FeatureSet = Object.freeze({
  name: 'full' as const,
  schemaVersion: FULL_SCHEMA_VERSION,
  names: fullFeatureNames,
  descriptions: Object.freeze(Object.fromEntries(fullFeatureDescriptions.map((feature) => [feature.name, feature.description]))),
  fit(records: readonly LogRecord[], previous?: FeatureExtractor | null, learnedSince?: readonly unknown[]) {
    return fitFullFeatures(records, previous instanceof FullFeatureExtractor ? previous : null, learnedSince?.flatMap(decodableStream));
  },
  anchorValues: ANCHOR_VALUES,
  notableSurprise: NOTABLE_SURPRISE,
  anchorRows(value: number): Float64Array {
    const width = fullFeatureNames.length;
    const rows = new Float64Array(width * width);
    for (let column = 0; column < width; column++) rows[column * width + column] = value;
    return rows;
  },
  restore(state: unknown): FeatureExtractor {
    const { miner, counts, floors } = decodeFullState(state);
    return new FullFeatureExtractor(miner, counts, floors);
  },
});
