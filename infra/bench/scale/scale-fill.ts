/**
 * Fills the database for `bench:scale` fast, in PostgreSQL: INSERT … SELECT over generate_series
 * in chunks, each one statement (logs, their anomalies and a few dead letters together), never row
 * by row from Node.
 *
 * Realism comes from a sample: SAMPLE_SIZE records of the producer function's generator (its services
 * with their weights, levels, hosts, message templates and lengths, 5 % anomalies of its five kinds,
 * error spikes as runs), each placed on the partition kafkajs's default partitioner gives its key
 * (the service), as the producer does. Row g of the fill (g = 1, 2, … over the whole run; its Kafka
 * offset) takes sample g mod SAMPLE_SIZE, with its own log id, trace id and fingerprint from g.
 * Sampled anomalies get an anomaly row (score, threshold, features and contributions like the
 * detector's); every DEAD_LETTER_EVERY-th record also leaves a dead letter.
 *
 * A fill step spreads its rows evenly over [fromMs, toMs) by stored_at, in id order; ts (the line's
 * own time) is 20–999 ms earlier, produced_at 1–5 ms after ts, detected_at 20 ms after stored_at.
 * The rollups are then brought up to date for the step's rows alone (addRollupsAfter), as the
 * pipeline's writers add each batch's counts.
 */
import { Partitioners, type PartitionMetadata } from 'kafkajs';
import type pg from 'pg';
import { createLogGenerator } from '../../../functions/producer/generator/index.js';
import { toKafkaMessage } from '../../../functions/producer/generator/kafka-message.js';
import { anomalyScoring } from '../db/bench-batches.js';

/** Distinct sampled records; the fill repeats them with fresh ids. */
export const SAMPLE_SIZE = 20_000;
/** One dead letter per this many logs filled. */
export const DEAD_LETTER_EVERY = 20_000;
/** Dead letters' Kafka offsets start here (records the detector refused, not the logs' offsets). */
const DEAD_LETTER_OFFSET_BASE = 1_000_000_000_000;
/** Rows per INSERT statement (one transaction each). */
const CHUNK_ROWS = 250_000;
/** Chunks in flight at once (the pool needs as many connections): one PostgreSQL backend per core of this machine. */
export const FILL_CONNECTIONS = 2;
export const TOPIC = 'logs';
export const PARTITIONS = 5;
export const MODEL_VERSION = 'bench-scale-v1';
const SAMPLE_TABLE = 'bench_scale_sample';

/** Creates the sample table and the active model the snapshot shows. */
export async function prepareFill(db: pg.Pool, nowMs: number): Promise<void> {
  const generator = createLogGenerator({ anomalyRate: 0.05, producerId: 'bench-scale', seed: 21 });
  const partitioner = Partitioners.DefaultPartitioner();
  const partitionMetadata: PartitionMetadata[] = Array.from({ length: PARTITIONS }, (_, partitionId) => ({ partitionErrorCode: 0, partitionId, leader: 0, replicas: [0], isr: [0] }));
  const rows = [];
  for (let i = 0; i < SAMPLE_SIZE; i++) {
    const generated = generator.next(nowMs + i * 50);
    const partition = partitioner({ topic: TOPIC, partitionMetadata, message: toKafkaMessage(generated) });
    const { record, label } = generated;
    const flagged = label !== 'none';
    const anomaly = flagged ? anomalyScoring(i + 1) : null;
    rows.push({
      i,
      service: record.service,
      level: record.level,
      message: record.message,
      host: record.host ?? null,
      producer_id: record.producerId ?? null,
      label,
      partition,
      flagged,
      score: anomaly?.score ?? null,
      threshold: anomaly?.threshold ?? null,
      features: anomaly?.features ?? null,
      contributions: anomaly?.contributions ?? null,
    });
  }
  await db.query(`DROP TABLE IF EXISTS ${SAMPLE_TABLE}`);
  await db.query(
    `CREATE UNLOGGED TABLE ${SAMPLE_TABLE} (
       i integer PRIMARY KEY, service text NOT NULL, level text NOT NULL, message text NOT NULL, host text, producer_id text,
       label text, partition integer NOT NULL, flagged boolean NOT NULL, score double precision, threshold double precision,
       features jsonb, contributions jsonb)`,
  );
  await db.query(`INSERT INTO ${SAMPLE_TABLE} SELECT * FROM json_populate_recordset(NULL::${SAMPLE_TABLE}, $1::json)`, [JSON.stringify(rows)]);
  await db.query(`ANALYZE ${SAMPLE_TABLE}`);
  await db.query(
    `INSERT INTO models (version, feature_schema_version, trained_at, training_rows, threshold, contamination, artifact_key)
     VALUES ($1, 'bench', to_timestamp($2 / 1000.0), 1000, 0.61, 0.05, $3)
     ON CONFLICT (version) DO NOTHING`,
    [MODEL_VERSION, nowMs - 23 * 3_600_000, `models/${MODEL_VERSION}.json`],
  );
}

/**
 * One chunk: logs g = $1..$2 (the i-th of the step, i = g - $4, stored at $3 + (i + 0.5) × $5 ms),
 * the anomalies of the flagged ones, and the dead letters of g divisible by DEAD_LETTER_EVERY.
 * The hash join keeps generate_series' order, so ids rise with stored_at.
 */
const FILL_CHUNK = `
  WITH inserted AS (
    INSERT INTO logs (log_id, ts, service, level, message, host, trace_id, experiment_id, producer_id, label,
                      topic, partition, kafka_offset, produced_at, stored_at, fingerprint)
    SELECT md5(g::text)::uuid::text, t.stored - t.latency, s.service, s.level, s.message, s.host, md5('trace' || g), NULL, s.producer_id, s.label,
           '${TOPIC}', s.partition, g, t.stored - t.latency + make_interval(secs => (g % 5 + 1) / 1000.0), t.stored,
           hashtextextended(g::text, 21) & 9007199254740991
    FROM generate_series($1::bigint, $2::bigint) g
    JOIN ${SAMPLE_TABLE} s ON s.i = g % ${SAMPLE_SIZE}
    CROSS JOIN LATERAL (SELECT to_timestamp(($3::double precision + ((g - $4::bigint) + 0.5) * $5::double precision) / 1000.0) AS stored,
                               make_interval(secs => (20 + (g * 7919) % 980) / 1000.0) AS latency) t
    RETURNING id, kafka_offset, stored_at),
  flagged AS (
    INSERT INTO anomalies (log_pk, score, threshold, model_version, features, contributions, detected_at, experiment_id)
    SELECT n.id, s.score, s.threshold, '${MODEL_VERSION}', s.features, s.contributions, n.stored_at + interval '20 milliseconds', NULL
    FROM inserted n JOIN ${SAMPLE_TABLE} s ON s.i = n.kafka_offset % ${SAMPLE_SIZE}
    WHERE s.flagged
    RETURNING 1),
  lettered AS (
    INSERT INTO dead_letters (topic, partition, kafka_offset, raw_key, raw_value, headers, reason, component, received_at)
    SELECT '${TOPIC}', g % ${PARTITIONS}, ${DEAD_LETTER_OFFSET_BASE} + g, NULL,
           convert_to('{"ts":"' || g || '","service":"api-gateway","message":"truncated', 'UTF8'), '[]'::jsonb,
           'value is not valid JSON: Unterminated string in JSON at position 64', 'detector',
           to_timestamp(($3::double precision + ((g - $4::bigint) + 0.5) * $5::double precision) / 1000.0)
    FROM generate_series($1::bigint, $2::bigint) g
    WHERE g % ${DEAD_LETTER_EVERY} = 0
    RETURNING 1)
  SELECT (SELECT count(*) FROM inserted)::int AS logs, (SELECT count(*) FROM flagged)::int AS anomalies, (SELECT count(*) FROM lettered)::int AS dead_letters`;

export interface FillStep {
  /** The first row's number (its Kafka offset); the step fills firstRow … firstRow + rows - 1. */
  readonly firstRow: number;
  readonly rows: number;
  /** stored_at runs from here … */
  readonly fromMs: number;
  /** … to here (exclusive), evenly. */
  readonly toMs: number;
}

export interface FillResult {
  readonly logs: number;
  readonly anomalies: number;
  readonly deadLetters: number;
  readonly seconds: number;
  /** Seconds to add the step's rows to the rollups. */
  readonly rollupSeconds: number;
}

/**
 * Fills one step chunk by chunk, FILL_CONNECTIONS chunks at a time (ids of concurrent chunks
 * interleave, as concurrent partitions' batches do), then adds its rows to the rollups. `progress`
 * gets the rows done so far.
 */
export async function fillStep(db: pg.Pool, step: FillStep, progress: (done: number) => void = () => undefined): Promise<FillResult> {
  const started = performance.now();
  const before = await db.query<{ log_id: string; letter_id: string }>(
    'SELECT COALESCE((SELECT max(id) FROM logs), 0) AS log_id, COALESCE((SELECT max(id) FROM dead_letters), 0) AS letter_id',
  );
  const msPerRow = (step.toMs - step.fromMs) / step.rows;
  const totals = { logs: 0, anomalies: 0, deadLetters: 0 };
  const last = step.firstRow + step.rows - 1;
  let next = step.firstRow;
  const worker = async (): Promise<void> => {
    while (next <= last) {
      const from = next;
      const to = Math.min(last, from + CHUNK_ROWS - 1);
      next = to + 1;
      const result = await db.query<{ logs: number; anomalies: number; dead_letters: number }>(FILL_CHUNK, [from, to, step.fromMs, step.firstRow, msPerRow]);
      const row = result.rows[0]!;
      totals.logs += row.logs;
      totals.anomalies += row.anomalies;
      totals.deadLetters += row.dead_letters;
      progress(totals.logs);
    }
  };
  await Promise.all(Array.from({ length: FILL_CONNECTIONS }, worker));
  const filled = performance.now();
  await addRollupsAfter(db, before.rows[0]!.log_id, before.rows[0]!.letter_id);
  const done = performance.now();
  return { ...totals, seconds: (filled - started) / 1000, rollupSeconds: (done - filled) / 1000 };
}

/**
 * Adds the logs (with their anomalies) of id > $1 and the dead letters of id > $2 to the rollups:
 * the counts of the rows a fill step added, per key, in key order, as the writers' upserts do.
 */
async function addRollupsAfter(db: pg.Pool, logId: string, letterId: string): Promise<void> {
  await db.query(
    `INSERT INTO log_rollups AS r (minute, topic, partition, service, level, logs, anomalies)
     SELECT date_trunc('minute', l.stored_at), l.topic, l.partition, l.service, l.level, count(*), count(a.log_pk)
     FROM logs l LEFT JOIN (SELECT log_pk FROM anomalies WHERE log_pk > $1) a ON a.log_pk = l.id
     WHERE l.id > $1
     GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
     ON CONFLICT (minute, topic, partition, service, level) DO UPDATE
       SET logs = r.logs + EXCLUDED.logs, anomalies = r.anomalies + EXCLUDED.anomalies`,
    [logId],
  );
  await db.query(
    `INSERT INTO dead_letter_rollups AS r (minute, topic, partition, component, dead_letters)
     SELECT date_trunc('minute', d.received_at), d.topic, d.partition, d.component, count(*)
     FROM dead_letters d WHERE d.id > $1
     GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
     ON CONFLICT (minute, topic, partition, component) DO UPDATE SET dead_letters = r.dead_letters + EXCLUDED.dead_letters`,
    [letterId],
  );
}

/** VACUUM (ANALYZE) of the tables the fill wrote, then a CHECKPOINT: no autovacuum or checkpoint in the measurements. */
export async function settle(db: pg.Pool): Promise<number> {
  const started = performance.now();
  await db.query('VACUUM (ANALYZE) logs, anomalies, dead_letters, log_rollups, dead_letter_rollups');
  await db.query('CHECKPOINT');
  return (performance.now() - started) / 1000;
}

/** Drops the sample table (the database is thrown away anyway; a test database is not). */
export async function finishFill(db: pg.Pool): Promise<void> {
  await db.query(`DROP TABLE IF EXISTS ${SAMPLE_TABLE}`);
}
