-- Experiments run by `npm run experiment` / `npm run experiments:batch`: which suite and trial a run
-- belongs to (a re-run suite skips its completed runs) and the run's measured summary.
-- `settings` (001) holds what was asked for; `summary` holds only what was measured (JSON, see
-- docs/experiments.md); both are written by infra/experiments.

ALTER TABLE experiments
  ADD COLUMN suite_id text CHECK (suite_id IS NULL OR length(suite_id) BETWEEN 1 AND 200),
  ADD COLUMN trial    integer CHECK (trial IS NULL OR trial >= 1),
  ADD COLUMN summary  jsonb;

CREATE INDEX experiments_suite_idx ON experiments (suite_id, name, trial) WHERE suite_id IS NOT NULL;
