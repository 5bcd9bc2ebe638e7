-- The seed's names for the experiments table's columns (issue 17), so its SQL runs as written, e.g.
--   SELECT experiment_name, num_producers, num_consumers, num_partitions, start_time, end_time, status FROM experiments;
--   DELETE FROM experiments WHERE end_time < NOW() - INTERVAL '30 days';
-- Stored generated columns: always equal to the project's columns (which the code keeps writing),
-- never written themselves; the table holds one row per run, so the extra bytes do not matter.
-- (logs.created_at is not added here: a DELETE of raw logs by hand would leave the rollups of
-- migration 011 behind; it comes with the delete-safe rollups.)

ALTER TABLE experiments
  ADD COLUMN experiment_name text        GENERATED ALWAYS AS (name) STORED,
  ADD COLUMN num_producers   integer     GENERATED ALWAYS AS (producers) STORED,
  ADD COLUMN num_consumers   integer     GENERATED ALWAYS AS (consumers) STORED,
  ADD COLUMN num_partitions  integer     GENERATED ALWAYS AS (partitions) STORED,
  ADD COLUMN start_time      timestamptz GENERATED ALWAYS AS (started_at) STORED,
  ADD COLUMN end_time        timestamptz GENERATED ALWAYS AS (ended_at) STORED;
