-- Reused Kafka coordinates never hide a new record. A log row is identified by its Kafka record's
-- coordinates (topic, partition, kafka_offset), and a redelivery of that record adds nothing. But
-- Kafka hands the same coordinates to a NEW record after a topic is deleted and recreated, a broker
-- loses its log, the in-memory broker restarts, or a database is restored against a reset Kafka.
-- The fingerprint tells the two apart: a 53-bit digest of the record's key, value and timestamp
-- (functions/detector/record-fingerprint.ts says why those). Same coordinates and same fingerprint:
-- a redelivery, skipped. Same coordinates, different fingerprint: a new record, kept whole in
-- dead_letters with reason 'offset reused' (functions/shared/db/log-rows.ts, offset-reuse.ts).
--
-- NULL is "unknown": rows stored before this migration, and rows whose writer did not have the
-- record's bytes (test fixtures, benchmarks). A record meeting a row of unknown fingerprint is
-- treated as a redelivery, as before this migration: the bytes it was stored from are gone, and
-- calling it a reuse would dead-letter every ordinary redelivery of such a row.
--
-- Adding a nullable column with no default changes only the catalog (no table rewrite, no scan).
-- No CHECK constraint (it would scan the whole table under a lock); the writer checks the range
-- [0, 2^53). No index: it is read only beside rows already found through logs_kafka_record_unique.
ALTER TABLE logs ADD COLUMN fingerprint bigint;

-- `npm run health` counts the records dead-lettered for reused coordinates, per partition with the
-- newest arrival. A partial index holds only those rows (the count is an index-only scan), so it
-- stays cheap however many other dead letters there are, and their inserts never touch it.
CREATE INDEX dead_letters_offset_reused_idx ON dead_letters (topic, partition, received_at) WHERE reason = 'offset reused';
