-- Fewer index entries per stored log: every btree index on `logs` costs CPU and WAL on each of the
-- detector's inserts. Kept, each with the queries that need it:
--   logs_pkey (id)                               anomalies.log_pk joins and the foreign key, retention's deletes
--   logs_kafka_record_unique (topic, partition, kafka_offset)
--                                                ON CONFLICT of every insert, the anomaly insert's join,
--                                                experiments' per-topic measurements (topic prefix)
--   logs_ts_idx (ts)                             model training's newest-N logs, retention's oldest-first deletes
--   logs_stored_at_idx (stored_at)               the dashboard's stored-in-the-last-hour window
-- Changed or dropped:
--   logs_experiment_ts_idx (experiment_id, ts) → logs_experiment_idx (experiment_id), only for rows of an
--     experiment: queries filter on `experiment_id = $1` (never NULL, never a ts range within it), and
--     logs outside experiments (the pipeline's normal traffic, bench:pipeline) no longer get an entry.
--   logs_service_ts_idx (service, ts): no query filters or orders logs by service (the dashboard groups
--     a stored_at window by service, which this index cannot serve).
--   anomalies_experiment_detected_at_idx (experiment_id, detected_at): no query reads anomalies by
--     experiment (experiment views reach anomalies through their logs).

CREATE INDEX logs_experiment_idx ON logs (experiment_id) WHERE experiment_id IS NOT NULL;
DROP INDEX logs_experiment_ts_idx;
DROP INDEX logs_service_ts_idx;
DROP INDEX anomalies_experiment_detected_at_idx;
