/**
 * What a stateful feature set has learned from ONE ordered stream of records (a Kafka
 * topic-partition) since its model was trained: the per-service windows, the message shapes,
 * services and words new since the model, and how many records it has seen. Scoring a batch reads
 * it and returns the next one; the detector keeps it in PostgreSQL, written in the same
 * transaction as the batch's logs, so any container scores the stream's next batch exactly as
 * the container before it would have, and a batch that is not stored leaves it untouched.
 *
 * Plain JSON, bounded in size (the feature set caps every part; see its stream-state module).
 */
export interface StreamSnapshot {
  /** The model version the state was learned against; a snapshot of another version is discarded and the stream starts afresh on the current model. */
  readonly modelVersion: string;
  /** The feature set's stream state, opaque outside it. */
  readonly state: unknown;
}

/** A stream's scores for one batch, the late anomalies among its earlier records, and the snapshot to store with them. */
export interface StreamScoring<Score> {
  readonly scores: Score[];
  /** Records of earlier batches (by the refs given when they were scored) that this batch made anomalous, or more so. */
  readonly late: ReadonlyArray<{ readonly ref: number; readonly score: Score }>;
  readonly next: StreamSnapshot;
}
