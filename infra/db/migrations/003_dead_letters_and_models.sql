-- Dead letters (records a component refused, kept byte for byte) and the model registry.

CREATE TABLE dead_letters (
  id           bigserial PRIMARY KEY,
  topic        text NOT NULL,
  partition    integer NOT NULL CHECK (partition >= 0),
  kafka_offset bigint NOT NULL CHECK (kafka_offset >= 0),
  raw_key      bytea,
  raw_value    bytea,
  headers      jsonb NOT NULL DEFAULT '[]'::jsonb,
  reason       text NOT NULL,
  component    text NOT NULL,              -- which function refused it
  received_at  timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT dead_letters_record_component_unique UNIQUE (topic, partition, kafka_offset, component)
);
CREATE INDEX dead_letters_received_at_idx ON dead_letters (received_at);

CREATE TABLE models (
  version                text PRIMARY KEY CHECK (length(version) BETWEEN 1 AND 200),
  feature_schema_version text NOT NULL,
  trained_at             timestamptz NOT NULL,
  training_rows          integer NOT NULL CHECK (training_rows >= 0),
  threshold              double precision NOT NULL,
  contamination          double precision NOT NULL CHECK (contamination >= 0 AND contamination <= 0.5),
  score_stats            jsonb NOT NULL DEFAULT '{}'::jsonb,
  artifact_key           text NOT NULL,     -- S3 key of the model artifact
  status                 text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'retired')),
  created_at             timestamptz NOT NULL DEFAULT now()
);
-- At most one active model.
CREATE UNIQUE INDEX models_single_active_idx ON models (status) WHERE status = 'active';
