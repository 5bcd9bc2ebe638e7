import type { LogRecord } from '../log/log-record.js';

/** The feature sets a model can be trained on. */
export const FEATURE_SET_NAMES = ['seed', 'full'] as const;
export type FeatureSetName = (typeof FEATURE_SET_NAMES)[number];

/** A batch's feature matrix and what the extractor recognised in each record. */
export interface ExtractedFeatures {
  /** Row-major, `records × names.length`, finite values. */
  readonly matrix: Float64Array;
  /** Per record, the template id the miner gave its message; null for sets without a miner. */
  readonly templateIds: Int32Array | null;
  /**
   * Records measured again because records after them arrived (a stateful set's late verdicts), in
   * the order they happened: each with its whole row as it now stands. `index` is the record's place
   * in this batch, or -1 when an earlier batch held it (`ref` then names it, as its caller gave it).
   * Absent or empty: none.
   */
  readonly revisions?: readonly FeatureRevision[];
}

/** A record's row measured again (see ExtractedFeatures.revisions). */
export interface FeatureRevision {
  readonly index: number;
  /** The reference the caller gave the record (the detector: its Kafka offset); -1 when none was given. */
  readonly ref: number;
  /** The template id the miner gave the record's message. */
  readonly templateId: number;
  readonly row: Float64Array;
}

/**
 * What a stateful set learns from one ordered stream of records (a topic-partition) on top of its
 * model's frozen state; opaque outside the set, stored as JSON (encodeStream / decodeStream).
 */
export type FeatureStream = object;

/**
 * Turns records into model inputs. The model's learned state is frozen; stateful sets learn from
 * every record of a stream into that stream's state (per-service windows, what the model never
 * saw), so the same record can get different values at different points of a stream. Not
 * re-entrant: one batch at a time (JS is single-threaded, calls are synchronous).
 */
export interface FeatureExtractor {
  readonly featureSet: FeatureSetName;
  /**
   * Features of `records` (one stream, in order). `stream` (from newStream or decodeStream) learns
   * the records, except the first `alreadyLearned` (an earlier delivery learned them); without it
   * the extractor uses a stream of its own that recognises redelivered records by id. `refs` (one
   * per record, whole numbers ≥ 0, e.g. Kafka offsets) name the records in later revisions.
   */
  extract(records: readonly LogRecord[], stream?: FeatureStream, alreadyLearned?: number, refs?: ArrayLike<number>): ExtractedFeatures;
  /** A stream that has learned nothing yet. */
  newStream(): FeatureStream;
  /** A stream's state as plain JSON (null for a stateless set); decodeStream reverses it. */
  encodeStream(stream: FeatureStream): unknown;
  /** A stream from encodeStream output of unknown origin; ValidationError when malformed. */
  decodeStream(state: unknown): FeatureStream;
  /** The learned state as plain JSON (null for a stateless set); `FeatureSet.restore` reverses it. */
  snapshot(): unknown;
  /** The template text behind an id, when the set mines templates (ids new since the model are the stream's). */
  templateOf(templateId: number, stream?: FeatureStream): string | undefined;
}

/** What training a feature set on a window of records produces. */
export interface FittedFeatures {
  /** Training rows, `records × names.length`, row-major. */
  readonly matrix: Float64Array;
  /** An extractor holding the state learned from the window, ready for the records that follow. */
  readonly extractor: FeatureExtractor;
}

export interface FeatureSet {
  readonly name: FeatureSetName;
  /** Changes with any change to the list, an encoding, or what the state means. */
  readonly schemaVersion: string;
  /** Column names, in matrix order. */
  readonly names: readonly string[];
  /** One line per feature: what the number means, with units. */
  readonly descriptions: Readonly<Record<string, string>>;
  /**
   * Learns the state from `records` (in order) and gives every record its training row. `previous`
   * (the extractor in service, if any) keeps template ids stable across retraining, and what its
   * streams learned since it was trained (`learnedSince`, encodeStream output; without it, the
   * previous extractor's own stream) carries into the new model.
   */
  fit(records: readonly LogRecord[], previous?: FeatureExtractor | null, learnedSince?: readonly unknown[]): FittedFeatures;
  /** An extractor from `snapshot()` output of unknown origin; ValidationError when malformed. */
  restore(state: unknown): FeatureExtractor;
  /**
   * Extra training rows (row-major) for sets whose features are 0 for ordinary records: one per
   * feature, holding `value` in that feature and 0 elsewhere. Without them a feature that happened to be 0 on every training
   * row would be constant, and a forest never splits on a constant feature, so it could not see
   * a record that is unusual in it later. They shape the trees only; thresholds ignore them.
   */
  anchorRows?(value: number): Float64Array;
  /** The anchor values training uses (one row per feature and value). */
  readonly anchorValues?: readonly number[];
  /**
   * For sets whose features are surprises (0 when ordinary): a record is an anomaly only when at
   * least one of its features reaches this value, whatever its score. A forest isolates any row
   * that is off the all-zero mass, however slightly; this keeps "barely past a floor" ordinary.
   */
  readonly notableSurprise?: number;
}
