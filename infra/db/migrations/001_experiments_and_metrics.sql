-- Experiments and what is measured during them: performance metrics and consumer lag.
-- experiment_id on metric and lag rows is deliberately not a foreign key: metrics may arrive for an
-- experiment before it is registered (or for none); cleanup removes them with their experiment.

CREATE TABLE experiments (
  id            text PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 200),
  name          text NOT NULL,
  producers     integer NOT NULL CHECK (producers >= 0),
  consumers     integer NOT NULL CHECK (consumers >= 0),
  partitions    integer NOT NULL CHECK (partitions >= 1),
  settings      jsonb NOT NULL DEFAULT '{}'::jsonb,
  status        text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'completed', 'failed')),
  status_reason text,
  started_at    timestamptz NOT NULL DEFAULT now(),
  ended_at      timestamptz,
  created_at    timestamptz NOT NULL DEFAULT now(),
  -- A running experiment has no end; a finished one has.
  CONSTRAINT experiments_end_matches_status CHECK ((status = 'running') = (ended_at IS NULL))
);
CREATE INDEX experiments_finished_ended_at_idx ON experiments (ended_at) WHERE status <> 'running';

CREATE TABLE performance_metrics (
  id               bigserial PRIMARY KEY,
  experiment_id    text,
  component_type   text NOT NULL,
  component_id     text NOT NULL,
  metric_name      text NOT NULL,
  metric_value     double precision NOT NULL,
  unit             text,
  "timestamp"      timestamptz NOT NULL,
  -- Identity: the Kafka record the metric was read from (one record may carry several metrics) ...
  source_topic     text,
  source_partition integer CHECK (source_partition >= 0),
  source_offset    bigint CHECK (source_offset >= 0),
  -- ... or, for metrics recorded without Kafka, a caller-chosen key.
  idempotency_key  text CHECK (length(idempotency_key) BETWEEN 1 AND 200),
  CONSTRAINT performance_metrics_source_unique UNIQUE (source_topic, source_partition, source_offset, metric_name),
  CONSTRAINT performance_metrics_one_identity CHECK (
    (source_topic IS NOT NULL AND source_partition IS NOT NULL AND source_offset IS NOT NULL AND idempotency_key IS NULL)
    OR (source_topic IS NULL AND source_partition IS NULL AND source_offset IS NULL AND idempotency_key IS NOT NULL)
  )
);
CREATE UNIQUE INDEX performance_metrics_idempotency_key_unique
  ON performance_metrics (idempotency_key, metric_name) WHERE idempotency_key IS NOT NULL;
CREATE INDEX performance_metrics_experiment_metric_time_idx
  ON performance_metrics (experiment_id, metric_name, "timestamp");

CREATE TABLE consumer_lag (
  id             bigserial PRIMARY KEY,
  experiment_id  text,
  consumer_id    text NOT NULL,
  topic          text NOT NULL,
  partition      integer NOT NULL CHECK (partition >= 0),
  current_offset bigint NOT NULL CHECK (current_offset >= -1), -- -1: nothing committed yet
  log_end_offset bigint NOT NULL CHECK (log_end_offset >= 0),
  lag            bigint NOT NULL CHECK (lag >= 0),               -- records behind the log end
  "timestamp"    timestamptz NOT NULL,
  CONSTRAINT consumer_lag_sample_unique UNIQUE (consumer_id, topic, partition, "timestamp")
);
CREATE INDEX consumer_lag_experiment_time_idx ON consumer_lag (experiment_id, "timestamp");
