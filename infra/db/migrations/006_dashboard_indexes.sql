-- The dashboard's real-time window is "what the pipeline stored in the last hour" (logs.stored_at):
-- independent of producers' clocks and of backdated lines (e.g. temporal anomalies at 02:00–05:00).
-- The publisher reads that window every few seconds, so it must not scan the whole table.
CREATE INDEX logs_stored_at_idx ON logs (stored_at);
