-- The detector's feature state per ordered stream of records (a Kafka topic-partition): what the
-- feature set learned from that stream since its model (per-service windows, message shapes,
-- services and words new since the model). It is written in the same transaction as the batch's
-- logs, with a compare-and-set on `revision`, so a redelivered batch neither counts twice nor loses
-- an update, and whichever container gets the stream's next batch scores it from the same state.
--
-- One row per topic-partition ever scored. A row of an older model version is reset on its next use
-- (the new model's training learned the recent records); `db:cleanup --streams-days N` deletes rows
-- not written for N days (an idle or deleted topic's partitions).

CREATE TABLE detector_streams (
  stream_key    text PRIMARY KEY CHECK (char_length(stream_key) BETWEEN 1 AND 300), -- "<topic>-<partition>", e.g. "logs-3"
  model_version text NOT NULL CHECK (char_length(model_version) BETWEEN 1 AND 200),
  next_offset   bigint NOT NULL CHECK (next_offset >= 0),  -- one past the highest offset whose record the state has learned
  revision      bigint NOT NULL CHECK (revision >= 0),     -- +1 per write: the compare-and-set of concurrent writers
  state         jsonb NOT NULL CHECK (pg_column_size(state) <= 4194304), -- the feature set's JSON; it bounds it far below 4 MiB
  updated_at    timestamptz NOT NULL DEFAULT now()
);
-- No index besides the key: the table holds one row per partition, so cleanup scans it, and each
-- batch's UPDATE stays a HOT update (no indexed column changes).
