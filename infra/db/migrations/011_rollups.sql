-- Rollups: per-minute counts of what the pipeline stored, kept exact with the data, so what people
-- watch (the dashboard's real-time snapshot, `npm start`'s status line) reads a few rows per minute
-- instead of counting raw rows (the cost of a count grew with the ingest rate times the window).
--
-- Invariants (what "exact" means), for every key:
--   log_rollups.logs         = count(*) of `logs` rows with date_trunc('minute', stored_at) = minute and
--                              that topic, partition, service and level;
--   log_rollups.anomalies    = count(*) of `anomalies` whose LOG is such a row (an anomaly counts in its
--                              log's minute, as the dashboard's timeline always joined them);
--   dead_letter_rollups.dead_letters = count(*) of `dead_letters` with date_trunc('minute', received_at)
--                              = minute and that topic, partition and component.
-- Writers keep them in the same transaction as the raw rows, counting only rows an INSERT really added
-- (functions/shared/db/log-rollups.ts, dead-letter-rollups.ts), and `db:cleanup` subtracts what it
-- deletes (infra/db/retention-deletes.ts), so redelivery, overlapping batches and retention leave them
-- equal to counts of the raw rows. A row whose counts reach 0 is deleted.
--
-- Keyed by the Kafka topic-partition as well: each partition has one writer at a time (its poller), so
-- concurrent batches of different partitions never update the same row (no lock waits between them).
-- Readers sum over topic and partition. Writers upsert in key order (no deadlocks).
-- Size: rows per minute = partitions x services x levels seen in that minute (a few hundred), whatever
-- the ingest rate. fillfactor 70 leaves room on each page for HOT updates (no key column changes).
-- minute is a timestamptz (the start of the minute, an instant): equal whatever the session's TimeZone.

CREATE TABLE log_rollups (
  minute    timestamptz NOT NULL,  -- date_trunc('minute', logs.stored_at)
  topic     text NOT NULL,
  partition integer NOT NULL,
  service   text NOT NULL,
  level     text NOT NULL,
  logs      bigint NOT NULL,       -- rows of `logs`
  anomalies bigint NOT NULL,       -- rows of `anomalies` on those logs
  PRIMARY KEY (minute, topic, partition, service, level)
) WITH (fillfactor = 70);

CREATE TABLE dead_letter_rollups (
  minute       timestamptz NOT NULL,  -- date_trunc('minute', dead_letters.received_at)
  topic        text NOT NULL,
  partition    integer NOT NULL,
  component    text NOT NULL,
  dead_letters bigint NOT NULL,       -- rows of `dead_letters`
  PRIMARY KEY (minute, topic, partition, component)
) WITH (fillfactor = 70);

-- Recomputes both rollups from the raw rows: the backfill below, and the repair if raw rows were ever
-- written or deleted around the repositories (by hand, by an old writer during a deploy). It holds
-- SHARE locks on the raw tables while it runs (writers wait; readers do not) and scans them whole.
CREATE FUNCTION rebuild_rollups() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  LOCK TABLE logs, anomalies, dead_letters IN SHARE MODE;
  DELETE FROM log_rollups;
  DELETE FROM dead_letter_rollups;
  INSERT INTO log_rollups (minute, topic, partition, service, level, logs, anomalies)
  SELECT date_trunc('minute', l.stored_at), l.topic, l.partition, l.service, l.level, count(*), count(a.id)
  FROM logs l LEFT JOIN anomalies a ON a.log_pk = l.id
  GROUP BY 1, 2, 3, 4, 5;
  INSERT INTO dead_letter_rollups (minute, topic, partition, component, dead_letters)
  SELECT date_trunc('minute', received_at), topic, partition, component, count(*)
  FROM dead_letters
  GROUP BY 1, 2, 3, 4;
END
$$;

-- Backfill an existing database, so its dashboard stays right across the upgrade.
SELECT rebuild_rollups();
