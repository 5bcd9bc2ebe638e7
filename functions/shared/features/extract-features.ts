import { ValidationError } from '../errors.js';
import type { LogRecord } from '../log/log-record.js';
import { featureDefinitions } from './definitions.js';
import type { FeatureContext, FeatureDefinition } from './feature-definition.js';
import { fnv1a32 } from './service-hash.js';
import { utcTimeOfDay } from './utc-time.js';

/** Bump when something outside the definitions' `encoding` texts changes what features mean. */
const SCHEMA_GENERATION = 1;

/**
 * `fs<generation>-<count>-<fnv1a32 of the names and encodings>`: changes whenever a feature is
 * added, removed, reordered or re-encoded. Throws on duplicate names.
 */
export function schemaVersionOf(definitions: readonly Pick<FeatureDefinition, 'name' | 'encoding'>[], generation: number = SCHEMA_GENERATION): string {
  const names = new Set<string>();
  for (const definition of definitions) {
    if (names.has(definition.name)) throw new Error(`duplicate feature name ${definition.name}`);
    names.add(definition.name);
  }
  const canonical = JSON.stringify([generation, definitions.map((definition) => [definition.name, definition.encoding])]);
  const hash = fnv1a32(canonical).toString(16).padStart(8, '0');
  return `fs${generation}-${definitions.length}-${hash}`;
}

/**
 * The seed set's schema version: identifies its feature list and every encoding, e.g. `fs1-7-1a2b3c4d`. Derived from the
 * definitions (names + encoding texts), so adding, removing, reordering or re-encoding a feature
 * changes it. A stored model records the version it was trained with; a different one is refused.
 */
export const FEATURE_SCHEMA_VERSION: string = schemaVersionOf(featureDefinitions);

/** Column names, in matrix column order. */
export const featureNames: readonly string[] = Object.freeze(featureDefinitions.map((definition) => definition.name));

/** Number of features (matrix columns). */
export const FEATURE_COUNT: number = featureNames.length;

function contextOf(record: LogRecord): FeatureContext {
  return { time: utcTimeOfDay(record.ts) };
}

function writeRow(record: LogRecord, out: Float64Array, offset: number): void {
  const context = contextOf(record);
  for (let column = 0; column < featureDefinitions.length; column++) {
    const definition = featureDefinitions[column] as FeatureDefinition;
    const value = definition.extract(record, context);
    if (!Number.isFinite(value)) {
      throw new ValidationError(`feature "${definition.name}" is not finite (${value}) for record ${JSON.stringify(record.id)}`);
    }
    out[offset + column] = value;
  }
}

/** One record's features, in `featureNames` order. Pure. */
export function extractFeatures(record: LogRecord): Float64Array {
  const row = new Float64Array(FEATURE_COUNT);
  writeRow(record, row, 0);
  return row;
}

/**
 * Features of many records, row-major: row i holds records[i]'s features, `records.length × FEATURE_COUNT`
 * values. When `out` is given it is filled (it must hold at least that many values) and the used prefix
 * is returned (a view on `out`, not a copy); otherwise a new array is returned.
 */
export function extractFeatureMatrix(records: readonly LogRecord[], out?: Float64Array): Float64Array {
  const needed = records.length * FEATURE_COUNT;
  if (out !== undefined && out.length < needed) {
    throw new ValidationError(`feature matrix buffer holds ${out.length} values, needs ${needed} (${records.length} records × ${FEATURE_COUNT} features)`);
  }
  const matrix = out === undefined ? new Float64Array(needed) : out.length === needed ? out : out.subarray(0, needed);
  for (let row = 0; row < records.length; row++) {
    writeRow(records[row] as LogRecord, matrix, row * FEATURE_COUNT);
  }
  return matrix;
}
