-- Logs read from Kafka topic `logs` and the anomalies the detector found among them.
-- Identity of a log row: its Kafka record (topic, partition, kafka_offset), so redelivery adds nothing.

CREATE TABLE logs (
  id            bigserial PRIMARY KEY,
  log_id        text NOT NULL,
  ts            timestamptz NOT NULL,       -- when the line was logged
  service       text NOT NULL,
  level         text NOT NULL,
  message       text NOT NULL,
  host          text,
  trace_id      text,
  experiment_id text,
  producer_id   text,
  label         text,                       -- ground truth from the record header: evaluation only
  topic         text NOT NULL,
  partition     integer NOT NULL CHECK (partition >= 0),
  kafka_offset  bigint NOT NULL CHECK (kafka_offset >= 0),
  produced_at   timestamptz,                -- Kafka record timestamp
  stored_at     timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT logs_kafka_record_unique UNIQUE (topic, partition, kafka_offset)
);
CREATE INDEX logs_ts_idx ON logs (ts);
CREATE INDEX logs_experiment_ts_idx ON logs (experiment_id, ts);
CREATE INDEX logs_service_ts_idx ON logs (service, ts);

CREATE TABLE anomalies (
  id            bigserial PRIMARY KEY,
  log_pk        bigint NOT NULL REFERENCES logs (id) ON DELETE CASCADE,
  score         double precision NOT NULL,
  threshold     double precision NOT NULL,
  model_version text NOT NULL,
  features      jsonb NOT NULL,             -- feature values scored, by name
  contributions jsonb NOT NULL,             -- which features drove the score
  detected_at   timestamptz NOT NULL DEFAULT now(),
  experiment_id text,
  CONSTRAINT anomalies_log_unique UNIQUE (log_pk)
);
CREATE INDEX anomalies_detected_at_idx ON anomalies (detected_at);
CREATE INDEX anomalies_experiment_detected_at_idx ON anomalies (experiment_id, detected_at);
