import type { LogRecord } from '../log/log-record.js';
import type { UtcTimeOfDay } from './utc-time.js';

/** Values derived once per record and shared by every feature (so no feature re-parses `ts`). */
export interface FeatureContext {
  /** The record's time of day, UTC. */
  readonly time: UtcTimeOfDay;
}

/**
 * One model input. To add a feature, add one definition to `featureDefinitions` (definitions.ts);
 * names, extraction and FEATURE_SCHEMA_VERSION follow from that list.
 */
export interface FeatureDefinition {
  /** snake_case, unique; the column name in a feature matrix and in stored model metadata. */
  readonly name: string;
  /** What the number means, with units and range. */
  readonly description: string;
  /**
   * A precise statement of the encoding (e.g. the hash, the ordinal map, the keyword list). It is
   * hashed into FEATURE_SCHEMA_VERSION, so changing how a value is computed means changing this text.
   */
  readonly encoding: string;
  /** Pure; must return a finite number for every valid record, whatever its text. */
  extract(record: LogRecord, context: FeatureContext): number;
}
